// The rule layer as the components, the offline preview and a policy pack see it: each rule a pure
// function returning a Finding (rule id, argument path, message, severity), or nothing when kept.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { RULE_IDS } from "../src/rules/finding";
import { BackupRuleError, enforce, ruleError } from "../src/rules/errors";
import { ZONE_REDUNDANT_VAULT_REGIONS } from "../src/rules/regions";
import { crossRegionRestoreNeedsGeo, softDeleteDays, unknownRegion, vaultChangeFindings, zoneRedundantUnlisted } from "../src/rules/vault";
import { badVaultName, duplicatePolicyName, duplicateVaultName, reservedDerivedPolicyName } from "../src/rules/names";
import { daylightSavingUnadjusted, notVmPolicy } from "../src/rules/policy";
import { alreadyProtected, badVmId, missingAgent, softDeletedHere } from "../src/rules/vm-eligibility";
import { itemTakenOver, missing, protectedElsewhere, redundancyHeldItems, tooManyInProgram } from "../src/rules/estate";
import { inventoryGaps } from "../src/offline/inventory-gaps";
import { EMPTY_INVENTORY } from "../src/offline/inventory";

const VM_ID = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web";
const declared = { location: "westeurope", crossRegionRestore: false, softDeleteState: "Enabled", immutability: "Disabled" } as const;

describe("vault rules", () => {
    test("a vault's region is one Azure has, with the likeliest one meant", () => {
        expect(unknownRegion("west europa")).toEqual({
            rule: "vault.region",
            path: "location",
            severity: "error",
            message: 'must be a known Azure region, got "west europa" (did you mean "westeurope"?)',
        });
    });

    test("soft-deleted data is kept 14-180 days", () => {
        expect(softDeleteDays(14)).toBeUndefined();
        expect(softDeleteDays(180)).toBeUndefined();
        expect(softDeleteDays(181)).toEqual({ rule: "vault.soft-delete-days", path: "softDelete.retentionDays", severity: "error", message: "must be between 14 and 180 days, got 181" });
    });

    test("cross-region restore needs GeoRedundant", () => {
        expect(crossRegionRestoreNeedsGeo(true, "GeoRedundant")).toBeUndefined();
        expect(crossRegionRestoreNeedsGeo(false, "LocallyRedundant")).toBeUndefined();
        expect(crossRegionRestoreNeedsGeo(true, "LocallyRedundant")).toEqual({
            rule: "vault.cross-region-restore-needs-geo",
            path: "crossRegionRestore",
            severity: "error",
            message: 'cross-region restore needs storageRedundancy "GeoRedundant", got storageRedundancy "LocallyRedundant"',
        });
    });

    test("ZoneRedundant outside the listed regions is a warning", () => {
        expect(ZONE_REDUNDANT_VAULT_REGIONS.has("northcentralus")).toBe(false);
        expect(zoneRedundantUnlisted("ZoneRedundant", "westeurope")).toBeUndefined();
        expect(zoneRedundantUnlisted("GeoRedundant", "northcentralus")).toBeUndefined();
        expect(zoneRedundantUnlisted("ZoneRedundant", "northcentralus")).toEqual({
            rule: "vault.zone-redundant-region",
            path: "storageRedundancy",
            severity: "warning",
            message: 'ZoneRedundant is not listed for Recovery Services vaults in North Central US (northcentralus); Azure may refuse it there, got "ZoneRedundant"',
        });
    });

    test("an existing vault: its region cannot change, and Locked is refused on a new vault; errors come before the Locked warning", () => {
        expect(vaultChangeFindings(declared, { location: "West Europe" })).toEqual([]);
        expect(vaultChangeFindings(declared, { location: "northeurope" })).toEqual([
            {
                rule: "vault.region-change",
                path: "location",
                severity: "error",
                message: 'the vault already exists in northeurope, and a vault cannot move to another region; keep location "northeurope", or give a new vaultName, got "westeurope"',
            },
        ]);
        const locked = { ...declared, immutability: "Locked" } as const;
        expect(vaultChangeFindings(locked, undefined).map((f) => f.rule)).toEqual(["vault.locked-needs-unlocked"]);
        expect(vaultChangeFindings(locked, { location: "westeurope", immutability: "Locked" })).toEqual([]);
        expect(vaultChangeFindings(locked, { location: "northeurope", immutability: "Unlocked" })).toEqual([
            expect.objectContaining({ rule: "vault.region-change", severity: "error" }),
            { rule: "vault.locked-irreversible", path: "immutability", severity: "warning", message: '"Locked" can never be undone, got "Locked"' },
        ]);
    });
});

describe("name rules", () => {
    test("a vault name: 2-50 characters, a letter first, no trailing hyphen", () => {
        expect(badVaultName("rsv-prod")).toBeUndefined();
        expect(badVaultName("rsv-")).toEqual({
            rule: "vault.name",
            path: "vaultName",
            severity: "error",
            message: 'must be 2-50 characters of letters, digits and hyphens, start with a letter and not end with a hyphen, got "rsv-"',
        });
    });

    test("a vault name once per resource group, a policy name once per vault, on the path the user wrote", () => {
        expect(duplicateVaultName("vaultName", undefined, "rsv", "rg")).toBeUndefined();
        expect(duplicateVaultName("name", "first", "rsv", "rg")).toEqual({
            rule: "vault.name-unique",
            path: "name",
            severity: "error",
            message: 'BackupVault "first" already declares vault "rsv" in resource group "rg"; give each vault its own vaultName, got "rsv"',
        });
        expect(duplicatePolicyName("policyName", undefined, "daily")).toBeUndefined();
        expect(duplicatePolicyName("policyName", "first", "daily")).toEqual({
            rule: "policy.name-unique",
            path: "policyName",
            severity: "error",
            message: 'VmBackupPolicy "first" already declares policy "daily" in this vault; give each policy its own policyName, got "daily"',
        });
    });

    test("a derived policy name may not be one every vault holds", () => {
        expect(reservedDerivedPolicyName("daily")).toBeUndefined();
        expect(reservedDerivedPolicyName("defaultpolicy")).toEqual({
            rule: "policy.name-reserved",
            path: "policyName",
            severity: "error",
            message:
                'must not be "DefaultPolicy": the vault already holds that policy; use VmBackupPolicy.fromId to refer to it, or set policyName, got "defaultpolicy" (derived from the component name)',
        });
    });
});

describe("policy rules", () => {
    test("a time zone with daylight saving is a warning", () => {
        expect(daylightSavingUnadjusted("UTC")).toBeUndefined();
        expect(daylightSavingUnadjusted("W. Europe Standard Time")).toEqual({
            rule: "policy.daylight-saving",
            path: "timeZone",
            severity: "warning",
            message:
                'observes daylight saving time, but Azure Backup does not adjust the schedule for it: while it is in effect, backups run an hour off the local time given, got "W. Europe Standard Time"',
        });
    });

    test("a policy named by id must be an Azure VM policy", () => {
        expect(notVmPolicy("policyId", "p", "AzureIaasVM")).toBeUndefined();
        expect(notVmPolicy("policyId", "p", "azureiaasvm")).toBeUndefined();
        expect(notVmPolicy("policyId", "p", "AzureWorkload")).toEqual({
            rule: "policy.vm-policy-kind",
            path: "policyId",
            severity: "error",
            message: 'must be an Azure VM backup policy (backupManagementType "AzureIaasVM"), got backupManagementType "AzureWorkload" for p',
        });
    });
});

describe("VM rules", () => {
    test("a VM declared twice, named by the argument its user wrote", () => {
        expect(alreadyProtected("vmId", undefined, VM_ID)).toBeUndefined();
        expect(alreadyProtected("vmId", "first", VM_ID)).toEqual({
            rule: "vm.protected-once",
            path: "vmId",
            severity: "error",
            message: `VM "${VM_ID}" is already protected by ProtectedVm "first"; a VM can be protected in one vault only, so declare it once, got a second ProtectedVm for it`,
        });
    });

    test("a VM id must be a Resource Manager VM id", () => {
        expect(badVmId("vm", VM_ID)).toBeUndefined();
        expect(badVmId("vm", 42)).toEqual({ rule: "vm.id", path: "vm", severity: "error", message: "must be the VM's resource ID, got 42" });
    });

    test("a Windows VM without the agent is a warning; one with it, or unknown, passes", () => {
        expect(missingAgent("vm", "web", true)).toBeUndefined();
        expect(missingAgent("vm", "web", undefined)).toBeUndefined();
        expect(missingAgent("vm", "web", false)).toEqual({
            rule: "vm.agent",
            path: "vm",
            severity: "warning",
            message: 'VM "web" was created without the VM agent, which Azure Backup needs to back it up: install the agent on the VM, got provisionVMAgent false',
        });
    });

    test("a soft-deleted item in the vault stops the VM; a live one does not", () => {
        expect(softDeletedHere("vm", "web", "rsv", undefined)).toBeUndefined();
        expect(softDeletedHere("vm", "web", "rsv", { softDeleted: false })).toBeUndefined();
        expect(softDeletedHere("vm", "web", "rsv", { softDeleted: true, deleteTime: "2026-01-01T00:00:00Z" })).toMatchObject({
            rule: "vm.soft-deleted",
            path: "vm",
            severity: "error",
        });
    });
});

describe("estate rules", () => {
    test("a VM protected by another vault: an error, or a warning where protection is stopped there", () => {
        expect(protectedElsewhere("web", "old", "new", "active")).toMatchObject({ rule: "estate.one-vault-per-vm", path: "vm", severity: "error" });
        expect(protectedElsewhere("web", "old", "new", "stopped")).toMatchObject({ rule: "estate.data-in-other-vault", path: "vm", severity: "warning" });
    });

    test("a vault holding items keeps its redundancy; an empty one may change", () => {
        expect(redundancyHeldItems("rsv", 0, "LocallyRedundant", "GeoRedundant")).toBeUndefined();
        expect(redundancyHeldItems("rsv", 1, "LocallyRedundant", "GeoRedundant")).toEqual({
            rule: "estate.redundancy-held-items",
            path: "storageRedundancy",
            severity: "error",
            message:
                'vault "rsv" holds 1 backup item in Azure, so its redundancy cannot change from LocallyRedundant; keep storageRedundancy "LocallyRedundant", or use a new vault, got "GeoRedundant"',
        });
    });

    test("taking over an item: kept by a retained owner, an error where the owner deletes it", () => {
        const m = { vm: "web", vault: "rsv", urn: "urn:pulumi:dev::p::x::old", owner: "old" };
        expect(itemTakenOver("vm", { ...m, onDelete: "retain" })).toBeUndefined();
        expect(itemTakenOver("vm", { ...m, onDelete: "delete" })).toMatchObject({ rule: "estate.item-take-over", path: "vm", severity: "error" });
        expect(itemTakenOver("vm", m)).toMatchObject({ rule: "estate.item-take-over", severity: "warning" });
    });

    test("what a look-up did not find names the resource it looked for", () => {
        expect(missing("vm", "vm", VM_ID)).toEqual({
            rule: "estate.vm-exists",
            path: "vm",
            severity: "error",
            message: `no virtual machine exists at this id, got "${VM_ID}"`,
            resourceId: VM_ID,
        });
        expect(missing("policy", "policyId", "p")).toMatchObject({ rule: "estate.policy-exists", message: 'no backup policy exists at this id, got "p"' });
    });
});

describe("findings become errors and warnings", () => {
    test("a BackupRuleError carries its rule id; in a constructor the error is the argument error", () => {
        const finding = missing("vault", "vaultId", "v");
        const err = ruleError({ component: "VmBackupPolicy", name: "daily" }, finding);
        expect(err).toBeInstanceOf(BackupRuleError);
        expect((err as BackupRuleError).rule).toBe("estate.vault-exists");
        expect(err.message).toBe('VmBackupPolicy "daily": vaultId: no Recovery Services vault exists at this id, got "v"');
        const early = ruleError({ component: "VmBackupPolicy", name: "daily", constructing: true }, finding);
        expect(early).toBeInstanceOf(pulumi.InputPropertiesError);
        expect(early.message).toBe('VmBackupPolicy "daily": vaultId: no Recovery Services vault exists at this id, got "v"');
    });

    test("enforce logs warnings in order and throws at the first error", () => {
        const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
        try {
            const site = { component: "ProtectedVm", name: "web" };
            expect(() => enforce(site, missingAgent("vm", "web", false), undefined, tooManyInProgram("policy", 101), missingAgent("vmId", "web", false))).toThrow(
                'ProtectedVm "web": policy: a policy protects at most 100 VMs',
            );
            expect(warn.mock.calls.map((c) => c[0])).toEqual([
                'ProtectedVm "web": vm: VM "web" was created without the VM agent, which Azure Backup needs to back it up: install the agent on the VM, got provisionVMAgent false',
            ]);
        } finally {
            warn.mockRestore();
        }
    });
});

describe("the offline preview tells a gap in the inventory by the rule, not by the words", () => {
    const urn = "urn:pulumi:dev::p::azure-vm-backup:index:ProtectedVm::web";
    const finding = missing("vm", "vm", VM_ID);
    const message = `ProtectedVm "web": vm: ${finding.message}`;

    test("a VM look-up that found nothing is a VM missing from the inventory", () => {
        expect(inventoryGaps([{ severity: "error", urn, message, finding }], EMPTY_INVENTORY)).toEqual([
            {
                severity: "error",
                urn,
                finding,
                message:
                    'ProtectedVm "web": vm: is missing from the inventory, so the offline preview cannot tell whether this VM exists; ' +
                    `if it does, add what "az vm show --ids" prints for it to the inventory (see examples/README.md), got "${VM_ID}"`,
            },
        ]);
    });

    test("the same words without the finding, or another rule, are left as they are", () => {
        const plain = { severity: "error" as const, urn, message };
        expect(inventoryGaps([plain], EMPTY_INVENTORY)).toEqual([plain]);
        const other = { ...plain, finding: { ...finding, rule: "vm.region" as const } };
        expect(inventoryGaps([other], EMPTY_INVENTORY)).toEqual([other]);
    });
});

test("every rule id is in the README's rule table", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## The rules"), readme.indexOf("## Offline preview"));
    const missingIds = RULE_IDS.filter((id) => !table.includes(`\`${id}\``));
    expect(missingIds).toEqual([]);
});
