// Each example is a Pulumi program; run it as `pulumi preview` and `pulumi up` would, under
// Pulumi's mock runtime, and pin what it declares.
import * as path from "path";
import { SUBSCRIPTION, mockPulumi, settle } from "./mocks";

/** Runs an example program and waits until its resources stop registering. */
async function runExample(name: string, preview: boolean) {
    const world = mockPulumi({ preview });
    jest.isolateModules(() => require(path.join(__dirname, "..", "examples", name, "index.ts")));
    let count = -1;
    while (count !== world.resources.length) {
        count = world.resources.length;
        await settle();
        await new Promise((r) => setTimeout(r, 20));
    }
    return world;
}

describe.each([
    ["preview", true],
    ["update", false],
])("quickstart (%s)", (_mode, preview) => {
    test("declares a group, a network, two VMs, a vault, the default policy and two protected VMs", async () => {
        const world = await runExample("quickstart", preview);
        expect(await world.failures()).toEqual([]);
        expect(world.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
            [
                "azure-native:resources:ResourceGroup::backup-quickstart",
                "azure-native:network:VirtualNetwork::vnet",
                "azure-native:network:NetworkInterface::vm-web-nic",
                "azure-native:network:NetworkInterface::vm-db-nic",
                "azure-native:compute:VirtualMachine::vm-web",
                "azure-native:compute:VirtualMachine::vm-db",
                "azure-vm-backup:index:BackupVault::vault",
                "azure-native:recoveryservices:Vault::vault",
                "azure-vm-backup:index:VmBackupPolicy::daily",
                "azure-native:recoveryservices:ProtectionPolicy::daily",
                "azure-vm-backup:index:ProtectedVm::web",
                "azure-native:recoveryservices:ProtectedItem::web",
                "azure-vm-backup:index:ProtectedVm::db",
                "azure-native:recoveryservices:ProtectedItem::db",
            ].sort(),
        );
        const items = world.ofType("azure-native:recoveryservices:ProtectedItem");
        expect(items.map((i) => world.options.get(i.name)?.retainOnDelete)).toEqual([true, true]);
        if (!preview) {
            expect(items.map((i) => [i.inputs.vaultName, i.inputs.containerName, i.inputs.properties.sourceResourceId])).toEqual([
                [
                    "rsv-backup-quickstart",
                    "iaasvmcontainer;iaasvmcontainerv2;rg-backup-quickstart;vm-web",
                    `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup-quickstart/providers/Microsoft.Compute/virtualMachines/vm-web`,
                ],
                [
                    "rsv-backup-quickstart",
                    "iaasvmcontainer;iaasvmcontainerv2;rg-backup-quickstart;vm-db",
                    `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup-quickstart/providers/Microsoft.Compute/virtualMachines/vm-db`,
                ],
            ]);
        }
    });
});
