// Azure Backup's rules for a VM backup policy beyond its fields (those are in policy-schema.ts):
// what a time zone does to the schedule, and what an existing policy named by id must be.
import { type Finding, error, warning } from "./finding";
import { observesDaylightSaving } from "./time-zones";
import { POLICY_ID_RULE } from "./resource-ids";
import { show } from "./errors";

/** Azure Backup runs a schedule in standard time all year (rules 2.4). */
export function daylightSavingUnadjusted(timeZone: string): Finding | undefined {
    if (!observesDaylightSaving(timeZone)) return undefined;
    return warning(
        "policy.daylight-saving",
        "timeZone",
        `observes daylight saving time, but Azure Backup does not adjust the schedule for it: while it is in effect, backups run an hour off the local time given, got ${show(timeZone)}`,
    );
}

/** A policy named by id must be one for Azure VMs. */
export function notVmPolicy(path: string, policyId: string, backupManagementType: unknown): Finding | undefined {
    if (typeof backupManagementType === "string" && backupManagementType.toLowerCase() === "azureiaasvm") return undefined;
    return error(
        "policy.vm-policy-kind",
        path,
        `must be an Azure VM backup policy (backupManagementType "AzureIaasVM"), got backupManagementType ${show(backupManagementType)} for ${policyId}`,
    );
}

/** A policy id known only at preview must still be a policy id. */
export function badPolicyId(path: string, id: unknown): Finding {
    return error("policy.id", path, `${POLICY_ID_RULE}, got ${show(id)}`);
}
