// Dates and times as users write them, read one strict way for ProtectedVm.initialBackup,
// backupNow's retainUntil and the command's --retain-until and --since: a date that does not
// exist (2027-02-30) is refused where it is written, not when Azure reads it at `pulumi up`.
// JavaScript's Date parsing is not used: it rolls 2027-02-30 over to March and reads a time
// without an offset in the machine's zone.

/** A date alone, or a point in time. */
export type DateText = { kind: "day"; day: string } | { kind: "instant"; at: Date };

/** The forms accepted, for messages. */
export const DATE_FORMS = "a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00)";

const FORM = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Reads `YYYY-MM-DD`, or a date and time `YYYY-MM-DDTHH:MM[:SS[.fff]]` (a space for the `T`
 * too) with `Z` or an offset; a time without either is in UTC. Every field must exist: month
 * 1-12, the month's own days, hours 0-23, minutes and seconds 0-59, offsets up to 14 hours.
 * Returns the reason, without the value, when the text is not one.
 */
export function readDate(text: string): { value: DateText } | { reason: string } {
    const m = FORM.exec(text);
    if (!m) return { reason: `must be ${DATE_FORMS}` };
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
        return { reason: `must be a real date YYYY-MM-DD${month >= 1 && month <= 12 ? ` (${m[1]}-${m[2]} has ${daysIn(year, month)} days)` : ""}` };
    }
    if (m[4] === undefined) return { value: { kind: "day", day: `${m[1]}-${m[2]}-${m[3]}` } };
    const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) return { reason: "must be a real time of day (hours 00-23, minutes and seconds 00-59)" };
    let offsetMinutes = 0;
    const zone = m[8];
    if (zone !== undefined && zone.toUpperCase() !== "Z") {
        const [hh, mm] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
        if (hh * 60 + mm > 14 * 60 || mm > 59) return { reason: "must have an offset from UTC of at most 14 hours, such as +01:00" };
        offsetMinutes = (zone[0] === "-" ? -1 : 1) * (hh * 60 + mm);
    }
    const ms = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
    const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
    return { value: { kind: "instant", at } };
}

/** The start of a date's day in UTC. */
export function startOfDay(day: string): Date {
    return new Date(`${day}T00:00:00.000Z`);
}

/** The last second of a date's day in UTC, as the portal's calendar keeps a recovery point. */
export function endOfDay(day: string): Date {
    return new Date(`${day}T23:59:59.000Z`);
}
