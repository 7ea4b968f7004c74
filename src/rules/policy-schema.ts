// The rules a VM backup policy must follow (azure-backup-rules.md sections 2.2-2.7), as a zod
// schema over the constructor arguments of VmBackupPolicy. Pure: no resources, no look-ups.
//
// Field rules live on the fields. Rules that tie fields together run in one refinement over
// the whole object that also runs when some field is already wrong (`when: () => true`), so
// that every problem comes back in one error; it therefore reads its input defensively and
// only judges fields that are themselves valid, which keeps it from repeating a field's own
// complaint in other words.
import { z } from "zod";
import { show } from "./errors";
import { POLICY_NAME, POLICY_NAME_RULE, reservedNameReason, reservedPolicyName } from "./names";
import { isWindowsTimeZone, windowsTimeZoneFor } from "./time-zones";
import { resourceType } from "../facts/pulumi-internals";

/**
 * Standard policies (Azure's V1) back up once a day or once a week and keep snapshots for 1-5
 * days. Enhanced policies (V2) can also back up every few hours and keep snapshots for up to
 * 30 days; Ultra disks, Premium SSD v2 and Trusted Launch VMs need them. A policy cannot change
 * type once created.
 */
export const PolicyType = { Standard: "Standard", Enhanced: "Enhanced" } as const;
export type PolicyType = (typeof PolicyType)[keyof typeof PolicyType];

/** A day of the week. */
export const DayOfWeek = {
    Sunday: "Sunday",
    Monday: "Monday",
    Tuesday: "Tuesday",
    Wednesday: "Wednesday",
    Thursday: "Thursday",
    Friday: "Friday",
    Saturday: "Saturday",
} as const;
export type DayOfWeek = (typeof DayOfWeek)[keyof typeof DayOfWeek];

/** A week of the month. */
export const WeekOfMonth = { First: "First", Second: "Second", Third: "Third", Fourth: "Fourth", Last: "Last" } as const;
export type WeekOfMonth = (typeof WeekOfMonth)[keyof typeof WeekOfMonth];

/** A month of the year. */
export const Month = {
    January: "January",
    February: "February",
    March: "March",
    April: "April",
    May: "May",
    June: "June",
    July: "July",
    August: "August",
    September: "September",
    October: "October",
    November: "November",
    December: "December",
} as const;
export type Month = (typeof Month)[keyof typeof Month];

/** The same values as lists, in their order, for the schema and the messages. */
export const POLICY_TYPES = Object.values(PolicyType) as [PolicyType, ...PolicyType[]];
export const DAYS_OF_WEEK = Object.values(DayOfWeek) as [DayOfWeek, ...DayOfWeek[]];
export const WEEKS_OF_MONTH = Object.values(WeekOfMonth) as [WeekOfMonth, ...WeekOfMonth[]];
export const MONTHS = Object.values(Month) as [Month, ...Month[]];
export const HOURLY_INTERVALS = [4, 6, 8, 12] as const;

type PolicyTypeName = (typeof POLICY_TYPES)[number];
type Day = (typeof DAYS_OF_WEEK)[number];
type Week = (typeof WEEKS_OF_MONTH)[number];
type MonthName = (typeof MONTHS)[number];
type Interval = (typeof HOURLY_INTERVALS)[number];

/** Azure Backup's numeric limits for a VM policy (PowerShell's PolicyConstants and the docs). */
export const POLICY_LIMITS = {
    dailyDays: { min: 7, max: 9999 },
    weeks: { min: 1, max: 5163 },
    months: { min: 1, max: 1188 },
    years: { min: 1, max: 99 },
    windowHours: { min: 4, max: 24 },
    instantRestore: {
        Standard: { min: 1, max: 5, default: 2 },
        /** A weekly Standard policy keeps its snapshots exactly this long: Azure fixes it. */
        StandardWeekly: 5,
        Enhanced: { min: 1, max: 30, default: 7 },
    },
    /** Longest instant-restore resource group name, and the digits Azure adds between prefix and suffix. */
    resourceGroupName: { max: 74, counterDigits: 3 },
    dayOfMonth: { min: 1, max: 28 },
} as const;

/** The policy as the renderer needs it: every default applied, every rule already checked. */
export interface PolicySettings {
    /** Passed through untouched; the schema only checks that it is a vault. */
    readonly vault: unknown;
    readonly policyName?: string;
    readonly policyType: PolicyTypeName;
    readonly schedule: ScheduleSettings;
    /** Windows time zone id. */
    readonly timeZone: string;
    readonly instantRestoreDays: number;
    readonly retention: RetentionSettings;
    readonly instantRestoreResourceGroup?: { readonly prefix: string; readonly suffix?: string };
}

export type ScheduleSettings =
    | { readonly frequency: "Daily"; readonly time: string }
    | { readonly frequency: "Weekly"; readonly days: readonly Day[]; readonly time: string }
    | { readonly frequency: "Hourly"; readonly intervalHours: Interval; readonly windowStartTime: string; readonly windowHours: number };

/** Which days of a month a monthly or yearly recovery point is kept from. */
export type MonthDaysSettings =
    | { readonly format: "Daily"; readonly daysOfMonth: readonly (number | "Last")[] }
    | { readonly format: "Weekly"; readonly weeksOfMonth: readonly Week[]; readonly daysOfWeek: readonly Day[] };

export interface RetentionSettings {
    readonly dailyDays?: number;
    readonly weekly?: { readonly weeks: number; readonly days: readonly Day[] };
    readonly monthly?: { readonly months: number; readonly on: MonthDaysSettings };
    readonly yearly?: { readonly years: number; readonly months: readonly MonthName[]; readonly on: MonthDaysSettings };
}

// ---------------------------------------------------------------------------------------------
// Field rules (z.custom aborts by default, which would silence the cross-field rules; every
// one here is told not to)

function issue(ctx: z.RefinementCtx<unknown>, message: string, path?: PropertyKey[]): void {
    ctx.addIssue({ code: "custom", message, ...(path ? { path } : {}) });
}

function wholeNumberBetween(min: number, max: number) {
    return z.number().superRefine((n, ctx) => {
        if (!Number.isInteger(n)) issue(ctx, `must be a whole number between ${min} and ${max}, got ${n}`);
        else if (n < min || n > max) issue(ctx, `must be between ${min} and ${max}, got ${n}`);
    });
}

/** A list with at least one item and no item twice. */
function uniqueList<T extends z.ZodType>(item: T, noun: string) {
    return z.array(item).superRefine((list, ctx) => {
        if (list.length === 0) issue(ctx, `must list at least one ${noun}, got []`);
        else if (new Set(list).size !== list.length) issue(ctx, `must not repeat a ${noun}, got ${show(list)}`);
    });
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):(00|30)$/;

/** "HH:MM" on :00 or :30, the only run times Azure Backup accepts. */
const timeOfDay = z.string().superRefine((t, ctx) => {
    if (!TIME_OF_DAY.test(t)) issue(ctx, `must be a time of day "HH:MM" on the hour or half hour, such as "02:00" or "22:30", got ${show(t)}`);
});

const day = z.enum(DAYS_OF_WEEK);

const dailySchedule = z.strictObject({ frequency: z.literal("Daily"), time: timeOfDay });
const weeklySchedule = z.strictObject({ frequency: z.literal("Weekly"), days: uniqueList(day, "day"), time: timeOfDay });
const hourlySchedule = z.strictObject({
    frequency: z.literal("Hourly"),
    intervalHours: z.custom<Interval>((n) => (HOURLY_INTERVALS as readonly unknown[]).includes(n), {
        error: (i) => `must be 4, 6, 8 or 12 hours, got ${show(i.input)}`,
        abort: false,
    }),
    windowStartTime: timeOfDay,
    windowHours: wholeNumberBetween(POLICY_LIMITS.windowHours.min, POLICY_LIMITS.windowHours.max),
});

const schedule = z.discriminatedUnion("frequency", [dailySchedule, weeklySchedule, hourlySchedule], {
    error: (i) => (i.code === "invalid_union" ? `must be one of "Daily", "Weekly", "Hourly"` : undefined),
});

const policyName = z.string().superRefine((n, ctx) => {
    if (!POLICY_NAME.test(n)) return issue(ctx, `${POLICY_NAME_RULE}, got ${show(n)}`);
    const reserved = reservedPolicyName(n);
    if (reserved) issue(ctx, reservedNameReason(reserved, n));
});

const timeZone = z.string().superRefine((tz, ctx) => {
    if (isWindowsTimeZone(tz)) return;
    const hint = windowsTimeZoneFor(tz);
    issue(ctx, `must be a Windows time zone id such as "UTC" or "W. Europe Standard Time", got ${show(tz)}${hint ? ` (did you mean "${hint}"?)` : ""}`);
});

const dayOfMonth = z.custom<number | "Last">(
    (v) => v === "Last" || (Number.isInteger(v) && (v as number) >= POLICY_LIMITS.dayOfMonth.min && (v as number) <= POLICY_LIMITS.dayOfMonth.max),
    { error: (i) => `must be a day between 1 and 28, or "Last", got ${show(i.input)}`, abort: false },
);

const monthDays = {
    daysOfMonth: uniqueList(dayOfMonth, "day").optional(),
    weeksOfMonth: uniqueList(z.enum(WEEKS_OF_MONTH), "week").optional(),
    daysOfWeek: uniqueList(day, "day").optional(),
};

const retention = z.strictObject({
    dailyDays: wholeNumberBetween(POLICY_LIMITS.dailyDays.min, POLICY_LIMITS.dailyDays.max).optional(),
    weekly: z
        .strictObject({
            weeks: wholeNumberBetween(POLICY_LIMITS.weeks.min, POLICY_LIMITS.weeks.max),
            days: uniqueList(day, "day").optional(),
        })
        .optional(),
    monthly: z.strictObject({ months: wholeNumberBetween(POLICY_LIMITS.months.min, POLICY_LIMITS.months.max), ...monthDays }).optional(),
    yearly: z
        .strictObject({
            years: wholeNumberBetween(POLICY_LIMITS.years.min, POLICY_LIMITS.years.max),
            months: uniqueList(z.enum(MONTHS), "month"),
            ...monthDays,
        })
        .optional(),
});

// Resource group naming rules: letters, digits, periods, underscores, hyphens and parentheses.
const RG_PART = /^[A-Za-z0-9_.()-]+$/;
const RG_PART_RULE = `must be letters, digits, "_", ".", "(", ")" or "-"`;

const instantRestoreResourceGroup = z.strictObject({
    prefix: z.string().superRefine((p, ctx) => {
        if (!RG_PART.test(p)) issue(ctx, `${RG_PART_RULE}, got ${show(p)}`);
    }),
    suffix: z
        .string()
        .superRefine((s, ctx) => {
            if (!RG_PART.test(s)) issue(ctx, `${RG_PART_RULE}, got ${show(s)}`);
            else if (s.endsWith(".")) issue(ctx, `must not end with "." (a resource group name cannot), got ${show(s)}`);
        })
        .optional(),
});

// ---------------------------------------------------------------------------------------------
// Rules across fields

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);
const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const within = (v: unknown, r: { min: number; max: number }): v is number => isWhole(v) && v >= r.min && v <= r.max;

/** The list of days when it is a valid one (non-empty, known days, none twice); otherwise undefined. */
function validDays(v: unknown): Day[] | undefined {
    if (!Array.isArray(v) || v.length === 0) return undefined;
    if (!v.every((d) => (DAYS_OF_WEEK as readonly unknown[]).includes(d))) return undefined;
    return new Set(v).size === v.length ? (v as Day[]) : undefined;
}

function sameDays(a: readonly Day[], b: readonly Day[]): boolean {
    return a.length === b.length && a.every((d) => b.includes(d));
}

function withSchedule(frequency: "Daily" | "Weekly" | "Hourly"): string {
    return frequency === "Hourly" ? "an hourly schedule" : `a ${frequency.toLowerCase()} schedule`;
}

function crossFieldRules(a: unknown, ctx: z.RefinementCtx<unknown>): void {
    if (!isObject(a)) return;
    const policyType = (POLICY_TYPES as readonly unknown[]).includes(a.policyType) ? (a.policyType as PolicyTypeName) : undefined;
    const s = isObject(a.schedule) ? a.schedule : undefined;
    const frequency = s && ["Daily", "Weekly", "Hourly"].includes(s.frequency as string) ? (s.frequency as "Daily" | "Weekly" | "Hourly") : undefined;
    const scheduleDays = frequency === "Weekly" ? validDays(s!.days) : undefined;
    const r = isObject(a.retention) ? a.retention : undefined;

    if (frequency === "Hourly") {
        if (policyType === "Standard") {
            issue(ctx, `is only available with an Enhanced policy; set policyType "Enhanced", got "Hourly" with policyType "Standard"`, ["schedule", "frequency"]);
        }
        const interval = s!.intervalHours;
        if ((HOURLY_INTERVALS as readonly unknown[]).includes(interval) && within(s!.windowHours, POLICY_LIMITS.windowHours)) {
            if (s!.windowHours % (interval as number) !== 0) {
                issue(ctx, `must be a whole multiple of intervalHours (${interval}), got ${s!.windowHours}`, ["schedule", "windowHours"]);
            }
        }
    }

    instantRestoreRules(a.instantRestoreDays, policyType, frequency, r, ctx);
    if (r) retentionRules(r, frequency, scheduleDays, ctx);

    const g = a.instantRestoreResourceGroup;
    if (isObject(g) && typeof g.prefix === "string" && (g.suffix === undefined || typeof g.suffix === "string")) {
        const { max, counterDigits } = POLICY_LIMITS.resourceGroupName;
        const length = g.prefix.length + ((g.suffix as string | undefined)?.length ?? 0);
        if (length + counterDigits > max) {
            issue(
                ctx,
                `prefix and suffix together must be at most ${max - counterDigits} characters, leaving ${counterDigits} for the number Azure puts between them (${max} in all), got ${length}`,
                ["instantRestoreResourceGroup"],
            );
        }
    }
}

function instantRestoreRules(
    days: unknown,
    policyType: PolicyTypeName | undefined,
    frequency: "Daily" | "Weekly" | "Hourly" | undefined,
    r: Loose | undefined,
    ctx: z.RefinementCtx<unknown>,
): void {
    if (!isWhole(days) || !policyType || !frequency) return;
    const path = ["instantRestoreDays"];
    const limits = POLICY_LIMITS.instantRestore;
    if (policyType === "Standard" && frequency === "Weekly") {
        if (days !== limits.StandardWeekly) {
            return issue(ctx, `must be ${limits.StandardWeekly} for a Standard policy with a weekly schedule (Azure fixes it there), got ${days}`, path);
        }
    } else if (policyType === "Standard") {
        if (!within(days, limits.Standard)) return issue(ctx, `must be between 1 and 5 for a Standard policy, got ${days}`, path);
    } else if (!within(days, limits.Enhanced)) {
        return issue(ctx, `must be between 1 and 30 for an Enhanced policy, got ${days}`, path);
    }
    // Snapshots cannot outlive the recovery point kept in the vault.
    if (!r) return;
    if (frequency === "Weekly") {
        const weeks = isObject(r.weekly) ? r.weekly.weeks : undefined;
        if (within(weeks, POLICY_LIMITS.weeks) && days > weeks * 7) {
            issue(ctx, `must be at most the vault retention of ${weeks * 7} days (retention.weekly.weeks ${weeks} × 7), got ${days}`, path);
        }
    } else if (within(r.dailyDays, POLICY_LIMITS.dailyDays) && days > r.dailyDays) {
        issue(ctx, `must be at most the vault retention of ${r.dailyDays} days (retention.dailyDays), got ${days}`, path);
    }
}

function retentionRules(r: Loose, frequency: "Daily" | "Weekly" | "Hourly" | undefined, scheduleDays: Day[] | undefined, ctx: z.RefinementCtx<unknown>): void {
    const has = (key: string) => r[key] !== undefined;
    if (!has("dailyDays") && !has("weekly") && !has("monthly") && !has("yearly")) {
        issue(ctx, `must keep recovery points in at least one of dailyDays, weekly, monthly or yearly, got ${show(r)}`, ["retention"]);
        return;
    }
    if (frequency === "Daily" || frequency === "Hourly") {
        if (!has("dailyDays")) issue(ctx, `is required with ${withSchedule(frequency)}, got undefined`, ["retention", "dailyDays"]);
    } else if (frequency === "Weekly") {
        if (has("dailyDays")) {
            issue(ctx, `must not be set with a weekly schedule (it keeps weekly, monthly and yearly points only), got ${show(r.dailyDays)}`, ["retention", "dailyDays"]);
        }
        if (!has("weekly")) issue(ctx, `is required with a weekly schedule, got undefined`, ["retention", "weekly"]);
    }

    const w = r.weekly;
    if (isObject(w) && frequency) {
        if (frequency === "Weekly") {
            const days = validDays(w.days);
            if (days && scheduleDays && !sameDays(days, scheduleDays)) {
                issue(ctx, `must be the schedule's days ${show(scheduleDays)} with a weekly schedule, got ${show(w.days)}`, ["retention", "weekly", "days"]);
            }
        } else if (w.days === undefined) {
            issue(ctx, `is required with ${withSchedule(frequency)} (the day whose backup is kept, e.g. ["Sunday"]), got undefined`, ["retention", "weekly", "days"]);
        }
    }

    for (const key of ["monthly", "yearly"] as const) {
        const m = r[key];
        if (!isObject(m)) continue;
        const byDate = m.daysOfMonth !== undefined;
        const byWeekday = m.weeksOfMonth !== undefined || m.daysOfWeek !== undefined;
        if (!byDate && !byWeekday) {
            issue(ctx, `must set daysOfMonth, or weeksOfMonth with daysOfWeek, got ${show(m)}`, ["retention", key]);
        } else if (byDate && byWeekday) {
            issue(ctx, `must set either daysOfMonth or weeksOfMonth with daysOfWeek, not both, got ${show(m)}`, ["retention", key]);
        } else if (byWeekday) {
            if (m.weeksOfMonth === undefined) issue(ctx, `is required with daysOfWeek, e.g. ["First"], got undefined`, ["retention", key, "weeksOfMonth"]);
            if (m.daysOfWeek === undefined) issue(ctx, `is required with weeksOfMonth, e.g. ["Sunday"], got undefined`, ["retention", key, "daysOfWeek"]);
        }
        if (frequency !== "Weekly") continue;
        if (byDate && !byWeekday) {
            issue(ctx, `cannot be used with a weekly schedule; use weeksOfMonth with daysOfWeek, got ${show(m.daysOfMonth)}`, ["retention", key, "daysOfMonth"]);
        }
        const days = validDays(m.daysOfWeek);
        if (days && scheduleDays && !days.every((d) => scheduleDays.includes(d))) {
            issue(ctx, `must be among the schedule's days ${show(scheduleDays)} with a weekly schedule, got ${show(m.daysOfWeek)}`, ["retention", key, "daysOfWeek"]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Defaults

type Parsed = z.output<ReturnType<typeof argsObject>>;

function monthDaysOf(m: { daysOfMonth?: (number | "Last")[]; weeksOfMonth?: Week[]; daysOfWeek?: Day[] }): MonthDaysSettings {
    return m.daysOfMonth !== undefined
        ? { format: "Daily", daysOfMonth: m.daysOfMonth }
        : { format: "Weekly", weeksOfMonth: m.weeksOfMonth!, daysOfWeek: m.daysOfWeek! };
}

/** Instant-restore days when none are given: 2 Standard (5 for weekly, where Azure fixes it), 7 Enhanced. */
export function defaultInstantRestoreDays(policyType: PolicyTypeName, frequency: ScheduleSettings["frequency"]): number {
    const limits = POLICY_LIMITS.instantRestore;
    if (policyType === "Enhanced") return limits.Enhanced.default;
    return frequency === "Weekly" ? limits.StandardWeekly : limits.Standard.default;
}

function applyDefaults(a: Parsed): PolicySettings {
    const r = a.retention;
    return {
        vault: a.vault,
        ...(a.policyName !== undefined ? { policyName: a.policyName } : {}),
        policyType: a.policyType,
        schedule: a.schedule,
        timeZone: a.timeZone,
        instantRestoreDays: a.instantRestoreDays ?? defaultInstantRestoreDays(a.policyType, a.schedule.frequency),
        retention: {
            ...(r.dailyDays !== undefined ? { dailyDays: r.dailyDays } : {}),
            ...(r.weekly
                ? {
                      weekly: {
                          weeks: r.weekly.weeks,
                          // Checked above: given explicitly unless the schedule is weekly.
                          days: r.weekly.days ?? (a.schedule.frequency === "Weekly" ? a.schedule.days : []),
                      },
                  }
                : {}),
            ...(r.monthly ? { monthly: { months: r.monthly.months, on: monthDaysOf(r.monthly) } } : {}),
            ...(r.yearly ? { yearly: { years: r.yearly.years, months: r.yearly.months, on: monthDaysOf(r.yearly) } } : {}),
        },
        ...(a.instantRestoreResourceGroup ? { instantRestoreResourceGroup: a.instantRestoreResourceGroup } : {}),
    };
}

/** A short account of what was passed as a vault; printing a resource or its Outputs helps nobody. */
function describeVault(v: unknown): string {
    if (!isObject(v)) return show(v);
    const type = resourceType(v);
    if (type !== undefined) return `a resource of type ${show(type)}`;
    return `an object with keys ${show(Object.keys(v))}`;
}

function argsObject(isVault: (v: unknown) => boolean) {
    return z.strictObject({
        vault: z.custom<unknown>((v) => isVault(v), {
            error: (i) => `must be a BackupVault or a BackupVault.fromId reference, got ${describeVault(i.input)}`,
            abort: false,
        }),
        policyName: policyName.optional(),
        policyType: z.enum(POLICY_TYPES).default("Standard"),
        schedule,
        timeZone: timeZone.default("UTC"),
        instantRestoreDays: z
            .number()
            .superRefine((n, ctx) => {
                if (!Number.isInteger(n)) issue(ctx, `must be a whole number of days, got ${n}`);
            })
            .optional(),
        retention,
        instantRestoreResourceGroup: instantRestoreResourceGroup.optional(),
    });
}

/**
 * The schema of `VmBackupPolicyArgs`. Its output is the policy with every default applied.
 *
 * @param isVault Tells a vault reference from anything else (the component passes
 * `isVaultReference`; the schema itself knows nothing of resources).
 */
export function policyArgsSchema(isVault: (v: unknown) => boolean) {
    return argsObject(isVault)
        .superRefine(crossFieldRules, { when: () => true })
        .transform(applyDefaults);
}
