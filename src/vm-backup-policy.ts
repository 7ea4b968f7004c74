import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import { z } from "zod";
import { BackupVault, type BackupVaultReference, type ExistingVaultFacts, isVaultReference, vaultFactsSchema, vaultInternals } from "./backup-vault";
import { BackupRuleError, checkName, inputError, label, parseArgs, show } from "./rules/errors";
import { deriveName, reservedPolicyName } from "./rules/names";
import { DAYS_OF_WEEK, MONTHS, POLICY_TYPES, type PolicySettings, WEEKS_OF_MONTH, policyArgsSchema, reservedNameReason } from "./rules/policy-schema";
import { renderPolicyProperties } from "./rules/policy-render";
import { POLICY_ID_RULE, parsePolicyId, vaultIdOf } from "./rules/resource-ids";
import { observesDaylightSaving } from "./rules/time-zones";
import { claimPolicyName } from "./rules/program-claims";
import { type ExistingPolicy, lookupPolicy } from "./facts/lookups";
import { azureNativeProvider } from "./facts/provider";
import { noteManagedResource } from "./facts/last-deployment";

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

const references = new WeakSet<object>();

/** @internal */
export function isPolicyReference(v: unknown): v is VmBackupPolicyReference {
    return typeof v === "object" && v !== null && references.has(v);
}

const TYPE = "azure-vm-backup:index:VmBackupPolicy";
const COMPONENT = "VmBackupPolicy";

const argsSchema = policyArgsSchema(isVaultReference);

const factsSchema = z.strictObject({
    facts: z.strictObject({ policyType: z.enum(POLICY_TYPES).optional(), vault: vaultFactsSchema.optional() }),
});

/** Existing policies are counted by their id, however many references name them. */
const referenceKeys = new WeakMap<object, string>();

/** @internal What identifies a policy for the VMs-per-policy count. */
export function policyKey(policy: VmBackupPolicyReference): unknown {
    return referenceKeys.get(policy) ?? policy;
}

/** @internal What a ProtectedVm needs of a policy beyond its public face. */
export interface PolicyInternals {
    /** Name of the policy in its vault. */
    readonly policyName: string;
    /**
     * How many items Azure says the policy protects now: 0 for a policy not created yet, undefined
     * when it cannot be read (a warning says so) or its vault is not known yet.
     */
    protectedItemsCount(): pulumi.Output<number | undefined>;
}

const policyFacts = new WeakMap<object, PolicyInternals>();

/** @internal */
export function policyInternals(policy: VmBackupPolicyReference): PolicyInternals {
    const i = policyFacts.get(policy);
    if (!i) throw new Error("not a VmBackupPolicy or VmBackupPolicy.fromId reference");
    return i;
}

/** The count of a policy's items from its look-up; a look-up Azure refuses leaves it uncounted, with a warning. */
function countOf(name: string, policyName: string, lookup: () => Promise<ExistingPolicy | undefined>, warnOn?: pulumi.Resource): Promise<number | undefined> {
    return lookup().then(
        (p) => (p === undefined ? 0 : p.protectedItemsCount),
        (err: unknown) => {
            pulumi.log.warn(
                `${label(COMPONENT, name)}: could not read policy ${JSON.stringify(policyName)} from Azure, so the VMs it already protects there are not counted toward its limit of 100: ${err instanceof Error ? err.message : String(err)}`,
                warnOn,
            );
            return undefined;
        },
    );
}

/**
 * An Azure VM backup policy in a Recovery Services vault, checked at construction against
 * Azure Backup's rules for schedules, retention, instant restore and names.
 */
export class VmBackupPolicy extends pulumi.ComponentResource implements VmBackupPolicyReference {
    /**
     * Standard, daily at 02:00 UTC, 30 daily recovery points, 2 days of instant restore.
     */
    public static default(name: string, vault: BackupVaultReference, opts?: pulumi.ComponentResourceOptions): VmBackupPolicy {
        return new VmBackupPolicy(
            name,
            { vault, schedule: { frequency: "Daily", time: "02:00" }, instantRestoreDays: 2, retention: { dailyDays: 30 } },
            opts,
        );
    }

    /**
     * Enhanced, every 4 hours from 08:00 UTC, 180 days, 12 weeks, 60 months and 10 years of recovery points.
     */
    public static enhancedEvery4Hours10YearRetention(name: string, vault: BackupVaultReference, opts?: pulumi.ComponentResourceOptions): VmBackupPolicy {
        return new VmBackupPolicy(
            name,
            {
                vault,
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
            opts,
        );
    }

    /**
     * Standard, daily at 02:00 UTC, 30 days, 12 weeks, 12 months and 7 years of recovery points.
     */
    public static dailyWeeklyMonthlyYearly7YearRetention(name: string, vault: BackupVaultReference, opts?: pulumi.ComponentResourceOptions): VmBackupPolicy {
        return new VmBackupPolicy(
            name,
            {
                vault,
                schedule: { frequency: "Daily", time: "02:00" },
                instantRestoreDays: 2,
                retention: {
                    dailyDays: 30,
                    weekly: { weeks: 12, days: ["Sunday"] },
                    monthly: { months: 12, weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
                    yearly: { years: 7, months: ["January"], weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] },
                },
            },
            opts,
        );
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
        checkName(COMPONENT, name);
        const parsed = typeof policyId === "string" ? parsePolicyId(policyId) : undefined;
        if (!parsed) throw inputError(COMPONENT, name, [{ path: "policyId", reason: `${POLICY_ID_RULE}, got ${show(policyId)}` }]);
        parseArgs(factsSchema, { facts }, COMPONENT, name);
        const vault = BackupVault.fromId(name, vaultIdOf(parsed), facts.vault, opts);
        // One look-up serves the type and the count of items.
        let found: Promise<ExistingPolicy | undefined> | undefined;
        const existing = () => (found ??= lookupPolicy(parsed.resourceGroupName, parsed.vaultName, parsed.policyName, opts));
        let type: pulumi.Output<PolicyType> | undefined;
        let count: pulumi.Output<number | undefined> | undefined;
        const ref: VmBackupPolicyReference = {
            id: pulumi.output(policyId),
            vault,
            get policyType(): pulumi.Input<PolicyType> {
                return facts.policyType ?? (type ??= pulumi.output(existingPolicyType(name, policyId, existing())));
            },
        };
        references.add(ref);
        referenceKeys.set(ref, policyId.toLowerCase());
        policyFacts.set(ref, {
            policyName: parsed.policyName,
            protectedItemsCount: () => (count ??= pulumi.output(countOf(name, parsed.policyName, existing))),
        });
        return ref;
    }

    /** The policy resource. */
    public readonly policy: recoveryservices.ProtectionPolicy;
    /** Resource ID of the policy. */
    public readonly id: pulumi.Output<string>;
    /** Name of the policy in the vault, known at preview. */
    public readonly policyName: pulumi.Output<string>;
    /** The vault that holds the policy. */
    public readonly vault: BackupVaultReference;
    /** Standard or Enhanced. */
    public readonly policyType: PolicyType;

    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: VmBackupPolicyArgs, opts: pulumi.ComponentResourceOptions = {}) {
        checkName(COMPONENT, name);
        const settings = parse(name, args);
        const policyName = settings.policyName ?? deriveName(name, "policy", 3, 150);
        const vault = args.vault;
        const earlier = claimPolicyName(vault, policyName, name);
        if (earlier !== undefined) {
            throw inputError(COMPONENT, name, [
                {
                    path: settings.policyName ? "policyName" : "name",
                    reason: `VmBackupPolicy ${JSON.stringify(earlier)} already declares policy ${JSON.stringify(policyName)} in this vault; give each policy its own policyName, got ${JSON.stringify(policyName)}`,
                },
            ]);
        }
        super(TYPE, name, {}, opts);

        if (observesDaylightSaving(settings.timeZone)) {
            pulumi.log.warn(
                `${label(COMPONENT, name)}: timeZone: observes daylight saving time, but Azure Backup does not adjust the schedule for it: while it is in effect, backups run an hour off the local time given, got ${show(settings.timeZone)}`,
                this,
            );
        }

        // Beside its vault: with the vault's provider unless given one here.
        const provider = azureNativeProvider(opts) ?? vaultInternals(vault).provider;
        this.policy = new recoveryservices.ProtectionPolicy(
            name,
            {
                resourceGroupName: vault.resourceGroupName,
                vaultName: vault.vaultName,
                policyName,
                properties: renderPolicyProperties(settings),
            },
            { parent: this, provider, retainOnDelete: opts.retainOnDelete },
        );

        this.id = this.policy.id;
        noteManagedResource(this.policy.id);
        // Tied to the policy's URN: known at preview, and whoever uses it depends on the policy.
        this.policyName = this.policy.urn.apply(() => policyName);
        this.vault = vault;
        this.policyType = settings.policyType;
        references.add(this);
        // A policy of this name may exist in Azure already (deployed before), protecting VMs.
        let count: pulumi.Output<number | undefined> | undefined;
        policyFacts.set(this, {
            policyName,
            protectedItemsCount: () =>
                (count ??= pulumi
                    .all([vault.resourceGroupName, vault.vaultName])
                    .apply(([rg, vaultName]) => countOf(name, policyName, () => lookupPolicy(rg, vaultName, policyName, { parent: this, provider }), this))),
        });

        this.registerOutputs({ id: this.id, policyName: this.policyName, policyType: this.policyType });
    }
}

/**
 * Parses the arguments; a default name that collides with a policy every vault holds is
 * reported with the other problems.
 */
function parse(name: string, args: VmBackupPolicyArgs): PolicySettings {
    const problems: { path: string; reason: string }[] = [];
    const explicitName = typeof args === "object" && args !== null ? args.policyName : undefined;
    if (explicitName === undefined) {
        const derived = deriveName(name, "policy", 3, 150);
        const reserved = reservedPolicyName(derived);
        if (reserved) problems.push({ path: "policyName", reason: reservedNameReason(reserved, derived, true) });
    }
    let settings: PolicySettings | undefined;
    try {
        settings = parseArgs(argsSchema, args, COMPONENT, name);
    } catch (err) {
        if (!(err instanceof pulumi.InputPropertiesError)) throw err;
        problems.unshift(...err.errors.map((e) => ({ path: e.propertyPath, reason: e.reason })));
    }
    if (problems.length > 0 || settings === undefined) throw inputError(COMPONENT, name, problems);
    return settings;
}

async function existingPolicyType(name: string, policyId: string, lookup: Promise<ExistingPolicy | undefined>): Promise<PolicyType> {
    const policy = await lookup;
    if (!policy) throw new BackupRuleError(COMPONENT, name, "policyId", `no backup policy exists at this id, got ${show(policyId)}`);
    const kind = policy.backupManagementType;
    if (typeof kind !== "string" || kind.toLowerCase() !== "azureiaasvm") {
        throw new BackupRuleError(
            COMPONENT,
            name,
            "policyId",
            `must be an Azure VM backup policy (backupManagementType "AzureIaasVM"), got backupManagementType ${show(kind)} for ${policyId}`,
        );
    }
    return policy.policyType?.toUpperCase() === "V2" ? "Enhanced" : "Standard";
}
