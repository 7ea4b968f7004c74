import { EMPTY_INVENTORY, loadInventory } from "../offline/inventory";
import { readProgram } from "../offline/project";
import { UsageError } from "../usage-error";

/** Exit codes: 0 the program is valid (warnings allowed), 1 it has errors, 2 bad usage or unreadable input. */
export async function previewCommand(programDir: string, options: { inventory?: string; stack: string; json?: boolean }): Promise<number> {
    let program, inventory;
    try {
        program = readProgram(programDir, options.stack);
        inventory = options.inventory ? loadInventory(options.inventory) : EMPTY_INVENTORY;
    } catch (err) {
        if (err instanceof UsageError) {
            console.error(`azure-vm-backup preview: ${err.message}`);
            return 2;
        }
        throw err;
    }
    // Pulumi's SDK loads only once the input is known to be readable.
    const [{ runProgram }, { estateDiagnostics }, { toJson, toText }] = await Promise.all([
        import("../offline/run-program"),
        import("../offline/estate-rules"),
        import("../offline/render"),
    ]);
    const run = await runProgram(program, inventory);
    run.diagnostics.push(...estateDiagnostics(run, inventory));
    process.stdout.write(`${options.json ? JSON.stringify(toJson(run), null, 2) : toText(run)}\n`);
    return run.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
