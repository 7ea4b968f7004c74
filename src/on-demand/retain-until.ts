// When an on-demand recovery point expires: read with the one strict date reader, bounded as Azure
// bounds a VM recovery point.
import { DATE_FORMS, endOfDay, readDate } from "../rules/dates";
import { checkArguments, shown } from "./api-arguments";
import { InvalidArgumentError } from "./backup-operation-error";

const DAY = 24 * 60 * 60 * 1000;

/**
 * When the recovery point expires. Must be in the future and at most 99 years ahead (Azure's
 * limit for a VM recovery point). A date alone keeps it to the end of that day in UTC.
 */
export function resolveRetainUntil(value: Date | string | undefined, now: Date = new Date()): Date {
    checkArguments(["now", "now", now]);
    const bad = (why: string) => new InvalidArgumentError("retainUntil", `${why}, got ${value instanceof Date && !Number.isNaN(value.getTime()) ? JSON.stringify(value.toISOString()) : shown(value)}`);
    let at: Date;
    if (value === undefined) {
        at = new Date(now.getTime() + 30 * DAY);
    } else if (typeof value === "string") {
        const read = readDate(value);
        if ("reason" in read) throw bad(read.reason);
        at = read.value.kind === "day" ? endOfDay(read.value.day) : read.value.at;
    } else if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw bad("must be a valid Date");
        at = new Date(value);
    } else {
        throw bad(`must be a Date, or a string holding ${DATE_FORMS}`);
    }
    if (at.getTime() <= now.getTime()) throw bad("must be in the future");
    const limit = new Date(now);
    limit.setUTCFullYear(limit.getUTCFullYear() + 99);
    if (at.getTime() > limit.getTime()) throw bad(`must be at most 99 years ahead (${limit.toISOString().slice(0, 10)})`);
    return at;
}
