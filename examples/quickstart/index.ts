// Quickstart: a resource group, two Linux VMs, a Recovery Services vault, the default backup
// policy (daily, 30 recovery points, 2 days of instant restore) and both VMs protected by it.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";

const config = new pulumi.Config();
// Plain, not an Output: the vault's region decides at preview which VMs it may protect.
const location = config.get("location") ?? "westeurope";
// Set your own: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithYourOwnPublicKey quickstart";

const group = new resources.ResourceGroup("backup-quickstart", { resourceGroupName: "rg-backup-quickstart", location });

const vnet = new network.VirtualNetwork("vnet", {
    resourceGroupName: group.name,
    location,
    addressSpace: { addressPrefixes: ["10.20.0.0/16"] },
    subnets: [{ name: "vms", addressPrefix: "10.20.1.0/24" }],
});

function linuxVm(name: string): compute.VirtualMachine {
    const nic = new network.NetworkInterface(`${name}-nic`, {
        resourceGroupName: group.name,
        location,
        ipConfigurations: [{ name: "ipconfig", subnet: { id: vnet.subnets.apply((s) => s![0].id!) }, privateIPAllocationMethod: "Dynamic" }],
    });
    return new compute.VirtualMachine(name, {
        resourceGroupName: group.name,
        vmName: name,
        location,
        // Azure Backup needs at least 2 cores and 1 GB of memory.
        hardwareProfile: { vmSize: "Standard_B2s" },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        osProfile: {
            computerName: name,
            adminUsername: "azureuser",
            linuxConfiguration: {
                disablePasswordAuthentication: true,
                ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
            },
        },
        storageProfile: {
            // A generation 1 image: a standard-security VM, which the default (Standard) policy
            // protects. Trusted Launch VMs need an Enhanced policy (see examples/enhanced-hourly).
            imageReference: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
            osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "StandardSSD_LRS" } },
        },
    });
}

const vms = { web: linuxVm("vm-web"), db: linuxVm("vm-db") };

const vault = new BackupVault("vault", { resourceGroupName: group.name, location, vaultName: "rsv-backup-quickstart" });
const policy = VmBackupPolicy.default("daily", vault);
const protectedVms = Object.entries(vms).map(([name, vm]) => new ProtectedVm(name, { policy, vm }));

export const vaultId = vault.id;
export const vmIds = protectedVms.map((p) => p.vmId);
