// Which vault this stack's last deployment protected each VM in. A program cannot read its own
// state, but the engine's built-in invoke that reads any stack's resource outputs (once the
// backing of Pulumi's query mode) reads the stack being deployed as well: its last checkpoint.
import * as pulumi from "@pulumi/pulumi";
import { VaultId, parseVaultId, parseVmId, vaultIdWithin, vmKey } from "../rules/resource-ids";
import { perProgramRun } from "./program-run";
import { promiseOf } from "./unknowns";
import { READ_STACK_RESOURCES, invokePlain } from "./pulumi-internals";

// The read runs only in a preview, and only once the stack is known to have been deployed: a
// vault or policy the program declared before the ProtectedVm asking has an id at preview. A
// stack never deployed has an empty checkpoint, which the engine's read has been seen to
// dereference unguarded; a preview never writes a checkpoint, so what it reads is settled.
const PROTECTED_ITEM = /^azure-native:recoveryservices(\/[^:]+)?:ProtectedItem$/;
const PROTECTED_VM = "azure-vm-backup:index:ProtectedVm";

/** A protected item the last deployment of this stack holds. */
export interface DeployedItem {
    urn: string;
    vmId: string;
    vault: VaultId;
    /** What the ProtectedVm that owns it said removal does, when one does and recorded it. */
    onDelete?: "retain" | "delete";
    /** The URN of the ProtectedVm it belongs to, when it was declared through one. */
    componentUrn?: string;
}

interface StackResource {
    type?: string;
    outputs?: Record<string, any>;
}

/** Secret values nested in an invoke's answer keep their wrapper; only the top level is unwrapped. */
function unwrapSecrets(value: unknown): any {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value === null || typeof value !== "object") return value;
    if (pulumi.runtime.isRpcSecret(value)) return unwrapSecrets(pulumi.runtime.unwrapRpcSecret(value));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

function vaultOf(outputs: Record<string, any>, vmId: string): VaultId | undefined {
    // The item's own id where the provider recorded it, else its policy's, else its inputs.
    for (const id of [outputs.id, outputs.properties?.policyId]) {
        const prefix = typeof id === "string" ? vaultIdWithin(id) : undefined;
        if (prefix) return parseVaultId(prefix);
    }
    const inputs = outputs.__inputs ?? {};
    const subscriptionId = parseVmId(vmId)?.subscriptionId;
    if (typeof inputs.resourceGroupName === "string" && typeof inputs.vaultName === "string" && subscriptionId) {
        return { subscriptionId, resourceGroupName: inputs.resourceGroupName, vaultName: inputs.vaultName };
    }
    return undefined;
}

/** The URN of the component a child of the same name belongs to: the child's type dropped from the chain. */
function parentUrn(urn: string): string {
    return urn.replace(/\$azure-native:recoveryservices[^:$]*:ProtectedItem::/, "::");
}

function itemsOf(resources: Record<string, StackResource>): DeployedItem[] {
    const items: DeployedItem[] = [];
    for (const [urn, r] of Object.entries(resources)) {
        if (!PROTECTED_ITEM.test(r.type ?? "")) continue;
        const outputs = r.outputs ?? {};
        const vmId = outputs.properties?.sourceResourceId ?? outputs.properties?.virtualMachineId ?? outputs.__inputs?.properties?.sourceResourceId;
        if (typeof vmId !== "string") continue;
        const vault = vaultOf(outputs, vmId);
        if (!vault) continue;
        const componentUrn = parentUrn(urn);
        const owner = componentUrn !== urn ? resources[componentUrn] : undefined;
        const onDelete = owner?.type === PROTECTED_VM ? owner.outputs?.onDelete : undefined;
        items.push({
            urn,
            vmId,
            vault,
            ...(onDelete === "retain" || onDelete === "delete" ? { onDelete } : {}),
            ...(owner?.type === PROTECTED_VM ? { componentUrn } : {}),
        });
    }
    return items;
}

/** The stack being deployed, by its full name where the runtime knows its organization. */
function stackName(): string {
    try {
        return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
    } catch {
        // Mock runtimes set up without an organization: the engine resolves a bare name in the current project.
        return pulumi.getStack();
    }
}

async function read(warn: (message: string) => void): Promise<Map<string, DeployedItem[]>> {
    const byVm = new Map<string, DeployedItem[]>();
    let answer: { outputs?: Record<string, StackResource> } | undefined;
    try {
        answer = await invokePlain(READ_STACK_RESOURCES, { stackName: stackName() });
    } catch (err) {
        // The stack is read only once it is known to have been deployed, so a failed read hides
        // something: the moves it would judge go unjudged, which is said, not a reason to fail.
        warn(`could not read this stack's last deployment, so what it protected each VM in is not compared with this program: ${err instanceof Error ? err.message : String(err)}`);
        return byVm;
    }
    for (const item of itemsOf(unwrapSecrets(answer?.outputs ?? {}))) {
        const key = vmKey(item.vmId);
        byVm.set(key, [...(byVm.get(key) ?? []), item]);
    }
    return byVm;
}

/** True as soon as one id is known; false once all have turned out unknown (a preview of resources to be created). */
function anyKnown(ids: readonly pulumi.Output<string>[]): Promise<boolean> {
    return new Promise((resolve) => {
        let left = ids.length;
        if (left === 0) return resolve(false);
        for (const id of ids) {
            promiseOf(id).then(
                (value) => (value !== undefined ? resolve(true) : --left === 0 && resolve(false)),
                () => --left === 0 && resolve(false),
            );
        }
    });
}

// Per program run: the ids of the vaults and policies declared so far, and the one read of the stack.
interface ProgramState {
    managed: pulumi.Output<string>[];
    read?: Promise<Map<string, DeployedItem[]>>;
}
const program = perProgramRun<ProgramState>(() => ({ managed: [] }));

/** Notes the id of a vault or policy the program declares: known at preview only once the stack has deployed it. */
export function noteManagedResource(id: pulumi.Output<string>): void {
    program().managed.push(id);
}

/**
 * The evidence a ProtectedVm has, when it is constructed, that the stack was deployed before:
 * the vaults and policies declared so far, none of which can wait on it.
 */
export function deploymentEvidence(): readonly pulumi.Output<string>[] {
    return [...program().managed];
}

/**
 * The protected items this stack's last deployment holds for a VM, by its resource ID; none outside
 * a preview. A read that fails is told to `warn` of the first caller, once.
 */
export async function deployedItemsFor(vmId: string, evidence: readonly pulumi.Output<string>[], warn: (message: string) => void): Promise<DeployedItem[]> {
    if (!pulumi.runtime.isDryRun() || !(await anyKnown(evidence))) return [];
    const state = program();
    state.read ??= read(warn);
    return (await state.read).get(vmKey(vmId)) ?? [];
}
