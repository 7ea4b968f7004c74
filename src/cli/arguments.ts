// Command-line values: durations ("90s", "15m", "2h", "7d"), points in time, endpoints, and the
// library's refusals of them said as bad usage of the flag they came from.
import { UsageError } from "../usage-error";
import { DATE_FORMS, readDate, startOfDay } from "../rules/dates";
import { isHttpsUrl } from "../on-demand/api-arguments";
import { InvalidArgumentError } from "../on-demand/backup-operation-error";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds from "90s", "15m", "2h", "7d", "250ms" or a bare number of seconds. */
export function parseDuration(option: string, value: string): number {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
    if (!m) throw new UsageError(`${option}: must be a duration such as 90s, 15m, 2h or 7d, got ${JSON.stringify(value)}`);
    return Math.round(Number(m[1]) * UNITS[m[2] ?? "s"]);
}

/** A point in time from a date (YYYY-MM-DD, the start of that day in UTC), a date and time, or a duration back from now ("24h"). */
export function parseSince(option: string, value: string, now: Date = new Date()): Date {
    if (/^\d+(?:\.\d+)?(ms|s|m|h|d)$/.test(value.trim())) return new Date(now.getTime() - parseDuration(option, value));
    const read = readDate(value.trim());
    if ("value" in read) return read.value.kind === "day" ? startOfDay(read.value.day) : read.value.at;
    // Text of no accepted form is told all three forms; a date that does not exist, what is wrong with it.
    const reason = read.reason === `must be ${DATE_FORMS}` ? `${read.reason}, or a duration back from now such as 24h` : read.reason;
    throw new UsageError(`${option}: ${reason}, got ${JSON.stringify(value)}`);
}

/** A positive whole number. */
export function parseCount(option: string, value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option}: must be a whole number of at least 1, got ${JSON.stringify(value)}`);
    return n;
}

/** A Resource Manager endpoint: an https URL, the scheme in any case. */
export function parseEndpoint(option: string, value: string | undefined): string | undefined {
    if (value !== undefined && !isHttpsUrl(value)) throw new UsageError(`${option}: must be an https URL, got ${JSON.stringify(value)}`);
    return value;
}

/**
 * Runs a library call on values from the command line: an argument it refuses is bad usage,
 * named by the flag it came from (`flags` maps the library's argument names to flags) rather
 * than by the library's name for it.
 */
export function fromFlags<T>(read: () => T, flags: Record<string, string> = {}): T {
    try {
        return read();
    } catch (err) {
        throw asUsageError(err, flags);
    }
}

/** fromFlags for a library call that checks its arguments once it runs. */
export async function fromFlagsAsync<T>(read: () => Promise<T>, flags: Record<string, string> = {}): Promise<T> {
    try {
        return await read();
    } catch (err) {
        throw asUsageError(err, flags);
    }
}

function asUsageError(err: unknown, flags: Record<string, string>): unknown {
    if (!(err instanceof InvalidArgumentError)) return err;
    // An option of the call may be named with its object ("options.mode").
    const name = flags[err.argument] ?? flags[err.argument.replace(/^options\./, "")] ?? err.argument;
    return new UsageError(`${name}: ${err.reason}`);
}
