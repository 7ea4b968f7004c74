// Restoring a protected VM from a recovery point: to new managed disks, to a new VM, or over the
// disks of the VM itself. The request is checked against Azure Backup's restore rules before it
// is sent, and sent so that it starts one restore at most (as backupNow does).
import type { IaasVMRestoreRequest, RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { ITEM_HINTS, createBackupClient, explain } from "./backup-client";
import { BackupOperationError, InvalidArgumentError } from "./backup-operation-error";
import { ItemTarget, itemTarget } from "./azure-ids";
import { checkArguments } from "./api-arguments";
import { pairedRegion, readResource } from "./resource-reads";
import { RecoveryPoint, pairedRegionOff, readPairedRegionPoints, readRecoveryPoints, toRecoveryPoint, usableTier, vaultStorage } from "./recovery-points";
import { JobOutcomeUnknown, TriggerOptions, sendOnce } from "./send-once";
import { CrossRegion, listCrossRegionJobs, readCrossRegionOperation, sendCrossRegionRestore } from "./cross-region";
import type { JobFilter } from "./backup-jobs";
import { untilDeadline } from "./deadline";
import { type Finding } from "../rules/finding";
import { RestoreFacts, RestoreMode, restoreFindings, restoreUnread } from "../rules/restore";
import { nameOf, parseVmId, vaultIdOf } from "../rules/resource-ids";

export type { RestoreMode };

export interface RestoreOptions extends TriggerOptions {
    /** "latest", a recovery point's id or name, or a Date: the newest point taken at or before it. */
    point: "latest" | string | Date;
    /** "disks": new managed disks (RestoreDisks); "new-vm": a new VM (AlternateLocation); "replace-disks": over the VM's own disks (OriginalLocation). */
    mode: RestoreMode;
    /** Where the disks or the new VM go (modes "disks" and "new-vm"). */
    targetResourceGroupId?: string;
    /** The storage account Azure Backup stages the restore in (every mode): in the vault's region. */
    stagingStorageAccountId?: string;
    /** The new VM's virtual network (mode "new-vm"). */
    virtualNetworkId?: string;
    /** The new VM's subnet, in that network (mode "new-vm"). */
    subnetName?: string;
    /** The new VM's name (mode "new-vm"). @default - the VM's name and "-restored" */
    targetVmName?: string;
    /** Another availability zone to restore into ("1", "2", "3"). @default - the zone the VM was in */
    targetZone?: string;
    /** Restore in the vault's paired region (cross-region restore). */
    secondaryRegion?: boolean;
    /** Must be "replace-disks" for mode "replace-disks", which overwrites the VM's disks. */
    confirm?: "replace-disks";
}

export interface RestoreStarted {
    jobId: string;
    /** The ARM id of the recovery point restored. */
    recoveryPointId: string;
    /** What the restore rules warn of (a confidential VM, a staging account that could not be read). */
    warnings: string[];
}

/**
 * A restore that may have started: the trigger was sent, and whether Azure acted on it could not
 * be told (its answer was lost and its job was not found). It was not sent again.
 */
export class RestoreOutcomeUnknown extends JobOutcomeUnknown {
    constructor(item: ItemTarget, doing: string, since: Date, why: string, cause?: BackupOperationError, operation = "Restore") {
        super(item, doing, "restore", operation, since, why, cause);
        this.name = "RestoreOutcomeUnknown";
    }
}

/** A restore the rules refuse: every broken rule, each with what to do. Nothing was sent. */
export class RestoreRefused extends InvalidArgumentError {
    constructor(public readonly findings: Finding[]) {
        const [first, ...rest] = findings;
        super(first.path, [first.message, ...rest.map((f) => `${f.path}: ${f.message}`)].join("; "));
        this.name = "RestoreRefused";
    }
}

const RECOVERY_TYPES: Record<RestoreMode, IaasVMRestoreRequest["recoveryType"]> = {
    disks: "RestoreDisks",
    "new-vm": "AlternateLocation",
    "replace-disks": "OriginalLocation",
};

/** The options each mode needs, and those it has no use for. */
const NEEDS: Record<RestoreMode, { required: (keyof RestoreOptions)[]; unused: (keyof RestoreOptions)[] }> = {
    disks: { required: ["targetResourceGroupId", "stagingStorageAccountId"], unused: ["virtualNetworkId", "subnetName", "targetVmName"] },
    "new-vm": { required: ["targetResourceGroupId", "stagingStorageAccountId", "virtualNetworkId", "subnetName"], unused: [] },
    "replace-disks": { required: ["stagingStorageAccountId"], unused: ["targetResourceGroupId", "virtualNetworkId", "subnetName", "targetVmName"] },
};

function checkModeOptions(options: RestoreOptions): void {
    const { required, unused } = NEEDS[options.mode];
    for (const key of required) {
        if (options[key] === undefined) throw new InvalidArgumentError(key, `is required with mode "${options.mode}", got undefined`);
    }
    for (const key of unused) {
        if (options[key] !== undefined) {
            throw new InvalidArgumentError(key, `is not used with mode "${options.mode}"${options.mode === "replace-disks" ? " (it restores into the VM itself)" : ""}: leave it out, got ${JSON.stringify(options[key])}`);
        }
    }
}

/**
 * Restores a protected VM from a recovery point and resolves with the id of the restore job it
 * started (follow it with `waitForBackupJob`; the job tells what was created). Checked before it
 * is sent: a request Azure Backup's rules refuse rejects with `RestoreRefused`, naming every
 * broken rule. Sent again only when Azure cannot have started a restore with it; when that
 * cannot be told, it rejects with `RestoreOutcomeUnknown` rather than risk a second restore.
 */
export async function restoreVm(target: { vaultId: string; vmId: string }, options: RestoreOptions): Promise<RestoreStarted> {
    checkArguments(["target", "target", target], ["options", "restoreOptions", options]);
    const item = itemTarget(target.vaultId, target.vmId);
    checkModeOptions(options);
    const client = await createBackupClient(item.subscriptionId, options.client);
    const deadline = Date.now() + (options.timeoutMs ?? 900_000);
    const reads = untilDeadline(deadline, options.signal);
    const doing = `restoring VM ${item.vmName} from vault ${item.vaultName}`;

    let read: { point: RecoveryPoint; facts: RestoreFacts; unread: Finding[]; cr?: CrossRegion };
    try {
        const storage = await vaultStorage(client, item, reads);
        const point = await resolvePoint(client, item, options, storage, reads);
        read = { point, ...(await readFacts(client, item, options, point, storage, reads)) };
        // Where a cross-region restore runs: the region Azure pairs with the vault's.
        if (options.secondaryRegion && storage.crossRegionRestore) {
            read.cr = { client, vault: item, region: await pairedRegion(client, item.subscriptionId, read.facts.vault.location!, reads) };
            read.facts.vault.pairedRegion = read.cr.region;
        }
    } catch (err) {
        // Stopped while reading: nothing was sent.
        if (options.signal?.aborted) throw new BackupOperationError("Interrupted", `${doing}: interrupted before the restore was sent`);
        if (reads.aborted) throw new BackupOperationError("Timeout", `${doing}: the time given ran out before the restore was sent`);
        throw err;
    }
    const { point, facts, unread, cr } = read;
    const findings = [...unread, ...restoreFindings(facts)];
    const errors = findings.filter((f) => f.severity === "error");
    if (errors.length > 0) throw new RestoreRefused(errors);

    // A cross-region restore's request names the paired region, where it creates what it restores.
    const request = restoreRequest(target.vmId, options, point, cr?.region ?? facts.vault.location!);
    const operation = cr ? "CrossRegionRestore" : "Restore";
    const { jobId } = await sendOnce(
        {
            client,
            item,
            doing: cr ? `${doing} in ${cr.region}` : doing,
            noun: "restore",
            operation,
            hints: ITEM_HINTS,
            send: cr
                ? (abortSignal, onResponse) => sendCrossRegionRestore(cr, item, point.name, request, abortSignal, onResponse)
                : async (abortSignal, onResponse) => {
                      // Only the first response counts: the poller the SDK returns is never waited on.
                      await client.restores.beginTrigger(item.vaultName, item.resourceGroupName, "Azure", item.containerName, item.protectedItemName, point.name, { properties: request }, { abortSignal, onResponse });
                  },
            ...(cr ? { readOperation: (id: string, s: AbortSignal) => readCrossRegionOperation(cr, id, s), listJobs: (f: JobFilter, s: AbortSignal) => listCrossRegionJobs(cr, f, s) } : {}),
            unknown: (since, why, cause) => new RestoreOutcomeUnknown(item, cr ? `${doing} in ${cr.region}` : doing, since, why, cause, operation),
        },
        { ...options, deadline },
    );
    return { jobId, recoveryPointId: point.id, warnings: findings.filter((f) => f.severity === "warning").map((f) => `${f.path}: ${f.message}`) };
}

/**
 * The recovery point `point` names. A restore in the paired region takes it from the points that
 * region holds (Azure copies vault-tier points there hours after they are taken), as long as the
 * vault can restore there at all: otherwise the rules refuse the restore, naming why.
 */
async function resolvePoint(
    client: RecoveryServicesBackupClient,
    item: ItemTarget,
    options: RestoreOptions,
    storage: { redundancy: string; crossRegionRestore: boolean },
    signal: AbortSignal,
): Promise<RecoveryPoint> {
    const { point } = options;
    const { crossRegionRestore } = storage;
    const paired = options.secondaryRegion === true && pairedRegionOff(storage) === undefined;
    const got = point instanceof Date ? point.toISOString() : JSON.stringify(point);
    if (point === "latest" || point instanceof Date) {
        const bounds = point instanceof Date ? { to: point } : {};
        const when = point instanceof Date ? ` taken at or before ${point.toISOString()}` : "";
        const points = paired ? await readPairedRegionPoints(client, item, bounds, signal) : await readRecoveryPoints(client, item, bounds, signal, { crossRegionRestore });
        if (points.length > 0) return points[0];
        if (paired && (await readRecoveryPoints(client, item, bounds, signal, { crossRegionRestore })).length > 0) {
            throw new InvalidArgumentError(
                "point",
                `VM ${item.vmName} has no recovery point${when} that the paired region holds yet (snapshots are not replicated there, and Azure copies a vault-tier point there hours after it is taken): wait for a backup to reach it, or restore in the vault's region, got ${got}`,
            );
        }
        throw new InvalidArgumentError("point", `VM ${item.vmName} has no recovery point in vault ${item.vaultName}${when}: back it up first (backupNow), got ${got}`);
    }
    const name = nameOf(point);
    const held = paired ? await readPairedRegionPoints(client, item, {}, signal) : [];
    const found = held.find((p) => p.name === name);
    if (found) return found;
    let primary: RecoveryPoint;
    try {
        const resource = await client.recoveryPoints.get(item.vaultName, item.resourceGroupName, "Azure", item.containerName, item.protectedItemName, name, { abortSignal: signal });
        primary = toRecoveryPoint(resource, crossRegionRestore);
    } catch (err) {
        const failure = explain(err, `reading recovery point ${name} of VM ${item.vmName}`, ITEM_HINTS);
        if (failure.code === "NotFound") throw new InvalidArgumentError("point", `VM ${item.vmName} has no recovery point ${name} in vault ${item.vaultName}: list them with listRecoveryPoints, got ${got}`);
        throw failure;
    }
    // A point the paired region will never hold (a snapshot, an archived point) is the rules' to refuse, saying why.
    const replicates = primary.tiers.some((t) => t.tier !== "Snapshot" && usableTier(t));
    if (!paired || !replicates) return primary;
    const newest = held[0];
    throw new InvalidArgumentError(
        "point",
        `recovery point ${name} of VM ${item.vmName} has not reached the paired region yet (Azure copies a vault-tier point there hours after it is taken): ${
            newest ? `restore the newest point that has, ${newest.name} (${newest.time.toISOString()}), ` : "no point has reached it yet: "
        }wait and try again, or restore in the vault's region, got ${got}`,
    );
}

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/** What the rules need to know, read from Azure: the vault's region, the staging account, the network. */
async function readFacts(
    client: RecoveryServicesBackupClient,
    item: ItemTarget,
    options: RestoreOptions,
    point: RecoveryPoint,
    storage: { redundancy: string; crossRegionRestore: boolean },
    signal: AbortSignal,
): Promise<{ facts: RestoreFacts; unread: Finding[] }> {
    const unread: Finding[] = [];
    const vaultId = vaultIdOf(item);
    const vault = await readResource(client, vaultId, signal);
    if ("unread" in vault) throw new BackupOperationError("NotFound", `${vaultId} could not be read, and a restore needs its region: ${vault.unread}`);
    const read = async (path: string, id: string | undefined) => {
        if (id === undefined) return undefined;
        const got = await readResource(client, id, signal);
        if ("unread" in got) unread.push(restoreUnread(path, id, got.unread));
        return "resource" in got ? got.resource : undefined;
    };
    const staging = await read("stagingStorageAccountId", options.stagingStorageAccountId);
    const network = options.mode === "new-vm" ? await read("virtualNetworkId", options.virtualNetworkId) : undefined;
    const props = (r: Record<string, unknown> | undefined) => (r?.properties ?? {}) as Record<string, unknown>;
    const facts: RestoreFacts = {
        mode: options.mode,
        secondaryRegion: options.secondaryRegion === true,
        confirm: options.confirm,
        vault: { subscriptionId: item.subscriptionId, location: text(vault.resource.location), redundancy: storage.redundancy, crossRegionRestore: storage.crossRegionRestore },
        point,
        targetResourceGroupId: options.targetResourceGroupId,
        ...(options.stagingStorageAccountId
            ? {
                  staging: {
                      id: options.stagingStorageAccountId,
                      location: text(staging?.location),
                      kind: text(staging?.kind),
                      sku: text((staging?.sku as { name?: unknown } | undefined)?.name),
                      networkRules: text((props(staging).networkAcls as { defaultAction?: unknown } | undefined)?.defaultAction) === "Deny",
                  },
              }
            : {}),
        ...(options.mode === "new-vm" && options.virtualNetworkId
            ? {
                  network: {
                      id: options.virtualNetworkId,
                      location: text(network?.location),
                      ...(Array.isArray(props(network).subnets) ? { subnets: (props(network).subnets as { name?: unknown }[]).map((s) => text(s.name) ?? "") } : {}),
                  },
              }
            : {}),
        subnetName: options.subnetName,
        targetZone: options.targetZone,
    };
    if (!facts.vault.location) throw new BackupOperationError("AzureError", `reading ${vaultId}: Azure's answer names no region`);
    return { facts, unread };
}

/** The IaaS VM restore request, in the shape of Microsoft's TriggerRestore examples. */
function restoreRequest(sourceVmId: string, options: RestoreOptions, point: RecoveryPoint, region: string): IaasVMRestoreRequest {
    const vm = parseVmId(sourceVmId)!;
    const vmId = `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroupName}/providers/Microsoft.Compute/virtualMachines/${vm.vmName}`;
    const request: IaasVMRestoreRequest = {
        objectType: "IaasVMRestoreRequest",
        recoveryPointId: point.name,
        recoveryType: RECOVERY_TYPES[options.mode],
        sourceResourceId: vmId,
        region,
        storageAccountId: options.stagingStorageAccountId,
        originalStorageAccountOption: false,
        createNewCloudService: false,
        encryptionDetails: { encryptionEnabled: point.encrypted },
    };
    if (options.mode !== "replace-disks") request.targetResourceGroupId = options.targetResourceGroupId;
    if (options.mode === "new-vm") {
        const name = options.targetVmName ?? `${vm.vmName}-restored`.slice(0, 64);
        request.virtualNetworkId = options.virtualNetworkId;
        request.subnetId = `${options.virtualNetworkId}/subnets/${options.subnetName}`;
        request.targetVirtualMachineId = `${options.targetResourceGroupId}/providers/Microsoft.Compute/virtualMachines/${name}`;
    }
    if (options.targetZone !== undefined) request.zones = [options.targetZone];
    return request;
}
