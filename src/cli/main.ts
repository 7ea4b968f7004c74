#!/usr/bin/env node
// The azure-vm-backup command. Commands load what they need when they run, so --help stays fast.
import { Command, CommanderError } from "commander";

const program = new Command("azure-vm-backup")
    .description("Azure VM backup with Pulumi: check a backup program offline, trigger and follow backups")
    .version((require("../../package.json") as { version: string }).version)
    .exitOverride((err: CommanderError) => {
        // Help and version exit 0; any other complaint about the command line is bad usage.
        process.exit(err.exitCode === 0 ? 0 : 2);
    });

program
    .command("preview")
    .description("preview a Pulumi program offline: no Pulumi CLI, no Azure credentials; look-ups are answered from an inventory")
    .argument("[program-dir]", "directory holding the program's Pulumi.yaml", ".")
    .option("--inventory <file>", "JSON export of the Azure estate the program refers to (see the README)")
    .option("--stack <name>", "stack whose Pulumi.<stack>.yaml config to use", "dev")
    .option("--json", "print { resources, diagnostics } as JSON")
    .action(async (programDir: string, options: { inventory?: string; stack: string; json?: boolean }) => {
        const { previewCommand } = await import("./preview-command");
        process.exitCode = await previewCommand(programDir, options);
    });

program.parseAsync(process.argv).catch((err: unknown) => {
    console.error(`azure-vm-backup: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
});
