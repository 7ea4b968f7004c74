import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import { z } from "zod";
import { sameArguments } from "../rules/argument-names";
import { itemResource } from "./child-resources";
import { isLater, present, typeScriptArgs } from "./arguments";
import { type VaultInternals, vaultInternals } from "./backup-vault";
import { isPolicyReference, policyInternals, policyKey } from "./vm-backup-policy";
import type { VmBackupPolicyReference } from "../vm-backup-policy";
import { policyReferenceAt } from "./references";
import type { ProtectedVmArgs } from "../protected-vm";
import { type RuleSite, checkName, enforce, label, parseArgs, show } from "../rules/errors";
import type { Finding } from "../rules/finding";
import { claimVmId, claimVmObject, countUnderPolicy, noteUnderPolicy } from "../rules/program-claims";
import { normalizeRegion } from "../rules/regions";
import { parseVmId, protectionNames } from "../rules/resource-ids";
import { readDate } from "../rules/dates";
import { itemTakenOver, oldItemState, sameVault, tooManyInProgram, tooManyWithAzure, vaultMove } from "../rules/estate";
import { changesRedundancy, redundancyChange } from "../rules/vault";
import {
    alreadyProtected,
    badVmId,
    missingAgent,
    needsEnhancedPolicy,
    protectedBy,
    regionMismatch,
    softDeletedHere,
    subscriptionMismatch,
    unsupportedVm,
} from "../rules/vm-eligibility";
import { VirtualMachineInput, isAcceptedVmResource, vmSource } from "../facts/vm-source";
import { lookupProtectedItem, lookupVault } from "../facts/lookups";
import { deployedItemsFor, deploymentEvidence } from "../facts/last-deployment";
import { azureNativeProvider } from "../facts/provider";
import { type Known, known, settled, valueOrAbsent, whenKnown } from "../facts/unknowns";
import { aliasUrns, logicalName } from "../facts/pulumi-internals";
import { InitialBackup } from "../on-demand/initial-backup";

/** What removing a ProtectedVm does to the VM's backup data. */
export const OnDelete = {
    /** Leave the protected item and its recovery points in the vault; Pulumi forgets it. */
    retain: "retain",
    /** Stop protection and delete the backup data (Azure keeps it soft-deleted for the vault's soft-delete period). */
    delete: "delete",
} as const;
export type OnDelete = (typeof OnDelete)[keyof typeof OnDelete];

/** Arguments of a ProtectedVm in every language: the policy and the VM by id. */
export interface ProtectedVmComponentArgs {
    /** Resource ID of the backup policy: a VmBackupPolicy's `policyId`, or an existing policy's id. The VM is protected in its vault. */
    policyId: pulumi.Input<string>;
    /** Resource ID of the VM. It is looked up at preview for the rules. */
    vmId: pulumi.Input<string>;
    /** Region of the VM, which stands in when the VM cannot be read at preview (a VM this program creates). */
    vmLocation?: pulumi.Input<string>;
    /** LUNs of data disks to leave out of the backup. The OS disk is always backed up. @default - every disk */
    excludeDiskLuns?: number[];
    /** What removing this component does: "retain" keeps the recovery points, "delete" deletes them. @default "retain" */
    onDelete?: OnDelete;
}

const TYPE = "azure-vm-backup:index:ProtectedVm";
const COMPONENT = "ProtectedVm";

const VM_KINDS = "an azure-native compute.VirtualMachine, a classic azure.compute.LinuxVirtualMachine or WindowsVirtualMachine, { id, location? } or a VM resource ID";

/** Every way a `vm` argument can be wrong, with the path into it. */
function vmProblems(vm: unknown): { path: (string | number)[]; reason: string }[] {
    if (typeof vm === "string") {
        const why = idProblem(vm);
        return why ? [{ path: [], reason: why }] : [];
    }
    if (isAcceptedVmResource(vm)) return [];
    if (typeof vm !== "object" || vm === null || Array.isArray(vm) || pulumi.Resource.isInstance(vm) || isLater(vm)) {
        return [{ path: [], reason: `must be ${VM_KINDS}, got ${show(vm)}` }];
    }
    const problems: { path: (string | number)[]; reason: string }[] = [];
    const { id, location, ...rest } = vm as { id?: unknown; location?: unknown };
    const unknown = Object.keys(rest);
    if (unknown.length > 0) problems.push({ path: [], reason: `unknown argument${unknown.length === 1 ? "" : "s"} ${unknown.map((k) => JSON.stringify(k)).join(", ")}` });
    if (typeof id === "string") {
        const why = idProblem(id);
        if (why) problems.push({ path: ["id"], reason: why });
    } else if (!isLater(id)) {
        problems.push({ path: ["id"], reason: `must be the VM's resource ID, a string or an Output of one, got ${show(id)}` });
    }
    if (typeof location === "string" && normalizeRegion(location) === undefined) {
        problems.push({ path: ["location"], reason: `must be a known Azure region, got ${show(location)}` });
    } else if (location !== undefined && typeof location !== "string" && !isLater(location)) {
        problems.push({ path: ["location"], reason: `must be the VM's region, a string or an Output of one, got ${show(location)}` });
    }
    return problems;
}

const argsSchema = z.strictObject({
    policy: z.custom<VmBackupPolicyReference>((p) => isPolicyReference(p), {
        error: (i) => `must be a VmBackupPolicy or VmBackupPolicy.fromId(...), got ${show(i.input)}`,
        abort: false,
    }),
    vm: z.unknown().superRefine((vm, ctx) => {
        for (const p of vmProblems(vm)) ctx.addIssue({ code: "custom", path: p.path, message: p.reason });
    }) as z.ZodType<VirtualMachineInput>,
    excludeDiskLuns: z
        .array(z.number().int().refine((n) => n >= 0 && n <= 63, { error: (i) => `must be a data disk LUN from 0 to 63, got ${show(i.input)}` }))
        .refine((l) => new Set(l).size === l.length, { error: (i) => `must not list a LUN twice, got ${show(i.input)}` })
        .optional(),
    onDelete: z.enum(["retain", "delete"]).default("retain"),
    initialBackup: z
        .union([
            z.boolean(),
            z.strictObject({
                // Only the form is checked here: whether the date still lies ahead is a question
                // for the moment of the backup, not for every later run of the program.
                retainUntil: z
                    .string()
                    .superRefine((v, ctx) => {
                        const read = readDate(v);
                        if ("reason" in read) ctx.addIssue({ code: "custom", message: `${read.reason}, got ${show(v)}` });
                    })
                    .optional(),
                endpoint: z.url({ protocol: /^https$/, error: (i) => `must be an https URL, got ${show(i.input)}` }).optional(),
            }),
        ])
        .default(false),
});

sameArguments<ProtectedVmArgs, typeof argsSchema>(true);

/** Argument names of the two surfaces, for messages: each names the argument its user wrote. */
const TYPESCRIPT_PATHS = { vm: "vm", policy: "policy" } as const;
const COMPONENT_PATHS = { vm: "vmId", policy: "policyId" } as const;
type Paths = { readonly vm: string; readonly policy: string };

const componentArgsSchema = z.strictObject({
    policyId: z.unknown(),
    vmId: z.unknown().superRefine((id, ctx) => {
        const why = isLater(id) ? undefined : idProblem(id);
        if (why) ctx.addIssue({ code: "custom", message: why });
    }),
    vmLocation: z
        .unknown()
        .superRefine((location, ctx) => {
            if (typeof location === "string" ? normalizeRegion(location) === undefined : location !== undefined && !isLater(location)) {
                ctx.addIssue({ code: "custom", message: `must be a known Azure region, got ${show(location)}` });
            }
        })
        .optional(),
    excludeDiskLuns: z.unknown().optional(),
    onDelete: z.unknown().optional(),
});

sameArguments<ProtectedVmComponentArgs, typeof componentArgsSchema>(true);

/** The arguments other languages send, in the TypeScript layer's terms, with the policy found by its id. */
function typeScriptArgsOf(name: string, args: ProtectedVmComponentArgs, opts: pulumi.ComponentResourceOptions): ProtectedVmArgs {
    const a = parseArgs(componentArgsSchema, present(args), COMPONENT, name);
    const policy = policyReferenceAt(COMPONENT, name, "policyId", a.policyId, { provider: azureNativeProvider(opts) });
    const vm = typeof a.vmId === "string" && a.vmLocation === undefined ? a.vmId : { id: a.vmId as pulumi.Input<string>, ...(a.vmLocation === undefined ? {} : { location: a.vmLocation as pulumi.Input<string> }) };
    return Object.fromEntries(Object.entries({ policy, vm, excludeDiskLuns: a.excludeDiskLuns, onDelete: a.onDelete }).filter(([, v]) => v !== undefined)) as unknown as ProtectedVmArgs;
}

// Kept off the class: every property of a component class is an output in its package schema.
const parts = new WeakMap<object, { protectedItem: recoveryservices.ProtectedItem; initialBackupJobId?: pulumi.Output<string> }>();

/** Why a VM id breaks the id rule, for the argument schemas (which know the path). */
const idProblem = (id: unknown): string | undefined => badVmId("", id)?.message;

/**
 * Protects an Azure VM in the vault of a VmBackupPolicy. At preview it checks that the VM
 * is in the vault's region and subscription, that no other ProtectedVm protects it, and that the
 * policy type suits the VM. Removing it keeps the recovery points unless `onDelete` is "delete".
 */
export class ProtectedVm extends pulumi.ComponentResource {
    /** The protected item in the vault. TypeScript only: other languages get `protectedItemId`. */
    public get protectedItem(): recoveryservices.ProtectedItem {
        return parts.get(this)!.protectedItem;
    }
    /** Resource ID of the protected item. TypeScript only: other languages get `protectedItemId`. */
    public get id(): pulumi.Output<string> {
        return parts.get(this)!.protectedItem.id;
    }
    /** The job of the initial backup, when `initialBackup` asked for one. TypeScript only. */
    public get initialBackupJobId(): pulumi.Output<string> | undefined {
        return parts.get(this)!.initialBackupJobId;
    }
    /** Resource ID of the protected item. */
    public readonly protectedItemId: pulumi.Output<string>;
    /** Resource ID of the VM. */
    public readonly vmId: pulumi.Output<string>;
    /** Resource ID of the vault that holds the VM's recovery points. */
    public readonly vaultId: pulumi.Output<string>;

    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: ProtectedVmComponentArgs, opts: pulumi.ComponentResourceOptions = {}) {
        checkName(COMPONENT, name);
        const fromTs = typeScriptArgs<ProtectedVmArgs>(args);
        const P: Paths = fromTs ? TYPESCRIPT_PATHS : COMPONENT_PATHS;
        const a = parseArgs(argsSchema, fromTs ? fromTs.args : typeScriptArgsOf(name, args, opts), COMPONENT, name);
        // As for the child resources (child-resources.ts): the stacks the SDK tags its promises with are never read.
        const stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            super(TYPE, name, {}, opts);
        } finally {
            Error.stackTraceLimit = stackTraceLimit;
        }
        const constructing: RuleSite = { component: COMPONENT, name, constructing: true };
        const site: RuleSite = { component: COMPONENT, name, resource: this };

        if (typeof a.vm === "object" && isAcceptedVmResource(a.vm)) {
            enforce(constructing, alreadyProtected(P.vm, claimVmObject(a.vm, this, name), logicalName(a.vm) ?? ""));
        } else if (typeof a.vm === "string") {
            enforce(constructing, alreadyProtected(P.vm, claimVmId(a.vm, this, name), a.vm));
        }
        const policy = a.policy;
        // A policy named by an id known only later is counted once the id is known.
        const policyFacts = policyInternals(policy);
        const later = policyFacts.later?.();
        if (!later) enforce(constructing, tooManyInProgram(P.policy, countUnderPolicy(policyKey(policy))));

        const vault = policy.vault;
        const facts = vaultInternals(vault);
        // The item belongs beside its vault: with the vault's provider unless given one here.
        const provider = azureNativeProvider(opts) ?? facts.provider;
        const invokeOpts: pulumi.InvokeOptions = { parent: this, provider };
        const vm = vmSource(a.vm, COMPONENT, name, invokeOpts, P.vm);

        // Each rule waits only for the values it needs, so an unknown value elsewhere does not
        // hide it; a value unknown at preview skips its rule. The rules run on Promises, not
        // Outputs: a fleet's VMs each hold their chains until the preview ends (README, "Benchmarks").
        const evidence = deploymentEvidence();
        const vmId = known(vm.id);
        const vmNames = known(vm.names);
        const vmName = known(vm.displayName);
        const vmFacts = known(vm.facts);
        const vaultGroup = known(vault.resourceGroupName);
        const vaultName = known(vault.vaultName);
        // The VM's item in this vault, if Azure has one already.
        const existingItem = whenKnown([vmNames, vaultGroup, vaultName], (n, resourceGroupName, vName) =>
            n.vmName ? lookupProtectedItem({ resourceGroupName, vaultName: vName, ...protectionNames(n) }, invokeOpts) : undefined,
        );
        // What Azure already counts for the policy, and the program's VMs new to it up to this one.
        const policyName = valueOrAbsent(known(policyFacts.policyName));
        const newToPolicy = Promise.all([valueOrAbsent(existingItem), policyName]).then(
            ([item, pName]) => !(item && !item.softDeleted && pName !== undefined && protectedBy(item.policyId, pName)),
            () => true,
        );
        // This VM's place among the program's VMs under the policy: counted at once, or once the policy's id is known.
        const ordinal: Promise<number | undefined> = later ? later.then((target) => (target ? countUnderPolicy(policyKey(target)) : undefined)) : Promise.resolve(undefined);
        const underPolicy: Promise<Promise<boolean>[]> = later
            ? later.then((target) => (target ? noteUnderPolicy(policyKey(target), newToPolicy) : [newToPolicy]))
            : Promise.resolve(noteUnderPolicy(policyKey(policy), newToPolicy));
        const checks: Promise<unknown>[] = [
            ordinal.then((n) => n !== undefined && enforce(site, tooManyInProgram(P.policy, n))),
            whenKnown([vmId], (id) => {
                enforce(site, badVmId(P.vm, id));
                enforce(site, alreadyProtected(P.vm, claimVmId(id, this, name), id));
            }),
            whenKnown([vmName, vmFacts, vaultName, known(vault.location)], (displayName, f, vName, vaultLocation) => {
                if (f.location) enforce(site, regionMismatch(P.vm, displayName, f.location, vName, vaultLocation));
            }),
            // The vault's subscription is looked up only once there is a VM id to compare.
            whenKnown([vmName, vmId, vaultName], async (displayName, id, vName) => {
                const parsed = typeof id === "string" ? parseVmId(id) : undefined;
                if (!parsed) return;
                const subscription = await known(facts.subscriptionId());
                if (subscription.known) enforce(site, subscriptionMismatch(P.vm, displayName, parsed.subscriptionId, vName, subscription.value));
            }),
            whenKnown([vmName, vmFacts, known(policy.policyType)], (displayName, f, policyType) => {
                enforce(site, unsupportedVm(P.vm, displayName, f.securityType), needsEnhancedPolicy(P.policy, displayName, f.securityType, f.diskTypes, policyType));
            }),
            whenKnown([vmName, vmFacts], (displayName, f) => enforce(site, missingAgent(P.vm, displayName, f.provisionVmAgent))),
            // A VM whose item is soft-deleted in this vault cannot be protected there again.
            whenKnown([vmName, existingItem, vaultName], (displayName, item, vName) => enforce(site, softDeletedHere(P.vm, displayName, vName, item))),
            // What this stack deployed before for the VM: a move from another vault, or an item taken over.
            whenKnown([vmName, vmId, vmNames, vaultGroup, vaultName, ownUrns(this)], async (displayName, id, n, resourceGroupName, vName, urns) => {
                if (typeof id !== "string" || !n.vmName) return;
                const warn = (message: string) => pulumi.log.warn(`${label(COMPONENT, name)}: ${message}`, this);
                const findings = await lastDeploymentFindings({ paths: P, vmName: displayName, vmId: id, item: protectionNames(n), resourceGroupName, vaultName: vName, urns, evidence, warn, invokeOpts });
                enforce(site, ...findings);
            }),
        ];
        // The policy's capacity, read after the rules above (the look-ups they start keep their order),
        // but first among them for the gate: of several broken rules, the first in this list fails the item.
        checks.splice(
            1,
            0,
            whenKnown([known(policyFacts.protectedItemsCount()), known(policyFacts.policyName)], async (inAzure, pName) => {
                // Past the limit within the program alone: already reported.
                if (inAzure === undefined || tooManyInProgram(P.policy, (await ordinal) ?? 0)) return;
                const isNew = await Promise.all(await underPolicy);
                if (isNew[isNew.length - 1]) enforce(site, tooManyWithAzure(P.policy, pName, inAzure, isNew.filter((n) => n).length));
            }),
        );
        // Only a vault this program manages can have its redundancy changed by it, and Azure
        // refuses the change only while the vault holds backup items.
        const redundancyCheck = (managed: VaultInternals): Promise<unknown> | undefined => {
            const declaredRedundancy = managed.declaredRedundancy;
            const holdsItems = managed.holdsItems;
            if (declaredRedundancy === undefined || holdsItems === undefined) return undefined;
            return whenKnown([known(managed.existing), vaultName], async (existing, vName) => {
                const current = existing?.storageRedundancy;
                if (!changesRedundancy(current, declaredRedundancy)) return;
                const holds = await known(holdsItems(current));
                if (holds.known && holds.value === true) enforce(site, redundancyChange(P.policy, vName, current, declaredRedundancy));
            });
        };
        const vaultLater = facts.later?.();
        const redundancy = vaultLater ? vaultLater.then((target) => (target ? redundancyCheck(vaultInternals(target)) : undefined)) : redundancyCheck(facts);
        if (redundancy) checks.push(redundancy);
        const gate = settled(checks);

        const protectedItem = itemResource(
            name,
            {
                resourceGroupName: vault.resourceGroupName,
                vaultName: vault.vaultName,
                fabricName: "Azure",
                containerName: vm.names.apply((n) => protectionNames(n).containerName),
                protectedItemName: vm.names.apply((n) => protectionNames(n).protectedItemName),
                properties: {
                    protectedItemType: "Microsoft.Compute/virtualMachines",
                    // The rules gate the VM id: a broken rule fails this resource, and so the preview.
                    sourceResourceId: pulumi.all([vm.id, gate]).apply(([id]) => id),
                    policyId: policy.id,
                    ...(a.excludeDiskLuns
                        ? { extendedProperties: { diskExclusionProperties: { diskLunList: a.excludeDiskLuns, isInclusionList: false } } }
                        : {}),
                },
            },
            {
                parent: this,
                provider,
                // A VM belongs to one vault: the old item must go before the new one is made.
                deleteBeforeReplace: true,
                retainOnDelete: a.onDelete === "retain",
            },
        );

        this.protectedItemId = protectedItem.id;
        this.vmId = vm.id;
        this.vaultId = pulumi.Output.isInstance(vault.id) ? vault.id : pulumi.output(vault.id);
        let initialBackupJobId: pulumi.Output<string> | undefined;
        if (a.initialBackup !== false) {
            const initial = new InitialBackup(
                name,
                {
                    vaultId: vault.id,
                    vmId: vm.id,
                    ...(a.initialBackup === true ? {} : { retainUntil: a.initialBackup.retainUntil, endpoint: a.initialBackup.endpoint }),
                },
                { parent: this, dependsOn: [protectedItem] },
            );
            initialBackupJobId = initial.jobId;
        }
        parts.set(this, { protectedItem, initialBackupJobId });
        // onDelete is kept in the state: it governs how a later deployment may replace the item.
        this.registerOutputs({
            id: protectedItem.id,
            protectedItemId: this.protectedItemId,
            vmId: this.vmId,
            vaultId: this.vaultId,
            initialBackupJobId,
            onDelete: a.onDelete,
        });
    }
}

/**
 * What the stack's last deployment holds for the VM, judged against where this ProtectedVm puts
 * it: an item in another vault (a move), or the same item under another resource (a take-over).
 */
async function lastDeploymentFindings(a: {
    paths: Paths;
    vmName: string;
    vmId: string;
    item: { containerName: string; protectedItemName: string };
    resourceGroupName: string;
    vaultName: string;
    urns: string[];
    evidence: readonly pulumi.Output<string>[];
    warn: (message: string) => void;
    invokeOpts: pulumi.InvokeOptions;
}): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const earlier of await deployedItemsFor(a.vmId, a.evidence, a.warn)) {
        const from = earlier.vault;
        const ours = earlier.componentUrn !== undefined && a.urns.includes(earlier.componentUrn);
        const owner = earlier.componentUrn?.split("::").pop();
        if (sameVault(from, a)) {
            const taken = ours ? undefined : itemTakenOver(a.paths.vm, { vm: a.vmName, vault: a.vaultName, urn: earlier.urn, owner, onDelete: earlier.onDelete });
            if (taken) findings.push(taken);
            continue;
        }
        // Either look-up may be refused (the old vault's group is out of reach, say): that leaves the move unjudged, not the preview failed.
        const [live, oldVault] = await Promise.allSettled([
            lookupProtectedItem({ resourceGroupName: from.resourceGroupName, vaultName: from.vaultName, ...a.item }, a.invokeOpts),
            lookupVault(from.resourceGroupName, from.vaultName, a.invokeOpts),
        ]);
        const vaultFacts = oldVault.status === "fulfilled" ? oldVault.value : undefined;
        const finding = vaultMove(a.paths.policy, {
            vm: a.vmName,
            from,
            to: a.vaultName,
            sameComponent: ours,
            owner,
            onDelete: earlier.onDelete,
            state: live.status === "fulfilled" ? oldItemState(live.value) : "unknown",
            lookupError: live.status === "rejected" ? (live.reason instanceof Error ? live.reason.message : String(live.reason)) : undefined,
            purgeTime: live.status === "fulfilled" ? live.value?.deleteTime : undefined,
            oldVault: vaultFacts && { softDeleteState: vaultFacts.softDeleteState, softDeleteDays: vaultFacts.softDeleteDays, immutability: vaultFacts.immutability },
            item: a.item,
        });
        findings.push(finding);
    }
    return findings;
}

/** This component's URN and the URNs its aliases name: the same resource to the engine. */
function ownUrns(resource: pulumi.ComponentResource): Promise<Known<string[]>> {
    return whenKnown([resource.urn, ...aliasUrns(resource)].map((u) => known(u)), (...urns: string[]) => urns);
}

/** @internal The options a VmBackupSelection passes to each ProtectedVm it declares, as ProtectedVm checks them. */
export const protectionOptions = argsSchema.pick({ excludeDiskLuns: true, onDelete: true, initialBackup: true });
