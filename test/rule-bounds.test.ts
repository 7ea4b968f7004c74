// Both sides of every numeric limit the rules enforce: the last value accepted and the first
// refused, so a bound moved by one fails a test. Policy limits go through the pure schema (as in
// policy-rules.test.ts); vault, name and LUN limits through the components.
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { parseArgs, show } from "../src/rules/errors";
import { POLICY_LIMITS, policyArgsSchema } from "../src/rules/policy-schema";
import { deriveName } from "../src/rules/names";
import { SUBSCRIPTION, mockPulumi, registered, thrown } from "./mocks";

const VAULT = Object.freeze({ vaultName: "stand-in" });
const schema = policyArgsSchema((v) => v === VAULT);
const parse = (args: unknown) => parseArgs(schema, args, "VmBackupPolicy", "p");

/** The one problem `args` has, as `path: reason`. */
function problem(args: unknown): string {
    const err = thrown(() => parse(args));
    expect(err.errors).toHaveLength(1);
    return `${err.errors[0].propertyPath}: ${err.errors[0].reason}`;
}

const daily = (extra: Record<string, unknown> = {}, retention: Record<string, unknown> = { dailyDays: 30 }) => ({
    vault: VAULT,
    schedule: { frequency: "Daily", time: "02:00" },
    retention,
    ...extra,
});
const weekly = (extra: Record<string, unknown> = {}, weeks = 4) => ({
    vault: VAULT,
    schedule: { frequency: "Weekly", days: ["Sunday"], time: "02:00" },
    retention: { weekly: { weeks } },
    ...extra,
});
const hourly = (intervalHours: number, windowHours: number) => ({
    vault: VAULT,
    policyType: "Enhanced",
    schedule: { frequency: "Hourly", intervalHours, windowStartTime: "08:00", windowHours },
    retention: { dailyDays: 30 },
});

describe("retention counts: the last accepted and the first refused", () => {
    const { dailyDays, weeks, months, years } = POLICY_LIMITS;
    test("the limits are Azure's", () => {
        expect([dailyDays, weeks, months, years]).toEqual([
            { min: 7, max: 9999 },
            { min: 1, max: 5163 },
            { min: 1, max: 1188 },
            { min: 1, max: 99 },
        ]);
    });

    const withDaily = (n: number) => daily({}, { dailyDays: n });
    const withWeeks = (n: number) => daily({}, { dailyDays: 30, weekly: { weeks: n, days: ["Sunday"] } });
    const withMonths = (n: number) => daily({}, { dailyDays: 30, monthly: { months: n, daysOfMonth: [1] } });
    const withYears = (n: number) => daily({}, { dailyDays: 30, yearly: { years: n, months: ["May"], daysOfMonth: [1] } });
    test.each<[string, number, number, string, (n: number) => unknown]>([
        ["dailyDays", 7, 6, "retention.dailyDays: must be between 7 and 9999, got 6", withDaily],
        ["dailyDays", 9999, 10000, "retention.dailyDays: must be between 7 and 9999, got 10000", withDaily],
        ["weekly.weeks", 1, 0, "retention.weekly.weeks: must be between 1 and 5163, got 0", withWeeks],
        ["weekly.weeks", 5163, 5164, "retention.weekly.weeks: must be between 1 and 5163, got 5164", withWeeks],
        ["monthly.months", 1, 0, "retention.monthly.months: must be between 1 and 1188, got 0", withMonths],
        ["monthly.months", 1188, 1189, "retention.monthly.months: must be between 1 and 1188, got 1189", withMonths],
        ["yearly.years", 1, 0, "retention.yearly.years: must be between 1 and 99, got 0", withYears],
        ["yearly.years", 99, 100, "retention.yearly.years: must be between 1 and 99, got 100", withYears],
    ])("%s %p passes, %p fails", (_what, ok, bad, expected, build) => {
        expect(() => parse(build(ok))).not.toThrow();
        expect(problem(build(bad))).toBe(expected);
    });

    test.each([
        [1, 0],
        [28, 29],
    ])("day of month %p passes, %p fails", (ok, bad) => {
        const onDay = (d: number) => daily({}, { dailyDays: 30, monthly: { months: 12, daysOfMonth: [d] } });
        expect(() => parse(onDay(ok))).not.toThrow();
        expect(problem(onDay(bad))).toBe(`retention.monthly.daysOfMonth[0]: must be a day between 1 and 28, or "Last", got ${bad}`);
    });
});

describe("instant restore: the last accepted and the first refused", () => {
    test.each([
        [1, 0],
        [5, 6],
    ])("Standard daily: %p days pass, %p fail", (ok, bad) => {
        expect(parse(daily({ instantRestoreDays: ok })).instantRestoreDays).toBe(ok);
        expect(problem(daily({ instantRestoreDays: bad }))).toBe(`instantRestoreDays: must be between 1 and 5 for a Standard policy, got ${bad}`);
    });

    test.each([4, 6])("Standard weekly: exactly 5 days; %p fails", (bad) => {
        expect(parse(weekly({ instantRestoreDays: 5 })).instantRestoreDays).toBe(5);
        expect(problem(weekly({ instantRestoreDays: bad }))).toBe(
            `instantRestoreDays: must be 5 for a Standard policy with a weekly schedule (Azure fixes it there), got ${bad}`,
        );
    });

    test.each([
        [1, 0],
        [30, 31],
    ])("Enhanced: %p days pass, %p fail", (ok, bad) => {
        const enhanced = (d: number) => daily({ policyType: "Enhanced", instantRestoreDays: d }, { dailyDays: 60 });
        expect(parse(enhanced(ok)).instantRestoreDays).toBe(ok);
        expect(problem(enhanced(bad))).toBe(`instantRestoreDays: must be between 1 and 30 for an Enhanced policy, got ${bad}`);
    });

    test("not above the daily retention: equal passes, one more fails", () => {
        const enhanced = (d: number) => daily({ policyType: "Enhanced", instantRestoreDays: d }, { dailyDays: 10 });
        expect(parse(enhanced(10)).instantRestoreDays).toBe(10);
        expect(problem(enhanced(11))).toBe("instantRestoreDays: must be at most the vault retention of 10 days (retention.dailyDays), got 11");
    });

    test("not above the weekly retention of a weekly schedule (weeks × 7): equal passes, one more fails", () => {
        const enhanced = (d: number) => weekly({ policyType: "Enhanced", instantRestoreDays: d }, 1);
        expect(parse(enhanced(7)).instantRestoreDays).toBe(7);
        expect(problem(enhanced(8))).toBe("instantRestoreDays: must be at most the vault retention of 7 days (retention.weekly.weeks 1 × 7), got 8");
    });
});

describe("hourly schedule: interval and window", () => {
    test.each([4, 6, 8, 12])("interval %p hours passes", (interval) => {
        expect(() => parse(hourly(interval, 24))).not.toThrow();
    });

    test.each([3, 5, 7, 11, 13, 24])("interval %p hours fails", (interval) => {
        expect(problem(hourly(interval, 24))).toBe(`schedule.intervalHours: must be 4, 6, 8 or 12 hours, got ${interval}`);
    });

    test.each([
        [4, 3],
        [24, 25],
    ])("window %p hours passes, %p fails", (ok, bad) => {
        expect(() => parse(hourly(4, ok))).not.toThrow();
        expect(problem(hourly(4, bad))).toBe(`schedule.windowHours: must be between 4 and 24, got ${bad}`);
    });

    test("the window holds whole intervals: 16 h at 8 h passes, 12 h at 8 h fails", () => {
        expect(() => parse(hourly(8, 16))).not.toThrow();
        expect(problem(hourly(8, 12))).toBe("schedule.windowHours: must be a whole multiple of intervalHours (8), got 12");
    });

    test.each(["00:00", "00:30", "23:30"])("time of day %p passes", (time) => {
        expect(() => parse({ ...daily(), schedule: { frequency: "Daily", time } })).not.toThrow();
    });

    test.each(["24:00", "23:45", "00:29"])("time of day %p fails", (time) => {
        expect(problem({ ...daily(), schedule: { frequency: "Daily", time } })).toBe(
            `schedule.time: must be a time of day "HH:MM" on the hour or half hour, such as "02:00" or "22:30", got ${JSON.stringify(time)}`,
        );
    });
});

describe("instant-restore resource group: prefix and suffix", () => {
    test("71 characters together pass, 72 fail (74 in all with the 3 digits Azure adds)", () => {
        const named = (prefix: string, suffix: string) => daily({ instantRestoreResourceGroup: { prefix, suffix } });
        expect(() => parse(named("p".repeat(70), "s"))).not.toThrow();
        expect(problem(named("p".repeat(71), "s"))).toBe(
            "instantRestoreResourceGroup: prefix and suffix together must be at most 71 characters, leaving 3 for the number Azure puts between them (74 in all), got 72",
        );
    });
});

describe("every problem at once", () => {
    test("days of the month out of range and repeated: each day, and the repetition", () => {
        const err = thrown(() => parse(daily({}, { dailyDays: 30, monthly: { months: 12, daysOfMonth: [0, 0] } })));
        expect(err.errors.map((e) => `${e.propertyPath}: ${e.reason}`)).toEqual([
            'retention.monthly.daysOfMonth[0]: must be a day between 1 and 28, or "Last", got 0',
            'retention.monthly.daysOfMonth[1]: must be a day between 1 and 28, or "Last", got 0',
            "retention.monthly.daysOfMonth: must not repeat a day, got [0,0]",
        ]);
    });

    test("a prefix alone is held to the length too; a suffix that is not a string is reported for itself only", () => {
        const named = (group: Record<string, unknown>) => daily({ instantRestoreResourceGroup: group });
        expect(() => parse(named({ prefix: "p".repeat(71) }))).not.toThrow();
        expect(problem(named({ prefix: "p".repeat(72) }))).toBe(
            "instantRestoreResourceGroup: prefix and suffix together must be at most 71 characters, leaving 3 for the number Azure puts between them (74 in all), got 72",
        );
        expect(problem(named({ prefix: "p".repeat(72), suffix: 5 }))).toBe("instantRestoreResourceGroup.suffix: must be a string, got number 5");
    });
});

describe("names", () => {
    const POLICY_RULE = "must be 3-150 characters of letters, digits and hyphens, start with a letter and not end with a hyphen";

    test.each([
        ["abc", "ab"],
        [`a${"b".repeat(149)}`, `a${"b".repeat(150)}`],
        ["a-b", "ab-"],
        ["a1-2", "1ab"],
    ])("policyName %p passes, %p fails", (ok, bad) => {
        expect(parse(daily({ policyName: ok })).policyName).toBe(ok);
        expect(problem(daily({ policyName: bad }))).toBe(`policyName: ${POLICY_RULE}, got ${JSON.stringify(bad)}`);
    });

    const VAULT_RULE = "must be 2-50 characters of letters, digits and hyphens, start with a letter and not end with a hyphen";
    test.each([
        ["ab", "a"],
        [`a${"b".repeat(49)}`, `a${"b".repeat(50)}`],
        ["a-b", "ab-"],
        ["a-1", "1a"],
    ])("vaultName %p passes, %p fails", (ok, bad) => {
        mockPulumi({ preview: true });
        expect(new BackupVault("ok", { resourceGroupName: "rg", location: "westeurope", vaultName: ok }).vault).toBeDefined();
        const err = thrown(() => new BackupVault("bad", { resourceGroupName: "rg", location: "westeurope", vaultName: bad }));
        expect(err.message).toBe(`BackupVault "bad": vaultName: ${VAULT_RULE}, got ${JSON.stringify(bad)}`);
    });

    test.each([
        ["a name cut to the longest", "n".repeat(60), "rsv", 2, 50, "n".repeat(50)],
        ["a name of exactly the longest kept", "n".repeat(50), "rsv", 2, 50, "n".repeat(50)],
        ["a short name padded to the shortest", "a", "rsv", 2, 50, "a0"],
        ["a name of exactly the shortest kept", "ab", "policy", 3, 150, "ab0"],
        ["a policy name cut to 150", "p".repeat(151), "policy", 3, 150, "p".repeat(150)],
        ["hyphens left at the cut trimmed", `${"a".repeat(49)}--b`, "rsv", 2, 50, "a".repeat(49)],
        ["a name not starting with a letter prefixed", "1-web", "rsv", 2, 50, "rsv-1-web"],
        ["characters Azure refuses become one hyphen", "web app_01", "rsv", 2, 50, "web-app-01"],
        ["hyphens in a row become one", "web--app", "rsv", 2, 50, "web-app"],
        ["leading hyphens dropped", "-web", "rsv", 2, 50, "web"],
    ])("derived names: %s", (_what, logical, prefix, min, max, expected) => {
        expect(deriveName(logical, prefix, min, max)).toBe(expected);
    });
});

describe("vault limits", () => {
    const vault = (name: string, extra: Record<string, unknown>) => new BackupVault(name, { resourceGroupName: "rg", location: "westeurope", ...(extra as object) });

    test.each([
        [14, 13],
        [180, 181],
    ])("soft-delete retention %p days passes, %p fails", (ok, bad) => {
        const world = mockPulumi({ preview: true });
        vault("ok", { softDelete: { retentionDays: ok } });
        expect(world.warnings).toEqual([]);
        expect(thrown(() => vault("bad", { softDelete: { retentionDays: bad } })).message).toBe(
            `BackupVault "bad": softDelete.retentionDays: must be between 14 and 180 days, got ${bad}`,
        );
    });

    test.each(["LocallyRedundant", "ZoneRedundant"])("cross-region restore passes with GeoRedundant and fails with %s", (redundancy) => {
        mockPulumi({ preview: true });
        vault("geo", { storageRedundancy: "GeoRedundant", crossRegionRestore: true });
        expect(thrown(() => vault("bad", { storageRedundancy: redundancy, crossRegionRestore: true })).message).toBe(
            `BackupVault "bad": crossRegionRestore: cross-region restore needs storageRedundancy "GeoRedundant", got storageRedundancy "${redundancy}"`,
        );
    });
});

describe("ProtectedVm: data disk LUNs", () => {
    const vmId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm`;
    test.each([
        [0, -1],
        [63, 64],
    ])("LUN %p passes, %p fails", async (ok, bad) => {
        const world = mockPulumi({
            preview: true,
            invokes: { "azure-native:compute:getVirtualMachine": (i) => ({ id: vmId, name: i.vmName, location: "westeurope" }) },
        });
        const policy = VmBackupPolicy.fromId("p", `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupPolicies/p`, {
            policyType: "Standard",
            vault: { location: "westeurope", storageRedundancy: "GeoRedundant" },
        });
        expect(thrown(() => new ProtectedVm("bad", { policy, vm: vmId, excludeDiskLuns: [bad] })).message).toBe(
            `ProtectedVm "bad": excludeDiskLuns[0]: must be a data disk LUN from 0 to 63, got ${bad}`,
        );
        await registered(new ProtectedVm("ok", { policy, vm: vmId, excludeDiskLuns: [ok] }).protectedItem);
        expect(world.one("azure-native:recoveryservices:ProtectedItem").inputs.properties.extendedProperties).toEqual({
            diskExclusionProperties: { diskLunList: [ok], isInclusionList: false },
        });
    });
});

describe("values in messages: long ones are cut", () => {
    test("a string of 200 characters is shown whole, one of 201 cut to 197 and an ellipsis", () => {
        expect(show("s".repeat(200))).toBe(JSON.stringify("s".repeat(200)));
        expect(show("s".repeat(201))).toBe(JSON.stringify(`${"s".repeat(197)}...`));
    });

    test("data of 120 characters as JSON is shown whole, of 121 cut to 117 and an ellipsis", () => {
        const of = (n: number) => ({ k: "v".repeat(n - 8) }); // {"k":"…"} is 8 characters around the value
        expect(JSON.stringify(of(120))).toHaveLength(120);
        expect(show(of(120))).toBe(JSON.stringify(of(120)));
        expect(show(of(121))).toBe(`${JSON.stringify(of(121)).slice(0, 117)}...`);
    });
});
