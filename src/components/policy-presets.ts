// Ready-made VM backup policies: `VmBackupPolicy.default(...)` and its siblings in TypeScript,
// the `preset` argument in every language.
import type { VmBackupPolicyArgs } from "../vm-backup-policy";

/** A ready-made policy. */
export const PolicyPreset = {
    /** Standard, daily at 02:00 UTC, 30 daily recovery points, 2 days of instant restore. */
    Default: "Default",
    /** Enhanced, every 4 hours from 08:00 UTC, 180 days, 12 weeks, 60 months and 10 years of recovery points. */
    EnhancedEvery4Hours10YearRetention: "EnhancedEvery4Hours10YearRetention",
    /** Standard, daily at 02:00 UTC, 30 days, 12 weeks, 12 months and 7 years of recovery points. */
    DailyWeeklyMonthlyYearly7YearRetention: "DailyWeeklyMonthlyYearly7YearRetention",
} as const;
export type PolicyPreset = (typeof PolicyPreset)[keyof typeof PolicyPreset];

type PresetSettings = Required<Pick<VmBackupPolicyArgs, "schedule" | "instantRestoreDays" | "retention">> & Pick<VmBackupPolicyArgs, "policyType">;

export const POLICY_PRESETS: Record<PolicyPreset, PresetSettings> = {
    Default: { schedule: { frequency: "Daily", time: "02:00" }, instantRestoreDays: 2, retention: { dailyDays: 30 } },
    EnhancedEvery4Hours10YearRetention: {
        policyType: "Enhanced",
        schedule: { frequency: "Hourly", intervalHours: 4, windowStartTime: "08:00", windowHours: 24 },
        instantRestoreDays: 7,
        retention: {
            dailyDays: 180,
            weekly: { weeks: 12, days: ["Sunday"] },
            monthly: { months: 60, weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
            yearly: { years: 10, months: ["January"], weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
        },
    },
    DailyWeeklyMonthlyYearly7YearRetention: {
        schedule: { frequency: "Daily", time: "02:00" },
        instantRestoreDays: 2,
        retention: {
            dailyDays: 30,
            weekly: { weeks: 12, days: ["Sunday"] },
            monthly: { months: 12, weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
            yearly: { years: 7, months: ["January"], weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
        },
    },
};
