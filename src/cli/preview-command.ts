import { fork } from "child_process";
import { EMPTY_INVENTORY, loadInventory } from "../offline/inventory";
import { DEFAULT_STACK, readProgram, stackUrn } from "../offline/project";
import type { ProgramAnswer, ProgramRequest } from "../offline/program-process";
import type { Diagnostic, PlannedResource, ProgramRun } from "../offline/run-program";
import { UsageError } from "../usage-error";
import { INTERRUPTED, parseTimeout } from "./following";

export interface PreviewOptions {
    inventory?: string;
    stack?: string;
    json?: boolean;
    timeout?: string;
}

/** Long enough for a large program on a slow CI runner, short of a CI job's own limit. */
export const DEFAULT_TIMEOUT = "10m";
/** Node's timers hold at most 2^31-1 ms; a day is more than any preview needs. */
const MAX_TIMEOUT = { ms: 86_400_000, text: "24h" };

/** Exit codes: 0 the program is valid (warnings allowed), 1 it has errors or did not finish, 2 bad usage or unreadable input. */
export async function previewCommand(programDir: string, options: PreviewOptions): Promise<number> {
    let request: ProgramRequest, deadline: number;
    const timeout = options.timeout ?? DEFAULT_TIMEOUT;
    try {
        deadline = parseTimeout(timeout, MAX_TIMEOUT)!;
        request = {
            program: readProgram(programDir, options.stack ?? DEFAULT_STACK, { stackFileRequired: options.stack !== undefined }),
            inventory: options.inventory ? loadInventory(options.inventory) : EMPTY_INVENTORY,
        };
    } catch (err) {
        if (err instanceof UsageError) {
            console.error(`azure-vm-backup: ${err.message}`);
            return 2;
        }
        throw err;
    }
    const { toJson, toText } = await import("../offline/render");
    const run = await runInChild(request, deadline, timeout);
    process.stdout.write(`${options.json ? JSON.stringify(toJson(run), null, 2) : toText(run)}\n`);
    return run.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

const LEAKED =
    "the program ended with promises still pending (the Pulumi runtime's message is on stderr): an output or a resource waits on something that never settles";

/** The hidden command that serves a preview's program process (see main.ts). */
export const PROGRAM_PROCESS_COMMAND = "preview-program";

/**
 * Runs the program in a process of its own, stopped at the deadline. That process is this command
 * again, started the same way (same script, same Node options), so whatever loaded the command
 * loads it too. Its stdout is this command's stderr: the report on stdout stays alone there.
 */
function runInChild(request: ProgramRequest, ms: number, timeout: string): Promise<ProgramRun> {
    const child = fork(process.argv[1], [PROGRAM_PROCESS_COMMAND], { stdio: ["ignore", 2, 2, "ipc"] });
    const urn = stackUrn(request.program);
    const error = (message: string): Diagnostic => ({ severity: "error", urn, message });
    // A run that never answered: what it had planned, and why it has no more.
    const planned: PlannedResource[] = [];
    const unfinished = (message: string): ProgramRun => ({
        stackUrn: urn,
        resources: planned.sort((a, b) => (a.order ?? 0) - (b.order ?? 0)),
        diagnostics: [error(message)],
        outputs: {},
    });
    return new Promise((resolve, reject) => {
        let answer: ProgramAnswer | undefined;
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
        }, ms);
        // Stopped from outside (Ctrl-C, a CI job cancelled), the command takes the program with it,
        // and exits as backup-now and jobs wait do when interrupted.
        const interrupted = () => {
            child.kill("SIGKILL");
            process.exit(INTERRUPTED);
        };
        process.once("SIGINT", interrupted);
        process.once("SIGTERM", interrupted);
        child.on("message", (message: ProgramAnswer) => {
            if ("ready" in message) child.send(request);
            else if ("planned" in message) planned.push(message.planned);
            else answer = message;
        });
        child.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            process.off("SIGINT", interrupted);
            process.off("SIGTERM", interrupted);
            if (answer && "run" in answer) {
                const { run } = answer;
                if (code !== 0 && !run.diagnostics.some((d) => d.severity === "error")) run.diagnostics.push(error(LEAKED));
                resolve(run);
            } else if (answer && "failure" in answer) {
                reject(new Error(answer.failure));
            } else if (timedOut) {
                resolve(
                    unfinished(
                        `the program did not finish within the deadline of ${timeout} (--timeout ${timeout}), so the preview stopped it: ` +
                            "look for a timer or connection left open, a loop that never ends, or an endless chain of promises",
                    ),
                );
            } else {
                resolve(unfinished(`the program ended the process (${signal ? `signal ${signal}` : `exit code ${code}`}) before the preview could finish`));
            }
        });
    });
}
