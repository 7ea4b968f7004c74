// VMs declared with the classic @pulumi/azure provider (azurerm underneath) are protected the same
// way as azure-native ones: pass the LinuxVirtualMachine or WindowsVirtualMachine to ProtectedVm.
// The backup resources themselves are azure-native; both providers live happily in one program.
import * as pulumi from "@pulumi/pulumi";
import * as azure from "@pulumi/azure";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";

const config = new pulumi.Config();
// Plain, not an Output: the vault's region decides at preview which VMs it may protect.
const location = config.get("location") ?? "westeurope";
// Set your own: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithYourOwnPublicKey classic-provider";

// Set it before deploying: pulumi config set --secret windowsAdminPassword '<12+ characters, 3 of: upper, lower, digit, symbol>'
// A preview creates nothing, so it runs with a placeholder; `pulumi up` stops here without the real one.
function windowsAdminPassword(): pulumi.Output<string> {
    const given = config.getSecret("windowsAdminPassword");
    if (given) return given;
    if (pulumi.runtime.isDryRun()) return pulumi.secret("<set windowsAdminPassword before pulumi up>");
    return config.requireSecret("windowsAdminPassword");
}

const group = new azure.core.ResourceGroup("legacy-apps", { name: "rg-legacy-apps", location });

const vnet = new azure.network.VirtualNetwork("vnet", {
    name: "vnet-legacy-apps",
    resourceGroupName: group.name,
    location,
    addressSpaces: ["10.50.0.0/16"],
});
const subnet = new azure.network.Subnet("servers", {
    name: "snet-servers",
    resourceGroupName: group.name,
    virtualNetworkName: vnet.name,
    addressPrefixes: ["10.50.1.0/24"],
});

function nic(vmName: string): azure.network.NetworkInterface {
    return new azure.network.NetworkInterface(`${vmName}-nic`, {
        name: `${vmName}-nic`,
        resourceGroupName: group.name,
        location,
        ipConfigurations: [{ name: "internal", subnetId: subnet.id, privateIpAddressAllocation: "Dynamic" }],
    });
}

// A generation 1 Ubuntu image: a standard-security VM, which a Standard policy protects.
const linuxVm = new azure.compute.LinuxVirtualMachine("vm-legacy-lnx-01", {
    name: "vm-legacy-lnx-01",
    resourceGroupName: group.name,
    location,
    size: "Standard_B2s",
    networkInterfaceIds: [nic("vm-legacy-lnx-01").id],
    adminUsername: "azureuser",
    adminSshKeys: [{ username: "azureuser", publicKey: sshPublicKey }],
    osDisk: { caching: "ReadWrite", storageAccountType: "StandardSSD_LRS" },
    sourceImageReference: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
});

// A generation 2 Windows Server image with secure boot and vTPM: a Trusted Launch VM. The classic
// provider has no "security type" argument; these two flags are how it asks for Trusted Launch,
// and how ProtectedVm recognises one (which then needs an Enhanced policy).
const windowsVm = new azure.compute.WindowsVirtualMachine("vm-legacy-win-01", {
    name: "vm-legacy-win-01",
    // Windows computer names are at most 15 characters.
    computerName: "legacywin01",
    resourceGroupName: group.name,
    location,
    size: "Standard_D2s_v5",
    networkInterfaceIds: [nic("vm-legacy-win-01").id],
    adminUsername: "winadmin",
    adminPassword: windowsAdminPassword(),
    osDisk: { caching: "ReadWrite", storageAccountType: "Premium_LRS" },
    sourceImageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" },
    secureBootEnabled: true,
    vtpmEnabled: true,
    // Azure Backup relies on the VM agent; the preview warns about a Windows VM created without it.
    provisionVmAgent: true,
});

// The vault takes the classic resource group's name as an Input, like any other group name.
const vault = new BackupVault("vault", { resourceGroupName: group.name, location, vaultName: "rsv-legacy-apps" });

const standard = VmBackupPolicy.default("daily", vault);
const enhanced = new VmBackupPolicy("daily-enhanced", {
    vault,
    policyType: "Enhanced",
    schedule: { frequency: "Daily", time: "01:00" },
    retention: { dailyDays: 30, weekly: { weeks: 8, days: ["Saturday"] } },
});

const protectedVms = [
    new ProtectedVm("linux", { policy: standard, vm: linuxVm }),
    new ProtectedVm("windows", { policy: enhanced, vm: windowsVm }),
];

export const vaultId = vault.id;
export const vmIds = protectedVms.map((p) => p.vmId);
