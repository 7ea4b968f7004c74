// The public API of pulumi-azure-vm-backup, by name.
export { BackupVault, StorageRedundancy } from "./backup-vault";
export type { BackupVaultArgs, BackupVaultReference, ExistingVaultFacts } from "./backup-vault";
export { VmBackupPolicy } from "./vm-backup-policy";
export type {
    VmBackupPolicyArgs,
    VmBackupPolicyReference,
    ExistingPolicyFacts,
    PolicyType,
    DayOfWeek,
    WeekOfMonth,
    Month,
    BackupSchedule,
    DailyBackupSchedule,
    WeeklyBackupSchedule,
    HourlyBackupSchedule,
    RetentionArgs,
    WeeklyRetentionArgs,
    MonthlyRetentionArgs,
    YearlyRetentionArgs,
    DaysOfMonthArgs,
} from "./vm-backup-policy";
export { ProtectedVm } from "./protected-vm";
export type { ProtectedVmArgs, VirtualMachineInput } from "./protected-vm";
