import { UsageError } from "../usage-error";

import { jobName, vaultTarget } from "../on-demand/azure-ids";
import { vaultIdOf } from "../rules/resource-ids";
import { checkArguments } from "../on-demand/api-arguments";
import type { BackupJob } from "../on-demand/backup-jobs";
import type { RestoredDisk } from "../on-demand/restore-config";
import { type JobStatus, isRestore } from "../on-demand/job-status";
import { fromFlags, parseDuration, parseEndpoint, parseSince } from "./arguments";
import { INTERRUPTED, UNKNOWN, interruptible, parsePollInterval, parseTimeout } from "./following";
import { lineLog } from "./progress";
import { columns } from "./columns";
import { vaultFromStack } from "./stack-outputs";

export interface VaultFlags {
    vault?: string;
    fromStack?: string;
    endpoint?: string;
    json?: boolean;
}

async function vaultAndClient(flags: VaultFlags) {
    const vaultId = flags.vault ?? (flags.fromStack ? vaultFromStack(flags.fromStack) : undefined);
    if (!vaultId) throw new UsageError("name the vault: --vault <vaultId>, or --from-stack <file>");
    const vault = fromFlags(() => vaultTarget(vaultId, flags.vault !== undefined ? "--vault" : `--from-stack ${flags.fromStack}: vaultId`));
    const endpoint = parseEndpoint("--endpoint", flags.endpoint);
    const { createBackupClient } = await import("../on-demand/backup-client");
    return { vault, client: await createBackupClient(vault.subscriptionId, { endpoint }) };
}

const time = (d: Date | undefined) => (d ? d.toISOString().replace(/\.\d+Z$/, "Z") : "-");

function table(jobs: BackupJob[]): string {
    return columns([["JOB", "VM", "OPERATION", "STATUS", "STARTED", "DURATION"], ...jobs.map((j) => [j.jobId, j.vmName, j.operation, j.status, time(j.startTime), j.duration ?? "-"])]);
}

/** What a restore job says it created: the new VM, the files it left; the disks, when read. */
function restored(job: BackupJob, disks?: RestoredDisk[]): string[] {
    return [
        ...(job.targetResourceGroupId ? [`  restored into ${job.targetResourceGroupId} (${job.restoreType ?? "restore"})`] : []),
        ...(disks ?? []).map((d) => `  disk ${d.os ? "OS" : `LUN ${d.lun ?? "?"}`}${d.sizeGb !== undefined ? ` (${d.sizeGb} GB)` : ""}: ${d.diskId}`),
        ...(job.vmId ? [`  VM: ${job.vmId}`] : []),
        ...(job.configBlobUri ? [`  configuration: ${job.configBlobUri}${disks ? "" : " (names the disks: --disks reads it)"}`] : []),
        ...(job.templateBlobUri ? [`  template: ${job.templateBlobUri}`] : []),
    ];
}

export function details(job: BackupJob, disks?: RestoredDisk[]): string {
    const phase = (name: string, p: BackupJob["snapshot"]) => `  ${name}: ${p ? `${p.status} (started ${time(p.startTime)}, ended ${time(p.endTime)})` : "-"}`;
    // A restore has no backup phases; it has what it created.
    const body = job.restoreType !== undefined || isRestore(job.operation) ? restored(job, disks) : [phase("Take Snapshot", job.snapshot), phase("Transfer data to vault", job.transferToVault)];
    return [
        `job ${job.jobId}: ${job.operation} of ${job.vmName}, ${job.status}`,
        `  started ${time(job.startTime)}, ended ${time(job.endTime)}, duration ${job.duration ?? "-"}`,
        ...body,
        ...job.errors.map((e) => `  error ${e.code}: ${e.message}${e.recommendations.length ? ` (${e.recommendations.join(" ")})` : ""}`),
    ].join("\n");
}

/** The exit code for a finished job: 0 completed, 1 failed or cancelled, 3 completed with warnings. */
export function exitCodeFor(status: JobStatus): number {
    if (status === "Completed") return 0;
    if (status === "CompletedWithWarnings") return 3;
    return 1;
}

export async function jobsListCommand(flags: VaultFlags & { status?: string; operation?: string; since?: string }): Promise<number> {
    // The filter listBackupJobs would take, checked as it checks it.
    fromFlags(() => checkArguments(["filter", "filter", { status: flags.status, operation: flags.operation }]), { status: "--status", operation: "--operation" });
    const from = flags.since === undefined ? undefined : parseSince("--since", flags.since);
    const { vault, client } = await vaultAndClient(flags);
    const { listJobs } = await import("../on-demand/backup-jobs");
    const jobs = await listJobs(client, vault, { status: flags.status as JobStatus | undefined, operation: flags.operation, from });
    process.stdout.write(`${flags.json ? JSON.stringify({ jobs }, null, 2) : jobs.length === 0 ? "no jobs" : table(jobs)}\n`);
    return 0;
}

/** `--secondary-region`: a cross-region restore's job, read in the vault's paired region. */
type RegionFlags = { secondaryRegion?: boolean };

/** `--disks`: a completed restore's disks, read from the configuration file it left. */
export async function jobsShowCommand(jobId: string, flags: VaultFlags & RegionFlags & { disks?: boolean }): Promise<number> {
    fromFlags(() => jobName(jobId, "<jobId>"));
    const { vault, client } = await vaultAndClient(flags);
    const { readJob, getBackupJob } = await import("../on-demand/backup-jobs");
    const job = flags.secondaryRegion
        ? await getBackupJob({ vaultId: vaultIdOf(vault), jobId }, { client: { endpoint: flags.endpoint }, secondaryRegion: true })
        : await readJob(client, vault, jobId);
    const disks = flags.disks ? await (await import("../on-demand/restore-config")).readRestoredDisks(job, { client: { endpoint: flags.endpoint } }) : undefined;
    process.stdout.write(`${flags.json ? JSON.stringify(disks ? { ...job, restoredDisks: disks } : job, null, 2) : details(job, disks)}\n`);
    return 0;
}

/**
 * Exit codes: those of the job's end (exitCodeFor), 1 past --timeout, 4 when the job could not
 * be read (how it stands is unknown), 130 interrupted.
 */
export async function jobsWaitCommand(jobId: string, flags: VaultFlags & RegionFlags & { timeout?: string; pollInterval: string }): Promise<number> {
    fromFlags(() => jobName(jobId, "<jobId>"));
    const timeoutMs = parseTimeout(flags.timeout);
    const pollIntervalMs = parsePollInterval(flags.pollInterval);
    const { vault, client } = await vaultAndClient(flags);
    const { waitForJob, waitForBackupJob, JobWaitTimeout, JobUnreadable, JobWaitInterrupted } = await import("../on-demand/backup-jobs");
    const log = lineLog((line) => (flags.json ? process.stderr : process.stdout).write(line));
    return interruptible(async (signal) => {
        try {
            const options = { timeoutMs, pollIntervalMs, signal, onProgress: (j: BackupJob) => log.update(j.vmName, { stage: "job", job: j }) };
            const job = flags.secondaryRegion
                ? await waitForBackupJob({ vaultId: vaultIdOf(vault), jobId }, { ...options, client: { endpoint: flags.endpoint }, secondaryRegion: true })
                : await waitForJob(client, vault, jobId, options);
            process.stdout.write(`${flags.json ? JSON.stringify(job, null, 2) : details(job)}\n`);
            return exitCodeFor(job.status);
        } catch (err) {
            if (err instanceof JobWaitInterrupted) {
                const status = err.job?.status ?? "not read yet";
                process.stdout.write(flags.json ? `${JSON.stringify({ interrupted: true, jobId, status, job: err.job }, null, 2)}\n` : `interrupted: job ${jobId} was ${status}; it goes on in Azure\n`);
                return INTERRUPTED;
            }
            if (err instanceof JobUnreadable) {
                if (flags.json) process.stdout.write(`${JSON.stringify({ jobId, status: "Unknown", job: err.job, error: { code: err.code, message: err.message } }, null, 2)}\n`);
                process.stderr.write(`azure-vm-backup: ${err.message}\n`);
                return UNKNOWN;
            }
            if (err instanceof JobWaitTimeout && flags.json) process.stdout.write(`${JSON.stringify(err.job, null, 2)}\n`);
            throw err;
        }
    });
}
