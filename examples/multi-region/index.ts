// Multi-region backup: a vault protects only VMs of its own region, so an estate that spans two
// regions needs a vault (and a policy) in each. Every VM is routed to the policy of its region by
// `protect` below, from the same plain region string the VM is declared with.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";

const config = new pulumi.Config();
// Set your own: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithYourOwnPublicKey multi-region";

// The regions this estate runs in, with a short code for names. West Europe and North Europe
// are each other's Azure region pair, which is where cross-region restore sends data.
const regions = {
    westeurope: { code: "weu", addressSpace: "10.40.0.0/16" },
    northeurope: { code: "neu", addressSpace: "10.41.0.0/16" },
} as const;
type Region = keyof typeof regions;

interface RegionalSite {
    group: resources.ResourceGroup;
    subnetId: pulumi.Output<string>;
    vault: BackupVault;
    policy: VmBackupPolicy;
}

function site(region: Region): RegionalSite {
    const { code, addressSpace } = regions[region];
    const group = new resources.ResourceGroup(`shop-${code}`, { resourceGroupName: `rg-shop-${code}`, location: region });
    const vnet = new network.VirtualNetwork(`vnet-${code}`, {
        resourceGroupName: group.name,
        location: region,
        addressSpace: { addressPrefixes: [addressSpace] },
        subnets: [{ name: "web", addressPrefix: addressSpace.replace(/\.0\.0\/16$/, ".1.0/24") }],
    });
    const vault = new BackupVault(`vault-${code}`, {
        resourceGroupName: group.name,
        location: region,
        vaultName: `rsv-shop-${code}`,
        // Cross-region restore lets us restore these VMs in the paired region if this one is
        // down. It needs GeoRedundant storage and cannot be turned off again: the preview warns.
        storageRedundancy: "GeoRedundant",
        crossRegionRestore: true,
    });
    // Daily at 02:00 UTC; 30 days, 12 weeks, 12 months and 7 years of recovery points.
    const policy = VmBackupPolicy.dailyWeeklyMonthlyYearly7YearRetention(`daily-7y-${code}`, vault);
    return { group, subnetId: vnet.subnets.apply((s) => s![0].id!), vault, policy };
}

const sites: Record<Region, RegionalSite> = { westeurope: site("westeurope"), northeurope: site("northeurope") };

/** The policy (and so the vault) for VMs in `region`; a region without a vault is a mistake in this program. */
function policyFor(region: string): VmBackupPolicy {
    const found = sites[region as Region];
    if (!found) throw new Error(`no backup vault for region ${JSON.stringify(region)}; add it to \`regions\``);
    return found.policy;
}

function webVm(name: string, region: Region): compute.VirtualMachine {
    const { group, subnetId } = sites[region];
    const nic = new network.NetworkInterface(`${name}-nic`, {
        resourceGroupName: group.name,
        location: region,
        ipConfigurations: [{ name: "ipconfig", subnet: { id: subnetId }, privateIPAllocationMethod: "Dynamic" }],
    });
    return new compute.VirtualMachine(name, {
        resourceGroupName: group.name,
        vmName: name,
        location: region,
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
            // Generation 1, standard security: the Standard policies above can protect it.
            imageReference: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
            osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "StandardSSD_LRS" } },
        },
    });
}

/** Protects a VM in the vault of the region it is declared in. */
function protect(name: string, vm: compute.VirtualMachine, region: Region): ProtectedVm {
    return new ProtectedVm(name, { policy: policyFor(region), vm });
}

const fleet: [string, Region][] = [
    ["vm-shop-weu-01", "westeurope"],
    ["vm-shop-weu-02", "westeurope"],
    ["vm-shop-neu-01", "northeurope"],
];
const protectedVms = fleet.map(([name, region]) => protect(name, webVm(name, region), region));

export const vaultIds = { westeurope: sites.westeurope.vault.id, northeurope: sites.northeurope.vault.id };
export const vmIds = protectedVms.map((p) => p.vmId);
// Which vault holds each VM's recovery points: what an on-demand backup of that VM needs.
export const protectedItems = protectedVms.map((p) => ({ vmId: p.vmId, vaultId: p.vaultId }));
