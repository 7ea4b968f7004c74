// Which VMs a VmBackupSelection protects, under which policy, and why it leaves any out. Pure
// functions over what the look-ups found; the component does the looking up.
import { type Finding, error, warning } from "./finding";
import { regionKey } from "./regions";
import { subscriptionOf, vmKey } from "./resource-ids";

/** Why a VM that matches a selection is not protected by it. */
export const SkipReason = {
    /** `exclude` names it, by id or by tag. */
    Excluded: "Excluded",
    /** No policy is given for the VM's region (`policies`), or the one policy's vault is in another region. */
    NoPolicyForRegion: "NoPolicyForRegion",
    /** The VM is in another subscription than its policy's vault: Azure Backup does not protect across subscriptions. */
    OtherSubscription: "OtherSubscription",
    /** A confidential VM, which Azure Backup does not support. */
    ConfidentialVm: "ConfidentialVm",
    /** A Trusted Launch VM, or one with Premium SSD v2 or Ultra disks, under a Standard policy. */
    NeedsEnhancedPolicy: "NeedsEnhancedPolicy",
    /** A Windows VM created without the VM agent, which Azure Backup needs. */
    NoVmAgent: "NoVmAgent",
    /** Azure already protects the VM in another vault: a VM is protected in one vault at a time. */
    ProtectedInAnotherVault: "ProtectedInAnotherVault",
    /** The VM's backup item in the policy's vault is soft-deleted: Azure does not protect it there again until it is undeleted. */
    SoftDeletedInVault: "SoftDeletedInVault",
    /** Another ProtectedVm or VmBackupSelection of the program protects it. */
    DeclaredElsewhere: "DeclaredElsewhere",
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** Azure Backup's support matrix: at most 1,000 Azure VMs in one Recovery Services vault. */
export const VMS_PER_VAULT = 1000;
/** Azure Backup's support matrix: at most 250 VMs registered (newly protected) in one vault per day. */
export const REGISTRATIONS_PER_VAULT_PER_DAY = 250;

/** A VM as the list look-up returns it. */
export interface ListedVm {
    id: string;
    name: string;
    resourceGroupName: string;
    location: string;
    tags: Record<string, string>;
}

/** What a selection asks for, with every tag value as a list. */
export interface Criteria {
    tags?: Record<string, string[]>;
    resourceGroups?: string[];
    subscriptions?: string[];
    names?: string[];
}

export interface Exclusion {
    vmIds?: string[];
    tags?: Record<string, string[]>;
}

const lower = (s: string) => s.toLowerCase();

/** The value of a tag, its name read without regard to case as Azure reads tag names. */
function tagValue(tags: Record<string, string>, key: string): string | undefined {
    const found = Object.keys(tags).find((k) => lower(k) === lower(key));
    return found === undefined ? undefined : tags[found];
}

/** Every tag given must be on the VM with one of its listed values (values compared exactly, as Azure does). */
export function tagsMatch(wanted: Record<string, string[]>, tags: Record<string, string>): boolean {
    return Object.entries(wanted).every(([key, values]) => {
        const v = tagValue(tags, key);
        return v !== undefined && values.includes(v);
    });
}

/** A VM name pattern: `*` any run of characters, `?` one; case-insensitive, as Azure names are. */
export function namePattern(pattern: string): RegExp {
    const body = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
    return new RegExp(`^${body}$`, "i");
}

/** Whether a listed VM meets every criterion given. */
export function selected(vm: ListedVm, c: Criteria): boolean {
    if (c.tags && !tagsMatch(c.tags, vm.tags)) return false;
    if (c.resourceGroups && !c.resourceGroups.some((g) => lower(g) === lower(vm.resourceGroupName))) return false;
    if (c.subscriptions && !c.subscriptions.some((s) => lower(s) === subscriptionOf(vm.id))) return false;
    if (c.names && !c.names.some((p) => namePattern(p).test(vm.name))) return false;
    return true;
}

/** Why `exclude` leaves the VM out, or undefined when it does not. */
export function excludedBecause(vm: ListedVm, x: Exclusion | undefined): string | undefined {
    if (x?.vmIds?.some((id) => vmKey(id) === vmKey(vm.id))) return "its id is listed in exclude.vmIds";
    for (const [key, values] of Object.entries(x?.tags ?? {})) {
        const v = tagValue(vm.tags, key);
        if (v !== undefined && values.includes(v)) return `its tag ${JSON.stringify(key)} is ${JSON.stringify(v)} (exclude.tags)`;
    }
    return undefined;
}

/**
 * The logical name of the ProtectedVm a selection declares for a VM: from the VM's group and name
 * only, lower case (Azure returns a group's name in varying case), so that a VM joining or leaving
 * the selection renames nothing else. `subscription` is added only when two selected VMs of other
 * subscriptions would share a name.
 */
export function childName(selection: string, vm: { resourceGroupName: string; vmName: string; subscriptionId: string }, clash: boolean): string {
    const base = `${selection}-${vm.resourceGroupName}-${vm.vmName}`.toLowerCase();
    return clash ? `${base}-${vm.subscriptionId.toLowerCase()}` : base;
}

/** A VM to place on one of a policy's copies. */
export interface Placeable {
    key: string;
    /** The copy (0 for the policy itself, 1 for `-2`, ...) Azure protects it under now, if one of them. */
    current?: number;
}

/**
 * Spreads VMs over a policy and its numbered copies, each holding at most `room[k]` more of them.
 * A VM stays on the copy that protects it now while there is room; the rest fill the copies in
 * order of their key, so the same fleet always lands the same way. Returns the copy of each VM
 * (more copies than `room` lists when needed, each with room for `perPolicy`).
 */
export function placeOnCopies(vms: readonly Placeable[], room: readonly number[], perPolicy: number): Map<string, number> {
    const left = [...room];
    const roomOf = (k: number) => (left[k] ??= perPolicy);
    const placed = new Map<string, number>();
    // Keys are VM ids, each once: no two compare equal.
    const sorted = [...vms].sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const vm of sorted) {
        if (vm.current !== undefined && roomOf(vm.current) > 0) {
            placed.set(vm.key, vm.current);
            left[vm.current]--;
        }
    }
    let k = 0;
    for (const vm of sorted) {
        if (placed.has(vm.key)) continue;
        while (roomOf(k) <= 0) k++;
        placed.set(vm.key, k);
        left[k]--;
    }
    return placed;
}

/** The name of copy `k` of a policy (0 is the policy itself). */
export function copyName(name: string, k: number): string {
    return k === 0 ? name : `${name}-${k + 1}`;
}

/** A vault by name, or one named by an id known only at update. */
const vaultNamed = (vault: string | undefined) => (vault === undefined ? "the policy's vault (named at update)" : `vault ${JSON.stringify(vault)}`);

/** A vault holds at most 1,000 Azure VMs. */
export function tooManyInVault(path: string, vault: string | undefined, count: number): Finding | undefined {
    if (count <= VMS_PER_VAULT) return undefined;
    return error(
        "selection.vms-per-vault",
        path,
        `${vaultNamed(vault)} would protect ${count} VMs (those Azure counts under the selection's policies and the ones it adds), ` +
            `and Azure Backup protects at most ${VMS_PER_VAULT} VMs in one vault; select fewer VMs or route some to another vault, got ${count} VMs`,
    );
}

/** Azure registers at most 250 VMs in a vault per day: more in one deployment will partly fail. */
export function tooManyRegistrations(path: string, vault: string | undefined, count: number): Finding | undefined {
    if (count <= REGISTRATIONS_PER_VAULT_PER_DAY) return undefined;
    return warning(
        "selection.registrations-per-day",
        path,
        `this deployment would newly protect ${count} VMs in ${vaultNamed(vault)}, and Azure Backup registers at most ` +
            `${REGISTRATIONS_PER_VAULT_PER_DAY} VMs in one vault per day: expect the rest to fail until the next day, or narrow the selection and widen it day by day, got ${count} new VMs`,
    );
}

/** A policy the program does not declare cannot be copied: its VMs must fit. */
export function policyFull(path: string, policy: string, room: number, needed: number): Finding | undefined {
    if (needed <= room) return undefined;
    return error(
        "selection.policy-full",
        path,
        `policy ${JSON.stringify(policy)} has room for ${Math.max(room, 0)} more VMs (Azure Backup protects at most 100 under one policy) but the selection puts ${needed} under it; ` +
            `the selection spreads VMs over numbered copies only of a VmBackupPolicy the program declares: declare it, or narrow the selection, got ${needed} VMs`,
    );
}

/** The classic provider lists VMs in its own subscription only. */
export function subscriptionsUnlisted(path: string, listed: string, asked: readonly string[]): Finding | undefined {
    const others = asked.filter((s) => lower(s) !== lower(listed));
    if (others.length === 0) return undefined;
    return error(
        "selection.subscriptions",
        path,
        `the VMs are listed through the classic azure provider, which sees its own subscription ${listed} only, so VMs in ${others.join(", ")} would be missed; ` +
            `declare one VmBackupSelection per subscription, each with an azure.Provider for it (opts.providers), got ${JSON.stringify(asked)}`,
    );
}

/** A policy routed for a region must live in a vault of that region. */
export function policyRegion(path: string, region: string, vault: string, vaultLocation: string): Finding | undefined {
    if (regionKey(region) === regionKey(vaultLocation)) return undefined;
    return error(
        "selection.policy-region",
        path,
        `the policy for ${regionKey(region)} is in vault ${JSON.stringify(vault)}, which is in ${regionKey(vaultLocation)}, and a vault protects only VMs of its own region; ` +
            `give a policy of a vault in ${regionKey(region)}, got a vault in ${regionKey(vaultLocation)}`,
    );
}

/** The warning for a VM the selection matches but leaves out. */
export function skipped(vm: { resourceGroupName: string; name: string }, reason: SkipReason, why: string): Finding {
    return warning("selection.skipped", "", `skipped VM ${JSON.stringify(`${vm.resourceGroupName}/${vm.name}`)} (${reason}): ${why}`);
}
