// Command-line values: durations ("90s", "15m", "2h", "7d") and points in time.
import { UsageError } from "../usage-error";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds from "90s", "15m", "2h", "7d", "250ms" or a bare number of seconds. */
export function parseDuration(option: string, value: string): number {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
    if (!m) throw new UsageError(`${option}: must be a duration such as 90s, 15m, 2h or 7d, got ${JSON.stringify(value)}`);
    return Math.round(Number(m[1]) * UNITS[m[2] ?? "s"]);
}

/** A point in time from a date (YYYY-MM-DD, UTC), a date and time, or a duration back from now ("24h"). */
export function parseSince(option: string, value: string, now: Date = new Date()): Date {
    if (/^\d+(?:\.\d+)?(ms|s|m|h|d)$/.test(value.trim())) return new Date(now.getTime() - parseDuration(option, value));
    const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(at.getTime())) throw new UsageError(`${option}: must be a date (YYYY-MM-DD), a date and time, or a duration back from now such as 24h, got ${JSON.stringify(value)}`);
    return at;
}

/** A positive whole number. */
export function parseCount(option: string, value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option}: must be a whole number of at least 1, got ${JSON.stringify(value)}`);
    return n;
}
