// "Backup now": an on-demand backup of one protected VM, followed to the job it starts.
import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { createBackupClient } from "./backup-client";
import { BackupOperationError } from "./backup-operation-error";
import { ItemTarget, itemTarget } from "./azure-ids";
import { JobOutcomeUnknown, TriggerOptions, sendOnce } from "./send-once";
import { checkArguments } from "./api-arguments";
import { resolveRetainUntil } from "./retain-until";

export { resolveRetainUntil };

export interface BackupNowOptions extends TriggerOptions {
    /**
     * Last moment the recovery point is kept. A date alone ("2027-01-31") keeps it to the end of
     * that day in UTC, as the portal's calendar does.
     *
     * @default - 30 days from now
     */
    retainUntil?: Date | string;
}

/**
 * A backup that may have started: the trigger was sent, and whether Azure acted on it could
 * not be told (its answer was lost and its job was not found, or the wait for its job was cut
 * short). It was not sent again. `since` is when it was first sent.
 */
export class BackupOutcomeUnknown extends JobOutcomeUnknown {
    constructor(item: ItemTarget, doing: string, since: Date, why: string, cause?: BackupOperationError) {
        super(item, doing, "backup", "Backup", since, why, cause);
        this.name = "BackupOutcomeUnknown";
    }
}

/**
 * Triggers an on-demand backup of a protected VM and resolves with the id of the job it
 * started. A trigger is sent again only when Azure cannot have started a backup with it: after
 * Resource Manager's own throttling, or once the vault's jobs, searched for as long as Azure
 * takes to list a job, show none. When that cannot be told, it rejects with
 * `BackupOutcomeUnknown` rather than risk a second backup.
 */
export async function backupNow(target: { vaultId: string; vmId: string }, options: BackupNowOptions = {}): Promise<{ jobId: string }> {
    checkArguments(["target", "target", target], ["options", "backupNowOptions", options]);
    const item = itemTarget(target.vaultId, target.vmId);
    const expiry = resolveRetainUntil(options.retainUntil);
    const client = await createBackupClient(item.subscriptionId, options.client);
    return triggerBackup(client, item, expiry, options);
}

/** @internal Also used by the CLI, which shares one client across many VMs and one deadline across them all. */
export async function triggerBackup(
    client: RecoveryServicesBackupClient,
    item: ItemTarget,
    expiry: Date,
    options: BackupNowOptions & { deadline?: number },
): Promise<{ jobId: string }> {
    const doing = `backing up VM ${item.vmName} in vault ${item.vaultName}`;
    return sendOnce(
        {
            client,
            item,
            doing,
            noun: "backup",
            operation: "Backup",
            send: async (abortSignal, onResponse) => {
                await client.backups.trigger(
                    item.vaultName,
                    item.resourceGroupName,
                    "Azure",
                    item.containerName,
                    item.protectedItemName,
                    { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: expiry } },
                    { abortSignal, onResponse },
                );
            },
            unknown: (since, why, cause) => new BackupOutcomeUnknown(item, doing, since, why, cause),
        },
        options,
    );
}
