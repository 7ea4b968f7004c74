// Azure Backup jobs of a vault: read one, list them, wait for one to finish.
import type { JobResource, AzureIaaSVMJob, RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { BackupClientOptions, createBackupClient, explain, readMayPass } from "./backup-client";
import { BackupOperationError, InvalidArgumentError } from "./backup-operation-error";
import { JobStatus, PhaseStatus, isRestore, isRunning, jobStatusFromPhases } from "./job-status";
import { VaultTarget, jobName, vaultTarget } from "./azure-ids";
import { checkArguments } from "./api-arguments";
import { redactDeep } from "./redact";
import { nameOf, vaultIdOf } from "../rules/resource-ids";
import { sleep, untilDeadline } from "./deadline";
import { readCrossRegionJob, vaultCrossRegion } from "./cross-region";
import { RestoredDisk, readRestoredDisks } from "./restore-config";

/** One phase of a VM backup job. */
export interface JobPhase {
    status: PhaseStatus;
    startTime?: Date;
    endTime?: Date;
    /** ISO-8601 duration, as Azure gives it. */
    duration?: string;
}

/** A backup job, with both phases of a VM backup. */
export interface BackupJob {
    jobId: string;
    /** The VM's name, as the job names it. */
    vmName: string;
    operation: string;
    /** The job's status: Azure's own, or derived from the phases when Azure gives none. */
    status: JobStatus;
    /** "Take Snapshot"; absent in job lists, which carry no tasks. */
    snapshot?: JobPhase;
    /** "Transfer data to vault"; absent in job lists. */
    transferToVault?: JobPhase;
    startTime?: Date;
    endTime?: Date;
    duration?: string;
    isUserTriggered?: boolean;
    /** Azure's container of the VM ("iaasvmcontainerv2;{group};{vm}"), when it gives one. */
    containerName?: string;
    errors: { code: string; message: string; recommendations: string[] }[];
    /** A restore job's target: "RestoreDisks", "AlternateLocation" (a new VM) or "OriginalLocation" (the VM's own disks). */
    restoreType?: string;
    /** The resource group a restore job restores into, as an id. */
    targetResourceGroupId?: string;
    /** The new VM a restore job creates (AlternateLocation). */
    vmId?: string;
    /** The template a completed disk restore leaves in the staging account, to create a VM from the disks. */
    templateBlobUri?: string;
    /**
     * The configuration file a completed disk restore leaves in the staging account: it names the
     * disks the restore created (`getRestoredDisks` reads them from it).
     */
    configBlobUri?: string;
    /** The staging storage account a restore writes its template and configuration file to, by name. */
    stagingStorageAccountName?: string;
}

const SNAPSHOT = "take snapshot";
const TRANSFER = "transfer data to vault";

function phase(job: AzureIaaSVMJob, taskId: string): JobPhase | undefined {
    const task = job.extendedInfo?.tasksList?.find((t) => t.taskId?.toLowerCase() === taskId);
    if (!task) return undefined;
    return { status: (task.status ?? "NotStarted") as PhaseStatus, startTime: task.startTime, endTime: task.endTime, duration: task.duration };
}

/** What a restore job's extended information tells of what it restored and where. */
function restoreDetails(resource: JobResource, job: AzureIaaSVMJob): Partial<BackupJob> {
    if (!isRestore(job.operation ?? "")) return {};
    const bag = job.extendedInfo?.propertyBag ?? {};
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(resource.id ?? "")?.[1];
    const group = bag["Target resource group"];
    const targetResourceGroupId = subscription && group ? `/subscriptions/${subscription}/resourceGroups/${group}` : undefined;
    const vmName = bag["Target VM Name"];
    const restoreType = job.extendedInfo?.internalPropertyBag?.restoreLocationType;
    return {
        ...(restoreType ? { restoreType } : {}),
        ...(targetResourceGroupId ? { targetResourceGroupId } : {}),
        ...(targetResourceGroupId && vmName && restoreType === "AlternateLocation" ? { vmId: `${targetResourceGroupId}/providers/Microsoft.Compute/virtualMachines/${vmName}` } : {}),
        ...(bag["Template Blob Uri"] ? { templateBlobUri: bag["Template Blob Uri"] } : {}),
        ...(bag["Config Blob Uri"] ? { configBlobUri: bag["Config Blob Uri"] } : {}),
        ...(bag["Target Storage Account Name"] ? { stagingStorageAccountName: bag["Target Storage Account Name"] } : {}),
    };
}

/** @internal */
export function toBackupJob(resource: JobResource): BackupJob {
    const job = (resource.properties ?? {}) as AzureIaaSVMJob;
    const snapshot = phase(job, SNAPSHOT);
    const transferToVault = phase(job, TRANSFER);
    const derived = snapshot && transferToVault ? jobStatusFromPhases(snapshot.status, transferToVault.status) : "InProgress";
    // Every string in a job is Azure's to write: redacted, as all it says is.
    return redactDeep({
        jobId: resource.name ?? "",
        vmName: job.entityFriendlyName ?? "",
        operation: job.operation ?? "",
        status: (job.status as JobStatus | undefined) ?? derived,
        snapshot,
        transferToVault,
        startTime: job.startTime,
        endTime: job.endTime,
        duration: job.duration,
        isUserTriggered: job.isUserTriggered,
        containerName: job.containerName,
        errors: (job.errorDetails ?? []).map((e) => ({ code: e.errorCode !== undefined ? String(e.errorCode) : "", message: e.errorString ?? e.errorTitle ?? "", recommendations: e.recommendations ?? [] })),
        ...restoreDetails(resource, job),
    });
}

/** A client for the vault's subscription. */
function clientFor(vault: VaultTarget, options: JobRequestOptions): Promise<RecoveryServicesBackupClient> {
    return createBackupClient(vault.subscriptionId, options.client);
}

export interface JobRequestOptions {
    /** How to reach Azure. */
    client?: BackupClientOptions;
    /** A cross-region restore's job: read in the vault's paired region, where it runs. */
    secondaryRegion?: boolean;
}

/** How to read the job: in the vault, or, for a cross-region restore, in its paired region. */
async function jobReader(client: RecoveryServicesBackupClient, vault: VaultTarget, jobId: string, options: JobRequestOptions): Promise<JobRead> {
    if (!options.secondaryRegion) return (abortSignal) => client.jobDetails.get(vault.vaultName, vault.resourceGroupName, jobId, { abortSignal });
    const cr = await vaultCrossRegion(client, vault);
    return (abortSignal) => readCrossRegionJob(cr, jobId, abortSignal);
}

type JobRead = (abortSignal?: AbortSignal) => Promise<JobResource>;

/** Reads one job of a vault. */
export async function getBackupJob(ref: { vaultId: string; jobId: string }, options: JobRequestOptions = {}): Promise<BackupJob> {
    checkArguments(["ref", "jobRef", ref], ["options", "jobOptions", options]);
    const vault = vaultTarget(ref.vaultId);
    const jobId = jobName(ref.jobId);
    const client = await clientFor(vault, options);
    const read = await tryReadJob(client, vault, jobId, undefined, await jobReader(client, vault, jobId, options));
    if ("job" in read) return read.job;
    throw read.failure;
}

/** @internal */
export async function readJob(client: RecoveryServicesBackupClient, vault: VaultTarget, jobId: string, abortSignal?: AbortSignal): Promise<BackupJob> {
    const read = await tryReadJob(client, vault, jobId, abortSignal);
    if ("job" in read) return read.job;
    throw read.failure;
}

/** @internal One read of a job: the job, or why not and whether a later read may pass. */
export async function tryReadJob(
    client: RecoveryServicesBackupClient,
    vault: VaultTarget,
    jobId: string,
    abortSignal?: AbortSignal,
    read: JobRead = (signal) => client.jobDetails.get(vault.vaultName, vault.resourceGroupName, jobId, { abortSignal: signal }),
): Promise<{ job: BackupJob } | { failure: BackupOperationError; mayPass: boolean }> {
    try {
        return { job: toBackupJob(await read(abortSignal)) };
    } catch (err) {
        return { failure: explain(err, `reading job ${jobId} in vault ${vault.vaultName}`), mayPass: readMayPass(err) };
    }
}

/**
 * The managed disks a completed restore created, OS disk first: read from the configuration file
 * the restore left in its staging account (the job itself does not list them). Needs read access
 * to that file (Storage Blob Data Reader on the staging account) besides the vault.
 */
export async function getRestoredDisks(ref: { vaultId: string; jobId: string }, options: JobRequestOptions & { signal?: AbortSignal } = {}): Promise<RestoredDisk[]> {
    checkArguments(["ref", "jobRef", ref], ["options", "restoredDisksOptions", options]);
    const vault = vaultTarget(ref.vaultId);
    const jobId = jobName(ref.jobId);
    const client = await clientFor(vault, options);
    const read = await tryReadJob(client, vault, jobId, options.signal, await jobReader(client, vault, jobId, options));
    if (!("job" in read)) throw read.failure;
    const { job } = read;
    if (!isRestore(job.operation)) {
        throw new InvalidArgumentError("ref.jobId", `must be a restore job, got ${JSON.stringify(jobId)}, a ${job.operation || "job of unknown kind"} job`);
    }
    if (isRunning(job.status)) throw new BackupOperationError("OperationFailed", `restore job ${jobId} is ${job.status}: it names its disks once it completes`);
    return readRestoredDisks(job, { client: options.client, signal: options.signal });
}

export interface JobFilter {
    status?: JobStatus;
    /** "Backup", "Restore", "ConfigureBackup", ... */
    operation?: string;
    /** Jobs that started at or after this time. */
    from?: Date;
    /** Jobs that started at or before this time. */
    to?: Date;
    /** Only the jobs of this VM (by its resource ID). */
    vmId?: string;
}

/** Azure's job filter takes times as "yyyy-MM-dd hh:mm:ss AM", in UTC. */
/** @internal */
export function filterTime(d: Date): string {
    const pad = (n: number) => String(n).padStart(2, "0");
    const h = d.getUTCHours();
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(h % 12 === 0 ? 12 : h % 12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
}

/** @internal The OData filter for a job query. */
export function jobFilter(filter: JobFilter): string {
    const clauses = ["backupManagementType eq 'AzureIaasVM'"];
    if (filter.operation) clauses.push(`operation eq '${filter.operation.replace(/'/g, "''")}'`);
    if (filter.status) clauses.push(`status eq '${filter.status}'`);
    // Azure takes the two bounds together, as the Azure CLI always sends them.
    if (filter.from || filter.to) {
        const to = filter.to ?? new Date(Date.now() + 60_000);
        const from = filter.from ?? new Date(to.getTime() - 30 * 86_400_000);
        clauses.push(`startTime eq '${filterTime(from)}'`, `endTime eq '${filterTime(to)}'`);
    }
    return clauses.join(" and ");
}

/** Lists a vault's VM backup jobs, newest first, every page. */
export async function listBackupJobs(vault: { vaultId: string }, filter: JobFilter = {}, options: JobRequestOptions = {}): Promise<BackupJob[]> {
    checkArguments(["vault", "vault", vault], ["filter", "filter", filter], ["options", "jobOptions", options]);
    const target = vaultTarget(vault.vaultId);
    const client = await clientFor(target, options);
    return listJobs(client, target, filter);
}

/** @internal */
export async function listJobs(client: RecoveryServicesBackupClient, vault: VaultTarget, filter: JobFilter, abortSignal?: AbortSignal): Promise<BackupJob[]> {
    const vmName = (filter.vmId === undefined ? undefined : nameOf(filter.vmId).toLowerCase());
    const jobs: BackupJob[] = [];
    try {
        for await (const resource of client.backupJobs.list(vault.vaultName, vault.resourceGroupName, { filter: jobFilter(filter), abortSignal })) {
            const job = toBackupJob(resource);
            if (vmName === undefined || job.vmName.toLowerCase() === vmName) jobs.push(job);
        }
    } catch (err) {
        throw explain(err, `listing the jobs of vault ${vault.vaultName}`);
    }
    return jobs;
}

export interface WaitOptions extends JobRequestOptions {
    /** Time between two reads of the job. @default 30000 (as `az backup job wait`) */
    pollIntervalMs?: number;
    /**
     * Give up after this long, with a `JobWaitTimeout` carrying the last job read (or a
     * `JobUnreadable` when no read has passed since the last failure).
     *
     * @default - no limit
     */
    timeoutMs?: number;
    /** Called with the job whenever its status or a phase changes. */
    onProgress?: (job: BackupJob) => void;
    /** Stops the wait: it rejects with `JobWaitInterrupted`, carrying the job as last read. */
    signal?: AbortSignal;
}

/** A wait that ran out of time; `job` is the job as last read. */
export class JobWaitTimeout extends BackupOperationError {
    constructor(public readonly job: BackupJob, timeoutMs: number) {
        super("Timeout", `job ${job.jobId} (${job.vmName}) was still ${job.status} after ${Math.round(timeoutMs / 1000)} s`);
        this.name = "JobWaitTimeout";
    }
}

/** How to look at a job from the command line. */
function showJobCommand(vault: VaultTarget, jobId: string): string {
    return `azure-vm-backup jobs show ${jobId} --vault ${vaultIdOf(vault)}`;
}

/**
 * A job whose state could not be read (Azure kept failing, or answered what cannot be read):
 * it may be running or have ended, which is not a failure of the backup. `job` is the job as
 * last read, if it ever was.
 */
export class JobUnreadable extends BackupOperationError {
    constructor(vault: VaultTarget, public readonly jobId: string, public readonly job: BackupJob | undefined, cause: BackupOperationError) {
        super(
            "OutcomeUnknown",
            `job ${jobId}: how it stands is unknown, its reads failed (${cause.message}); check with ${showJobCommand(vault, jobId)}`,
            cause.azureCode,
            cause.statusCode,
        );
        this.name = "JobUnreadable";
    }
}

/** A wait stopped by its signal; `job` is the job as last read, if it was. */
export class JobWaitInterrupted extends BackupOperationError {
    constructor(public readonly jobId: string, public readonly job: BackupJob | undefined) {
        super("Interrupted", `job ${jobId}: the wait was interrupted${job ? ` while the job was ${job.status}` : ""}`);
        this.name = "JobWaitInterrupted";
    }
}

/** Reads a job until it is no longer running (or the timeout passes), and resolves with it. */
export async function waitForBackupJob(ref: { vaultId: string; jobId: string }, options: WaitOptions = {}): Promise<BackupJob> {
    checkArguments(["ref", "jobRef", ref], ["options", "waitOptions", options]);
    const vault = vaultTarget(ref.vaultId);
    const jobId = jobName(ref.jobId);
    const client = await clientFor(vault, options);
    return waitForJob(client, vault, jobId, options, await jobReader(client, vault, jobId, options));
}

const progressKey = (j: BackupJob) => `${j.status}|${j.snapshot?.status}|${j.transferToVault?.status}`;

/** Without a deadline, reads that may pass are tried this many polls in a row before giving up. */
const UNREADABLE_POLLS = 10;
/** The read in flight at the deadline may finish this much later. */
export const LAST_READ_GRACE_MS = 1000;

/** @internal */
export async function waitForJob(client: RecoveryServicesBackupClient, vault: VaultTarget, jobId: string, options: WaitOptions, read?: JobRead): Promise<BackupJob> {
    const interval = options.pollIntervalMs ?? 30_000;
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    const reads = untilDeadline(deadline + LAST_READ_GRACE_MS, options.signal);
    let last = "";
    let job: BackupJob | undefined;
    let failure: BackupOperationError | undefined;
    let failures = 0;
    for (;;) {
        const got = await tryReadJob(client, vault, jobId, reads, read);
        if (options.signal?.aborted) throw new JobWaitInterrupted(jobId, job);
        if ("job" in got) {
            job = got.job;
            failure = undefined;
            failures = 0;
            if (progressKey(job) !== last) {
                last = progressKey(job);
                options.onProgress?.(job);
            }
            if (!isRunning(job.status)) return job;
        } else {
            // A failure that will not pass (the job is not there, access is refused) ends the wait as Azure said it.
            if (!got.mayPass && !reads.aborted) throw got.failure;
            failure = got.failure;
            if (++failures >= UNREADABLE_POLLS && deadline === Infinity) throw new JobUnreadable(vault, jobId, job, failure);
        }
        if (Date.now() >= deadline) {
            if (failure || !job) throw new JobUnreadable(vault, jobId, job, failure ?? new BackupOperationError("Timeout", "no read finished"));
            throw new JobWaitTimeout(job, options.timeoutMs!);
        }
        // The last read happens at the deadline itself.
        await sleep(Math.min(interval, deadline - Date.now()), options.signal);
    }
}

