// "Backup now": an on-demand backup of one protected VM, followed to the job it starts.
import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { BackupClientOptions, createBackupClient, explain, outcomeUnknown, refusal } from "./backup-client";
import { BackupOperationError } from "./backup-operation-error";
import { ItemTarget, itemTarget } from "./azure-ids";
import { listJobs, sleep } from "./backup-jobs";
import { checkArguments } from "./api-arguments";
import { resolveRetainUntil } from "./retain-until";

export { resolveRetainUntil };

export interface BackupNowOptions {
    /**
     * Last moment the recovery point is kept. A date alone ("2027-01-31") keeps it to the end of
     * that day in UTC, as the portal's calendar does.
     *
     * @default - 30 days from now
     */
    retainUntil?: Date | string;
    /** How to reach Azure. */
    client?: BackupClientOptions;
    /** Time between two reads of the trigger's operation. @default 5000 (as `az backup protection backup-now`) */
    pollIntervalMs?: number;
    /** Give up on the trigger's operation after this long. @default 600000 */
    operationTimeoutMs?: number;
}

/** Jobs that started this long before our request may still be ours: clocks differ a little. */
const CLOCK_SKEW_MS = 30 * 1000;
/** Looks at the job list once Azure says a backup is running after a lost answer: a minute at the default 5 s poll. */
const RUNNING_LOOKS = 12;
/** Jobs this process has already reported as started: never the answer to a later request. */
const reported = new Set<string>();

/**
 * Triggers an on-demand backup of a protected VM and resolves with the id of the job it
 * started. A trigger whose answer was lost is not sent again blindly: the vault's jobs are
 * searched first for one this request started, so no VM is backed up twice.
 */
export async function backupNow(target: { vaultId: string; vmId: string }, options: BackupNowOptions = {}): Promise<{ jobId: string }> {
    checkArguments(["target", "target", target], ["options", "backupNowOptions", options]);
    const item = itemTarget(target.vaultId, target.vmId);
    const expiry = resolveRetainUntil(options.retainUntil);
    const client = await createBackupClient(item.subscriptionId, options.client);
    return triggerBackup(client, item, expiry, options);
}

/** @internal Also used by the CLI, which shares one client across many VMs. */
export async function triggerBackup(client: RecoveryServicesBackupClient, item: ItemTarget, expiry: Date, options: BackupNowOptions): Promise<{ jobId: string }> {
    const doing = `backing up VM ${item.vmName} in vault ${item.vaultName}`;
    const interval = options.pollIntervalMs ?? 5000;
    let lostAt: number | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
        const sentAt = Date.now();
        let operationUrl: string | undefined;
        try {
            await client.backups.trigger(
                item.vaultName,
                item.resourceGroupName,
                "Azure",
                item.containerName,
                item.protectedItemName,
                { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: expiry } },
                {
                    onResponse: (response) => {
                        operationUrl = response.headers.get("azure-asyncoperation") ?? response.headers.get("location") ?? undefined;
                    },
                },
            );
        } catch (err) {
            if (!outcomeUnknown(err)) {
                const refused = explain(err, doing);
                // The backup now running is most likely the one our lost request started, listed
                // late: look for it longer than before asking again, and don't fail while it may appear.
                if (refused.code === "BackupAlreadyRunning" && lostAt !== undefined) {
                    const started = await findStartedJob(client, item, lostAt, interval, doing, RUNNING_LOOKS);
                    if (started) return claim(started);
                    // A scheduled backup, or another operation, may be what is running: say both.
                    throw new BackupOperationError(
                        refused.code,
                        `${refused.message}; the answer to this request's first attempt was lost and no job of it has been listed since, so the running backup may be the one it started: check with azure-vm-backup jobs list before trying again`,
                        refused.azureCode,
                        refused.statusCode,
                    );
                }
                throw refused;
            }
            lostAt ??= sentAt;
            // Azure may have started the backup before the answer was lost: look before asking again.
            const started = await findStartedJob(client, item, sentAt, interval, doing);
            if (started) return claim(started);
            if (attempt === 3) throw explain(err, doing);
            continue;
        }
        const operationId = operationUrl?.split("?")[0].split("/").pop();
        if (!operationId) {
            const started = await findStartedJob(client, item, sentAt, interval, doing);
            if (started) return claim(started);
            throw new BackupOperationError("OperationFailed", `${doing}: Azure accepted the request but named no operation to follow, and no job for the VM has appeared`);
        }
        return claim(await followOperation(client, item, operationId, options, doing));
    }
    throw new BackupOperationError("OperationFailed", `${doing}: gave up`);
}

/** Polls the trigger's operation (as `az` does, at the vault) until it names its job. */
async function followOperation(client: RecoveryServicesBackupClient, item: ItemTarget, operationId: string, options: BackupNowOptions, doing: string): Promise<string> {
    const interval = options.pollIntervalMs ?? 5000;
    const deadline = Date.now() + (options.operationTimeoutMs ?? 600_000);
    for (;;) {
        let status;
        try {
            status = await client.backupOperationStatuses.get(item.vaultName, item.resourceGroupName, operationId);
        } catch (err) {
            throw explain(err, `${doing}: following operation ${operationId}`);
        }
        if (status.status === "Succeeded") {
            const properties = status.properties as { jobId?: string; jobIds?: string[] } | undefined;
            const jobId = properties?.jobId ?? properties?.jobIds?.[0];
            if (jobId) return jobId;
            throw new BackupOperationError("OperationFailed", `${doing}: the operation succeeded without naming its job`);
        }
        if (status.status !== "InProgress") {
            // The operation itself failed: Azure refused the backup after accepting the request.
            throw refusal(doing, status.error?.code, status.error?.message ?? status.status, 400);
        }
        if (Date.now() + interval > deadline) {
            throw new BackupOperationError("Timeout", `${doing}: operation ${operationId} was still in progress after ${Math.round((options.operationTimeoutMs ?? 600_000) / 1000)} s`);
        }
        await sleep(interval);
    }
}

function claim(jobId: string): { jobId: string } {
    reported.add(jobId);
    return { jobId };
}

/**
 * A backup job of this VM that started since the request was sent, if Azure shows one. When the
 * jobs cannot be read, nothing can be ruled out: rather than risk a second backup, that is a
 * reported failure.
 */
async function findStartedJob(
    client: RecoveryServicesBackupClient,
    item: ItemTarget,
    sentAt: number,
    interval: number,
    doing: string,
    looks = 3,
): Promise<string | undefined> {
    const since = sentAt - CLOCK_SKEW_MS;
    // A job appears in the list a moment after the trigger: look a few times before deciding none started.
    for (let look = 0; look < looks; look++) {
        let jobs;
        try {
            jobs = await listJobs(client, item, { operation: "Backup", from: new Date(since) });
        } catch (err) {
            throw new BackupOperationError(
                "OperationFailed",
                `${doing}: Azure's answer was lost and its jobs could not be read to tell whether the backup started, so it was not sent again; check with azure-vm-backup jobs list (${explain(err, "reading jobs").message})`,
            );
        }
        const ours = jobs.find(
            (j) =>
                !reported.has(j.jobId) &&
                j.vmName.toLowerCase() === item.vmName.toLowerCase() &&
                (j.containerName === undefined || j.containerName.toLowerCase().endsWith(item.containerName.replace(/^iaasvmcontainer;/, ""))) &&
                j.isUserTriggered !== false &&
                (j.startTime?.getTime() ?? 0) >= since,
        );
        if (ours) return ours.jobId;
        if (look < looks - 1) await sleep(interval);
    }
    return undefined;
}
