import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../usage-error";
import { nameOf, vmKey } from "../rules/resource-ids";
import type { DrillServices } from "../on-demand/restore-drill";
import { fromFlagsAsync, parseDuration, parseEndpoint } from "./arguments";
import { INTERRUPTED, interruptible, parsePollInterval, parseTimeout } from "./following";
import { lineLog, liveTable } from "./progress";
import { RESTORE_FLAGS } from "./restore-command";
import { vaultAndVm } from "./recovery-points-command";

export interface RestoreDrillFlags {
    vault?: string;
    vm?: string[];
    targetResourceGroup?: string;
    stagingStorage?: string;
    keep?: boolean;
    report?: string;
    markdown?: string;
    json?: boolean;
    timeout?: string;
    pollInterval: string;
    jobListLag: string;
    endpoint?: string;
}

const GROUP_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/?$/i;
const STORAGE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+\/?$/i;

function required(flag: string, value: string | undefined, rule: RegExp, what: string): string {
    if (value === undefined) throw new UsageError(`${flag}: the drill needs ${what}`);
    if (!rule.test(value)) throw new UsageError(`${flag}: must be ${what}, got ${JSON.stringify(value)}`);
    return value.replace(/\/+$/, "");
}

/** A report file's folder must be writable before the drill starts, not found wanting after hours of restores. */
function checkWritable(flag: string, file: string | undefined): void {
    if (file === undefined) return;
    try {
        fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK);
    } catch {
        throw new UsageError(`${flag}: cannot write ${JSON.stringify(file)}: its folder does not exist or is not writable`);
    }
}

/** Writes a report file, saying which flag named it when it cannot. */
function writeReport(flag: string, file: string, text: string): void {
    try {
        fs.writeFileSync(file, text);
    } catch (err) {
        throw new UsageError(`${flag}: cannot write ${JSON.stringify(file)} (${err instanceof Error ? err.message : String(err)})`);
    }
}

/** Exit codes: 0 every VM passed the drill, 1 any failed (or left something behind), 130 interrupted. */
export async function restoreDrillCommand(flags: RestoreDrillFlags): Promise<number> {
    if (!flags.vm?.length) throw new UsageError("--vm: name the VMs to drill, --vm <vmId>...");
    // Each VM once, checked before anything is sent.
    const targets = [...new Map(flags.vm.map((vm) => [vmKey(vm), vaultAndVm({ vault: flags.vault, vm })])).values()];
    const targetResourceGroupId = required("--target-resource-group", flags.targetResourceGroup, GROUP_ID, "a resource group ID, /subscriptions/{subscription}/resourceGroups/{group}, to restore into");
    const stagingStorageAccountId = required(
        "--staging-storage",
        flags.stagingStorage,
        STORAGE_ID,
        "a storage account ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{name}, for the restore's staging files",
    );
    const timeoutMs = parseTimeout(flags.timeout);
    const pollIntervalMs = parsePollInterval(flags.pollInterval);
    const jobListLagMs = parseDuration("--job-list-lag", flags.jobListLag);
    const endpoint = parseEndpoint("--endpoint", flags.endpoint);
    checkWritable("--report", flags.report);
    checkWritable("--markdown", flags.markdown);
    const client = { endpoint };

    const [{ runRestoreDrill, newDrillId }, { drillJson, drillMarkdown }, { azureDrillServices }] = await Promise.all([
        import("../on-demand/restore-drill"),
        import("../on-demand/drill-report"),
        import("../on-demand/drill-services"),
    ]);
    const azure = await azureDrillServices({ client, pollIntervalMs, jobListLagMs });
    // What the restore refuses is said by the flag the value came from.
    const services: DrillServices = { ...azure, restoreDisks: (target, o) => fromFlagsAsync(() => azure.restoreDisks(target, o), RESTORE_FLAGS) };
    const progress = process.stderr.isTTY && !flags.json ? liveTable(process.stderr) : lineLog((line) => process.stderr.write(line));
    const drillId = newDrillId();
    process.stderr.write(`restore drill ${drillId}: ${targets.length} VM(s) into ${targetResourceGroupId}\n`);

    return interruptible(async (signal) => {
        const report = await runRestoreDrill(services, targets, {
            drillId,
            targetResourceGroupId,
            stagingStorageAccountId,
            keep: flags.keep,
            signal,
            deadline: timeoutMs === undefined ? undefined : Date.now() + timeoutMs,
            onProgress: (vmId, text) => progress.update(nameOf(vmId), { stage: "step", text }),
        });
        progress.close();
        const json = drillJson(report);
        const markdown = drillMarkdown(report);
        // The report reaches stdout whatever becomes of the files.
        process.stdout.write(flags.json ? json : markdown);
        if (flags.report) writeReport("--report", flags.report, json);
        if (flags.markdown) writeReport("--markdown", flags.markdown, markdown);
        if (report.interrupted) return INTERRUPTED;
        return report.passed ? 0 : 1;
    });
}
