// The component package as programs in other languages use it: its schema, derived by Pulumi's
// own analyzer and compared with the committed schema.json, and its construct, fed inputs as the
// engine sends them (plain values, values that depend on other resources, unknowns).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { mockPulumi, SUBSCRIPTION, type MockWorld } from "./mocks";
import { BackupVault, ProtectedVm, VmBackupPolicy, VmBackupSelection } from "pulumi-azure-vm-backup";
import { componentProvider } from "../src/components/package";

const ROOT = path.join(__dirname, "..");
const GOLDEN = path.join(ROOT, "schema.json");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// The analyzer compiles the whole project: one provider (and one analysis) for the file.
const provider = componentProvider(ROOT);
let schemaText: Promise<string> | undefined;
const schema = async () => JSON.parse(await (schemaText ??= provider.getSchema()));

jest.setTimeout(120_000);

// -------------------------------------------------------------------------------------------

const server = require("@pulumi/pulumi/provider/server") as {
    deserializeInputs(inputs: Struct, deps: Map<string, { getUrnsList(): string[] }>): Promise<pulumi.Inputs>;
};

/** Inputs as the engine hands them to construct: `deps` names the inputs that came from another resource's outputs. */
async function engineInputs(values: Record<string, unknown>, deps: Record<string, string[]> = {}): Promise<pulumi.Inputs> {
    const depMap = new Map(Object.entries(deps).map(([k, urns]) => [k, { getUrnsList: () => urns }]));
    return server.deserializeInputs(Struct.fromJavaScript(values as any), depMap);
}

/** An output value as it reaches another program: known, or the engine's unknown marker. */
async function sent(o: unknown): Promise<unknown> {
    if (!pulumi.Output.isInstance(o)) return o;
    const known = await (o as any).isKnown;
    return known ? await (o as any).promise() : UNKNOWN;
}

/** The message construct refuses with; the look-ups it had started are drained. */
async function refusal(world: MockWorld, type: string, name: string, values: Record<string, unknown>): Promise<string> {
    const message = await construct(type, name, values).then(
        () => "constructed",
        (err: Error) => err.message,
    );
    await world.failures();
    return message;
}

async function construct(type: string, name: string, values: Record<string, unknown>, deps: Record<string, string[]> = {}) {
    return provider.construct(name, `azure-vm-backup:index:${type}`, await engineInputs(values, deps), {});
}

const VM = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;

function vmLookup(location = "westeurope") {
    return {
        "azure-native:compute:getVirtualMachine": (i: Record<string, any>) => ({
            id: VM(i.vmName),
            name: i.vmName,
            location,
            storageProfile: { osDisk: { managedDisk: { storageAccountType: "Premium_LRS" } }, dataDisks: [] },
        }),
        // What the selection lists: one VM tagged for it, one not.
        "azure:core/getResources:getResources": (i: Record<string, any>) => ({
            id: `/subscriptions/${SUBSCRIPTION}`,
            resources:
                i.type === "Microsoft.Compute/virtualMachines"
                    ? [
                          { id: VM("web-3"), name: "web-3", resourceGroupName: "rg-app", location, type: i.type, tags: { backup: "gold" } },
                          { id: VM("web-4"), name: "web-4", resourceGroupName: "rg-app", location, type: i.type, tags: {} },
                      ]
                    : [],
        }),
    };
}

/**
 * The azure-native resources a run registered: type, name and inputs, in order. A protected
 * item's policyId is left out: from other languages it is the policy's id built from names,
 * known at preview, where the TypeScript API passes the policy resource's id.
 */
function nativeResources(world: MockWorld) {
    return world.resources
        .filter((r) => r.type.startsWith("azure-native:"))
        .map((r) => {
            const inputs = r.type.endsWith(":ProtectedItem") ? { ...r.inputs, properties: { ...r.inputs.properties, policyId: "(policy)" } } : r.inputs;
            return { type: r.type, name: r.name, inputs };
        });
}

/** The walkthrough from other languages: a vault, the default policy, two VMs. */
async function walkthroughByConstruct(world: MockWorld) {
    const vault = await construct("BackupVault", "prod", { resourceGroupName: "rg-backup", location: "westeurope" });
    const vaultUrn = (await sent(pulumi.output(vault.urn))) as string;
    const policy = await construct("VmBackupPolicy", "daily", { vaultId: await sent(vault.state.vaultId), preset: "Default" }, { vaultId: [vaultUrn] });
    const policyUrn = (await sent(pulumi.output(policy.urn))) as string;
    const items = [];
    for (const vm of ["web-1", "web-2"]) {
        items.push(await construct("ProtectedVm", vm, { policyId: await sent(policy.state.policyId), vmId: VM(vm) }, { policyId: [policyUrn] }));
    }
    const selection = await construct("VmBackupSelection", "gold", { policyId: await sent(policy.state.policyId), select: { tags: { backup: ["gold"] } } }, { policyId: [policyUrn] });
    void world;
    return { vault, policy, items, selection };
}

function walkthroughInTypeScript() {
    const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" });
    const policy = VmBackupPolicy.default("daily", vault);
    for (const vm of ["web-1", "web-2"]) new ProtectedVm(vm, { policy, vm: VM(vm) });
    new VmBackupSelection("gold", { policy, select: { tags: { backup: "gold" } } });
}

describe("schema", () => {
    test("Pulumi's analyzer describes every component and argument, and the result is the committed schema.json", async () => {
        const generated = await schema();
        if (process.env.UPDATE_SCHEMA === "1") fs.writeFileSync(GOLDEN, `${JSON.stringify(generated, null, 4)}\n`);
        expect(generated).toEqual(JSON.parse(fs.readFileSync(GOLDEN, "utf8")));
        // A doc comment with an inline tag ({@link ...}) reaches the analyzer as parts, not text.
        expect(JSON.stringify(generated)).not.toContain("[object Object]");
    });

    test("each component's schema token is the type it registers", async () => {
        const world = mockPulumi({ preview: true, invokes: vmLookup() });
        walkthroughInTypeScript();
        await world.failures();
        const registered = new Set(world.resources.filter((r) => r.type.startsWith("azure-vm-backup:")).map((r) => r.type));
        expect([...registered].sort()).toEqual(Object.keys((await schema()).resources).sort());
    });

    test("other languages get the ids as named outputs, and no component reference as an input", async () => {
        const s = await schema();
        const outputs = (t: string) => Object.keys(s.resources[`azure-vm-backup:index:${t}`].properties).sort();
        expect(outputs("BackupVault")).toEqual(["location", "resourceGroupName", "storageRedundancy", "vaultId", "vaultName"]);
        expect(outputs("VmBackupPolicy")).toEqual(["policyId", "policyName", "policyType", "vaultId"]);
        expect(outputs("ProtectedVm")).toEqual(["protectedItemId", "vaultId", "vmId"]);
        expect(outputs("VmBackupSelection")).toEqual(["policyIds", "protectedVmIds", "skippedVms"]);
        const refs = JSON.stringify(s).match(/"\$ref":"[^"#]*\/schema\.json/g);
        expect(refs).toBeNull();
    });
});

describe.each([true, false])("construct (preview: %s)", (preview) => {
    test("the walkthrough registers the same azure-native resources as the TypeScript API", async () => {
        const viaConstruct = mockPulumi({ preview, invokes: vmLookup() });
        const { vault, policy, items, selection } = await walkthroughByConstruct(viaConstruct);
        expect(await viaConstruct.failures()).toEqual([]);
        const fromOtherLanguages = nativeResources(viaConstruct);

        const viaTypeScript = mockPulumi({ preview, invokes: vmLookup() });
        walkthroughInTypeScript();
        expect(await viaTypeScript.failures()).toEqual([]);
        expect(fromOtherLanguages).toEqual(nativeResources(viaTypeScript));
        expect(fromOtherLanguages.map((r) => r.type)).toEqual([
            "azure-native:recoveryservices:Vault",
            "azure-native:recoveryservices:ProtectionPolicy",
            "azure-native:recoveryservices:ProtectedItem",
            "azure-native:recoveryservices:ProtectedItem",
            "azure-native:recoveryservices:ProtectedItem",
        ]);
        expect(fromOtherLanguages[4].name).toBe("gold-rg-app-web-3");
        expect(await sent(selection.state.protectedVmIds)).toEqual([VM("web-3")]);
        expect(await sent(selection.state.skippedVms)).toEqual([]);

        const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/prod`;
        // Known at preview: a program in another language can pass them on before anything exists.
        expect(await sent(vault.state.vaultId)).toBe(vaultId);
        expect(await sent(policy.state.policyId)).toBe(`${vaultId}/backupPolicies/daily`);
        expect(await sent(policy.state.policyType)).toBe("Standard");
        expect(await sent(items[0].state.vmId)).toBe(VM("web-1"));
        const item = viaConstruct.ofType("azure-native:recoveryservices:ProtectedItem")[0];
        expect(item.inputs.properties.policyId).toBe(`${vaultId}/backupPolicies/daily`);
    });

    test("a VM in another region fails with the TypeScript API's message, naming vmId", async () => {
        const world = mockPulumi({ preview, invokes: vmLookup("northeurope") });
        await walkthroughByConstruct(world);
        const failures = await world.failures();
        const ts = mockPulumi({ preview, invokes: vmLookup("northeurope") });
        walkthroughInTypeScript();
        const tsFailures = await ts.failures();
        expect(failures.length).toBeGreaterThan(0);
        expect(failures).toEqual(tsFailures.map((f) => f.replace(/: vm: /, ": vmId: ")));
        expect(failures[0]).toContain('ProtectedVm "web-1": vmId: VM "web-1" is in northeurope but vault "prod" is in westeurope');
    });
});

describe("construct with unknown and bad inputs", () => {
    test("a vault id unknown at preview registers the policy with the rules that need the vault skipped", async () => {
        const world = mockPulumi({ preview: true, invokes: vmLookup() });
        await construct("VmBackupPolicy", "daily", { vaultId: UNKNOWN, preset: "Default" }, { vaultId: ["urn:pulumi:stack::project::azure-vm-backup:index:BackupVault::prod"] });
        expect(await world.failures()).toEqual([]);
        const policy = world.one("azure-native:recoveryservices:ProtectionPolicy");
        expect(policy.inputs.vaultName).toEqual({ __pulumiUnknown: true });
        expect(policy.inputs.policyName).toBe("daily");
    });

    test("a preset with a schedule of its own is refused, naming both", async () => {
        const world = mockPulumi({ preview: true });
        const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v`;
        expect(await refusal(world, "VmBackupPolicy", "daily", { vaultId, preset: "Default", schedule: { frequency: "Daily", time: "03:00" } })).toContain(
            'VmBackupPolicy "daily": schedule: cannot be given with preset "Default", which sets it, got {"frequency":"Daily","time":"03:00"}',
        );
    });

    test("a preset that is not one is refused with the list of presets", async () => {
        const world = mockPulumi({ preview: true });
        const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v`;
        expect(await refusal(world, "VmBackupPolicy", "daily", { vaultId, preset: "Weekly" })).toContain(
            'VmBackupPolicy "daily": preset: must be one of "Default", "EnhancedEvery4Hours10YearRetention", "DailyWeeklyMonthlyYearly7YearRetention", got "Weekly"',
        );
    });

    test("a policy without preset or schedule gets the TypeScript API's message", async () => {
        const world = mockPulumi({ preview: true });
        const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v`;
        expect(await refusal(world, "VmBackupPolicy", "daily", { vaultId })).toContain(
            'VmBackupPolicy "daily": schedule: is required, got undefined',
        );
    });

    test("a vault id that is not one names vaultId", async () => {
        const world = mockPulumi({ preview: true });
        expect(await refusal(world, "VmBackupPolicy", "daily", { vaultId: "vault-1", preset: "Default" })).toContain(
            'VmBackupPolicy "daily": vaultId: must be a Recovery Services vault resource ID',
        );
    });

    test("a VM id that is not one names vmId", async () => {
        const world = mockPulumi({ preview: true });
        const policyId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupPolicies/p`;
        expect(await refusal(world, "ProtectedVm", "web", { policyId, vmId: "web-1" })).toContain(
            'ProtectedVm "web": vmId: must be a virtual machine resource ID',
        );
    });

    test("onDelete that is not an option is refused", async () => {
        const world = mockPulumi({ preview: true });
        const policyId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupPolicies/p`;
        expect(await refusal(world, "ProtectedVm", "web", { policyId, vmId: VM("web-1"), onDelete: "purge" })).toContain(
            'ProtectedVm "web": onDelete: must be one of "retain", "delete", got "purge"',
        );
    });

    test("lastDayOfMonth joins the days of the month", async () => {
        const world = mockPulumi({ preview: true });
        const vault = await construct("BackupVault", "v", { resourceGroupName: "rg", location: "westeurope" });
        await construct("VmBackupPolicy", "monthly", {
            vaultId: await sent(vault.state.vaultId),
            schedule: { frequency: "Daily", time: "02:00" },
            retention: { dailyDays: 30, monthly: { months: 12, daysOfMonth: [1], lastDayOfMonth: true } },
        });
        expect(await world.failures()).toEqual([]);
        const monthly = world.one("azure-native:recoveryservices:ProtectionPolicy").inputs.properties.retentionPolicy.monthlySchedule;
        expect(monthly.retentionScheduleDaily.daysOfTheMonth).toEqual([{ date: 1, isLast: false }, { date: 0, isLast: true }]);
    });
});

describe("rules that span components, from other languages", () => {
    /** A vault and its policy constructed as another language would; returns the policy's id as sent on. */
    async function vaultAndPolicy(preset = "Default", policyName?: string) {
        const vault = await construct("BackupVault", "prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        const vaultUrn = (await sent(pulumi.output(vault.urn))) as string;
        const vaultId = await sent(vault.state.vaultId);
        const policy = await construct("VmBackupPolicy", "daily", { vaultId, preset, ...(policyName ? { policyName } : {}) }, { vaultId: [vaultUrn] });
        return { vaultId, vaultUrn, policyId: await sent(policy.state.policyId), policyUrn: (await sent(pulumi.output(policy.urn))) as string };
    }

    test("two policies of one name in one vault: the second fails", async () => {
        const world = mockPulumi({ preview: true });
        const { vaultId, vaultUrn } = await vaultAndPolicy();
        await construct("VmBackupPolicy", "daily-2", { vaultId, preset: "Default", policyName: "daily" }, { vaultId: [vaultUrn] });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": VmBackupPolicy "daily-2": policyName: VmBackupPolicy "daily" already declares policy "daily" in this vault; give each policy its own policyName, got "daily"',
        ]);
    });

    test("the 101st VM under one policy fails, the 100th does not", async () => {
        const world = mockPulumi({ preview: true, invokes: vmLookup() });
        const { policyId, policyUrn } = await vaultAndPolicy();
        for (let i = 1; i <= 101; i++) {
            await construct("ProtectedVm", `vm-${i}`, { policyId, vmId: VM(`vm-${i}`) }, { policyId: [policyUrn] });
        }
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "vm-101": policyId: a policy protects at most 100 VMs; spread these VMs over more policies, got VM number 101',
        ]);
    });

    test("a Trusted Launch VM under the Default preset needs an Enhanced policy; under the Enhanced preset it passes", async () => {
        const trustedLaunch = {
            "azure-native:compute:getVirtualMachine": (i: Record<string, any>) => ({
                id: VM(i.vmName),
                name: i.vmName,
                location: "westeurope",
                securityProfile: { securityType: "TrustedLaunch" },
                storageProfile: { osDisk: { managedDisk: { storageAccountType: "Premium_LRS" } }, dataDisks: [] },
            }),
        };
        const world = mockPulumi({ preview: true, invokes: trustedLaunch });
        const standard = await vaultAndPolicy("Default");
        await construct("ProtectedVm", "web", { policyId: standard.policyId, vmId: VM("web") }, { policyId: [standard.policyUrn] });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": policyId: VM "web" is a Trusted Launch VM, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"',
        ]);

        const enhancedWorld = mockPulumi({ preview: true, invokes: trustedLaunch });
        const enhanced = await vaultAndPolicy("EnhancedEvery4Hours10YearRetention");
        await construct("ProtectedVm", "web", { policyId: enhanced.policyId, vmId: VM("web") }, { policyId: [enhanced.policyUrn] });
        expect(await enhancedWorld.failures()).toEqual([]);
    });

    test("an existing policy given by a plain id is looked up for its type", async () => {
        const policyId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/prod/backupPolicies/legacy`;
        const world = mockPulumi({
            preview: true,
            invokes: {
                ...vmLookup(),
                "azure-native:recoveryservices:getVault": () => ({
                    id: policyId.replace(/\/backupPolicies\/.*/, ""),
                    location: "westeurope",
                    properties: { redundancySettings: { standardTierStorageRedundancy: "GeoRedundant" } },
                }),
                "azure-native:recoveryservices:getProtectionPolicy": () => ({
                    id: policyId,
                    properties: { backupManagementType: "AzureIaasVM", policyType: "V1", protectedItemsCount: 0 },
                }),
            },
        });
        await construct("ProtectedVm", "web", { policyId, vmId: VM("web") });
        expect(await world.failures()).toEqual([]);
        expect(world.invokes.map((i) => i.token)).toContain("azure-native:recoveryservices:getProtectionPolicy");
        expect(world.one("azure-native:recoveryservices:ProtectedItem").inputs.properties.policyId).toBe(policyId);
    });
});

describe("a schedule, one object for three frequencies", () => {
    const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v`;

    test("a field of another frequency is named as such", async () => {
        const world = mockPulumi({ preview: true });
        expect(
            await refusal(world, "VmBackupPolicy", "daily", {
                vaultId,
                schedule: { frequency: "Daily", time: "02:00", days: ["Monday"], windowHours: 8 },
                retention: { dailyDays: 30 },
            }),
        ).toBe(
            [
                'VmBackupPolicy "daily": schedule.days: applies only to frequency "Weekly", got frequency "Daily"',
                'VmBackupPolicy "daily": schedule.windowHours: applies only to frequency "Hourly", got frequency "Daily"',
            ].join("\n"),
        );
    });

    test("time belongs to Daily and Weekly, not Hourly", async () => {
        const world = mockPulumi({ preview: true });
        const message = await refusal(world, "VmBackupPolicy", "hourly", {
            vaultId,
            policyType: "Enhanced",
            schedule: { frequency: "Hourly", intervalHours: 4, windowStartTime: "08:00", windowHours: 24, time: "02:00" },
            retention: { dailyDays: 30 },
        });
        expect(message).toBe('VmBackupPolicy "hourly": schedule.time: applies only to frequency "Daily" or "Weekly", got frequency "Hourly"');
    });

    test("the fields of its own frequency pass, unset ones sent as null included", async () => {
        const world = mockPulumi({ preview: true });
        const vault = await construct("BackupVault", "v", { resourceGroupName: "rg", location: "westeurope" });
        await construct("VmBackupPolicy", "weekly", {
            vaultId: await sent(vault.state.vaultId),
            schedule: { frequency: "Weekly", days: ["Sunday"], time: "02:00", intervalHours: null },
            retention: { weekly: { weeks: 12 } },
        });
        expect(await world.failures()).toEqual([]);
        const policy = world.one("azure-native:recoveryservices:ProtectionPolicy").inputs.properties;
        expect(policy.schedulePolicy.scheduleRunDays).toEqual(["Sunday"]);
    });
});

describe("a VM that cannot be found, from other languages", () => {
    test("a VM id with no VM behind it names vmId", async () => {
        const world = mockPulumi({ preview: true });
        const vault = await construct("BackupVault", "prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        const policy = await construct("VmBackupPolicy", "daily", { vaultId: await sent(vault.state.vaultId), preset: "Default" });
        await construct("ProtectedVm", "web", { policyId: await sent(policy.state.policyId), vmId: VM("vm-gone") });
        expect(await world.failures()).toEqual([
            `error serializing property "properties": ProtectedVm "web": vmId: no virtual machine exists at this id, got ${JSON.stringify(VM("vm-gone"))}`,
        ]);
    });
});

describe("ids of the wrong kind", () => {
    test("a vault id that is neither a string nor an output of one", async () => {
        const world = mockPulumi({ preview: true });
        expect(await refusal(world, "VmBackupPolicy", "daily", { vaultId: 42, preset: "Default" })).toBe(
            `VmBackupPolicy "daily": vaultId: must be the vault's resource ID, a string or an Output of one, got 42`,
        );
    });

    test("a policy id from another resource that turns out not to be one fails the item at preview", async () => {
        const world = mockPulumi({ preview: true, invokes: vmLookup() });
        await construct("ProtectedVm", "web", { policyId: "daily", vmId: VM("web") }, { policyId: ["urn:pulumi:stack::project::azure-vm-backup:index:VmBackupPolicy::daily"] });
        const failures = await world.failures();
        expect(failures).toContain(
            'ProtectedVm "web": policyId: must be a backup policy resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{vault}/backupPolicies/{name}, got "daily"',
        );
        expect(failures.every((f) => f.includes('ProtectedVm "web": policyId: must be a backup policy resource ID'))).toBe(true);
    });
});

describe("ProtectedVm's arguments from other languages", () => {
    async function policyInWesteurope() {
        const vault = await construct("BackupVault", "prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        const policy = await construct("VmBackupPolicy", "daily", { vaultId: await sent(vault.state.vaultId), preset: "Default" });
        return (await sent(policy.state.policyId)) as string;
    }
    const VM_URN = "urn:pulumi:stack::project::azure-native:compute:VirtualMachine::web";

    test("a VM the program creates (id unknown at preview) is checked by vmLocation", async () => {
        const world = mockPulumi({ preview: true });
        const policyId = await policyInWesteurope();
        await construct("ProtectedVm", "web", { policyId, vmId: UNKNOWN, vmLocation: "northeurope" }, { vmId: [VM_URN] });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": vmId: VM "web" is in northeurope but vault "prod" is in westeurope; a vault protects only VMs of its own region, so use a vault in northeurope, got VM region northeurope',
        ]);
    });

    test("without vmLocation, that VM's region waits for its id; the item is planned with the id unknown", async () => {
        const world = mockPulumi({ preview: true });
        const policyId = await policyInWesteurope();
        await construct("ProtectedVm", "web", { policyId, vmId: UNKNOWN }, { vmId: [VM_URN] });
        expect(await world.failures()).toEqual([]);
        expect(world.one("azure-native:recoveryservices:ProtectedItem").inputs.properties.sourceResourceId).toEqual({ __pulumiUnknown: true });
    });

    test("a vmLocation that is no region is refused", async () => {
        const world = mockPulumi({ preview: true });
        const policyId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupPolicies/p`;
        expect(await refusal(world, "ProtectedVm", "web", { policyId, vmId: VM("web"), vmLocation: "mars" })).toBe(
            'ProtectedVm "web": vmLocation: must be a known Azure region, got "mars"',
        );
    });

    test("optional arguments sent as null count as unset", async () => {
        const world = mockPulumi({ preview: true, invokes: vmLookup() });
        const policyId = await policyInWesteurope();
        await construct("ProtectedVm", "web", { policyId, vmId: VM("web"), vmLocation: null, excludeDiskLuns: null, onDelete: null });
        expect(await world.failures()).toEqual([]);
        expect(world.options.get("web")?.retainOnDelete).toBe(true);
        expect(world.one("azure-native:recoveryservices:ProtectedItem").inputs.properties.extendedProperties).toBeUndefined();
    });

    test("excludeDiskLuns and onDelete reach the item", async () => {
        const world = mockPulumi({ preview: true, invokes: vmLookup() });
        const policyId = await policyInWesteurope();
        await construct("ProtectedVm", "web", { policyId, vmId: VM("web"), excludeDiskLuns: [1, 2], onDelete: "delete" });
        expect(await world.failures()).toEqual([]);
        expect(world.options.get("web")?.retainOnDelete).toBe(false);
        expect(world.one("azure-native:recoveryservices:ProtectedItem").inputs.properties.extendedProperties).toEqual({
            diskExclusionProperties: { diskLunList: [1, 2], isInclusionList: false },
        });
    });
});

describe("VmBackupPolicy's retention from other languages", () => {
    async function policyProperties(retention: Record<string, unknown>, schedule: Record<string, unknown> = { frequency: "Daily", time: "02:00" }) {
        const world = mockPulumi({ preview: true });
        const vault = await construct("BackupVault", "v", { resourceGroupName: "rg", location: "westeurope" });
        await construct("VmBackupPolicy", "p", { vaultId: await sent(vault.state.vaultId), schedule, retention });
        expect(await world.failures()).toEqual([]);
        return world.one("azure-native:recoveryservices:ProtectionPolicy").inputs.properties.retentionPolicy;
    }

    test("lastDayOfMonth alone keeps the last day", async () => {
        const r = await policyProperties({ dailyDays: 30, yearly: { years: 2, months: ["January"], lastDayOfMonth: true } });
        expect(r.yearlySchedule.retentionScheduleDaily.daysOfTheMonth).toEqual([{ date: 0, isLast: true }]);
    });

    test("lastDayOfMonth false, and fields sent as null, leave the weeks of the month in charge", async () => {
        const r = await policyProperties({
            dailyDays: 30,
            weekly: { weeks: 4, days: ["Sunday"] },
            monthly: { months: 12, daysOfMonth: null, lastDayOfMonth: false, weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
        });
        expect(r.monthlySchedule.retentionScheduleFormatType).toBe("Weekly");
        expect(r.monthlySchedule.retentionScheduleWeekly).toEqual({ daysOfTheWeek: ["Sunday"], weeksOfTheMonth: ["First"] });
    });

    test("a weekly schedule's weekly retention with days sent as null takes the schedule's days", async () => {
        const r = await policyProperties({ weekly: { weeks: 12, days: null } }, { frequency: "Weekly", days: ["Saturday"], time: "02:00" });
        expect(r.weeklySchedule.daysOfTheWeek).toEqual(["Saturday"]);
    });

    test("lastDayOfMonth that is not true or false is refused", async () => {
        const world = mockPulumi({ preview: true });
        const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v`;
        expect(
            await refusal(world, "VmBackupPolicy", "p", {
                vaultId,
                schedule: { frequency: "Daily", time: "02:00" },
                retention: { dailyDays: 30, monthly: { months: 12, lastDayOfMonth: "yes" } },
            }),
        ).toBe('VmBackupPolicy "p": retention.monthly.lastDayOfMonth: must be true or false, got "yes"');
    });

    test("the look-ups of a vault given by id go through the provider of the policy that names it", async () => {
        const world = mockPulumi({ preview: false, invokes: vmLookup() });
        const native = new (class extends pulumi.ProviderResource {})("azure-native", "other", {});
        const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v`;
        const policy = await provider.construct("p", "azure-vm-backup:index:VmBackupPolicy", await engineInputs({ vaultId, preset: "Default" }), { provider: native });
        await construct("ProtectedVm", "web", { policyId: await sent(policy.state.policyId), vmId: VM("web") });
        await world.failures();
        const lookups = world.invokes.filter((i) => i.token === "azure-native:recoveryservices:getVault");
        expect(lookups.length).toBeGreaterThan(0);
        for (const lookup of lookups) expect(lookup.provider).toMatch(/::other::/);
    });
});

describe("BackupVault from other languages", () => {
    test("bad arguments get the TypeScript API's messages, every problem at once", async () => {
        const args = { resourceGroupName: "rg", location: "Westeurop", vaultName: "-bad", storageRedundancy: "LocallyRedundant", crossRegionRestore: true, immutability: "Frozen" };
        const world = mockPulumi({ preview: true });
        const viaConstruct = await refusal(world, "BackupVault", "prod", args);
        let viaTypeScript = "constructed";
        try {
            new BackupVault("prod", args as any);
        } catch (err) {
            viaTypeScript = (err as Error).message;
        }
        expect(viaConstruct).toBe(viaTypeScript);
        expect(viaConstruct.split("\n")).toHaveLength(3);
        expect(viaConstruct).toContain('BackupVault "prod": immutability: must be one of "Disabled", "Unlocked", "Locked", got "Frozen"');
    });
});
