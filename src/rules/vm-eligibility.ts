// Whether a VM may be protected in a vault under a policy (rules section 3.3). Pure
// functions: each returns the reason a rule is broken, or undefined.
import { normalizeRegion } from "./regions";
import type { POLICY_TYPES } from "./policy-schema";

type PolicyType = (typeof POLICY_TYPES)[number];

const ENHANCED_ONLY_DISKS: Record<string, string> = {
    ultrassd_lrs: "Ultra Disk",
    premiumv2_lrs: "Premium SSD v2",
};

function region(location: string): string {
    return normalizeRegion(location) ?? location.replace(/\s+/g, "").toLowerCase();
}

/** Learn and the portal cap a policy at 100 VMs (the CLI allows 1000): the safe bound. */
export const MAX_VMS_PER_POLICY = 100;

/** VM number `ordinal` of the program under one policy. */
export function tooManyInProgram(ordinal: number): string | undefined {
    if (ordinal <= MAX_VMS_PER_POLICY) return undefined;
    return `a policy protects at most ${MAX_VMS_PER_POLICY} VMs; spread these VMs over more policies, got VM number ${ordinal}`;
}

/** The items Azure counts for a policy, with the program's VMs new to it up to this one. */
export function tooManyWithAzure(policy: string, inAzure: number, added: number): string | undefined {
    if (inAzure + added <= MAX_VMS_PER_POLICY) return undefined;
    return (
        `a policy protects at most ${MAX_VMS_PER_POLICY} VMs, and policy ${JSON.stringify(policy)} already protects ${inAzure} in Azure; ` +
        `spread these VMs over more policies, got VM number ${inAzure + added} (${added} new to it in this program)`
    );
}

/** Whether an item's policy id names the policy (the item being in that policy's vault). */
export function protectedBy(policyId: string | undefined, policyName: string): boolean {
    return /\/backupPolicies\/([^/]+)$/i.exec(policyId ?? "")?.[1]?.toLowerCase() === policyName.toLowerCase();
}

/** VM and vault must be in the same region. */
export function regionMismatch(vm: string, vmLocation: string, vault: string, vaultLocation: string): string | undefined {
    const a = region(vmLocation);
    const b = region(vaultLocation);
    if (a === b) return undefined;
    return `VM ${JSON.stringify(vm)} is in ${a} but vault ${JSON.stringify(vault)} is in ${b}; a vault protects only VMs of its own region, so use a vault in ${a}, got VM region ${a}`;
}

/** VM and vault must be in the same subscription. */
export function subscriptionMismatch(vm: string, vmSubscription: string, vault: string, vaultSubscription: string): string | undefined {
    if (vmSubscription.toLowerCase() === vaultSubscription.toLowerCase()) return undefined;
    return `VM ${JSON.stringify(vm)} is in subscription ${vmSubscription} but vault ${JSON.stringify(vault)} is in subscription ${vaultSubscription}; Azure Backup does not protect VMs across subscriptions, got subscription ${vmSubscription}`;
}

/** Confidential VMs cannot be backed up at all. */
export function unsupportedVm(vm: string, securityType: string | undefined): string | undefined {
    if (securityType?.toLowerCase() !== "confidentialvm") return undefined;
    return `VM ${JSON.stringify(vm)} is a confidential VM, which Azure Backup does not support, got securityType "ConfidentialVM"`;
}

/** Trusted Launch VMs and VMs with Ultra or Premium SSD v2 disks need an Enhanced policy. */
export function needsEnhancedPolicy(vm: string, securityType: string | undefined, diskTypes: readonly string[], policyType: PolicyType): string | undefined {
    if (policyType === "Enhanced") return undefined;
    const why: string[] = [];
    if (securityType?.toLowerCase() === "trustedlaunch") why.push("is a Trusted Launch VM");
    const disks = [...new Set(diskTypes.map((d) => ENHANCED_ONLY_DISKS[d.toLowerCase()]).filter((d) => d !== undefined))];
    if (disks.length > 0) why.push(`has ${disks.join(" and ")} disks`);
    if (why.length === 0) return undefined;
    return `VM ${JSON.stringify(vm)} ${why.join(" and ")}, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"`;
}

/** Whether a declaration changes the redundancy of a vault that exists. */
export function changesRedundancy(current: string | undefined, declared: string | undefined): current is string {
    return !!current && !!declared && current.toLowerCase() !== declared.toLowerCase() && current !== "Invalid";
}

/** A vault's redundancy is fixed once it holds backup items. */
export function redundancyChange(vault: string, current: string | undefined, declared: string | undefined): string | undefined {
    if (!changesRedundancy(current, declared)) return undefined;
    return (
        `vault ${JSON.stringify(vault)} already exists with ${current} storage, and its redundancy cannot change once it holds backup items; ` +
        `keep storageRedundancy ${JSON.stringify(current)}, or protect these VMs in a new vault (or stop protection of every item in it first), got storageRedundancy ${JSON.stringify(declared)}`
    );
}

/** The warning when it cannot be told whether the vault holds backup items. */
export function redundancyChangeUnjudged(vault: string, current: string, declared: string, why: string): string {
    return (
        `vault ${JSON.stringify(vault)} already exists with ${current} storage, and whether it holds backup items (which would fix its redundancy) could not be told: ${why}; ` +
        `if it holds any, Azure refuses the change: keep storageRedundancy ${JSON.stringify(current)} then, got storageRedundancy ${JSON.stringify(declared)}`
    );
}

/** Windows VMs need the VM agent for application-consistent backup. */
export function missingAgent(vm: string, provisionVmAgent: boolean | undefined): string | undefined {
    if (provisionVmAgent !== false) return undefined;
    return `VM ${JSON.stringify(vm)} was created without the VM agent, which Azure Backup needs to back it up: install the agent on the VM, got provisionVMAgent false`;
}
