#!/usr/bin/env node
// The azure-vm-backup command. Commands load what they need when they run, so --help stays fast.
import { Command, CommanderError } from "commander";

const program = new Command("azure-vm-backup")
    .description("Azure VM backup with Pulumi: check a backup program offline, trigger and follow backups, restore and prove restores")
    .version((require("../../package.json") as { version: string }).version)
    .exitOverride((err: CommanderError) => {
        // Help and version exit 0; any other complaint about the command line is bad usage.
        process.exit(err.exitCode === 0 ? 0 : 2);
    })
    // Commander's own complaints in the prefix every other error of the command has.
    .configureOutput({ outputError: (text, write) => write(`azure-vm-backup: ${text.replace(/^error: /, "")}`) });

program
    .command("preview")
    .description("preview a Pulumi program offline: no Pulumi CLI, no Azure credentials; look-ups are answered from an inventory")
    .argument("[program-dir]", "directory holding the program's Pulumi.yaml", ".")
    .option("--inventory <file>", "JSON export of the Azure estate the program refers to (see the README)")
    .option("--stack <name>", "stack whose Pulumi.<stack>.yaml config to use; the file must exist (default: dev, whose file is optional)")
    .option("--timeout <duration>", "stop the program and fail after this long, e.g. 90s or 15m (default: 10m)")
    .option("--json", "print { resources, diagnostics, outputs } as JSON")
    .action(async (programDir: string, options: { inventory?: string; stack?: string; json?: boolean; timeout?: string }) => {
        const { previewCommand } = await import("./preview-command");
        process.exitCode = await previewCommand(programDir, options);
    });
// The process a preview runs the program in (preview-command's PROGRAM_PROCESS_COMMAND).
program.command("preview-program", { hidden: true }).action(async () => (await import("../offline/program-process")).serveProgram());

// Both help the same commands reach Azure: --endpoint for sovereign clouds, --from-stack for pipelines.
const endpointOption = ["--endpoint <url>", "Resource Manager endpoint, for sovereign clouds (default https://management.azure.com)"] as const;
const fromStackOption = ["--from-stack <file>", "read the vault (and VMs) from `pulumi stack output --json`"] as const;
const secondaryRegionJobOption = ["--secondary-region", "a cross-region restore's job, read in the vault's paired region"] as const;
const restoreJobListLagOption = ["--job-list-lag <duration>", "how long Azure may take to list a job: a restore whose answer was lost is sent again only after its jobs were searched this long", "2m"] as const;
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Exit code of a command that no sign-in to Azure could be found for. */
const NOT_SIGNED_IN = 5;

/**
 * Prints a failure on one line, credentials redacted (whatever Azure said may be in it), and
 * returns the exit code: 2 bad usage, 5 not signed in to Azure, 1 anything else.
 */
async function fail(err: unknown): Promise<number> {
    const [{ UsageError }, { BackupOperationError }, { redact }] = await Promise.all([
        import("../usage-error"),
        import("../on-demand/backup-operation-error"),
        import("../on-demand/redact"),
    ]);
    console.error(`azure-vm-backup: ${redact(err instanceof Error ? err.message : String(err))}`);
    if (err instanceof UsageError) return 2;
    return err instanceof BackupOperationError && err.code === "NotSignedIn" ? NOT_SIGNED_IN : 1;
}

/**
 * Everything the command writes passes through redaction: what Azure says is redacted where the
 * library reads it, and this is the last line, whatever path a message took to the terminal.
 */
async function redactOutput(): Promise<void> {
    const { redact } = await import("../on-demand/redact");
    for (const stream of [process.stdout, process.stderr]) {
        const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
        stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === "string" ? redact(chunk) : chunk, ...rest)) as typeof stream.write;
    }
}

/** Runs a command: usage problems exit 2, a missing sign-in 5, Azure's refusals and other failures 1. */
function run(command: () => Promise<number>): () => Promise<void> {
    return async () => {
        let code: number;
        await redactOutput();
        try {
            code = await command();
        } catch (err) {
            code = await fail(err);
        }
        // Done is done: an idle connection or a request timer the HTTP pipeline still holds must
        // not keep the command alive (stdout and stderr are written synchronously here).
        process.exit(code);
    };
}

program
    .command("backup-now")
    .description("back up VMs now (on demand), and with --wait follow both phases of each job until it ends")
    .option("--vault <vaultId>", "resource ID of the vault that protects the VMs")
    .option("--vm <vmId>", "resource ID of a VM to back up (repeat for more)", collect)
    .option(...fromStackOption)
    .option("--retain-until <date>", "keep the recovery point until the end of this day (YYYY-MM-DD, UTC) or this time (YYYY-MM-DDTHH:MM:SSZ); default 30 days")
    .option("--wait", "follow each job until it ends; exit 0 all completed, 1 any failed, 3 completed with warnings, 4 unknown")
    .option("--concurrency <n>", "VMs handled at once", "4")
    .option("--timeout <duration>", "stop after this long, triggers and --wait included (e.g. 2h)")
    .option("--poll-interval <duration>", "time between two reads of an operation or job, 1s to 10m", "15s")
    .option("--job-list-lag <duration>", "how long Azure may take to list a job: a trigger whose answer was lost is sent again only after its jobs were searched this long", "2m")
    .option(...endpointOption)
    .option("--json", "print the results as JSON (progress goes to stderr)")
    .action((flags) => run(async () => (await import("./backup-now-command")).backupNowCommand(flags))());

const jobs = program.command("jobs").description("a vault's backup jobs");
jobs.command("list")
    .description("list the vault's VM backup jobs, newest first")
    .option("--vault <vaultId>", "resource ID of the vault")
    .option(...fromStackOption)
    .option("--status <status>", "only jobs in this status (InProgress, Completed, CompletedWithWarnings, Failed, Cancelled, Cancelling)")
    .option("--operation <operation>", "only this operation (Backup, Restore, ConfigureBackup, ...)")
    .option("--since <when>", "only jobs started since a date, a date and time, or a duration back from now (24h)")
    .option(...endpointOption)
    .option("--json", "print the jobs as JSON")
    .action((flags) => run(async () => (await import("./jobs-command")).jobsListCommand(flags))());
jobs.command("show")
    .description("show one job: a backup with both phases, a restore with what it created")
    .argument("<jobId>", "the job's id")
    .option("--vault <vaultId>", "resource ID of the vault")
    .option(...fromStackOption)
    .option(...secondaryRegionJobOption)
    .option("--disks", "a completed restore's disks, read from the configuration file it left in the staging account")
    .option(...endpointOption)
    .option("--json", "print the job as JSON")
    .action((jobId: string, flags) => run(async () => (await import("./jobs-command")).jobsShowCommand(jobId, flags))());
jobs.command("wait")
    .description("wait for a job to end; exit 0 completed, 1 failed, 3 completed with warnings, 4 unknown")
    .argument("<jobId>", "the job's id")
    .option("--vault <vaultId>", "resource ID of the vault")
    .option(...fromStackOption)
    .option(...secondaryRegionJobOption)
    .option("--timeout <duration>", "stop waiting after this long (e.g. 2h)")
    .option("--poll-interval <duration>", "time between two reads of the job, 1s to 10m", "30s")
    .option(...endpointOption)
    .option("--json", "print the job as JSON (progress goes to stderr)")
    .action((jobId: string, flags) => run(async () => (await import("./jobs-command")).jobsWaitCommand(jobId, flags))());

const recoveryPoints = program.command("recovery-points").description("the recovery points of a protected VM");
recoveryPoints
    .command("list")
    .description("list a VM's recovery points, newest first: time, consistency, tiers (and whether a rehydration is needed), zones, whether it qualifies for a restore in the paired region")
    .option("--vault <vaultId>", "resource ID of the vault that protects the VM")
    .option("--vm <vmId>", "resource ID of the VM")
    .option("--since <when>", "only points taken since a date, a date and time, or a duration back from now (7d)")
    .option("--secondary-region", "the points the vault's paired region holds: those restore --secondary-region can use (a GRS vault with cross-region restore on)")
    .option(...endpointOption)
    .option("--json", "print the points as JSON")
    .action((flags) => run(async () => (await import("./recovery-points-command")).recoveryPointsListCommand(flags))());

program
    .command("restore")
    .description("restore a VM from a recovery point: its disks into a resource group, a new VM, or the VM's own disks replaced; with --wait follow the job until it ends")
    .option("--vault <vaultId>", "resource ID of the vault that protects the VM")
    .option("--vm <vmId>", "resource ID of the VM backed up")
    .option("--point <point>", "latest, or a recovery point's id (see recovery-points list)", "latest")
    .option("--mode <mode>", "disks (managed disks into --target-resource-group), new-vm (a new VM in --vnet/--subnet), or replace-disks (overwrites the VM's disks; needs --confirm replace-disks)")
    .option("--target-resource-group <id>", "resource ID of the group the disks or the new VM go to")
    .option("--staging-storage <id>", "resource ID of the storage account, in the vault's region, for the restore's template and configuration")
    .option("--vnet <id>", "resource ID of the virtual network for a new VM")
    .option("--subnet <name>", "the subnet of --vnet for a new VM")
    .option("--target-vm-name <name>", "name of the new VM (default: Azure's)")
    .option("--secondary-region", "restore in the vault's paired region (a GRS vault with cross-region restore on)")
    .option("--confirm <what>", "replace-disks: the confirmation that --mode replace-disks may overwrite the VM's disks")
    .option("--wait", "follow the job until it ends; exit 0 completed, 1 failed, 3 completed with warnings, 4 unknown")
    .option("--timeout <duration>", "stop after this long, the trigger and --wait included (e.g. 4h)")
    .option("--poll-interval <duration>", "time between two reads of an operation or job, 1s to 10m", "30s")
    .option(...restoreJobListLagOption)
    .option(...endpointOption)
    .option("--json", "print the result as JSON (progress goes to stderr)")
    .action((flags) => run(async () => (await import("./restore-command")).restoreCommand(flags))());

program
    .command("restore-drill")
    .description("prove the backups restore: each VM's newest point restored as disks into a group, verified disk by disk, then deleted; exit 1 when any VM fails")
    .option("--vault <vaultId>", "resource ID of the vault that protects the VMs")
    .option("--vm <vmId>", "resource ID of a VM to drill (repeat for more)", collect)
    .option("--target-resource-group <id>", "resource ID of the group to restore into (a group kept for drills)")
    .option("--staging-storage <id>", "resource ID of the storage account, in the vault's region, for the restores' staging files")
    .option("--keep", "leave the restored disks in place (tagged with the drill's id)")
    .option("--report <file>", "write the report as JSON to this file")
    .option("--markdown <file>", "write the report as Markdown to this file (what a pipeline posts)")
    .option("--json", "print the JSON report instead of the Markdown one (progress goes to stderr either way)")
    .option("--timeout <duration>", "stop the drill after this long (e.g. 6h); a restore still running is reported as left behind")
    .option("--poll-interval <duration>", "time between two reads of a job or a disk deletion, 1s to 10m", "30s")
    .option(...restoreJobListLagOption)
    .option(...endpointOption)
    .action((flags) => run(async () => (await import("./restore-drill-command")).restoreDrillCommand(flags))());

const inventory = program.command("inventory").description("the inventory the offline preview reads");
inventory
    .command("export")
    .description("write the inventory of VMs, vaults, backup policies and VM backup items from Azure Resource Graph (no secrets: no admin user names, no SSH keys)")
    .option("--subscription <id>", "subscription to read (repeat for more; default: every subscription the sign-in can read)", collect)
    .option("--resource-group <name>", "only this resource group (repeat for more; name the vaults' groups too)", collect)
    .option("--output <file>", "write the inventory to this file (default: stdout)")
    .option(...endpointOption)
    .action((flags) => run(async () => (await import("./inventory-command")).inventoryExportCommand(flags))());

program.parseAsync(process.argv).catch(async (err: unknown) => {
    await fail(err);
    process.exit(2);
});
