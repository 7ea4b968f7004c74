import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { UsageError } from "../usage-error";
import { BackupOperationError } from "../on-demand/backup-operation-error";
import { ItemTarget, itemTarget } from "../on-demand/azure-ids";
import { parseVmId, vmKey } from "../rules/resource-ids";
import type { BackupJob } from "../on-demand/backup-jobs";
import { isRunning, type JobStatus } from "../on-demand/job-status";
import { fromFlags, parseCount, parseDuration, parseEndpoint } from "./arguments";
import { INTERRUPTED, UNKNOWN, interruptible, parsePollInterval, parseTimeout } from "./following";
import { Progress, lineLog, liveTable } from "./progress";
import { BackupTarget, targetsFromStack } from "./stack-outputs";

export interface BackupNowFlags {
    vault?: string;
    vm?: string[];
    fromStack?: string;
    retainUntil?: string;
    wait?: boolean;
    concurrency: string;
    timeout?: string;
    pollInterval: string;
    jobListLag: string;
    endpoint?: string;
    json?: boolean;
}

interface Outcome {
    vmId: string;
    vaultId: string;
    jobId?: string;
    status?: string;
    job?: BackupJob;
    error?: { code: string; message: string };
}

/** Runs `work` over `items`, at most `concurrency` at a time; no item starts once `stop()` says so. */
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length && !stop()) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** The VMs to back up, each once, from `--from-stack` and `--vault`/`--vm`. */
function targetsOf(flags: BackupNowFlags): BackupTarget[] {
    const named: BackupTarget[] = [];
    if (flags.fromStack) named.push(...targetsFromStack(flags.fromStack));
    if (flags.vm?.length) {
        if (!flags.vault) throw new UsageError("--vm needs --vault, the vault that protects the VMs");
        named.push(...flags.vm.map((vmId) => ({ vaultId: flags.vault!, vmId })));
    }
    if (named.length === 0) throw new UsageError("name the VMs to back up: --vault <vaultId> --vm <vmId>..., or --from-stack <file>");
    // A VM named twice is backed up once.
    return [...new Map(named.map((t) => [vmKey(t.vmId), t])).values()];
}

type Entry = { target: BackupTarget; item: ItemTarget; label: string; outcome: Outcome };

/** A value read from the command line: what the library refuses there is bad usage of its flag. */
function asUsage<T>(read: () => T): T {
    return fromFlags(read, { vaultId: "--vault", vmId: "--vm", retainUntil: "--retain-until" });
}

/** One entry per VM, named by VM; by group and VM where two VMs share a name. */
function entriesOf(targets: BackupTarget[]): Entry[] {
    const parsed = targets.map((t) => ({ target: t, item: asUsage(() => itemTarget(t.vaultId, t.vmId)) }));
    const names = parsed.map((p) => p.item.vmName.toLowerCase());
    return parsed.map((p) => ({
        ...p,
        label: names.filter((n) => n === p.item.vmName.toLowerCase()).length > 1 ? `${parseVmId(p.target.vmId)!.resourceGroupName}/${p.item.vmName}` : p.item.vmName,
        outcome: { vmId: p.target.vmId, vaultId: p.target.vaultId },
    }));
}

/** Statuses that end the command with 1: the backup failed, ran past --timeout, or was never sent. */
const FAILED = new Set(["Failed", "Cancelled", "TimedOut", "NotTriggered"]);

/** Prints what became of every VM; returns the exit code. */
function report(outcomes: Outcome[], json: boolean | undefined, interrupted: boolean): number {
    if (json) {
        process.stdout.write(`${JSON.stringify(interrupted ? { interrupted, results: outcomes } : { results: outcomes }, null, 2)}\n`);
    } else {
        const counts = new Map<string, number>();
        for (const o of outcomes) counts.set(o.status ?? "", (counts.get(o.status ?? "") ?? 0) + 1);
        if (interrupted) process.stdout.write("interrupted: the backups triggered go on in Azure; none was sent twice\n");
        process.stdout.write(`${[...counts].map(([s, n]) => `${n} ${s}`).join(", ")}\n`);
        for (const o of outcomes) {
            if (o.error) process.stdout.write(`  ${o.vmId}: ${o.error.message}\n`);
            else if (interrupted) process.stdout.write(`  ${o.vmId}: ${o.status}${o.jobId ? `, job ${o.jobId}` : ""}\n`);
        }
    }
    if (interrupted) return INTERRUPTED;
    if (outcomes.some((o) => o.status !== undefined && FAILED.has(o.status))) return 1;
    if (outcomes.some((o) => o.status === "Unknown")) return UNKNOWN;
    if (outcomes.some((o) => o.status === "CompletedWithWarnings")) return 3;
    return 0;
}

/** What both phases of a run share. */
interface Run {
    items: Entry[];
    concurrency: number;
    pollIntervalMs: number;
    /** When --timeout runs out (Infinity without it). */
    deadline: number;
    timeout?: string;
    /** Aborted by Ctrl-C or SIGTERM. */
    interrupt: AbortSignal;
    clientFor(subscription: string): Promise<RecoveryServicesBackupClient>;
    progress: Progress;
}

/** Records how a VM ended without a job to follow (or with one that cannot be read). */
function ended(run: Run, entry: Entry, status: string, err: unknown): void {
    // No VM can be backed up without a sign-in: one line for the command, not one per VM.
    if (err instanceof BackupOperationError && err.code === "NotSignedIn") throw err;
    const e = err instanceof BackupOperationError ? err : new BackupOperationError("AzureError", err instanceof Error ? err.message : String(err));
    entry.outcome.error = { code: e.code, message: e.message };
    entry.outcome.status = status;
    run.progress.update(entry.label, { stage: status === "Unknown" ? "unknown" : "failed", message: e.message });
}

/** Triggers every backup, `concurrency` at a time, until all are sent or time runs out. */
async function triggerAll(run: Run, expiry: Date, jobListLagMs: number): Promise<void> {
    const { triggerBackup } = await import("../on-demand/backup-now");
    await pool(
        run.items,
        run.concurrency,
        async (entry) => {
            try {
                run.progress.update(entry.label, { stage: "triggering" });
                const { jobId } = await triggerBackup(await run.clientFor(entry.item.subscriptionId), entry.item, expiry, {
                    pollIntervalMs: run.pollIntervalMs,
                    jobListLagMs,
                    signal: run.interrupt,
                    ...(Number.isFinite(run.deadline) ? { deadline: run.deadline } : {}),
                });
                entry.outcome.jobId = jobId;
                entry.outcome.status = "Triggered";
                run.progress.update(entry.label, { stage: "job", job: { jobId, vmName: entry.item.vmName, operation: "Backup", status: "InProgress", errors: [] } });
            } catch (err) {
                const code = err instanceof BackupOperationError ? err.code : undefined;
                ended(run, entry, code === "OutcomeUnknown" ? "Unknown" : code === "Interrupted" || code === "Timeout" ? "NotTriggered" : "Failed", err);
            }
        },
        () => run.interrupt.aborted || Date.now() >= run.deadline,
    );
    for (const entry of run.items.filter((e) => e.outcome.status === undefined)) {
        entry.outcome.status = "NotTriggered";
        if (!run.interrupt.aborted) ended(run, entry, "NotTriggered", new BackupOperationError("Timeout", `not sent: the time given (--timeout ${run.timeout}) ran out first`));
    }
}

/** Without --timeout, a job whose reads keep failing is given up after this many rounds in a row. */
const UNREADABLE_ROUNDS = 10;

/**
 * Follows every job triggered: one read of each running job per round, `concurrency` at a time,
 * then a pause. A read that may pass later is tried again next round, while time remains; a job
 * that cannot be read is Unknown, not Failed.
 */
async function followAll(run: Run): Promise<void> {
    const { tryReadJob, JobUnreadable, LAST_READ_GRACE_MS } = await import("../on-demand/backup-jobs");
    const { sleep, untilDeadline } = await import("../on-demand/deadline");
    // A read in flight at the deadline may finish a moment later; the interruption stops it at once.
    const reads = untilDeadline(run.deadline + LAST_READ_GRACE_MS, run.interrupt);
    const unread = new Map<Entry, { failure: BackupOperationError; rounds: number }>();
    const unknown = (entry: Entry) =>
        ended(run, entry, "Unknown", new JobUnreadable(entry.item, entry.outcome.jobId!, entry.outcome.job, unread.get(entry)?.failure ?? new BackupOperationError("Timeout", "no read passed before the time given ran out")));
    // Triggered and not read yet, or a job status the library counts as running.
    const stillRunning = (e: Entry) => e.outcome.status === "Triggered" || isRunning(e.outcome.status as JobStatus);

    let running = run.items.filter((e) => e.outcome.jobId !== undefined);
    while (running.length > 0) {
        await pool(running, run.concurrency, async (entry) => {
            const read = await tryReadJob(await run.clientFor(entry.item.subscriptionId), entry.item, entry.outcome.jobId!, reads);
            if (run.interrupt.aborted) return;
            if ("job" in read) {
                unread.delete(entry);
                entry.outcome.job = read.job;
                entry.outcome.status = read.job.status;
                run.progress.update(entry.label, { stage: "job", job: read.job });
                return;
            }
            const rounds = (unread.get(entry)?.rounds ?? 0) + 1;
            unread.set(entry, { failure: read.failure, rounds });
            if (!read.mayPass || (rounds >= UNREADABLE_ROUNDS && !Number.isFinite(run.deadline))) unknown(entry);
        });
        if (run.interrupt.aborted) return;
        running = running.filter(stillRunning);
        if (running.length === 0) return;
        if (Date.now() >= run.deadline) {
            for (const entry of running) {
                if (unread.has(entry) || entry.outcome.status === "Triggered") unknown(entry);
                else ended(run, entry, "TimedOut", new BackupOperationError("Timeout", `job ${entry.outcome.jobId} (${entry.item.vmName}) was still ${entry.outcome.status} after ${run.timeout}`));
            }
            return;
        }
        // The last round reads at the deadline itself.
        await sleep(Math.min(run.pollIntervalMs, run.deadline - Date.now()), run.interrupt);
    }
}

/**
 * Exit codes: 0 every backup completed (or, without --wait, started), 1 any failed, timed out or
 * was not sent, 3 completed with warnings, 4 a backup may have started or a job could not be read
 * (the report says how to check), 130 interrupted.
 */
export async function backupNowCommand(flags: BackupNowFlags): Promise<number> {
    const targets = targetsOf(flags);
    const concurrency = parseCount("--concurrency", flags.concurrency);
    const pollIntervalMs = parsePollInterval(flags.pollInterval);
    const timeoutMs = parseTimeout(flags.timeout);
    const jobListLagMs = parseDuration("--job-list-lag", flags.jobListLag);
    parseEndpoint("--endpoint", flags.endpoint);

    const { resolveRetainUntil } = await import("../on-demand/backup-now");
    const { createBackupClient } = await import("../on-demand/backup-client");
    const expiry = asUsage(() => resolveRetainUntil(flags.retainUntil));
    const items = entriesOf(targets);
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;

    const clients = new Map<string, Promise<RecoveryServicesBackupClient>>();
    const clientFor = (subscription: string) => {
        if (!clients.has(subscription)) clients.set(subscription, createBackupClient(subscription, { endpoint: flags.endpoint }));
        return clients.get(subscription)!;
    };
    const progress: Progress =
        !flags.json && process.stdout.isTTY ? liveTable(process.stdout) : lineLog((line) => (flags.json ? process.stderr : process.stdout).write(line));

    return interruptible(async (interrupt) => {
        const run: Run = { items, concurrency, pollIntervalMs, deadline, timeout: flags.timeout, interrupt, clientFor, progress };
        // Every backup starts first, so that none waits on another's job; then all are followed.
        await triggerAll(run, expiry, jobListLagMs);
        if (flags.wait && !interrupt.aborted) await followAll(run);
        progress.close();
        return report(
            items.map((e) => e.outcome),
            flags.json,
            interrupt.aborted,
        );
    });
}
