// The public API of pulumi-azure-vm-backup, by name.
export { BackupVault, StorageRedundancy } from "./components/backup-vault";
export type { BackupVaultArgs, BackupVaultReference, ExistingVaultFacts } from "./components/backup-vault";
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
export { VmBackupSelection } from "./vm-backup-selection";
export type { VmBackupSelectionArgs, VmSelection, VmExclusion, TagSelection } from "./vm-backup-selection";
export { SkipReason } from "./components/vm-backup-selection";
export type { SkippedVm } from "./components/vm-backup-selection";
export { backupNow, BackupOutcomeUnknown } from "./on-demand/backup-now";
export { resolveRetainUntil } from "./on-demand/retain-until";
export type { BackupNowOptions } from "./on-demand/backup-now";
export type { TriggerOptions } from "./on-demand/send-once";
export { getBackupJob, getRestoredDisks, listBackupJobs, waitForBackupJob, JobWaitTimeout, JobUnreadable, JobWaitInterrupted } from "./on-demand/backup-jobs";
export type { BackupJob, JobPhase, JobFilter, JobRequestOptions, WaitOptions } from "./on-demand/backup-jobs";
export type { RestoredDisk } from "./on-demand/restore-config";
export { listRecoveryPoints } from "./on-demand/recovery-points";
export type { RecoveryPoint, RecoveryPointTier, RecoveryPointOptions } from "./on-demand/recovery-points";
export { restoreVm, RestoreOutcomeUnknown, RestoreRefused } from "./on-demand/restore";
export type { RestoreOptions, RestoreStarted, RestoreMode } from "./on-demand/restore";
export { jobStatusFromPhases } from "./on-demand/job-status";
export type { JobStatus, PhaseStatus } from "./on-demand/job-status";
export type { BackupClientOptions } from "./on-demand/backup-client";
export { BackupOperationError, InvalidArgumentError } from "./on-demand/backup-operation-error";
export type { BackupErrorCode } from "./on-demand/backup-operation-error";
export { exportInventory } from "./offline/inventory-export";
export type { InventoryExportOptions } from "./offline/inventory-export";
