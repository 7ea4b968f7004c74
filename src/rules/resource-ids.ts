// Parsing of the ARM ids the components accept. Resource Manager treats the fixed segments
// case-insensitively (and itself returns "/Subscriptions/..." at times), so we do too; the
// names inside are kept verbatim because container and item names are built from them.

export interface VmId {
    subscriptionId: string;
    resourceGroupName: string;
    vmName: string;
}

export interface VaultId {
    subscriptionId: string;
    resourceGroupName: string;
    vaultName: string;
}

export interface PolicyId extends VaultId {
    policyName: string;
}

const SEG = "([^/]+)";
const VM_ID = new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/providers/Microsoft\\.Compute/virtualMachines/${SEG}/?$`, "i");
const CLASSIC_VM_ID = /\/providers\/Microsoft\.ClassicCompute\/virtualMachines\//i;
const VAULT_ID = new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/providers/Microsoft\\.RecoveryServices/vaults/${SEG}/?$`, "i");
const POLICY_ID = new RegExp(
    `^/subscriptions/${SEG}/resourceGroups/${SEG}/providers/Microsoft\\.RecoveryServices/vaults/${SEG}/backupPolicies/${SEG}/?$`,
    "i",
);

export const VM_ID_RULE = "must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}";
export const VAULT_ID_RULE = "must be a Recovery Services vault resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{name}";
export const POLICY_ID_RULE =
    "must be a backup policy resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{vault}/backupPolicies/{name}";

export function parseVmId(id: string): VmId | undefined {
    const m = VM_ID.exec(id);
    return m ? { subscriptionId: m[1], resourceGroupName: m[2], vmName: m[3] } : undefined;
}

/** Classic (ASM) VMs: their backup is retired, so they get their own message. */
export function isClassicVmId(id: string): boolean {
    return CLASSIC_VM_ID.test(id);
}

export function parseVaultId(id: string): VaultId | undefined {
    const m = VAULT_ID.exec(id);
    return m ? { subscriptionId: m[1], resourceGroupName: m[2], vaultName: m[3] } : undefined;
}

export function parsePolicyId(id: string): PolicyId | undefined {
    const m = POLICY_ID.exec(id);
    return m ? { subscriptionId: m[1], resourceGroupName: m[2], vaultName: m[3], policyName: m[4] } : undefined;
}

export function vaultIdOf(p: VaultId): string {
    return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/${p.vaultName}`;
}

/** The id of the vault that a resource of a vault (an item, a policy, a job) lies in. */
export function vaultIdWithin(id: string): string | undefined {
    return /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.RecoveryServices\/vaults\/[^/]+)/i.exec(id)?.[1];
}

/** The last segment of a resource id, its name; trailing slashes aside. */
export function nameOf(id: string): string {
    return id.replace(/\/+$/, "").split("/").pop() ?? id;
}

/** The subscription of any resource id, lower case; undefined for an id that does not start with one. */
export function subscriptionOf(id: string | undefined): string | undefined {
    return /^\/subscriptions\/([^/]+)/i.exec(id ?? "")?.[1]?.toLowerCase();
}

/** The key under which one VM is known, whatever casing its id was written in. */
export function vmKey(id: string): string {
    return id.replace(/\/+$/, "").toLowerCase();
}

/**
 * Container and item names Azure Backup gives an Azure VM (rules section 3.1). Azure reads them
 * without regard to case but Pulumi does not: lower case always, so that an id written in
 * another casing never renames, and so replaces, the protected item.
 */
export function protectionNames(vm: { resourceGroupName: string; vmName: string }): { containerName: string; protectedItemName: string } {
    const name = `iaasvmcontainerv2;${vm.resourceGroupName};${vm.vmName}`.toLowerCase();
    return { containerName: `iaasvmcontainer;${name}`, protectedItemName: `vm;${name}` };
}
