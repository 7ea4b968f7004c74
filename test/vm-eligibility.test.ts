// The VM and vault rules as pure functions, for what the component tests leave open: case, names
// Azure does not list, and the reasons joined when a VM breaks more than one.
import { needsEnhancedPolicy, protectedBy, regionMismatch, subscriptionMismatch } from "../src/rules/vm-eligibility";
import { changesRedundancy } from "../src/rules/vault";
import { tooManyInProgram, tooManyWithAzure } from "../src/rules/estate";

const POLICY = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupPolicies/daily";

describe("VM and vault rules", () => {
    test("a region Azure does not list is compared by its letters, without spaces or case", () => {
        expect(regionMismatch("vm", "vm", "Moon Base", "v", "moonbase")).toBeUndefined();
        expect(regionMismatch("vm", "vm", "Moon Base", "v", "westeurope")).toEqual({
            rule: "vm.region",
            path: "vm",
            severity: "error",
            message: 'VM "vm" is in moonbase but vault "v" is in westeurope; a vault protects only VMs of its own region, so use a vault in moonbase, got VM region moonbase',
        });
    });

    test("subscriptions are compared without regard to case", () => {
        expect(subscriptionMismatch("vm", "vm", "0000AAAA-0000", "v", "0000aaaa-0000")).toBeUndefined();
        expect(subscriptionMismatch("vm", "vm", "0000aaaa-0000", "v", "0000AAAA-0000")).toBeUndefined();
        expect(subscriptionMismatch("vm", "vm", "0000aaaa-0000", "v", "0000bbbb-0000")).toEqual({
            rule: "vm.subscription",
            path: "vm",
            severity: "error",
            message: 'VM "vm" is in subscription 0000aaaa-0000 but vault "v" is in subscription 0000bbbb-0000; Azure Backup does not protect VMs across subscriptions, got subscription 0000aaaa-0000',
        });
    });

    test("a VM that needs an Enhanced policy for two reasons is told both", () => {
        expect(needsEnhancedPolicy("policy", "vm", "TrustedLaunch", ["UltraSSD_LRS"], "Standard")).toEqual({
            rule: "vm.enhanced-policy",
            path: "policy",
            severity: "error",
            message: 'VM "vm" is a Trusted Launch VM and has Ultra disks, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"',
        });
        expect(needsEnhancedPolicy("policy", "vm", "TrustedLaunch", ["UltraSSD_LRS"], "Enhanced")).toBeUndefined();
    });

    test("a change of redundancy: another value, whatever its case, and not Azure's Invalid", () => {
        expect(changesRedundancy("LocallyRedundant", "GeoRedundant")).toBe(true);
        expect(changesRedundancy("georedundant", "GeoRedundant")).toBe(false);
        expect(changesRedundancy("GeoRedundant", "georedundant")).toBe(false);
        expect(changesRedundancy("Invalid", "GeoRedundant")).toBe(false);
        expect(changesRedundancy(undefined, "GeoRedundant")).toBe(false);
        expect(changesRedundancy("GeoRedundant", undefined)).toBe(false);
    });

    test("an item is protected by a policy when its policy id ends in that policy's name, whatever the case", () => {
        expect(protectedBy(POLICY, "daily")).toBe(true);
        expect(protectedBy(POLICY.toUpperCase(), "daily")).toBe(true);
        expect(protectedBy(POLICY, "weekly")).toBe(false);
        expect(protectedBy(`${POLICY}/operations/x`, "daily")).toBe(false);
        expect(protectedBy(`${POLICY}/`, "daily")).toBe(false);
        expect(protectedBy(undefined, "daily")).toBe(false);
        expect(protectedBy("", "daily")).toBe(false);
    });

    test("100 VMs per policy: the 100th passes, the 101st fails, in the program and with Azure's count", () => {
        expect(tooManyInProgram("policy", 100)).toBeUndefined();
        expect(tooManyInProgram("policy", 101)).toEqual({
            rule: "policy.vms-per-policy",
            path: "policy",
            severity: "error",
            message: "a policy protects at most 100 VMs; spread these VMs over more policies, got VM number 101",
        });
        expect(tooManyWithAzure("policy", "daily", 97, 3)).toBeUndefined();
        expect(tooManyWithAzure("policy", "daily", 98, 3)).toEqual({
            rule: "policy.vms-per-policy-in-azure",
            path: "policy",
            severity: "error",
            message: 'a policy protects at most 100 VMs, and policy "daily" already protects 98 in Azure; spread these VMs over more policies, got VM number 101 (3 new to it in this program)',
        });
    });
});
