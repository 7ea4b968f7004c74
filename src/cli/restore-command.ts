import { UsageError } from "../usage-error";
import { BackupOperationError } from "../on-demand/backup-operation-error";
import { fromFlagsAsync, parseDuration, parseEndpoint } from "./arguments";
import { INTERRUPTED, UNKNOWN, interruptible, parsePollInterval, parseTimeout } from "./following";
import { details, exitCodeFor } from "./jobs-command";
import { lineLog, liveTable, type Progress } from "./progress";
import { VM_FLAGS, vaultAndVm } from "./recovery-points-command";
import { nameOf } from "../rules/resource-ids";
import type { RestoredDisk } from "../on-demand/restore-config";

export interface RestoreFlags {
    vault?: string;
    vm?: string;
    point: string;
    mode?: string;
    targetResourceGroup?: string;
    stagingStorage?: string;
    vnet?: string;
    subnet?: string;
    targetVmName?: string;
    secondaryRegion?: boolean;
    confirm?: string;
    wait?: boolean;
    timeout?: string;
    pollInterval: string;
    jobListLag: string;
    endpoint?: string;
    json?: boolean;
}

const MODES = ["disks", "new-vm", "replace-disks"] as const;
type Mode = (typeof MODES)[number];

/** The flag each restore option comes from: the library's refusals name the flag. */
export const RESTORE_FLAGS: Record<string, string> = {
    ...VM_FLAGS,
    point: "--point",
    mode: "--mode",
    targetResourceGroupId: "--target-resource-group",
    stagingStorageAccountId: "--staging-storage",
    virtualNetworkId: "--vnet",
    subnetName: "--subnet",
    targetVmName: "--target-vm-name",
    secondaryRegion: "--secondary-region",
    confirm: "--confirm",
    timeoutMs: "--timeout",
    pollIntervalMs: "--poll-interval",
    jobListLagMs: "--job-list-lag",
};

function parseMode(value: string | undefined): Mode {
    if (value === undefined) throw new UsageError(`--mode: name what to restore, ${MODES.join(", ")}`);
    if (!(MODES as readonly string[]).includes(value)) throw new UsageError(`--mode: must be ${MODES.join(", ")}, got ${JSON.stringify(value)}`);
    return value as Mode;
}

/**
 * Exit codes: 0 the restore started (or, with --wait, completed), 1 it failed or ran past
 * --timeout, 3 completed with warnings, 4 it may have started or its job could not be read (the
 * message says how to check), 130 interrupted.
 */
export async function restoreCommand(flags: RestoreFlags): Promise<number> {
    const target = vaultAndVm(flags);
    const mode = parseMode(flags.mode);
    const timeoutMs = parseTimeout(flags.timeout);
    const pollIntervalMs = parsePollInterval(flags.pollInterval);
    const jobListLagMs = parseDuration("--job-list-lag", flags.jobListLag);
    const endpoint = parseEndpoint("--endpoint", flags.endpoint);
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const left = () => (deadline === undefined ? undefined : Math.max(1, deadline - Date.now()));

    const [{ restoreVm }, { waitForBackupJob, JobWaitInterrupted, JobWaitTimeout, JobUnreadable }, { readRestoredDisks }] = await Promise.all([
        import("../on-demand/restore"),
        import("../on-demand/backup-jobs"),
        import("../on-demand/restore-config"),
    ]);
    const label = nameOf(target.vmId);
    const progress: Progress = !flags.json && process.stdout.isTTY ? liveTable(process.stdout) : lineLog((line) => (flags.json ? process.stderr : process.stdout).write(line));
    const print = (value: object, text: string[]) => process.stdout.write(`${flags.json ? JSON.stringify(value, null, 2) : text.join("\n")}\n`);

    return interruptible(async (signal) => {
        let started: { jobId: string; recoveryPointId: string; warnings: string[] };
        try {
            progress.update(label, { stage: "step", text: `sending the ${mode} restore` });
            started = await fromFlagsAsync(
                () =>
                    restoreVm(target, {
                        point: flags.point,
                        mode,
                        targetResourceGroupId: flags.targetResourceGroup,
                        stagingStorageAccountId: flags.stagingStorage,
                        virtualNetworkId: flags.vnet,
                        subnetName: flags.subnet,
                        targetVmName: flags.targetVmName,
                        secondaryRegion: flags.secondaryRegion ?? false,
                        confirm: flags.confirm as "replace-disks" | undefined,
                        client: { endpoint },
                        signal,
                        timeoutMs: left(),
                        pollIntervalMs,
                        jobListLagMs,
                    }),
                RESTORE_FLAGS,
            );
        } catch (err) {
            if (!(err instanceof BackupOperationError)) throw err;
            if (err.code === "Interrupted" || signal.aborted) {
                print({ ...target, interrupted: true, error: { code: err.code, message: err.message } }, [`interrupted: ${err.message}`]);
                return INTERRUPTED;
            }
            if (err.code !== "OutcomeUnknown") throw err;
            print({ ...target, status: "Unknown", error: { code: err.code, message: err.message } }, [`unknown: ${err.message}`]);
            return UNKNOWN;
        }
        const { jobId, recoveryPointId, warnings } = started;
        const point = nameOf(recoveryPointId);
        // What the restore rules warned of, on stderr: it does not stop the restore.
        for (const w of warnings) process.stderr.write(`azure-vm-backup: warning: ${w}\n`);
        progress.update(label, { stage: "step", text: `restore started, job ${jobId}` });
        if (!flags.wait) {
            print({ ...target, mode, jobId, recoveryPointId, status: "Triggered" }, [`restore started: job ${jobId}, point ${point}, mode ${mode}; follow it with azure-vm-backup jobs wait ${jobId} --vault ${target.vaultId}${flags.secondaryRegion ? " --secondary-region" : ""}`]);
            return 0;
        }
        try {
            const job = await waitForBackupJob(
                { vaultId: target.vaultId, jobId },
                { client: { endpoint }, secondaryRegion: flags.secondaryRegion ?? false, pollIntervalMs, timeoutMs: left(), signal, onProgress: (j) => progress.update(label, { stage: "step", text: `restore ${j.status}, job ${jobId}` }) },
            );
            // The disks a completed disk restore made: a file in the staging account names them.
            // Reading it takes a storage role the restore itself does not; without it, only a warning.
            let disks: RestoredDisk[] | undefined;
            if (mode === "disks" && job.configBlobUri) {
                try {
                    disks = await readRestoredDisks(job, { client: { endpoint }, signal });
                } catch (err) {
                    if (!(err instanceof BackupOperationError) || err.code === "NotSignedIn") throw err;
                    process.stderr.write(`azure-vm-backup: warning: the restored disks are not listed: ${err.message}\n`);
                }
            }
            print({ ...target, mode, jobId, recoveryPointId, status: job.status, job: disks ? { ...job, restoredDisks: disks } : job }, [`restore from point ${point}, mode ${mode}`, details(job, disks)]);
            return exitCodeFor(job.status);
        } catch (err) {
            if (err instanceof JobWaitInterrupted) {
                print({ ...target, mode, jobId, recoveryPointId, interrupted: true, job: err.job }, [`interrupted: restore job ${jobId} was ${err.job?.status ?? "not read yet"}; it goes on in Azure`]);
                return INTERRUPTED;
            }
            if (err instanceof JobUnreadable) {
                print({ ...target, mode, jobId, recoveryPointId, status: "Unknown", error: { code: err.code, message: err.message } }, [`unknown: ${err.message}`]);
                return UNKNOWN;
            }
            if (err instanceof JobWaitTimeout) {
                print({ ...target, mode, jobId, recoveryPointId, status: "TimedOut", job: err.job }, [`restore job ${jobId}: ${err.message}; it goes on in Azure`]);
                return 1;
            }
            throw err;
        } finally {
            progress.close();
        }
    });
}
