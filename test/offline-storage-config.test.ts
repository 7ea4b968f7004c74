// The offline preview's answer to the one generic resource read the rules make: a vault's storage
// configuration, locked when the inventory lists backup items in the vault.
import { answerInvoke } from "../src/offline/inventory";

const SUB = "/subscriptions/11111111-2222-3333-4444-555555555555";
const VAULT = `${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-app`;
const ITEM = `${VAULT}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-app;vm-db/protectedItems/VM;iaasvmcontainerv2;rg-app;vm-db`;
const OTHER_VAULT_ITEM = ITEM.replace("/vaults/rsv-app/", "/vaults/rsv-app2/");
const ask = (vaultName: string, extra: Record<string, string> = {}) => ({
    resourceGroupName: "rg-backup",
    resourceProviderNamespace: "Microsoft.RecoveryServices",
    parentResourcePath: `vaults/${vaultName}`,
    resourceType: "backupstorageconfig",
    resourceName: "vaultstorageconfig",
    apiVersion: "2024-10-01",
    ...extra,
});
const GET_RESOURCE = "azure-native:resources:getResource";

describe("offline: a vault's storage configuration", () => {
    test("locked when the inventory lists an item in the vault", () => {
        const inventory = { resources: [{ id: VAULT }, { id: ITEM }] };
        expect(answerInvoke(inventory, GET_RESOURCE, ask("RSV-APP"))).toEqual({
            id: `${VAULT}/backupstorageconfig/vaultstorageconfig`,
            name: "vaultstorageconfig",
            properties: { storageTypeState: "Locked" },
        });
    });

    test("unlocked when it lists none there (an item in a vault of a longer name does not count)", () => {
        const inventory = { resources: [{ id: VAULT }, { id: OTHER_VAULT_ITEM }] };
        expect(answerInvoke(inventory, GET_RESOURCE, ask("rsv-app")).properties).toEqual({ storageTypeState: "Unlocked" });
    });

    test("a vault not in the inventory is not found, with the command to add it", () => {
        expect(() => answerInvoke({ resources: [] }, GET_RESOURCE, ask("rsv-app"))).toThrow(
            'vault rg-backup/rsv-app is not in the inventory: StatusCode=404 Code="ResourceNotFound" (if it exists in Azure, add it: az backup vault show -g rg-backup -n rsv-app)',
        );
    });

    test("any other resource is not answered", () => {
        expect(() => answerInvoke({ resources: [{ id: VAULT }] }, GET_RESOURCE, ask("rsv-app", { resourceType: "backupconfig" }))).toThrow(
            "the offline preview answers azure-native:resources:getResource only for a vault's backupstorageconfig/vaultstorageconfig",
        );
    });
});
