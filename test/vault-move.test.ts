// Moving a VM to another vault: the stack's last deployment (read through the engine's built-in
// invoke) says which vault protected it before; the old vault's item, looked up in Azure, says
// what the move does to its recovery points, and whether Azure will let it happen at all.
import * as pulumi from "@pulumi/pulumi";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { EMPTY_INVENTORY, answerInvoke } from "../src/offline/inventory";
import { READ_STACK, SUBSCRIPTION, invokeError, mockPulumi, notFound, registered, settle } from "./mocks";
import { sameVault } from "../src/rules/estate";

const ITEM = "azure-native:recoveryservices:ProtectedItem";
const COMPONENT = "azure-vm-backup:index:ProtectedVm";
const STACK = "urn:pulumi:stack::project::";
const vmId = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
const vaultId = (rg: string, name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;
const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

interface Deployed {
    /** The ProtectedVm's name; its item carries the same name. */
    component: string;
    vm: string;
    vault: string;
    resourceGroup?: string;
    /** What the ProtectedVm recorded; absent for a deployment that did not record it. */
    onDelete?: "retain" | "delete";
    /** How the item's outputs name its vault: through its policy (as azure-native records it) or only its inputs. */
    itemOutputs?: "policyId" | "inputsOnly";
    /** A plain azure-native ProtectedItem of the program, not one of a ProtectedVm. */
    raw?: boolean;
}

/** A stack's last checkpoint as the built-in invoke answers it: resource outputs by URN. */
function lastDeployment(...items: Deployed[]): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    for (const d of items) {
        const rg = d.resourceGroup ?? "rg-backup";
        const names = `iaasvmcontainerv2;rg-app;${d.vm}`;
        const inputs = {
            resourceGroupName: rg,
            vaultName: d.vault,
            fabricName: "Azure",
            containerName: `iaasvmcontainer;${names}`,
            protectedItemName: `vm;${names}`,
            properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vmId(d.vm), policyId: `${vaultId(rg, d.vault)}/backupPolicies/daily` },
        };
        if (!d.raw) {
            outputs[`${STACK}${COMPONENT}::${d.component}`] = {
                type: COMPONENT,
                outputs: { vmId: vmId(d.vm), vaultId: vaultId(rg, d.vault), ...(d.onDelete ? { onDelete: d.onDelete } : {}) },
            };
        }
        outputs[d.raw ? `${STACK}${ITEM}::${d.component}` : `${STACK}${COMPONENT}$${ITEM}::${d.component}`] = {
            type: ITEM,
            outputs: {
                azureApiVersion: "2024-10-01",
                name: `VM;${names}`,
                type: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
                properties:
                    d.itemOutputs === "inputsOnly"
                        ? { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vmId(d.vm) }
                        : {
                              backupManagementType: "AzureIaasVM",
                              friendlyName: d.vm,
                              policyId: `${vaultId(rg, d.vault)}/backupPolicies/daily`,
                              protectedItemType: "Microsoft.Compute/virtualMachines",
                              protectionState: "Protected",
                              sourceResourceId: vmId(d.vm),
                              virtualMachineId: vmId(d.vm),
                              workloadType: "VM",
                          },
                // azure-native keeps the inputs it was given as a secret beside the outputs.
                __inputs: secret(inputs),
            },
        };
    }
    return outputs;
}

/** The old vault's item as Azure returns it now. */
const itemInAzure = (properties: Record<string, unknown>) => () => ({
    name: "VM;iaasvmcontainerv2;rg-app;vm-web",
    properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vmId("vm-web"), ...properties },
});

const oldVault = (softDeleteState = "Enabled", softDeleteRetentionPeriodInDays = 14, immutability = "Disabled") => (i: Record<string, any>) =>
    i.vaultName === "old"
        ? {
              id: vaultId(i.resourceGroupName, "old"),
              name: "old",
              location: "westeurope",
              properties: {
                  securitySettings: { softDeleteSettings: { softDeleteState, softDeleteRetentionPeriodInDays }, immutabilitySettings: { state: immutability } },
              },
          }
        : notFound(`vault ${i.vaultName}`);

function program(args: {
    preview: boolean;
    deployed: Record<string, unknown>;
    item?: () => Record<string, unknown>;
    vault?: (i: Record<string, any>) => Record<string, unknown>;
    onDelete?: "retain" | "delete";
    opts?: pulumi.ComponentResourceOptions;
}) {
    const world = mockPulumi({
        preview: args.preview,
        // The target vault was deployed before: the stack has a last deployment to read.
        deployed: ["prod"],
        invokes: {
            [READ_STACK]: (i) => ({ name: i.stackName, outputs: args.deployed }),
            "azure-native:compute:getVirtualMachine": (i) => ({ id: vmId(i.vmName), name: i.vmName, location: "westeurope" }),
            "azure-native:recoveryservices:getProtectedItem": (i) => (i.vaultName === "old" && args.item ? args.item() : notFound(`protected item ${i.protectedItemName}`)),
            "azure-native:recoveryservices:getVault": args.vault ?? oldVault(),
        },
    });
    const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "prod" });
    const web = new ProtectedVm("web", { policy: VmBackupPolicy.default("daily", vault), vm: vmId("vm-web"), onDelete: args.onDelete }, args.opts);
    return { world, web };
}

const disable = (deleteData: boolean) =>
    'az backup protection disable --resource-group rg-backup --vault-name old --container-name "iaasvmcontainer;iaasvmcontainerv2;rg-app;vm-web" ' +
    `--item-name "vm;iaasvmcontainerv2;rg-app;vm-web" --delete-backup-data ${deleteData} --yes`;

describe("ProtectedVm moved to another vault", () => {
    const preview = true;
    test("still protected in the old vault, which keeps its item (onDelete retain): the preview fails, saying how to move it", async () => {
        const { world } = program({ preview, deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "retain" }), item: itemInAzure({ protectionState: "Protected" }) });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": policy: VM "vm-web" is protected in vault "old" by this stack, and a VM is protected in one vault only: ' +
                'with onDelete "retain" the replacement leaves that item in place, so Azure would refuse to protect it in "prod". ' +
                `Stop protection in "old" first (${disable(true)}; then its recovery points stay in "old" under that vault's soft-delete retention (14 days)), or keep the VM in "old", got vault "prod"`,
        ]);
        expect(world.ofType(ITEM)).toEqual([]);
    });

    test("deployed with onDelete delete: the item is replaced and a warning says the old recovery points stay under the old vault's retention", async () => {
        const { world, web } = program({
            preview,
            onDelete: "delete",
            deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "delete" }),
            item: itemInAzure({ protectionState: "Protected" }),
            vault: oldVault("Enabled", 30),
        });
        await registered(web.protectedItem);
        expect(world.one(ITEM).inputs).toMatchObject({ resourceGroupName: "rg-backup", vaultName: "prod" });
        expect(world.options.get("web")).toMatchObject({ deleteBeforeReplace: true, retainOnDelete: false });
        expect(world.warnings).toEqual([
            'ProtectedVm "web": policy: VM "vm-web" moves from vault "old" to vault "prod"; a VM is protected in one vault only, so its item is replaced delete-before-replace, ' +
                'and with onDelete "delete" that stops protection in "old" and deletes the backup data: its recovery points stay in "old" under that vault\'s soft-delete retention (30 days), got vault "prod"',
        ]);
        expect(await world.failures()).toEqual([]);
    });
});

describe("ProtectedVm moved to another vault: the old item's state decides", () => {
    test("soft delete off in the old vault: the warning says the data goes for good", async () => {
        const { world, web } = program({
            preview: true,
            onDelete: "delete",
            deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "delete" }),
            item: itemInAzure({ protectionState: "Protected" }),
            vault: oldVault("Disabled"),
        });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "web": policy: VM "vm-web" moves from vault "old" to vault "prod"; a VM is protected in one vault only, so its item is replaced delete-before-replace, ' +
                'and with onDelete "delete" that stops protection in "old" and deletes the backup data: soft delete is off in "old", so its recovery points are deleted for good, got vault "prod"',
        ]);
        expect(await world.failures()).toEqual([]);
    });

    test("the onDelete the item was deployed with counts, not the one the program says now", async () => {
        const { world } = program({
            preview: true,
            onDelete: "delete",
            deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "retain" }),
            item: itemInAzure({ protectionState: "IRPending" }),
        });
        expect(await world.failures()).toEqual([expect.stringContaining('with onDelete "retain" the replacement leaves that item in place, so Azure would refuse to protect it in "prod"')]);
    });

    test("a deployment that recorded no onDelete: a warning with both outcomes and how to be sure", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old" }), item: itemInAzure({ protectionState: "Protected" }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "web": policy: VM "vm-web" moves from vault "old" to vault "prod", replacing its item delete-before-replace; the deployment that protected it there did not record its onDelete, ' +
                'so this preview cannot tell what becomes of it: with "delete" protection in "old" stops and its recovery points stay in "old" under that vault\'s soft-delete retention (14 days), ' +
                'with "retain" (the default) the item stays protected there and Azure refuses the new vault. ' +
                `Stop protection in "old" first (${disable(true)}; then its recovery points stay in "old" under that vault's soft-delete retention (14 days)), or keep the VM in "old", got vault "prod"`,
        ]);
        expect(await world.failures()).toEqual([]);
    });

    test("an immutable old vault refuses to delete the data: the move with onDelete delete fails the preview", async () => {
        const { world } = program({
            preview: true,
            onDelete: "delete",
            deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "delete" }),
            item: itemInAzure({ protectionState: "Protected" }),
            vault: oldVault("Enabled", 14, "Unlocked"),
        });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": policy: VM "vm-web" moves from vault "old" to vault "prod", replacing its item delete-before-replace with onDelete "delete", ' +
                'but vault "old" is immutable and Azure refuses to delete backup data there before it expires. Keep the VM in "old", got vault "prod"',
        ]);
    });

    test("an immutable old vault still protecting the VM: the advice keeps its data", async () => {
        const { world } = program({
            preview: true,
            deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "retain" }),
            item: itemInAzure({ protectionState: "Protected" }),
            vault: oldVault("AlwaysON", 14, "Locked"),
        });
        expect(await world.failures()).toEqual([
            expect.stringContaining(
                'so Azure would refuse to protect it in "prod". Vault "old" is immutable, so its backup data cannot be deleted before it expires: keep the VM in "old", ' +
                    `or stop protection there keeping the data (${disable(false)}), though Azure may still refuse the new vault while that data is kept, got vault "prod"`,
            ),
        ]);
    });

    test("an old item that cannot be read leaves the move unjudged, with a warning, not a failed preview", async () => {
        const { world, web } = program({
            preview: true,
            onDelete: "delete",
            deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "delete" }),
            item: () => invokeError("AuthorizationFailed: the client does not have authorization to perform action over scope rg-backup/old"),
            vault: (i) => (i.vaultName === "old" ? invokeError("AuthorizationFailed") : notFound(`vault ${i.vaultName}`)),
        });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "web": policy: VM "vm-web" moves from vault "old" to vault "prod"; its item in "old" could not be read (AuthorizationFailed: the client does not have authorization to perform action over scope rg-backup/old), ' +
                'so this preview cannot tell whether Azure will protect it in "prod" while that item exists, got vault "prod"',
        ]);
        expect(await world.failures()).toEqual([]);
    });

    test("protection already stopped there with the data retained: a warning, since Azure may still refuse", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "retain" }), item: itemInAzure({ protectionState: "ProtectionStopped" }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "web": policy: VM "vm-web" moves from vault "old" to vault "prod"; protection of its item in "old" is stopped with the data retained, so its recovery points stay there until you delete them; ' +
                'but a VM is protected in one vault only, and Azure may refuse to protect it in "prod" until that data is deleted, got vault "prod"',
        ]);
        expect(await world.failures()).toEqual([]);
    });

    test("backups suspended there: the points expire as that vault's policy says", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old" }), item: itemInAzure({ protectionState: "BackupsSuspended" }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([expect.stringContaining("so its recovery points stay there until its policy lets them expire;")]);
        expect(await world.failures()).toEqual([]);
    });

    test("the old item already soft-deleted: a warning with the date Azure purges it", async () => {
        const { world, web } = program({
            preview: true,
            deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old" }),
            item: itemInAzure({ protectionState: "ProtectionStopped", isScheduledForDeferredDelete: true, deferredDeleteTimeInUTC: "2026-12-13T08:00:00Z" }),
        });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "web": policy: VM "vm-web" moves from vault "old" to vault "prod"; its item in "old" is soft-deleted, and its recovery points stay there under that vault\'s soft-delete retention, until 2026-12-13T08:00:00Z, got vault "prod"',
        ]);
        expect(await world.failures()).toEqual([]);
    });

    test("the old item gone from Azure: a warning that nothing stays behind", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old" }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "web": policy: VM "vm-web" moves from vault "old" to vault "prod"; its item in "old" is no longer in Azure, so no recovery points stay behind there, got vault "prod"',
        ]);
        const lookups = world.invokes.filter((i) => i.token === "azure-native:recoveryservices:getProtectedItem").map((i) => `${i.inputs.resourceGroupName}/${i.inputs.vaultName}/${i.inputs.protectedItemName}`);
        expect(lookups).toEqual(["rg-backup/prod/vm;iaasvmcontainerv2;rg-app;vm-web", "rg-backup/old/vm;iaasvmcontainerv2;rg-app;vm-web"]);
    });

    test("an item of another ProtectedVm, even with onDelete delete, goes only after the new one is made: the preview fails", async () => {
        const { world } = program({
            preview: true,
            onDelete: "delete",
            deployed: lastDeployment({ component: "web-old", vm: "vm-web", vault: "old", onDelete: "delete" }),
            item: itemInAzure({ protectionState: "Protected" }),
        });
        expect(await world.failures()).toEqual([
            expect.stringContaining(
                'ProtectedVm "web": policy: VM "vm-web" is protected in vault "old" by this stack, and a VM is protected in one vault only: that item belongs to ProtectedVm "web-old" of this stack, which Pulumi deletes only after protecting the VM anew, so Azure would refuse to protect it in "prod".',
            ),
        ]);
    });

    test("an item of another ProtectedVm with onDelete retain stays where it is: the preview fails", async () => {
        const { world } = program({
            preview: true,
            deployed: lastDeployment({ component: "web-old", vm: "vm-web", vault: "old", onDelete: "retain" }),
            item: itemInAzure({ protectionState: "Protected" }),
        });
        expect(await world.failures()).toEqual([
            expect.stringContaining('that item belongs to ProtectedVm "web-old" of this stack, which Pulumi leaves in place when it goes, so Azure would refuse to protect it in "prod".'),
        ]);
    });

    test("a ProtectedVm renamed with aliases is the same resource: its item is replaced, as for an unchanged name", async () => {
        const { world, web } = program({
            preview: true,
            onDelete: "delete",
            opts: { aliases: [{ name: "web-old" }] },
            deployed: lastDeployment({ component: "web-old", vm: "vm-web", vault: "old", onDelete: "delete" }),
            item: itemInAzure({ protectionState: "Protected" }),
        });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([expect.stringContaining('its item is replaced delete-before-replace, and with onDelete "delete" that stops protection in "old"')]);
        expect(await world.failures()).toEqual([]);
    });

    test("an item whose outputs name its vault only through the secret inputs azure-native keeps", async () => {
        const { world } = program({ preview: true, deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", resourceGroup: "rg-old", itemOutputs: "inputsOnly" }) });
        expect(await world.failures()).toEqual([]);
        expect(world.warnings).toEqual([expect.stringContaining('VM "vm-web" moves from vault "old" to vault "prod"')]);
        expect(world.invokes.filter((i) => i.token === "azure-native:recoveryservices:getProtectedItem").map((i) => i.inputs.resourceGroupName)).toEqual(["rg-backup", "rg-old"]);
    });
});

describe("ProtectedVm taking over an item another resource of the stack deployed in the same vault", () => {
    test("a ProtectedVm renamed without aliases, deployed with onDelete delete: removing the old one would delete the item, so the preview fails", async () => {
        const { world } = program({ preview: true, onDelete: "delete", deployed: lastDeployment({ component: "web-old", vm: "vm-web", vault: "prod", onDelete: "delete" }) });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": ProtectedVm "web": vm: VM "vm-web" is protected in vault "prod" by ProtectedVm "web-old" of this stack\'s last deployment, deployed with onDelete "delete": ' +
                "once this ProtectedVm takes the same item over, Pulumi removes that one and so stops protection and deletes the VM's recovery points. " +
                `If you renamed it, give this ProtectedVm aliases: [{ name: "web-old" }]; otherwise let Pulumi forget the old one first (pulumi state delete '${STACK}${COMPONENT}$${ITEM}::web-old'), got vault "prod"`,
        ]);
    });

    test("the same rename with aliases is the same resource: nothing to say", async () => {
        const { world, web } = program({
            preview: true,
            onDelete: "delete",
            opts: { aliases: [{ name: "web-old" }] },
            deployed: lastDeployment({ component: "web-old", vm: "vm-web", vault: "prod", onDelete: "delete" }),
        });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([]);
        expect(await world.failures()).toEqual([]);
    });

    test("a renamed ProtectedVm deployed with onDelete retain leaves the item be: nothing to say", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "web-old", vm: "vm-web", vault: "prod", onDelete: "retain" }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([]);
        expect(await world.failures()).toEqual([]);
    });

    test("one that recorded no onDelete: a warning", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "web-old", vm: "vm-web", vault: "prod" }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([expect.stringContaining('ProtectedVm "web": vm: VM "vm-web" is protected in vault "prod" by ProtectedVm "web-old" of this stack\'s last deployment, which did not record its onDelete')]);
        expect(await world.failures()).toEqual([]);
    });

    test("a plain azure-native ProtectedItem of the stack: a warning to let Pulumi forget it, since removing it deletes the item", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "legacy-web", vm: "vm-web", vault: "prod", raw: true }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([
            `ProtectedVm "web": vm: VM "vm-web" is protected in vault "prod" by this stack's resource ${STACK}${ITEM}::legacy-web; once this ProtectedVm takes the same item over, removing that resource ` +
                `deletes the item and the VM's recovery points unless it has retainOnDelete. Let Pulumi forget it first (pulumi state delete '${STACK}${ITEM}::legacy-web'), got vault "prod"`,
        ]);
        expect(await world.failures()).toEqual([]);
    });
});

describe("ProtectedVm and the stack's last deployment", () => {
    test("the VM stays in its vault (its group and name in another casing): no warning, no look-up of other vaults", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "PROD", resourceGroup: "RG-Backup" }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([]);
        expect(world.invokes.filter((i) => i.token === "azure-native:recoveryservices:getProtectedItem")).toHaveLength(1);
        expect(await world.failures()).toEqual([]);
    });

    test("the VM's id recorded in another casing is the same VM", async () => {
        const { world, web } = program({ preview: true, deployed: lastDeployment({ component: "web", vm: "VM-WEB", vault: "old" }) });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([expect.stringContaining('VM "vm-web" moves from vault "old" to vault "prod"')]);
    });

    test("resource references in the stack's state stay references: none becomes a resource of this program", async () => {
        const deployed = lastDeployment({ component: "web", vm: "vm-web", vault: "old" });
        // A component that registered a resource among its outputs, as many do; that resource is gone from this program.
        deployed[`${STACK}my:index:Backup::legacy`] = {
            type: "my:index:Backup",
            outputs: {
                vault: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialResourceSig, urn: `${STACK}azure-native:recoveryservices:Vault::legacy`, id: vaultId("rg-backup", "legacy") },
            },
        };
        const { world, web } = program({ preview: true, deployed });
        await registered(web.protectedItem);
        expect(world.warnings).toEqual([expect.stringContaining('VM "vm-web" moves from vault "old" to vault "prod"')]);
        expect(world.invokes.map((i) => i.token)).not.toContain("pulumi:pulumi:getResource");
        expect(await world.failures()).toEqual([]);
    });

    test("is read once per program, by the stack's full name", async () => {
        const world = mockPulumi({ preview: true, deployed: ["prod"], invokes: { "azure-native:compute:getVirtualMachine": (i) => ({ id: vmId(i.vmName), name: i.vmName, location: "westeurope" }) } });
        const policy = VmBackupPolicy.default("daily", new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" }));
        const items = ["vm-a", "vm-b", "vm-c"].map((vm) => new ProtectedVm(vm, { policy, vm: vmId(vm) }).protectedItem);
        await Promise.all(items.map(registered));
        expect(world.invokes.filter((i) => i.token === READ_STACK).map((i) => i.inputs)).toEqual([{ stackName: "organization/project/stack" }]);
        expect(await world.failures()).toEqual([]);
    });

    test("a stack the engine cannot read (no backend, say) is no reason to fail, but is a warning, once", async () => {
        const world = mockPulumi({
            preview: true,
            deployed: ["prod"],
            invokes: { [READ_STACK]: () => invokeError("no backend client is available"), "azure-native:compute:getVirtualMachine": (i) => ({ id: vmId(i.vmName), name: i.vmName, location: "westeurope" }) },
        });
        const policy = VmBackupPolicy.default("daily", new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" }));
        await registered(new ProtectedVm("web", { policy, vm: vmId("vm-web") }).protectedItem);
        await registered(new ProtectedVm("db", { policy, vm: vmId("vm-db") }).protectedItem);
        expect(world.warnings).toEqual([
            'ProtectedVm "web": could not read this stack\'s last deployment, so what it protected each VM in is not compared with this program: no backend client is available',
        ]);
        expect(await world.failures()).toEqual([]);
    });

    test("a stack never deployed is not read: none of the program's vaults and policies has an id yet", async () => {
        const world = mockPulumi({
            preview: true,
            invokes: {
                [READ_STACK]: (i) => ({ name: i.stackName, outputs: lastDeployment({ component: "web", vm: "vm-web", vault: "old" }) }),
                "azure-native:compute:getVirtualMachine": (i) => ({ id: vmId(i.vmName), name: i.vmName, location: "westeurope" }),
            },
        });
        const policy = VmBackupPolicy.default("daily", new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" }));
        await registered(new ProtectedVm("web", { policy, vm: vmId("vm-web") }).protectedItem);
        expect(world.invokes.map((i) => i.token)).not.toContain(READ_STACK);
        expect(world.warnings).toEqual([]);
        expect(await world.failures()).toEqual([]);
    });

    test("a move to a vault still to be created is judged once another vault of the program was deployed", async () => {
        const world = mockPulumi({
            preview: true,
            deployed: ["old"],
            invokes: {
                [READ_STACK]: (i) => ({ name: i.stackName, outputs: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "retain" }) }),
                "azure-native:compute:getVirtualMachine": (i) => ({ id: vmId(i.vmName), name: i.vmName, location: "westeurope" }),
                "azure-native:recoveryservices:getProtectedItem": (i) => (i.vaultName === "old" ? itemInAzure({ protectionState: "Protected" })() : notFound(`protected item ${i.protectedItemName}`)),
                "azure-native:recoveryservices:getVault": oldVault(),
            },
        });
        const old = new BackupVault("old", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "old" });
        VmBackupPolicy.default("old-daily", old);
        const next = new BackupVault("next", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "next" });
        new ProtectedVm("web", { policy: VmBackupPolicy.default("daily", next), vm: vmId("vm-web") });
        expect(await world.failures()).toEqual([expect.stringContaining('VM "vm-web" is protected in vault "old" by this stack, and a VM is protected in one vault only: with onDelete "retain" the replacement leaves that item in place, so Azure would refuse to protect it in "next".')]);
    });

    test("pulumi up reads nothing: the preview before it judges the move, and a checkpoint being written is no record", async () => {
        const { world, web } = program({ preview: false, deployed: lastDeployment({ component: "web", vm: "vm-web", vault: "old", onDelete: "retain" }), item: itemInAzure({ protectionState: "Protected" }) });
        await registered(web.protectedItem);
        expect(world.invokes.map((i) => i.token)).not.toContain(READ_STACK);
        expect(world.warnings).toEqual([]);
        expect(await world.failures()).toEqual([]);
    });

    test("a vault declared after the ProtectedVm, depending on it, is no evidence and cannot hold it up", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": (i) => ({ id: vmId(i.vmName), name: i.vmName, location: "westeurope" }) } });
        const policy = VmBackupPolicy.default("daily", new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" }));
        const web = new ProtectedVm("web", { policy, vm: vmId("vm-web") });
        const later = new BackupVault("later", { resourceGroupName: "rg-backup", location: "westeurope" }, { dependsOn: [web] });
        await registered(web.protectedItem);
        await registered(later.vault);
        expect(world.invokes.map((i) => i.token)).not.toContain(READ_STACK);
        expect(await world.failures()).toEqual([]);
    });

    test("records the onDelete it protects with, for the next deployment to read", async () => {
        mockPulumi({ preview: false, invokes: { "azure-native:compute:getVirtualMachine": (i) => ({ id: vmId(i.vmName), name: i.vmName, location: "westeurope" }) } });
        const monitor = pulumi.runtime.getMonitor() as any;
        const recorded: Record<string, unknown>[] = [];
        const original = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req: any, callback: unknown) => {
            if (req.getUrn().includes(`${COMPONENT}::`)) recorded.push(req.getOutputs().toJavaScript());
            return original(req, callback);
        };
        const policy = VmBackupPolicy.default("daily", new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" }));
        const items = [new ProtectedVm("kept", { policy, vm: vmId("vm-a") }), new ProtectedVm("dropped", { policy, vm: vmId("vm-b"), onDelete: "delete" })];
        await Promise.all(items.map((i) => registered(i.protectedItem)));
        await settle();
        expect(recorded.map((o) => o.onDelete)).toEqual(["retain", "delete"]);
    });

    test("offline there is no stack state: the offline preview answers with an empty stack", () => {
        expect(answerInvoke(EMPTY_INVENTORY, READ_STACK, { stackName: "organization/app/dev" })).toEqual({ name: "organization/app/dev", outputs: {} });
    });
});

describe("sameVault", () => {
    test("one vault in any casing; a vault of the same name in another group is another vault", () => {
        const prod = { resourceGroupName: "rg-backup", vaultName: "rsv-prod" };
        expect(sameVault(prod, { resourceGroupName: "RG-Backup", vaultName: "RSV-PROD" })).toBe(true);
        expect(sameVault(prod, { resourceGroupName: "rg-backup-2", vaultName: "rsv-prod" })).toBe(false);
        expect(sameVault(prod, { resourceGroupName: "rg-backup", vaultName: "rsv-prod-2" })).toBe(false);
    });
});
