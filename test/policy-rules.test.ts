// One negative test per Azure Backup policy rule (azure-backup-rules.md sections 2.2-2.7),
// each pinning the whole message line and the argument path. The rules are checked through
// the pure schema, with the same error bridge the component uses; the few things only the
// component knows (the vault, its default name) are checked through the component.
import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import { BackupVault, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { parseArgs } from "../src/rules/errors";
import { policyArgsSchema } from "../src/rules/policy-schema";
import { mockPulumi, thrown } from "./mocks";

/** Stands in for a vault reference: the schema only asks whether something is one. */
const VAULT = Object.freeze({ vaultName: "stand-in" });
const schema = policyArgsSchema((v) => v === VAULT);

function parse(args: unknown) {
    return parseArgs(schema, args, "VmBackupPolicy", "p");
}


/** Asserts that `args` fail with exactly these problems, in this order. */
function expectProblems(args: unknown, problems: [path: string, reason: string][]): void {
    const lines = problems.map(([path, reason]) => `VmBackupPolicy "p": ${path}: ${reason}`);
    expect(() => parse(args)).toThrow(lines[0]);
    const err = thrown(() => parse(args));
    expect(err.message).toBe(lines.join("\n"));
    expect(err.errors.map((e) => e.propertyPath)).toEqual(problems.map(([path]) => path));
    expect(err.errors.map((e) => e.reason)).toEqual(problems.map(([, reason]) => reason));
}

function expectProblem(args: unknown, path: string, reason: string): void {
    expectProblems(args, [[path, reason]]);
}

const daily = () => ({ vault: VAULT, schedule: { frequency: "Daily", time: "02:00" }, retention: { dailyDays: 30 } }) as Record<string, any>;
const weekly = () =>
    ({ vault: VAULT, schedule: { frequency: "Weekly", days: ["Monday", "Thursday"], time: "22:30" }, retention: { weekly: { weeks: 4 } } }) as Record<string, any>;
const hourly = () =>
    ({
        vault: VAULT,
        policyType: "Enhanced",
        schedule: { frequency: "Hourly", intervalHours: 4, windowStartTime: "08:00", windowHours: 24 },
        retention: { dailyDays: 30 },
    }) as Record<string, any>;
const enhanced = (base: Record<string, any>) => ({ ...base, policyType: "Enhanced" });

const DAYS = `"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"`;
const TIME_RULE = `must be a time of day "HH:MM" on the hour or half hour, such as "02:00" or "22:30"`;

describe("valid policies", () => {
    test.each([
        ["Standard daily", daily()],
        ["Standard weekly", weekly()],
        ["Enhanced daily", enhanced(daily())],
        ["Enhanced weekly", enhanced(weekly())],
        ["Enhanced hourly", hourly()],
    ])("%s parses", (_name, args) => {
        expect(() => parse(args)).not.toThrow();
    });

    test("defaults: Standard, UTC, 2 days of instant restore", () => {
        const s = parse(daily());
        expect(s.policyType).toBe("Standard");
        expect(s.timeZone).toBe("UTC");
        expect(s.instantRestoreDays).toBe(2);
    });

    test("a weekly Standard policy gets the 5 days of instant restore Azure fixes", () => {
        expect(parse(weekly()).instantRestoreDays).toBe(5);
    });

    test("an Enhanced policy gets 7 days of instant restore", () => {
        expect(parse(hourly()).instantRestoreDays).toBe(7);
        expect(parse(enhanced(weekly())).instantRestoreDays).toBe(7);
    });

    test("weekly retention days default to the days of a weekly schedule", () => {
        expect(parse(weekly()).retention.weekly).toEqual({ weeks: 4, days: ["Monday", "Thursday"] });
    });

    test("the highest counts Azure allows pass", () => {
        const args = daily();
        args.retention = {
            dailyDays: 9999,
            weekly: { weeks: 5163, days: ["Sunday"] },
            monthly: { months: 1188, daysOfMonth: [28, "Last"] },
            yearly: { years: 99, months: ["January"], daysOfMonth: [1] },
        };
        expect(() => parse(args)).not.toThrow();
    });
});

describe("schedule", () => {
    test.each(["02:15", "2:00", "24:00", "02:00:00", "noon"])("time %p must be HH:MM on :00 or :30", (time) => {
        const args = daily();
        args.schedule.time = time;
        expectProblem(args, "schedule.time", `${TIME_RULE}, got ${JSON.stringify(time)}`);
    });

    test("the hourly window start must be on :00 or :30", () => {
        const args = hourly();
        args.schedule.windowStartTime = "08:45";
        expectProblem(args, "schedule.windowStartTime", `${TIME_RULE}, got "08:45"`);
    });

    test("the frequency must be Daily, Weekly or Hourly", () => {
        const args = daily();
        args.schedule.frequency = "Monthly";
        expectProblem(args, "schedule.frequency", `must be one of "Daily", "Weekly", "Hourly", got "Monthly"`);
    });

    test("weekly days must not be empty", () => {
        const args = weekly();
        args.schedule.days = [];
        expectProblem(args, "schedule.days", "must list at least one day, got []");
    });

    test("weekly days must not repeat", () => {
        const args = weekly();
        args.schedule.days = ["Monday", "Monday"];
        expectProblem(args, "schedule.days", `must not repeat a day, got ["Monday","Monday"]`);
    });

    test("weekly days must be days of the week", () => {
        const args = weekly();
        args.schedule.days = ["Mon"];
        expectProblem(args, "schedule.days[0]", `must be one of ${DAYS}, got "Mon"`);
    });

    test("hourly backups need an Enhanced policy, also when policyType is left to its default", () => {
        const args = hourly();
        delete args.policyType;
        expectProblem(args, "schedule.frequency", `is only available with an Enhanced policy; set policyType "Enhanced", got "Hourly" with policyType "Standard"`);
    });

    test("the interval must be 4, 6, 8 or 12 hours", () => {
        const args = hourly();
        args.schedule.intervalHours = 5;
        expectProblem(args, "schedule.intervalHours", "must be 4, 6, 8 or 12 hours, got 5");
    });

    test.each([3, 25])("the window must be 4-24 hours (%p)", (hours) => {
        const args = hourly();
        args.schedule.windowHours = hours;
        expectProblem(args, "schedule.windowHours", `must be between 4 and 24, got ${hours}`);
    });

    test("the window must be a whole multiple of the interval", () => {
        const args = hourly();
        args.schedule.intervalHours = 8;
        args.schedule.windowHours = 12;
        expectProblem(args, "schedule.windowHours", "must be a whole multiple of intervalHours (8), got 12");
    });

    test("a schedule takes only its own fields", () => {
        const args = daily();
        args.schedule.days = ["Monday"];
        expectProblem(args, "schedule", `unknown argument "days"`);
    });
});

describe("instant restore", () => {
    test("1-5 days for a Standard policy", () => {
        expectProblem({ ...daily(), instantRestoreDays: 6 }, "instantRestoreDays", "must be between 1 and 5 for a Standard policy, got 6");
        expectProblem({ ...daily(), instantRestoreDays: 0 }, "instantRestoreDays", "must be between 1 and 5 for a Standard policy, got 0");
    });

    test("exactly 5 days for a weekly Standard policy", () => {
        expectProblem(
            { ...weekly(), instantRestoreDays: 2 },
            "instantRestoreDays",
            "must be 5 for a Standard policy with a weekly schedule (Azure fixes it there), got 2",
        );
    });

    test("1-30 days for an Enhanced policy", () => {
        expectProblem({ ...hourly(), instantRestoreDays: 31 }, "instantRestoreDays", "must be between 1 and 30 for an Enhanced policy, got 31");
    });

    test("a whole number of days", () => {
        expectProblem({ ...daily(), instantRestoreDays: 2.5 }, "instantRestoreDays", "must be a whole number of days, got 2.5");
    });

    test("no longer than the daily retention", () => {
        const args = { ...enhanced(daily()), instantRestoreDays: 14, retention: { dailyDays: 10 } };
        expectProblem(args, "instantRestoreDays", "must be at most the vault retention of 10 days (retention.dailyDays), got 14");
    });

    test("no longer than the weekly retention of a weekly schedule", () => {
        const args = { ...enhanced(weekly()), instantRestoreDays: 10, retention: { weekly: { weeks: 1 } } };
        expectProblem(args, "instantRestoreDays", "must be at most the vault retention of 7 days (retention.weekly.weeks 1 × 7), got 10");
    });
});

describe("retention counts", () => {
    test.each([
        ["retention.dailyDays", { dailyDays: 3 }, "must be between 7 and 9999, got 3"],
        ["retention.dailyDays", { dailyDays: 10000 }, "must be between 7 and 9999, got 10000"],
        ["retention.dailyDays", { dailyDays: 7.5 }, "must be a whole number between 7 and 9999, got 7.5"],
        ["retention.weekly.weeks", { dailyDays: 30, weekly: { weeks: 0, days: ["Sunday"] } }, "must be between 1 and 5163, got 0"],
        ["retention.weekly.weeks", { dailyDays: 30, weekly: { weeks: 5164, days: ["Sunday"] } }, "must be between 1 and 5163, got 5164"],
        ["retention.monthly.months", { dailyDays: 30, monthly: { months: 1189, daysOfMonth: [1] } }, "must be between 1 and 1188, got 1189"],
        ["retention.yearly.years", { dailyDays: 30, yearly: { years: 100, months: ["May"], daysOfMonth: [1] } }, "must be between 1 and 99, got 100"],
    ])("%s: %j", (path, retention, reason) => {
        expectProblem({ ...daily(), retention }, path, reason);
    });
});

describe("retention blocks", () => {
    test("at least one block is required", () => {
        expectProblem({ ...daily(), retention: {} }, "retention", "must keep recovery points in at least one of dailyDays, weekly, monthly or yearly, got {}");
    });

    test("a daily schedule needs daily retention", () => {
        const args = { ...daily(), retention: { monthly: { months: 12, daysOfMonth: [1] } } };
        expectProblem(args, "retention.dailyDays", "is required with a daily schedule, got undefined");
    });

    test("an hourly schedule needs daily retention", () => {
        const args = { ...hourly(), retention: { weekly: { weeks: 12, days: ["Sunday"] } } };
        expectProblem(args, "retention.dailyDays", "is required with an hourly schedule, got undefined");
    });

    test("a weekly schedule takes no daily retention", () => {
        const args = weekly();
        args.retention.dailyDays = 30;
        expectProblem(args, "retention.dailyDays", "must not be set with a weekly schedule (it keeps weekly, monthly and yearly points only), got 30");
    });

    test("a weekly schedule needs weekly retention", () => {
        const args = { ...weekly(), retention: { monthly: { months: 12, weeksOfMonth: ["First"], daysOfWeek: ["Monday"] } } };
        expectProblem(args, "retention.weekly", "is required with a weekly schedule, got undefined");
    });

    test("weekly retention keeps the days of a weekly schedule", () => {
        const args = weekly();
        args.retention.weekly.days = ["Monday"];
        expectProblem(args, "retention.weekly.days", `must be the schedule's days ["Monday","Thursday"] with a weekly schedule, got ["Monday"]`);
    });

    test("weekly retention days are required with a daily schedule", () => {
        const args = { ...daily(), retention: { dailyDays: 30, weekly: { weeks: 4 } } };
        expectProblem(
            args,
            "retention.weekly.days",
            `is required with a daily schedule (the day whose backup is kept, e.g. ["Sunday"]), got undefined`,
        );
    });

    test("weekly retention days must not be empty", () => {
        const args = { ...daily(), retention: { dailyDays: 30, weekly: { weeks: 4, days: [] } } };
        expectProblem(args, "retention.weekly.days", "must list at least one day, got []");
    });

    test("retention takes only known blocks", () => {
        const args = { ...daily(), retention: { dailyDays: 30, hourlyHours: 4 } };
        expectProblem(args, "retention", `unknown argument "hourlyHours"`);
    });
});

describe.each(["monthly", "yearly"])("%s retention", (block) => {
    /** A daily policy with this block set to `on` (plus the count and, for yearly, the months). */
    function withBlock(on: Record<string, unknown>, base = daily()) {
        const counted = block === "monthly" ? { months: 12, ...on } : { years: 5, months: ["January"], ...on };
        return { ...base, retention: { ...base.retention, [block]: counted } };
    }
    const got = (on: Record<string, unknown>) => JSON.stringify(block === "monthly" ? { months: 12, ...on } : { years: 5, months: ["January"], ...on });

    test("needs daysOfMonth, or weeksOfMonth with daysOfWeek", () => {
        expectProblem(withBlock({}), `retention.${block}`, `must set daysOfMonth, or weeksOfMonth with daysOfWeek, got ${got({})}`);
    });

    test("takes one format, not both", () => {
        const on = { daysOfMonth: [1], weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] };
        expectProblem(withBlock(on), `retention.${block}`, `must set either daysOfMonth or weeksOfMonth with daysOfWeek, not both, got ${got(on)}`);
    });

    test("weeksOfMonth needs daysOfWeek", () => {
        expectProblem(withBlock({ weeksOfMonth: ["First"] }), `retention.${block}.daysOfWeek`, `is required with weeksOfMonth, e.g. ["Sunday"], got undefined`);
    });

    test("daysOfWeek needs weeksOfMonth", () => {
        expectProblem(withBlock({ daysOfWeek: ["Sunday"] }), `retention.${block}.weeksOfMonth`, `is required with daysOfWeek, e.g. ["First"], got undefined`);
    });

    test.each([0, 29, 31, 1.5, "last"])("days of the month are 1-28 or \"Last\" (%p)", (d) => {
        expectProblem(withBlock({ daysOfMonth: [d] }), `retention.${block}.daysOfMonth[0]`, `must be a day between 1 and 28, or "Last", got ${JSON.stringify(d)}`);
    });

    test("\"Last\" at most once", () => {
        expectProblem(withBlock({ daysOfMonth: ["Last", "Last"] }), `retention.${block}.daysOfMonth`, `must not repeat a day, got ["Last","Last"]`);
    });

    test("days of the month must not be empty", () => {
        expectProblem(withBlock({ daysOfMonth: [] }), `retention.${block}.daysOfMonth`, "must list at least one day, got []");
    });

    test("weeks of the month must not repeat", () => {
        expectProblem(
            withBlock({ weeksOfMonth: ["First", "First"], daysOfWeek: ["Sunday"] }),
            `retention.${block}.weeksOfMonth`,
            `must not repeat a week, got ["First","First"]`,
        );
    });

    test("days of the week must not repeat", () => {
        expectProblem(
            withBlock({ weeksOfMonth: ["First"], daysOfWeek: ["Sunday", "Sunday"] }),
            `retention.${block}.daysOfWeek`,
            `must not repeat a day, got ["Sunday","Sunday"]`,
        );
    });

    test("a weekly schedule takes the week-of-month format only", () => {
        expectProblem(
            withBlock({ daysOfMonth: [1] }, weekly()),
            `retention.${block}.daysOfMonth`,
            `cannot be used with a weekly schedule; use weeksOfMonth with daysOfWeek, got [1]`,
        );
    });

    test("with a weekly schedule, its days of the week are among the schedule's", () => {
        expectProblem(
            withBlock({ weeksOfMonth: ["First"], daysOfWeek: ["Monday", "Sunday"] }, weekly()),
            `retention.${block}.daysOfWeek`,
            `must be among the schedule's days ["Monday","Thursday"] with a weekly schedule, got ["Monday","Sunday"]`,
        );
    });
});

describe("yearly months", () => {
    test("must not be empty", () => {
        const args = { ...daily(), retention: { dailyDays: 30, yearly: { years: 5, months: [], daysOfMonth: [1] } } };
        expectProblem(args, "retention.yearly.months", "must list at least one month, got []");
    });

    test("must not repeat", () => {
        const args = { ...daily(), retention: { dailyDays: 30, yearly: { years: 5, months: ["May", "May"], daysOfMonth: [1] } } };
        expectProblem(args, "retention.yearly.months", `must not repeat a month, got ["May","May"]`);
    });
});

describe("names, time zone, resource group, vault", () => {
    test.each([
        ["too short", "ab"],
        ["not starting with a letter", "1policy"],
        ["with an underscore", "has_underscore"],
        ["151 characters long", "x".repeat(151)],
        ["ending with a hyphen", "daily-"],
    ])("policyName %s breaks the naming rule", (_why, policyName) => {
        expectProblem(
            { ...daily(), policyName },
            "policyName",
            `must be 3-150 characters of letters, digits and hyphens, start with a letter and not end with a hyphen, got ${JSON.stringify(policyName)}`,
        );
    });

    test.each([
        ["DefaultPolicy", "DefaultPolicy"],
        ["enhancedpolicy", "EnhancedPolicy"],
        ["HOURLYLOGBACKUP", "HourlyLogBackup"],
    ])("policyName %p is a policy every vault already holds", (policyName, reserved) => {
        expectProblem(
            { ...daily(), policyName },
            "policyName",
            `must not be "${reserved}": the vault already holds that policy; use VmBackupPolicy.fromId to refer to it, got ${JSON.stringify(policyName)}`,
        );
    });

    test("timeZone must be a Windows id, with a suggestion for an IANA name", () => {
        expectProblem(
            { ...daily(), timeZone: "Europe/Berlin" },
            "timeZone",
            `must be a Windows time zone id such as "UTC" or "W. Europe Standard Time", got "Europe/Berlin" (did you mean "W. Europe Standard Time"?)`,
        );
    });

    test("timeZone must be spelled exactly, with a suggestion for the right case", () => {
        expectProblem(
            { ...daily(), timeZone: "pacific standard time" },
            "timeZone",
            `must be a Windows time zone id such as "UTC" or "W. Europe Standard Time", got "pacific standard time" (did you mean "Pacific Standard Time"?)`,
        );
    });

    test("timeZone with no suggestion", () => {
        expectProblem(
            { ...daily(), timeZone: "Mars/Olympus" },
            "timeZone",
            `must be a Windows time zone id such as "UTC" or "W. Europe Standard Time", got "Mars/Olympus"`,
        );
    });

    test("instant-restore resource group prefix characters", () => {
        expectProblem(
            { ...daily(), instantRestoreResourceGroup: { prefix: "rg snap" } },
            "instantRestoreResourceGroup.prefix",
            `must be letters, digits, "_", ".", "(", ")" or "-", got "rg snap"`,
        );
    });

    test("instant-restore resource group suffix characters", () => {
        expectProblem(
            { ...daily(), instantRestoreResourceGroup: { prefix: "rg-", suffix: "/x" } },
            "instantRestoreResourceGroup.suffix",
            `must be letters, digits, "_", ".", "(", ")" or "-", got "/x"`,
        );
    });

    test("instant-restore resource group suffix must not end with a period", () => {
        expectProblem(
            { ...daily(), instantRestoreResourceGroup: { prefix: "rg-", suffix: "-snap." } },
            "instantRestoreResourceGroup.suffix",
            `must not end with "." (a resource group name cannot), got "-snap."`,
        );
    });

    test("instant-restore resource group name fits in 74 characters", () => {
        expectProblem(
            { ...daily(), instantRestoreResourceGroup: { prefix: "p".repeat(60), suffix: "s".repeat(12) } },
            "instantRestoreResourceGroup",
            "prefix and suffix together must be at most 71 characters, leaving 3 for the number Azure puts between them (74 in all), got 72",
        );
        expect(() => parse({ ...daily(), instantRestoreResourceGroup: { prefix: "p".repeat(60), suffix: "s".repeat(11) } })).not.toThrow();
    });

    test("policyType is Standard or Enhanced", () => {
        expectProblem({ ...daily(), policyType: "V2" }, "policyType", `must be one of "Standard", "Enhanced", got "V2"`);
    });

    test("the vault must be a vault reference", () => {
        expectProblem({ ...daily(), vault: { vaultName: "rsv", resourceGroupName: "rg" } }, "vault", `must be a BackupVault or a BackupVault.fromId reference, got an object with keys ["vaultName","resourceGroupName"]`);
    });

    test("unknown arguments are errors", () => {
        expectProblem({ ...daily(), retentionDays: 30 }, "args", `unknown argument "retentionDays"`);
    });

    test("required arguments", () => {
        expectProblems({ vault: VAULT }, [
            ["schedule", "is required, got undefined"],
            ["retention", "is required, got undefined"],
        ]);
    });
});

describe("several problems", () => {
    test("come back together, in one error", () => {
        expectProblems(
            {
                vault: VAULT,
                policyName: "DefaultPolicy",
                schedule: { frequency: "Hourly", intervalHours: 4, windowStartTime: "08:15", windowHours: 10 },
                timeZone: "Europe/Berlin",
                instantRestoreDays: 9,
                retention: { dailyDays: 3, monthly: { months: 12 } },
            },
            [
                ["policyName", `must not be "DefaultPolicy": the vault already holds that policy; use VmBackupPolicy.fromId to refer to it, got "DefaultPolicy"`],
                ["schedule.windowStartTime", `${TIME_RULE}, got "08:15"`],
                ["timeZone", `must be a Windows time zone id such as "UTC" or "W. Europe Standard Time", got "Europe/Berlin" (did you mean "W. Europe Standard Time"?)`],
                ["retention.dailyDays", "must be between 7 and 9999, got 3"],
                ["schedule.frequency", `is only available with an Enhanced policy; set policyType "Enhanced", got "Hourly" with policyType "Standard"`],
                ["schedule.windowHours", "must be a whole multiple of intervalHours (4), got 10"],
                ["instantRestoreDays", "must be between 1 and 5 for a Standard policy, got 9"],
                ["retention.monthly", `must set daysOfMonth, or weeksOfMonth with daysOfWeek, got {"months":12}`],
            ],
        );
    });
});

describe("through the component", () => {
    const vaultId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod";

    test("a plain object is not a vault", () => {
        mockPulumi({ preview: true });
        const vault = { id: pulumi.output(vaultId), vaultName: pulumi.output("rsv-prod"), resourceGroupName: pulumi.output("rg-backup"), location: "westeurope", storageRedundancy: "GeoRedundant" as const };
        const err = thrown(() => new VmBackupPolicy("p", { vault, schedule: { frequency: "Daily", time: "02:00" }, retention: { dailyDays: 30 } }));
        expect(err.errors.map((e) => e.propertyPath)).toEqual(["vault"]);
        expect(err.message).toBe(
            `VmBackupPolicy "p": vault: must be a BackupVault or a BackupVault.fromId reference, got an object with keys ["id","vaultName","resourceGroupName","location","storageRedundancy"]`,
        );
    });

    test("a component name that derives a reserved policy name is reported with the other problems", () => {
        mockPulumi({ preview: true });
        const vault = BackupVault.fromId("vault", vaultId, { location: "westeurope", storageRedundancy: "GeoRedundant" });
        const build = () => new VmBackupPolicy("defaultpolicy", { vault, schedule: { frequency: "Daily", time: "02:10" }, retention: { dailyDays: 30 } });
        expect(build).toThrow(
            [
                `VmBackupPolicy "defaultpolicy": schedule.time: ${TIME_RULE}, got "02:10"`,
                `VmBackupPolicy "defaultpolicy": policyName: must not be "DefaultPolicy": the vault already holds that policy; use VmBackupPolicy.fromId to refer to it, or set policyName, got "defaultpolicy" (derived from the component name)`,
            ].join("\n"),
        );
        expect(thrown(build).errors.map((e) => e.propertyPath)).toEqual(["schedule.time", "policyName"]);
    });

    test("an azure-native vault resource is not a vault reference", () => {
        mockPulumi({ preview: true });
        const raw = new recoveryservices.Vault("raw", { resourceGroupName: "rg-backup", sku: { name: "Standard" } });
        const err = thrown(() => new VmBackupPolicy("p", { vault: raw as never, schedule: { frequency: "Daily", time: "02:00" }, retention: { dailyDays: 30 } }));
        expect(err.message).toBe(
            `VmBackupPolicy "p": vault: must be a BackupVault or a BackupVault.fromId reference, got a resource of type "azure-native:recoveryservices:Vault"`,
        );
    });

    test("an explicit policyName avoids the reserved default", () => {
        mockPulumi({ preview: true });
        const vault = BackupVault.fromId("vault", vaultId, { location: "westeurope", storageRedundancy: "GeoRedundant" });
        expect(
            () => new VmBackupPolicy("DefaultPolicy", { vault, policyName: "vm-default", schedule: { frequency: "Daily", time: "02:00" }, retention: { dailyDays: 30 } }),
        ).not.toThrow();
    });
});
