// A fleet of ProtectedVms, in preview and update: every VM's item registered with its own inputs,
// and every broken rule of every VM reported once, whatever order the look-ups answer in (the
// rules run on Promises, src/facts/unknowns.ts).
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { SUBSCRIPTION, mockPulumi } from "./mocks";

const ITEM = "azure-native:recoveryservices:ProtectedItem";
const SIZE = 250;
const vmId = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
/** VMs that break rules: one in another region, one Trusted Launch under a Standard policy, one both. */
const ELSEWHERE = new Set(["vm-7", "vm-180"]);
const TRUSTED_LAUNCH = new Set(["vm-42", "vm-180"]);

function vmInAzure(inputs: Record<string, any>) {
    const name: string = inputs.vmName;
    return {
        id: vmId(name),
        name,
        location: ELSEWHERE.has(name) ? "northeurope" : "westeurope",
        storageProfile: { osDisk: { managedDisk: { storageAccountType: "Premium_LRS" } } },
        ...(TRUSTED_LAUNCH.has(name) ? { securityProfile: { securityType: "TrustedLaunch" } } : {}),
    };
}

const region = (vm: string) =>
    `ProtectedVm "${vm}": vm: VM "${vm}" is in northeurope but vault "prod" is in westeurope; a vault protects only VMs of its own region, so use a vault in northeurope, got VM region northeurope`;
const trustedLaunch = (vm: string) =>
    `ProtectedVm "${vm}": policy: VM "${vm}" is a Trusted Launch VM, which Azure Backup protects only under an Enhanced policy; use a VmBackupPolicy with policyType "Enhanced", got policyType "Standard"`;
/** The failure that stopped the item carries the SDK's prefix; any other of the same VM is reported as it is. */
const failedItem = (message: string) => `error serializing property "properties": ${message}`;

describe.each([true, false])("a fleet of %s VMs (preview: %s)".replace("%s", String(SIZE)), (preview) => {
    test("every VM's item is registered with its own inputs, and every broken rule is reported once", async () => {
        const world = mockPulumi({ preview, invokes: { "azure-native:compute:getVirtualMachine": vmInAzure } });
        const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        const policies = [0, 1, 2].map((p) => VmBackupPolicy.default(`daily-${p}`, vault));
        for (let i = 0; i < SIZE; i++) new ProtectedVm(`vm-${i}`, { policy: policies[Math.floor(i / 100)], vm: vmId(`vm-${i}`) });

        const broken = [...new Set([...ELSEWHERE, ...TRUSTED_LAUNCH])];
        // Every broken rule once. vm-180 breaks two: the region, checked before the policy type, fails its item.
        expect((await world.failures()).sort()).toEqual(
            [failedItem(region("vm-7")), failedItem(trustedLaunch("vm-42")), failedItem(region("vm-180")), trustedLaunch("vm-180")].sort(),
        );

        const items = world.ofType(ITEM);
        expect(items.map((r) => r.name).sort()).toEqual(
            Array.from({ length: SIZE }, (_, i) => `vm-${i}`)
                .filter((n) => !broken.includes(n))
                .sort(),
        );
        for (const item of items) {
            const i = Number(item.name.slice(3));
            expect(item.inputs.containerName).toBe(`iaasvmcontainer;iaasvmcontainerv2;rg-app;vm-${i}`);
            expect(item.inputs.protectedItemName).toBe(`vm;iaasvmcontainerv2;rg-app;vm-${i}`);
            expect(item.inputs.properties.sourceResourceId).toBe(vmId(`vm-${i}`));
            // A policy's id is unknown at preview; after, it names the VM's own policy.
            if (!preview) expect(item.inputs.properties.policyId).toMatch(new RegExp(`/backupPolicies/daily-${Math.floor(i / 100)}$`));
        }
    });
});
