// A request that starts a job in Azure Backup (a backup, a restore), sent so that it starts one
// job at most: sent again only when Azure cannot have acted on it (Resource Manager's own
// throttling, or a search of the vault's jobs, as long as Azure takes to list a job, that found
// none), followed to the job it started, or reported as of unknown outcome.
import type { FullOperationResponse } from "@azure/core-client";
import type { OperationStatus, RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { BackupClientOptions, ITEM_HINTS, explain, outcomeUnknown, readMayPass, refusal } from "./backup-client";
import { BackupOperationError } from "./backup-operation-error";
import type { ItemTarget } from "./azure-ids";
import { BackupJob, JobFilter, LAST_READ_GRACE_MS, listJobs } from "./backup-jobs";
import { sleep, untilDeadline } from "./deadline";
import { vaultIdOf } from "../rules/resource-ids";

/** Jobs that started this long before our request may still be ours: clocks differ a little. */
export const CLOCK_SKEW_MS = 30 * 1000;
/** Sends of one trigger at most, each after a search found that the one before started nothing. */
const MAX_SENDS = 3;
/** Looks at the job list after the search's end, while the list cannot be read. */
const LATE_LOOKS = 3;
/** Jobs this process has already reported as started: never the answer to a later request. */
const reported = new Set<string>();

/** How to look for the jobs a trigger may have started, from the command line. */
function listJobsCommand(item: ItemTarget, operation: string, since: Date): string {
    return `azure-vm-backup jobs list --vault ${vaultIdOf(item)} --operation ${operation} --since ${since.toISOString().replace(/\.\d+Z$/, "Z")}`;
}

/**
 * A job that may have started: the trigger was sent, and whether Azure acted on it could not be
 * told (its answer was lost and its job was not found, or the wait for its job was cut short).
 * It was not sent again. `since` is when it was first sent.
 */
export class JobOutcomeUnknown extends BackupOperationError {
    constructor(item: ItemTarget, doing: string, noun: string, operation: string, public readonly since: Date, why: string, cause?: BackupOperationError) {
        super(
            "OutcomeUnknown",
            `${doing}: the ${noun} may have started: ${why}; it was not sent again. Check with ${listJobsCommand(item, operation, new Date(since.getTime() - CLOCK_SKEW_MS))}`,
            cause?.azureCode,
            cause?.statusCode,
        );
    }
}

/** How a call that starts a job reaches Azure, how often it looks, and for how long. */
export interface TriggerOptions {
    /** How to reach Azure. */
    client?: BackupClientOptions;
    /** Time between two reads of the trigger's operation, or of the job list. @default 5000 (as `az backup protection backup-now`) */
    pollIntervalMs?: number;
    /** Stop following the trigger's operation after this long, then look for its job in the list. @default 600000 */
    operationTimeoutMs?: number;
    /** Bounds the whole call: the trigger, any search of the vault's jobs, the operation. @default 900000 */
    timeoutMs?: number;
    /**
     * How long Azure may take to list a job after it accepted the trigger. A trigger whose answer
     * was lost is sent again only once the vault's jobs have been searched this long without
     * finding its job.
     *
     * @default 120000
     */
    jobListLagMs?: number;
    /** Stops the call: it rejects with code `Interrupted` (not sent) or `OutcomeUnknown` (sent). */
    signal?: AbortSignal;
}

/** One trigger: what it is, how to send it, and what its outcome-unknown error says. */
export interface Trigger {
    client: RecoveryServicesBackupClient;
    item: ItemTarget;
    /** "backing up VM web in vault rsv": starts every message. */
    doing: string;
    /** "backup", "restore": what may have started. */
    noun: string;
    /** The jobs' operation, as the job list filters it: "Backup", "Restore". */
    operation: string;
    /** Sends the request once; `onResponse` sees every response the SDK reads for it. */
    send: (abortSignal: AbortSignal, onResponse: (response: FullOperationResponse) => void) => Promise<void>;
    /** Reads the trigger's operation. @default - the vault's backupOperations */
    readOperation?: (operationId: string, abortSignal: AbortSignal) => Promise<OperationStatus>;
    /** Lists the jobs the trigger may have started. @default - the vault's job list */
    listJobs?: (filter: JobFilter, abortSignal: AbortSignal) => Promise<BackupJob[]>;
    /** What Azure's refusals of it mean. @default - an on-demand backup's */
    hints?: typeof ITEM_HINTS;
    /** The error for a request that may have started a job; `since` is when it was first sent. */
    unknown: (since: Date, why: string, cause?: BackupOperationError) => BackupOperationError;
}

/** Sends the trigger and resolves with the id of the one job it started. */
export async function sendOnce(trigger: Trigger, options: TriggerOptions & { deadline?: number }): Promise<{ jobId: string }> {
    const { client, item, doing, noun } = trigger;
    const look: Look = {
        client,
        item,
        operation: trigger.operation,
        interval: options.pollIntervalMs ?? 5000,
        deadline: options.deadline ?? Date.now() + (options.timeoutMs ?? 900_000),
        stop: options.signal,
        doing,
        hints: trigger.hints,
        readOperation: trigger.readOperation ?? ((id, abortSignal) => client.backupOperationStatuses.get(item.vaultName, item.resourceGroupName, id, { abortSignal })),
        listJobs: trigger.listJobs ?? ((filter, abortSignal) => listJobs(client, item, filter, abortSignal)),
    };
    const signal = untilDeadline(look.deadline, options.signal);
    const lagMs = options.jobListLagMs ?? 120_000;
    // When the first send whose outcome is unknown left: any job since may be its.
    let firstUnknown: number | undefined;
    const unknown = (why: string, cause?: BackupOperationError, since = firstUnknown ?? Date.now()) => trigger.unknown(new Date(since), why, cause);
    let lastError: BackupOperationError | undefined;
    for (let send = 1; send <= MAX_SENDS; send++) {
        if (signal.aborted) {
            const why = options.signal?.aborted ? "interrupted" : "the time given ran out";
            if (firstUnknown !== undefined) throw unknown(`${why} before its job could be found`, lastError);
            throw options.signal?.aborted
                ? new BackupOperationError("Interrupted", `${doing}: interrupted before the ${noun} was sent`)
                : new BackupOperationError("Timeout", `${doing}: the time given ran out before the ${noun} was sent`);
        }
        const sentAt = Date.now();
        let operationUrl: string | undefined;
        let accepted = false;
        try {
            await trigger.send(signal, (response) => {
                // The trigger's own answer: an SDK poller may read its operation with the same callback.
                if (response.request.method !== "POST") return;
                accepted = response.status >= 200 && response.status < 300;
                operationUrl = response.headers.get("azure-asyncoperation") ?? response.headers.get("location") ?? undefined;
            });
        } catch (err) {
            // A failure after Azure accepted the trigger and named its operation (an SDK poller's
            // first look at that operation) is not the trigger's: the operation is followed below.
            if (!accepted || !operationUrl) {
                const failure = trigger.hints ? explain(err, doing, trigger.hints) : explain(err, doing);
                if (!outcomeUnknown(err)) {
                    // Refused as running after an earlier answer was lost: the running job may be that one, listed late.
                    if (failure.code === "BackupAlreadyRunning" && firstUnknown !== undefined) {
                        const found = await findStartedJob(look, firstUnknown, Date.now() + lagMs);
                        if (found.jobId) return claim(found.jobId);
                        throw unknown(`a ${noun} of the VM is running (Azure said ${failure.azureCode}), and it may be the one an earlier attempt started, whose answer was lost`, failure);
                    }
                    throw failure;
                }
                firstUnknown ??= sentAt;
                lastError = failure;
                if (signal.aborted) {
                    // Stopped with the request in flight: one last look, then it is unknown.
                    const found = await findStartedJob(lastLook(look), firstUnknown, 0);
                    if (found.jobId) return claim(found.jobId);
                    throw unknown(`${options.signal?.aborted ? "interrupted" : "the time given ran out"} before Azure answered, and no job of it has been listed yet`, failure);
                }
                // Azure may have started the job before the answer was lost: look, for as long as
                // Azure may take to list the job, before anything is sent again.
                const found = await findStartedJob(look, firstUnknown, sentAt + lagMs);
                if (found.jobId) return claim(found.jobId);
                if (found.unsure) throw unknown(`its answer was lost (${failure.message}) and ${found.unsure}`, failure);
                continue;
            }
        }
        const operationId = operationUrl?.split("?")[0].split("/").pop();
        if (!operationId) {
            // Accepted, but with no operation to follow: its job is found in the list, or it is unknown.
            firstUnknown ??= sentAt;
            const found = await findStartedJob(look, firstUnknown, sentAt + lagMs);
            if (found.jobId) return claim(found.jobId);
            throw unknown(`Azure accepted the request but named no operation to follow, and ${found.unsure ?? "no job of it has been listed"}`);
        }
        const since = firstUnknown ?? sentAt;
        const until = Math.min(look.deadline, sentAt + (options.operationTimeoutMs ?? 600_000));
        return claim(await followOperation(look, operationId, until, since, (why, cause) => unknown(why, cause, since)));
    }
    throw new BackupOperationError(
        "OperationFailed",
        `${doing}: Azure's answer was lost ${MAX_SENDS} times and no ${noun} was started; try again later (${lastError?.message ?? "no answer"})`,
        lastError?.azureCode,
        lastError?.statusCode,
    );
}

/** What a search of the jobs, or the following of an operation, needs. */
interface Look {
    client: RecoveryServicesBackupClient;
    item: ItemTarget;
    /** The jobs' operation: "Backup", "Restore". */
    operation: string;
    interval: number;
    deadline: number;
    /** The caller's own stop. */
    stop?: AbortSignal;
    doing: string;
    hints?: typeof ITEM_HINTS;
    readOperation: NonNullable<Trigger["readOperation"]>;
    listJobs: NonNullable<Trigger["listJobs"]>;
}

/**
 * Polls the trigger's operation (as `az` does, at the vault) until it names its job. Azure
 * accepted the backup: when the operation cannot be followed to its end, the job is looked for
 * in the list once, and without it the backup's outcome is unknown.
 */
async function followOperation(
    look: Look,
    operationId: string,
    until: number,
    sentAt: number,
    unknown: (why: string, cause?: BackupOperationError) => BackupOperationError,
): Promise<string> {
    const { interval, doing } = look;
    // The read in flight at the end of the time given may finish a moment later.
    const signal = untilDeadline(until + LAST_READ_GRACE_MS, look.stop);
    let failure: BackupOperationError | undefined;
    for (;;) {
        let status;
        try {
            status = await look.readOperation(operationId, signal);
            failure = undefined;
        } catch (err) {
            // Cut short at the end of the time given: the operation is as last read.
            if (signal.aborted) break;
            failure = explain(err, `${doing}: following operation ${operationId}`);
            if (!readMayPass(err)) break;
        }
        if (status?.status === "Succeeded") {
            const properties = status.properties as { jobId?: string; jobIds?: string[] } | undefined;
            const jobId = properties?.jobId ?? properties?.jobIds?.[0];
            if (jobId) return jobId;
            failure = new BackupOperationError("OperationFailed", `${doing}: the operation succeeded without naming its job`);
            break;
        }
        if (status !== undefined && status.status !== "InProgress") {
            // The operation itself failed: Azure refused the backup after accepting the request.
            throw refusal(doing, status.error?.code, status.error?.message ?? status.status, 400, look.hints);
        }
        if (signal.aborted || Date.now() >= until) break;
        // The last read happens at the end of the time given.
        await sleep(Math.min(interval, until - Date.now()), look.stop);
    }
    // One look at the list, which may name the job the operation would have.
    const found = await findStartedJob(lastLook(look), sentAt, 0);
    if (found.jobId) return found.jobId;
    const why = look.stop?.aborted
        ? `interrupted before Azure named its job (operation ${operationId})`
        : failure
          ? `Azure accepted it, but its operation ${operationId} could not be read (${failure.message})`
          : `Azure accepted it, but its operation ${operationId} was still in progress when the time given ran out`;
    throw unknown(`${why}, and no job of it has been listed yet`, failure);
}

/** A last look at the job list, when the time given has run out or the caller stopped: it may take a moment more. */
function lastLook(look: Look): Look {
    return { ...look, stop: undefined, deadline: (look.stop?.aborted ? Date.now() : Math.max(Date.now(), look.deadline)) + LAST_READ_GRACE_MS };
}

function claim(jobId: string): { jobId: string } {
    reported.add(jobId);
    return { jobId };
}

/**
 * A backup job of this VM that started since `sentAt`, looked for until `until` (one look at
 * least). `unsure` says why none can be ruled out: the jobs could not be read, or the search
 * stopped (deadline, interruption) before `until`.
 */
async function findStartedJob(look: Look, sentAt: number, until: number): Promise<{ jobId?: string; unsure?: string }> {
    const { item, interval } = look;
    const since = sentAt - CLOCK_SKEW_MS;
    const signal = untilDeadline(look.deadline, look.stop);
    let unreadable: BackupOperationError | undefined;
    let lateLooks = 0;
    for (;;) {
        try {
            const jobs = await look.listJobs({ operation: look.operation, from: new Date(since) }, signal);
            unreadable = undefined;
            const ours = jobs.find(
                (j) =>
                    !reported.has(j.jobId) &&
                    j.vmName.toLowerCase() === item.vmName.toLowerCase() &&
                    (j.containerName === undefined || j.containerName.toLowerCase().endsWith(item.containerName.replace(/^iaasvmcontainer;/, ""))) &&
                    j.isUserTriggered !== false &&
                    (j.startTime?.getTime() ?? 0) >= since,
            );
            if (ours) return { jobId: ours.jobId };
        } catch (err) {
            unreadable = err instanceof BackupOperationError ? err : explain(err, "reading jobs");
        }
        const now = Date.now();
        if (now >= until && !unreadable) return {};
        if (signal.aborted || now + Math.min(interval, Math.max(0, until - now)) >= look.deadline) {
            if (unreadable) return { unsure: `the vault's jobs could not be read to tell whether it started (${unreadable.message})` };
            return { unsure: look.stop?.aborted ? "the search of the vault's jobs was interrupted" : "the time given ran out before the vault's jobs could be searched for as long as Azure takes to list a job" };
        }
        if (now >= until && unreadable) {
            // Covered the list's lag, but the last look failed: a few more, while time remains.
            if (++lateLooks > LATE_LOOKS) return { unsure: `the vault's jobs could not be read to tell whether it started (${unreadable.message})` };
            await sleep(Math.min(interval, look.deadline - now), look.stop);
            continue;
        }
        await sleep(Math.min(interval, Math.max(0, until - now)), look.stop);
    }
}
