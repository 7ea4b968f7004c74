// What the commands that follow backups share: the poll interval's bounds, and Ctrl-C.
import { UsageError } from "../usage-error";
import { parseDuration } from "./arguments";

/** Often enough to follow a backup, seldom enough for Resource Manager's read limits. */
const POLL_INTERVAL = { min: 1000, max: 600_000, text: "between 1s and 10m" };

/** `--poll-interval`, between 1 s and 10 min. */
export function parsePollInterval(value: string): number {
    const ms = parseDuration("--poll-interval", value);
    if (ms < POLL_INTERVAL.min || ms > POLL_INTERVAL.max) throw new UsageError(`--poll-interval: must be ${POLL_INTERVAL.text}, got ${JSON.stringify(value)}`);
    return ms;
}

/** `--timeout`, when given: more than nothing, and at most `max` where the command has one. */
export function parseTimeout(value: string | undefined, max?: { ms: number; text: string }): number | undefined {
    if (value === undefined) return undefined;
    const ms = parseDuration("--timeout", value);
    if (ms < 1 || (max && ms > max.ms)) throw new UsageError(`--timeout: must be more than 0${max ? ` and at most ${max.text}` : ""}, got ${JSON.stringify(value)}`);
    return ms;
}

/** Exit code when a backup may have started, or a job could not be read: how it stands is unknown. */
export const UNKNOWN = 4;

/** Exit code of a command stopped by Ctrl-C or SIGTERM (128 + SIGINT's number, as shells report it). */
export const INTERRUPTED = 130;

/**
 * Runs `run` with a signal that Ctrl-C or SIGTERM aborts, so that the command stops polling and
 * reports how things stand. A second Ctrl-C ends the process at once.
 */
export async function interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const stop = () => {
        if (controller.signal.aborted) process.exit(INTERRUPTED);
        controller.abort();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    try {
        return await run(controller.signal);
    } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
    }
}
