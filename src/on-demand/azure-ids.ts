// The vault and VM a request concerns, from the ARM ids the components expose as outputs. Each
// name goes into a request's path: one that would change that path ("..", a "?" or an encoded
// "/") is refused here, before any request is sent.
import { VAULT_ID_RULE, VM_ID_RULE, parseVaultId, parseVmId, protectionNames } from "../rules/resource-ids";
import { InvalidArgumentError } from "./backup-operation-error";

export interface VaultTarget {
    subscriptionId: string;
    resourceGroupName: string;
    vaultName: string;
}

export interface ItemTarget extends VaultTarget {
    vmName: string;
    containerName: string;
    protectedItemName: string;
}

/** The rule a name in a request's path keeps. */
const SAFE_NAME_RULE = 'must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters';

const unsafe = (name: string) => name === "." || name === ".." || /[/\\?#%\s\u0000-\u001f\u007f]/.test(name);

/** The first name (with what it names) that would change a request's path. */
function unsafeName(names: Record<string, string>): string | undefined {
    const found = Object.entries(names).find(([, name]) => unsafe(name));
    return found ? `its ${found[0]} ${JSON.stringify(found[1])} would change the request's path (a name ${SAFE_NAME_RULE})` : undefined;
}

export function vaultTarget(vaultId: unknown, argument = "vaultId"): VaultTarget {
    const vault = typeof vaultId === "string" ? parseVaultId(vaultId) : undefined;
    if (!vault) throw new InvalidArgumentError(argument, `${VAULT_ID_RULE}, got ${JSON.stringify(vaultId) ?? String(vaultId)}`);
    const why = unsafeName({ subscription: vault.subscriptionId, "resource group": vault.resourceGroupName, "vault name": vault.vaultName });
    if (why) throw new InvalidArgumentError(argument, `${why}, got ${JSON.stringify(vaultId)}`);
    return vault;
}

export function itemTarget(vaultId: unknown, vmId: unknown, argument = { vaultId: "vaultId", vmId: "vmId" }): ItemTarget {
    const vault = vaultTarget(vaultId, argument.vaultId);
    const vm = typeof vmId === "string" ? parseVmId(vmId) : undefined;
    if (!vm) throw new InvalidArgumentError(argument.vmId, `${VM_ID_RULE}, got ${JSON.stringify(vmId) ?? String(vmId)}`);
    const why = unsafeName({ subscription: vm.subscriptionId, "resource group": vm.resourceGroupName, "VM name": vm.vmName });
    if (why) throw new InvalidArgumentError(argument.vmId, `${why}, got ${JSON.stringify(vmId)}`);
    if (vm.subscriptionId.toLowerCase() !== vault.subscriptionId.toLowerCase()) {
        throw new InvalidArgumentError(argument.vmId, `must be in the vault's subscription ${vault.subscriptionId}, got ${JSON.stringify(vmId)}`);
    }
    return { ...vault, vmName: vm.vmName, ...protectionNames(vm) };
}

/** A job's id as it goes into the job's path: Azure's are GUIDs. */
export function jobName(jobId: unknown, argument = "jobId"): string {
    if (typeof jobId !== "string" || jobId.trim() === "") {
        throw new InvalidArgumentError(argument, `must be a job id (a GUID such as Azure gives), got ${JSON.stringify(jobId) ?? String(jobId)}`);
    }
    if (unsafe(jobId)) throw new InvalidArgumentError(argument, `would change the request's path (a job id ${SAFE_NAME_RULE}), got ${JSON.stringify(jobId)}`);
    return jobId;
}
