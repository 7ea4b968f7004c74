import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { UsageError } from "../usage-error";
import { BackupOperationError } from "../on-demand/backup-operation-error";
import { ItemTarget, itemTarget } from "../on-demand/azure-ids";
import { parseVmId, vmKey } from "../rules/resource-ids";
import type { BackupJob } from "../on-demand/backup-jobs";
import { fromFlags, parseCount, parseDuration, parseEndpoint } from "./arguments";
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

/** Runs `work` over `items`, at most `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) await work(items[next++]);
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

/** Prints what became of every VM; returns the exit code. */
function report(outcomes: Outcome[], json: boolean | undefined): number {
    if (json) {
        process.stdout.write(`${JSON.stringify({ results: outcomes }, null, 2)}\n`);
    } else {
        const counts = new Map<string, number>();
        for (const o of outcomes) counts.set(o.status ?? "", (counts.get(o.status ?? "") ?? 0) + 1);
        process.stdout.write(`${[...counts].map(([s, n]) => `${n} ${s}`).join(", ")}\n`);
        for (const o of outcomes.filter((x) => x.error)) process.stdout.write(`  ${o.vmId}: ${o.error!.message}\n`);
    }
    if (outcomes.some((o) => o.error || o.status === "Failed" || o.status === "Cancelled")) return 1;
    if (outcomes.some((o) => o.status === "CompletedWithWarnings")) return 3;
    return 0;
}

/** Exit codes: 0 every backup completed (or, without --wait, started), 1 any failed, 3 completed with warnings. */
export async function backupNowCommand(flags: BackupNowFlags): Promise<number> {
    const targets = targetsOf(flags);
    const concurrency = parseCount("--concurrency", flags.concurrency);
    const pollIntervalMs = parseDuration("--poll-interval", flags.pollInterval);
    if (pollIntervalMs < 1) throw new UsageError(`--poll-interval: must be more than 0, got ${JSON.stringify(flags.pollInterval)}`);
    const timeoutMs = flags.timeout === undefined ? undefined : parseDuration("--timeout", flags.timeout);
    parseEndpoint("--endpoint", flags.endpoint);

    const { resolveRetainUntil, triggerBackup } = await import("../on-demand/backup-now");
    const { createBackupClient } = await import("../on-demand/backup-client");
    const { readJob, sleep } = await import("../on-demand/backup-jobs");
    const expiry = asUsage(() => resolveRetainUntil(flags.retainUntil));
    const items = entriesOf(targets);

    const clients = new Map<string, Promise<RecoveryServicesBackupClient>>();
    const clientFor = (subscription: string) => {
        if (!clients.has(subscription)) clients.set(subscription, createBackupClient(subscription, { endpoint: flags.endpoint }));
        return clients.get(subscription)!;
    };
    const progress: Progress =
        !flags.json && process.stdout.isTTY ? liveTable(process.stdout) : lineLog((line) => (flags.json ? process.stderr : process.stdout).write(line));
    const failed = (entry: Entry, err: unknown) => {
        // No VM can be backed up without a sign-in: one line for the command, not one per VM.
        if (err instanceof BackupOperationError && err.code === "NotSignedIn") throw err;
        const e = err instanceof BackupOperationError ? err : new BackupOperationError("AzureError", err instanceof Error ? err.message : String(err));
        entry.outcome.error = { code: e.code, message: e.message };
        entry.outcome.status = e.code === "Timeout" ? "TimedOut" : "Failed";
        progress.update(entry.label, { stage: "failed", message: e.message });
    };

    // Every backup starts first, so that none waits on another's job; then all are followed.
    await pool(items, concurrency, async (entry) => {
        try {
            progress.update(entry.label, { stage: "triggering" });
            const { jobId } = await triggerBackup(await clientFor(entry.item.subscriptionId), entry.item, expiry, { pollIntervalMs });
            entry.outcome.jobId = jobId;
            entry.outcome.status = "Triggered";
            progress.update(entry.label, { stage: "job", job: { jobId, vmName: entry.item.vmName, operation: "Backup", status: "InProgress", errors: [] } });
        } catch (err) {
            failed(entry, err);
        }
    });

    if (flags.wait) {
        const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
        let running = items.filter((e) => e.outcome.jobId !== undefined);
        // One read of each running job per round, `concurrency` at a time, then a pause.
        while (running.length > 0) {
            await pool(running, concurrency, async (entry) => {
                try {
                    const job = await readJob(await clientFor(entry.item.subscriptionId), entry.item, entry.outcome.jobId!);
                    entry.outcome.job = job;
                    entry.outcome.status = job.status;
                    progress.update(entry.label, { stage: "job", job });
                } catch (err) {
                    failed(entry, err);
                }
            });
            running = running.filter((e) => e.outcome.status === "InProgress" || e.outcome.status === "Cancelling");
            if (running.length === 0) break;
            if (Date.now() + pollIntervalMs > deadline) {
                for (const entry of running) {
                    failed(entry, new BackupOperationError("Timeout", `job ${entry.outcome.jobId} (${entry.item.vmName}) was still ${entry.outcome.status} after ${flags.timeout}`));
                }
                break;
            }
            await sleep(pollIntervalMs);
        }
    }
    progress.close();

    return report(items.map((e) => e.outcome), flags.json);
}
