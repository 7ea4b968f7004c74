// The command as the tests run it: a child process of its source (test/cli-from-source.js),
// with what it printed and the code it exited with.
import { ChildProcess, execFile } from "child_process";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..");
export const CLI = path.join(__dirname, "cli-from-source.js");

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Starts `file args` (by default the command); `done` settles when it exits, however it exits. */
export function start(args: string[], env: NodeJS.ProcessEnv = process.env, file = process.execPath, fileArgs = [CLI]): { child: ChildProcess; done: Promise<CliResult> } {
    let child!: ChildProcess;
    const done = new Promise<CliResult>((resolve) => {
        child = execFile(file, [...fileArgs, ...args], { cwd: ROOT, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
    });
    return { child, done };
}

/** Runs the command to its end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
    return start(args, env).done;
}

/**
 * Runs the command and sends it SIGINT (or `signal`) once `ready` passes, given what it printed
 * so far (checked on output, and every few ms for what a fake sees).
 */
export function runInterrupted(args: string[], env: NodeJS.ProcessEnv, ready: (output: string) => boolean, signal: NodeJS.Signals = "SIGINT"): Promise<CliResult & { sentAt?: number; endedAt: number }> {
    return new Promise((resolve) => {
        let sentAt: number | undefined;
        const { child, done } = start(args, env);
        void done.then((r) => resolve({ ...r, sentAt, endedAt: Date.now() }));
        let output = "";
        const check = () => {
            if (sentAt === undefined && ready(output)) {
                sentAt = Date.now();
                clearInterval(timer);
                child.kill(signal);
            }
        };
        const timer = setInterval(check, 10);
        child.on("exit", () => clearInterval(timer));
        const watch = (chunk: Buffer | string) => {
            output += chunk.toString();
            check();
        };
        child.stdout!.on("data", watch);
        child.stderr!.on("data", watch);
    });
}
