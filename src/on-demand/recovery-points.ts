// The recovery points of a protected VM: when each was taken, how consistent it is, which tiers
// hold it (and whether it must be rehydrated first), and whether it can be restored elsewhere.
import type { IaasVMRecoveryPoint, RecoveryPointResource, RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { BackupClientOptions, createBackupClient, explain } from "./backup-client";
import { ItemTarget, itemTarget } from "./azure-ids";
import { checkArguments } from "./api-arguments";
import { filterTime } from "./backup-jobs";
import { listCrossRegionPoints } from "./cross-region";
import { InvalidArgumentError } from "./backup-operation-error";
import { redactDeep } from "./redact";

/** A tier that holds a recovery point, as Azure names it here (and as the portal does). */
export type RecoveryPointTier = "Snapshot" | "VaultStandard" | "Archive";

export interface RecoveryPoint {
    /** The ARM id of the recovery point. */
    id: string;
    /** Its last segment: the id a restore names. */
    name: string;
    /** When it was taken (`recoveryPointTime`). */
    time: Date;
    consistency: "CrashConsistent" | "AppConsistent" | "FileSystemConsistent" | string;
    /**
     * The tiers Azure lists for it, with their status ("Valid", "Deleted", "Rehydrated", ...).
     * `rehydrationNeeded` is set on an Archive tier still in the archive: it must be rehydrated
     * (brought back to the standard tier) before it can be restored from.
     */
    tiers: { tier: RecoveryPointTier | string; status: string; rehydrationNeeded: boolean }[];
    /** The zones of the VM when it was backed up (zone-pinned VMs only). */
    zones: string[];
    /**
     * Whether a restore in the vault's paired region can use it. Listed with `secondaryRegion`, true:
     * the paired region holds it. Listed in the vault's region, whether it qualifies (the vault has
     * cross-region restore and the point is in a vault tier): Azure copies it there hours after it
     * is taken, so the newest qualifying point may not be there yet.
     */
    secondaryRegionRestorable: boolean;
    /** Disks the point holds, as Azure lists them (LUN and name; no LUN for the OS disk). Azure gives no sizes here. */
    disks?: { lun?: number; name?: string; sizeGb?: number; os: boolean }[];
    /** "None", "TrustedLaunch", "ConfidentialVM", ... as Azure gives it. */
    securityType?: string;
    /** Whether the VM was encrypted (Azure Disk Encryption) when backed up. */
    encrypted: boolean;
    /** The VM's storage when backed up ("NormalStorage", "PremiumVMOnPartialPremiumStorage", ...). */
    sourceVmStorageType?: string;
}

export interface RecoveryPointOptions {
    /** Only points taken at or after this time. */
    from?: Date | string;
    /** Only points taken at or before this time. */
    to?: Date | string;
    /**
     * List the points the vault's paired (secondary) region holds, as Azure's cross-region restore
     * lists them: those a restore with `secondaryRegion: true` can use. Needs a GeoRedundant vault
     * with cross-region restore enabled.
     */
    secondaryRegion?: boolean;
    /** How to reach Azure. */
    client?: BackupClientOptions;
    signal?: AbortSignal;
}

const TIERS: Record<string, RecoveryPointTier> = { InstantRP: "Snapshot", HardenedRP: "VaultStandard", ArchivedRP: "Archive" };

/** Whether a tier can be restored from as it stands. */
export function usableTier(t: { tier: string; status: string }): boolean {
    return t.tier === "Archive" ? t.status === "Rehydrated" : t.status === "Valid";
}

/**
 * @internal A recovery point resource as the library shows it; `crossRegionRestore` is the vault's
 * setting, `inPairedRegion` says the resource comes from the paired region's own list.
 */
export function toRecoveryPoint(resource: RecoveryPointResource, crossRegionRestore: boolean, inPairedRegion = false): RecoveryPoint {
    const p = (resource.properties ?? {}) as IaasVMRecoveryPoint;
    const tiers = (p.recoveryPointTierDetails ?? []).map((t) => {
        const tier = TIERS[t.type ?? ""] ?? t.type ?? "Invalid";
        const status = t.status ?? "Invalid";
        return { tier, status, rehydrationNeeded: tier === "Archive" && status === "Valid" };
    });
    // Secondary-region restores come from the vault tier (rehydrated archive points count).
    const inVault = tiers.some((t) => (t.tier === "VaultStandard" || t.tier === "Archive") && usableTier(t));
    const disks = p.recoveryPointDiskConfiguration?.includedDiskList?.map((d) => {
        const os = d.lun === undefined || d.lun < 0;
        return { ...(os ? {} : { lun: d.lun }), ...(d.name !== undefined ? { name: d.name } : {}), os };
    });
    return redactDeep({
        id: resource.id ?? "",
        name: resource.name ?? "",
        time: p.recoveryPointTime ?? new Date(NaN),
        consistency: p.recoveryPointType ?? "",
        tiers,
        zones: p.zones ?? [],
        secondaryRegionRestorable: inPairedRegion || (crossRegionRestore && inVault),
        ...(disks ? { disks } : {}),
        ...(p.securityType !== undefined ? { securityType: p.securityType } : {}),
        encrypted: p.isSourceVMEncrypted === true,
        ...(p.sourceVMStorageType !== undefined ? { sourceVmStorageType: p.sourceVMStorageType } : {}),
    });
}

/** @internal Whether the vault replicates to its paired region with cross-region restore on. */
export async function vaultStorage(client: RecoveryServicesBackupClient, item: ItemTarget, abortSignal?: AbortSignal): Promise<{ redundancy: string; crossRegionRestore: boolean }> {
    try {
        const config = await client.backupResourceStorageConfigsNonCRR.get(item.vaultName, item.resourceGroupName, { abortSignal });
        const redundancy = config.properties?.storageModelType ?? config.properties?.storageType ?? "Invalid";
        return { redundancy, crossRegionRestore: config.properties?.crossRegionRestoreFlag === true };
    } catch (err) {
        throw explain(err, `reading the storage configuration of vault ${item.vaultName}`);
    }
}

/** @internal Why the vault cannot restore in its paired region, or undefined when it can. */
export function pairedRegionOff(storage: { redundancy: string; crossRegionRestore: boolean }): string | undefined {
    if (storage.redundancy !== "GeoRedundant") return `its storage is ${storage.redundancy}`;
    return storage.crossRegionRestore ? undefined : "its cross-region restore is off";
}

/** A date option as a Date: strings are ISO-8601 (checked by checkArguments). */
const asDate = (d: Date | string | undefined) => (d === undefined ? undefined : d instanceof Date ? d : new Date(d));

/** @internal Every recovery point of the item, newest first, within the bounds. */
export async function readRecoveryPoints(
    client: RecoveryServicesBackupClient,
    item: ItemTarget,
    bounds: { from?: Date; to?: Date },
    abortSignal?: AbortSignal,
    /** The vault's setting, when the caller has read it already. */
    known?: { crossRegionRestore: boolean },
): Promise<RecoveryPoint[]> {
    const { crossRegionRestore } = known ?? (await vaultStorage(client, item, abortSignal));
    const filter = boundsFilter(bounds);
    const points: RecoveryPoint[] = [];
    try {
        const pages = client.recoveryPoints.list(item.vaultName, item.resourceGroupName, "Azure", item.containerName, item.protectedItemName, {
            ...(filter ? { filter } : {}),
            abortSignal,
        });
        for await (const resource of pages) points.push(toRecoveryPoint(resource, crossRegionRestore));
    } catch (err) {
        throw explain(err, `listing the recovery points of VM ${item.vmName} in vault ${item.vaultName}`);
    }
    return within(points, bounds);
}

/** @internal The item's recovery points that the vault's paired region holds, newest first, within the bounds. */
export async function readPairedRegionPoints(client: RecoveryServicesBackupClient, item: ItemTarget, bounds: { from?: Date; to?: Date }, abortSignal?: AbortSignal): Promise<RecoveryPoint[]> {
    try {
        const resources = await listCrossRegionPoints(client, item, boundsFilter(bounds), abortSignal);
        return within(resources.map((r) => toRecoveryPoint(r, true, true)), bounds);
    } catch (err) {
        throw explain(err, `listing the recovery points of VM ${item.vmName} that the paired region of vault ${item.vaultName} holds`);
    }
}

/** Azure's filter for the bounds (its recovery-point lists read the same one). */
function boundsFilter(bounds: { from?: Date; to?: Date }): string | undefined {
    const clauses: string[] = [];
    if (bounds.from) clauses.push(`startDate eq '${filterTime(bounds.from)}'`);
    if (bounds.to) clauses.push(`endDate eq '${filterTime(bounds.to)}'`);
    return clauses.length ? clauses.join(" and ") : undefined;
}

/** Azure's filter works to the second: the bounds are applied exactly here, newest first. */
function within(points: RecoveryPoint[], bounds: { from?: Date; to?: Date }): RecoveryPoint[] {
    return points
        .filter((p) => (!bounds.from || p.time >= bounds.from) && (!bounds.to || p.time <= bounds.to))
        .sort((a, b) => b.time.getTime() - a.time.getTime());
}

/**
 * Lists the recovery points of a protected VM, newest first: those in the vault's region, or with
 * `secondaryRegion`, those its paired region holds.
 */
export async function listRecoveryPoints(target: { vaultId: string; vmId: string }, options: RecoveryPointOptions = {}): Promise<RecoveryPoint[]> {
    checkArguments(["target", "target", target], ["options", "recoveryPointOptions", options]);
    const item = itemTarget(target.vaultId, target.vmId);
    const client = await createBackupClient(item.subscriptionId, options.client);
    const bounds = { from: asDate(options.from), to: asDate(options.to) };
    const storage = await vaultStorage(client, item, options.signal);
    if (!options.secondaryRegion) return readRecoveryPoints(client, item, bounds, options.signal, storage);
    const off = pairedRegionOff(storage);
    if (off) {
        throw new InvalidArgumentError(
            "secondaryRegion",
            `listing the points of the paired region needs a GeoRedundant vault with cross-region restore enabled, and ${off}: enable cross-region restore on the vault (crossRegionRestore: true on a GeoRedundant BackupVault), or list the points of the vault's region, got true`,
        );
    }
    return readPairedRegionPoints(client, item, bounds, options.signal);
}
