// VmBackupSelection: which VMs it lists, selects, routes, spreads over policy copies and leaves
// out (with the reason), at preview and at update, through the classic provider's getResources
// and azure-native's look-ups as the mock answers them.
import * as azure from "@pulumi/azure";
import * as resources from "@pulumi/azure-native/resources";
import { BackupVault, ProtectedVm, SkipReason, VmBackupPolicy, VmBackupSelection } from "pulumi-azure-vm-backup";
// The components as other languages construct them: policies by id.
import { VmBackupPolicy as PolicyComponent } from "../src/components/vm-backup-policy";
import { VmBackupSelection as SelectionComponent } from "../src/components/vm-backup-selection";
import { ProtectedVm as ProtectedVmComponent } from "../src/components/protected-vm";
import { type InvokeHandler, OTHER_SUBSCRIPTION, SUBSCRIPTION, invokeError, mockPulumi, notFound, settle, thrown, valueOf } from "./mocks";

const GET_RESOURCES = "azure:core/getResources:getResources";
const CLASSIC_CONFIG = "azure:core/getClientConfig:getClientConfig";
const GET_VM = "azure-native:compute:getVirtualMachine";
const GET_POLICY = "azure-native:recoveryservices:getProtectionPolicy";
const GET_ITEM = "azure-native:recoveryservices:getProtectedItem";
const GET_VAULT = "azure-native:recoveryservices:getVault";
const ITEM = "azure-native:recoveryservices:ProtectedItem";
const POLICY = "azure-native:recoveryservices:ProtectionPolicy";
const PROTECTED_VM = "azure-vm-backup:index:ProtectedVm";
const VM_TYPE = "Microsoft.Compute/virtualMachines";
const VAULT_TYPE = "Microsoft.RecoveryServices/vaults";

interface Vm {
    name: string;
    group?: string;
    location?: string;
    subscription?: string;
    tags?: Record<string, string>;
    securityType?: string;
    dataDisk?: string;
    windowsAgent?: boolean;
}

const vmId = (vm: Vm) =>
    `/subscriptions/${vm.subscription ?? SUBSCRIPTION}/resourceGroups/${vm.group ?? "rg-app"}/providers/Microsoft.Compute/virtualMachines/${vm.name}`;
const vaultIdOf = (group: string, name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.RecoveryServices/vaults/${name}`;

interface Estate {
    vms: Vm[];
    /** Vaults that exist in Azure besides the ones the program declares: name -> region. */
    otherVaults?: Record<string, string>;
    /** Items in Azure: `${vault}/${vm}` -> the policy protecting it. */
    items?: Record<string, { policy: string; softDeleted?: boolean }>;
    /** Policies in Azure: `${vault}/${policy}` -> protectedItemsCount. */
    policies?: Record<string, number>;
    preview?: boolean;
    /** How Azure answers a read of a vault. @default - no vault exists */
    readVault?: InvokeHandler;
}

function world(estate: Estate) {
    const vaults = Object.entries(estate.otherVaults ?? {}).map(([name, location]) => ({
        id: vaultIdOf("rg-other", name),
        name,
        location,
        resourceGroupName: "rg-other",
        type: VAULT_TYPE,
        tags: {},
    }));
    const byName = (group: string, name: string) => estate.vms.find((v) => v.name === name && (v.group ?? "rg-app").toLowerCase() === group.toLowerCase());
    return mockPulumi({
        preview: estate.preview ?? true,
        invokes: {
            ...(estate.readVault ? { [GET_VAULT]: estate.readVault } : {}),
            [CLASSIC_CONFIG]: () => ({ id: SUBSCRIPTION, subscriptionId: SUBSCRIPTION, tenantId: "t", clientId: "c", objectId: "o" }),
            [GET_RESOURCES]: (i) => {
                const listed =
                    i.type === VM_TYPE
                        ? estate.vms
                              .filter((v) => i.resourceGroupName === undefined || (v.group ?? "rg-app").toLowerCase() === i.resourceGroupName.toLowerCase())
                              .map((v) => ({ id: vmId(v), name: v.name, location: v.location ?? "westeurope", resourceGroupName: v.group ?? "rg-app", type: VM_TYPE, tags: v.tags ?? {} }))
                        : i.type === VAULT_TYPE
                          ? vaults
                          : [];
                return { id: `/subscriptions/${SUBSCRIPTION}`, name: "", resourceGroupName: "", type: i.type, resources: listed };
            },
            [GET_VM]: (i) => {
                const vm = byName(i.resourceGroupName, i.vmName);
                if (!vm) return notFound(`virtual machine ${i.vmName}`);
                return {
                    id: vmId(vm),
                    name: vm.name,
                    location: vm.location ?? "westeurope",
                    securityProfile: vm.securityType ? { securityType: vm.securityType } : undefined,
                    storageProfile: {
                        osDisk: { managedDisk: { storageAccountType: "StandardSSD_LRS" } },
                        dataDisks: vm.dataDisk ? [{ lun: 0, managedDisk: { storageAccountType: vm.dataDisk } }] : [],
                    },
                    osProfile: vm.windowsAgent === undefined ? {} : { windowsConfiguration: { provisionVMAgent: vm.windowsAgent } },
                };
            },
            [GET_POLICY]: (i) => {
                const count = estate.policies?.[`${i.vaultName}/${i.policyName}`];
                if (count === undefined) return notFound(`backup policy ${i.policyName}`);
                return {
                    id: `${vaultIdOf(i.resourceGroupName, i.vaultName)}/backupPolicies/${i.policyName}`,
                    name: i.policyName,
                    properties: { backupManagementType: "AzureIaasVM", policyType: "V1", protectedItemsCount: count },
                };
            },
            [GET_ITEM]: (i) => {
                const vm = String(i.protectedItemName).split(";").pop()!;
                const item = estate.items?.[`${i.vaultName}/${vm}`];
                if (!item) return notFound(`protected item ${i.protectedItemName}`);
                return {
                    id: `${vaultIdOf(i.resourceGroupName, i.vaultName)}/backupFabrics/Azure/protectionContainers/${i.containerName}/protectedItems/${i.protectedItemName}`,
                    properties: {
                        policyId: `${vaultIdOf(i.resourceGroupName, i.vaultName)}/backupPolicies/${item.policy}`,
                        protectionState: "Protected",
                        isScheduledForDeferredDelete: item.softDeleted === true,
                    },
                };
            },
        },
    });
}

function vaultIn(location: string, name = `rsv-${location}`) {
    return new BackupVault(name, { resourceGroupName: "rg-backup", location, vaultName: name });
}

const gold = { tags: { backup: ["gold", "platinum"] } };

/** The ProtectedVm children: name -> the policy name of the item registered under it. */
function protectedByPolicy(w: ReturnType<typeof world>): Record<string, string> {
    return Object.fromEntries(
        w.ofType(ITEM).map((item) => [item.name, String(item.inputs.properties.policyId ?? "").split("/").pop() ?? "(unknown)"]),
    );
}

describe("selection by tags, groups, names and subscriptions", () => {
    test("every given tag must match, a list means any value, tag names in any case; the others are neither protected nor reported", async () => {
        const w = world({
            vms: [
                { name: "web-1", tags: { backup: "gold" } },
                { name: "web-2", tags: { Backup: "platinum" } },
                { name: "web-3", tags: { backup: "silver" } },
                { name: "web-4", tags: { backup: "Gold" } },
                { name: "web-5" },
            ],
        });
        const vault = vaultIn("westeurope");
        const s = new VmBackupSelection("gold", { policy: VmBackupPolicy.default("daily", vault), select: gold });
        expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "web-1" }), vmId({ name: "web-2" })]);
        expect(await valueOf(s.skippedVms)).toEqual([]);
        await settle();
        expect(w.ofType(PROTECTED_VM).map((r) => r.name)).toEqual(["gold-rg-app-web-1", "gold-rg-app-web-2"]);
        expect(w.warnings).toEqual([]);
        expect(await w.failures()).toEqual([]);
    });

    test("resource groups are listed one by one, names match patterns without regard to case", async () => {
        const w = world({
            vms: [
                { name: "WEB-01", group: "rg-a" },
                { name: "web-02", group: "rg-b" },
                { name: "db-01", group: "rg-a" },
                { name: "web-03", group: "rg-c" },
                { name: "web1", group: "rg-a" },
            ],
        });
        const s = new VmBackupSelection("web", {
            policy: VmBackupPolicy.default("daily", vaultIn("westeurope")),
            select: { resourceGroups: ["RG-A", "rg-b"], names: ["web-??", "nothing*"] },
        });
        expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "WEB-01", group: "rg-a" }), vmId({ name: "web-02", group: "rg-b" })]);
        expect(w.invokes.filter((i) => i.token === GET_RESOURCES).map((i) => i.inputs)).toEqual([
            { type: VM_TYPE, resourceGroupName: "rg-a" },
            { type: VM_TYPE, resourceGroupName: "rg-b" },
            // Once, for the vaults that might hold the VMs already.
            { type: VAULT_TYPE },
        ]);
        await settle();
        expect(w.ofType(PROTECTED_VM).map((r) => r.name)).toEqual(["web-rg-a-web-01", "web-rg-b-web-02"]);
        expect(await w.failures()).toEqual([]);
    });

    test("subscriptions filter what the classic provider lists; one it cannot list is an error naming it", async () => {
        const w = world({ vms: [{ name: "a" }] });
        const s = new VmBackupSelection("subs", {
            policy: VmBackupPolicy.default("daily", vaultIn("westeurope")),
            select: { subscriptions: [SUBSCRIPTION, OTHER_SUBSCRIPTION] },
        });
        await settle();
        expect((await w.failures()).join("\n")).toContain(
            `VmBackupSelection "subs": select.subscriptions: the VMs are listed through the classic azure provider, which sees its own subscription ${SUBSCRIPTION} only, so VMs in ${OTHER_SUBSCRIPTION} would be missed; declare one VmBackupSelection per subscription, each with an azure.Provider for it (opts.providers), got ${JSON.stringify([SUBSCRIPTION, OTHER_SUBSCRIPTION])}`,
        );
        void s;
    });

    test("the provider's own subscription alone is accepted", async () => {
        const w = world({ vms: [{ name: "a" }] });
        const s = new VmBackupSelection("subs", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { subscriptions: [SUBSCRIPTION.toUpperCase()] } });
        expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "a" })]);
        expect(await w.failures()).toEqual([]);
    });
});

test("a list Azure refuses fails the preview, naming the selection, the look-up and Azure's answer", async () => {
    const refused = mockPulumi({
        preview: true,
        invokes: { [GET_RESOURCES]: () => invokeError('StatusCode=403 Code="AuthorizationFailed" Message="no read access"') },
    });
    new VmBackupSelection("denied", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { names: ["*"] } });
    await settle();
    const failures = (await refused.failures()).join("\n");
    expect(failures).toContain('VmBackupSelection "denied": could not list the VMs through the classic azure provider (azure:core/getResources): ');
    expect(failures).toContain("AuthorizationFailed");
    expect(failures).not.toContain("TypeError");
});

test("the lists go through the classic provider given in providers; the azure-native look-ups keep theirs", async () => {
    const w = world({ vms: [{ name: "a" }] });
    const classic = new azure.Provider("classic-sub", { features: {} });
    const withProvider = new VmBackupSelection("p", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { names: ["*"] } }, { providers: { azure: classic } });
    expect(await valueOf(withProvider.protectedVmIds)).toEqual([vmId({ name: "a" })]);
    const lists = w.invokes.filter((i) => i.token === GET_RESOURCES);
    expect(lists.map((i) => i.provider)).toEqual([expect.stringMatching(/::classic-sub::/), expect.stringMatching(/::classic-sub::/)]);
    // The azure-native look-ups keep their own (default) provider.
    expect(w.invokes.filter((i) => i.token === GET_VM).map((i) => i.provider ?? "")).toEqual([expect.not.stringMatching(/classic-sub/)]);
});

describe("routing and skipped VMs", () => {
    test("each VM goes to its region's policy; every VM left out is one warning and one skippedVms entry, with its reason", async () => {
        const w = world({
            vms: [
                { name: "weu-ok", tags: { backup: "gold" } },
                { name: "neu-ok", location: "northeurope", tags: { backup: "gold" } },
                { name: "us", location: "eastus", tags: { backup: "gold" } },
                { name: "by-id", tags: { backup: "gold" } },
                { name: "by-tag", tags: { backup: "gold", "backup-exempt": "true" } },
                { name: "tl", tags: { backup: "gold" }, securityType: "TrustedLaunch" },
                { name: "v2", tags: { backup: "gold" }, dataDisk: "PremiumV2_LRS" },
                { name: "cvm", tags: { backup: "gold" }, securityType: "ConfidentialVM" },
                { name: "win", tags: { backup: "gold" }, windowsAgent: false },
                { name: "moved", tags: { backup: "gold" } },
                { name: "gone", tags: { backup: "gold" } },
                { name: "other-sub", subscription: OTHER_SUBSCRIPTION, tags: { backup: "gold" } },
            ],
            otherVaults: { "rsv-legacy": "westeurope", "rsv-far": "eastus" },
            items: { "rsv-legacy/moved": { policy: "DefaultPolicy" }, "rsv-westeurope/gone": { policy: "daily-weu", softDeleted: true } },
        });
        const weu = VmBackupPolicy.default("daily-weu", vaultIn("westeurope"));
        const neu = VmBackupPolicy.default("daily-neu", vaultIn("northeurope"));
        const s = new VmBackupSelection("fleet", {
            policies: { westeurope: weu, "North Europe": neu },
            select: gold,
            exclude: { vmIds: [vmId({ name: "by-id" }).toUpperCase()], tags: { "backup-exempt": "true" } },
        });
        const skipped = await valueOf(s.skippedVms);
        expect(skipped!.map((v) => [v.vmId.split("/").pop(), v.reason])).toEqual([
            ["by-id", SkipReason.Excluded],
            ["by-tag", SkipReason.Excluded],
            ["cvm", SkipReason.ConfidentialVm],
            ["gone", SkipReason.SoftDeletedInVault],
            ["moved", SkipReason.ProtectedInAnotherVault],
            ["tl", SkipReason.NeedsEnhancedPolicy],
            ["us", SkipReason.NoPolicyForRegion],
            ["v2", SkipReason.NeedsEnhancedPolicy],
            ["win", SkipReason.NoVmAgent],
            // Sorted by id: the other subscription's id comes last.
            ["other-sub", SkipReason.OtherSubscription],
        ]);
        expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "neu-ok", location: "northeurope" }), vmId({ name: "weu-ok" })]);
        await settle();
        // Known at preview: built from the vault's id and the policy's name.
        expect(await valueOf(s.policyIds)).toEqual([
            `${vaultIdOf("rg-backup", "rsv-northeurope")}/backupPolicies/daily-neu`,
            `${vaultIdOf("rg-backup", "rsv-westeurope")}/backupPolicies/daily-weu`,
        ]);
        expect(w.ofType(ITEM).map((r) => [r.name, r.inputs.vaultName])).toEqual([
            ["fleet-rg-app-neu-ok", "rsv-northeurope"],
            ["fleet-rg-app-weu-ok", "rsv-westeurope"],
        ]);
        expect(w.warnings).toEqual(skipped!.map((v) => `VmBackupSelection "fleet": skipped VM "rg-app/${v.vmId.split("/").pop()}" (${v.reason}): ${v.message}`));
        const why = Object.fromEntries(skipped!.map((v) => [v.vmId.split("/").pop(), v.message]));
        expect(why["by-id"]).toBe("its id is listed in exclude.vmIds");
        expect(why["by-tag"]).toBe('its tag "backup-exempt" is "true" (exclude.tags)');
        expect(why.us).toBe("it is in eastus, and no policy is given for that region (policies: westeurope, northeurope)");
        expect(why.moved).toBe(
            'vault "rsv-legacy" (group rg-other) holds its backup item (Protected), and a VM is protected in one vault at a time; stop its protection there and delete its backup data first',
        );
        expect(why.gone).toBe('its backup item in vault "rsv-westeurope" is soft-deleted; undelete it to protect it there again');
        expect(why["other-sub"]).toBe(`it is in subscription ${OTHER_SUBSCRIPTION}, and vault "rsv-westeurope" in ${SUBSCRIPTION}`);
        expect(why.tl).toContain('VM "tl" is a Trusted Launch VM, which Azure Backup protects only under an Enhanced policy');
        expect(why.v2).toContain('VM "v2" has Premium SSD v2 disks');
        expect(why.cvm).toContain('VM "cvm" is a confidential VM');
        expect(why.win).toContain('VM "win" was created without the VM agent');
        // The vault in another region is never asked about the VM.
        expect(w.invokes.filter((i) => i.token === GET_ITEM && i.inputs.vaultName === "rsv-far")).toEqual([]);
        expect(await w.failures()).toEqual([]);
    });

    test("a VM Azure protects in the policy's vault already is not looked for in the other vaults", async () => {
        const w = world({ vms: [{ name: "a" }], otherVaults: { "rsv-legacy": "westeurope" }, items: { "rsv-westeurope/a": { policy: "daily" } } });
        const s = new VmBackupSelection("sel", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { names: ["*"] } });
        expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "a" })]);
        expect(w.invokes.filter((i) => i.token === GET_ITEM).map((i) => i.inputs.vaultName)).toEqual(["rsv-westeurope"]);
        expect(w.invokes.filter((i) => i.token === GET_RESOURCES && i.inputs.type === VAULT_TYPE)).toEqual([]);
        expect(await w.failures()).toEqual([]);
    });

    test("an Enhanced policy takes the Trusted Launch and Premium SSD v2 VMs", async () => {
        const w = world({ vms: [{ name: "tl", securityType: "TrustedLaunch" }, { name: "v2", dataDisk: "PremiumV2_LRS" }] });
        const vault = vaultIn("westeurope");
        const s = new VmBackupSelection("enh", { policy: VmBackupPolicy.enhancedEvery4Hours10YearRetention("hourly", vault), select: { names: ["*"] } });
        expect((await valueOf(s.protectedVmIds))!.length).toBe(2);
        expect(await valueOf(s.skippedVms)).toEqual([]);
        expect(await w.failures()).toEqual([]);
    });

    test("one policy: a VM of another region than its vault is skipped as NoPolicyForRegion", async () => {
        const w = world({ vms: [{ name: "a" }, { name: "b", location: "northeurope" }] });
        const s = new VmBackupSelection("one", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { names: ["*"] } });
        expect(await valueOf(s.skippedVms)).toEqual([
            { vmId: vmId({ name: "b", location: "northeurope" }), reason: "NoPolicyForRegion", message: 'it is in northeurope, and the policy\'s vault "rsv-westeurope" is in westeurope' },
        ]);
        expect(await w.failures()).toEqual([]);
    });

    test("a VM another ProtectedVm of the program protects is skipped as DeclaredElsewhere, and declared once", async () => {
        const w = world({ vms: [{ name: "a" }, { name: "b" }] });
        const policy = VmBackupPolicy.default("daily", vaultIn("westeurope"));
        new ProtectedVm("by-hand", { policy, vm: vmId({ name: "a" }) });
        const s = new VmBackupSelection("sel", { policy, select: { names: ["*"] } });
        expect(await valueOf(s.skippedVms)).toEqual([{ vmId: vmId({ name: "a" }), reason: "DeclaredElsewhere", message: "by-hand protects it already" }]);
        await settle();
        expect(w.ofType(PROTECTED_VM).map((r) => r.name)).toEqual(["by-hand", "sel-rg-app-b"]);
        expect(await w.failures()).toEqual([]);
    });

    test("a policy routed for a region must be in a vault of that region", async () => {
        const w = world({ vms: [] });
        new VmBackupSelection("bad", { policies: { northeurope: VmBackupPolicy.default("daily", vaultIn("westeurope")) }, select: { names: ["*"] } });
        await settle();
        expect((await w.failures()).join("\n")).toContain(
            'VmBackupSelection "bad": policies.northeurope: the policy for northeurope is in vault "rsv-westeurope", which is in westeurope, and a vault protects only VMs of its own region; give a policy of a vault in northeurope, got a vault in westeurope',
        );
    });
});

describe("policy copies at the per-policy limit", () => {
    const many = (n: number, prefix = "vm") => Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${String(i).padStart(3, "0")}` }));

    test("100 VMs fit one policy; the 101st goes to the copy -2, in order of VM id", async () => {
        for (const n of [100, 101]) {
            const w = world({ vms: many(n), preview: false });
            const vault = vaultIn("westeurope");
            const s = new VmBackupSelection("f", { policy: VmBackupPolicy.default("daily", vault), select: { names: ["vm-*"] } });
            await valueOf(s.protectedVmIds);
            await settle();
            const placed = protectedByPolicy(w);
            expect(Object.keys(placed)).toHaveLength(n);
            expect(Object.values(placed).filter((p) => p === "daily")).toHaveLength(100);
            expect(w.ofType(POLICY).map((p) => p.inputs.policyName)).toEqual(n === 100 ? ["daily"] : ["daily", "daily-2"]);
            if (n === 101) expect(placed["f-rg-app-vm-100"]).toBe("daily-2");
            expect(await w.failures()).toEqual([]);
        }
    });

    test("Azure's count for the policy and for an existing copy is what is left room for; VMs stay on the copy that protects them", async () => {
        const w = world({
            vms: many(6),
            policies: { "rsv-westeurope/daily": 97, "rsv-westeurope/daily-2": 40 },
            items: { "rsv-westeurope/vm-000": { policy: "daily-2" }, "rsv-westeurope/vm-005": { policy: "daily" } },
            preview: false,
        });
        const vault = vaultIn("westeurope");
        const s = new VmBackupSelection("f", { policy: VmBackupPolicy.default("daily", vault), select: { names: ["vm-*"] } });
        await valueOf(s.protectedVmIds);
        await settle();
        // daily: 97 in Azure, vm-005 among them, so room for 4 more: vm-005 stays, vm-001..vm-003 join; vm-000 stays on daily-2, vm-004 fills it.
        expect(protectedByPolicy(w)).toEqual({
            "f-rg-app-vm-000": "daily-2",
            "f-rg-app-vm-001": "daily",
            "f-rg-app-vm-002": "daily",
            "f-rg-app-vm-003": "daily",
            "f-rg-app-vm-004": "daily-2",
            "f-rg-app-vm-005": "daily",
        });
        expect(await valueOf(s.policyIds)).toEqual([
            `${vaultIdOf("rg-backup", "rsv-westeurope")}/backupPolicies/daily`,
            `${vaultIdOf("rg-backup", "rsv-westeurope")}/backupPolicies/daily-2`,
        ]);
        expect(await w.failures()).toEqual([]);
    });

    test("a copy has the policy's settings, its name numbered, in the same vault, under the selection", async () => {
        const w = world({ vms: many(101) });
        const vault = vaultIn("westeurope");
        new VmBackupSelection("f", { policy: VmBackupPolicy.enhancedEvery4Hours10YearRetention("hourly", vault), select: { names: ["*"] } });
        await settle();
        const [first, second] = w.ofType(POLICY);
        expect(second.name).toBe("hourly-2");
        expect(second.inputs.policyName).toBe(`${first.inputs.policyName}-2`);
        expect({ ...second.inputs, policyName: "x" }).toEqual({ ...first.inputs, policyName: "x" });
        expect(w.resources.find((r) => r.name === "hourly-2" && r.type === "azure-vm-backup:index:VmBackupPolicy")).toBeDefined();
        expect(await w.failures()).toEqual([]);
    });

    test("a policy given by id is not copied: more VMs than it has room for is an error naming the room and the count", async () => {
        const policyId = `${vaultIdOf("rg-backup", "rsv-westeurope")}/backupPolicies/daily`;
        const w = world({ vms: many(4), policies: { "rsv-westeurope/daily": 98 } });
        new VmBackupSelection("f", {
            policy: VmBackupPolicy.fromId("daily", policyId, { policyType: "Standard", vault: { location: "westeurope", storageRedundancy: "GeoRedundant" } }),
            select: { names: ["*"] },
        });
        await settle();
        expect((await w.failures()).join("\n")).toContain(
            'VmBackupSelection "f": policy: policy "daily" has room for 2 more VMs (Azure Backup protects at most 100 under one policy) but the selection puts 4 under it; the selection spreads VMs over numbered copies only of a VmBackupPolicy the program declares: declare it, or narrow the selection, got 4 VMs',
        );
    });
});

describe("vault limits", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `vm-${String(i).padStart(4, "0")}` }));

    // Both sides of the figure are in selection-rules.test.ts; this is the count the component makes.
    test("251 VMs new to one vault warn once, naming the count", async () => {
        const w = world({ vms: many(251) });
        const s = new VmBackupSelection("big", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { names: ["*"] } });
        await valueOf(s.protectedVmIds);
        expect(w.warnings.filter((m) => m.includes("registers at most"))).toEqual([
            'VmBackupSelection "big": policy: this deployment would newly protect 251 VMs in vault "rsv-westeurope", and Azure Backup registers at most 250 VMs in one vault per day: expect the rest to fail until the next day, or narrow the selection and widen it day by day, got 251 new VMs',
        ]);
        expect(await w.failures()).toEqual([]);
    });

    test("VMs Azure protects in the vault already are not new to it", async () => {
        const items = Object.fromEntries(many(251).slice(0, 1).map((v) => [`rsv-westeurope/${v.name}`, { policy: "daily" }]));
        const w = world({ vms: many(251), items, policies: { "rsv-westeurope/daily": 1 } });
        const s = new VmBackupSelection("big", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { names: ["*"] } });
        await valueOf(s.protectedVmIds);
        expect(w.warnings.filter((m) => m.includes("registers at most"))).toEqual([]);
        expect(await w.failures()).toEqual([]);
    });

    test("a vault takes 1,000 VMs; 1,001 is an error naming the count", async () => {
        for (const [inAzure, expected] of [
            [990, undefined],
            [991, 1001],
        ] as const) {
            const w = world({ vms: many(10), policies: { "rsv-westeurope/daily": 90, "rsv-westeurope/daily-2": 100, "rsv-westeurope/daily-3": inAzure - 190 } });
            new VmBackupSelection("big", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { names: ["*"] } });
            await settle();
            const failures = (await w.failures()).filter((f) => f.includes("at most 1000 VMs in one vault"));
            expect(failures.length).toBe(expected === undefined ? 0 : 1);
            if (expected) expect(failures[0]).toContain(`vault "rsv-westeurope" would protect ${expected} VMs`);
        }
    });
});

describe("arguments", () => {
    const policy = () => VmBackupPolicy.default("daily", vaultIn("westeurope"));
    test.each([
        [{ select: { names: ["*"] } }, "policy: give exactly one of policy and policies, got neither"],
        [{ select: {} }, "select: must name at least one of tags, resourceGroups, subscriptions and names (a selection of every VM is not taken by default), got {}"],
        [{ select: { tags: { backup: [] } } }, 'select.tags.backup: must list at least one tag value, got []'],
        [{ select: { subscriptions: ["nope"] } }, 'select.subscriptions[0]: must be a subscription id (a GUID), got "nope"'],
        [{ select: { names: ["*"] }, exclude: { vmIds: ["vm-1"] } }, 'exclude.vmIds[0]: must be a virtual machine resource ID'],
        [{ select: { names: ["*"] }, policies: { mars: 1 } }, 'policies.mars'],
    ])("%j is refused", (args, message) => {
        world({ vms: [] });
        const withPolicy = "policies" in args ? { ...args, policies: { mars: policy() } } : message.startsWith("policy:") ? args : { ...args, policy: policy() };
        expect(thrown(() => new VmBackupSelection("bad", withPolicy as never)).message).toContain(message);
    });

    test("both policy and policies are refused", () => {
        world({ vms: [] });
        const p = policy();
        expect(thrown(() => new VmBackupSelection("bad", { policy: p, policies: { westeurope: p }, select: { names: ["*"] } })).message).toContain(
            "policy: give exactly one of policy and policies, got both",
        );
    });
});

test("at update, the children and outputs are the same as at preview", async () => {
    const estate: Estate = { vms: [{ name: "a" }, { name: "b", location: "eastus" }], preview: false };
    const w = world(estate);
    const s = new VmBackupSelection("up", { policy: VmBackupPolicy.default("daily", vaultIn("westeurope")), select: { names: ["*"] } });
    expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "a" })]);
    expect((await valueOf(s.skippedVms))!.map((v) => v.reason)).toEqual(["NoPolicyForRegion"]);
    await settle();
    expect(w.ofType(ITEM).map((r) => r.name)).toEqual(["up-rg-app-a"]);
    expect(await w.failures()).toEqual([]);
});

describe("a policy whose vault is not known at preview", () => {
    /**
     * A policy as a program in another language gives it: by id, its vault in a resource group the
     * program creates. The group's name, and so the vault's and the policy's ids, are unknown at
     * preview; at update they are known and name the components the program declares.
     */
    function policyInNewGroup(location: string, preset: "Default" | "EnhancedEvery4Hours10YearRetention" = "Default") {
        const rg = new resources.ResourceGroup(`rg-${location}`, { resourceGroupName: `rg-${location}`, location });
        const vault = new BackupVault(`rsv-${location}`, { resourceGroupName: rg.name, location, vaultName: `rsv-${location}` });
        return new PolicyComponent(`daily-${location}`, { vaultId: vault.vaultId, preset });
    }
    const unknown = { __pulumiUnknown: true };
    const skipWarning = (sel: string, v: { vmId: string; reason: string; message: string }) =>
        `VmBackupSelection "${sel}": skipped VM "rg-app/${v.vmId.split("/").pop()}" (${v.reason}): ${v.message}`;
    const fleet: Vm[] = [
        { name: "weu" },
        { name: "neu", location: "northeurope" },
        { name: "other-sub", subscription: OTHER_SUBSCRIPTION },
        { name: "win", windowsAgent: false },
        { name: "out" },
    ];

    test("preview: every VM goes to the one policy whatever its region or subscription, and its ProtectedVm leaves both to the update", async () => {
        const w = world({ vms: fleet, otherVaults: { "rsv-legacy": "westeurope" } });
        const s = new SelectionComponent("sel", { policyId: policyInNewGroup("westeurope").policyId, select: { names: ["*"] }, exclude: { vmIds: [vmId({ name: "out" })] } });
        // Sorted by id: the other subscription's last.
        expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "neu" }), vmId({ name: "weu" }), vmId({ name: "other-sub", subscription: OTHER_SUBSCRIPTION })]);
        // What needs no vault is still judged: the exclusion and the VM itself.
        const skipped = (await valueOf(s.skippedVms))!;
        expect(skipped).toEqual([
            { vmId: vmId({ name: "out" }), reason: SkipReason.Excluded, message: "its id is listed in exclude.vmIds" },
            {
                vmId: vmId({ name: "win" }),
                reason: SkipReason.NoVmAgent,
                message: expect.stringContaining('VM "win" was created without the VM agent'),
            },
        ]);
        expect(await valueOf(s.policyIds)).toBeUndefined();
        await settle();
        expect(w.ofType(PROTECTED_VM).map((r) => r.name)).toEqual(["sel-rg-app-neu", "sel-rg-app-weu", "sel-rg-app-other-sub"]);
        // Each item waits for the vault and the policy; the VM is known.
        expect(w.ofType(ITEM).map((r) => [r.name, r.inputs.resourceGroupName, r.inputs.vaultName, r.inputs.properties])).toEqual(
            ["neu", "weu", "other-sub"].map((name) => [
                `sel-rg-app-${name}`,
                unknown,
                unknown,
                {
                    protectedItemType: VM_TYPE,
                    sourceResourceId: vmId({ name, subscription: name === "other-sub" ? OTHER_SUBSCRIPTION : undefined }),
                    policyId: unknown,
                },
            ]),
        );
        expect(w.warnings).toEqual(skipped.map((v) => skipWarning("sel", v)));
        // The policy's vault, unnamed yet, is not asked for the VMs' items; the other vaults of a VM's region and subscription are.
        expect(w.invokes.filter((i) => i.token === GET_ITEM).map((i) => [i.inputs.vaultName, i.inputs.protectedItemName])).toEqual([["rsv-legacy", "vm;iaasvmcontainerv2;rg-app;weu"]]);
        // Neither the selection nor a ProtectedVm reports a region or subscription it cannot know.
        expect(await w.failures()).toEqual([]);
    });

    test("update: the vault's region and subscription are known, and the VMs outside them are skipped with a warning, never declared", async () => {
        const w = world({ vms: fleet, otherVaults: { "rsv-legacy": "westeurope" }, preview: false });
        const s = new SelectionComponent("sel", { policyId: policyInNewGroup("westeurope").policyId, select: { names: ["*"] }, exclude: { vmIds: [vmId({ name: "out" })] } });
        expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "weu" })]);
        const skipped = (await valueOf(s.skippedVms))!;
        expect(skipped.map((v) => [v.vmId, v.reason])).toEqual([
            [vmId({ name: "neu" }), SkipReason.NoPolicyForRegion],
            [vmId({ name: "out" }), SkipReason.Excluded],
            [vmId({ name: "win" }), SkipReason.NoVmAgent],
            [vmId({ name: "other-sub", subscription: OTHER_SUBSCRIPTION }), SkipReason.OtherSubscription],
        ]);
        expect(skipped[0].message).toBe('it is in northeurope, and the policy\'s vault "rsv-westeurope" is in westeurope');
        expect(skipped[3].message).toBe(`it is in subscription ${OTHER_SUBSCRIPTION}, and vault "rsv-westeurope" in ${SUBSCRIPTION}`);
        const policyId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-westeurope/providers/Microsoft.RecoveryServices/vaults/rsv-westeurope/backupPolicies/daily-westeurope`;
        expect(await valueOf(s.policyIds)).toEqual([policyId]);
        await settle();
        expect(w.ofType(PROTECTED_VM).map((r) => r.name)).toEqual(["sel-rg-app-weu"]);
        expect(w.ofType(ITEM).map((r) => [r.name, r.inputs.resourceGroupName, r.inputs.vaultName, r.inputs.properties.policyId])).toEqual([
            ["sel-rg-app-weu", "rg-westeurope", "rsv-westeurope", policyId],
        ]);
        expect(w.warnings).toEqual(skipped.map((v) => skipWarning("sel", v)));
        expect(await w.failures()).toEqual([]);
    });

    // The selection judges the region itself once it is known; a ProtectedVm by hand under the same policy judges it too.
    test("a ProtectedVm under such a policy passes the preview and fails the update with a VM of another region", async () => {
        for (const preview of [true, false]) {
            const w = world({ vms: [{ name: "neu", location: "northeurope" }], preview });
            new ProtectedVmComponent("by-hand", { policyId: policyInNewGroup("westeurope").policyId, vmId: vmId({ name: "neu" }) });
            await settle();
            expect(await w.failures()).toEqual(
                preview
                    ? []
                    : [
                          'error serializing property "properties": ProtectedVm "by-hand": vmId: VM "neu" is in northeurope but vault "rsv-westeurope" is in westeurope; a vault protects only VMs of its own region, so use a vault in northeurope, got VM region northeurope',
                      ],
            );
            // At preview the item is declared, waiting for the vault; at update it fails before it is created.
            expect(w.ofType(ITEM).map((r) => r.name)).toEqual(preview ? ["by-hand"] : []);
        }
    });

    test("a policy type unknown at preview skips no Trusted Launch VM; at update the type decides", async () => {
        for (const preset of ["Default", "EnhancedEvery4Hours10YearRetention"] as const) {
            for (const preview of [true, false]) {
                const w = world({ vms: [{ name: "tl", securityType: "TrustedLaunch" }], preview });
                const s = new SelectionComponent("sel", { policyId: policyInNewGroup("westeurope", preset).policyId, select: { names: ["*"] } });
                const standardAtUpdate = preset === "Default" && !preview;
                expect(await valueOf(s.protectedVmIds)).toEqual(standardAtUpdate ? [] : [vmId({ name: "tl" })]);
                const skipped = (await valueOf(s.skippedVms))!;
                expect(skipped.map((v) => v.reason)).toEqual(standardAtUpdate ? [SkipReason.NeedsEnhancedPolicy] : []);
                await settle();
                expect(w.ofType(PROTECTED_VM).map((r) => r.name)).toEqual(standardAtUpdate ? [] : ["sel-rg-app-tl"]);
                expect(w.warnings).toEqual(skipped.map((v) => skipWarning("sel", v)));
                expect(await w.failures()).toEqual([]);
            }
        }
    });

    test("101 VMs under a declared policy not known at preview: the preview declares them all under it, the update spreads them over its copies", async () => {
        const vms = Array.from({ length: 101 }, (_, i) => ({ name: `vm-${String(i).padStart(3, "0")}` }));
        for (const preview of [true, false]) {
            const w = world({ vms, preview });
            const s = new SelectionComponent("f", { policyId: policyInNewGroup("westeurope").policyId, select: { names: ["vm-*"] } });
            expect(await valueOf(s.protectedVmIds)).toEqual(vms.map(vmId));
            await settle();
            expect(await w.failures()).toEqual([]);
            expect(w.ofType(PROTECTED_VM)).toHaveLength(101);
            if (preview) {
                // Which policy, and so which copies, is known only at update.
                expect(w.ofType(POLICY).map((p) => p.inputs.policyName)).toEqual(["daily-westeurope"]);
                expect(w.ofType(ITEM).every((item) => item.inputs.properties.policyId.__pulumiUnknown === true)).toBe(true);
            } else {
                expect(w.ofType(POLICY).map((p) => p.inputs.policyName)).toEqual(["daily-westeurope", "daily-westeurope-2"]);
                const placed = protectedByPolicy(w);
                expect(Object.values(placed).filter((p) => p === "daily-westeurope")).toHaveLength(100);
                expect(placed["f-rg-app-vm-100"]).toBe("daily-westeurope-2");
            }
        }
    });

    test("more VMs than a policy not declared has room for: the preview cannot tell, the update fails naming the room and the count", async () => {
        const policyId = `${vaultIdOf("rg-backup", "rsv-westeurope")}/backupPolicies/daily`;
        const vms = Array.from({ length: 3 }, (_, i) => ({ name: `vm-${i}` }));
        const readVault: InvokeHandler = (i) => ({ id: vaultIdOf(i.resourceGroupName, i.vaultName), name: i.vaultName, location: "westeurope", properties: {} });
        for (const preview of [true, false]) {
            const w = world({ vms, policies: { "rsv-westeurope/daily": 98 }, readVault, preview });
            // An id that is known only at update, like the id of a resource the program creates.
            const later = new resources.ResourceGroup("marker", { location: "westeurope" }).id.apply(() => policyId);
            const s = new SelectionComponent("f", { policyId: later, select: { names: ["*"] } });
            await settle();
            if (preview) {
                expect(await valueOf(s.protectedVmIds)).toEqual(vms.map(vmId));
                expect(w.ofType(PROTECTED_VM)).toHaveLength(3);
                expect(await w.failures()).toEqual([]);
            } else {
                expect(await w.failures()).toEqual([
                    'error serializing property "outputs": VmBackupSelection "f": policyId: policy "daily" has room for 2 more VMs (Azure Backup protects at most 100 under one policy) but the selection puts 3 under it; the selection spreads VMs over numbered copies only of a VmBackupPolicy the program declares: declare it, or narrow the selection, got 3 VMs',
                ]);
                expect(w.ofType(PROTECTED_VM)).toEqual([]);
            }
        }
    });

    test("vaults not known at preview are counted each on its own: three regions' 84 VMs are not 252 in one vault", async () => {
        const regions = ["westeurope", "northeurope", "swedencentral"];
        const vms = regions.flatMap((location) => Array.from({ length: 84 }, (_, i) => ({ name: `${location}-${String(i).padStart(2, "0")}`, location })));
        for (const preview of [true, false]) {
            const w = world({ vms, preview });
            const s = new SelectionComponent("f", { policyIds: Object.fromEntries(regions.map((r) => [r, policyInNewGroup(r).policyId])), select: { names: ["*"] } });
            expect(await valueOf(s.protectedVmIds)).toHaveLength(252);
            await settle();
            expect(w.warnings).toEqual([]);
            expect(await w.failures()).toEqual([]);
        }
    });

    test("more than 250 new VMs under a policy whose vault is not known at preview: the warning says the policy's vault, not a vault named \"\"", async () => {
        const vms = Array.from({ length: 251 }, (_, i) => ({ name: `vm-${String(i).padStart(3, "0")}` }));
        const w = world({ vms, preview: true });
        const s = new SelectionComponent("f", { policyId: policyInNewGroup("westeurope").policyId, select: { names: ["*"] } });
        expect(await valueOf(s.protectedVmIds)).toHaveLength(251);
        await settle();
        expect(w.warnings).toEqual([
            expect.stringContaining(
                "this deployment would newly protect 251 VMs in the policy's vault (named at update), and Azure Backup registers at most 250 VMs in one vault per day",
            ),
        ]);
    });

    test("policies by region: at preview a region's VMs go to its policy; at update a vault of another region fails the selection", async () => {
        const vms: Vm[] = [{ name: "neu", location: "northeurope" }, { name: "us", location: "eastus" }];
        for (const preview of [true, false]) {
            const w = world({ vms, preview });
            const s = new SelectionComponent("sel", { policyIds: { northeurope: policyInNewGroup("westeurope").policyId }, select: { names: ["*"] } });
            await settle();
            if (preview) {
                expect(await valueOf(s.protectedVmIds)).toEqual([vmId({ name: "neu" })]);
                expect(await valueOf(s.skippedVms)).toEqual([
                    { vmId: vmId({ name: "us" }), reason: SkipReason.NoPolicyForRegion, message: "it is in eastus, and no policy is given for that region (policies: northeurope)" },
                ]);
                expect(w.ofType(PROTECTED_VM).map((r) => r.name)).toEqual(["sel-rg-app-neu"]);
                expect(await w.failures()).toEqual([]);
            } else {
                expect(await w.failures()).toEqual([
                    'error serializing property "outputs": VmBackupSelection "sel": policyIds.northeurope: the policy for northeurope is in vault "rsv-westeurope", which is in westeurope, and a vault protects only VMs of its own region; give a policy of a vault in northeurope, got a vault in westeurope',
                ]);
                expect(w.ofType(PROTECTED_VM)).toEqual([]);
            }
        }
    });

    test("a policy given by id whose vault cannot be read fails the preview naming the vault, Azure's answer and what to do, and no VM is declared", async () => {
        const policyId = `${vaultIdOf("rg-backup", "rsv-westeurope")}/backupPolicies/daily`;
        const answers: [InvokeHandler, string][] = [
            [
                () => invokeError('StatusCode=403 Code="AuthorizationFailed" Message="no read access"'),
                `BackupVault "daily": vaultId: the Recovery Services vault could not be read from Azure (StatusCode=403 Code="AuthorizationFailed" Message="no read access"), and its region is needed: grant read access to it, or give the vault's location and storage redundancy as its facts, got "${vaultIdOf("rg-backup", "rsv-westeurope")}"`,
            ],
            [(i) => notFound(`vault ${i.vaultName}`), `BackupVault "daily": vaultId: no Recovery Services vault exists at this id, got "${vaultIdOf("rg-backup", "rsv-westeurope")}"`],
        ];
        for (const [readVault, message] of answers) {
            const w = world({ vms: [{ name: "weu" }, { name: "neu", location: "northeurope" }], policies: { "rsv-westeurope/daily": 0 }, readVault });
            const s = new VmBackupSelection("sel", { policy: VmBackupPolicy.fromId("daily", policyId), select: { names: ["*"] } });
            await expect(valueOf(s.protectedVmIds)).rejects.toThrow(message);
            await settle();
            expect(w.ofType(PROTECTED_VM)).toEqual([]);
            expect(w.warnings).toEqual([]);
            expect(await w.failures()).toEqual([`error serializing property "outputs": ${message}`]);
        }
    });
});
