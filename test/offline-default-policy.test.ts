// The DefaultPolicy every vault has, as the offline inventory answers a look-up of it.
import { Inventory, answerInvoke } from "../src/offline/inventory";

const VAULT = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-app";
const GET_POLICY = "azure-native:recoveryservices:getProtectionPolicy";
const item = (vm: string, policy: string) => ({
    id: `${VAULT}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-app;${vm}/protectedItems/VM;iaasvmcontainerv2;rg-app;${vm}`,
    properties: { policyId: `${VAULT}/backupPolicies/${policy}` },
});
const ask = (inventory: Inventory, policyName: string) => () => answerInvoke(inventory, GET_POLICY, { resourceGroupName: "rg-backup", vaultName: "rsv-app", policyName });

test("a vault with no policies listed answers DefaultPolicy: Standard, daily, 30 days, 2 days of instant restore, the inventory's items under it counted", () => {
    const inventory: Inventory = {
        resources: [{ id: VAULT, location: "westeurope" }, item("vm-a", "DefaultPolicy"), item("vm-b", "defaultpolicy"), item("vm-c", "Daily-Prod")],
    };
    expect(ask(inventory, "defaultPolicy")()).toEqual({
        id: `${VAULT}/backupPolicies/DefaultPolicy`,
        name: "DefaultPolicy",
        type: "Microsoft.RecoveryServices/vaults/backupPolicies",
        properties: {
            backupManagementType: "AzureIaasVM",
            policyType: "V1",
            protectedItemsCount: 2,
            instantRpRetentionRangeInDays: 2,
            schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily" },
            retentionPolicy: { retentionPolicyType: "LongTermRetentionPolicy", dailySchedule: { retentionDuration: { count: 30, durationType: "Days" } } },
        },
    });
    // No other built-in policy is assumed: EnhancedPolicy is not in every vault.
    expect(ask(inventory, "EnhancedPolicy")).toThrow(/^backup policy rsv-app\/EnhancedPolicy is not in the inventory: StatusCode=404/);
});

test("a vault whose policies are listed has only those; a vault not in the inventory has none", () => {
    const listed: Inventory = { resources: [{ id: VAULT, location: "westeurope" }, { id: `${VAULT}/backupPolicies/Daily-Prod` }] };
    expect(ask(listed, "DefaultPolicy")).toThrow(/^backup policy rsv-app\/DefaultPolicy is not in the inventory: StatusCode=404/);
    expect(ask(listed, "Daily-Prod")()).toEqual({ id: `${VAULT}/backupPolicies/Daily-Prod` });
    expect(ask({ resources: [] }, "DefaultPolicy")).toThrow(/^backup policy rsv-app\/DefaultPolicy is not in the inventory: StatusCode=404/);
});
