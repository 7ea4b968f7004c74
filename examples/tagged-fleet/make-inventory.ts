// Writes inventory.json for this example: one line per VM below says what the VM is and what the
// selection in index.ts must make of it. Run from the repository root after changing the table:
//   npx tsx examples/tagged-fleet/make-inventory.ts
// The VMs are in Resource Manager's GET shape (settings under `properties`), without admin user
// names or SSH keys. Every GUID is made up.
import * as fs from "fs";
import * as path from "path";

const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
const TENANT = "99999999-8888-7777-6666-555555555555";
const group = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${name}`;

type Region = "westeurope" | "northeurope" | "uksouth";

interface Vm {
    group: string;
    name: string;
    region: Region;
    tags: Record<string, string> | null;
    /** What sets the VM apart, for the rules: absent means a standard-security Linux VM. */
    trait?: "trustedLaunch" | "confidential" | "premiumV2Disk" | "ultraDisk" | "windowsNoAgent";
}

const gold = { backup: "gold" };
const platinum = { backup: "platinum" };

const vms: Vm[] = [
    // Selected, West Europe: sorted by id, the first three fill fleet-daily-weu (which already
    // protects 97 VMs), the rest go to its copy fleet-daily-weu-2.
    { group: "rg-data-weu", name: "db-01", region: "westeurope", tags: { ...platinum, owner: "data" } },
    // Tag keys are matched regardless of case.
    { group: "rg-data-weu", name: "db-02", region: "westeurope", tags: { Backup: "platinum", owner: "data" } },
    { group: "rg-shop-weu", name: "app-weu-01", region: "westeurope", tags: { ...gold, app: "shop" } },
    { group: "rg-shop-weu", name: "app-weu-02", region: "westeurope", tags: { ...gold, app: "shop" } },
    { group: "rg-shop-weu", name: "app-weu-03", region: "westeurope", tags: { ...platinum, app: "shop" } },
    { group: "rg-shop-weu", name: "app-weu-04", region: "westeurope", tags: { ...gold, app: "shop" } },
    // The exemption tag counts only with the value "true".
    { group: "rg-shop-weu", name: "app-weu-05", region: "westeurope", tags: { ...gold, app: "shop", "backup-exempt": "false" } },
    { group: "rg-shop-weu", name: "app-weu-06", region: "westeurope", tags: { ...gold, app: "shop" } },
    // Selected, North Europe: all under fleet-daily-neu.
    { group: "rg-data-neu", name: "db-11", region: "northeurope", tags: { ...platinum, owner: "data" } },
    { group: "rg-data-neu", name: "db-12", region: "northeurope", tags: { ...platinum, owner: "data" } },
    { group: "rg-shop-neu", name: "app-neu-01", region: "northeurope", tags: { ...gold, app: "shop" } },
    { group: "rg-shop-neu", name: "app-neu-02", region: "northeurope", tags: { ...gold, app: "shop" } },
    { group: "rg-shop-neu", name: "app-neu-03", region: "northeurope", tags: { ...gold, app: "shop" } },
    { group: "rg-shop-neu", name: "app-neu-04", region: "northeurope", tags: { ...platinum, app: "shop" } },

    // Matched by the selection, but skipped (one warning each).
    { group: "rg-shop-weu", name: "app-weu-07", region: "westeurope", tags: { ...gold, app: "shop" } }, // Excluded: its id is in exclude.vmIds
    { group: "rg-shop-weu", name: "app-weu-08", region: "westeurope", tags: { ...gold, app: "shop", "backup-exempt": "true" } }, // Excluded: by tag
    { group: "rg-shop-uks", name: "app-uks-01", region: "uksouth", tags: { ...gold, app: "shop" } }, // NoPolicyForRegion
    { group: "rg-shop-weu", name: "app-weu-cvm", region: "westeurope", tags: { ...gold, app: "shop" }, trait: "confidential" }, // ConfidentialVm
    { group: "rg-shop-weu", name: "app-weu-tl", region: "westeurope", tags: { ...gold, app: "shop" }, trait: "trustedLaunch" }, // NeedsEnhancedPolicy
    { group: "rg-shop-neu", name: "app-neu-pv2", region: "northeurope", tags: { ...gold, app: "shop" }, trait: "premiumV2Disk" }, // NeedsEnhancedPolicy
    { group: "rg-shop-neu", name: "app-neu-ultra", region: "northeurope", tags: { ...gold, app: "shop" }, trait: "ultraDisk" }, // NeedsEnhancedPolicy
    { group: "rg-shop-neu", name: "app-neu-win", region: "northeurope", tags: { ...gold, app: "shop" }, trait: "windowsNoAgent" }, // NoVmAgent
    { group: "rg-data-weu", name: "db-09", region: "westeurope", tags: { ...platinum, owner: "data" } }, // ProtectedInAnotherVault: rsv-legacy-weu

    // Not matched by the selection: never mentioned, whatever they are.
    { group: "rg-shop-weu", name: "app-weu-silver", region: "westeurope", tags: { backup: "silver", app: "shop" } },
    { group: "rg-shop-weu", name: "app-weu-untagged", region: "westeurope", tags: null },
    { group: "rg-shop-weu", name: "batch-weu-01", region: "westeurope", tags: { ...gold, app: "batch" }, trait: "trustedLaunch" }, // name matches no pattern
    { group: "rg-data-weu", name: "db-100", region: "westeurope", tags: { ...platinum, owner: "data" } }, // "db-??" is two characters
    { group: "rg-shop-neu", name: "app-neu-bronze", region: "northeurope", tags: { backup: "bronze", app: "shop" } },
    { group: "rg-shop-neu", name: "app-neu-capital", region: "northeurope", tags: { backup: "Gold", app: "shop" } }, // tag values are exact
    { group: "rg-shop-neu", name: "jump-neu-01", region: "northeurope", tags: {}, trait: "windowsNoAgent" },
    { group: "rg-shop-uks", name: "app-uks-02", region: "uksouth", tags: { app: "shop" } },
];

const vaultId = (rg: string, name: string) => `${group(rg)}/providers/Microsoft.RecoveryServices/vaults/${name}`;
const vmIdOf = (vm: Pick<Vm, "group" | "name">) => `${group(vm.group)}/providers/Microsoft.Compute/virtualMachines/${vm.name}`;

function disk(vm: Vm, suffix: string, storageAccountType: string, extra: Record<string, unknown> = {}) {
    return { id: `${group(vm.group)}/providers/Microsoft.Compute/disks/${vm.name}-${suffix}`, storageAccountType, ...extra };
}

function vmResource(vm: Vm, index: number) {
    const windows = vm.trait === "windowsNoAgent";
    const dataDisk = (storageAccountType: string) => ({
        lun: 0,
        name: `${vm.name}-data-0`,
        createOption: "Attach",
        caching: storageAccountType === "Premium_LRS" ? "ReadOnly" : "None",
        diskSizeGB: 256,
        deleteOption: "Detach",
        managedDisk: disk(vm, "data-0", storageAccountType),
        toBeDetached: false,
        writeAcceleratorEnabled: false,
    });
    const dataDiskType = vm.trait === "premiumV2Disk" ? "PremiumV2_LRS" : vm.trait === "ultraDisk" ? "UltraSSD_LRS" : "Premium_LRS";
    const secure = vm.trait === "trustedLaunch" || vm.trait === "confidential";
    return {
        id: vmIdOf(vm),
        name: vm.name,
        type: "Microsoft.Compute/virtualMachines",
        location: vm.region,
        ...(vm.tags === null ? {} : { tags: vm.tags }),
        properties: {
            vmId: `5f1e2d3c-0000-4000-8000-${String(index + 1).padStart(12, "0")}`,
            hardwareProfile: { vmSize: vm.trait === "confidential" ? "Standard_DC2as_v5" : "Standard_D2s_v5" },
            ...(vm.trait === "ultraDisk" ? { additionalCapabilities: { ultraSSDEnabled: true } } : {}),
            ...(secure
                ? {
                      securityProfile: {
                          securityType: vm.trait === "confidential" ? "ConfidentialVM" : "TrustedLaunch",
                          uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
                      },
                  }
                : {}),
            storageProfile: {
                imageReference: windows
                    ? { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest", exactVersion: "20348.3207.250210" }
                    : {
                          publisher: "Canonical",
                          offer: "0001-com-ubuntu-server-jammy",
                          sku: secure ? (vm.trait === "confidential" ? "22_04-lts-cvm" : "22_04-lts-gen2") : "22_04-lts",
                          version: "latest",
                          exactVersion: "22.04.202502110",
                      },
                osDisk: {
                    osType: windows ? "Windows" : "Linux",
                    name: `${vm.name}-osdisk`,
                    createOption: "FromImage",
                    caching: "ReadWrite",
                    diskSizeGB: windows ? 127 : 30,
                    deleteOption: "Delete",
                    managedDisk: disk(vm, "osdisk", "Premium_LRS", vm.trait === "confidential" ? { securityProfile: { securityEncryptionType: "VMGuestStateOnly" } } : {}),
                },
                dataDisks: vm.name.startsWith("db-") || vm.trait === "premiumV2Disk" || vm.trait === "ultraDisk" ? [dataDisk(dataDiskType)] : [],
                diskControllerType: "SCSI",
            },
            osProfile: {
                computerName: vm.name.replace(/-/g, "").slice(0, 15),
                ...(windows
                    ? { windowsConfiguration: { provisionVMAgent: false, enableAutomaticUpdates: true, patchSettings: { patchMode: "Manual", assessmentMode: "ImageDefault" } } }
                    : { linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true, patchSettings: { patchMode: "ImageDefault", assessmentMode: "ImageDefault" } } }),
                secrets: [],
                allowExtensionOperations: true,
                requireGuestProvisionSignal: true,
            },
            networkProfile: {
                networkInterfaces: [{ id: `${group(vm.group)}/providers/Microsoft.Network/networkInterfaces/${vm.name}-nic`, properties: { primary: true, deleteOption: "Detach" } }],
            },
            diagnosticsProfile: { bootDiagnostics: { enabled: true } },
            provisioningState: "Succeeded",
            timeCreated: `2025-0${1 + (index % 9)}-1${index % 10}T08:${String(10 + index).padStart(2, "0")}:00.0000000+00:00`,
        },
    };
}

function vault(rg: string, name: string, location: Region) {
    return {
        id: vaultId(rg, name),
        name,
        type: "Microsoft.RecoveryServices/vaults",
        location,
        tags: { app: "shop" },
        etag: 'W/"datetime\'2024-11-04T09%3A12%3A44.5120034Z\'"',
        sku: { name: "RS0", tier: "Standard" },
        identity: { type: "None" },
        properties: {
            provisioningState: "Succeeded",
            backupStorageVersion: "V2",
            publicNetworkAccess: "Enabled",
            privateEndpointStateForBackup: "None",
            privateEndpointStateForSiteRecovery: "None",
            redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Disabled" },
            securitySettings: {
                immutabilitySettings: { state: "Disabled" },
                softDeleteSettings: { softDeleteState: "Enabled", softDeleteRetentionPeriodInDays: 14, enhancedSecurityState: "Enabled" },
                multiUserAuthorization: "Disabled",
            },
            secureScore: "Minimum",
        },
    };
}

/** A Standard daily policy: 02:00 UTC, 30 daily recovery points, 2 days of instant restore. */
function dailyPolicy(vault: string, name: string, protectedItemsCount: number) {
    const at = "2024-11-04T02:00:00+00:00";
    return {
        id: `${vault}/backupPolicies/${name}`,
        name,
        type: "Microsoft.RecoveryServices/vaults/backupPolicies",
        properties: {
            backupManagementType: "AzureIaasVM",
            policyType: "V1",
            protectedItemsCount,
            instantRpRetentionRangeInDays: 2,
            schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: [at], scheduleWeeklyFrequency: 0 },
            retentionPolicy: {
                retentionPolicyType: "LongTermRetentionPolicy",
                dailySchedule: { retentionTimes: [at], retentionDuration: { count: 30, durationType: "Days" } },
            },
            timeZone: "UTC",
        },
    };
}

function protectedItem(vault: string, vm: Pick<Vm, "group" | "name">, policyName: string) {
    const container = `iaasvmcontainerv2;${vm.group};${vm.name}`;
    return {
        id: `${vault}/backupFabrics/Azure/protectionContainers/IaasVMContainer;${container}/protectedItems/VM;${container}`,
        name: `VM;${container}`,
        type: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
        properties: {
            backupManagementType: "AzureIaasVM",
            workloadType: "VM",
            protectedItemType: "Microsoft.Compute/virtualMachines",
            containerName: container,
            friendlyName: vm.name,
            sourceResourceId: vmIdOf(vm),
            virtualMachineId: vmIdOf(vm),
            policyId: `${vault}/backupPolicies/${policyName}`,
            policyName,
            protectionState: "Protected",
            protectionStatus: "Healthy",
            healthStatus: "Passed",
            lastBackupStatus: "Completed",
            lastBackupTime: "2025-03-03T02:31:12.5120034+00:00",
            lastRecoveryPoint: "2025-03-03T02:33:40.1904412+00:00",
            protectedItemDataId: "70369317466688",
            isScheduledForDeferredDelete: null,
        },
    };
}

// The West Europe vault and policy the program declares exist already (deployed before): the
// policy protects 97 VMs outside this selection, which leaves room for 3 of 100.
const fleetWeu = vaultId("rg-backup-weu", "rsv-fleet-weu");
// Another team's vault in West Europe, which already protects db-09.
const legacyWeu = vaultId("rg-backup-legacy", "rsv-legacy-weu");

const inventory = {
    subscriptionId: SUBSCRIPTION,
    tenantId: TENANT,
    resources: [
        ...vms.map(vmResource),
        vault("rg-backup-weu", "rsv-fleet-weu", "westeurope"),
        dailyPolicy(fleetWeu, "fleet-daily-weu", 97),
        vault("rg-backup-legacy", "rsv-legacy-weu", "westeurope"),
        dailyPolicy(legacyWeu, "DefaultPolicy", 1),
        protectedItem(legacyWeu, { group: "rg-data-weu", name: "db-09" }, "DefaultPolicy"),
    ],
};

fs.writeFileSync(path.join(__dirname, "inventory.json"), `${JSON.stringify(inventory, null, 2)}\n`);
