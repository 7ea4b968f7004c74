// The TypeScript face of VmBackupPolicy: the vault as a component reference, schedules as a
// union, presets as static methods. The component itself, which every language shares, is in
// components/vm-backup-policy.
import * as pulumi from "@pulumi/pulumi";
import type { BackupVaultReference, ExistingVaultFacts } from "./components/backup-vault";
import { fromTypeScript } from "./components/arguments";
import * as component from "./components/vm-backup-policy";
import { POLICY_PRESETS } from "./components/policy-presets";
import type { DAYS_OF_WEEK, MONTHS, POLICY_TYPES, WEEKS_OF_MONTH } from "./rules/policy-schema";

/**
 * Standard policies (Azure's V1) back up once a day or once a week and keep snapshots for 1-5
 * days. Enhanced policies (V2) can also back up every few hours and keep snapshots for up to
 * 30 days; Ultra disks, Premium SSD v2 and Trusted Launch VMs need them. A policy cannot change
 * type once created.
 */
export type PolicyType = (typeof POLICY_TYPES)[number];
/** A day of the week, "Sunday" to "Saturday". */
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];
/** A week of the month: "First" to "Fourth", or "Last". */
export type WeekOfMonth = (typeof WEEKS_OF_MONTH)[number];
/** A month of the year, "January" to "December". */
export type Month = (typeof MONTHS)[number];

/** One backup a day. */
export interface DailyBackupSchedule {
    readonly frequency: "Daily";
    /** Time of day the backup starts, "HH:MM" on the hour or half hour, in the policy's time zone. */
    readonly time: string;
}

/** One backup on each of the given days of the week. */
export interface WeeklyBackupSchedule {
    readonly frequency: "Weekly";
    /** Days the backup runs on, at least one, none twice. */
    readonly days: readonly DayOfWeek[];
    /** Time of day the backup starts, "HH:MM" on the hour or half hour, in the policy's time zone. */
    readonly time: string;
}

/** Several backups a day within a daily window. Enhanced policies only. */
export interface HourlyBackupSchedule {
    readonly frequency: "Hourly";
    /** Hours between two backups. */
    readonly intervalHours: 4 | 6 | 8 | 12;
    /** Start of the daily window, "HH:MM" on the hour or half hour, in the policy's time zone. */
    readonly windowStartTime: string;
    /** Length of the daily window in hours, 4-24, a whole multiple of `intervalHours`. */
    readonly windowHours: number;
}

/** When backups run. */
export type BackupSchedule = DailyBackupSchedule | WeeklyBackupSchedule | HourlyBackupSchedule;

/** Weekly recovery points. */
export interface WeeklyRetentionArgs {
    /** How many weeks each weekly recovery point is kept, 1-5163. */
    readonly weeks: number;
    /**
     * Days whose backup is kept as the weekly recovery point. With a weekly schedule they must be
     * the schedule's days; with a daily or hourly schedule they must be given.
     *
     * @default - the schedule's days (weekly schedule only)
     */
    readonly days?: readonly DayOfWeek[];
}

/**
 * Which day of the month a monthly or yearly recovery point comes from: either `daysOfMonth`,
 * or `weeksOfMonth` with `daysOfWeek`. A weekly schedule allows only the latter.
 */
export interface DaysOfMonthArgs {
    /**
     * Days of the month, 1-28 or "Last", none twice. Not with a weekly schedule.
     *
     * @default - chosen by `weeksOfMonth` and `daysOfWeek` instead
     */
    readonly daysOfMonth?: readonly (number | "Last")[];
    /**
     * Weeks of the month, with `daysOfWeek`, none twice.
     *
     * @default - chosen by `daysOfMonth` instead
     */
    readonly weeksOfMonth?: readonly WeekOfMonth[];
    /**
     * Days of the week, with `weeksOfMonth`, none twice; with a weekly schedule, among its days.
     *
     * @default - chosen by `daysOfMonth` instead
     */
    readonly daysOfWeek?: readonly DayOfWeek[];
}

/** Monthly recovery points. */
export interface MonthlyRetentionArgs extends DaysOfMonthArgs {
    /** How many months each monthly recovery point is kept, 1-1188. */
    readonly months: number;
}

/** Yearly recovery points. */
export interface YearlyRetentionArgs extends DaysOfMonthArgs {
    /** How many years each yearly recovery point is kept, 1-99. */
    readonly years: number;
    /** Months of the year the recovery point is taken in. */
    readonly months: readonly Month[];
}

/**
 * How long recovery points are kept in the vault. A daily or hourly schedule needs
 * `dailyDays`; a weekly schedule needs `weekly` and allows no `dailyDays`.
 */
export interface RetentionArgs {
    /**
     * Days each daily recovery point is kept, 7-9999.
     *
     * @default - no daily recovery points (weekly schedule)
     */
    readonly dailyDays?: number;
    /**
     * Weekly recovery points. Required with a weekly schedule.
     *
     * @default - no weekly recovery points
     */
    readonly weekly?: WeeklyRetentionArgs;
    /**
     * Monthly recovery points.
     *
     * @default - no monthly recovery points
     */
    readonly monthly?: MonthlyRetentionArgs;
    /**
     * Yearly recovery points.
     *
     * @default - no yearly recovery points
     */
    readonly yearly?: YearlyRetentionArgs;
}

/** Arguments for a {@link VmBackupPolicy}. */
export interface VmBackupPolicyArgs {
    /** The vault that holds the policy: a {@link BackupVault} or {@link BackupVault.fromId}. */
    readonly vault: BackupVaultReference;
    /**
     * Name of the policy in the vault: 3-150 letters, digits and hyphens, starting with a letter and
     * not ending with a hyphen.
     * "DefaultPolicy", "EnhancedPolicy" and "HourlyLogBackup" already exist in every vault; use
     * {@link VmBackupPolicy.fromId} for those.
     *
     * @default - the component name made valid for Azure
     */
    readonly policyName?: string;
    /**
     * Standard (V1) or Enhanced (V2). Hourly schedules need "Enhanced".
     *
     * @default "Standard"
     */
    readonly policyType?: PolicyType;
    /** When backups run. */
    readonly schedule: BackupSchedule;
    /**
     * Windows time zone id the schedule's times are in, e.g. "W. Europe Standard Time". Azure
     * Backup does not follow daylight saving time changes.
     *
     * @default "UTC"
     */
    readonly timeZone?: string;
    /**
     * Days snapshots are kept for instant restore: 1-5 for Standard (exactly 5 with a weekly
     * schedule), 1-30 for Enhanced, never longer than the vault retention.
     *
     * @default - 2 for Standard (5 with a weekly schedule), 7 for Enhanced
     */
    readonly instantRestoreDays?: number;
    /** How long recovery points are kept in the vault. */
    readonly retention: RetentionArgs;
    /**
     * Name of the resource groups that hold instant-restore snapshots: `<prefix><n><suffix>`,
     * where Azure counts `n` up from 1. At most 74 characters in all.
     *
     * @default - Azure's "AzureBackupRG_<region>_<n>"
     */
    readonly instantRestoreResourceGroup?: { readonly prefix: string; readonly suffix?: string };
}

/**
 * A VM backup policy that protected VMs can use: a {@link VmBackupPolicy}, or an existing policy
 * from {@link VmBackupPolicy.fromId}.
 */
export interface VmBackupPolicyReference {
    /** Resource ID of the policy. */
    readonly id: pulumi.Output<string>;
    /** The vault that holds the policy. */
    readonly vault: BackupVaultReference;
    /** Standard or Enhanced. */
    readonly policyType: pulumi.Input<PolicyType>;
}

/** What is known of an existing policy given to {@link VmBackupPolicy.fromId}. */
export interface ExistingPolicyFacts {
    /**
     * Standard or Enhanced.
     *
     * @default - looked up at preview (azure-native `recoveryservices.getProtectionPolicy`)
     */
    readonly policyType?: PolicyType;
    /**
     * What is known of the vault that holds it.
     *
     * @default - looked up at preview when needed
     */
    readonly vault?: ExistingVaultFacts;
}

/**
 * An Azure VM backup policy in a Recovery Services vault, checked at construction against
 * Azure Backup's rules for schedules, retention, instant restore and names.
 */
export class VmBackupPolicy extends component.VmBackupPolicy implements VmBackupPolicyReference {
    /**
     * Standard, daily at 02:00 UTC, 30 daily recovery points, 2 days of instant restore.
     */
    public static default(name: string, vault: BackupVaultReference, opts?: pulumi.ComponentResourceOptions): VmBackupPolicy {
        return new VmBackupPolicy(name, { vault, ...POLICY_PRESETS.Default }, opts);
    }

    /**
     * Enhanced, every 4 hours from 08:00 UTC, 180 days, 12 weeks, 60 months and 10 years of recovery points.
     */
    public static enhancedEvery4Hours10YearRetention(name: string, vault: BackupVaultReference, opts?: pulumi.ComponentResourceOptions): VmBackupPolicy {
        return new VmBackupPolicy(name, { vault, ...POLICY_PRESETS.EnhancedEvery4Hours10YearRetention }, opts);
    }

    /**
     * Standard, daily at 02:00 UTC, 30 days, 12 weeks, 12 months and 7 years of recovery points.
     */
    public static dailyWeeklyMonthlyYearly7YearRetention(name: string, vault: BackupVaultReference, opts?: pulumi.ComponentResourceOptions): VmBackupPolicy {
        return new VmBackupPolicy(name, { vault, ...POLICY_PRESETS.DailyWeeklyMonthlyYearly7YearRetention }, opts);
    }

    /**
     * An existing policy, by resource ID. Its type is looked up at preview (azure-native
     * `recoveryservices.getProtectionPolicy`) unless given in `facts`; the look-up also checks
     * that the policy exists and is an Azure VM policy.
     *
     * @param name A name for the policy in messages.
     * @param policyId Resource ID of the policy.
     * @param facts What is already known of the policy and its vault.
     * @param opts Options for the look-ups (for instance the provider).
     */
    public static fromId(name: string, policyId: string, facts: ExistingPolicyFacts = {}, opts: pulumi.InvokeOptions = {}): VmBackupPolicyReference {
        return component.policyReferenceFromId("VmBackupPolicy", name, policyId, facts, opts, "policyId", { component: "BackupVault", path: "vaultId" });
    }

    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: VmBackupPolicyArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(name, fromTypeScript<component.VmBackupPolicyComponentArgs>(args), opts);
    }
}
