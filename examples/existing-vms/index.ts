// Protecting VMs that already exist: nothing here creates a VM or a vault. The VMs are given by
// resource ID and the vault by BackupVault.fromId, so the preview looks each of them up (in Azure,
// or in inventory.json offline) to learn its region and security type before Azure is asked
// to protect it.
import * as pulumi from "@pulumi/pulumi";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";

const config = new pulumi.Config();
const vaultId = config.require("vaultId");
const appVmIds = config.requireObject<string[]>("appVmIds");
const sqlVmId = config.require("sqlVmId");

// An existing vault is referenced, not declared: azure-native refuses to create a resource that
// already exists, and this stack must never delete a vault that holds other teams' backups.
// Its region and redundancy are looked up at preview.
const vault = BackupVault.fromId("erp", vaultId);

// The app servers are standard-security VMs: the default policy suits them
// (daily at 02:00 UTC, 30 daily recovery points, 2 days of instant restore).
const daily = VmBackupPolicy.default("erp-daily", vault);

// The database server is a Trusted Launch VM, which Azure Backup protects only under an Enhanced
// policy. Twice a day, so a bad batch run costs at most 12 hours of data.
const enhanced = new VmBackupPolicy("erp-sql-enhanced", {
    vault,
    policyType: "Enhanced",
    schedule: { frequency: "Hourly", intervalHours: 12, windowStartTime: "08:00", windowHours: 24 },
    instantRestoreDays: 7,
    retention: {
        dailyDays: 35,
        weekly: { weeks: 13, days: ["Sunday"] },
        monthly: { months: 12, daysOfMonth: ["Last"] },
    },
});

// A VM can be given as its ID string...
const apps = appVmIds.map((id, i) => new ProtectedVm(`app-${i + 1}`, { policy: daily, vm: id }));
// ...or as { id }, which also takes an Output (from a stack reference, say). Its data disks are
// backed up with it; `excludeDiskLuns` would leave some out.
const sql = new ProtectedVm("sql", { policy: enhanced, vm: { id: sqlVmId } });

export { vaultId };
export const vmIds = [...apps, sql].map((p) => p.vmId);
export const policyIds = { daily: daily.id, enhanced: enhanced.id };
