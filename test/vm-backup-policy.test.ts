import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BackupVault, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { SUBSCRIPTION, type MockWorld, mockPulumi, notFound, registered, valueOf, thrown } from "./mocks";

const POLICY = "azure-native:recoveryservices:ProtectionPolicy";
const VAULT_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod`;

/** Microsoft's REST examples for VM policies (test/fixtures/azure-rest, with their attribution README). */
const FIXTURES = path.join(__dirname, "fixtures", "azure-rest", "specs-examples", "recoveryservicesbackup-2026-02-01", "AzureIaasVm");

/** The request `properties` of one example, with its run date replaced by ours and the fields we never send dropped. */
function fixtureProperties(file: string, times: string[], ourTime: string): Record<string, unknown> {
    let text = fs.readFileSync(path.join(FIXTURES, file), "utf8");
    for (const t of times) text = text.split(t).join(ourTime);
    const properties = JSON.parse(text, (_key, value) => (value === null ? undefined : value)).parameters.parameters.properties;
    delete properties.snapshotConsistencyType;
    return properties;
}


const days = (count: number) => ({ count, durationType: "Days" });
const weeks = (count: number) => ({ count, durationType: "Weeks" });
const months = (count: number) => ({ count, durationType: "Months" });
const years = (count: number) => ({ count, durationType: "Years" });
const firstSunday = { retentionScheduleFormatType: "Weekly", retentionScheduleWeekly: { daysOfTheWeek: ["Sunday"], weeksOfTheMonth: ["First"] } };

describe.each([
    ["preview", true],
    ["update", false],
])("VmBackupPolicy (%s)", (_mode, preview) => {
    let world: MockWorld;
    let vault: BackupVault;

    beforeEach(() => {
        world = mockPulumi({ preview });
        vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-prod" });
    });

    /** The properties the policy registered with. */
    async function propertiesOf(policy: VmBackupPolicy): Promise<Record<string, unknown>> {
        await registered(policy.policy);
        return world.one(POLICY).inputs.properties;
    }

    test("registers one ProtectionPolicy under the component, in the vault's group and vault", async () => {
        // WHEN
        const policy = VmBackupPolicy.default("daily", vault);
        // THEN
        expect(await registered(policy.policy)).toBe(
            "urn:pulumi:stack::project::azure-vm-backup:index:VmBackupPolicy$azure-native:recoveryservices:ProtectionPolicy::daily",
        );
        expect(world.resources.map((r) => r.type).sort()).toEqual([
            POLICY,
            "azure-native:recoveryservices:Vault",
            "azure-vm-backup:index:BackupVault",
            "azure-vm-backup:index:VmBackupPolicy",
        ]);
        const inputs = world.one(POLICY).inputs;
        expect(inputs.resourceGroupName).toBe("rg-backup");
        expect(inputs.vaultName).toBe("rsv-prod");
        expect(inputs.policyName).toBe("daily");
        expect(Object.keys(inputs).sort()).toEqual(["policyName", "properties", "resourceGroupName", "vaultName"]);
        expect(await valueOf(policy.policyName)).toBe("daily");
        expect(await valueOf(policy.id)).toBe(preview ? undefined : `${VAULT_ID}/backupPolicies/daily`);
        expect(policy.policyType).toBe("Standard");
        expect(policy.vault).toBe(vault);
        expect(world.warnings).toEqual([]);
    });

    test("derives a valid policy name from the component name, known at preview", async () => {
        const policy = VmBackupPolicy.default("Daily Policy_01", vault);
        expect(await valueOf(policy.policyName)).toBe("Daily-Policy-01");
        await registered(policy.policy);
        expect(world.one(POLICY).inputs.policyName).toBe("Daily-Policy-01");
    });

    test("takes the group and vault of an existing vault from its id", async () => {
        const existing = BackupVault.fromId("old", "/subscriptions/s/resourceGroups/rg-old/providers/Microsoft.RecoveryServices/vaults/rsv-old", {
            location: "westeurope",
            storageRedundancy: "GeoRedundant",
        });
        const policy = new VmBackupPolicy("p", {
            vault: existing,
            policyName: "vm-daily",
            schedule: { frequency: "Daily", time: "02:00" },
            retention: { dailyDays: 30 },
        });
        await registered(policy.policy);
        const inputs = world.one(POLICY).inputs;
        expect([inputs.resourceGroupName, inputs.vaultName, inputs.policyName]).toEqual(["rg-old", "rsv-old", "vm-daily"]);
        // Everything needed is in the id and the facts: the existing vault is not looked up.
        expect(world.invokes.filter((i) => i.inputs.vaultName === "rsv-old")).toEqual([]);
    });

    test("Standard daily: every retention block, day-of-month format, instant-restore group", async () => {
        // WHEN
        const policy = new VmBackupPolicy("vm-daily", {
            vault,
            policyName: "vm-daily-policy",
            schedule: { frequency: "Daily", time: "22:30" },
            instantRestoreDays: 3,
            retention: {
                dailyDays: 14,
                weekly: { weeks: 8, days: ["Saturday", "Sunday"] },
                monthly: { months: 24, daysOfMonth: [1, "Last"] },
                yearly: { years: 5, months: ["March", "December"], daysOfMonth: [15] },
            },
            instantRestoreResourceGroup: { prefix: "rg-vmsnap-", suffix: "-weu" },
        });
        // THEN
        const t = ["2024-01-01T22:30:00Z"];
        expect(await propertiesOf(policy)).toEqual({
            backupManagementType: "AzureIaasVM",
            policyType: "V1",
            timeZone: "UTC",
            instantRpRetentionRangeInDays: 3,
            schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: t },
            retentionPolicy: {
                retentionPolicyType: "LongTermRetentionPolicy",
                dailySchedule: { retentionTimes: t, retentionDuration: days(14) },
                weeklySchedule: { daysOfTheWeek: ["Saturday", "Sunday"], retentionTimes: t, retentionDuration: weeks(8) },
                monthlySchedule: {
                    retentionScheduleFormatType: "Daily",
                    retentionScheduleDaily: { daysOfTheMonth: [{ date: 1, isLast: false }, { date: 0, isLast: true }] },
                    retentionTimes: t,
                    retentionDuration: months(24),
                },
                yearlySchedule: {
                    monthsOfYear: ["March", "December"],
                    retentionScheduleFormatType: "Daily",
                    retentionScheduleDaily: { daysOfTheMonth: [{ date: 15, isLast: false }] },
                    retentionTimes: t,
                    retentionDuration: years(5),
                },
            },
            instantRPDetails: { azureBackupRGNamePrefix: "rg-vmsnap-", azureBackupRGNameSuffix: "-weu" },
        });
        expect(world.one(POLICY).inputs.policyName).toBe("vm-daily-policy");
    });

    const standardWeekly = () =>
        new VmBackupPolicy("vm-weekly", {
            vault,
            schedule: { frequency: "Weekly", days: ["Monday", "Wednesday", "Thursday"], time: "10:00" },
            timeZone: "Pacific Standard Time",
            retention: {
                weekly: { weeks: 1 },
                monthly: { months: 2, weeksOfMonth: ["First", "Third"], daysOfWeek: ["Wednesday", "Thursday"] },
                yearly: { years: 4, months: ["February", "November"], weeksOfMonth: ["Fourth"], daysOfWeek: ["Monday", "Thursday"] },
            },
        });

    test("Standard weekly with weekly, monthly and yearly retention", async () => {
        const policy = standardWeekly();
        const t = ["2024-01-01T10:00:00Z"];
        expect(await propertiesOf(policy)).toEqual({
            backupManagementType: "AzureIaasVM",
            policyType: "V1",
            timeZone: "Pacific Standard Time",
            instantRpRetentionRangeInDays: 5,
            schedulePolicy: {
                schedulePolicyType: "SimpleSchedulePolicy",
                scheduleRunFrequency: "Weekly",
                scheduleRunTimes: t,
                scheduleRunDays: ["Monday", "Wednesday", "Thursday"],
            },
            retentionPolicy: {
                retentionPolicyType: "LongTermRetentionPolicy",
                weeklySchedule: { daysOfTheWeek: ["Monday", "Wednesday", "Thursday"], retentionTimes: t, retentionDuration: weeks(1) },
                monthlySchedule: {
                    retentionScheduleFormatType: "Weekly",
                    retentionScheduleWeekly: { daysOfTheWeek: ["Wednesday", "Thursday"], weeksOfTheMonth: ["First", "Third"] },
                    retentionTimes: t,
                    retentionDuration: months(2),
                },
                yearlySchedule: {
                    monthsOfYear: ["February", "November"],
                    retentionScheduleFormatType: "Weekly",
                    retentionScheduleWeekly: { daysOfTheWeek: ["Monday", "Thursday"], weeksOfTheMonth: ["Fourth"] },
                    retentionTimes: t,
                    retentionDuration: years(4),
                },
            },
        });
    });

    test("Standard weekly matches Azure's ProtectionPolicies_CreateOrUpdate_Complex example", async () => {
        const policy = standardWeekly();
        const expected = fixtureProperties("ProtectionPolicies_CreateOrUpdate_Complex.json", ["2018-01-24T10:00:00Z"], "2024-01-01T10:00:00Z");
        // The example leaves out what we always send: the policy type and instant-restore days.
        expect(await propertiesOf(policy)).toEqual({ ...expected, policyType: "V1", instantRpRetentionRangeInDays: 5 });
    });

    test("Enhanced daily", async () => {
        const policy = new VmBackupPolicy("enhanced-daily", {
            vault,
            policyType: "Enhanced",
            schedule: { frequency: "Daily", time: "03:00" },
            timeZone: "Tokyo Standard Time",
            retention: { dailyDays: 30, yearly: { years: 3, months: ["June"], daysOfMonth: ["Last"] } },
        });
        const t = ["2024-01-01T03:00:00Z"];
        expect(await propertiesOf(policy)).toEqual({
            backupManagementType: "AzureIaasVM",
            policyType: "V2",
            timeZone: "Tokyo Standard Time",
            instantRpRetentionRangeInDays: 7,
            schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicyV2", scheduleRunFrequency: "Daily", dailySchedule: { scheduleRunTimes: t } },
            retentionPolicy: {
                retentionPolicyType: "LongTermRetentionPolicy",
                dailySchedule: { retentionTimes: t, retentionDuration: days(30) },
                yearlySchedule: {
                    monthsOfYear: ["June"],
                    retentionScheduleFormatType: "Daily",
                    retentionScheduleDaily: { daysOfTheMonth: [{ date: 0, isLast: true }] },
                    retentionTimes: t,
                    retentionDuration: years(3),
                },
            },
        });
        expect(policy.policyType).toBe("Enhanced");
    });

    test("Enhanced weekly", async () => {
        const policy = new VmBackupPolicy("enhanced-weekly", {
            vault,
            policyType: "Enhanced",
            schedule: { frequency: "Weekly", days: ["Saturday"], time: "01:30" },
            instantRestoreDays: 10,
            retention: { weekly: { weeks: 4 }, monthly: { months: 6, weeksOfMonth: ["Last"], daysOfWeek: ["Saturday"] } },
        });
        const t = ["2024-01-01T01:30:00Z"];
        expect(await propertiesOf(policy)).toEqual({
            backupManagementType: "AzureIaasVM",
            policyType: "V2",
            timeZone: "UTC",
            instantRpRetentionRangeInDays: 10,
            schedulePolicy: {
                schedulePolicyType: "SimpleSchedulePolicyV2",
                scheduleRunFrequency: "Weekly",
                weeklySchedule: { scheduleRunDays: ["Saturday"], scheduleRunTimes: t },
            },
            retentionPolicy: {
                retentionPolicyType: "LongTermRetentionPolicy",
                weeklySchedule: { daysOfTheWeek: ["Saturday"], retentionTimes: t, retentionDuration: weeks(4) },
                monthlySchedule: {
                    retentionScheduleFormatType: "Weekly",
                    retentionScheduleWeekly: { daysOfTheWeek: ["Saturday"], weeksOfTheMonth: ["Last"] },
                    retentionTimes: t,
                    retentionDuration: months(6),
                },
            },
        });
    });

    const enhancedHourly = () =>
        new VmBackupPolicy("enhanced-hourly", {
            vault,
            policyType: "Enhanced",
            schedule: { frequency: "Hourly", intervalHours: 4, windowStartTime: "08:00", windowHours: 16 },
            timeZone: "India Standard Time",
            instantRestoreDays: 30,
            retention: {
                dailyDays: 180,
                weekly: { weeks: 12, days: ["Sunday"] },
                monthly: { months: 60, weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
                yearly: { years: 10, months: ["January"], weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
            },
        });

    test("Enhanced hourly: retention times are the window start", async () => {
        const policy = enhancedHourly();
        const t = ["2024-01-01T08:00:00Z"];
        expect(await propertiesOf(policy)).toEqual({
            backupManagementType: "AzureIaasVM",
            policyType: "V2",
            timeZone: "India Standard Time",
            instantRpRetentionRangeInDays: 30,
            schedulePolicy: {
                schedulePolicyType: "SimpleSchedulePolicyV2",
                scheduleRunFrequency: "Hourly",
                hourlySchedule: { interval: 4, scheduleWindowStartTime: "2024-01-01T08:00:00Z", scheduleWindowDuration: 16 },
            },
            retentionPolicy: {
                retentionPolicyType: "LongTermRetentionPolicy",
                dailySchedule: { retentionTimes: t, retentionDuration: days(180) },
                weeklySchedule: { daysOfTheWeek: ["Sunday"], retentionTimes: t, retentionDuration: weeks(12) },
                monthlySchedule: { ...firstSunday, retentionTimes: t, retentionDuration: months(60) },
                yearlySchedule: { monthsOfYear: ["January"], ...firstSunday, retentionTimes: t, retentionDuration: years(10) },
            },
        });
        expect(world.warnings).toEqual([]);
    });

    test("Enhanced hourly matches Azure's IaaS_v2_hourly example", async () => {
        const policy = enhancedHourly();
        const expected = fixtureProperties("V2Policy/IaaS_v2_hourly.json", ["2021-12-17T08:00:00Z", "2021-12-17T08:00:00+00:00"], "2024-01-01T08:00:00Z");
        expect(await propertiesOf(policy)).toEqual(expected);
    });

    describe("presets", () => {
        test("default: Standard, daily at 02:00 UTC, 30 days, 2 days of instant restore", async () => {
            const t = ["2024-01-01T02:00:00Z"];
            expect(await propertiesOf(VmBackupPolicy.default("default", vault))).toEqual({
                backupManagementType: "AzureIaasVM",
                policyType: "V1",
                timeZone: "UTC",
                instantRpRetentionRangeInDays: 2,
                schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: t },
                retentionPolicy: { retentionPolicyType: "LongTermRetentionPolicy", dailySchedule: { retentionTimes: t, retentionDuration: days(30) } },
            });
        });

        test("enhancedEvery4Hours10YearRetention: the portal's Enhanced defaults", async () => {
            const policy = VmBackupPolicy.enhancedEvery4Hours10YearRetention("enhanced", vault);
            const t = ["2024-01-01T08:00:00Z"];
            expect(await propertiesOf(policy)).toEqual({
                backupManagementType: "AzureIaasVM",
                policyType: "V2",
                timeZone: "UTC",
                instantRpRetentionRangeInDays: 7,
                schedulePolicy: {
                    schedulePolicyType: "SimpleSchedulePolicyV2",
                    scheduleRunFrequency: "Hourly",
                    hourlySchedule: { interval: 4, scheduleWindowStartTime: "2024-01-01T08:00:00Z", scheduleWindowDuration: 24 },
                },
                retentionPolicy: {
                    retentionPolicyType: "LongTermRetentionPolicy",
                    dailySchedule: { retentionTimes: t, retentionDuration: days(180) },
                    weeklySchedule: { daysOfTheWeek: ["Sunday"], retentionTimes: t, retentionDuration: weeks(12) },
                    monthlySchedule: { ...firstSunday, retentionTimes: t, retentionDuration: months(60) },
                    yearlySchedule: { monthsOfYear: ["January"], ...firstSunday, retentionTimes: t, retentionDuration: years(10) },
                },
            });
            expect(policy.policyType).toBe("Enhanced");
        });

        test("dailyWeeklyMonthlyYearly7YearRetention: Standard, daily at 02:00 UTC, 30 days, 12 weeks, 12 months, 7 years", async () => {
            const policy = VmBackupPolicy.dailyWeeklyMonthlyYearly7YearRetention("long-term", vault);
            const t = ["2024-01-01T02:00:00Z"];
            expect(await propertiesOf(policy)).toEqual({
                backupManagementType: "AzureIaasVM",
                policyType: "V1",
                timeZone: "UTC",
                instantRpRetentionRangeInDays: 2,
                schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: t },
                retentionPolicy: {
                    retentionPolicyType: "LongTermRetentionPolicy",
                    dailySchedule: { retentionTimes: t, retentionDuration: days(30) },
                    weeklySchedule: { daysOfTheWeek: ["Sunday"], retentionTimes: t, retentionDuration: weeks(12) },
                    monthlySchedule: { ...firstSunday, retentionTimes: t, retentionDuration: months(12) },
                    yearlySchedule: { monthsOfYear: ["January"], ...firstSunday, retentionTimes: t, retentionDuration: years(7) },
                },
            });
        });

        test("presets go through the constructor's checks", () => {
            expect(() => VmBackupPolicy.default("DefaultPolicy", vault)).toThrow(
                'VmBackupPolicy "DefaultPolicy": policyName: must not be "DefaultPolicy": the vault already holds that policy; use VmBackupPolicy.fromId to refer to it, or set policyName, got "DefaultPolicy" (derived from the component name)',
            );
        });
    });

    describe("daylight saving time", () => {
        test("a time zone that observes it gets a warning", async () => {
            const policy = new VmBackupPolicy("weu", {
                vault,
                schedule: { frequency: "Daily", time: "02:00" },
                timeZone: "W. Europe Standard Time",
                retention: { dailyDays: 30 },
            });
            await registered(policy.policy);
            expect(world.warnings).toEqual([
                'VmBackupPolicy "weu": timeZone: observes daylight saving time, but Azure Backup does not adjust the schedule for it: while it is in effect, backups run an hour off the local time given, got "W. Europe Standard Time"',
            ]);
        });

        test("UTC gets none", async () => {
            const policy = new VmBackupPolicy("utc", { vault, schedule: { frequency: "Daily", time: "02:00" }, timeZone: "UTC", retention: { dailyDays: 30 } });
            await registered(policy.policy);
            expect(world.warnings).toEqual([]);
        });
    });

    test("invalid arguments throw before any ProtectionPolicy is registered", async () => {
        const err = thrown(() => new VmBackupPolicy("bad", { vault, schedule: { frequency: "Daily", time: "02:00" }, retention: { dailyDays: 3 } }));
        expect(err.message).toBe('VmBackupPolicy "bad": retention.dailyDays: must be between 7 and 9999, got 3');
        expect(world.ofType(POLICY)).toEqual([]);
    });
});

describe("VmBackupPolicy.fromId", () => {
    const POLICY_ID = `${VAULT_ID}/backupPolicies/vm-enhanced`;
    const GET_POLICY = "azure-native:recoveryservices:getProtectionPolicy";
    const vaultFacts = { location: "westeurope", storageRedundancy: "GeoRedundant" } as const;

    /** A GET of a backup policy as Resource Manager answers it. */
    function policyBody(properties: Record<string, unknown>) {
        return { id: POLICY_ID, name: "vm-enhanced", type: "Microsoft.RecoveryServices/vaults/backupPolicies", properties };
    }

    test.each([
        ["preview", true],
        ["update", false],
    ])("takes what it is told and looks nothing up (%s)", async (_mode, preview) => {
        const world = mockPulumi({ preview });
        const ref = VmBackupPolicy.fromId("existing", POLICY_ID, { policyType: "Enhanced", vault: vaultFacts });
        expect(ref.policyType).toBe("Enhanced");
        expect(await valueOf(ref.id)).toBe(POLICY_ID);
        expect(await valueOf(ref.vault.id)).toBe(VAULT_ID);
        expect(await valueOf(ref.vault.vaultName)).toBe("rsv-prod");
        expect(await valueOf(ref.vault.resourceGroupName)).toBe("rg-backup");
        expect(ref.vault.location).toBe("westeurope");
        expect(world.invokes).toEqual([]);
        expect(world.resources).toEqual([]);
    });

    test.each([
        ["V2", "Enhanced"],
        ["V1", "Standard"],
        [undefined, "Standard"],
    ])("looks the policy type up when not told: %p is %p", async (azureType, expected) => {
        // GIVEN
        const world = mockPulumi({
            preview: true,
            invokes: { [GET_POLICY]: () => policyBody({ backupManagementType: "AzureIaasVM", ...(azureType ? { policyType: azureType } : {}) }) },
        });
        // WHEN
        const ref = VmBackupPolicy.fromId("existing", POLICY_ID, { vault: vaultFacts });
        // THEN: nothing is looked up until the type is asked for
        await new Promise((r) => setImmediate(r));
        expect(world.invokes).toEqual([]);
        expect(await valueOf(pulumi.output(ref.policyType))).toBe(expected);
        expect(world.invokes.map((i) => [i.token, i.inputs])).toEqual([[GET_POLICY, { resourceGroupName: "rg-backup", vaultName: "rsv-prod", policyName: "vm-enhanced" }]]);
    });

    test("reads Azure's own GET of an Enhanced policy", async () => {
        const body = JSON.parse(fs.readFileSync(path.join(FIXTURES, "V2Policy/v2-Get-Policy.json"), "utf8")).responses["200"].body;
        mockPulumi({ preview: false, invokes: { [GET_POLICY]: () => body } });
        const ref = VmBackupPolicy.fromId("existing", body.id, { vault: vaultFacts });
        expect(await valueOf(pulumi.output(ref.policyType))).toBe("Enhanced");
    });

    test("a policy that does not exist rejects", async () => {
        const world = mockPulumi({ preview: true, invokes: { [GET_POLICY]: (i) => notFound(`backup policy ${i.policyName}`) } });
        const ref = VmBackupPolicy.fromId("existing", POLICY_ID, { vault: vaultFacts });
        const message = `VmBackupPolicy "existing": policyId: no backup policy exists at this id, got "${POLICY_ID}"`;
        await expect(valueOf(pulumi.output(ref.policyType))).rejects.toThrow(message);
        // As in a real program, whatever else waits on the type fails with the same message.
        expect(await world.failures()).toEqual([message]);
    });

    test("a policy for another workload rejects", async () => {
        const world = mockPulumi({ preview: true, invokes: { [GET_POLICY]: () => policyBody({ backupManagementType: "AzureWorkload", workLoadType: "SQLDataBase" }) } });
        const ref = VmBackupPolicy.fromId("existing", POLICY_ID, { vault: vaultFacts });
        const message = `VmBackupPolicy "existing": policyId: must be an Azure VM backup policy (backupManagementType "AzureIaasVM"), got backupManagementType "AzureWorkload" for ${POLICY_ID}`;
        await expect(valueOf(pulumi.output(ref.policyType))).rejects.toThrow(message);
        expect(await world.failures()).toEqual([message]);
    });

    test("a malformed id throws at once", () => {
        mockPulumi({ preview: true });
        const err = thrown(() => VmBackupPolicy.fromId("existing", `${VAULT_ID}/policies/x`));
        expect(err.message).toBe(
            `VmBackupPolicy "existing": policyId: must be a backup policy resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{vault}/backupPolicies/{name}, got "${VAULT_ID}/policies/x"`,
        );
        expect(err.errors.map((e) => e.propertyPath)).toEqual(["policyId"]);
    });

    test("facts are checked", () => {
        mockPulumi({ preview: true });
        const err = thrown(() => VmBackupPolicy.fromId("existing", POLICY_ID, { policyType: "V2" as never }));
        expect(err.message).toBe('VmBackupPolicy "existing": facts.policyType: must be one of "Standard", "Enhanced", got "V2"');
    });
});

describe("VmBackupPolicy names in a vault", () => {
    test("two policies of one name in one vault are refused", () => {
        mockPulumi({ preview: true });
        const vault = new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope" });
        VmBackupPolicy.default("daily", vault);
        const error = thrown(() => VmBackupPolicy.default("daily_", vault));
        expect(error.message).toBe(
            'VmBackupPolicy "daily_": name: VmBackupPolicy "daily" already declares policy "daily" in this vault; give each policy its own policyName, got "daily"',
        );
    });

    test("the same policy name in two vaults is fine", () => {
        mockPulumi({ preview: true });
        VmBackupPolicy.default("daily", new BackupVault("a", { resourceGroupName: "rg", location: "westeurope" }));
        expect(() => VmBackupPolicy.default("daily", new BackupVault("b", { resourceGroupName: "rg", location: "westeurope" }))).not.toThrow();
    });

    test("fromId reports a bad vault fact under its own name and path", () => {
        mockPulumi({ preview: true });
        const id = `${VAULT_ID}/backupPolicies/DefaultPolicy`;
        const error = thrown(() => VmBackupPolicy.fromId("existing", id, { vault: { location: "mars" } }));
        expect(error.message).toBe('VmBackupPolicy "existing": facts.vault.location: must be a known Azure region, got "mars"');
    });
});
