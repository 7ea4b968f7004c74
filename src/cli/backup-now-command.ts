import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { UsageError } from "../usage-error";
import { BackupOperationError } from "../on-demand/backup-operation-error";
import { ItemTarget, itemTarget } from "../on-demand/azure-ids";
import { parseVmId, vmKey } from "../rules/resource-ids";
import type { BackupJob } from "../on-demand/backup-jobs";
import { parseCount, parseDuration } from "./arguments";
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

/** A value read from the command line: what the library refuses there is bad usage. */
function asUsage<T>(read: () => T): T {
    try {
        return read();
    } catch (err) {
        if (err instanceof BackupOperationError) throw new UsageError(err.message);
        throw err;
    }
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

/** Statuses that end the command with 1: the backup failed, or was never sent. */
const FAILED = new Set(["Failed", "Cancelled", "TimedOut", "NotTriggered"]);
/** Without --timeout, a job whose reads keep failing is given up after this many rounds in a row. */
const UNREADABLE_ROUNDS = 10;

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

/**
 * Exit codes: 0 every backup completed (or, without --wait, started), 1 any failed or was not
 * sent, 3 completed with warnings, 4 a backup may have started or a job could not be read (the
 * report says how to check), 130 interrupted.
 */
export async function backupNowCommand(flags: BackupNowFlags): Promise<number> {
    const targets = targetsOf(flags);
    const concurrency = parseCount("--concurrency", flags.concurrency);
    const pollIntervalMs = parsePollInterval(flags.pollInterval);
    const timeoutMs = parseTimeout(flags.timeout);
    const jobListLagMs = parseDuration("--job-list-lag", flags.jobListLag);
    if (flags.endpoint !== undefined && !/^https:\/\//.test(flags.endpoint)) throw new UsageError(`--endpoint: must be an https URL, got ${JSON.stringify(flags.endpoint)}`);

    const { resolveRetainUntil, triggerBackup } = await import("../on-demand/backup-now");
    const { createBackupClient } = await import("../on-demand/backup-client");
    const { tryReadJob, JobUnreadable, LAST_READ_GRACE_MS } = await import("../on-demand/backup-jobs");
    const { sleep, untilDeadline } = await import("../on-demand/deadline");
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
    const ended = (entry: Entry, status: string, err: unknown) => {
        const e = err instanceof BackupOperationError ? err : new BackupOperationError("AzureError", err instanceof Error ? err.message : String(err));
        entry.outcome.error = { code: e.code, message: e.message };
        entry.outcome.status = status;
        progress.update(entry.label, { stage: "failed", message: e.message });
    };

    return interruptible(async (interrupt) => {
        const over = () => interrupt.aborted || Date.now() >= deadline;
        // Every backup starts first, so that none waits on another's job; then all are followed.
        await pool(
            items,
            concurrency,
            async (entry) => {
                try {
                    progress.update(entry.label, { stage: "triggering" });
                    const { jobId } = await triggerBackup(await clientFor(entry.item.subscriptionId), entry.item, expiry, {
                        pollIntervalMs,
                        jobListLagMs,
                        signal: interrupt,
                        ...(Number.isFinite(deadline) ? { deadline } : {}),
                    });
                    entry.outcome.jobId = jobId;
                    entry.outcome.status = "Triggered";
                    progress.update(entry.label, { stage: "job", job: { jobId, vmName: entry.item.vmName, operation: "Backup", status: "InProgress", errors: [] } });
                } catch (err) {
                    const code = err instanceof BackupOperationError ? err.code : undefined;
                    ended(entry, code === "OutcomeUnknown" ? "Unknown" : code === "Interrupted" || code === "Timeout" ? "NotTriggered" : "Failed", err);
                }
            },
            over,
        );
        for (const entry of items.filter((e) => e.outcome.status === undefined)) {
            entry.outcome.status = "NotTriggered";
            if (!interrupt.aborted) ended(entry, "NotTriggered", new BackupOperationError("Timeout", `not sent: the time given (--timeout ${flags.timeout}) ran out first`));
        }

        if (flags.wait && !interrupt.aborted) {
            // A read in flight at the deadline may finish a moment later; the interruption stops it at once.
            const reads = untilDeadline(deadline + LAST_READ_GRACE_MS, interrupt);
            const unread = new Map<Entry, BackupOperationError>();
            const failures = new Map<Entry, number>();
            let running = items.filter((e) => e.outcome.jobId !== undefined);
            // One read of each running job per round, `concurrency` at a time, then a pause.
            while (running.length > 0) {
                await pool(running, concurrency, async (entry) => {
                    const read = await tryReadJob(await clientFor(entry.item.subscriptionId), entry.item, entry.outcome.jobId!, reads);
                    if (interrupt.aborted) return;
                    if ("job" in read) {
                        unread.delete(entry);
                        failures.delete(entry);
                        entry.outcome.job = read.job;
                        entry.outcome.status = read.job.status;
                        progress.update(entry.label, { stage: "job", job: read.job });
                    } else if (read.mayPass && (failures.set(entry, (failures.get(entry) ?? 0) + 1).get(entry)! < UNREADABLE_ROUNDS || Number.isFinite(deadline))) {
                        // Tried again next round, while time remains.
                        unread.set(entry, read.failure);
                    } else {
                        ended(entry, "Unknown", unreadable(entry, read.failure));
                    }
                });
                if (interrupt.aborted) break;
                running = running.filter((e) => e.outcome.status === "InProgress" || e.outcome.status === "Cancelling" || e.outcome.status === "Triggered");
                if (running.length === 0) break;
                if (Date.now() >= deadline) {
                    for (const entry of running) {
                        const failure = unread.get(entry);
                        if (failure || entry.outcome.status === "Triggered") ended(entry, "Unknown", unreadable(entry, failure));
                        else ended(entry, "TimedOut", new BackupOperationError("Timeout", `job ${entry.outcome.jobId} (${entry.item.vmName}) was still ${entry.outcome.status} after ${flags.timeout}`));
                    }
                    break;
                }
                // The last round reads at the deadline itself.
                await sleep(Math.min(pollIntervalMs, deadline - Date.now()), interrupt);
            }
        }
        progress.close();
        return report(
            items.map((e) => e.outcome),
            flags.json,
            interrupt.aborted,
        );
    });

    function unreadable(entry: Entry, failure: BackupOperationError | undefined): BackupOperationError {
        return new JobUnreadable(entry.item, entry.outcome.jobId!, entry.outcome.job, failure ?? new BackupOperationError("Timeout", "no read passed before the time given ran out"));
    }
}
