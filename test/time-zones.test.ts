import {
    WINDOWS_TIME_ZONES,
    isWindowsTimeZone,
    observesDaylightSaving,
    representativeIanaZone,
    windowsTimeZoneFor,
} from "../src/rules/time-zones";

describe("isWindowsTimeZone", () => {
    it.each([
        "UTC",
        "Pacific Standard Time",
        "W. Europe Standard Time",
        "India Standard Time",
        "GMT Standard Time",
        "Dateline Standard Time",
        "UTC-11",
        "UTC+12",
        "UTC+13",
        "UTC-02",
        "Pacific Standard Time (Mexico)",
        "Turks And Caicos Standard Time",
        "Russia Time Zone 11",
        "Yukon Standard Time",
    ])("accepts %j", (id) => {
        expect(isWindowsTimeZone(id)).toBe(true);
    });

    it.each([
        "Coordinated Universal Time",
        "utc",
        "pacific standard time",
        "W Europe Standard Time",
        "Europe/Berlin",
        "UTC+1",
        "UTC-12",
        "GMT",
        "",
        " UTC",
    ])("rejects %j", (id) => {
        expect(isWindowsTimeZone(id)).toBe(false);
    });
});

describe("observesDaylightSaving", () => {
    it.each([
        "W. Europe Standard Time",
        "Pacific Standard Time",
        "Eastern Standard Time",
        "GMT Standard Time",
        "AUS Eastern Standard Time",
        "New Zealand Standard Time",
        "Central Europe Standard Time",
        "FLE Standard Time",
        "Israel Standard Time",
        "Pacific SA Standard Time",
        "Egypt Standard Time",
        "Morocco Standard Time",
    ])("%j observes DST", (id) => {
        expect(observesDaylightSaving(id)).toBe(true);
    });

    it.each([
        "UTC",
        "India Standard Time",
        "Arabian Standard Time",
        "Tokyo Standard Time",
        "Russian Standard Time",
        "China Standard Time",
        "US Mountain Standard Time",
        "E. Australia Standard Time",
        "Central Standard Time (Mexico)",
        "Turkey Standard Time",
        "Jordan Standard Time",
        "E. South America Standard Time",
        "UTC+12",
    ])("%j does not", (id) => {
        expect(observesDaylightSaving(id)).toBe(false);
    });

    it("is false for unknown ids", () => {
        expect(observesDaylightSaving("Europe/Berlin")).toBe(false);
        expect(observesDaylightSaving("pacific standard time")).toBe(false);
    });
});

describe("windowsTimeZoneFor", () => {
    it.each([
        ["Europe/Berlin", "W. Europe Standard Time"],
        ["Europe/Amsterdam", "W. Europe Standard Time"],
        ["Europe/London", "GMT Standard Time"],
        ["Europe/Dublin", "GMT Standard Time"],
        ["Europe/Paris", "Romance Standard Time"],
        ["America/Los_Angeles", "Pacific Standard Time"],
        ["America/Vancouver", "Pacific Standard Time"],
        ["America/New_York", "Eastern Standard Time"],
        ["America/Toronto", "Eastern Standard Time"],
        ["America/Phoenix", "US Mountain Standard Time"],
        ["Asia/Calcutta", "India Standard Time"],
        ["Asia/Kolkata", "India Standard Time"],
        ["Asia/Tokyo", "Tokyo Standard Time"],
        ["Asia/Dubai", "Arabian Standard Time"],
        ["Asia/Riyadh", "Arab Standard Time"],
        ["Asia/Baghdad", "Arabic Standard Time"],
        ["Australia/Melbourne", "AUS Eastern Standard Time"],
        ["Europe/Kyiv", "FLE Standard Time"],
        ["Europe/Moscow", "Russian Standard Time"],
        ["Etc/UTC", "UTC"],
        ["UTC", "UTC"],
        ["Etc/GMT", "UTC"],
        ["Etc/GMT+12", "Dateline Standard Time"],
        ["Etc/GMT-12", "UTC+12"],
        ["US/Pacific", "Pacific Standard Time"],
        ["europe/berlin", "W. Europe Standard Time"],
    ])("IANA %j -> %j", (input, expected) => {
        expect(windowsTimeZoneFor(input)).toBe(expected);
    });

    it.each([
        ["utc", "UTC"],
        ["pacific standard time", "Pacific Standard Time"],
        ["PACIFIC STANDARD TIME", "Pacific Standard Time"],
        ["w. europe standard time", "W. Europe Standard Time"],
        ["W Europe Standard Time", "W. Europe Standard Time"],
        ["india standard time", "India Standard Time"],
        ["utc+12", "UTC+12"],
        ["utc-11", "UTC-11"],
        ["pacific standard time (mexico)", "Pacific Standard Time (Mexico)"],
        ["  Tokyo Standard Time  ", "Tokyo Standard Time"],
    ])("wrong case %j -> %j", (input, expected) => {
        expect(windowsTimeZoneFor(input)).toBe(expected);
    });

    it("returns a correct id unchanged", () => {
        for (const id of WINDOWS_TIME_ZONES) expect(windowsTimeZoneFor(id)).toBe(id);
    });

    it.each(["", "Coordinated Universal Time", "Mars/Olympus_Mons", "CET+1", "Berlin", "UTC+1"])("%j -> undefined", (input) => {
        expect(windowsTimeZoneFor(input)).toBeUndefined();
    });

    it("always answers with a Windows id", () => {
        for (const input of ["Africa/Lagos", "Pacific/Chatham", "America/Sao_Paulo", "asia/seoul", "greenwich standard time"]) {
            const id = windowsTimeZoneFor(input);
            expect(id).toBeDefined();
            expect(isWindowsTimeZone(id as string)).toBe(true);
        }
    });
});

describe("WINDOWS_TIME_ZONES", () => {
    it("has about 140 unique ids", () => {
        expect(new Set(WINDOWS_TIME_ZONES).size).toBe(WINDOWS_TIME_ZONES.length);
        expect(WINDOWS_TIME_ZONES.length).toBeGreaterThanOrEqual(135);
        expect(WINDOWS_TIME_ZONES.length).toBeLessThanOrEqual(145);
    });

    it("keeps ids distinct even with case and punctuation folded", () => {
        const folded = WINDOWS_TIME_ZONES.map((id) => id.toLowerCase().replace(/[^a-z0-9+-]/g, ""));
        expect(new Set(folded).size).toBe(folded.length);
    });

    it("gives every id a representative IANA zone this machine's Intl accepts", () => {
        for (const id of WINDOWS_TIME_ZONES) {
            const zone = representativeIanaZone(id);
            expect(zone).toBeDefined();
            expect(() => new Intl.DateTimeFormat("en-US", { timeZone: zone })).not.toThrow();
            // The representative zone maps back to its own Windows id.
            expect(windowsTimeZoneFor(zone as string)).toBe(id);
        }
    });

    it("maps the newer IANA names to the same zone Intl treats them as", () => {
        const canonical = (z: string): string => new Intl.DateTimeFormat("en-US", { timeZone: z }).resolvedOptions().timeZone;
        const pairs: Array<[string, string]> = [
            ["Asia/Kolkata", "Asia/Calcutta"],
            ["Asia/Kathmandu", "Asia/Katmandu"],
            ["Asia/Yangon", "Asia/Rangoon"],
            ["Asia/Ho_Chi_Minh", "Asia/Saigon"],
            ["Europe/Kyiv", "Europe/Kiev"],
            ["America/Nuuk", "America/Godthab"],
            ["America/Argentina/Buenos_Aires", "America/Buenos_Aires"],
            ["Pacific/Kanton", "Pacific/Enderbury"],
            ["Atlantic/Faroe", "Atlantic/Faeroe"],
        ];
        for (const [modern, legacy] of pairs) {
            expect(canonical(modern)).toBe(canonical(legacy));
            expect(windowsTimeZoneFor(modern)).toBe(windowsTimeZoneFor(legacy));
            expect(windowsTimeZoneFor(modern)).toBeDefined();
        }
    });
});
