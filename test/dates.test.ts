// The one strict date reader that ProtectedVm.initialBackup, backupNow's retainUntil and the
// command's --retain-until and --since share: both sides of every field's bound.
import { DATE_FORMS, endOfDay, readDate, startOfDay } from "../src/rules/dates";
import { parseSince } from "../src/cli/arguments";
import { UsageError } from "../src/usage-error";

const iso = (text: string) => {
    const read = readDate(text);
    if (!("value" in read)) throw new Error(`refused: ${read.reason}`);
    return read.value.kind === "day" ? read.value.day : read.value.at.toISOString();
};
const reason = (text: string) => {
    const read = readDate(text);
    if ("value" in read) throw new Error(`accepted: ${JSON.stringify(read.value)}`);
    return read.reason;
};

describe("readDate", () => {
    test.each([
        ["2027-01-31", "2027-01-31"],
        ["2027-02-28", "2027-02-28"],
        ["2028-02-29", "2028-02-29"], // a leap year
        ["2000-02-29", "2000-02-29"], // divisible by 400
        ["2027-04-30", "2027-04-30"],
        ["2027-12-31", "2027-12-31"],
        ["2027-06-01T10:00:00Z", "2027-06-01T10:00:00.000Z"],
        ["2027-06-01T10:00Z", "2027-06-01T10:00:00.000Z"],
        ["2027-06-01 10:00:00", "2027-06-01T10:00:00.000Z"], // no offset: UTC, never the machine's zone
        ["2027-06-01t10:00:00z", "2027-06-01T10:00:00.000Z"],
        ["2027-06-01T23:59:59.999Z", "2027-06-01T23:59:59.999Z"],
        ["2027-06-01T00:00:00.1234567Z", "2027-06-01T00:00:00.123Z"], // Azure's seven digits
        ["2027-06-01T10:00:00+02:00", "2027-06-01T08:00:00.000Z"],
        ["2027-06-01T10:00:00-0530", "2027-06-01T15:30:00.000Z"],
        ["2027-06-01T10:00:00+14:00", "2027-05-31T20:00:00.000Z"],
        ["2027-06-01T10:00:00-14:00", "2027-06-02T00:00:00.000Z"],
    ])("%s is %s", (text, expected) => {
        expect(iso(text)).toBe(expected);
    });

    test.each([
        ["2027-02-29", "must be a real date YYYY-MM-DD (2027-02 has 28 days)"],
        ["2027-02-30", "must be a real date YYYY-MM-DD (2027-02 has 28 days)"],
        ["2100-02-29", "must be a real date YYYY-MM-DD (2100-02 has 28 days)"], // divisible by 100, not 400
        ["2027-04-31", "must be a real date YYYY-MM-DD (2027-04 has 30 days)"],
        ["2027-12-32", "must be a real date YYYY-MM-DD (2027-12 has 31 days)"],
        ["2027-01-00", "must be a real date YYYY-MM-DD (2027-01 has 31 days)"],
        ["2027-00-10", "must be a real date YYYY-MM-DD"],
        ["2027-13-01", "must be a real date YYYY-MM-DD"],
        ["2027-06-01T24:00:00Z", "must be a real time of day (hours 00-23, minutes and seconds 00-59)"],
        ["2027-06-01T23:60:00Z", "must be a real time of day (hours 00-23, minutes and seconds 00-59)"],
        ["2027-06-01T23:59:60Z", "must be a real time of day (hours 00-23, minutes and seconds 00-59)"],
        ["2027-06-01T10:00:00+14:01", "must have an offset from UTC of at most 14 hours, such as +01:00"],
        ["2027-06-01T10:00:00-15:00", "must have an offset from UTC of at most 14 hours, such as +01:00"],
        ["2027-06-01T10:00:00+01:60", "must have an offset from UTC of at most 14 hours, such as +01:00"],
        ["2027-6-1", `must be ${DATE_FORMS}`],
        ["27-06-01", `must be ${DATE_FORMS}`],
        ["2027-06-01T10", `must be ${DATE_FORMS}`],
        ["June 1, 2027", `must be ${DATE_FORMS}`],
        ["1780000000000", `must be ${DATE_FORMS}`],
        [" 2027-06-01", `must be ${DATE_FORMS}`],
        ["", `must be ${DATE_FORMS}`],
    ])("%j is refused: %s", (text, expected) => {
        expect(reason(text)).toBe(expected);
    });

    test("a day's bounds in UTC", () => {
        expect(startOfDay("2027-06-01").toISOString()).toBe("2027-06-01T00:00:00.000Z");
        expect(endOfDay("2027-06-01").toISOString()).toBe("2027-06-01T23:59:59.000Z");
    });
});

describe("--since reads the same way", () => {
    const now = new Date("2027-06-01T12:00:00.000Z");
    const refused = (value: string) => {
        try {
            parseSince("--since", value, now);
        } catch (e) {
            expect(e).toBeInstanceOf(UsageError);
            return (e as Error).message;
        }
        throw new Error("expected a UsageError");
    };

    test("a date is the start of that day in UTC; a date and time as given; a duration back from now", () => {
        expect(parseSince("--since", "2027-05-30", now).toISOString()).toBe("2027-05-30T00:00:00.000Z");
        expect(parseSince("--since", "2027-05-30T08:30:00+02:00", now).toISOString()).toBe("2027-05-30T06:30:00.000Z");
        expect(parseSince("--since", "24h", now).toISOString()).toBe("2027-05-31T12:00:00.000Z");
    });
    test("a date that does not exist is refused, saying why", () => {
        expect(refused("2027-02-30")).toBe('--since: must be a real date YYYY-MM-DD (2027-02 has 28 days), got "2027-02-30"');
    });
    test("text of no form is told every form", () => {
        expect(refused("yesterday")).toBe(`--since: must be ${DATE_FORMS}, or a duration back from now such as 24h, got "yesterday"`);
    });
});
