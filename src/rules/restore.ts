// Azure Backup's rules for restoring a VM (docs/restore-rules.md): where the staging storage
// account, the target group and network may be, what cross-region, cross-subscription and
// cross-zone restores need, and which recovery points can be restored as they stand. Pure
// functions: the facts come from the caller; each returns the finding when its rule is broken.
// `path` is the restore option as the caller writes it.
import { type Finding, error, warning } from "./finding";
import { regionDisplayName, regionKey } from "./regions";
import { nameOf, subscriptionOf } from "./resource-ids";

export type RestoreMode = "disks" | "new-vm" | "replace-disks";

/** What the rules read of the recovery point (the library's RecoveryPoint has these). */
export interface PointFacts {
    name: string;
    tiers: { tier: string; status: string }[];
    zones: string[];
    securityType?: string;
    encrypted: boolean;
    sourceVmStorageType?: string;
}

/** What the rules read of the vault. */
export interface VaultFacts {
    subscriptionId: string;
    location?: string;
    /** "GeoRedundant", "LocallyRedundant", "ZoneRedundant". */
    redundancy?: string;
    crossRegionRestore?: boolean;
    /** The region Azure pairs with the vault's: where a cross-region restore runs. */
    pairedRegion?: string;
}

/** The staging storage account, as Resource Manager describes it. */
export interface StagingFacts {
    id: string;
    location?: string;
    /** "StorageV2", "Storage", "BlobStorage", "BlockBlobStorage", "FileStorage". */
    kind?: string;
    /** "Standard_LRS", "Premium_LRS", "Standard_ZRS", ... */
    sku?: string;
    /** Its firewall denies by default (`networkAcls.defaultAction: "Deny"`). */
    networkRules?: boolean;
}

/** The virtual network a new VM is placed in. */
export interface NetworkFacts {
    id: string;
    location?: string;
    /** Its subnets' names, when known. */
    subnets?: string[];
}

/** A restore request, with what is known of everything it names. */
export interface RestoreFacts {
    mode: RestoreMode;
    secondaryRegion: boolean;
    confirm?: string;
    vault: VaultFacts;
    point: PointFacts;
    targetResourceGroupId?: string;
    /** Absent when no staging account is given; `location` etc. absent when it could not be read. */
    staging?: StagingFacts;
    network?: NetworkFacts;
    subnetName?: string;
    targetZone?: string;
}

const sameRegion = (a: string, b: string) => regionKey(a) === regionKey(b);
const named = (location: string) => `${regionDisplayName(regionKey(location))} (${regionKey(location)})`;

/** Whether a tier can be restored from as it stands (an archived point once rehydrated). */
const usable = (t: { tier: string; status: string }) => (t.tier === "Archive" ? t.status === "Rehydrated" : t.status === "Valid");
/** The point is held in a vault tier (standard, or archive rehydrated): what secondary-region, cross-subscription and cross-zone restores read. */
const inVaultTier = (p: PointFacts) => p.tiers.some((t) => (t.tier === "VaultStandard" || t.tier === "Archive") && usable(t));
const isTrustedLaunch = (p: PointFacts) => p.securityType?.toLowerCase() === "trustedlaunch";

/** Replacing the disks of the VM overwrites them: only when the caller says so. */
export function replaceDisksConfirm(f: RestoreFacts): Finding | undefined {
    if (f.mode !== "replace-disks" || f.confirm === "replace-disks") return undefined;
    return error(
        "restore.replace-disks-confirm",
        "confirm",
        `mode "replace-disks" replaces the current disks of the VM with the recovery point's: pass confirm: "replace-disks" to do it, or restore with mode "disks" or "new-vm" to keep them, got ${JSON.stringify(f.confirm) ?? "undefined"}`,
    );
}

/** Replace existing is for unencrypted VMs only. */
export function replaceDisksEncrypted(f: RestoreFacts): Finding | undefined {
    if (f.mode !== "replace-disks" || !f.point.encrypted) return undefined;
    return error(
        "restore.replace-disks-unsupported",
        "mode",
        `recovery point ${f.point.name} is of an encrypted VM, and Azure Backup replaces the disks of unencrypted VMs only: restore with mode "disks" (then swap the disks yourself) or "new-vm", got "replace-disks"`,
    );
}

/** A point kept only in the archive tier must be rehydrated first. */
export function archiveNeedsRehydration(f: RestoreFacts): Finding | undefined {
    const tiers = f.point.tiers;
    if (tiers.some(usable) || !tiers.some((t) => t.tier === "Archive" && t.status === "Valid")) return undefined;
    return error(
        "restore.archive-rehydration",
        "point",
        `recovery point ${f.point.name} is in the archive tier only: rehydrate it first (Azure copies it back to the standard tier, which takes hours), then restore it, or choose a point in the snapshot or standard tier, got ${JSON.stringify(f.point.name)}`,
    );
}

/** Cross-region restore needs a geo-redundant vault with cross-region restore turned on. */
export function crossRegionVault(f: RestoreFacts): Finding | undefined {
    if (!f.secondaryRegion || f.vault.redundancy === undefined) return undefined;
    if (f.vault.redundancy === "GeoRedundant" && f.vault.crossRegionRestore === true) return undefined;
    const why = f.vault.redundancy !== "GeoRedundant" ? `its storage is ${f.vault.redundancy}` : "its cross-region restore is off";
    return error(
        "restore.cross-region-vault",
        "secondaryRegion",
        `restoring in the paired region needs a GeoRedundant vault with cross-region restore enabled, and ${why}: enable cross-region restore on the vault (crossRegionRestore: true on a GeoRedundant BackupVault), or restore in the vault's region, got secondaryRegion: true`,
    );
}

/** Cross-region restore creates a VM or restores disks; it cannot replace disks in place. */
export function crossRegionMode(f: RestoreFacts): Finding | undefined {
    if (!f.secondaryRegion || f.mode !== "replace-disks") return undefined;
    return error(
        "restore.cross-region-mode",
        "mode",
        `a restore in the paired region cannot replace the disks of the VM: use mode "disks" or "new-vm" there, or restore in the vault's region, got "replace-disks" with secondaryRegion: true`,
    );
}

/** Only what the vault replicated can be restored in the paired region: vault-tier points. */
export function crossRegionPoint(f: RestoreFacts): Finding | undefined {
    if (!f.secondaryRegion || inVaultTier(f.point)) return undefined;
    const archived = f.point.tiers.some((t) => t.tier === "Archive" && t.status === "Valid");
    return error(
        "restore.cross-region-point",
        "point",
        archived
            ? `recovery point ${f.point.name} is in the archive tier, which is not restored in the paired region: rehydrate it (it is then in the standard tier in both regions) or choose a point in the standard tier, got ${JSON.stringify(f.point.name)}`
            : `recovery point ${f.point.name} is a snapshot only, and snapshots are not replicated to the paired region: choose a point that has reached the vault (standard tier), got ${JSON.stringify(f.point.name)}`,
    );
}

/** The staging account is in the vault's region; for a cross-region restore, in the paired region. */
export function stagingRegion(f: RestoreFacts): Finding | undefined {
    const { staging, vault } = f;
    if (!staging?.location || !vault.location) return undefined;
    const got = `got ${nameOf(staging.id)} in ${named(staging.location)}`;
    if (!f.secondaryRegion && !sameRegion(staging.location, vault.location)) {
        return error(
            "restore.staging-region",
            "stagingStorageAccountId",
            `must be a storage account in the vault's region ${named(vault.location)}, where Azure Backup stages the restore: create or choose one there, ${got}`,
        );
    }
    if (f.secondaryRegion && vault.pairedRegion && !sameRegion(staging.location, vault.pairedRegion)) {
        return error(
            "restore.staging-region",
            "stagingStorageAccountId",
            `a cross-region restore stages in the vault's paired region ${named(vault.pairedRegion)}: create or choose a storage account there, ${got}`,
        );
    }
    if (f.secondaryRegion && sameRegion(staging.location, vault.location)) {
        return error(
            "restore.staging-region",
            "stagingStorageAccountId",
            `a cross-region restore stages in the vault's paired (secondary) region, not in ${named(vault.location)}: create or choose a storage account in the paired region, ${got}`,
        );
    }
    return undefined;
}

/** The kinds of staging account Azure Backup takes. */
export function stagingKind(f: RestoreFacts): Finding | undefined {
    const { staging } = f;
    if (!staging) return undefined;
    const name = nameOf(staging.id);
    const problem = (why: string) => error("restore.staging-kind", "stagingStorageAccountId", `${why}, got ${name} (${[staging.kind, staging.sku].filter(Boolean).join(", ")})`);
    if (staging.kind?.toLowerCase() === "blobstorage") return problem("a Blob storage account cannot stage a restore: use a general-purpose (StorageV2) account");
    const sku = staging.sku?.toLowerCase() ?? "";
    if (/_zrs$/.test(sku)) return problem("a zone-redundant (ZRS) account cannot stage a restore: use a locally or geo-redundant one (Standard_LRS, Standard_GRS)");
    const premium = sku.startsWith("premium_");
    if (premium && f.point.sourceVmStorageType?.toLowerCase() === "normalstorage") {
        return problem(`recovery point ${f.point.name} is of a VM on standard storage, which a premium account cannot stage: use a standard account`);
    }
    if (premium && staging.networkRules) return problem("a premium account with network rules cannot stage the restore of a managed VM: use a standard account, or one open to all networks");
    return undefined;
}

/** A restore into another subscription: not from the paired region, nor of encrypted VMs, nor from a snapshot. */
export function crossSubscription(f: RestoreFacts): Finding | undefined {
    const target = subscriptionOf(f.targetResourceGroupId);
    if (!target || f.mode === "replace-disks" || target === f.vault.subscriptionId.toLowerCase()) return undefined;
    const why = f.secondaryRegion
        ? "from the paired region"
        : f.point.encrypted
          ? `recovery point ${f.point.name}, of an encrypted VM`
          : !inVaultTier(f.point)
            ? `recovery point ${f.point.name}, a snapshot only`
            : undefined;
    if (!why) return undefined;
    return error(
        "restore.cross-subscription",
        "targetResourceGroupId",
        `Azure Backup does not restore ${why} into another subscription: choose a resource group in the vault's subscription ${f.vault.subscriptionId}, got ${JSON.stringify(f.targetResourceGroupId)}`,
    );
}

/** A Trusted Launch VM is restored in its own subscription and zone. */
export function trustedLaunch(f: RestoreFacts): Finding | undefined {
    if (!isTrustedLaunch(f.point) || f.mode === "replace-disks") return undefined;
    const target = subscriptionOf(f.targetResourceGroupId);
    if (target && target !== f.vault.subscriptionId.toLowerCase()) {
        return error(
            "restore.trusted-launch",
            "targetResourceGroupId",
            `recovery point ${f.point.name} is of a Trusted Launch VM, which Azure Backup does not restore into another subscription: choose a resource group in the vault's subscription ${f.vault.subscriptionId}, got ${JSON.stringify(f.targetResourceGroupId)}`,
        );
    }
    if (f.targetZone !== undefined && !f.point.zones.includes(f.targetZone)) {
        return error(
            "restore.trusted-launch",
            "targetZone",
            `recovery point ${f.point.name} is of a Trusted Launch VM, which Azure Backup does not restore into another zone: leave targetZone out${f.point.zones.length ? ` or give its zone ${f.point.zones.join(", ")}` : ""}, got ${JSON.stringify(f.targetZone)}`,
        );
    }
    return undefined;
}

/** Azure Backup lists confidential VMs as not supported. */
export function confidentialVm(f: RestoreFacts): Finding | undefined {
    if (f.point.securityType?.toLowerCase() !== "confidentialvm") return undefined;
    return warning(
        "restore.confidential",
        "vmId",
        `recovery point ${f.point.name} is of a confidential VM, which Azure Backup's support matrix lists as not supported: Azure may refuse the restore; check the VM's restore in the portal if it does`,
    );
}

/** Restoring into another zone: from the vault tier, of an unencrypted VM, from a zone-redundant vault or to the paired region. */
export function targetZone(f: RestoreFacts): Finding | undefined {
    if (f.targetZone === undefined || f.point.zones.includes(f.targetZone)) return undefined;
    const problem = (why: string) => error("restore.zone", "targetZone", `${why}, got ${JSON.stringify(f.targetZone)}`);
    const leave = f.point.zones.length ? `leave targetZone out to restore in zone ${f.point.zones.join(", ")}` : "leave targetZone out";
    if (f.mode === "replace-disks") return problem(`replacing the disks of the VM keeps it where it is: ${leave}`);
    if (f.point.encrypted) return problem(`recovery point ${f.point.name} is of an encrypted VM, which Azure Backup does not restore into another zone: ${leave}`);
    if (!inVaultTier(f.point)) return problem(`recovery point ${f.point.name} is a snapshot only, and a restore into another zone reads the vault tier: choose a point in the standard tier, or ${leave}`);
    if (!f.secondaryRegion && f.vault.redundancy !== undefined && f.vault.redundancy !== "ZoneRedundant") {
        return problem(`a restore into another zone of the vault's region needs a ZoneRedundant vault, and this one is ${f.vault.redundancy}: ${leave}, or restore in the paired region from a vault with cross-region restore`);
    }
    return undefined;
}

/** A new VM's network: in the region it is created in, the target's subscription, with the subnet named. */
export function networkPlacement(f: RestoreFacts): Finding | undefined {
    const { network, vault } = f;
    if (f.mode !== "new-vm" || !network) return undefined;
    const got = `got ${nameOf(network.id)}${network.location ? ` in ${named(network.location)}` : ""}`;
    if (network.location && vault.location) {
        if (!f.secondaryRegion && !sameRegion(network.location, vault.location)) {
            return error("restore.network", "virtualNetworkId", `must be a virtual network in the region the VM is restored in, the vault's ${named(vault.location)}: choose a network there, ${got}`);
        }
        if (f.secondaryRegion && vault.pairedRegion && !sameRegion(network.location, vault.pairedRegion)) {
            return error("restore.network", "virtualNetworkId", `a cross-region restore creates the VM in the vault's paired region ${named(vault.pairedRegion)}: choose a network there, ${got}`);
        }
        if (f.secondaryRegion && sameRegion(network.location, vault.location)) {
            return error("restore.network", "virtualNetworkId", `a cross-region restore creates the VM in the vault's paired region, not in ${named(vault.location)}: choose a network in the paired region, ${got}`);
        }
    }
    const target = subscriptionOf(f.targetResourceGroupId);
    const own = subscriptionOf(network.id);
    if (target && own && target !== own) {
        return error("restore.network", "virtualNetworkId", `must be a virtual network in the target resource group's subscription ${target}: choose a network there, ${got}`);
    }
    if (f.subnetName !== undefined && network.subnets && !network.subnets.some((s) => s.toLowerCase() === f.subnetName!.toLowerCase())) {
        return error(
            "restore.network",
            "subnetName",
            `must be a subnet of ${nameOf(network.id)} (${network.subnets.join(", ") || "it has none"}), got ${JSON.stringify(f.subnetName)}`,
        );
    }
    return undefined;
}

/** Every restore rule, in the order a caller meets them. */
export function restoreFindings(f: RestoreFacts): Finding[] {
    return [
        replaceDisksConfirm,
        replaceDisksEncrypted,
        archiveNeedsRehydration,
        crossRegionVault,
        crossRegionMode,
        crossRegionPoint,
        stagingRegion,
        stagingKind,
        crossSubscription,
        trustedLaunch,
        targetZone,
        networkPlacement,
        confidentialVm,
    ]
        .map((rule) => rule(f))
        .filter((x): x is Finding => x !== undefined);
}

/** A resource Resource Manager would not let the restore read: its checks are skipped. */
export function restoreUnread(path: string, id: string, why: string): Finding {
    return warning("restore.unread", path, `${nameOf(id)} could not be read (${why}): the checks of its region and kind were skipped, and Azure will say if it refuses it`);
}
