import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import { z } from "zod";
import { BackupRuleError, checkName, inputError, label, parseArgs, show } from "./rules/errors";
import { VAULT_NAME, VAULT_NAME_RULE, deriveName } from "./rules/names";
import { ZONE_REDUNDANT_VAULT_REGIONS, normalizeRegion, regionDisplayName, suggestRegion } from "./rules/regions";
import { VAULT_ID_RULE, parseVaultId } from "./rules/resource-ids";
import { vaultChangeProblems } from "./rules/vault-changes";
import { claimName } from "./rules/program-claims";
import { redundancyChangeUnjudged } from "./rules/vm-eligibility";
import { ExistingVault, clientSubscription, lookupVault, lookupVaultHoldsItems } from "./facts/lookups";
import { azureNativeProvider } from "./facts/provider";
import { settled } from "./facts/unknowns";
import { noteManagedResource } from "./facts/last-deployment";

/** How a vault replicates backup data. */
export const StorageRedundancy = {
    GeoRedundant: "GeoRedundant",
    LocallyRedundant: "LocallyRedundant",
    ZoneRedundant: "ZoneRedundant",
} as const;
export type StorageRedundancy = (typeof StorageRedundancy)[keyof typeof StorageRedundancy];

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
    readonly softDelete?: { readonly state?: "Enabled" | "AlwaysOn"; readonly retentionDays?: number };
    /**
     * Immutable vault. "Locked" is irreversible and Azure refuses it on a new vault: create the
     * vault "Unlocked" first.
     *
     * @default "Disabled"
     */
    readonly immutability?: "Disabled" | "Unlocked" | "Locked";
    /**
     * Whether the vault is reachable from public networks.
     *
     * @default - Azure's default (Enabled)
     */
    readonly publicNetworkAccess?: "Enabled" | "Disabled";
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
}

const internals = new WeakMap<object, VaultInternals>();

/** @internal */
export function vaultInternals(vault: BackupVaultReference): VaultInternals {
    const i = internals.get(vault);
    if (!i) throw new Error("not a BackupVault or BackupVault.fromId reference");
    return i;
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
    const hint = suggestRegion(value);
    ctx.addIssue({ code: "custom", message: `must be a known Azure region, got ${JSON.stringify(value)}${hint ? ` (did you mean "${hint}"?)` : ""}` });
    return z.NEVER;
});

/** @internal What BackupVault.fromId accepts as facts. */
export const vaultFactsSchema = z.strictObject({
    location: regionSchema.optional(),
    storageRedundancy: z.enum(["GeoRedundant", "LocallyRedundant", "ZoneRedundant"]).optional(),
});

const argsSchema = z
    .object({
        resourceGroupName: z.union([z.string().min(1), z.custom<pulumi.Output<string>>((v) => pulumi.Output.isInstance(v) || v instanceof Promise)]),
        location: regionSchema,
        vaultName: z
            .string()
            .refine((n) => VAULT_NAME.test(n), { error: (i) => `${VAULT_NAME_RULE}, got ${JSON.stringify(i.input)}` })
            .optional(),
        storageRedundancy: z.enum(["GeoRedundant", "LocallyRedundant", "ZoneRedundant"]).default("GeoRedundant"),
        crossRegionRestore: z.boolean().default(false),
        softDelete: z
            .strictObject({
                state: z.enum(["Enabled", "AlwaysOn"]).default("Enabled"),
                retentionDays: z
                    .number()
                    .int()
                    .refine((d) => d >= 14 && d <= 180, { error: (i) => `must be between 14 and 180 days, got ${String(i.input)}` })
                    .default(14),
            })
            .default({ state: "Enabled", retentionDays: 14 }),
        immutability: z.enum(["Disabled", "Unlocked", "Locked"]).default("Disabled"),
        publicNetworkAccess: z.enum(["Enabled", "Disabled"]).optional(),
        tags: z.any().optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
        if (a.crossRegionRestore && a.storageRedundancy !== "GeoRedundant") {
            ctx.addIssue({
                code: "custom",
                path: ["crossRegionRestore"],
                message: `cross-region restore needs storageRedundancy "GeoRedundant", got storageRedundancy ${JSON.stringify(a.storageRedundancy)}`,
            });
        }
    });

type ParsedArgs = z.output<typeof argsSchema>;
type VaultProperties = NonNullable<pulumi.Unwrap<recoveryservices.VaultArgs["properties"]>>;

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
        checkName(COMPONENT, name);
        const parsed = typeof vaultId === "string" ? parseVaultId(vaultId) : undefined;
        if (!parsed) throw inputError(COMPONENT, name, [{ path: "vaultId", reason: `${VAULT_ID_RULE}, got ${show(vaultId)}` }]);
        const known = parseArgs(z.strictObject({ facts: vaultFactsSchema }), { facts }, COMPONENT, name).facts;
        let lookup: pulumi.Output<ExistingVault> | undefined;
        const existing = () =>
            (lookup ??= pulumi.output(
                lookupVault(parsed.resourceGroupName, parsed.vaultName, opts).then((v) => {
                    if (!v) throw new BackupRuleError(COMPONENT, name, "vaultId", `no Recovery Services vault exists at this id, got ${show(vaultId)}`);
                    return v;
                }),
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
        return ref;
    }

    /** The vault resource. */
    public readonly vault: recoveryservices.Vault;
    /** Resource ID of the vault. */
    public readonly id: pulumi.Output<string>;
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
            if (earlier !== undefined) {
                throw inputError(COMPONENT, name, [
                    {
                        path: a.vaultName ? "vaultName" : "name",
                        reason: `BackupVault ${JSON.stringify(earlier)} already declares vault ${JSON.stringify(vaultName)} in resource group ${JSON.stringify(args.resourceGroupName)}; give each vault its own vaultName, got ${JSON.stringify(vaultName)}`,
                    },
                ]);
            }
        }
        super(TYPE, name, {}, opts);
        const provider = azureNativeProvider(opts);
        const invokeOpts: pulumi.InvokeOptions = { parent: this, provider };
        warnAboutSettings(this, name, a);

        // Looked up only when the group is known: a vault in a group this program creates
        // under a name not known yet cannot exist. A look-up Azure refuses (no read access)
        // skips the checks that need it rather than failing the preview.
        const lookup = pulumi.output(args.resourceGroupName).apply((rg) =>
            lookupVault(rg, vaultName, invokeOpts).then(
                (state) => ({ readable: true, state }),
                (err: unknown) => {
                    pulumi.log.warn(
                        `${label(COMPONENT, name)}: could not read vault ${JSON.stringify(vaultName)} from Azure, so the checks against its current settings were skipped: ${err instanceof Error ? err.message : String(err)}`,
                        this,
                    );
                    return { readable: false, state: undefined };
                },
            ),
        );
        const existing = lookup.apply((l) => l.state);
        const declared = { location: a.location, crossRegionRestore: a.crossRegionRestore, softDeleteState: a.softDelete.state, immutability: a.immutability };
        const checked = lookup.apply(({ readable, state }) => {
            if (!readable) return;
            const [problem] = vaultChangeProblems(declared, state);
            if (problem) throw new BackupRuleError(COMPONENT, name, problem.path, problem.reason, this);
            if (a.immutability === "Locked" && state && !/^Locked$/i.test(state.immutability ?? "")) {
                pulumi.log.warn(`${label(COMPONENT, name)}: immutability: "Locked" can never be undone, got "Locked"`, this);
            }
        });

        this.vault = new recoveryservices.Vault(
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

        // Tied to the vault's URN, not its id: known at preview, yet every user of it waits
        // for the vault and depends on it.
        this.id = this.vault.id;
        noteManagedResource(this.vault.id);
        this.vaultName = this.vault.urn.apply(() => vaultName);
        this.resourceGroupName = pulumi.all([this.vault.urn, args.resourceGroupName]).apply(([, rg]) => rg);
        this.location = a.location;
        this.storageRedundancy = a.storageRedundancy;

        let subscription: pulumi.Output<string> | undefined;
        let holdsItems: pulumi.Output<boolean | undefined> | undefined;
        internals.set(this, {
            existing,
            declaredRedundancy: a.storageRedundancy,
            holdsItems: (current) =>
                (holdsItems ??= pulumi.output(args.resourceGroupName).apply((rg) =>
                    lookupVaultHoldsItems(rg, vaultName, invokeOpts).then(
                        (holds) => {
                            if (holds === undefined) warnUnjudged(this, name, vaultName, current, a.storageRedundancy, "Azure's answer does not say");
                            return holds;
                        },
                        (err: unknown) => {
                            warnUnjudged(this, name, vaultName, current, a.storageRedundancy, err instanceof Error ? err.message : String(err));
                            return undefined;
                        },
                    ),
                )),
            subscriptionId: () => (subscription ??= pulumi.output(clientSubscription(invokeOpts))),
            provider,
        });

        this.registerOutputs({
            id: this.id,
            vaultName: this.vaultName,
            resourceGroupName: this.resourceGroupName,
            location: this.location,
            storageRedundancy: this.storageRedundancy,
        });
    }
}

function warnAboutSettings(vault: BackupVault, name: string, a: ParsedArgs): void {
    const who = label(COMPONENT, name);
    if (a.storageRedundancy === "ZoneRedundant" && !ZONE_REDUNDANT_VAULT_REGIONS.has(a.location)) {
        pulumi.log.warn(
            `${who}: storageRedundancy: ZoneRedundant is not listed for Recovery Services vaults in ${regionDisplayName(a.location)} (${a.location}); Azure may refuse it there, got "ZoneRedundant"`,
            vault,
        );
    }
    if (a.crossRegionRestore) {
        pulumi.log.warn(`${who}: crossRegionRestore: cannot be disabled once enabled, got true`, vault);
    }
    if (a.softDelete.state === "AlwaysOn") {
        pulumi.log.warn(`${who}: softDelete.state: AlwaysOn can never be turned off again, got "AlwaysOn"`, vault);
    }
}

function warnUnjudged(vault: BackupVault, name: string, vaultName: string, current: string, declared: string, why: string): void {
    pulumi.log.warn(`${label(COMPONENT, name)}: storageRedundancy: ${redundancyChangeUnjudged(vaultName, current, declared, why)}`, vault);
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
