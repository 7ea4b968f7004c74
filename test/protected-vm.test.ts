import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as classic from "@pulumi/azure/compute";
import * as azureNative from "@pulumi/azure-native";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { OTHER_SUBSCRIPTION, SUBSCRIPTION, invokeError, mockPulumi, notFound, registered, valueOf, thrown } from "./mocks";

const ITEM = "azure-native:recoveryservices:ProtectedItem";
const vmId = (rg: string, name: string, sub = SUBSCRIPTION) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
const policyId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/prod/backupPolicies/daily`;

function nativeVm(name: string, extra: Partial<compute.VirtualMachineArgs> = {}): compute.VirtualMachine {
    return new compute.VirtualMachine(name, { resourceGroupName: "rg-app", vmName: name, location: "westeurope", ...extra });
}

function classicLinuxVm(name: string, extra: Partial<classic.LinuxVirtualMachineArgs> = {}): classic.LinuxVirtualMachine {
    return new classic.LinuxVirtualMachine(name, {
        name,
        resourceGroupName: "rg-app",
        location: "West Europe",
        size: "Standard_B2s",
        adminUsername: "azureuser",
        networkInterfaceIds: ["/subscriptions/x/nic"],
        osDisk: { caching: "ReadWrite", storageAccountType: "Premium_LRS" },
        ...extra,
    });
}

/** A vault in westeurope with the seed's default policy. */
function defaultPolicy(storageRedundancy?: "GeoRedundant" | "LocallyRedundant", vaultName = "prod"): VmBackupPolicy {
    const vault = new BackupVault(vaultName, { resourceGroupName: "rg-backup", location: "westeurope", storageRedundancy });
    return VmBackupPolicy.default("daily", vault);
}

function existingVm(location: string, extra: Record<string, unknown> = {}) {
    return (inputs: Record<string, any>) => ({
        id: vmId(inputs.resourceGroupName, inputs.vmName),
        name: inputs.vmName,
        location,
        storageProfile: { osDisk: { managedDisk: { storageAccountType: "Premium_LRS" } } },
        ...extra,
    });
}


describe("ProtectedVm registers one protected item", () => {
    test("for an azure-native VM (update): names, policy, source and options", async () => {
        const world = mockPulumi({ preview: false });
        const policy = defaultPolicy();
        const vm = nativeVm("vm-web");
        const protectedVm = new ProtectedVm("web", { policy, vm });
        expect(await registered(protectedVm.protectedItem)).toBe(
            "urn:pulumi:stack::project::azure-vm-backup:index:ProtectedVm$azure-native:recoveryservices:ProtectedItem::web",
        );
        expect(world.one(ITEM).inputs).toEqual({
            resourceGroupName: "rg-backup",
            vaultName: "prod",
            fabricName: "Azure",
            containerName: "iaasvmcontainer;iaasvmcontainerv2;rg-app;vm-web",
            protectedItemName: "vm;iaasvmcontainerv2;rg-app;vm-web",
            properties: {
                protectedItemType: "Microsoft.Compute/virtualMachines",
                sourceResourceId: vmId("rg-app", "vm-web"),
                policyId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/prod/backupPolicies/daily`,
            },
        });
        expect(world.options.get("web")).toMatchObject({ retainOnDelete: true, deleteBeforeReplace: true });
        expect(await valueOf(protectedVm.vmId)).toBe(vmId("rg-app", "vm-web"));
        expect(await valueOf(protectedVm.vaultId)).toBe(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/prod`);
        expect(await world.failures()).toEqual([]);
        expect(world.warnings).toEqual([]);
    });

    test("for an azure-native VM at preview: what depends on the new VM's id stays unknown, nothing fails", async () => {
        const world = mockPulumi({ preview: true });
        const pvm = new ProtectedVm("web", { policy: defaultPolicy(), vm: nativeVm("vm-web") });
        await registered(pvm.protectedItem);
        const unknown = { __pulumiUnknown: true };
        expect(world.one(ITEM).inputs).toEqual({
            resourceGroupName: "rg-backup",
            vaultName: "prod",
            fabricName: "Azure",
            containerName: unknown,
            protectedItemName: unknown,
            properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: unknown, policyId: unknown },
        });
        expect(await world.failures()).toEqual([]);
    });

    test("for an existing VM by resource ID: looked up at preview, names known", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm("West Europe") } });
        const pvm = new ProtectedVm("db", { policy: defaultPolicy(), vm: vmId("RG-Data", "vm-db01") });
        await registered(pvm.protectedItem);
        expect(world.one(ITEM).inputs).toMatchObject({
            // Lower case whatever the id's casing, so a differently cased id never replaces the item.
            containerName: "iaasvmcontainer;iaasvmcontainerv2;rg-data;vm-db01",
            protectedItemName: "vm;iaasvmcontainerv2;rg-data;vm-db01",
            properties: { sourceResourceId: vmId("RG-Data", "vm-db01") },
        });
        expect(world.invokes.filter((i) => i.token === "azure-native:compute:getVirtualMachine").map((i) => i.inputs)).toEqual([
            { resourceGroupName: "RG-Data", vmName: "vm-db01" },
        ]);
        expect(await world.failures()).toEqual([]);
    });

    test("for a classic-provider Linux VM at preview: names come from its name and group", async () => {
        const world = mockPulumi({ preview: true });
        const pvm = new ProtectedVm("api", { policy: defaultPolicy(), vm: classicLinuxVm("vm-api") });
        await registered(pvm.protectedItem);
        expect(world.one(ITEM).inputs).toMatchObject({
            containerName: "iaasvmcontainer;iaasvmcontainerv2;rg-app;vm-api",
            protectedItemName: "vm;iaasvmcontainerv2;rg-app;vm-api",
        });
        expect(await world.failures()).toEqual([]);
    });

    test("onDelete delete opts in to deleting the recovery points; excluded LUNs are rendered", async () => {
        const world = mockPulumi({ preview: false });
        const pvm = new ProtectedVm("web", { policy: defaultPolicy(), vm: nativeVm("vm-web"), onDelete: "delete", excludeDiskLuns: [1, 3] });
        await registered(pvm.protectedItem);
        expect(world.options.get("web")).toMatchObject({ retainOnDelete: false, deleteBeforeReplace: true });
        expect(world.one(ITEM).inputs.properties.extendedProperties).toEqual({ diskExclusionProperties: { diskLunList: [1, 3], isInclusionList: false } });
    });

    test("an existing policy by ID protects in the policy's vault", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
        const policy = VmBackupPolicy.fromId("daily", policyId, { policyType: "Standard", vault: { location: "westeurope", storageRedundancy: "GeoRedundant" } });
        const pvm = new ProtectedVm("db", { policy, vm: vmId("rg-data", "vm-db01") });
        await registered(pvm.protectedItem);
        expect(world.one(ITEM).inputs).toMatchObject({ resourceGroupName: "rg-backup", vaultName: "prod", properties: { policyId } });
        expect(await world.failures()).toEqual([]);
    });
});

describe.each([
    ["preview", true],
    ["update", false],
])("ProtectedVm rules (%s)", (_mode, preview) => {
    test("a VM in another region than the vault fails, naming both regions and the VM", async () => {
        const world = mockPulumi({ preview });
        new ProtectedVm("web", { policy: defaultPolicy(), vm: nativeVm("vm-web", { location: "North Europe" }) });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": vm: VM "vm-web" is in northeurope but vault "prod" is in westeurope; a vault protects only VMs of its own region, so use a vault in northeurope, got VM region northeurope',
        ]);
        expect(world.ofType(ITEM)).toEqual([]);
    });

    test("an existing VM in another subscription fails", async () => {
        const world = mockPulumi({ preview, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
        new ProtectedVm("db", { policy: defaultPolicy(), vm: vmId("rg-data", "vm-db01", OTHER_SUBSCRIPTION) });
        expect(await world.failures()).toEqual([
            `error serializing property "properties": ProtectedVm "db": vm: VM "vm-db01" is in subscription ${OTHER_SUBSCRIPTION} but vault "prod" is in subscription ${SUBSCRIPTION}; Azure Backup does not protect VMs across subscriptions, got subscription ${OTHER_SUBSCRIPTION}`,
        ]);
    });

    test("a Trusted Launch VM under a Standard policy fails; under an Enhanced policy it passes", async () => {
        const world = mockPulumi({ preview });
        const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        const standard = VmBackupPolicy.default("daily", vault);
        const enhanced = VmBackupPolicy.enhancedEvery4Hours10YearRetention("hourly", vault);
        const trusted = { securityProfile: { securityType: "TrustedLaunch" } };
        new ProtectedVm("a", { policy: standard, vm: nativeVm("vm-a", trusted) });
        new ProtectedVm("b", { policy: enhanced, vm: nativeVm("vm-b", trusted) });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "a": policy: VM "vm-a" is a Trusted Launch VM, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"',
        ]);
        expect(world.ofType(ITEM).map((r) => r.name)).toEqual(["b"]);
    });

    test("Ultra and Premium SSD v2 disks need an Enhanced policy", async () => {
        const world = mockPulumi({ preview });
        new ProtectedVm("a", {
            policy: defaultPolicy(),
            vm: nativeVm("vm-a", {
                storageProfile: { dataDisks: [{ lun: 0, createOption: "Empty", managedDisk: { storageAccountType: "PremiumV2_LRS" } }] },
                additionalCapabilities: { ultraSSDEnabled: true },
            }),
        });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "a": policy: VM "vm-a" has Premium SSD v2 and Ultra disks, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"',
        ]);
    });

    test("a confidential VM is refused as unsupported", async () => {
        const world = mockPulumi({ preview, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope", { securityProfile: { securityType: "ConfidentialVM" } }) } });
        new ProtectedVm("c", { policy: defaultPolicy(), vm: { id: vmId("rg", "vm-c") } });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "c": vm: VM "vm-c" is a confidential VM, which Azure Backup does not support, got securityType "ConfidentialVM"',
        ]);
    });

    test("a Windows VM created without the VM agent gets a warning", async () => {
        const world = mockPulumi({ preview });
        const pvm = new ProtectedVm("w", { policy: defaultPolicy(), vm: nativeVm("vm-w", { osProfile: { windowsConfiguration: { provisionVMAgent: false } } }) });
        await registered(pvm.protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "w": vm: VM "vm-w" was created without the VM agent, which Azure Backup needs to back it up: install the agent on the VM, got provisionVMAgent false',
        ]);
    });

    const lrsVault = () => ({
        id: "x",
        location: "westeurope",
        properties: { redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant", crossRegionRestore: "Disabled" } },
    });
    const storageConfig = (properties: Record<string, unknown>) => (i: Record<string, any>) => {
        // The one resource asked for: the vault's storage configuration.
        expect(i).toEqual({
            resourceGroupName: "rg-backup",
            resourceProviderNamespace: "Microsoft.RecoveryServices",
            parentResourcePath: "vaults/prod",
            resourceType: "backupstorageconfig",
            resourceName: "vaultstorageconfig",
            apiVersion: "2024-10-01",
        });
        return { id: "x/backupstorageconfig/vaultstorageconfig", name: "vaultstorageconfig", properties };
    };

    test("a vault that exists with other redundancy and holds backup items cannot hold the VMs of a program that changes it", async () => {
        const world = mockPulumi({
            preview,
            invokes: {
                "azure-native:recoveryservices:getVault": lrsVault,
                "azure-native:resources:getResource": storageConfig({ storageType: "LocallyRedundant", storageTypeState: "Locked" }),
            },
        });
        new ProtectedVm("web", { policy: defaultPolicy("GeoRedundant"), vm: nativeVm("vm-web") });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": policy: vault "prod" already exists with LocallyRedundant storage, and its redundancy cannot change once it holds backup items; keep storageRedundancy "LocallyRedundant", or protect these VMs in a new vault (or stop protection of every item in it first), got storageRedundancy "GeoRedundant"',
        ]);
        expect(world.warnings).toEqual([]);
    });

    test("a vault that exists with other redundancy but holds no backup items may change it (Azure allows that)", async () => {
        const world = mockPulumi({
            preview,
            invokes: {
                "azure-native:recoveryservices:getVault": lrsVault,
                "azure-native:resources:getResource": storageConfig({ storageType: "LocallyRedundant", storageTypeState: "Unlocked" }),
            },
        });
        await registered(new ProtectedVm("web", { policy: defaultPolicy("GeoRedundant"), vm: nativeVm("vm-web") }).protectedItem);
        expect(await world.failures()).toEqual([]);
        expect(world.warnings).toEqual([]);
        expect(world.invokes.filter((i) => i.token === "azure-native:resources:getResource")).toHaveLength(1);
    });

    test.each([
        ["its storage configuration cannot be read", () => invokeError('StatusCode=403 Code="AuthorizationFailed"'), 'StatusCode=403 Code="AuthorizationFailed"'],
        ["the answer does not say", storageConfig({ storageType: "LocallyRedundant" }), "Azure's answer does not say"],
    ])("a vault whose items cannot be told (%s): a warning on the vault, once, not a failure", async (_why, answer, why) => {
        const world = mockPulumi({ preview, invokes: { "azure-native:recoveryservices:getVault": lrsVault, "azure-native:resources:getResource": answer } });
        const policy = defaultPolicy("GeoRedundant");
        await registered(new ProtectedVm("web", { policy, vm: nativeVm("vm-web") }).protectedItem);
        await registered(new ProtectedVm("db", { policy, vm: nativeVm("vm-db") }).protectedItem);
        expect(await world.failures()).toEqual([]);
        expect(world.warnings).toEqual([
            `BackupVault "prod": storageRedundancy: vault "prod" already exists with LocallyRedundant storage, and whether it holds backup items (which would fix its redundancy) could not be told: ${why}; if it holds any, Azure refuses the change: keep storageRedundancy "LocallyRedundant" then, got storageRedundancy "GeoRedundant"`,
        ]);
    });

    test("an existing vault with the same redundancy is fine", async () => {
        const world = mockPulumi({
            preview,
            invokes: {
                "azure-native:recoveryservices:getVault": () => ({
                    id: "x",
                    location: "westeurope",
                    properties: { redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant" } },
                }),
            },
        });
        await registered(new ProtectedVm("web", { policy: defaultPolicy("LocallyRedundant"), vm: nativeVm("vm-web") }).protectedItem);
        expect(await world.failures()).toEqual([]);
    });

    test("a VM ID that does not exist fails", async () => {
        const world = mockPulumi({ preview });
        new ProtectedVm("ghost", { policy: defaultPolicy(), vm: vmId("rg", "vm-ghost") });
        expect(await world.failures()).toEqual([
            `error serializing property "properties": ProtectedVm "ghost": vm: no virtual machine exists at this id, got "${vmId("rg", "vm-ghost")}"`,
        ]);
    });
});

describe("ProtectedVm and a stated VM location", () => {
    const forbidden = () => invokeError('virtual machines: StatusCode=403 Code="AuthorizationFailed" Message="no read access"');

    test("Azure's record wins over a contradicting stated location: a VM in northeurope stated as westeurope fails at preview", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm("northeurope") } });
        new ProtectedVm("web", { policy: defaultPolicy(), vm: { id: vmId("rg", "vm-web"), location: "westeurope" } });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": vm: VM "vm-web" is in northeurope but vault "prod" is in westeurope; a vault protects only VMs of its own region, so use a vault in northeurope, got VM region northeurope',
        ]);
        expect(world.warnings).toEqual([]);
    });

    test("a stated location that agrees with Azure's record passes", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
        await registered(new ProtectedVm("web", { policy: defaultPolicy(), vm: { id: vmId("rg", "vm-web"), location: "northeurope" } }).protectedItem);
        expect(await world.failures()).toEqual([]);
    });

    test("a VM that cannot be read: the stated location stands in, with a warning", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": forbidden } });
        new ProtectedVm("web", { policy: defaultPolicy(), vm: { id: vmId("rg", "vm-web"), location: "northeurope" } });
        new ProtectedVm("db", { policy: defaultPolicy(undefined, "prod2"), vm: { id: vmId("rg", "vm-db"), location: "westeurope" } });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": vm: VM "vm-web" is in northeurope but vault "prod" is in westeurope; a vault protects only VMs of its own region, so use a vault in northeurope, got VM region northeurope',
        ]);
        expect(world.ofType(ITEM).map((r) => r.name)).toEqual(["db"]);
        expect(world.warnings.sort()).toEqual([
            'ProtectedVm "db": vm: could not read VM "vm-db" from Azure, so its stated location "westeurope" is used and the checks of its security type, disks and agent were skipped: virtual machines: StatusCode=403 Code="AuthorizationFailed" Message="no read access"',
            'ProtectedVm "web": vm: could not read VM "vm-web" from Azure, so its stated location "northeurope" is used and the checks of its security type, disks and agent were skipped: virtual machines: StatusCode=403 Code="AuthorizationFailed" Message="no read access"',
        ]);
    });

    test("a VM that cannot be read and has no stated location: a warning, the region check skipped", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": forbidden } });
        await registered(new ProtectedVm("web", { policy: defaultPolicy(), vm: vmId("rg", "vm-web") }).protectedItem);
        expect(await world.failures()).toEqual([]);
        expect(world.warnings).toEqual([
            'ProtectedVm "web": vm: could not read VM "vm-web" from Azure, so the checks of its security type, disks and agent were skipped: virtual machines: StatusCode=403 Code="AuthorizationFailed" Message="no read access"',
        ]);
    });
});

describe("ProtectedVm and the values a preview does not know", () => {
    test("a VM whose region is unknown is still held to the policy-type rules", async () => {
        const world = mockPulumi({ preview: true });
        const policy = defaultPolicy();
        const unknownRegion = new compute.VirtualMachine("other", { resourceGroupName: "rg" }).id.apply(() => "westeurope");
        new ProtectedVm("a", { policy, vm: nativeVm("vm-a", { location: unknownRegion, securityProfile: { securityType: "TrustedLaunch" } }) });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "a": policy: VM "vm-a" is a Trusted Launch VM, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"',
        ]);
    });

    test("a VM given by ID with an unknown location is still looked up", async () => {
        const world = mockPulumi({
            preview: true,
            invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope", { securityProfile: { securityType: "ConfidentialVM" } }) },
        });
        const unknownRegion = new compute.VirtualMachine("other", { resourceGroupName: "rg" }).id.apply(() => "westeurope");
        new ProtectedVm("c", { policy: defaultPolicy(), vm: { id: vmId("rg", "vm-c"), location: unknownRegion } });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "c": vm: VM "vm-c" is a confidential VM, which Azure Backup does not support, got securityType "ConfidentialVM"',
        ]);
    });

    test("an id that turns out not to be a VM id gets one message, not a second garbled one", async () => {
        const world = mockPulumi({ preview: false });
        new ProtectedVm("x", { policy: defaultPolicy(), vm: { id: pulumi.output("not-an-id") } });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "x": vm: must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}, got "not-an-id"',
        ]);
    });
});

describe("ProtectedVm with classic-provider VMs", () => {
    function classicWindowsVm(name: string, extra: Partial<classic.WindowsVirtualMachineArgs> = {}): classic.WindowsVirtualMachine {
        return new classic.WindowsVirtualMachine(name, {
            name,
            resourceGroupName: "rg-app",
            location: "westeurope",
            size: "Standard_B2s",
            adminUsername: "azureuser",
            adminPassword: "placeholder-Passw0rd!",
            networkInterfaceIds: ["/subscriptions/x/nic"],
            osDisk: { caching: "ReadWrite", storageAccountType: "Premium_LRS" },
            ...extra,
        });
    }

    test("a Windows VM without the VM agent gets a warning", async () => {
        const world = mockPulumi({ preview: true });
        await registered(new ProtectedVm("w", { policy: defaultPolicy(), vm: classicWindowsVm("vm-w", { provisionVmAgent: false }) }).protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "w": vm: VM "vm-w" was created without the VM agent, which Azure Backup needs to back it up: install the agent on the VM, got provisionVMAgent false',
        ]);
    });

    test.each<[string, Partial<classic.LinuxVirtualMachineArgs>, string]>([
        ["secure boot", { secureBootEnabled: true }, 'policy: VM "vm-t" is a Trusted Launch VM'],
        ["vTPM", { vtpmEnabled: true }, 'policy: VM "vm-t" is a Trusted Launch VM'],
        ["a confidential OS disk", { vtpmEnabled: true, osDisk: { caching: "ReadWrite", storageAccountType: "Premium_LRS", securityEncryptionType: "VMGuestStateOnly" } }, 'vm: VM "vm-t" is a confidential VM'],
        ["Ultra disks enabled", { additionalCapabilities: { ultraSsdEnabled: true } }, 'policy: VM "vm-t" has Ultra disks'],
    ])("%s is read as the security type Azure Backup sees", async (_what, extra, expected) => {
        const world = mockPulumi({ preview: true });
        new ProtectedVm("t", { policy: defaultPolicy(), vm: classicLinuxVm("vm-t", extra) });
        const failures = await world.failures();
        expect(failures).toHaveLength(1);
        expect(failures[0]).toContain(`ProtectedVm "t": ${expected}`);
    });
});

describe("ProtectedVm placement", () => {
    test("policy and item go with the vault's provider unless given their own", async () => {
        const world = mockPulumi({ preview: false, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
        const provider = new azureNative.Provider("other-subscription", {});
        const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" }, { provider });
        const policy = VmBackupPolicy.default("daily", vault);
        const pvm = new ProtectedVm("db", { policy, vm: vmId("rg-data", "vm-db01") });
        await registered(pvm.protectedItem);
        expect(await world.failures()).toEqual([]);
        const providerOf = (type: string) => world.resources.find((r) => r.type === type)?.provider ?? "";
        expect(providerOf("azure-native:recoveryservices:Vault")).toMatch(/::other-subscription::/);
        expect(providerOf("azure-native:recoveryservices:ProtectionPolicy")).toMatch(/::other-subscription::/);
        expect(providerOf(ITEM)).toMatch(/::other-subscription::/);
    });

    test("a VM from a versioned azure-native module is accepted", async () => {
        const world = mockPulumi({ preview: true });
        const vm = new compute.VirtualMachine("vm-v", { resourceGroupName: "rg-app", location: "westeurope" });
        Object.defineProperty(vm, "__pulumiType", { value: "azure-native:compute/v20240701:VirtualMachine" });
        await registered(new ProtectedVm("v", { policy: defaultPolicy(), vm }).protectedItem);
        expect(await world.failures()).toEqual([]);
    });

    test("a VM whose item is soft-deleted in the vault cannot be protected there again", async () => {
        const world = mockPulumi({
            preview: true,
            invokes: {
                "azure-native:compute:getVirtualMachine": existingVm("westeurope"),
                "azure-native:recoveryservices:getProtectedItem": () => ({
                    properties: { protectedItemType: "Microsoft.Compute/virtualMachines", isScheduledForDeferredDelete: true, deferredDeleteTimeInUTC: "2026-12-10T00:00:00Z" },
                }),
            },
        });
        new ProtectedVm("db", { policy: defaultPolicy(), vm: vmId("rg-data", "vm-db01") });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "db": vm: VM "vm-db01" has a soft-deleted backup item in vault "prod" (purged after 2026-12-10T00:00:00Z), and Azure does not protect it again in the same vault until that item is undeleted; undelete it (az backup protection undelete) and this protects it again, or protect it in another vault, got vault "prod"',
        ]);
        const lookups = world.invokes.filter((i) => i.token === "azure-native:recoveryservices:getProtectedItem").map((i) => i.inputs);
        expect(lookups).toEqual([
            {
                resourceGroupName: "rg-backup",
                vaultName: "prod",
                fabricName: "Azure",
                containerName: "iaasvmcontainer;iaasvmcontainerv2;rg-data;vm-db01",
                protectedItemName: "vm;iaasvmcontainerv2;rg-data;vm-db01",
            },
        ]);
    });

    test("an existing policy's type is looked up and held against the VM", async () => {
        const world = mockPulumi({
            preview: true,
            invokes: {
                "azure-native:compute:getVirtualMachine": existingVm("westeurope", { securityProfile: { securityType: "TrustedLaunch" } }),
                "azure-native:recoveryservices:getProtectionPolicy": () => ({ properties: { backupManagementType: "AzureIaasVM", policyType: "V1" } }),
            },
        });
        const policy = VmBackupPolicy.fromId("daily", policyId, { vault: { location: "westeurope", storageRedundancy: "GeoRedundant" } });
        new ProtectedVm("db", { policy, vm: vmId("rg-data", "vm-db01") });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "db": policy: VM "vm-db01" is a Trusted Launch VM, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"',
        ]);
    });
});

describe("one vault per VM", () => {
    test("the same VM resource protected twice fails at the second, naming the VM", () => {
        mockPulumi({ preview: true });
        const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        const other = new BackupVault("other", { resourceGroupName: "rg-backup", location: "westeurope" });
        const vm = nativeVm("vm-web");
        new ProtectedVm("web", { policy: VmBackupPolicy.default("daily", vault), vm });
        const error = thrown(() => new ProtectedVm("web-again", { policy: VmBackupPolicy.default("daily2", other), vm }));
        expect(error.message).toBe(
            'ProtectedVm "web-again": vm: VM "vm-web" is already protected by ProtectedVm "web"; a VM can be protected in one vault only, so declare it once, got a second ProtectedVm for it',
        );
    });

    test("the same VM ID in another casing fails", () => {
        mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
        const policy = defaultPolicy();
        new ProtectedVm("a", { policy, vm: vmId("rg-data", "vm-db01") });
        const error = thrown(() => new ProtectedVm("b", { policy, vm: vmId("rg-data", "vm-db01").toUpperCase().replace("/SUBSCRIPTIONS", "/subscriptions") }));
        expect(error.errors[0].propertyPath).toBe("vm");
        expect(error.message).toContain('is already protected by ProtectedVm "a"');
    });

    test("a declared VM and its ID given elsewhere meet once the ID is known (update)", async () => {
        const world = mockPulumi({ preview: false, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
        const policy = defaultPolicy();
        const vm = nativeVm("vm-web");
        new ProtectedVm("a", { policy, vm });
        new ProtectedVm("b", { policy, vm: { id: vm.id } });
        const failures = await world.failures();
        expect(failures).toHaveLength(1);
        expect(failures[0]).toMatch(/^error serializing property "properties": ProtectedVm "[ab]": vm: VM "\/subscriptions\/.+\/vm-web" is already protected by ProtectedVm "[ab]"/);
    });

    test("two components of the same name under different parents are still two claims", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
        const policy = defaultPolicy();
        const parentA = new pulumi.ComponentResource("test:index:Group", "a");
        const parentB = new pulumi.ComponentResource("test:index:Group", "b");
        new ProtectedVm("web", { policy, vm: { id: pulumi.output(vmId("rg", "vm-web")) } }, { parent: parentA });
        new ProtectedVm("web", { policy, vm: { id: pulumi.output(vmId("rg", "vm-web")) } }, { parent: parentB });
        const failures = await world.failures();
        expect(failures).toHaveLength(1);
        expect(failures[0]).toContain('is already protected by ProtectedVm "web"');
    });

    test("a fresh program starts with no claims", async () => {
        mockPulumi({ preview: true });
        const vm = nativeVm("vm-web");
        new ProtectedVm("web", { policy: defaultPolicy(), vm });
        const world = mockPulumi({ preview: true });
        await registered(new ProtectedVm("web", { policy: defaultPolicy(), vm: nativeVm("vm-web") }).protectedItem);
        expect(await world.failures()).toEqual([]);
    });
});

describe("ProtectedVm argument errors", () => {
    beforeEach(() => mockPulumi({ preview: true }));

    test.each<[string, (policy: VmBackupPolicy) => Record<string, unknown>, string, string]>([
        [
            "a classic (ASM) VM id",
            (policy) => ({ policy, vm: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ClassicCompute/virtualMachines/old" }),
            "vm",
            'classic (Microsoft.ClassicCompute) VMs can no longer be backed up; migrate the VM to Azure Resource Manager, got "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ClassicCompute/virtualMachines/old"',
        ],
        [
            "an id that is not a VM id",
            (policy) => ({ policy, vm: { id: "/subscriptions/s/resourceGroups/rg" } }),
            "vm.id",
            'must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}, got "/subscriptions/s/resourceGroups/rg"',
        ],
        [
            "a VM of another kind",
            (policy) => ({ policy, vm: 42 }),
            "vm",
            "must be an azure-native compute.VirtualMachine, a classic azure.compute.LinuxVirtualMachine or WindowsVirtualMachine, { id, location? } or a VM resource ID, got 42",
        ],
        [
            "a policy that is not a policy",
            (_policy) => ({ policy: { id: "x" }, vm: vmId("rg", "vm") }),
            "policy",
            'must be a VmBackupPolicy or VmBackupPolicy.fromId(...), got {"id":"x"}',
        ],
        ["a negative LUN", (policy) => ({ policy, vm: vmId("rg", "vm"), excludeDiskLuns: [-1] }), "excludeDiskLuns[0]", "must be a data disk LUN from 0 to 63, got -1"],
        ["a LUN twice", (policy) => ({ policy, vm: vmId("rg", "vm"), excludeDiskLuns: [2, 2] }), "excludeDiskLuns", "must not list a LUN twice, got [2,2]"],
        ["an unknown onDelete", (policy) => ({ policy, vm: vmId("rg", "vm"), onDelete: "purge" }), "onDelete", 'must be one of "retain", "delete", got "purge"'],
        ["an id that is a number", (policy) => ({ policy, vm: { id: 5 } }), "vm.id", "must be the VM's resource ID, a string or an Output of one, got 5"],
        ["a location that is not a region", (policy) => ({ policy, vm: { id: vmId("rg", "vm"), location: false } }), "vm.location", "must be the VM's region, a string or an Output of one, got false"],
        ["an unknown region", (policy) => ({ policy, vm: { id: vmId("rg", "vm"), location: "mars" } }), "vm.location", 'must be a known Azure region, got "mars"'],
        ["an unknown key", (policy) => ({ policy, vm: { id: vmId("rg", "vm"), size: "B2s" } }), "vm", 'unknown argument "size"'],
        ["a resource of another kind", (policy) => ({ policy, vm: policy }), "vm", 'must be an azure-native compute.VirtualMachine, a classic azure.compute.LinuxVirtualMachine or WindowsVirtualMachine, { id, location? } or a VM resource ID, got a azure-vm-backup:index:VmBackupPolicy resource "daily"'],
    ])("%s", (_what, args, path, reason) => {
        const policy = defaultPolicy();
        const error = thrown(() => new ProtectedVm("web", args(policy) as any));
        expect(error.message).toBe(`ProtectedVm "web": ${path}: ${reason}`);
        expect(error.errors).toEqual([{ propertyPath: path, reason }]);
    });

    test("an empty name is refused before Pulumi sees it", () => {
        const error = thrown(() => new ProtectedVm("", { policy: defaultPolicy(), vm: vmId("rg", "vm") }));
        expect(error.message).toBe('ProtectedVm "": name: must be a non-empty string, got ""');
    });

    test("a policy protects at most 100 VMs", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm("westeurope") } });
        const policy = defaultPolicy();
        for (let i = 0; i < 100; i++) new ProtectedVm(`vm${i}`, { policy, vm: vmId("rg", `vm${i}`) });
        const error = thrown(() => new ProtectedVm("vm100", { policy, vm: vmId("rg", "vm100") }));
        expect(error.message).toBe('ProtectedVm "vm100": policy: a policy protects at most 100 VMs; spread these VMs over more policies, got VM number 101');
        expect(await world.failures()).toEqual([]);
    });
});
