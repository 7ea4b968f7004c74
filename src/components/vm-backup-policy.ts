import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import { z } from "zod";
import { sameArguments } from "../rules/argument-names";
import { policyResource } from "./child-resources";
import { fromTypeScript, present, typeScriptArgs } from "./arguments";
import { type BackupVaultReference, type ExistingVaultFacts, isVaultReference, knownVaultId, vaultFactsSchema, vaultInternals, vaultKey, vaultReferenceFromId } from "./backup-vault";
import { vaultReferenceAt } from "./references";
import { POLICY_PRESETS, PolicyPreset } from "./policy-presets";
import { checkName, enforce, inputError, parseArgs, ruleError, show } from "../rules/errors";
import { deriveName, duplicatePolicyName, reservedDerivedPolicyName } from "../rules/names";
import { DayOfWeek, Month, POLICY_TYPES, PolicyType, type PolicySettings, WeekOfMonth, policyArgsSchema } from "../rules/policy-schema";
import { renderPolicyProperties } from "../rules/policy-render";
import { parsePolicyId, vaultIdOf } from "../rules/resource-ids";
import { badPolicyId, daylightSavingUnadjusted, notVmPolicy } from "../rules/policy";
import { missing, policyUncounted } from "../rules/estate";
import { claimPolicyName } from "../rules/program-claims";
import { type ExistingPolicy, lookupPolicy } from "../facts/lookups";
import { azureNativeProvider } from "../facts/provider";
import { noteManagedResource } from "../facts/last-deployment";
import { noteDeclaredPolicy } from "../facts/declared-components";
import { settled } from "../facts/unknowns";
import type { VmBackupPolicyArgs as TypeScriptPolicyArgs, VmBackupPolicyReference, ExistingPolicyFacts } from "../vm-backup-policy";

// The policy vocabulary lives with the rules; named here so that every language's schema has it.
export { DayOfWeek, Month, PolicyType, WeekOfMonth } from "../rules/policy-schema";

/** How often backups run. */
export const ScheduleFrequency = {
    /** Once a day, at `time`. */
    Daily: "Daily",
    /** On the `days` given, at `time`. */
    Weekly: "Weekly",
    /** Every `intervalHours` within a daily window. Enhanced policies only. */
    Hourly: "Hourly",
} as const;
export type ScheduleFrequency = (typeof ScheduleFrequency)[keyof typeof ScheduleFrequency];

/** When backups run. Which fields apply depends on `frequency`. */
export interface Schedule {
    /** Daily, Weekly or Hourly. */
    frequency: ScheduleFrequency;
    /** Daily and Weekly: time of day the backup starts, "HH:MM" on the hour or half hour, in the policy's time zone. */
    time?: string;
    /** Weekly: days the backup runs on, at least one, none twice. */
    days?: DayOfWeek[];
    /** Hourly: hours between two backups, 4, 6, 8 or 12. */
    intervalHours?: number;
    /** Hourly: start of the daily window, "HH:MM" on the hour or half hour. */
    windowStartTime?: string;
    /** Hourly: length of the daily window in hours, 4-24, a whole multiple of `intervalHours`. */
    windowHours?: number;
}

/** Weekly recovery points. */
export interface WeeklyRetention {
    /** How many weeks each weekly recovery point is kept, 1-5163. */
    weeks: number;
    /** Days whose backup is kept; with a weekly schedule, the schedule's days (the default). */
    days?: DayOfWeek[];
}

/** Monthly recovery points, from `daysOfMonth` (and/or `lastDayOfMonth`), or from `weeksOfMonth` with `daysOfWeek`. */
export interface MonthlyRetention {
    /** How many months each monthly recovery point is kept, 1-1188. */
    months: number;
    /** Days of the month, 1-28, none twice. Not with a weekly schedule. */
    daysOfMonth?: number[];
    /** Also (or only) the last day of the month. */
    lastDayOfMonth?: boolean;
    /** Weeks of the month, with `daysOfWeek`. */
    weeksOfMonth?: WeekOfMonth[];
    /** Days of the week, with `weeksOfMonth`. */
    daysOfWeek?: DayOfWeek[];
}

/** Yearly recovery points, chosen within `months` as monthly ones are. */
export interface YearlyRetention {
    /** How many years each yearly recovery point is kept, 1-99. */
    years: number;
    /** Months of the year the recovery point is taken in. */
    months: Month[];
    /** Days of the month, 1-28, none twice. Not with a weekly schedule. */
    daysOfMonth?: number[];
    /** Also (or only) the last day of the month. */
    lastDayOfMonth?: boolean;
    /** Weeks of the month, with `daysOfWeek`. */
    weeksOfMonth?: WeekOfMonth[];
    /** Days of the week, with `weeksOfMonth`. */
    daysOfWeek?: DayOfWeek[];
}

/** How long recovery points are kept. A daily or hourly schedule needs `dailyDays`; a weekly one needs `weekly`. */
export interface Retention {
    /** Days each daily recovery point is kept, 7-9999. */
    dailyDays?: number;
    /** Weekly recovery points. */
    weekly?: WeeklyRetention;
    /** Monthly recovery points. */
    monthly?: MonthlyRetention;
    /** Yearly recovery points. */
    yearly?: YearlyRetention;
}

/** Names of the resource groups that hold instant-restore snapshots: `<prefix><n><suffix>`, 74 characters at most. */
export interface InstantRestoreResourceGroup {
    /** Text before the number Azure counts up from 1. */
    prefix: string;
    /** Text after the number. */
    suffix?: string;
}

/** Arguments of a VmBackupPolicy in every language: the vault by id, a preset or a schedule of its own. */
export interface VmBackupPolicyComponentArgs {
    /** Resource ID of the vault that holds the policy: a BackupVault's `vaultId`, or an existing vault's id. */
    vaultId: pulumi.Input<string>;
    /**
     * A ready-made policy. Sets the policy type, schedule, retention and instant-restore days,
     * so none of them may be given with it.
     */
    preset?: PolicyPreset;
    /** Name of the policy in the vault. @default - the component name made valid for Azure */
    policyName?: string;
    /** Standard or Enhanced. Hourly schedules need Enhanced. @default "Standard" */
    policyType?: PolicyType;
    /** When backups run. Required unless `preset` is given. */
    schedule?: Schedule;
    /** Windows time zone id of the schedule's times, e.g. "W. Europe Standard Time". @default "UTC" */
    timeZone?: string;
    /** Days snapshots are kept for instant restore: 1-5 Standard (5 if weekly), 1-30 Enhanced. */
    instantRestoreDays?: number;
    /** How long recovery points are kept. Required unless `preset` is given. */
    retention?: Retention;
    /** Names of the instant-restore resource groups. @default - Azure's "AzureBackupRG_<region>_<n>" */
    instantRestoreResourceGroup?: InstantRestoreResourceGroup;
}

const TYPE = "azure-vm-backup:index:VmBackupPolicy";
const COMPONENT = "VmBackupPolicy";

// ---------------------------------------------------------------------------------------------
// References: a VmBackupPolicy or an existing policy, as ProtectedVm reads them

const references = new WeakSet<object>();

/** @internal */
export function isPolicyReference(v: unknown): v is VmBackupPolicyReference {
    return typeof v === "object" && v !== null && references.has(v);
}

/** Existing policies are counted by their id, however many references name them. */
const referenceKeys = new WeakMap<object, string>();

/** @internal What identifies a policy for the VMs-per-policy count. */
export function policyKey(policy: VmBackupPolicyReference): unknown {
    return referenceKeys.get(policy) ?? policy;
}

/** @internal What a ProtectedVm needs of a policy beyond its public face. */
export interface PolicyInternals {
    /** Name of the policy in its vault. */
    readonly policyName: pulumi.Input<string>;
    /**
     * How many items Azure says the policy protects now: 0 for a policy not created yet, undefined
     * when it cannot be read (a warning says so) or its vault is not known yet.
     */
    protectedItemsCount(): pulumi.Output<number | undefined>;
    /**
     * For a policy named by an id known only later: the policy behind the id once it is known
     * (undefined while it is unknown at preview), whose key counts the VMs under it.
     */
    later?(): Promise<VmBackupPolicyReference | undefined>;
    /**
     * For a policy the program declares: its numbered copy `k` (`<policyName>-<k>`, same settings,
     * same vault), declared under `parent`. A VmBackupSelection spreads VMs over copies.
     */
    copy?(k: number, parent: pulumi.Resource): VmBackupPolicyReference;
}

const policyFacts = new WeakMap<object, PolicyInternals>();

/** @internal */
export function policyInternals(policy: VmBackupPolicyReference): PolicyInternals {
    const i = policyFacts.get(policy);
    if (!i) throw new Error("not a VmBackupPolicy or VmBackupPolicy.fromId reference");
    return i;
}

/** @internal Registers a reference made outside this module (a policy named by a later id). */
export function notePolicyReference(ref: VmBackupPolicyReference, facts: PolicyInternals): void {
    references.add(ref);
    policyFacts.set(ref, facts);
}

/** The count of a policy's items from its look-up; a look-up Azure refuses leaves it uncounted, with a warning. */
function countOf(component: string, name: string, policyName: string, lookup: () => Promise<ExistingPolicy | undefined>, warnOn?: pulumi.Resource): Promise<number | undefined> {
    return lookup().then(
        (p) => (p === undefined ? 0 : p.protectedItemsCount),
        (err: unknown) => {
            enforce({ component, name, resource: warnOn }, policyUncounted(policyName, err instanceof Error ? err.message : String(err)));
            return undefined;
        },
    );
}

const factsSchema = z.strictObject({
    facts: z.strictObject({ policyType: z.enum(POLICY_TYPES).optional(), vault: vaultFactsSchema.optional() }),
});

/** @internal An existing policy, by resource ID: what `VmBackupPolicy.fromId` returns. */
export function policyReferenceFromId(
    component: string,
    name: string,
    policyId: string,
    facts: ExistingPolicyFacts,
    opts: pulumi.InvokeOptions,
    path: string,
    vaultAs: { component: string; path: string } = { component, path },
): VmBackupPolicyReference {
    checkName(component, name);
    const parsed = typeof policyId === "string" ? parsePolicyId(policyId) : undefined;
    if (!parsed) throw ruleError({ component, name, constructing: true }, badPolicyId(path, policyId));
    parseArgs(factsSchema, { facts }, component, name);
    const vault = vaultReferenceFromId(vaultAs.component, name, vaultIdOf(parsed), (facts.vault ?? {}) as ExistingVaultFacts, opts, vaultAs.path);
    // One look-up serves the type and the count of items.
    let found: Promise<ExistingPolicy | undefined> | undefined;
    const existing = () => (found ??= lookupPolicy(parsed.resourceGroupName, parsed.vaultName, parsed.policyName, opts));
    let type: pulumi.Output<PolicyType> | undefined;
    let count: pulumi.Output<number | undefined> | undefined;
    const ref: VmBackupPolicyReference = {
        id: pulumi.output(policyId),
        vault,
        get policyType(): pulumi.Input<PolicyType> {
            return facts.policyType ?? (type ??= pulumi.output(existingPolicyType(component, name, policyId, existing(), path)));
        },
    };
    references.add(ref);
    referenceKeys.set(ref, policyId.toLowerCase());
    policyFacts.set(ref, {
        policyName: parsed.policyName,
        protectedItemsCount: () => (count ??= pulumi.output(countOf(component, name, parsed.policyName, existing))),
    });
    return ref;
}

async function existingPolicyType(component: string, name: string, policyId: string, lookup: Promise<ExistingPolicy | undefined>, path: string): Promise<PolicyType> {
    const policy = await lookup;
    if (!policy) throw ruleError({ component, name }, missing("policy", path, policyId));
    enforce({ component, name }, notVmPolicy(path, policyId, policy.backupManagementType));
    return policy.policyType?.toUpperCase() === "V2" ? "Enhanced" : "Standard";
}

// ---------------------------------------------------------------------------------------------
// Arguments: the TypeScript layer hands over its own; every other language sends these

const PRESET_SETS = ["policyType", "schedule", "instantRestoreDays", "retention"] as const;

/** The fields of a Schedule each frequency takes: one object stands for the TypeScript API's three. */
const SCHEDULE_FIELDS: Record<ScheduleFrequency, readonly (keyof Schedule)[]> = {
    Daily: ["time"],
    Weekly: ["days", "time"],
    Hourly: ["intervalHours", "windowStartTime", "windowHours"],
};

/** `lastDayOfMonth` is ours alone (TypeScript lists "Last" among the days), so it is checked here. */
function lastDayNotBoolean(retention: unknown, ctx: z.RefinementCtx<unknown>): void {
    for (const key of ["monthly", "yearly"]) {
        const points = (present(retention) as Record<string, unknown> | undefined)?.[key];
        const last = typeof points === "object" && points !== null ? (points as { lastDayOfMonth?: unknown }).lastDayOfMonth : undefined;
        if (last !== undefined && last !== null && typeof last !== "boolean") {
            ctx.addIssue({ code: "custom", path: ["retention", key, "lastDayOfMonth"], message: `must be true or false, got ${show(last)}` });
        }
    }
}

/** A field of another frequency's schedule, named as such rather than as an unknown argument. */
function misplacedScheduleFields(schedule: unknown, ctx: z.RefinementCtx<unknown>): void {
    const given = present(schedule);
    if (typeof given !== "object" || given === null || Array.isArray(given)) return;
    const frequency = (given as { frequency?: unknown }).frequency;
    if (typeof frequency !== "string" || !(frequency in SCHEDULE_FIELDS)) return;
    const own = SCHEDULE_FIELDS[frequency as ScheduleFrequency];
    for (const key of Object.keys(given)) {
        const takers = Object.entries(SCHEDULE_FIELDS).filter(([, fields]) => fields.includes(key as keyof Schedule)).map(([f]) => JSON.stringify(f));
        if (takers.length === 0 || own.includes(key as keyof Schedule)) continue;
        ctx.addIssue({ code: "custom", path: ["schedule", key], message: `applies only to frequency ${takers.join(" or ")}, got frequency ${show(frequency)}` });
    }
}

const componentArgsSchema = z
    .object({
        vaultId: z.unknown(),
        preset: z.enum(PolicyPreset).optional(),
        policyName: z.unknown().optional(),
        policyType: z.unknown().optional(),
        schedule: z.unknown().optional(),
        timeZone: z.unknown().optional(),
        instantRestoreDays: z.unknown().optional(),
        retention: z.unknown().optional(),
        instantRestoreResourceGroup: z.unknown().optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
        misplacedScheduleFields(a.schedule, ctx);
        lastDayNotBoolean(a.retention, ctx);
        if (a.preset === undefined) return;
        for (const key of PRESET_SETS) {
            if (a[key] !== undefined) {
                ctx.addIssue({ code: "custom", path: [key], message: `cannot be given with preset ${show(a.preset)}, which sets it, got ${show(a[key])}` });
            }
        }
    });

sameArguments<VmBackupPolicyComponentArgs, typeof componentArgsSchema>(true);

/** Days of a month as the TypeScript layer lists them: "Last" is a day like the others. */
function monthDaysOf(r: Record<string, unknown>): Record<string, unknown> {
    const { lastDayOfMonth, daysOfMonth, ...rest } = r;
    const days = lastDayOfMonth ? [...(Array.isArray(daysOfMonth) ? daysOfMonth : []), "Last"] : daysOfMonth;
    return days === undefined ? rest : { ...rest, daysOfMonth: days };
}

function retentionOf(r: unknown): unknown {
    const ret = present(r);
    if (typeof ret !== "object" || ret === null || Array.isArray(ret)) return ret;
    const out: Record<string, unknown> = { ...(ret as Record<string, unknown>) };
    for (const key of ["monthly", "yearly"]) {
        const v = present(out[key]);
        if (typeof v === "object" && v !== null && !Array.isArray(v)) out[key] = monthDaysOf(v as Record<string, unknown>);
    }
    if (out.weekly !== undefined) out.weekly = present(out.weekly);
    return out;
}

/** The arguments other languages send, in the TypeScript layer's terms, with the vault found by its id. */
function typeScriptArgsOf(name: string, args: VmBackupPolicyComponentArgs, opts: pulumi.ComponentResourceOptions): TypeScriptPolicyArgs {
    const a = parseArgs(componentArgsSchema, present(args), COMPONENT, name);
    const vault = vaultReferenceAt(COMPONENT, name, "vaultId", a.vaultId, { provider: azureNativeProvider(opts) });
    const preset = a.preset === undefined ? {} : POLICY_PRESETS[a.preset];
    const own = Object.fromEntries(
        Object.entries({
            policyName: a.policyName,
            policyType: a.policyType,
            schedule: present(a.schedule),
            timeZone: a.timeZone,
            instantRestoreDays: a.instantRestoreDays,
            retention: retentionOf(a.retention),
            instantRestoreResourceGroup: present(a.instantRestoreResourceGroup),
        }).filter(([, v]) => v !== undefined),
    );
    return { ...preset, ...own, vault } as TypeScriptPolicyArgs;
}

const argsSchema = policyArgsSchema(isVaultReference);
sameArguments<TypeScriptPolicyArgs, typeof argsSchema>(true);

/**
 * Parses the arguments; a default name that collides with a policy every vault holds is
 * reported with the other problems.
 */
function parse(name: string, args: TypeScriptPolicyArgs): PolicySettings {
    const problems: { path: string; reason: string }[] = [];
    const explicitName = typeof args === "object" && args !== null ? args.policyName : undefined;
    const reserved = explicitName === undefined ? reservedDerivedPolicyName(deriveName(name, "policy", 3, 150)) : undefined;
    if (reserved) problems.push({ path: reserved.path, reason: reserved.message });
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

// Kept off the class: every property of a component class is an output in its package schema.
const parts = new WeakMap<object, { policy: recoveryservices.ProtectionPolicy; vault: BackupVaultReference }>();

/**
 * An Azure VM backup policy in a Recovery Services vault, checked at construction against
 * Azure Backup's rules for schedules, retention, instant restore and names.
 */
export class VmBackupPolicy extends pulumi.ComponentResource {
    /** The policy resource. TypeScript only: other languages get `policyId`. */
    public get policy(): recoveryservices.ProtectionPolicy {
        return parts.get(this)!.policy;
    }
    /** Resource ID of the policy, as Azure reports it. TypeScript only: other languages get `policyId`. */
    public get id(): pulumi.Output<string> {
        return parts.get(this)!.policy.id;
    }
    /** The vault that holds the policy. TypeScript only: other languages get `vaultId`. */
    public get vault(): BackupVaultReference {
        return parts.get(this)!.vault;
    }
    /**
     * Resource ID of the policy, built from its vault's id and its name: known at preview once
     * the vault's is, and resolved only once the policy exists.
     */
    public readonly policyId: pulumi.Output<string>;
    /** Resource ID of the vault that holds the policy. */
    public readonly vaultId: pulumi.Output<string>;
    /** Name of the policy in the vault, known at preview. */
    public readonly policyName: pulumi.Output<string>;
    /** Standard or Enhanced. */
    public readonly policyType: PolicyType;

    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: VmBackupPolicyComponentArgs, opts: pulumi.ComponentResourceOptions = {}) {
        checkName(COMPONENT, name);
        const fromTs = typeScriptArgs<TypeScriptPolicyArgs>(args);
        const tsArgs = fromTs ? fromTs.args : typeScriptArgsOf(name, args, opts);
        const settings = parse(name, tsArgs);
        const policyName = settings.policyName ?? deriveName(name, "policy", 3, 150);
        const vault = tsArgs.vault;
        const namePath = settings.policyName ? "policyName" : "name";
        // A vault named by an id known only later is claimed in once the id is known.
        const laterVault = vaultInternals(vault).later?.();
        if (!laterVault) {
            enforce({ component: COMPONENT, name, constructing: true }, duplicatePolicyName(namePath, claimPolicyName(vaultKey(vault), policyName, name), policyName));
        }
        super(TYPE, name, {}, opts);
        const site = { component: COMPONENT, name, resource: this };
        const claimed = laterVault?.then((target) => {
            enforce(site, duplicatePolicyName(namePath, target ? claimPolicyName(vaultKey(target), policyName, name) : undefined, policyName));
        });

        enforce(site, daylightSavingUnadjusted(settings.timeZone));

        // Beside its vault: with the vault's provider unless given one here.
        const provider = azureNativeProvider(opts) ?? vaultInternals(vault).provider;
        const policy = policyResource(
            name,
            {
                resourceGroupName: vault.resourceGroupName,
                vaultName: vault.vaultName,
                policyName,
                properties: claimed ? settled([pulumi.output(claimed)]).apply(() => renderPolicyProperties(settings)) : renderPolicyProperties(settings),
            },
            { parent: this, provider, retainOnDelete: opts.retainOnDelete },
        );
        parts.set(this, { policy, vault });

        noteManagedResource(policy.id);
        // Tied to the policy's URN: known at preview, and whoever uses it depends on the policy.
        this.policyName = policy.urn.apply(() => policyName);
        this.vaultId = knownVaultId(vault);
        this.policyId = pulumi.all([policy.urn, this.vaultId]).apply(([, vaultId]) => {
            const id = `${vaultId}/backupPolicies/${policyName}`;
            noteDeclaredPolicy(id, this);
            return id;
        });
        this.policyType = settings.policyType;
        references.add(this);
        // A policy of this name may exist in Azure already (deployed before), protecting VMs.
        let count: pulumi.Output<number | undefined> | undefined;
        policyFacts.set(this, {
            policyName,
            copy: (k, parent) =>
                new VmBackupPolicy(`${name}-${k}`, fromTypeScript<VmBackupPolicyComponentArgs>({ ...tsArgs, policyName: `${policyName}-${k}` }), { parent, provider }),
            protectedItemsCount: () =>
                (count ??= pulumi
                    .all([vault.resourceGroupName, vault.vaultName])
                    .apply(([rg, vaultName]) => countOf(COMPONENT, name, policyName, () => lookupPolicy(rg, vaultName, policyName, { parent: this, provider }), this))),
        });

        this.registerOutputs({ id: policy.id, policyId: this.policyId, vaultId: this.vaultId, policyName: this.policyName, policyType: this.policyType });
    }
}

export { PolicyPreset } from "./policy-presets";
