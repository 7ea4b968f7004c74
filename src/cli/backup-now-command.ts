import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { UsageError } from "../offline/project";
import { BackupOperationError } from "../on-demand/backup-operation-error";
import { itemTarget } from "../on-demand/azure-ids";
import type { BackupJob } from "../on-demand/backup-jobs";
import { parseCount, parseDuration } from "./arguments";
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

/** Exit codes: 0 every backup completed (or, without --wait, started), 1 any failed, 3 completed with warnings. */
export async function backupNowCommand(flags: BackupNowFlags): Promise<number> {
    const targets: BackupTarget[] = [];
    if (flags.fromStack) targets.push(...targetsFromStack(flags.fromStack));
    if (flags.vm?.length) {
        if (!flags.vault) throw new UsageError("--vm needs --vault, the vault that protects the VMs");
        targets.push(...flags.vm.map((vmId) => ({ vaultId: flags.vault!, vmId })));
    }
    if (targets.length === 0) throw new UsageError("name the VMs to back up: --vault <vaultId> --vm <vmId>..., or --from-stack <file>");
    const concurrency = parseCount("--concurrency", flags.concurrency);
    const pollIntervalMs = parseDuration("--poll-interval", flags.pollInterval);
    const timeoutMs = flags.timeout === undefined ? undefined : parseDuration("--timeout", flags.timeout);

    const { resolveRetainUntil, triggerBackup } = await import("../on-demand/backup-now");
    const { createBackupClient } = await import("../on-demand/backup-client");
    const { waitForJob } = await import("../on-demand/backup-jobs");
    let expiry: Date;
    let items;
    try {
        expiry = resolveRetainUntil(flags.retainUntil);
        items = targets.map((t) => ({ target: t, item: itemTarget(t.vaultId, t.vmId) }));
    } catch (err) {
        if (err instanceof BackupOperationError) throw new UsageError(err.message);
        throw err;
    }

    const clients = new Map<string, Promise<RecoveryServicesBackupClient>>();
    const clientFor = (subscription: string) => {
        if (!clients.has(subscription)) clients.set(subscription, createBackupClient(subscription, { endpoint: flags.endpoint }));
        return clients.get(subscription)!;
    };
    const progress: Progress =
        !flags.json && process.stdout.isTTY ? liveTable(process.stdout) : lineLog((line) => (flags.json ? process.stderr : process.stdout).write(line));

    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const { target, item } = items[next++];
            const outcome: Outcome = { vmId: target.vmId, vaultId: target.vaultId };
            outcomes.push(outcome);
            try {
                progress.update(item.vmName, { stage: "triggering" });
                const client = await clientFor(item.subscriptionId);
                const { jobId } = await triggerBackup(client, item, expiry, { pollIntervalMs });
                outcome.jobId = jobId;
                if (flags.wait) {
                    const job = await waitForJob(client, item, jobId, { pollIntervalMs, timeoutMs, onProgress: (j) => progress.update(item.vmName, { stage: "job", job: j }) });
                    outcome.job = job;
                    outcome.status = job.status;
                } else {
                    outcome.status = "Triggered";
                    progress.update(item.vmName, { stage: "job", job: { jobId, vmName: item.vmName, operation: "Backup", status: "InProgress", errors: [] } });
                }
            } catch (err) {
                const e = err instanceof BackupOperationError ? err : new BackupOperationError("AzureError", err instanceof Error ? err.message : String(err));
                outcome.error = { code: e.code, message: e.message };
                outcome.status = e.code === "Timeout" ? "TimedOut" : "Failed";
                progress.update(item.vmName, { stage: "failed", message: e.message });
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    progress.close();

    outcomes.sort((a, b) => targets.findIndex((t) => t.vmId === a.vmId) - targets.findIndex((t) => t.vmId === b.vmId));
    if (flags.json) {
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
