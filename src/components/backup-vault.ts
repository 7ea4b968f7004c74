import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import { z } from "zod";
import { sameArguments } from "../rules/argument-names";
import { vaultResource } from "./child-resources";
import { type RuleSite, checkName, enforce, parseArgs, ruleError } from "../rules/errors";
import { badVaultName, deriveName, duplicateVaultName } from "../rules/names";
import { normalizeRegion } from "../rules/regions";
import { parseVaultId, vaultIdOf } from "../rules/resource-ids";
import {
    badVaultId,
    crossRegionRestoreNeedsGeo,
    redundancyChangeUnjudged,
    softDeleteDays,
    unknownRegion,
    vaultChangeFindings,
    vaultSettingsFindings,
    vaultUnread,
} from "../rules/vault";
import { missing, unreadable } from "../rules/estate";
import { redact } from "../on-demand/redact";
import { claimName } from "../rules/program-claims";
import { ExistingVault, clientSubscription, lookupVault, lookupVaultHoldsItems } from "../facts/lookups";
import { azureNativeProvider } from "../facts/provider";
import { settled } from "../facts/unknowns";
import { noteManagedResource } from "../facts/last-deployment";
import { noteDeclaredVault } from "../facts/declared-components";

/** How a vault replicates backup data. */
export const StorageRedundancy = {
    GeoRedundant: "GeoRedundant",
    LocallyRedundant: "LocallyRedundant",
    ZoneRedundant: "ZoneRedundant",
} as const;
export type StorageRedundancy = (typeof StorageRedundancy)[keyof typeof StorageRedundancy];

/** Whether deleted backup data stays recoverable. */
export const SoftDeleteState = {
    /** Soft delete on; it can be turned off later. */
    Enabled: "Enabled",
    /** Soft delete on for good: it can never be turned off. */
    AlwaysOn: "AlwaysOn",
} as const;
export type SoftDeleteState = (typeof SoftDeleteState)[keyof typeof SoftDeleteState];

/** Whether recovery points can be deleted before they expire. */
export const Immutability = {
    Disabled: "Disabled",
    /** Immutable, and can still be disabled. */
    Unlocked: "Unlocked",
    /** Immutable for good. Azure refuses it on a new vault: create the vault "Unlocked" first. */
    Locked: "Locked",
} as const;
export type Immutability = (typeof Immutability)[keyof typeof Immutability];

/** Whether the vault is reachable from public networks. */
export const PublicNetworkAccess = {
    Enabled: "Enabled",
    Disabled: "Disabled",
} as const;
export type PublicNetworkAccess = (typeof PublicNetworkAccess)[keyof typeof PublicNetworkAccess];

/** Soft delete of backup data. */
export interface SoftDelete {
    /**
     * "Enabled", or "AlwaysOn", which can never be turned off.
     *
     * @default "Enabled"
     */
    readonly state?: SoftDeleteState;
    /**
     * Days deleted backup data is kept, 14-180.
     *
     * @default 14
     */
    readonly retentionDays?: number;
}

/** Arguments for a {@link BackupVault}. */
export interface BackupVaultArgs {
    /** Resource group that holds the vault. */
    readonly resourceGroupName: pulumi.Input<string>;
    /**
     * Azure region of the vault, by name ("westeurope") or display name ("West Europe"). Plain,
     * because it decides which VMs the vault may protect at preview.
     */
    readonly location: string;
    /**
     * Name of the vault in Azure.
     *
     * @default - the component name made valid for Azure (no random suffix, so that an existing
     * vault of that name is found at preview)
     */
    readonly vaultName?: string;
    /**
     * How backup data is replicated. Cannot change once the vault holds backup items.
     *
     * @default "GeoRedundant"
     */
    readonly storageRedundancy?: StorageRedundancy;
    /**
     * Restore in the paired region. GeoRedundant only; once enabled it cannot be disabled.
     *
     * @default false
     */
    readonly crossRegionRestore?: boolean;
    /**
     * Soft delete keeps deleted backup data recoverable. "AlwaysOn" can never be turned off.
     *
     * @default { state: "Enabled", retentionDays: 14 }
     */
    readonly softDelete?: SoftDelete;
    /**
     * Immutable vault. "Locked" is irreversible and Azure refuses it on a new vault: create the
     * vault "Unlocked" first.
     *
     * @default "Disabled"
     */
    readonly immutability?: Immutability;
    /**
     * Whether the vault is reachable from public networks.
     *
     * @default - Azure's default (Enabled)
     */
    readonly publicNetworkAccess?: PublicNetworkAccess;
    /** Tags of the vault. */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** What is known, or looked up, of an existing vault given to {@link BackupVault.fromId}. */
export interface ExistingVaultFacts {
    /** Region of the vault. @default - looked up at preview */
    readonly location?: string;
    /** Storage redundancy of the vault. @default - looked up at preview */
    readonly storageRedundancy?: StorageRedundancy;
}

/**
 * A vault that policies and protected VMs can use: a {@link BackupVault}, or an existing vault
 * from {@link BackupVault.fromId}.
 */
export interface BackupVaultReference {
    /** Resource ID of the vault. */
    readonly id: pulumi.Output<string>;
    /** Name of the vault in Azure. */
    readonly vaultName: pulumi.Output<string>;
    /** Resource group of the vault. */
    readonly resourceGroupName: pulumi.Output<string>;
    /** Region of the vault, canonical ("westeurope"). */
    readonly location: pulumi.Input<string>;
    /** Storage redundancy of the vault. */
    readonly storageRedundancy: pulumi.Input<StorageRedundancy>;
}

/** @internal What the other components need of a vault beyond its public face. */
export interface VaultInternals {
    /** The vault as it exists in Azure now; undefined when it does not exist yet. */
    readonly existing: pulumi.Output<ExistingVault | undefined>;
    /** Redundancy the program declares for a vault it manages; undefined for references. */
    readonly declaredRedundancy?: StorageRedundancy;
    /**
     * Whether the vault, which exists with another redundancy than declared, holds backup items;
     * undefined when that cannot be told (a warning on the vault says so). Managed vaults only.
     */
    holdsItems?(current: string): pulumi.Output<boolean | undefined>;
    /** Subscription of the vault. */
    subscriptionId(): pulumi.Output<string>;
    /** The azure-native provider the vault was given: its policies and items belong beside it. */
    readonly provider?: pulumi.ProviderResource;
    /**
     * For a vault named by an id known only later: the vault behind the id once it is known
     * (undefined while it is unknown at preview), with all that is known of it.
     */
    later?(): Promise<BackupVaultReference | undefined>;
}

const internals = new WeakMap<object, VaultInternals>();
// Kept off the class: every property of a component class is an output in its package schema.
const children = new WeakMap<BackupVault, { vault: recoveryservices.Vault }>();

/** @internal */
export function vaultInternals(vault: BackupVaultReference): VaultInternals {
    const i = internals.get(vault);
    if (!i) throw new Error("not a BackupVault or BackupVault.fromId reference");
    return i;
}

/** @internal The vault's id as soon as it can be known: a BackupVault's `vaultId`, else the id it was given. */
export function knownVaultId(vault: BackupVaultReference): pulumi.Output<string> {
    return vault instanceof BackupVault ? vault.vaultId : pulumi.output(vault.id);
}

// Existing vaults are known by their id, however many references name them.
const referenceKeys = new WeakMap<object, string>();

/** @internal What identifies a vault for the one-name-per-vault rule. */
export function vaultKey(vault: BackupVaultReference): unknown {
    return referenceKeys.get(vault) ?? vault;
}

/** @internal Registers a reference made outside this module (a vault named by a later id). */
export function noteVaultReference(ref: BackupVaultReference, facts: VaultInternals): void {
    internals.set(ref, facts);
}

/** @internal */
export function isVaultReference(v: unknown): v is BackupVaultReference {
    return typeof v === "object" && v !== null && internals.has(v);
}

const TYPE = "azure-vm-backup:index:BackupVault";
const COMPONENT = "BackupVault";

const regionSchema = z.string().transform((value, ctx) => {
    const region = normalizeRegion(value);
    if (region !== undefined) return region;
    ctx.addIssue({ code: "custom", message: unknownRegion(value).message });
    return z.NEVER;
});

/** @internal What BackupVault.fromId accepts as facts. */
export const vaultFactsSchema = z.strictObject({
    location: regionSchema.optional(),
    storageRedundancy: z.enum(StorageRedundancy).optional(),
});

const argsSchema = z
    .object({
        resourceGroupName: z.union([z.string().min(1), z.custom<pulumi.Output<string>>((v) => pulumi.Output.isInstance(v) || v instanceof Promise)]),
        location: regionSchema,
        vaultName: z
            .string()
            .superRefine((n, ctx) => {
                const broken = badVaultName(n);
                if (broken) ctx.addIssue({ code: "custom", message: broken.message });
            })
            .optional(),
        storageRedundancy: z.enum(StorageRedundancy).default("GeoRedundant"),
        crossRegionRestore: z.boolean().default(false),
        softDelete: z
            .strictObject({
                state: z.enum(SoftDeleteState).default("Enabled"),
                retentionDays: z
                    .number()
                    .int()
                    .superRefine((d, ctx) => {
                        const broken = softDeleteDays(d);
                        if (broken) ctx.addIssue({ code: "custom", message: broken.message });
                    })
                    .default(14),
            })
            .default({ state: "Enabled", retentionDays: 14 }),
        immutability: z.enum(Immutability).default("Disabled"),
        publicNetworkAccess: z.enum(PublicNetworkAccess).optional(),
        tags: z.any().optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
        const broken = crossRegionRestoreNeedsGeo(a.crossRegionRestore, a.storageRedundancy);
        if (broken) ctx.addIssue({ code: "custom", path: [broken.path], message: broken.message });
    });

sameArguments<BackupVaultArgs, typeof argsSchema>(true);

type ParsedArgs = z.output<typeof argsSchema>;
type VaultProperties = NonNullable<pulumi.Unwrap<recoveryservices.VaultArgs["properties"]>>;

/**
 * @internal An existing vault, by resource ID, for the component `component` whose argument
 * `path` names it: what `BackupVault.fromId` returns.
 */
export function vaultReferenceFromId(
component: string,
name: string,
vaultId: string,
facts: ExistingVaultFacts,
opts: pulumi.InvokeOptions,
path: string,
): BackupVaultReference {
    checkName(component, name);
    const parsed = typeof vaultId === "string" ? parseVaultId(vaultId) : undefined;
    if (!parsed) throw ruleError({ component, name, constructing: true }, badVaultId(path, vaultId));
    const known = parseArgs(z.strictObject({ facts: vaultFactsSchema }), { facts }, component, name).facts;
    let lookup: pulumi.Output<ExistingVault> | undefined;
    const existing = () =>
        (lookup ??= pulumi.output(
            lookupVault(parsed.resourceGroupName, parsed.vaultName, opts).then(
                (v) => {
                    if (!v) throw ruleError({ component, name }, missing("vault", path, vaultId));
                    return v;
                },
                (err: unknown) => {
                    // Azure's own words, redacted: a provider may quote the request's credentials.
                    const why = redact(err instanceof Error ? err.message : String(err));
                    throw ruleError({ component, name }, unreadable("vault", path, vaultId, why, "give the vault's location and storage redundancy as its facts"));
                },
            ),
        ));
    const ref: BackupVaultReference = {
        id: pulumi.output(vaultId),
        vaultName: pulumi.output(parsed.vaultName),
        resourceGroupName: pulumi.output(parsed.resourceGroupName),
        location: known.location ?? existing().apply((v) => normalizeRegion(v.location) ?? v.location),
        storageRedundancy: known.storageRedundancy ?? existing().apply((v) => v.storageRedundancy as StorageRedundancy),
    };
    internals.set(ref, {
        get existing() {
            return existing() as pulumi.Output<ExistingVault | undefined>;
        },
        subscriptionId: () => pulumi.output(parsed.subscriptionId),
        provider: azureNativeProvider(opts),
    });
    referenceKeys.set(ref, vaultIdOf(parsed).toLowerCase());
    return ref;
}

/**
 * A Recovery Services vault for Azure VM backup, checked at preview against Azure Backup's
 * vault rules: region, name, storage redundancy, cross-region restore, soft delete and
 * immutability.
 */
export class BackupVault extends pulumi.ComponentResource implements BackupVaultReference {
    /**
     * An existing vault, by resource ID. Its region and redundancy are looked up at preview
     * (azure-native `recoveryservices.getVault`) unless given in `facts`.
     *
     * @param name A name for the vault in messages.
     * @param vaultId Resource ID of the vault.
     * @param facts What is already known of the vault.
     * @param opts Options for the look-ups (for instance the provider).
     */
    public static fromId(name: string, vaultId: string, facts: ExistingVaultFacts = {}, opts: pulumi.InvokeOptions = {}): BackupVaultReference {
        return vaultReferenceFromId(COMPONENT, name, vaultId, facts, opts, "vaultId");
    }

    /** The vault resource. TypeScript only: other languages get `vaultId`. */
    public get vault(): recoveryservices.Vault {
        return children.get(this)!.vault;
    }
    /** Resource ID of the vault, as Azure reports it. TypeScript only: other languages get `vaultId`. */
    public get id(): pulumi.Output<string> {
        return children.get(this)!.vault.id;
    }
    /**
     * Resource ID of the vault, built from its subscription, group and name: known at preview
     * once the group is, and resolved only once the vault exists.
     */
    public readonly vaultId: pulumi.Output<string>;
    /** Name of the vault in Azure, known at preview. */
    public readonly vaultName: pulumi.Output<string>;
    /** Resource group of the vault. */
    public readonly resourceGroupName: pulumi.Output<string>;
    /** Region of the vault, canonical ("westeurope"). */
    public readonly location: string;
    /** Storage redundancy of the vault. */
    public readonly storageRedundancy: StorageRedundancy;

    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: BackupVaultArgs, opts: pulumi.ComponentResourceOptions = {}) {
        checkName(COMPONENT, name);
        const a = parseArgs(argsSchema, args, COMPONENT, name);
        const vaultName = a.vaultName ?? deriveName(name, "rsv", 2, 50);
        if (typeof args.resourceGroupName === "string") {
            const earlier = claimName(`vault ${args.resourceGroupName}/${vaultName}`, name);
            enforce({ component: COMPONENT, name, constructing: true }, duplicateVaultName(a.vaultName ? "vaultName" : "name", earlier, vaultName, args.resourceGroupName));
        }
        super(TYPE, name, {}, opts);
        const site: RuleSite = { component: COMPONENT, name, resource: this };
        const provider = azureNativeProvider(opts);
        const invokeOpts: pulumi.InvokeOptions = { parent: this, provider };
        enforce(site, ...vaultSettingsFindings({ ...a, softDeleteState: a.softDelete.state }));

        // Looked up only when the group is known: a vault in a group this program creates
        // under a name not known yet cannot exist. A look-up Azure refuses (no read access)
        // skips the checks that need it rather than failing the preview.
        const lookup = pulumi.output(args.resourceGroupName).apply((rg) =>
            lookupVault(rg, vaultName, invokeOpts).then(
                (state) => ({ readable: true, state }),
                (err: unknown) => {
                    enforce(site, vaultUnread(vaultName, err instanceof Error ? err.message : String(err)));
                    return { readable: false, state: undefined };
                },
            ),
        );
        const existing = lookup.apply((l) => l.state);
        const declared = { location: a.location, crossRegionRestore: a.crossRegionRestore, softDeleteState: a.softDelete.state, immutability: a.immutability };
        const checked = lookup.apply(({ readable, state }) => {
            if (readable) enforce(site, ...vaultChangeFindings(declared, state));
        });

        const vault = vaultResource(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                vaultName,
                location: a.location,
                sku: { name: "Standard" },
                // What Azure would refuse against the vault as it is fails the vault here.
                properties: settled([checked]).apply(() => renderProperties(a)),
                tags: args.tags,
            },
            { parent: this, retainOnDelete: opts.retainOnDelete },
        );

        children.set(this, { vault });
        noteManagedResource(vault.id);
        // Tied to the vault's URN, not its id: known at preview, yet every user of it waits
        // for the vault and depends on it.
        this.vaultName = vault.urn.apply(() => vaultName);
        this.resourceGroupName = pulumi.all([vault.urn, args.resourceGroupName]).apply(([, rg]) => rg);
        this.location = a.location;
        this.storageRedundancy = a.storageRedundancy;

        let subscription: Promise<string> | undefined;
        const subscriptionId = () => pulumi.output((subscription ??= clientSubscription(invokeOpts)));
        // Asked for only once the group is known. Noted before anyone can read it, so that a
        // policy given this id finds this vault. Without a subscription to build it from (an
        // offline inventory of several subscriptions), it is the id Azure gives the vault.
        this.vaultId = this.resourceGroupName.apply((rg) =>
            (subscription ??= clientSubscription(invokeOpts)).then(
                (sub) => {
                    const id = vaultIdOf({ subscriptionId: sub, resourceGroupName: rg, vaultName });
                    noteDeclaredVault(id, this);
                    return pulumi.output(id);
                },
                () => vault.id,
            ),
        ).apply((id) => id);
        let holdsItems: pulumi.Output<boolean | undefined> | undefined;
        internals.set(this, {
            existing,
            declaredRedundancy: a.storageRedundancy,
            holdsItems: (current) =>
                (holdsItems ??= pulumi.output(args.resourceGroupName).apply((rg) =>
                    lookupVaultHoldsItems(rg, vaultName, invokeOpts).then(
                        (holds) => {
                            if (holds === undefined) enforce(site, redundancyChangeUnjudged(vaultName, current, a.storageRedundancy, "Azure's answer does not say"));
                            return holds;
                        },
                        (err: unknown) => {
                            enforce(site, redundancyChangeUnjudged(vaultName, current, a.storageRedundancy, err instanceof Error ? err.message : String(err)));
                            return undefined;
                        },
                    ),
                )),
            subscriptionId,
            provider,
        });

        this.registerOutputs({
            id: vault.id,
            vaultId: this.vaultId,
            vaultName: this.vaultName,
            resourceGroupName: this.resourceGroupName,
            location: this.location,
            storageRedundancy: this.storageRedundancy,
        });
    }
}

function renderProperties(a: ParsedArgs): VaultProperties {
    return {
        redundancySettings: {
            standardTierStorageRedundancy: a.storageRedundancy,
            crossRegionRestore: a.crossRegionRestore ? "Enabled" : "Disabled",
        },
        securitySettings: {
            softDeleteSettings: {
                softDeleteState: a.softDelete.state === "AlwaysOn" ? "AlwaysON" : "Enabled",
                softDeleteRetentionPeriodInDays: a.softDelete.retentionDays,
            },
            immutabilitySettings: { state: a.immutability },
        },
        ...(a.publicNetworkAccess ? { publicNetworkAccess: a.publicNetworkAccess } : {}),
    };
}
