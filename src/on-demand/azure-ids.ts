// The vault and VM a request concerns, from the ARM ids the components expose as outputs.
import { parseVaultId, parseVmId, protectionNames } from "../rules/resource-ids";
import { BackupOperationError } from "./backup-operation-error";

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

export function vaultTarget(vaultId: string): VaultTarget {
    const vault = typeof vaultId === "string" ? parseVaultId(vaultId) : undefined;
    if (!vault) {
        throw new BackupOperationError("InvalidArgument", `vaultId: must be a Recovery Services vault resource ID, got ${JSON.stringify(vaultId)}`);
    }
    return vault;
}

export function itemTarget(vaultId: string, vmId: string): ItemTarget {
    const vault = vaultTarget(vaultId);
    const vm = typeof vmId === "string" ? parseVmId(vmId) : undefined;
    if (!vm) throw new BackupOperationError("InvalidArgument", `vmId: must be a virtual machine resource ID, got ${JSON.stringify(vmId)}`);
    if (vm.subscriptionId.toLowerCase() !== vault.subscriptionId.toLowerCase()) {
        throw new BackupOperationError("InvalidArgument", `vmId: must be in the vault's subscription ${vault.subscriptionId}, got ${JSON.stringify(vmId)}`);
    }
    return { ...vault, vmName: vm.vmName, ...protectionNames(vm) };
}
