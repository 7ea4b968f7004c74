// Renders checked policy settings into the `properties` of an azure-native ProtectionPolicy
// (AzureIaaSVMProtectionPolicy, rules section 2.1 and the payloads of section 7). Pure.
//
// Only fields this library decides are sent: no tieringPolicy, no snapshotConsistencyType and
// no scheduleWeeklyFrequency, so that Azure's own defaults apply to those.
import type * as inputs from "@pulumi/azure-native/types/input";
import type { MonthDaysSettings, PolicySettings, ScheduleSettings } from "./policy-schema";

type PolicyProperties = inputs.recoveryservices.AzureIaaSVMProtectionPolicyArgs;

/**
 * The date every run time is written on. Azure Backup reads only the time of day from these
 * ISO date-times; a fixed date keeps the rendered policy, and so the diff, stable.
 */
export const RUN_TIME_DATE = "2024-01-01";

/** "02:30" → "2024-01-01T02:30:00Z". */
export function runTime(time: string): string {
    return `${RUN_TIME_DATE}T${time}:00Z`;
}

/** The time of day every retention block repeats: the run time, or the start of the hourly window. */
function scheduleTime(s: ScheduleSettings): string {
    return runTime(s.frequency === "Hourly" ? s.windowStartTime : s.time);
}

export function renderPolicyProperties(p: PolicySettings): PolicyProperties {
    return {
        backupManagementType: "AzureIaasVM",
        policyType: p.policyType === "Enhanced" ? "V2" : "V1",
        timeZone: p.timeZone,
        instantRpRetentionRangeInDays: p.instantRestoreDays,
        schedulePolicy: p.policyType === "Enhanced" ? enhancedSchedule(p.schedule) : standardSchedule(p.schedule),
        retentionPolicy: retentionPolicy(p),
        ...(p.instantRestoreResourceGroup
            ? {
                  instantRPDetails: {
                      azureBackupRGNamePrefix: p.instantRestoreResourceGroup.prefix,
                      ...(p.instantRestoreResourceGroup.suffix !== undefined ? { azureBackupRGNameSuffix: p.instantRestoreResourceGroup.suffix } : {}),
                  },
              }
            : {}),
    };
}

/** SimpleSchedulePolicy (V1): daily or weekly, one run time. */
function standardSchedule(s: ScheduleSettings): inputs.recoveryservices.SimpleSchedulePolicyArgs {
    if (s.frequency === "Hourly") throw new Error("a Standard policy has no hourly schedule");
    return {
        schedulePolicyType: "SimpleSchedulePolicy",
        scheduleRunFrequency: s.frequency,
        scheduleRunTimes: [runTime(s.time)],
        ...(s.frequency === "Weekly" ? { scheduleRunDays: [...s.days] } : {}),
    };
}

/** SimpleSchedulePolicyV2 (V2): one of hourlySchedule, dailySchedule, weeklySchedule. */
function enhancedSchedule(s: ScheduleSettings): inputs.recoveryservices.SimpleSchedulePolicyV2Args {
    switch (s.frequency) {
        case "Hourly":
            return {
                schedulePolicyType: "SimpleSchedulePolicyV2",
                scheduleRunFrequency: "Hourly",
                hourlySchedule: {
                    interval: s.intervalHours,
                    scheduleWindowStartTime: runTime(s.windowStartTime),
                    scheduleWindowDuration: s.windowHours,
                },
            };
        case "Daily":
            return {
                schedulePolicyType: "SimpleSchedulePolicyV2",
                scheduleRunFrequency: "Daily",
                dailySchedule: { scheduleRunTimes: [runTime(s.time)] },
            };
        case "Weekly":
            return {
                schedulePolicyType: "SimpleSchedulePolicyV2",
                scheduleRunFrequency: "Weekly",
                weeklySchedule: { scheduleRunDays: [...s.days], scheduleRunTimes: [runTime(s.time)] },
            };
    }
}

function retentionPolicy(p: PolicySettings): inputs.recoveryservices.LongTermRetentionPolicyArgs {
    const times = [scheduleTime(p.schedule)];
    const r = p.retention;
    return {
        retentionPolicyType: "LongTermRetentionPolicy",
        ...(r.dailyDays !== undefined
            ? { dailySchedule: { retentionTimes: times, retentionDuration: { count: r.dailyDays, durationType: "Days" } } }
            : {}),
        ...(r.weekly
            ? {
                  weeklySchedule: {
                      daysOfTheWeek: [...r.weekly.days],
                      retentionTimes: times,
                      retentionDuration: { count: r.weekly.weeks, durationType: "Weeks" },
                  },
              }
            : {}),
        ...(r.monthly
            ? {
                  monthlySchedule: {
                      ...monthDays(r.monthly.on),
                      retentionTimes: times,
                      retentionDuration: { count: r.monthly.months, durationType: "Months" },
                  },
              }
            : {}),
        ...(r.yearly
            ? {
                  yearlySchedule: {
                      monthsOfYear: [...r.yearly.months],
                      ...monthDays(r.yearly.on),
                      retentionTimes: times,
                      retentionDuration: { count: r.yearly.years, durationType: "Years" },
                  },
              }
            : {}),
    };
}

/** The day-of-month ("Daily") or week-of-month ("Weekly") format; never both. */
function monthDays(on: MonthDaysSettings) {
    if (on.format === "Daily") {
        return {
            retentionScheduleFormatType: "Daily",
            retentionScheduleDaily: {
                daysOfTheMonth: on.daysOfMonth.map((d) => (d === "Last" ? { date: 0, isLast: true } : { date: d, isLast: false })),
            },
        };
    }
    return {
        retentionScheduleFormatType: "Weekly",
        retentionScheduleWeekly: { daysOfTheWeek: [...on.daysOfWeek], weeksOfTheMonth: [...on.weeksOfMonth] },
    };
}
