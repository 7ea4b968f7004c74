// The restore rules (src/rules/restore.ts, docs/restore-rules.md), each on both sides, with the
// exact message that says what to do.
import {
    archiveNeedsRehydration,
    confidentialVm,
    crossRegionMode,
    crossRegionPoint,
    crossRegionVault,
    crossSubscription,
    networkPlacement,
    replaceDisksConfirm,
    replaceDisksEncrypted,
    restoreFindings,
    restoreUnread,
    stagingKind,
    stagingRegion,
    targetZone,
    trustedLaunch,
    type RestoreFacts,
} from "../src/rules/restore";

const SUB = "00000000-0000-0000-0000-0000000000aa";
const OTHER_SUB = "11111111-1111-1111-1111-111111111111";
const STAGING = `/subscriptions/${SUB}/resourceGroups/rg-restore/providers/Microsoft.Storage/storageAccounts/ststaging`;
const VNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-restore`;
const VAULT_TIER = [
    { tier: "Snapshot", status: "Valid" },
    { tier: "VaultStandard", status: "Valid" },
];

/** A disk restore that breaks no rule: the base each test changes one thing of. */
function facts(change: Partial<RestoreFacts> = {}, point: Partial<RestoreFacts["point"]> = {}): RestoreFacts {
    return {
        mode: "disks",
        secondaryRegion: false,
        vault: { subscriptionId: SUB, location: "westeurope", redundancy: "GeoRedundant", crossRegionRestore: true },
        point: { name: "100003", tiers: VAULT_TIER, zones: [], securityType: "None", encrypted: false, sourceVmStorageType: "NormalStorage", ...point },
        targetResourceGroupId: `/subscriptions/${SUB}/resourceGroups/rg-restore`,
        staging: { id: STAGING, location: "westeurope", kind: "StorageV2", sku: "Standard_LRS" },
        ...change,
    };
}

test("the base request breaks no rule", () => {
    expect(restoreFindings(facts())).toEqual([]);
    expect(restoreFindings(facts({ mode: "new-vm", network: { id: VNET, location: "westeurope", subnets: ["default"] }, subnetName: "default" }))).toEqual([]);
    expect(restoreFindings(facts({ mode: "replace-disks", confirm: "replace-disks", targetResourceGroupId: undefined }))).toEqual([]);
});

describe("replace-disks", () => {
    test("needs confirm: \"replace-disks\"", () => {
        expect(replaceDisksConfirm(facts({ mode: "replace-disks", confirm: "replace-disks" }))).toBeUndefined();
        expect(replaceDisksConfirm(facts({ mode: "disks" }))).toBeUndefined();
        expect(replaceDisksConfirm(facts({ mode: "replace-disks" }))).toEqual({
            rule: "restore.replace-disks-confirm",
            path: "confirm",
            severity: "error",
            message: 'mode "replace-disks" replaces the current disks of the VM with the recovery point\'s: pass confirm: "replace-disks" to do it, or restore with mode "disks" or "new-vm" to keep them, got undefined',
        });
        expect(replaceDisksConfirm(facts({ mode: "replace-disks", confirm: "yes" }))?.message).toMatch(/, got "yes"$/);
    });

    test("only for an unencrypted VM", () => {
        expect(replaceDisksEncrypted(facts({ mode: "replace-disks", confirm: "replace-disks" }))).toBeUndefined();
        expect(replaceDisksEncrypted(facts({ mode: "disks" }, { encrypted: true }))).toBeUndefined();
        expect(replaceDisksEncrypted(facts({ mode: "replace-disks", confirm: "replace-disks" }, { encrypted: true }))).toEqual({
            rule: "restore.replace-disks-unsupported",
            path: "mode",
            severity: "error",
            message: 'recovery point 100003 is of an encrypted VM, and Azure Backup replaces the disks of unencrypted VMs only: restore with mode "disks" (then swap the disks yourself) or "new-vm", got "replace-disks"',
        });
    });
});

test("a point in the archive tier only needs rehydration; a rehydrated one, or one also in the standard tier, does not", () => {
    const archived = [{ tier: "Snapshot", status: "Deleted" }, { tier: "VaultStandard", status: "Deleted" }, { tier: "Archive", status: "Valid" }];
    expect(archiveNeedsRehydration(facts({}, { tiers: [{ tier: "Archive", status: "Rehydrated" }] }))).toBeUndefined();
    expect(archiveNeedsRehydration(facts({}, { tiers: [{ tier: "VaultStandard", status: "Valid" }, { tier: "Archive", status: "Valid" }] }))).toBeUndefined();
    expect(archiveNeedsRehydration(facts({}, { tiers: archived }))).toEqual({
        rule: "restore.archive-rehydration",
        path: "point",
        severity: "error",
        message:
            'recovery point 100003 is in the archive tier only: rehydrate it first (Azure copies it back to the standard tier, which takes hours), then restore it, or choose a point in the snapshot or standard tier, got "100003"',
    });
    // An archive copy that is not valid is nothing to rehydrate.
    expect(archiveNeedsRehydration(facts({}, { tiers: [{ tier: "Snapshot", status: "Deleted" }, { tier: "Archive", status: "Deleted" }] }))).toBeUndefined();
});

describe("cross-region restore", () => {
    test("needs a GeoRedundant vault with cross-region restore enabled", () => {
        expect(crossRegionVault(facts({ secondaryRegion: true }))).toBeUndefined();
        expect(crossRegionVault(facts({ vault: { subscriptionId: SUB, location: "westeurope", redundancy: "LocallyRedundant" } }))).toBeUndefined();
        expect(crossRegionVault(facts({ secondaryRegion: true, vault: { subscriptionId: SUB, location: "westeurope", redundancy: "GeoRedundant", crossRegionRestore: false } }))).toEqual({
            rule: "restore.cross-region-vault",
            path: "secondaryRegion",
            severity: "error",
            message:
                "restoring in the paired region needs a GeoRedundant vault with cross-region restore enabled, and its cross-region restore is off: enable cross-region restore on the vault (crossRegionRestore: true on a GeoRedundant BackupVault), or restore in the vault's region, got secondaryRegion: true",
        });
        expect(crossRegionVault(facts({ secondaryRegion: true, vault: { subscriptionId: SUB, redundancy: "ZoneRedundant" } }))?.message).toMatch(/, and its storage is ZoneRedundant: enable/);
        expect(crossRegionVault(facts({ secondaryRegion: true, vault: { subscriptionId: SUB, redundancy: "LocallyRedundant", crossRegionRestore: true } }))?.message).toBe(
            "restoring in the paired region needs a GeoRedundant vault with cross-region restore enabled, and its storage is LocallyRedundant: enable cross-region restore on the vault (crossRegionRestore: true on a GeoRedundant BackupVault), or restore in the vault's region, got secondaryRegion: true",
        );
        // A vault whose redundancy could not be read is not guessed at.
        expect(crossRegionVault(facts({ secondaryRegion: true, vault: { subscriptionId: SUB, location: "westeurope" } }))).toBeUndefined();
    });

    test("does not replace disks", () => {
        expect(crossRegionMode(facts({ secondaryRegion: true, mode: "disks" }))).toBeUndefined();
        expect(crossRegionMode(facts({ mode: "replace-disks" }))).toBeUndefined();
        expect(crossRegionMode(facts({ secondaryRegion: true, mode: "replace-disks" }))).toEqual({
            rule: "restore.cross-region-mode",
            path: "mode",
            severity: "error",
            message: 'a restore in the paired region cannot replace the disks of the VM: use mode "disks" or "new-vm" there, or restore in the vault\'s region, got "replace-disks" with secondaryRegion: true',
        });
    });

    test("reads the vault tier: not a snapshot, not the archive", () => {
        expect(crossRegionPoint(facts({ secondaryRegion: true }))).toBeUndefined();
        expect(crossRegionPoint(facts({ secondaryRegion: true }, { tiers: [{ tier: "Archive", status: "Rehydrated" }] }))).toBeUndefined();
        expect(crossRegionPoint(facts({}, { tiers: [{ tier: "Snapshot", status: "Valid" }] }))).toBeUndefined();
        expect(crossRegionPoint(facts({ secondaryRegion: true }, { tiers: [{ tier: "Snapshot", status: "Valid" }] }))).toEqual({
            rule: "restore.cross-region-point",
            path: "point",
            severity: "error",
            message: 'recovery point 100003 is a snapshot only, and snapshots are not replicated to the paired region: choose a point that has reached the vault (standard tier), got "100003"',
        });
        expect(crossRegionPoint(facts({ secondaryRegion: true }, { tiers: [{ tier: "Archive", status: "Valid" }] }))?.message).toBe(
            'recovery point 100003 is in the archive tier, which is not restored in the paired region: rehydrate it (it is then in the standard tier in both regions) or choose a point in the standard tier, got "100003"',
        );
        // Its snapshot and standard copies gone, a point is in the archive tier alone.
        const archivedOnly = [{ tier: "Snapshot", status: "Deleted" }, { tier: "VaultStandard", status: "Deleted" }, { tier: "Archive", status: "Valid" }];
        expect(crossRegionPoint(facts({ secondaryRegion: true }, { tiers: archivedOnly }))?.message).toMatch(/^recovery point 100003 is in the archive tier, which is not restored in the paired region: /);
        // An archive copy that is no longer valid leaves a snapshot only.
        expect(crossRegionPoint(facts({ secondaryRegion: true }, { tiers: [{ tier: "Snapshot", status: "Valid" }, { tier: "Archive", status: "Deleted" }] }))?.message).toBe(
            'recovery point 100003 is a snapshot only, and snapshots are not replicated to the paired region: choose a point that has reached the vault (standard tier), got "100003"',
        );
    });
});

describe("staging storage account", () => {
    test("in the vault's region (by name or display name); for a cross-region restore, out of it", () => {
        expect(stagingRegion(facts({ staging: { id: STAGING, location: "West Europe" } }))).toBeUndefined();
        expect(stagingRegion(facts({ secondaryRegion: true, staging: { id: STAGING, location: "northeurope" } }))).toBeUndefined();
        expect(stagingRegion(facts({ staging: { id: STAGING, location: "northeurope" } }))).toEqual({
            rule: "restore.staging-region",
            path: "stagingStorageAccountId",
            severity: "error",
            message: "must be a storage account in the vault's region West Europe (westeurope), where Azure Backup stages the restore: create or choose one there, got ststaging in North Europe (northeurope)",
        });
        expect(stagingRegion(facts({ secondaryRegion: true }))).toEqual({
            rule: "restore.staging-region",
            path: "stagingStorageAccountId",
            severity: "error",
            message: "a cross-region restore stages in the vault's paired (secondary) region, not in West Europe (westeurope): create or choose a storage account in the paired region, got ststaging in West Europe (westeurope)",
        });
        // With the vault's pair known, exactly there.
        const paired = { subscriptionId: SUB, location: "westeurope", redundancy: "GeoRedundant", crossRegionRestore: true, pairedRegion: "northeurope" };
        expect(stagingRegion(facts({ secondaryRegion: true, vault: paired, staging: { id: STAGING, location: "North Europe" } }))).toBeUndefined();
        expect(stagingRegion(facts({ secondaryRegion: true, vault: paired, staging: { id: STAGING, location: "eastus" } }))).toEqual({
            rule: "restore.staging-region",
            path: "stagingStorageAccountId",
            severity: "error",
            message: "a cross-region restore stages in the vault's paired region North Europe (northeurope): create or choose a storage account there, got ststaging in East US (eastus)",
        });
        // In the primary region the pair does not matter: the vault's region, not the paired one.
        expect(stagingRegion(facts({ vault: paired }))).toBeUndefined();
        expect(stagingRegion(facts({ vault: paired, staging: { id: STAGING, location: "northeurope" } }))?.message).toBe(
            "must be a storage account in the vault's region West Europe (westeurope), where Azure Backup stages the restore: create or choose one there, got ststaging in North Europe (northeurope)",
        );
        // Unknown facts are not guessed at.
        expect(stagingRegion(facts({ staging: { id: STAGING } }))).toBeUndefined();
        expect(stagingRegion(facts({ staging: undefined }))).toBeUndefined();
        expect(stagingRegion(facts({ vault: { subscriptionId: SUB }, staging: { id: STAGING, location: "northeurope" } }))).toBeUndefined();
        expect(stagingRegion(facts({ secondaryRegion: true, vault: { subscriptionId: SUB }, staging: { id: STAGING, location: "westeurope" } }))).toBeUndefined();
    });

    test("a kind Azure accepts: not Blob storage, not ZRS, not premium for a standard VM or behind network rules", () => {
        const account = (kind: string, sku: string, networkRules = false) => ({ staging: { id: STAGING, location: "westeurope", kind, sku, networkRules } });
        expect(stagingKind(facts(account("StorageV2", "Standard_GRS")))).toBeUndefined();
        expect(stagingKind(facts(account("StorageV2", "Premium_LRS"), { sourceVmStorageType: "PremiumVMOnPartialPremiumStorage" }))).toBeUndefined();
        expect(stagingKind(facts(account("BlobStorage", "Standard_LRS")))).toEqual({
            rule: "restore.staging-kind",
            path: "stagingStorageAccountId",
            severity: "error",
            message: "a Blob storage account cannot stage a restore: use a general-purpose (StorageV2) account, got ststaging (BlobStorage, Standard_LRS)",
        });
        expect(stagingKind(facts(account("StorageV2", "Standard_ZRS")))?.message).toBe(
            "a zone-redundant (ZRS) account cannot stage a restore: use a locally or geo-redundant one (Standard_LRS, Standard_GRS), got ststaging (StorageV2, Standard_ZRS)",
        );
        expect(stagingKind(facts(account("StorageV2", "Premium_LRS")))?.message).toBe(
            "recovery point 100003 is of a VM on standard storage, which a premium account cannot stage: use a standard account, got ststaging (StorageV2, Premium_LRS)",
        );
        expect(stagingKind(facts(account("StorageV2", "Premium_LRS", true), { sourceVmStorageType: "PremiumVMOnPartialPremiumStorage" }))?.message).toBe(
            "a premium account with network rules cannot stage the restore of a managed VM: use a standard account, or one open to all networks, got ststaging (StorageV2, Premium_LRS)",
        );
        expect(stagingKind(facts(account("StorageV2", "Premium_ZRS"), { sourceVmStorageType: "PremiumVMOnPartialPremiumStorage" }))?.message).toBe(
            "a zone-redundant (ZRS) account cannot stage a restore: use a locally or geo-redundant one (Standard_LRS, Standard_GRS), got ststaging (StorageV2, Premium_ZRS)",
        );
        // Network rules matter on a premium account only; GZRS is not said to be refused (docs/restore-rules.md R4).
        expect(stagingKind(facts(account("StorageV2", "Standard_LRS", true)))).toBeUndefined();
        expect(stagingKind(facts(account("StorageV2", "Standard_GZRS")))).toBeUndefined();
        // What is not known is not guessed at, and the message names only what is.
        expect(stagingKind(facts({ staging: undefined }))).toBeUndefined();
        expect(stagingKind(facts({ staging: { id: STAGING } }))).toBeUndefined();
        expect(stagingKind(facts(account("StorageV2", "Premium_LRS"), { sourceVmStorageType: undefined }))).toBeUndefined();
        expect(stagingKind(facts({ staging: { id: STAGING, kind: "BlobStorage" } }))?.message).toBe(
            "a Blob storage account cannot stage a restore: use a general-purpose (StorageV2) account, got ststaging (BlobStorage)",
        );
    });
});

describe("another subscription", () => {
    const elsewhere = { targetResourceGroupId: `/subscriptions/${OTHER_SUB}/resourceGroups/rg-restore` };

    test("allowed from the vault tier of an unencrypted VM in the primary region", () => {
        expect(crossSubscription(facts(elsewhere))).toBeUndefined();
        expect(crossSubscription(facts({ secondaryRegion: true }))).toBeUndefined();
        // The vault's subscription as Resource Manager may case it is still the vault's.
        expect(crossSubscription(facts({ secondaryRegion: true, vault: { subscriptionId: SUB.toUpperCase() } }))).toBeUndefined();
        // No target group, or replacing the VM's own disks: nothing goes into another subscription.
        expect(crossSubscription(facts({ secondaryRegion: true, targetResourceGroupId: undefined }, { encrypted: true }))).toBeUndefined();
        expect(crossSubscription(facts({ ...elsewhere, mode: "replace-disks", confirm: "replace-disks", secondaryRegion: true }, { encrypted: true }))).toBeUndefined();
    });

    test("not from the paired region, of an encrypted VM or from a snapshot", () => {
        expect(crossSubscription(facts({ ...elsewhere, secondaryRegion: true }))).toEqual({
            rule: "restore.cross-subscription",
            path: "targetResourceGroupId",
            severity: "error",
            message: `Azure Backup does not restore from the paired region into another subscription: choose a resource group in the vault's subscription ${SUB}, got "/subscriptions/${OTHER_SUB}/resourceGroups/rg-restore"`,
        });
        expect(crossSubscription(facts(elsewhere, { encrypted: true }))?.message).toBe(
            `Azure Backup does not restore recovery point 100003, of an encrypted VM into another subscription: choose a resource group in the vault's subscription ${SUB}, got "/subscriptions/${OTHER_SUB}/resourceGroups/rg-restore"`,
        );
        expect(crossSubscription(facts(elsewhere, { tiers: [{ tier: "Snapshot", status: "Valid" }] }))?.message).toBe(
            `Azure Backup does not restore recovery point 100003, a snapshot only into another subscription: choose a resource group in the vault's subscription ${SUB}, got "/subscriptions/${OTHER_SUB}/resourceGroups/rg-restore"`,
        );
    });

    test("a Trusted Launch VM stays in its subscription and its zone", () => {
        expect(trustedLaunch(facts({}, { securityType: "TrustedLaunch", zones: ["1"] }))).toBeUndefined();
        expect(trustedLaunch(facts({ targetZone: "1" }, { securityType: "TrustedLaunch", zones: ["1"] }))).toBeUndefined();
        expect(trustedLaunch(facts(elsewhere))).toBeUndefined();
        expect(trustedLaunch(facts(elsewhere, { securityType: "TrustedLaunch" }))).toEqual({
            rule: "restore.trusted-launch",
            path: "targetResourceGroupId",
            severity: "error",
            message: `recovery point 100003 is of a Trusted Launch VM, which Azure Backup does not restore into another subscription: choose a resource group in the vault's subscription ${SUB}, got "/subscriptions/${OTHER_SUB}/resourceGroups/rg-restore"`,
        });
        expect(trustedLaunch(facts({ targetZone: "2" }, { securityType: "TrustedLaunch", zones: ["1"] }))).toEqual({
            rule: "restore.trusted-launch",
            path: "targetZone",
            severity: "error",
            message: 'recovery point 100003 is of a Trusted Launch VM, which Azure Backup does not restore into another zone: leave targetZone out or give its zone 1, got "2"',
        });
        expect(trustedLaunch(facts({ targetZone: "1" }, { securityType: "TrustedLaunch", zones: [] }))?.message).toBe(
            'recovery point 100003 is of a Trusted Launch VM, which Azure Backup does not restore into another zone: leave targetZone out, got "1"',
        );
        // No target group, replacing the VM's own disks, or no security type read: nothing to refuse.
        expect(trustedLaunch(facts({ targetResourceGroupId: undefined }, { securityType: "TrustedLaunch" }))).toBeUndefined();
        expect(trustedLaunch(facts({ ...elsewhere, mode: "replace-disks", confirm: "replace-disks", targetZone: "2" }, { securityType: "TrustedLaunch", zones: ["1"] }))).toBeUndefined();
        expect(trustedLaunch(facts({ ...elsewhere, targetZone: "2" }, { securityType: undefined, zones: ["1"] }))).toBeUndefined();
    });
});

test("another zone: from the vault tier of an unencrypted VM, with a ZoneRedundant vault or in the paired region", () => {
    const zrs = { subscriptionId: SUB, location: "westeurope", redundancy: "ZoneRedundant" };
    expect(targetZone(facts({ targetZone: "1" }, { zones: ["1"] }))).toBeUndefined();
    expect(targetZone(facts({ targetZone: "2", vault: zrs }, { zones: ["1"] }))).toBeUndefined();
    expect(targetZone(facts({ targetZone: "2", secondaryRegion: true }, { zones: ["1"] }))).toBeUndefined();
    expect(targetZone(facts({ targetZone: "2" }, { zones: ["1"] }))).toEqual({
        rule: "restore.zone",
        path: "targetZone",
        severity: "error",
        message:
            'a restore into another zone of the vault\'s region needs a ZoneRedundant vault, and this one is GeoRedundant: leave targetZone out to restore in zone 1, or restore in the paired region from a vault with cross-region restore, got "2"',
    });
    expect(targetZone(facts({ targetZone: "2", vault: zrs }, { zones: ["1"], encrypted: true }))?.message).toBe(
        'recovery point 100003 is of an encrypted VM, which Azure Backup does not restore into another zone: leave targetZone out to restore in zone 1, got "2"',
    );
    expect(targetZone(facts({ targetZone: "2", vault: zrs }, { zones: ["1"], tiers: [{ tier: "Snapshot", status: "Valid" }] }))?.message).toBe(
        'recovery point 100003 is a snapshot only, and a restore into another zone reads the vault tier: choose a point in the standard tier, or leave targetZone out to restore in zone 1, got "2"',
    );
    expect(targetZone(facts({ mode: "replace-disks", confirm: "replace-disks", targetZone: "3", vault: zrs }))?.message).toBe(
        'replacing the disks of the VM keeps it where it is: leave targetZone out, got "3"',
    );
    // A vault whose redundancy could not be read is not guessed at.
    expect(targetZone(facts({ targetZone: "2", vault: { subscriptionId: SUB, location: "westeurope" } }, { zones: ["1"] }))).toBeUndefined();
});

describe("a new VM's network", () => {
    const newVm = (network: RestoreFacts["network"], change: Partial<RestoreFacts> = {}) => facts({ mode: "new-vm", network, subnetName: "default", ...change });

    test("in the region the VM is created in", () => {
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope", subnets: ["default"] }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: VNET, location: "northeurope" }, { secondaryRegion: true }))).toBeUndefined();
        expect(networkPlacement(facts({ network: { id: VNET, location: "northeurope" } }))).toBeUndefined(); // not a new VM
        expect(networkPlacement(newVm({ id: VNET, location: "northeurope" }))).toEqual({
            rule: "restore.network",
            path: "virtualNetworkId",
            severity: "error",
            message: "must be a virtual network in the region the VM is restored in, the vault's West Europe (westeurope): choose a network there, got vnet-restore in North Europe (northeurope)",
        });
        const paired = { subscriptionId: SUB, location: "westeurope", redundancy: "GeoRedundant", crossRegionRestore: true, pairedRegion: "northeurope" };
        expect(networkPlacement(newVm({ id: VNET, location: "northeurope" }, { secondaryRegion: true, vault: paired }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: VNET, location: "eastus" }, { secondaryRegion: true, vault: paired }))).toEqual({
            rule: "restore.network",
            path: "virtualNetworkId",
            severity: "error",
            message: "a cross-region restore creates the VM in the vault's paired region North Europe (northeurope): choose a network there, got vnet-restore in East US (eastus)",
        });
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope" }, { secondaryRegion: true }))).toEqual({
            rule: "restore.network",
            path: "virtualNetworkId",
            severity: "error",
            message: "a cross-region restore creates the VM in the vault's paired region, not in West Europe (westeurope): choose a network in the paired region, got vnet-restore in West Europe (westeurope)",
        });
        // In the primary region the pair does not matter: the vault's region, not the paired one.
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope" }, { vault: paired }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: VNET, location: "northeurope" }, { vault: paired }))?.message).toBe(
            "must be a virtual network in the region the VM is restored in, the vault's West Europe (westeurope): choose a network there, got vnet-restore in North Europe (northeurope)",
        );
        // Unknown regions are not guessed at; no network, nothing to check.
        expect(networkPlacement(newVm({ id: VNET, location: "northeurope" }, { vault: { subscriptionId: SUB } }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope" }, { secondaryRegion: true, vault: { subscriptionId: SUB } }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: VNET }))).toBeUndefined();
        expect(networkPlacement(newVm(undefined))).toBeUndefined();
    });

    test("in the target resource group's subscription, with the subnet it names", () => {
        const otherVnet = VNET.replace(SUB, OTHER_SUB);
        expect(networkPlacement(newVm({ id: otherVnet, location: "westeurope" }, { targetResourceGroupId: `/subscriptions/${OTHER_SUB}/resourceGroups/rg-restore` }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: otherVnet, location: "westeurope" }))).toEqual({
            rule: "restore.network",
            path: "virtualNetworkId",
            severity: "error",
            message: `must be a virtual network in the target resource group's subscription ${SUB}: choose a network there, got vnet-restore in West Europe (westeurope)`,
        });
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope", subnets: ["app", "data"] }))).toEqual({
            rule: "restore.network",
            path: "subnetName",
            severity: "error",
            message: 'must be a subnet of vnet-restore (app, data), got "default"',
        });
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope", subnets: [] }))?.message).toBe('must be a subnet of vnet-restore (it has none), got "default"');
        // A network whose region could not be read is named without one.
        expect(networkPlacement(newVm({ id: otherVnet, subnets: ["default"] }))?.message).toBe(
            `must be a virtual network in the target resource group's subscription ${SUB}: choose a network there, got vnet-restore`,
        );
        // Subnet names compare as Azure compares them, without case; no subnet named, or none known, nothing to check.
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope", subnets: ["Default"] }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope", subnets: ["app", "default", "data"] }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope", subnets: ["app"] }, { subnetName: undefined }))).toBeUndefined();
        expect(networkPlacement(newVm({ id: VNET, location: "westeurope" }, { subnetName: "app" }))).toBeUndefined();
        // Without a target group, the network's subscription has nothing to match.
        expect(networkPlacement(newVm({ id: otherVnet, location: "westeurope" }, { targetResourceGroupId: undefined }))).toBeUndefined();
    });
});

test("a confidential VM's point: a warning, since Azure Backup lists confidential VMs as not supported", () => {
    expect(confidentialVm(facts({}, { securityType: "TrustedLaunch" }))).toBeUndefined();
    expect(confidentialVm(facts({}, { securityType: undefined }))).toBeUndefined();
    expect(confidentialVm(facts({}, { securityType: "ConfidentialVM" }))).toEqual({
        rule: "restore.confidential",
        path: "vmId",
        severity: "warning",
        message: "recovery point 100003 is of a confidential VM, which Azure Backup's support matrix lists as not supported: Azure may refuse the restore; check the VM's restore in the portal if it does",
    });
});

test("every broken rule is reported at once, in order", () => {
    const all = restoreFindings(
        facts(
            { mode: "replace-disks", secondaryRegion: true, staging: { id: STAGING, location: "westeurope", kind: "BlobStorage" }, vault: { subscriptionId: SUB, location: "westeurope", redundancy: "LocallyRedundant" } },
            { tiers: [{ tier: "Archive", status: "Valid" }], encrypted: true },
        ),
    );
    expect(all.map((f) => f.rule)).toEqual([
        "restore.replace-disks-confirm",
        "restore.replace-disks-unsupported",
        "restore.archive-rehydration",
        "restore.cross-region-vault",
        "restore.cross-region-mode",
        "restore.cross-region-point",
        "restore.staging-region",
        "restore.staging-kind",
    ]);
    const elsewhere = `/subscriptions/${OTHER_SUB}/resourceGroups/rg-restore`;
    const newVm = { mode: "new-vm" as const, targetResourceGroupId: elsewhere, targetZone: "2", network: { id: VNET.replace(SUB, OTHER_SUB), location: "northeurope" } };
    expect(restoreFindings(facts(newVm, { encrypted: true, securityType: "TrustedLaunch", zones: ["1"] })).map((f) => f.rule)).toEqual([
        "restore.cross-subscription",
        "restore.trusted-launch",
        "restore.zone",
        "restore.network",
    ]);
    expect(restoreFindings(facts(newVm, { securityType: "ConfidentialVM", zones: ["1"] })).map((f) => f.rule)).toEqual(["restore.zone", "restore.network", "restore.confidential"]);
});

test("a resource that cannot be read: a warning naming it and what was skipped", () => {
    expect(restoreUnread("stagingStorageAccountId", STAGING, "not found")).toEqual({
        rule: "restore.unread",
        path: "stagingStorageAccountId",
        severity: "warning",
        message: "ststaging could not be read (not found): the checks of its region and kind were skipped, and Azure will say if it refuses it",
    });
});
