import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { sameArguments } from "../rules/argument-names";
import { fromTypeScript, present, typeScriptArgs } from "./arguments";
import { vaultInternals } from "./backup-vault";
import { VmBackupPolicy, isPolicyReference, policyInternals, policyKey } from "./vm-backup-policy";
import { ProtectedVm, type ProtectedVmComponentArgs, type OnDelete, protectionOptions } from "./protected-vm";
import { policyReferenceAt } from "./references";
import type { VmBackupPolicyReference } from "../vm-backup-policy";
import type { VmBackupSelectionArgs } from "../vm-backup-selection";
import type { ProtectedVmArgs } from "../protected-vm";
import { type RuleSite, checkName, enforce, label, parseArgs, show } from "../rules/errors";
import type { Finding } from "../rules/finding";
import { normalizeRegion, regionKey } from "../rules/regions";
import { parseVmId, protectionNames, subscriptionOf, vmKey } from "../rules/resource-ids";
import { badVmId, missingAgent, needsEnhancedPolicy, protectedBy, unsupportedVm } from "../rules/vm-eligibility";
import { countedUnderPolicy, vmClaimant } from "../rules/program-claims";
import {
    type Criteria,
    type Exclusion,
    type ListedVm,
    SkipReason,
    childName,
    copyName,
    excludedBecause,
    placeOnCopies,
    policyFull,
    policyRegion,
    selected,
    skipped,
    subscriptionsUnlisted,
    tooManyInVault,
    tooManyRegistrations,
} from "../rules/selection";
import { type ExistingProtectedItem, lookupPolicy, lookupProtectedItem, lookupVm } from "../facts/lookups";
import { type ListedVault, classicSubscription, listVaults, listVms } from "../facts/fleet-lookups";
import { azureNativeProvider, classicProvider } from "../facts/provider";
import { promiseOf } from "../facts/unknowns";

export { SkipReason } from "../rules/selection";

/** Which VMs a selection takes: every criterion given must hold. */
export interface VmSelectionCriteria {
    /** Tags every selected VM has: each tag name with the values it may have (any of them). Tag names are read without regard to case, values exactly. */
    tags?: Record<string, string[]>;
    /** Resource groups the VMs are in. */
    resourceGroups?: string[];
    /** Subscriptions the VMs are in. The VMs are listed through the classic azure provider, which sees its own subscription only. */
    subscriptions?: string[];
    /** VM name patterns, `*` for any run of characters and `?` for one, without regard to case: a VM matching any of them is selected. */
    names?: string[];
}

/** VMs a selection leaves out even though they match it: each is reported. */
export interface VmSelectionExclusion {
    /** Resource IDs of VMs to leave out. */
    vmIds?: string[];
    /** Tags that leave a VM out: a VM with any one of these tag values is excluded. */
    tags?: Record<string, string[]>;
}

/** A VM the selection matched but does not protect, and why. */
export interface SkippedVm {
    /** Resource ID of the VM. */
    vmId: string;
    /** Why it is left out. */
    reason: SkipReason;
    /** The reason in words. */
    message: string;
}

/** Arguments of a VmBackupSelection in every language: policies by id. */
export interface VmBackupSelectionComponentArgs {
    /** Resource ID of the one policy every selected VM is protected under. Give this or `policyIds`. */
    policyId?: pulumi.Input<string>;
    /** Resource IDs of policies by region (`westeurope`): each VM goes to the policy of its region; a VM of a region not listed is skipped. */
    policyIds?: Record<string, pulumi.Input<string>>;
    /** Which VMs to protect. */
    select: VmSelectionCriteria;
    /** VMs to leave out. */
    exclude?: VmSelectionExclusion;
    /** LUNs of data disks to leave out of every selected VM's backup. @default - every disk */
    excludeDiskLuns?: number[];
    /** What removing a VM from the selection does: "retain" keeps its recovery points, "delete" deletes them. @default "retain" */
    onDelete?: OnDelete;
}

const TYPE = "azure-vm-backup:index:VmBackupSelection";
const COMPONENT = "VmBackupSelection";
/** Azure Backup protects at most 100 VMs under one policy (the library's limit, rules section 3.3). */
const VMS_PER_POLICY = 100;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const nonEmpty = (what: string) => z.string().refine((s) => s.trim() !== "", { error: (i) => `must be a non-empty ${what}, got ${show(i.input)}` });
const list = <T extends z.ZodType>(item: T, what: string) =>
    z.array(item).refine((l) => l.length > 0, { error: (i) => `must list at least one ${what}, got ${show(i.input)}` });
const tagValues = z.union([nonEmpty("tag value"), list(nonEmpty("tag value"), "tag value")], {
    error: (i) => `must be a tag value or a list of tag values, got ${show(i.input)}`,
});
const tagsSchema = z
    .record(z.string(), tagValues)
    .refine((t) => Object.keys(t).every((k) => k.trim() !== ""), { error: (i) => `tag names must be non-empty, got ${show(i.input)}` });

const criteriaSchema = z
    .strictObject({
        tags: tagsSchema.optional(),
        resourceGroups: list(nonEmpty("resource group name"), "resource group").optional(),
        subscriptions: list(
            z.string().refine((s) => GUID.test(s), { error: (i) => `must be a subscription id (a GUID), got ${show(i.input)}` }),
            "subscription",
        ).optional(),
        names: list(nonEmpty("name pattern"), "name pattern").optional(),
    })
    .refine((c) => Object.values(c).some((v) => v !== undefined), {
        error: (i) => `must name at least one of tags, resourceGroups, subscriptions and names (a selection of every VM is not taken by default), got ${show(i.input)}`,
    });

const exclusionSchema = z.strictObject({
    vmIds: z
        .array(
            z.unknown().superRefine((id, ctx) => {
                const why = badVmId("", id)?.message;
                if (why) ctx.addIssue({ code: "custom", message: why });
            }) as z.ZodType<string>,
        )
        .optional(),
    tags: tagsSchema.optional(),
});

const policySchema = z.custom<VmBackupPolicyReference>((p) => isPolicyReference(p), {
    error: (i) => `must be a VmBackupPolicy or VmBackupPolicy.fromId(...), got ${show(i.input)}`,
});

const argsSchema = z
    .strictObject({
        policy: policySchema.optional(),
        policies: z
            .record(
                z.string().refine((r) => normalizeRegion(r) !== undefined, { error: (i) => `must be an Azure region, got ${show(i.input)}` }),
                policySchema,
            )
            .refine((p) => Object.keys(p).length > 0, { error: (i) => `must give a policy for at least one region, got ${show(i.input)}` })
            .refine((p) => new Set(Object.keys(p).map(regionKey)).size === Object.keys(p).length, {
                error: (i) => `must give each region once, got ${show(Object.keys(i.input as object))}`,
            })
            .optional(),
        select: criteriaSchema,
        exclude: exclusionSchema.optional(),
        ...protectionOptions.shape,
    })
    .superRefine((a, ctx) => {
        if ((a.policy === undefined) === (a.policies === undefined)) {
            ctx.addIssue({ code: "custom", path: ["policy"], message: `give exactly one of policy and policies, got ${a.policy === undefined ? "neither" : "both"}` });
        }
    });

sameArguments<VmBackupSelectionArgs, typeof argsSchema>(true);

const componentArgsSchema = z.strictObject({
    policyId: z.unknown().optional(),
    policyIds: z.record(z.string(), z.unknown()).optional(),
    select: z.unknown(),
    exclude: z.unknown().optional(),
    excludeDiskLuns: z.unknown().optional(),
    onDelete: z.unknown().optional(),
});

sameArguments<VmBackupSelectionComponentArgs, typeof componentArgsSchema>(true);

type Parsed = z.output<typeof argsSchema>;
type Paths = { readonly policy: string; readonly policies: string };
const TYPESCRIPT_PATHS: Paths = { policy: "policy", policies: "policies" };
const COMPONENT_PATHS: Paths = { policy: "policyId", policies: "policyIds" };

/** The arguments other languages send, in the TypeScript layer's terms, with policies found by their ids. */
function typeScriptArgsOf(name: string, args: VmBackupSelectionComponentArgs, opts: pulumi.ComponentResourceOptions): VmBackupSelectionArgs {
    const a = parseArgs(componentArgsSchema, present(args), COMPONENT, name);
    const invokeOpts = { provider: azureNativeProvider(opts) };
    const policy = a.policyId === undefined ? undefined : policyReferenceAt(COMPONENT, name, "policyId", a.policyId, invokeOpts);
    const policies =
        a.policyIds === undefined
            ? undefined
            : Object.fromEntries(Object.entries(a.policyIds).map(([region, id]) => [region, policyReferenceAt(COMPONENT, name, `policyIds.${region}`, id, invokeOpts)]));
    const out = { policy, policies, select: a.select, exclude: a.exclude, excludeDiskLuns: a.excludeDiskLuns, onDelete: a.onDelete };
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as unknown as VmBackupSelectionArgs;
}

/** Tag values as lists, however they were given. */
function asLists(tags: Record<string, string | string[]> | undefined): Record<string, string[]> | undefined {
    return tags && Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, typeof v === "string" ? [v] : v]));
}

/**
 * Protects every VM that matches a selection (tags, resource groups, subscriptions, name patterns),
 * each as its own ProtectedVm, under one policy or the policy of its region. At preview it lists
 * the VMs, reports every VM it leaves out and why, and spreads the VMs over numbered copies of a
 * policy when one would hold more than Azure allows.
 */
export class VmBackupSelection extends pulumi.ComponentResource {
    /** Resource IDs of the VMs the selection protects, sorted. */
    public readonly protectedVmIds: pulumi.Output<string[]>;
    /** The VMs the selection matched but does not protect, with the reason for each, sorted by VM id. */
    public readonly skippedVms: pulumi.Output<SkippedVm[]>;
    /** Resource IDs of the policies the selection protects VMs under, numbered copies included. */
    public readonly policyIds: pulumi.Output<string[]>;

    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: VmBackupSelectionComponentArgs, opts: pulumi.ComponentResourceOptions = {}) {
        checkName(COMPONENT, name);
        const fromTs = typeScriptArgs<VmBackupSelectionArgs>(args);
        const paths = fromTs ? TYPESCRIPT_PATHS : COMPONENT_PATHS;
        const a = parseArgs(argsSchema, fromTs ? fromTs.args : typeScriptArgsOf(name, args, opts), COMPONENT, name);
        super(TYPE, name, {}, opts);
        const plan = planSelection({
            name,
            a,
            paths,
            selection: this,
            site: { component: COMPONENT, name, resource: this },
            nativeProvider: azureNativeProvider(opts),
            classicOpts: { parent: this, provider: classicProvider(opts) },
        });
        this.protectedVmIds = pulumi.output(plan.then((p) => p.protectedVmIds));
        this.skippedVms = pulumi.output(plan.then((p) => p.skippedVms));
        this.policyIds = pulumi.output(plan.then((p) => p.policyIds)).apply((ids) => pulumi.all(ids));
        this.registerOutputs({ protectedVmIds: this.protectedVmIds, skippedVms: this.skippedVms, policyIds: this.policyIds });
    }
}

interface Context {
    name: string;
    a: Parsed;
    paths: Paths;
    selection: VmBackupSelection;
    site: RuleSite;
    nativeProvider?: pulumi.ProviderResource;
    classicOpts: pulumi.InvokeOptions;
}

/** A policy the selection routes VMs to, with what is known of it and its vault. */
interface Route {
    path: string;
    policy: VmBackupPolicyReference;
    policyName: string;
    /** Whether the policy is named by an id not known yet (preview): which policy it is, and so its room and copies, is known at update. */
    pending: boolean;
    /** Undefined while the policy is named by an id not known yet (preview). */
    policyType?: "Standard" | "Enhanced";
    vaultName?: string;
    resourceGroupName?: string;
    location: string;
    subscription?: string;
    /** How many items Azure counts under the policy; 0 when it does not exist yet or its vault is unknown. */
    inAzure: number;
    invokeOpts: pulumi.InvokeOptions;
}

interface Plan {
    protectedVmIds: string[];
    skippedVms: SkippedVm[];
    policyIds: pulumi.Input<string>[];
}

/** What the selection decided for one VM. */
type Decision = { vm: ListedVm; skip: SkipReason; why: string } | { vm: ListedVm; route: Route; item?: ExistingProtectedItem; skip?: undefined };

async function resolveRoute(ctx: Context, path: string, given: VmBackupPolicyReference): Promise<Route> {
    const policy = (await policyInternals(given).later?.()) ?? given;
    const facts = policyInternals(policy);
    const vault = policy.vault;
    const vaultFacts = vaultInternals(vault);
    const invokeOpts: pulumi.InvokeOptions = { parent: ctx.selection, provider: ctx.nativeProvider ?? vaultFacts.provider };
    const [policyName, policyType, vaultName, resourceGroupName, location, subscription, inAzure] = await Promise.all([
        promiseOf(pulumi.output(facts.policyName)),
        promiseOf(pulumi.output(policy.policyType)),
        promiseOf(vault.vaultName),
        promiseOf(vault.resourceGroupName),
        promiseOf(pulumi.output(vault.location)),
        promiseOf(vaultFacts.subscriptionId()),
        promiseOf(facts.protectedItemsCount()),
    ]);
    return {
        path,
        policy,
        policyName: policyName ?? "",
        // A policy named by an id resolves to the policy behind it once the id is known.
        pending: policyInternals(policy).later !== undefined,
        policyType,
        vaultName,
        resourceGroupName,
        location: location ?? "",
        subscription: subscription?.toLowerCase(),
        inAzure: inAzure ?? 0,
        invokeOpts,
    };
}

async function planSelection(ctx: Context): Promise<Plan> {
    const { a, paths, site } = ctx;
    const criteria: Criteria = { ...a.select, tags: asLists(a.select.tags) };
    const exclusion: Exclusion = { vmIds: a.exclude?.vmIds, tags: asLists(a.exclude?.tags) };

    // A list Azure refuses fails the preview with what was asked: without it no VM can be judged.
    const listing = <T>(what: string, token: string, read: Promise<T>): Promise<T> =>
        read.catch((err: unknown) => {
            const why = err instanceof Error ? err.message : String(err);
            throw new Error(`${label(COMPONENT, ctx.name)}: could not ${what} through the classic azure provider (${token}): ${why}`);
        });
    if (criteria.subscriptions) {
        const listed = await listing("read its subscription", "azure:core/getClientConfig", classicSubscription(ctx.classicOpts));
        enforce(site, subscriptionsUnlisted("select.subscriptions", listed, criteria.subscriptions));
    }
    const routes = new Map<string, Route>();
    let only: Route | undefined;
    if (a.policy) {
        only = await resolveRoute(ctx, paths.policy, a.policy);
    } else {
        for (const [region, policy] of Object.entries(a.policies ?? {})) {
            const route = await resolveRoute(ctx, `${paths.policies}.${region}`, policy);
            if (route.location !== "") enforce(site, policyRegion(route.path, region, route.vaultName ?? route.policyName, route.location));
            routes.set(regionKey(region), route);
        }
    }

    const unique = new Map<string, ListedVm>();
    for (const vm of await listing("list the VMs", "azure:core/getResources", listVms(criteria.resourceGroups, ctx.classicOpts))) {
        if (selected(vm, criteria)) unique.set(vmKey(vm.id), vm);
    }
    const matching = [...unique.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, vm]) => vm);

    let vaults: Promise<ListedVault[]> | undefined;
    const otherVaults = async (vm: ListedVm, route: Route) => {
        vaults ??= listing("list the vaults", "azure:core/getResources", listVaults(ctx.classicOpts));
        return (await vaults).filter(
            (v) =>
                regionKey(v.location) === regionKey(vm.location) &&
                subscriptionOf(v.id) === subscriptionOf(vm.id) &&
                !(v.name.toLowerCase() === route.vaultName?.toLowerCase() && v.resourceGroupName.toLowerCase() === route.resourceGroupName?.toLowerCase()),
        );
    };
    const decisions = await Promise.all(matching.map((vm) => decide(vm, exclusion, only, routes, otherVaults)));

    // Numbered copies per policy, and the vault-wide counts.
    const chosen = decisions.filter((d): d is Extract<Decision, { route: Route }> => d.skip === undefined);
    const byPolicy = new Map<Route, Extract<Decision, { route: Route }>[]>();
    for (const d of chosen) byPolicy.set(d.route, [...(byPolicy.get(d.route) ?? []), d]);
    const placements: { route: Route; copies: VmBackupPolicyReference[]; placed: Map<string, number> }[] = [];
    const perVault = new Map<string | Route, { vault?: string; total: number; newToVault: number; path: string }>();
    for (const [route, ds] of byPolicy) {
        const copy = policyInternals(route.policy).copy;
        // Only a policy the program declares has copies: the selection never adopts ones it cannot manage.
        const copyCounts = copy ? await existingCopies(route) : [];
        const counts = [route.inAzure, ...copyCounts];
        const names = counts.map((_, k) => copyName(route.policyName, k));
        const current = (item?: ExistingProtectedItem) => {
            if (!item || item.softDeleted) return undefined;
            const k = names.findIndex((n) => protectedBy(item.policyId, n));
            return k < 0 ? undefined : k;
        };
        const ours = counts.map((_, k) => ds.filter((d) => current(d.item) === k).length);
        const inProgram = countedUnderPolicy(policyKey(route.policy));
        // A policy not known yet may be one the program declares, with copies: all its VMs wait under it until the update.
        const room = route.pending ? [ds.length] : counts.map((c, k) => VMS_PER_POLICY - (c - ours[k]) - (k === 0 ? inProgram : 0));
        const placed = placeOnCopies(
            ds.map((d) => ({ key: vmKey(d.vm.id), current: current(d.item) })),
            room,
            VMS_PER_POLICY,
        );
        const highest = Math.max(counts.length - 1, ...placed.values());
        if (!copy && highest > 0) {
            enforce(site, policyFull(route.path, route.policyName, room[0], ds.length));
        }
        const copies = [route.policy];
        for (let k = 1; k <= highest; k++) copies.push(copy!(k + 1, ctx.selection));
        placements.push({ route, copies, placed });

        // A vault not known yet (preview) is counted on its own: two such may be different vaults.
        const vaultKey = route.vaultName === undefined ? route : `${route.resourceGroupName}/${route.vaultName}`.toLowerCase();
        const v = perVault.get(vaultKey) ?? { vault: route.vaultName, total: 0, newToVault: 0, path: route.path };
        // Azure's counts of the policy and its copies, and the selection's VMs not among them.
        v.total += counts.reduce((s, c) => s + c, 0) + ds.filter((d) => current(d.item) === undefined).length;
        v.newToVault += ds.filter((d) => d.item === undefined).length;
        perVault.set(vaultKey, v);
    }
    for (const v of perVault.values()) enforce(site, tooManyInVault(v.path, v.vault, v.total), tooManyRegistrations(v.path, v.vault, v.newToVault));

    // Declared in one synchronous stretch: a VM another component claimed meanwhile is skipped, not declared twice.
    const skippedVms: SkippedVm[] = [];
    const protectedVmIds: string[] = [];
    const usedPolicies = new Set<VmBackupPolicyReference>();
    const clash = nameClashes(chosen.map((d) => d.vm));
    const toSkip = (d: { vm: ListedVm; skip: SkipReason; why: string }) => {
        enforce(site, skipped(d.vm, d.skip, d.why));
        skippedVms.push({ vmId: d.vm.id, reason: d.skip, message: d.why });
    };
    for (const d of decisions) {
        if (d.skip !== undefined) {
            toSkip(d);
            continue;
        }
        const claimant = vmClaimant(d.vm.id);
        if (claimant !== undefined) {
            toSkip({ vm: d.vm, skip: SkipReason.DeclaredElsewhere, why: `${claimant} protects it already` });
            continue;
        }
        const at = placements.find((p) => p.route === d.route)!;
        const policy = at.copies[at.placed.get(vmKey(d.vm.id))!];
        usedPolicies.add(policy);
        const child = childName(ctx.name, parseVmId(d.vm.id)!, clash.has(groupAndName(d.vm)));
        const childArgs: ProtectedVmArgs = {
            policy,
            vm: d.vm.id,
            ...(a.excludeDiskLuns ? { excludeDiskLuns: a.excludeDiskLuns } : {}),
            onDelete: a.onDelete,
            initialBackup: a.initialBackup,
        };
        new ProtectedVm(child, fromTypeScript<ProtectedVmComponentArgs>(childArgs), { parent: ctx.selection, provider: d.route.invokeOpts.provider });
        protectedVmIds.push(d.vm.id);
    }
    // A declared policy's id is known at preview, built from names; Azure's comes only once it exists.
    const policyIds = placements.flatMap((p) => p.copies.filter((c) => usedPolicies.has(c)).map((c) => (c instanceof VmBackupPolicy ? c.policyId : c.id)));
    return { protectedVmIds, skippedVms, policyIds };
}

const groupAndName = (vm: ListedVm) => `${vm.resourceGroupName}/${vm.name}`.toLowerCase();

/** Group and name pairs that more than one selected VM has (VMs of different subscriptions). */
function nameClashes(vms: readonly ListedVm[]): Set<string> {
    const seen = new Map<string, number>();
    for (const vm of vms) seen.set(groupAndName(vm), (seen.get(groupAndName(vm)) ?? 0) + 1);
    return new Set([...seen].filter(([, n]) => n > 1).map(([k]) => k));
}

/** Item counts of the policy's numbered copies that exist in Azure (`-2`, `-3`, ... until one is missing). */
async function existingCopies(route: Route): Promise<number[]> {
    const counts: number[] = [];
    if (route.vaultName === undefined || route.resourceGroupName === undefined) return counts;
    for (let k = 1; ; k++) {
        const found = await lookupPolicy(route.resourceGroupName, route.vaultName, copyName(route.policyName, k), route.invokeOpts);
        if (!found) return counts;
        counts.push(found.protectedItemsCount ?? 0);
    }
}

/** Whether one VM is protected, under which route, or why not. */
async function decide(
    vm: ListedVm,
    exclusion: Exclusion,
    only: Route | undefined,
    routes: Map<string, Route>,
    otherVaults: (vm: ListedVm, route: Route) => Promise<ListedVault[]>,
): Promise<Decision> {
    const region = regionKey(vm.location);
    const excluded = excludedBecause(vm, exclusion);
    if (excluded) return { vm, skip: SkipReason.Excluded, why: excluded };
    const route = only ?? routes.get(region);
    // A vault whose region and subscription are not known yet (a policy named by an id known only
    // at update) leaves both to the update, where this and the ProtectedVm's own checks judge them.
    if (!route || (route.location !== "" && regionKey(route.location) !== region)) {
        const why = only
            ? `it is in ${region}, and the policy's vault ${JSON.stringify(only.vaultName)} is in ${regionKey(only.location)}`
            : `it is in ${region}, and no policy is given for that region (policies: ${[...routes.keys()].join(", ")})`;
        return { vm, skip: SkipReason.NoPolicyForRegion, why };
    }
    if (route.subscription !== undefined && subscriptionOf(vm.id) !== route.subscription) {
        return { vm, skip: SkipReason.OtherSubscription, why: `it is in subscription ${subscriptionOf(vm.id)}, and vault ${JSON.stringify(route.vaultName)} in ${route.subscription}` };
    }
    const facts = await lookupVm(vm.resourceGroupName, vm.name, route.invokeOpts);
    if (facts) {
        const found: Finding | undefined =
            unsupportedVm("", vm.name, facts.securityType) ??
            // A type not known yet is judged at update, as the ProtectedVm judges it.
            (route.policyType && needsEnhancedPolicy("", vm.name, facts.securityType, facts.diskTypes, route.policyType)) ??
            missingAgent("", vm.name, facts.provisionVmAgent);
        if (found) {
            const reason = found.rule === "vm.confidential" ? SkipReason.ConfidentialVm : found.rule === "vm.enhanced-policy" ? SkipReason.NeedsEnhancedPolicy : SkipReason.NoVmAgent;
            return { vm, skip: reason, why: found.message };
        }
    }
    const names = protectionNames({ resourceGroupName: vm.resourceGroupName, vmName: vm.name });
    let item: ExistingProtectedItem | undefined;
    if (route.vaultName !== undefined && route.resourceGroupName !== undefined) {
        item = await lookupProtectedItem({ resourceGroupName: route.resourceGroupName, vaultName: route.vaultName, ...names }, route.invokeOpts);
        if (item?.softDeleted) {
            return {
                vm,
                skip: SkipReason.SoftDeletedInVault,
                why: `its backup item in vault ${JSON.stringify(route.vaultName)} is soft-deleted${item.deleteTime ? ` (purged after ${item.deleteTime})` : ""}; undelete it to protect it there again`,
            };
        }
    }
    if (!item) {
        for (const other of await otherVaults(vm, route)) {
            const there = await lookupProtectedItem({ resourceGroupName: other.resourceGroupName, vaultName: other.name, ...names }, route.invokeOpts);
            if (there) {
                return {
                    vm,
                    skip: SkipReason.ProtectedInAnotherVault,
                    why: `vault ${JSON.stringify(other.name)} (group ${other.resourceGroupName}) holds its backup item${there.protectionState ? ` (${there.protectionState}${there.softDeleted ? ", soft-deleted" : ""})` : ""}, and a VM is protected in one vault at a time; stop its protection there and delete its backup data first`,
                };
            }
        }
    }
    return { vm, route, item };
}
