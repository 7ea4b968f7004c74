// The Vault, ProtectionPolicy and ProtectedItem bodies this library renders, checked against
// Microsoft's REST definitions (test/fixtures/azure-rest/specs-definitions) with a strict
// JSON Schema validator, so that a misspelt or misplaced property fails here rather than in
// Azure. See test/azure-rest-schema.ts for what the validator enforces and what it leaves out.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { BackupVault, ProtectedVm, VmBackupPolicy, type VmBackupPolicyArgs } from "pulumi-azure-vm-backup";
import { SUBSCRIPTION, type MockWorld, mockPulumi, registered, settle } from "./mocks";
import { runExampleUpdate } from "./example-run";
import { EMPTY_INVENTORY, loadInventory } from "../src/offline/inventory";
import {
    AZURE_NATIVE_RESOURCES,
    EXAMPLES_DIR,
    type RequestKind,
    compileEveryDefinition,
    requestBody,
    validateRegistered,
    validateRequestBody,
} from "./azure-rest-schema";

const VAULT = "azure-native:recoveryservices:Vault";
const POLICY = "azure-native:recoveryservices:ProtectionPolicy";
const ITEM = "azure-native:recoveryservices:ProtectedItem";

const vmId = (rg: string, name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;

/** A VM that exists in Azure, as compute.getVirtualMachine returns it. */
function existingVm(location: string) {
    return (inputs: Record<string, any>) => ({
        id: vmId(inputs.resourceGroupName, inputs.vmName),
        name: inputs.vmName,
        location,
        storageProfile: { osDisk: { managedDisk: { storageAccountType: "Premium_LRS" } } },
    });
}

/** A copy of `body` changed by `change`. */
function changed<T>(body: T, change: (b: any) => void): T {
    const copy = structuredClone(body);
    change(copy);
    return copy;
}

/** The body of one of Microsoft's example requests, without the explicit nulls ARM reads as absent. */
function exampleRequest(file: string): unknown {
    const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), "utf8"), (_k, v) => (v === null ? undefined : v));
    const bodies = Object.values(example.parameters).filter((v) => typeof v === "object");
    if (bodies.length !== 1) throw new Error(`${file}: expected one request body, found ${bodies.length}`);
    return bodies[0];
}

/** Problems of every Vault, ProtectionPolicy and ProtectedItem registered so far, and how many were checked. */
function problemsOf(world: MockWorld): { checked: string[]; problems: string[] } {
    const rendered = world.resources.filter((r) => r.type in AZURE_NATIVE_RESOURCES);
    return { checked: rendered.map((r) => `${r.type}::${r.name}`), problems: rendered.flatMap(validateRegistered) };
}

describe("the REST schema validator", () => {
    test("translates and strictly compiles every definition of both files", () => {
        expect(compileEveryDefinition().length).toBeGreaterThan(100);
    });

    test.each<[string, RequestKind]>([
        ["recoveryservices-vaults-2026-08-01/PUTVault.json", "Vault"],
        ["recoveryservices-vaults-2026-08-01/PUTVault_WithImmutabilityConfig.json", "Vault"],
        ["recoveryservices-vaults-2026-08-01/PUTVault_WithRedundancySettings.json", "Vault"],
        ["recoveryservicesbackup-2026-02-01/AzureIaasVm/ProtectionPolicies_CreateOrUpdate_Simple.json", "ProtectionPolicyResource"],
        ["recoveryservicesbackup-2026-02-01/AzureIaasVm/ProtectionPolicies_CreateOrUpdate_Complex.json", "ProtectionPolicyResource"],
        ["recoveryservicesbackup-2026-02-01/AzureIaasVm/V2Policy/IaaS_v2_hourly.json", "ProtectionPolicyResource"],
        ["recoveryservicesbackup-2026-02-01/AzureIaasVm/V2Policy/IaaS_v2_daily.json", "ProtectionPolicyResource"],
        ["recoveryservicesbackup-2026-02-01/AzureIaasVm/ConfigureProtection.json", "ProtectedItemResource"],
    ])("accepts Microsoft's example request %s", (file, kind) => {
        expect(validateRequestBody(kind, exampleRequest(file))).toEqual([]);
    });

    // Bodies shaped as ours are, each broken in one way.
    const policy = {
        properties: {
            backupManagementType: "AzureIaasVM",
            policyType: "V1",
            timeZone: "UTC",
            instantRpRetentionRangeInDays: 2,
            schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: ["2024-01-01T02:00:00Z"] },
            retentionPolicy: {
                retentionPolicyType: "LongTermRetentionPolicy",
                dailySchedule: { retentionTimes: ["2024-01-01T02:00:00Z"], retentionDuration: { count: 30, durationType: "Days" } },
                monthlySchedule: {
                    retentionScheduleFormatType: "Daily",
                    retentionScheduleDaily: { daysOfTheMonth: [{ date: 0, isLast: true }] },
                    retentionTimes: ["2024-01-01T02:00:00Z"],
                    retentionDuration: { count: 12, durationType: "Months" },
                },
            },
        },
    };
    const enhanced = changed(policy, (b) => {
        b.properties.policyType = "V2";
        b.properties.schedulePolicy = {
            schedulePolicyType: "SimpleSchedulePolicyV2",
            scheduleRunFrequency: "Hourly",
            hourlySchedule: { interval: 4, scheduleWindowStartTime: "2024-01-01T08:00:00Z", scheduleWindowDuration: 24 },
        };
    });
    const vault = {
        location: "westeurope",
        sku: { name: "Standard" },
        properties: {
            redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Disabled" },
            securitySettings: { softDeleteSettings: { softDeleteState: "Enabled", softDeleteRetentionPeriodInDays: 14 }, immutabilitySettings: { state: "Disabled" } },
        },
        tags: { env: "prod" },
    };
    const item = {
        properties: {
            protectedItemType: "Microsoft.Compute/virtualMachines",
            sourceResourceId: vmId("rg-app", "vm-web"),
            policyId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv/backupPolicies/daily`,
            extendedProperties: { diskExclusionProperties: { diskLunList: [1], isInclusionList: false } },
        },
    };

    test("accepts the unbroken bodies", () => {
        expect(validateRequestBody("ProtectionPolicyResource", policy)).toEqual([]);
        expect(validateRequestBody("ProtectionPolicyResource", enhanced)).toEqual([]);
        expect(validateRequestBody("Vault", vault)).toEqual([]);
        expect(validateRequestBody("ProtectedItemResource", item)).toEqual([]);
    });

    test.each<[string, RequestKind, unknown, string[]]>([
        [
            "a misspelt property",
            "ProtectionPolicyResource",
            changed(policy, (b) => {
                b.properties.schedulePolicy.scheduleRunTime = b.properties.schedulePolicy.scheduleRunTimes;
                delete b.properties.schedulePolicy.scheduleRunTimes;
            }),
            ["/properties/schedulePolicy/scheduleRunTime: unknown property"],
        ],
        [
            "a property in the wrong place",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.retentionTimes = ["2024-01-01T02:00:00Z"])),
            ["/properties/retentionTimes: unknown property"],
        ],
        [
            "a property of the other schedule type (V2 in V1)",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.schedulePolicy.dailySchedule = { scheduleRunTimes: ["2024-01-01T02:00:00Z"] })),
            ["/properties/schedulePolicy/dailySchedule: unknown property"],
        ],
        [
            "a property of the other schedule type (V1 in V2)",
            "ProtectionPolicyResource",
            changed(enhanced, (b) => (b.properties.schedulePolicy.scheduleRunTimes = ["2024-01-01T02:00:00Z"])),
            ["/properties/schedulePolicy/scheduleRunTimes: unknown property"],
        ],
        [
            "an unknown property inside an array item",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.retentionPolicy.monthlySchedule.retentionScheduleDaily.daysOfTheMonth = [{ date: 1, last: true }])),
            ["/properties/retentionPolicy/monthlySchedule/retentionScheduleDaily/daysOfTheMonth/0/last: unknown property"],
        ],
        [
            "a value not in an enum",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.schedulePolicy.scheduleRunFrequency = "Monthly")),
            ['/properties/schedulePolicy/scheduleRunFrequency: must be one of "Invalid", "Daily", "Weekly", "Hourly", got "Monthly"'],
        ],
        [
            "an enum value in the wrong case (x-ms-enum modelAsString is still closed here)",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.schedulePolicy.scheduleRunFrequency = "daily")),
            ['/properties/schedulePolicy/scheduleRunFrequency: must be one of "Invalid", "Daily", "Weekly", "Hourly", got "daily"'],
        ],
        [
            "an unknown discriminator value",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.schedulePolicy.schedulePolicyType = "SimpleSchedulePolicyV3")),
            ['/properties/schedulePolicy/schedulePolicyType: must be one of "SimpleSchedulePolicy", "SimpleSchedulePolicyV2", got "SimpleSchedulePolicyV3"'],
        ],
        [
            "a missing discriminator",
            "ProtectionPolicyResource",
            changed(policy, (b) => delete b.properties.backupManagementType),
            ["/properties/backupManagementType: missing required property"],
        ],
        [
            "a count as a string",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.retentionPolicy.dailySchedule.retentionDuration.count = "30")),
            ['/properties/retentionPolicy/dailySchedule/retentionDuration/count: must be integer, got string "30"'],
        ],
        [
            "a fractional int32",
            "ProtectionPolicyResource",
            changed(enhanced, (b) => (b.properties.schedulePolicy.hourlySchedule.interval = 4.5)),
            ["/properties/schedulePolicy/hourlySchedule/interval: must be integer, got number 4.5"],
        ],
        [
            "an int32 out of range",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.instantRpRetentionRangeInDays = 2 ** 31)),
            ["/properties/instantRpRetentionRangeInDays: must be a valid int32, got 2147483648"],
        ],
        [
            "a time that is not a date-time",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.schedulePolicy.scheduleRunTimes = ["02:00"])),
            ['/properties/schedulePolicy/scheduleRunTimes/0: must be a valid date-time, got "02:00"'],
        ],
        [
            "an explicit null",
            "ProtectionPolicyResource",
            changed(policy, (b) => (b.properties.retentionPolicy.monthlySchedule.retentionScheduleWeekly = null)),
            ["/properties/retentionPolicy/monthlySchedule/retentionScheduleWeekly: must be object, got null"],
        ],
        [
            "a read-only vault property",
            "Vault",
            changed(vault, (b) => (b.properties.provisioningState = "Succeeded")),
            ["/properties/provisioningState: read-only property, set by Azure; a request must not send it"],
        ],
        [
            "the read-only ARM id",
            "Vault",
            changed(vault, (b) => (b.id = "/subscriptions/x")),
            ["/id: read-only property, set by Azure; a request must not send it"],
        ],
        ["a vault without location", "Vault", changed(vault, (b) => delete b.location), ["/location: missing required property"]],
        ["a misspelt top-level property", "Vault", changed(vault, (b) => (b.tag = {})), ["/tag: unknown property"]],
        ["a tag that is not a string", "Vault", changed(vault, (b) => (b.tags.env = 1)), ["/tags/env: must be string, got number 1"]],
        [
            "read-only protected item properties, from the base and the derived definition",
            "ProtectedItemResource",
            changed(item, (b) => {
                b.properties.vaultId = "/subscriptions/x";
                b.properties.friendlyName = "vm-web";
            }),
            [
                "/properties/friendlyName: read-only property, set by Azure; a request must not send it",
                "/properties/vaultId: read-only property, set by Azure; a request must not send it",
            ],
        ],
        [
            "the abstract base type as the discriminator value",
            "ProtectedItemResource",
            changed(item, (b) => (b.properties.protectedItemType = "ProtectedItem")),
            [
                '/properties/protectedItemType: must be one of "Microsoft.ClassicCompute/virtualMachines", "Microsoft.Compute/virtualMachines", "AzureIaaSVMProtectedItem", got "ProtectedItem"',
            ],
        ],
        [
            "a disk LUN as a string",
            "ProtectedItemResource",
            changed(item, (b) => (b.properties.extendedProperties.diskExclusionProperties.diskLunList = ["1"])),
            ['/properties/extendedProperties/diskExclusionProperties/diskLunList/0: must be integer, got string "1"'],
        ],
    ])("rejects %s", (_what, kind, body, expected) => {
        expect(validateRequestBody(kind, body)).toEqual(expected);
    });

    test("accepts protectedItemsCount: Microsoft's definitions do not mark it read-only", () => {
        expect(validateRequestBody("ProtectionPolicyResource", changed(policy, (b) => (b.properties.protectedItemsCount = 3)))).toEqual([]);
    });

    test("maps azure-native inputs to the body: path parameters out, user-assigned identities to a map", () => {
        const { kind, body } = requestBody(VAULT, {
            resourceGroupName: "rg",
            vaultName: "rsv",
            location: "westeurope",
            sku: { name: "Standard" },
            identity: { type: "UserAssigned", userAssignedIdentities: ["/subscriptions/x/id"] },
        });
        expect(kind).toBe("Vault");
        expect(body).toEqual({ location: "westeurope", sku: { name: "Standard" }, identity: { type: "UserAssigned", userAssignedIdentities: { "/subscriptions/x/id": {} } } });
        expect(validateRequestBody(kind, body)).toEqual([]);
        expect(requestBody(ITEM, { resourceGroupName: "rg", vaultName: "v", fabricName: "Azure", containerName: "c", protectedItemName: "p", properties: {} }).body).toEqual({
            properties: {},
        });
    });
});

describe("what the components render validates against the REST definitions", () => {
    let world: MockWorld;

    async function expectValid(resources: pulumi.CustomResource[], count: number): Promise<Record<string, unknown>[]> {
        await Promise.all(resources.map(registered));
        expect(await world.failures()).toEqual([]);
        const { checked, problems } = problemsOf(world);
        expect(problems).toEqual([]);
        expect(checked).toHaveLength(count);
        return world.resources.filter((r) => r.type in AZURE_NATIVE_RESOURCES).map((r) => requestBody(r.type, r.inputs).body);
    }

    describe("VmBackupPolicy", () => {
        let vault: BackupVault;
        beforeEach(() => {
            world = mockPulumi({ preview: false });
            vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-prod" });
        });

        test.each(["default", "enhancedEvery4Hours10YearRetention", "dailyWeeklyMonthlyYearly7YearRetention"] as const)("preset %s", async (preset) => {
            const policy = VmBackupPolicy[preset]("policy", vault);
            await expectValid([vault.vault, policy.policy], 2);
        });

        const policies: [string, Omit<VmBackupPolicyArgs, "vault">][] = [
            [
                "Standard daily, monthly and yearly by day of month with Last",
                {
                    schedule: { frequency: "Daily", time: "22:30" },
                    timeZone: "Tokyo Standard Time",
                    instantRestoreDays: 5,
                    retention: {
                        dailyDays: 14,
                        weekly: { weeks: 8, days: ["Saturday"] },
                        monthly: { months: 36, daysOfMonth: [1, 15, "Last"] },
                        yearly: { years: 10, months: ["March", "December"], daysOfMonth: ["Last"] },
                    },
                },
            ],
            [
                // A weekly schedule allows only the week-of-month format (the component's rules),
                // so "Last" is a week of the month here.
                "Standard weekly, weekly + monthly + yearly by week of month",
                {
                    schedule: { frequency: "Weekly", days: ["Sunday", "Wednesday"], time: "01:00" },
                    retention: {
                        weekly: { weeks: 12 },
                        monthly: { months: 24, weeksOfMonth: ["First", "Third"], daysOfWeek: ["Sunday"] },
                        yearly: { years: 5, months: ["January"], weeksOfMonth: ["Last"], daysOfWeek: ["Wednesday"] },
                    },
                },
            ],
            [
                "Enhanced daily",
                {
                    policyType: "Enhanced",
                    schedule: { frequency: "Daily", time: "03:30" },
                    instantRestoreDays: 14,
                    retention: { dailyDays: 60, weekly: { weeks: 10, days: ["Friday"] } },
                },
            ],
            [
                "Enhanced weekly",
                {
                    policyType: "Enhanced",
                    schedule: { frequency: "Weekly", days: ["Monday", "Thursday"], time: "23:00" },
                    retention: { weekly: { weeks: 26 }, monthly: { months: 12, weeksOfMonth: ["Second"], daysOfWeek: ["Monday"] } },
                },
            ],
            [
                "Enhanced hourly with an instant-restore resource group prefix and suffix",
                {
                    policyType: "Enhanced",
                    schedule: { frequency: "Hourly", intervalHours: 6, windowStartTime: "06:00", windowHours: 12 },
                    instantRestoreDays: 10,
                    retention: { dailyDays: 30, yearly: { years: 3, months: ["June"], daysOfMonth: [1] } },
                    instantRestoreResourceGroup: { prefix: "rg-irp-", suffix: "-weu" },
                },
            ],
            [
                "Enhanced hourly with an instant-restore resource group prefix only",
                {
                    policyType: "Enhanced",
                    schedule: { frequency: "Hourly", intervalHours: 12, windowStartTime: "00:00", windowHours: 24 },
                    retention: { dailyDays: 7 },
                    instantRestoreResourceGroup: { prefix: "rg-snapshots-" },
                },
            ],
        ];

        test.each(policies)("%s", async (_what, args) => {
            const policy = new VmBackupPolicy("policy", { vault, ...args });
            const bodies = await expectValid([vault.vault, policy.policy], 2);
            expect(JSON.stringify(bodies)).toContain('"schedulePolicyType"');
        });
    });

    describe("BackupVault", () => {
        test.each<[string, Record<string, unknown>]>([
            ["with defaults", {}],
            [
                "ZoneRedundant, AlwaysOn soft delete, Unlocked immutability, public access disabled, tags",
                {
                    storageRedundancy: "ZoneRedundant",
                    softDelete: { state: "AlwaysOn", retentionDays: 180 },
                    immutability: "Unlocked",
                    publicNetworkAccess: "Disabled",
                    tags: { env: "prod", owner: "backup-team" },
                },
            ],
            ["GeoRedundant with cross-region restore, public access enabled", { storageRedundancy: "GeoRedundant", crossRegionRestore: true, publicNetworkAccess: "Enabled" }],
            ["LocallyRedundant, 30 days of soft delete", { storageRedundancy: "LocallyRedundant", softDelete: { state: "Enabled", retentionDays: 30 } }],
        ])("%s", async (_what, settings) => {
            world = mockPulumi({ preview: false });
            const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", ...settings });
            await expectValid([vault.vault], 1);
        });

        test("Locked, on a vault that exists Unlocked", async () => {
            world = mockPulumi({
                preview: false,
                invokes: {
                    "azure-native:recoveryservices:getVault": (i) => ({
                        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${i.resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/${i.vaultName}`,
                        location: "westeurope",
                        properties: {
                            redundancySettings: { standardTierStorageRedundancy: "GeoRedundant" },
                            securitySettings: { immutabilitySettings: { state: "Unlocked" } },
                        },
                    }),
                },
            });
            const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", immutability: "Locked" });
            const [body] = await expectValid([vault.vault], 1);
            expect(body).toMatchObject({ properties: { securitySettings: { immutabilitySettings: { state: "Locked" } } } });
        });
    });

    describe("ProtectedVm", () => {
        test.each<[string, number[] | undefined]>([
            ["without excludeDiskLuns", undefined],
            ["with excludeDiskLuns", [0, 3]],
        ])("%s, for an azure-native VM and for a VM by id", async (_what, excludeDiskLuns) => {
            world = mockPulumi({ preview: false, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
            const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope" });
            const policy = VmBackupPolicy.default("daily", vault);
            const declared = new compute.VirtualMachine("vm-web", { resourceGroupName: "rg-app", vmName: "vm-web", location: "westeurope" });
            const byResource = new ProtectedVm("web", { policy, vm: declared, excludeDiskLuns });
            const byId = new ProtectedVm("db", { policy, vm: vmId("rg-app", "vm-db"), excludeDiskLuns });
            const bodies = await expectValid([vault.vault, policy.policy, byResource.protectedItem, byId.protectedItem], 4);
            const items = bodies.filter((b) => (b.properties as { protectedItemType?: string }).protectedItemType !== undefined);
            expect(items).toHaveLength(2);
            for (const b of items) {
                expect((b.properties as any).extendedProperties?.diskExclusionProperties?.diskLunList).toEqual(excludeDiskLuns);
            }
        });
    });
});

describe("every example program renders valid bodies", () => {
    const examplesDir = path.resolve(__dirname, "../examples");
    const programs = fs.existsSync(examplesDir)
        ? fs
              .readdirSync(examplesDir, { withFileTypes: true })
              .filter((d) => d.isDirectory() && fs.existsSync(path.join(examplesDir, d.name, "index.ts")))
              .map((d) => d.name)
              .sort()
        : [];

    if (programs.length === 0) {
        test("examples/ holds at least one program", () => {
            throw new Error(`no examples found: expected examples/<name>/index.ts under ${examplesDir}`);
        });
    }

    test.each(programs)("examples/%s", async (name) => {
        // The example as the offline preview runs it: its config, and its inventory answering look-ups.
        const dir = path.join(examplesDir, name);
        const inventoryFile = path.join(dir, "inventory.json");
        const { world } = await runExampleUpdate(dir, fs.existsSync(inventoryFile) ? loadInventory(inventoryFile) : EMPTY_INVENTORY);
        expect(await world.failures()).toEqual([]);
        const { checked, problems } = problemsOf(world);
        expect(problems).toEqual([]);
        expect(checked.length).toBeGreaterThan(0);
        expect(world.ofType(VAULT).length + world.ofType(POLICY).length + world.ofType(ITEM).length).toBe(checked.length);
    });
});
