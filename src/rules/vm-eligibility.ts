// Whether a VM may be protected in a vault under a policy (rules sections 3.1 and 3.3). Pure
// functions: each returns the finding when its rule is broken, or undefined. `path` is the
// argument as the caller's user names it (`vm` in TypeScript, `vmId` or `policyId` elsewhere).
import { type Finding, error, warning } from "./finding";
import { regionKey } from "./regions";
import { VM_ID_RULE, isClassicVmId, parseVmId } from "./resource-ids";
import { show } from "./errors";
import type { POLICY_TYPES } from "./policy-schema";

type PolicyType = (typeof POLICY_TYPES)[number];

const ENHANCED_ONLY_DISKS: Record<string, string> = {
    ultrassd_lrs: "Ultra",
    premiumv2_lrs: "Premium SSD v2",
};


/** A VM is named by its Resource Manager id; classic VMs can no longer be backed up. */
export function badVmId(path: string, id: unknown): Finding | undefined {
    if (typeof id !== "string") return error("vm.id", path, `must be the VM's resource ID, got ${show(id)}`);
    if (isClassicVmId(id)) return error("vm.id", path, `classic (Microsoft.ClassicCompute) VMs can no longer be backed up; migrate the VM to Azure Resource Manager, got ${show(id)}`);
    if (!parseVmId(id)) return error("vm.id", path, `${VM_ID_RULE}, got ${show(id)}`);
    return undefined;
}

/** A VM is declared once: a second ProtectedVm for it (`earlier` is the first). */
export function alreadyProtected(path: string, earlier: string | undefined, vm: string): Finding | undefined {
    if (earlier === undefined) return undefined;
    return error(
        "vm.protected-once",
        path,
        `VM ${JSON.stringify(vm)} is already protected by ProtectedVm ${JSON.stringify(earlier)}; a VM can be protected in one vault only, so declare it once, got a second ProtectedVm for it`,
    );
}

/** Whether an item's policy id names the policy (the item being in that policy's vault). */
export function protectedBy(policyId: string | undefined, policyName: string): boolean {
    return /\/backupPolicies\/([^/]+)$/i.exec(policyId ?? "")?.[1]?.toLowerCase() === policyName.toLowerCase();
}

/** VM and vault must be in the same region. */
export function regionMismatch(path: string, vm: string, vmLocation: string, vault: string, vaultLocation: string): Finding | undefined {
    const a = regionKey(vmLocation);
    const b = regionKey(vaultLocation);
    if (a === b) return undefined;
    return error(
        "vm.region",
        path,
        `VM ${JSON.stringify(vm)} is in ${a} but vault ${JSON.stringify(vault)} is in ${b}; a vault protects only VMs of its own region, so use a vault in ${a}, got VM region ${a}`,
    );
}

/** VM and vault must be in the same subscription. */
export function subscriptionMismatch(path: string, vm: string, vmSubscription: string, vault: string, vaultSubscription: string): Finding | undefined {
    if (vmSubscription.toLowerCase() === vaultSubscription.toLowerCase()) return undefined;
    return error(
        "vm.subscription",
        path,
        `VM ${JSON.stringify(vm)} is in subscription ${vmSubscription} but vault ${JSON.stringify(vault)} is in subscription ${vaultSubscription}; Azure Backup does not protect VMs across subscriptions, got subscription ${vmSubscription}`,
    );
}

/** Confidential VMs cannot be backed up at all. */
export function unsupportedVm(path: string, vm: string, securityType: string | undefined): Finding | undefined {
    if (securityType?.toLowerCase() !== "confidentialvm") return undefined;
    return error("vm.confidential", path, `VM ${JSON.stringify(vm)} is a confidential VM, which Azure Backup does not support, got securityType "ConfidentialVM"`);
}

/** Trusted Launch VMs and VMs with Ultra or Premium SSD v2 disks need an Enhanced policy. */
export function needsEnhancedPolicy(path: string, vm: string, securityType: string | undefined, diskTypes: readonly string[], policyType: PolicyType): Finding | undefined {
    if (policyType === "Enhanced") return undefined;
    const why: string[] = [];
    if (securityType?.toLowerCase() === "trustedlaunch") why.push("is a Trusted Launch VM");
    const disks = [...new Set(diskTypes.map((d) => ENHANCED_ONLY_DISKS[d.toLowerCase()]).filter((d) => d !== undefined))];
    if (disks.length > 0) why.push(`has ${disks.join(" and ")} disks`);
    if (why.length === 0) return undefined;
    return error(
        "vm.enhanced-policy",
        path,
        `VM ${JSON.stringify(vm)} ${why.join(" and ")}, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"`,
    );
}

/** Windows VMs need the VM agent for application-consistent backup. */
export function missingAgent(path: string, vm: string, provisionVmAgent: boolean | undefined): Finding | undefined {
    if (provisionVmAgent !== false) return undefined;
    return warning(
        "vm.agent",
        path,
        `VM ${JSON.stringify(vm)} was created without the VM agent, which Azure Backup needs to back it up: install the agent on the VM, got provisionVMAgent false`,
    );
}

/** A VM whose item is soft-deleted in a vault cannot be protected there again until undeleted. */
export function softDeletedHere(path: string, vm: string, vault: string, item: { softDeleted: boolean; deleteTime?: string } | undefined): Finding | undefined {
    if (!item?.softDeleted) return undefined;
    return error(
        "vm.soft-deleted",
        path,
        `VM ${JSON.stringify(vm)} has a soft-deleted backup item in vault ${JSON.stringify(vault)}${item.deleteTime ? ` (purged after ${item.deleteTime})` : ""}, ` +
            `and Azure does not protect it again in the same vault until that item is undeleted; undelete it (az backup protection undelete) and this protects it again, ` +
            `or protect it in another vault, got vault ${JSON.stringify(vault)}`,
    );
}

/** A VM Azure would not let us read: its stated location stands in, the other checks are skipped. */
export function vmUnread(path: string, vmName: string, stated: string | undefined, why: string): Finding {
    return warning(
        "vm.unread",
        path,
        `could not read VM ${JSON.stringify(vmName)} from Azure, so ${stated ? `its stated location ${JSON.stringify(stated)} is used and ` : ""}the checks of its security type, disks and agent were skipped: ${why}`,
    );
}
