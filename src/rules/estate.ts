// Rules that span the estate: what the program declares against what Azure (or an inventory of
// it) already holds. How many VMs a policy protects; whether a VM, vault or policy named by id
// exists; and moving a VM to another vault (rules section 3.3: "A VM can be protected in only one
// vault at a time"), where the item in the old vault is replaced delete-before-replace and what
// happens to it, and so whether Azure then protects the VM in the new vault, depends on the
// item's state in Azure, on the old vault's settings and on the onDelete the item was deployed
// with. Pure functions: the facts come from the caller.
import { type Finding, error, finding, warning } from "./finding";
import { show } from "./errors";

/** Learn and the portal cap a policy at 100 VMs (the CLI allows 1000): the safe bound. */
export const MAX_VMS_PER_POLICY = 100;

/** VM number `ordinal` of the program under one policy. */
export function tooManyInProgram(path: string, ordinal: number): Finding | undefined {
    if (ordinal <= MAX_VMS_PER_POLICY) return undefined;
    return error("policy.vms-per-policy", path, `a policy protects at most ${MAX_VMS_PER_POLICY} VMs; spread these VMs over more policies, got VM number ${ordinal}`);
}

/** The items Azure counts for a policy, with the program's VMs new to it up to this one. */
export function tooManyWithAzure(path: string, policy: string, inAzure: number, added: number): Finding | undefined {
    if (inAzure + added <= MAX_VMS_PER_POLICY) return undefined;
    return error(
        "policy.vms-per-policy-in-azure",
        path,
        `a policy protects at most ${MAX_VMS_PER_POLICY} VMs, and policy ${JSON.stringify(policy)} already protects ${inAzure} in Azure; ` +
            `spread these VMs over more policies, got VM number ${inAzure + added} (${added} new to it in this program)`,
    );
}

/** A policy Azure would not let us read: the VMs it protects there are not counted. */
export function policyUncounted(policyName: string, why: string): Finding {
    return warning(
        "policy.vms-per-policy-uncounted",
        "",
        `could not read policy ${JSON.stringify(policyName)} from Azure, so the VMs it already protects there are not counted toward its limit of ${MAX_VMS_PER_POLICY}: ${why}`,
    );
}

/** The finding, with the resource it is about when the id is text. */
const naming = (id: unknown, finding: Finding): Finding => (typeof id === "string" ? { ...finding, resourceId: id } : finding);

/** What a component names by id does not exist in Azure (offline: in the inventory). */
export const MISSING = {
    vm: { rule: "estate.vm-exists", what: "virtual machine" },
    vault: { rule: "estate.vault-exists", what: "Recovery Services vault" },
    policy: { rule: "estate.policy-exists", what: "backup policy" },
} as const;

export function missing(kind: keyof typeof MISSING, path: string, id: unknown): Finding {
    return naming(id, error(MISSING[kind].rule, path, `no ${MISSING[kind].what} exists at this id, got ${show(id)}`));
}

/** Given by id and read from Azure for a fact the checks need (its region), but Azure refused the read. */
export function unreadable(kind: keyof typeof MISSING, path: string, id: unknown, why: string, instead: string): Finding {
    return naming(id, error(MISSING[kind].rule, path, `the ${MISSING[kind].what} could not be read from Azure (${why}), and its region is needed: grant read access to it, or ${instead}, got ${show(id)}`));
}

/** Offline: the VM is protected by another vault in Azure, or still has data there. */
export function protectedElsewhere(vm: string, vault: string, target: string, protectionState: "stopped" | "active"): Finding {
    return protectionState === "stopped"
        ? warning(
              "estate.data-in-other-vault",
              "vm",
              `VM ${JSON.stringify(vm)} still has backup data in vault ${JSON.stringify(vault)} (protection stopped there); Azure may refuse to protect it in another vault until that data is deleted, got vault ${JSON.stringify(target)}`,
          )
        : error(
              "estate.one-vault-per-vm",
              "vm",
              `VM ${JSON.stringify(vm)} is already protected by vault ${JSON.stringify(vault)} in Azure; a VM can be protected in one vault only: stop protection there first, or keep it in that vault, got vault ${JSON.stringify(target)}`,
          );
}

/** Offline: the inventory shows the vault holds items, so its redundancy is fixed. */
export function redundancyHeldItems(vault: string, held: number, current: string, declared: string): Finding | undefined {
    if (held === 0) return undefined;
    return error(
        "estate.redundancy-held-items",
        "storageRedundancy",
        `vault ${JSON.stringify(vault)} holds ${held} backup item${held === 1 ? "" : "s"} in Azure, ` +
            `so its redundancy cannot change from ${current}; keep storageRedundancy ${JSON.stringify(current)}, or use a new vault, got ${JSON.stringify(declared)}`,
    );
}

/** The old vault's item as Azure has it now; "unknown" when it could not be read. */
export type OldItemState = "absent" | "softDeleted" | "stopped" | "suspended" | "active" | "unknown";

export interface VaultMove {
    vm: string;
    from: { resourceGroupName: string; vaultName: string };
    to: string;
    /** The item belongs to this very component (so it is replaced, delete-before-replace), not to another resource of the stack. */
    sameComponent: boolean;
    /** The ProtectedVm that deployed the old item, for messages. */
    owner?: string;
    /** The onDelete the old item was deployed with (Pulumi honours that one), when the deployment recorded it. */
    onDelete?: "retain" | "delete";
    state: OldItemState;
    /** Why the old item could not be read. */
    lookupError?: string;
    /** When Azure purges a soft-deleted item. */
    purgeTime?: string;
    /** The old vault's settings, when it could be read. */
    oldVault?: { softDeleteState?: string; softDeleteDays?: number; immutability?: string };
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

const q = JSON.stringify;

/** An immutable vault keeps backup data until it expires: Azure refuses to delete it sooner. */
const immutable = (m: VaultMove) => ["unlocked", "locked"].includes(m.oldVault?.immutability?.toLowerCase() ?? "");

/** What deleting the old item's backup data leaves of its recovery points. */
function afterDeletion(m: VaultMove): string {
    if (m.oldVault?.softDeleteState?.toLowerCase() === "disabled") return `soft delete is off in ${q(m.from.vaultName)}, so its recovery points are deleted for good`;
    const days = m.oldVault?.softDeleteDays;
    return `its recovery points stay in ${q(m.from.vaultName)} under that vault's soft-delete retention${days ? ` (${days} days)` : ""}`;
}

/** How to free the VM by hand, without deleting what an immutable vault must keep. */
function howToFree(m: VaultMove): string {
    const disable = (deleteData: boolean) =>
        `az backup protection disable --resource-group ${m.from.resourceGroupName} --vault-name ${m.from.vaultName} ` +
        `--container-name "${m.item.containerName}" --item-name "${m.item.protectedItemName}" --delete-backup-data ${deleteData} --yes`;
    if (immutable(m)) {
        return (
            `Vault ${q(m.from.vaultName)} is immutable, so its backup data cannot be deleted before it expires: keep the VM in ${q(m.from.vaultName)}, ` +
            `or stop protection there keeping the data (${disable(false)}), though Azure may still refuse the new vault while that data is kept`
        );
    }
    return `Stop protection in ${q(m.from.vaultName)} first (${disable(true)}; then ${afterDeletion(m)}), or keep the VM in ${q(m.from.vaultName)}`;
}

/** What moving the VM does to the item in the old vault, and whether Azure will let it happen. */
export function vaultMove(path: string, m: VaultMove): Finding {
    const says = (severity: Finding["severity"], message: string) => finding("estate.vault-move", severity, path, message);
    const moves = `VM ${q(m.vm)} moves from vault ${q(m.from.vaultName)} to vault ${q(m.to)}`;
    const got = `got vault ${q(m.to)}`;
    const from = q(m.from.vaultName);

    switch (m.state) {
        case "unknown":
            return says("warning", `${moves}; its item in ${from} could not be read (${m.lookupError ?? "no answer"}), so this preview cannot tell whether Azure will protect it in ${q(m.to)} while that item exists, ${got}`);
        case "absent":
            return says("warning", `${moves}; its item in ${from} is no longer in Azure, so no recovery points stay behind there, ${got}`);
        case "softDeleted":
            return says("warning", `${moves}; its item in ${from} is soft-deleted, and its recovery points stay there under that vault's soft-delete retention${m.purgeTime ? `, until ${m.purgeTime}` : ""}, ${got}`);
    }

    if (m.sameComponent && m.onDelete === "delete") {
        if (immutable(m)) {
            return says(
                "error",
                `${moves}, replacing its item delete-before-replace with onDelete "delete", but vault ${from} is immutable and Azure refuses to delete backup data there before it expires. ` +
                    `Keep the VM in ${from}, ${got}`,
            );
        }
        return says(
            "warning",
            `${moves}; a VM is protected in one vault only, so its item is replaced delete-before-replace, and with onDelete "delete" that stops protection in ` +
                `${from} and deletes the backup data: ${afterDeletion(m)}, ${got}`,
        );
    }
    if (m.state === "stopped" || m.state === "suspended") {
        const kept = m.state === "stopped" ? "until you delete them" : "until its policy lets them expire";
        return says(
            "warning",
            `${moves}; protection of its item in ${from} is stopped with the data retained, so its recovery points stay there ${kept}; ` +
                `but a VM is protected in one vault only, and Azure may refuse to protect it in ${q(m.to)} until that data is deleted, ${got}`,
        );
    }
    if (m.sameComponent && m.onDelete === undefined) {
        return says(
            "warning",
            `${moves}, replacing its item delete-before-replace; the deployment that protected it there did not record its onDelete, so this preview cannot tell what becomes of it: ` +
                `with "delete" protection in ${from} stops and ${afterDeletion(m)}, with "retain" (the default) the item stays protected there and Azure refuses the new vault. ` +
                `${howToFree(m)}, ${got}`,
        );
    }
    const kept = m.sameComponent
        ? `with onDelete "retain" the replacement leaves that item in place`
        : `that item belongs to ${m.owner ? `ProtectedVm ${q(m.owner)}` : "another resource"} of this stack, which Pulumi ` +
          (m.onDelete === "delete" ? "deletes only after protecting the VM anew" : "leaves in place when it goes");
    return says("error", `VM ${q(m.vm)} is protected in vault ${from} by this stack, and a VM is protected in one vault only: ${kept}, so Azure would refuse to protect it in ${q(m.to)}. ${howToFree(m)}, ${got}`);
}

/**
 * The VM's item in the same vault, deployed by another resource of this stack (a ProtectedVm
 * since renamed, or a plain azure-native ProtectedItem): this ProtectedVm takes the item over,
 * and Pulumi then removes the other resource, which deletes the item unless it was kept.
 */
export function itemTakenOver(path: string, m: { vm: string; vault: string; urn: string; owner?: string; onDelete?: "retain" | "delete" }): Finding | undefined {
    const says = (severity: Finding["severity"], message: string) => finding("estate.item-take-over", severity, path, message);
    const got = `got vault ${q(m.vault)}`;
    const forget = `pulumi state delete '${m.urn}'`;
    if (m.owner !== undefined) {
        if (m.onDelete === "retain") return undefined;
        const by = `ProtectedVm ${q(m.owner)} of this stack's last deployment`;
        const fix = `If you renamed it, give this ProtectedVm aliases: [{ name: ${q(m.owner)} }]; otherwise let Pulumi forget the old one first (${forget})`;
        if (m.onDelete === "delete") {
            return says(
                "error",
                `VM ${q(m.vm)} is protected in vault ${q(m.vault)} by ${by}, deployed with onDelete "delete": once this ProtectedVm takes the same item over, ` +
                    `Pulumi removes that one and so stops protection and deletes the VM's recovery points. ${fix}, ${got}`,
            );
        }
        return says(
            "warning",
            `VM ${q(m.vm)} is protected in vault ${q(m.vault)} by ${by}, which did not record its onDelete: if it was "delete", removing it after this ProtectedVm takes the same item over ` +
                `stops protection and deletes the VM's recovery points. ${fix}, ${got}`,
        );
    }
    return says(
        "warning",
        `VM ${q(m.vm)} is protected in vault ${q(m.vault)} by this stack's resource ${m.urn}; once this ProtectedVm takes the same item over, removing that resource ` +
            `deletes the item and the VM's recovery points unless it has retainOnDelete. Let Pulumi forget it first (${forget}), ${got}`,
    );
}
