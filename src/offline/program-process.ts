// The process a preview runs the program in, apart from the command's own: a program that never
// ends (a timer left running, a busy loop) can then be stopped at the deadline, which no code in
// the program's own thread could do. It says { ready } and takes { program, inventory } as its one
// message, then tells each { planned } resource and answers with { run } or { failure }; what the
// program prints goes to the command's stderr.
import { estateDiagnostics } from "./estate-rules";
import { Inventory } from "./inventory";
import { inventoryGaps } from "./inventory-gaps";
import { PulumiProgram } from "./project";
import { PlannedResource, ProgramRun, runProgram } from "./run-program";

export type ProgramRequest = { program: PulumiProgram; inventory: Inventory };
export type ProgramAnswer = { ready: true } | { planned: PlannedResource } | { run: ProgramRun } | { failure: string };

async function answer(request: ProgramRequest): Promise<ProgramAnswer> {
    try {
        // Each resource as it is planned: a run stopped at the deadline still shows how far it got.
        const run = await runProgram(request.program, request.inventory, (planned) => process.send!({ planned }));
        run.diagnostics.push(...estateDiagnostics(run, request.inventory));
        return { run: { ...run, diagnostics: inventoryGaps(run.diagnostics, request.inventory) } };
    } catch (err) {
        return { failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
}

/** Serves one request from the command that started this process. */
export function serveProgram(): void {
    // `once`: with no listener left, the channel no longer keeps this process alive, so the run can
    // tell (as the language host does) when the program has nothing left to do.
    process.once("message", (request: ProgramRequest) => {
        void answer(request).then((message) => {
            // As under the language host: a run with errors exits 1, and only a run without them has
            // the Pulumi runtime check for promises left pending (it then prints why and exits 1).
            process.exitCode = "run" in message && !message.run.diagnostics.some((d) => d.severity === "error") ? 0 : 1;
            process.send!(message, () => process.exit());
        });
    });
    process.send!({ ready: true });
}
