// A fleet protected by tag: every VM tagged `backup: gold` or `backup: platinum` whose name is an
// app or database server is protected, in the vault of its region. No VM is listed here: the
// selection finds them at preview (in Azure, or in inventory.json offline), gives each its own
// ProtectedVm, and says of each VM it leaves out why.
import { BackupVault, VmBackupPolicy, VmBackupSelection } from "pulumi-azure-vm-backup";

const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";

// A vault protects only VMs of its own region: one vault and one policy per region.
function dailyPolicy(region: string, code: string): VmBackupPolicy {
    const vault = new BackupVault(`fleet-${code}`, { resourceGroupName: `rg-backup-${code}`, location: region, vaultName: `rsv-fleet-${code}` });
    // Standard, daily at 02:00 UTC, 30 daily recovery points, 2 days of instant restore.
    return new VmBackupPolicy(`fleet-daily-${code}`, {
        vault,
        policyName: `fleet-daily-${code}`,
        schedule: { frequency: "Daily", time: "02:00" },
        instantRestoreDays: 2,
        retention: { dailyDays: 30 },
    });
}

const fleet = new VmBackupSelection("fleet", {
    // A VM in another region (uksouth, say) is skipped with a warning, not an error.
    policies: { westeurope: dailyPolicy("westeurope", "weu"), northeurope: dailyPolicy("northeurope", "neu") },
    select: {
        tags: { backup: ["gold", "platinum"] },
        names: ["app-*", "db-??"],
    },
    exclude: {
        // Rebuilt every night from an image: nothing on it to back up.
        vmIds: [`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-shop-weu/providers/Microsoft.Compute/virtualMachines/app-weu-07`],
        // Teams opt a VM out with a tag, without a change to this program.
        tags: { "backup-exempt": "true" },
    },
});

export const protectedVmIds = fleet.protectedVmIds;
export const skippedVms = fleet.skippedVms;
// The policies in use: fleet-daily-weu-2 is a copy made when fleet-daily-weu would pass 100 VMs.
export const policyIds = fleet.policyIds;
