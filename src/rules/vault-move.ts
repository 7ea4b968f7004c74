// Moving a VM to another vault (rules section 3.3: "A VM can be protected in only one vault at
// a time"). The item in the old vault is replaced delete-before-replace; what happens to it, and
// so whether Azure then protects the VM in the new vault, depends on the item's state in Azure
// and on the onDelete it was deployed with. A pure function: the facts come from the caller.

/** The old vault's item as Azure has it now. */
export type OldItemState = "absent" | "softDeleted" | "stopped" | "suspended" | "active";

export interface VaultMove {
    vm: string;
    from: { resourceGroupName: string; vaultName: string };
    to: string;
    /** The item belongs to this very component (so it is replaced, delete-before-replace), not to another resource of the stack. */
    sameComponent: boolean;
    /** The ProtectedVm that deployed the old item, for messages. */
    owner?: string;
    /** The onDelete the old item was deployed with; Pulumi honours that one when it replaces it. */
    onDelete?: "retain" | "delete";
    state: OldItemState;
    /** When Azure purges a soft-deleted item. */
    purgeTime?: string;
    /** The old vault's soft delete: its state and how many days it keeps deleted data. */
    softDelete?: { state?: string; days?: number };
    item: { containerName: string; protectedItemName: string };
}

/** Two vaults of one subscription are the same when their group and name are, in any casing. */
export function sameVault(a: { resourceGroupName: string; vaultName: string }, b: { resourceGroupName: string; vaultName: string }): boolean {
    return a.resourceGroupName.toLowerCase() === b.resourceGroupName.toLowerCase() && a.vaultName.toLowerCase() === b.vaultName.toLowerCase();
}

/** An item's state from what a look-up found: nothing, a soft-deleted item, or its protectionState. */
export function oldItemState(item: { softDeleted: boolean; protectionState?: string } | undefined): OldItemState {
    if (item === undefined) return "absent";
    if (item.softDeleted) return "softDeleted";
    const state = item.protectionState?.toLowerCase();
    if (state === "protectionstopped") return "stopped";
    if (state === "backupssuspended") return "suspended";
    return "active";
}

export interface Finding {
    severity: "error" | "warning";
    reason: string;
}

const q = JSON.stringify;

function softDeleteRetention(m: VaultMove): string {
    if (m.softDelete?.state?.toLowerCase() === "disabled") return `soft delete is off in ${q(m.from.vaultName)}, so they are deleted for good`;
    const days = m.softDelete?.days;
    return `they stay in ${q(m.from.vaultName)} under that vault's soft-delete retention${days ? ` (${days} days)` : ""}`;
}

/** What moving the VM does to the item in the old vault, and whether Azure will let it happen. */
export function vaultMove(m: VaultMove): Finding {
    const moves = `VM ${q(m.vm)} moves from vault ${q(m.from.vaultName)} to vault ${q(m.to)}`;
    const got = `got vault ${q(m.to)}`;
    const replacementDeletes = m.sameComponent && m.onDelete === "delete";

    if (m.state === "absent") {
        return { severity: "warning", reason: `${moves}; its item in ${q(m.from.vaultName)} is no longer in Azure, so no recovery points stay behind there, ${got}` };
    }
    if (m.state === "softDeleted") {
        return {
            severity: "warning",
            reason: `${moves}; its item in ${q(m.from.vaultName)} is soft-deleted, and its recovery points stay there under that vault's soft-delete retention${m.purgeTime ? `, until ${m.purgeTime}` : ""}, ${got}`,
        };
    }
    if (replacementDeletes) {
        return {
            severity: "warning",
            reason:
                `${moves}; a VM is protected in one vault only, so its item is replaced delete-before-replace, and with onDelete "delete" that stops protection in ` +
                `${q(m.from.vaultName)} and deletes the backup data: ${softDeleteRetention(m)}, ${got}`,
        };
    }
    if (m.state === "stopped" || m.state === "suspended") {
        const kept = m.state === "stopped" ? "until you delete them" : "until its policy lets them expire";
        return {
            severity: "warning",
            reason:
                `${moves}; protection of its item in ${q(m.from.vaultName)} is stopped with the data retained, so its recovery points stay there ${kept}; ` +
                `but a VM is protected in one vault only, and Azure may refuse to protect it in ${q(m.to)} until that data is deleted, ${got}`,
        };
    }
    const kept = m.sameComponent
        ? `with onDelete "retain" the replacement leaves that item in place`
        : `that item belongs to ${m.owner ? `ProtectedVm ${q(m.owner)}` : "another resource"} of this stack, which Pulumi removes only after protecting the VM anew`;
    const disable =
        `az backup protection disable --resource-group ${m.from.resourceGroupName} --vault-name ${m.from.vaultName} ` +
        `--container-name "${m.item.containerName}" --item-name "${m.item.protectedItemName}" --delete-backup-data true`;
    return {
        severity: "error",
        reason:
            `VM ${q(m.vm)} is protected in vault ${q(m.from.vaultName)} by this stack, and a VM is protected in one vault only: ${kept}, so Azure would refuse to protect it in ${q(m.to)}. ` +
            `Stop protection in ${q(m.from.vaultName)} first (${disable}; its recovery points then stay there under that vault's soft-delete retention), ` +
            `or keep the VM in ${q(m.from.vaultName)}, ${got}`,
    };
}
