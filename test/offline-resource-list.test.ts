// The classic provider's resource list and client config, as the offline inventory answers them
// for a VmBackupSelection: the inventory's own subscription only, types and names from the id
// where an export left them out, tags as exported.
import { Inventory, answerInvoke } from "../src/offline/inventory";

const SUB = "11111111-2222-3333-4444-555555555555";
const OTHER = "99999999-2222-3333-4444-555555555555";
const GET_RESOURCES = "azure:core/getResources:getResources";
const vm = (sub: string, group: string, name: string) => `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`;
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv`;

const inventory: Inventory = {
    subscriptionId: SUB,
    resources: [
        { id: vm(SUB, "rg-app", "web-1"), name: "web-1", type: "Microsoft.Compute/virtualMachines", location: "westeurope", tags: { backup: "gold" } },
        // No type, no name, no tags: what a hand-written inventory may hold.
        { id: vm(SUB, "RG-DB", "db-1"), location: "northeurope" },
        { id: vm(OTHER, "rg-app", "elsewhere"), name: "elsewhere", type: "Microsoft.Compute/virtualMachines", location: "westeurope" },
        { id: VAULT, name: "rsv", type: "Microsoft.RecoveryServices/vaults", location: "westeurope" },
        { id: `${VAULT}/backupPolicies/daily`, name: "daily" },
    ],
};

test("VMs of the inventory's subscription, with type, name, group and tags; another subscription's are not listed", () => {
    expect(answerInvoke(inventory, GET_RESOURCES, { type: "Microsoft.Compute/virtualMachines" }).resources).toEqual([
        { id: vm(SUB, "rg-app", "web-1"), name: "web-1", type: "Microsoft.Compute/virtualMachines", location: "westeurope", resourceGroupName: "rg-app", tags: { backup: "gold" } },
        { id: vm(SUB, "RG-DB", "db-1"), name: "db-1", type: "Microsoft.Compute/virtualMachines", location: "northeurope", resourceGroupName: "RG-DB", tags: {} },
    ]);
});

test("a resource group narrows the list, without regard to case; vaults are listed by their type, not their policies", () => {
    expect(answerInvoke(inventory, GET_RESOURCES, { type: "Microsoft.Compute/virtualMachines", resourceGroupName: "rg-db" }).resources.map((r: { name: string }) => r.name)).toEqual(["db-1"]);
    expect(answerInvoke(inventory, GET_RESOURCES, { type: "Microsoft.RecoveryServices/vaults" }).resources.map((r: { id: string }) => r.id)).toEqual([VAULT]);
});

test("without a subscription in the inventory every resource is listed; the client config then fails, saying what to add", () => {
    const loose: Inventory = { resources: inventory.resources };
    expect(answerInvoke(loose, GET_RESOURCES, { type: "Microsoft.Compute/virtualMachines" }).resources).toHaveLength(3);
    expect(() => answerInvoke(loose, "azure:core/getClientConfig:getClientConfig", {})).toThrow(
        'the inventory has no subscription: add "subscriptionId" to it (az account show --query id -o tsv), or give resources of a single subscription',
    );
    expect(answerInvoke(inventory, "azure:core/getClientConfig:getClientConfig", {}).subscriptionId).toBe(SUB);
});
