// The 100-VMs-per-policy limit counts what Azure says the policy protects already
// (`protectedItemsCount` from getProtectionPolicy) with the program's VMs new to it; a VM Azure
// already counts under the policy is not counted twice.
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { SUBSCRIPTION, invokeError, mockPulumi, notFound, registered } from "./mocks";

const ITEM = "azure-native:recoveryservices:ProtectedItem";
const GET_POLICY = "azure-native:recoveryservices:getProtectionPolicy";
const GET_ITEM = "azure-native:recoveryservices:getProtectedItem";
const VAULT_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/prod`;
const POLICY_ID = `${VAULT_ID}/backupPolicies/daily`;
const vmId = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;

const existingVm = (inputs: Record<string, any>) => ({ id: vmId(inputs.vmName), name: inputs.vmName, location: "westeurope" });
const policyInAzure = (protectedItemsCount: number) => (i: Record<string, any>) => ({
    id: `${VAULT_ID}/backupPolicies/${i.policyName}`,
    name: i.policyName,
    properties: { backupManagementType: "AzureIaasVM", policyType: "V1", protectedItemsCount },
});
/** Items Azure holds in the vault: VM name -> the policy protecting it (and whether it is soft-deleted). */
const itemsInAzure =
    (items: Record<string, { policy: string; softDeleted?: boolean }>) =>
    (i: Record<string, any>) => {
        const vm = String(i.protectedItemName).split(";").pop()!;
        const item = items[vm];
        if (!item) return notFound(`protected item ${i.protectedItemName}`);
        return { id: `${VAULT_ID}/x/${vm}`, properties: { policyId: `${VAULT_ID}/backupPolicies/${item.policy}`, isScheduledForDeferredDelete: item.softDeleted === true } };
    };

function world(invokes: Record<string, (i: Record<string, any>) => Record<string, any>>) {
    return mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm, ...invokes } });
}

const existingPolicy = () => VmBackupPolicy.fromId("daily", POLICY_ID, { policyType: "Standard", vault: { location: "westeurope", storageRedundancy: "GeoRedundant" } });
const protect = (policy: ReturnType<typeof existingPolicy>, vms: string[]) => vms.map((vm) => new ProtectedVm(vm, { policy, vm: vmId(vm) }));
const full = (inAzure: number, added: number) =>
    `error serializing property "properties": ProtectedVm "vm-${added}": policy: a policy protects at most 100 VMs, and policy "daily" already protects ${inAzure} in Azure; spread these VMs over more policies, got VM number ${inAzure + added} (${added} new to it in this program)`;

describe("an existing policy's own VMs count toward its 100", () => {
    test("98 in Azure take two more", async () => {
        const w = world({ [GET_POLICY]: policyInAzure(98) });
        await Promise.all(protect(existingPolicy(), ["vm-1", "vm-2"]).map((p) => registered(p.protectedItem)));
        expect(await w.failures()).toEqual([]);
        expect(w.ofType(ITEM)).toHaveLength(2);
    });

    test("98 in Azure do not take a third: the third fails, naming the count in Azure", async () => {
        const w = world({ [GET_POLICY]: policyInAzure(98) });
        protect(existingPolicy(), ["vm-1", "vm-2", "vm-3"]);
        expect(await w.failures()).toEqual([full(98, 3)]);
        expect(w.ofType(ITEM).map((r) => r.name)).toEqual(["vm-1", "vm-2"]);
        // One look-up of the policy, however many VMs it takes.
        expect(w.invokes.filter((i) => i.token === GET_POLICY)).toHaveLength(1);
    });

    test("100 in Azure take none", async () => {
        const w = world({ [GET_POLICY]: policyInAzure(100) });
        protect(existingPolicy(), ["vm-1"]);
        expect(await w.failures()).toEqual([full(100, 1)]);
    });

    test("VMs Azure already counts under the policy are not counted twice", async () => {
        const w = world({ [GET_POLICY]: policyInAzure(100), [GET_ITEM]: itemsInAzure({ "vm-1": { policy: "daily" }, "vm-2": { policy: "DAILY" } }) });
        await Promise.all(protect(existingPolicy(), ["vm-1", "vm-2"]).map((p) => registered(p.protectedItem)));
        expect(await w.failures()).toEqual([]);
    });

    test("an item under another policy, or soft-deleted, is new to the policy", async () => {
        const w = world({
            [GET_POLICY]: policyInAzure(99),
            [GET_ITEM]: itemsInAzure({ "vm-1": { policy: "daily" }, "vm-2": { policy: "weekly" }, "vm-3": { policy: "daily", softDeleted: true } }),
        });
        // vm-1 is counted in Azure already, vm-2 is the 100th, vm-3 (soft-deleted here) the 101st.
        protect(existingPolicy(), ["vm-1", "vm-2", "vm-3"]);
        const failures = await w.failures();
        expect(failures).toHaveLength(2);
        expect(failures).toContain(full(99, 2).replace('"vm-2"', '"vm-3"'));
        expect(failures.find((f) => f.startsWith('ProtectedVm "vm-3": vm: VM "vm-3" has a soft-deleted backup item in vault "prod"'))).toBeDefined();
        expect(w.ofType(ITEM).map((r) => r.name)).toEqual(["vm-1", "vm-2"]);
    });

    test("a policy the program declares that exists in Azure already is counted too", async () => {
        const w = world({ [GET_POLICY]: policyInAzure(99) });
        const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        const policy = VmBackupPolicy.default("daily", vault);
        new ProtectedVm("vm-1", { policy, vm: vmId("vm-1") });
        new ProtectedVm("vm-2", { policy, vm: vmId("vm-2") });
        expect(await w.failures()).toEqual([full(99, 2)]);
        expect(w.invokes.filter((i) => i.token === GET_POLICY).map((i) => i.inputs)).toEqual([{ resourceGroupName: "rg-backup", vaultName: "prod", policyName: "daily" }]);
    });

    test("a declared policy not created yet counts from zero", async () => {
        const w = world({});
        const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        const policy = VmBackupPolicy.default("daily", vault);
        await registered(new ProtectedVm("vm-1", { policy, vm: vmId("vm-1") }).protectedItem);
        expect(await w.failures()).toEqual([]);
    });

    test("a policy Azure will not let the preview read: a warning, the count in Azure skipped", async () => {
        const w = world({ [GET_POLICY]: () => invokeError('StatusCode=403 Code="AuthorizationFailed"') });
        await Promise.all(protect(existingPolicy(), ["vm-1", "vm-2"]).map((p) => registered(p.protectedItem)));
        expect(await w.failures()).toEqual([]);
        expect(w.warnings).toEqual([
            'VmBackupPolicy "daily": could not read policy "daily" from Azure, so the VMs it already protects there are not counted toward its limit of 100: StatusCode=403 Code="AuthorizationFailed"',
        ]);
    });
});
