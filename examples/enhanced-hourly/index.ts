// Enhanced hourly backup for Trusted Launch VMs: two Gen2 Linux VMs with secure boot and vTPM,
// a vault, and an Enhanced policy that takes a recovery point every 4 hours during the working
// day and keeps its instant-restore snapshots in resource groups named by this program.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";

const config = new pulumi.Config();
// Plain, not an Output: the vault's region decides at preview which VMs it may protect.
const location = config.get("location") ?? "westeurope";
// Set your own: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithYourOwnPublicKey enhanced-hourly";

const group = new resources.ResourceGroup("orders", { resourceGroupName: "rg-orders-prod", location });

const vnet = new network.VirtualNetwork("vnet", {
    resourceGroupName: group.name,
    location,
    addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
    subnets: [{ name: "app", addressPrefix: "10.30.1.0/24" }],
});

function trustedLaunchVm(name: string): compute.VirtualMachine {
    const nic = new network.NetworkInterface(`${name}-nic`, {
        resourceGroupName: group.name,
        location,
        ipConfigurations: [{ name: "ipconfig", subnet: { id: vnet.subnets.apply((s) => s![0].id!) }, privateIPAllocationMethod: "Dynamic" }],
    });
    return new compute.VirtualMachine(name, {
        resourceGroupName: group.name,
        vmName: name,
        location,
        // A v5 size: it runs generation 2 images and Trusted Launch.
        hardwareProfile: { vmSize: "Standard_D2s_v5" },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        osProfile: {
            computerName: name,
            adminUsername: "azureuser",
            linuxConfiguration: {
                disablePasswordAuthentication: true,
                ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
            },
        },
        // Trusted Launch needs a generation 2 image (the "-gen2" SKU below). Azure Backup protects
        // Trusted Launch VMs only under an Enhanced policy: with a Standard one the preview fails.
        securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
        storageProfile: {
            imageReference: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", version: "latest" },
            osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "Premium_LRS" } },
        },
    });
}

const vms = { api: trustedLaunchVm("vm-orders-api"), worker: trustedLaunchVm("vm-orders-worker") };

const vault = new BackupVault("vault", { resourceGroupName: group.name, location, vaultName: "rsv-orders-prod" });

const policy = new VmBackupPolicy("every-4h", {
    vault,
    policyName: "orders-every-4h",
    // Hourly schedules exist only in Enhanced (V2) policies.
    policyType: "Enhanced",
    // 06:00, 10:00, 14:00 and 18:00 UTC: four recovery points over a 16-hour window.
    schedule: { frequency: "Hourly", intervalHours: 4, windowStartTime: "06:00", windowHours: 16 },
    // UTC does not observe daylight saving time, so the times above hold all year.
    timeZone: "UTC",
    // Enhanced policies keep snapshots 1-30 days; a week covers most "undo last Tuesday" restores.
    instantRestoreDays: 7,
    retention: {
        dailyDays: 30,
        weekly: { weeks: 12, days: ["Sunday"] },
        monthly: { months: 12, weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
    },
    // Azure names the snapshot resource groups <prefix><n><suffix>: rg-orders-restorepoints-1-weu, ...
    // instead of AzureBackupRG_westeurope_1, so they are easy to find and to exclude from policies.
    instantRestoreResourceGroup: { prefix: "rg-orders-restorepoints-", suffix: "-weu" },
});

const protectedVms = Object.entries(vms).map(([name, vm]) => new ProtectedVm(name, { policy, vm }));

export const vaultId = vault.id;
export const policyId = policy.id;
export const vmIds = protectedVms.map((p) => p.vmId);
