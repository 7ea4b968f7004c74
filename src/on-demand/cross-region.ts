// Cross-region restore: a restore run in the vault's paired region, from what the vault replicated
// there. Azure's API for it (RecoveryServicesBackupCrr) has no JavaScript SDK: its operations are
// sent through the Backup client's pipeline (arm-request.ts), in the shapes of Microsoft's examples.
import type { IaasVMRestoreRequest, JobResource, OperationStatus, RecoveryPointResource, RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { ArmRequest, armRequest } from "./arm-request";
import { pairedRegion, readResource } from "./resource-reads";
import { BackupOperationError } from "./backup-operation-error";
import type { ItemTarget, VaultTarget } from "./azure-ids";
import { BackupJob, JobFilter, jobFilter, toBackupJob } from "./backup-jobs";
import { explain } from "./backup-client";
import { vaultIdOf } from "../rules/resource-ids";

const CRR_API = "2023-01-15";

/** The vault and the paired region its cross-region restores run in. */
export interface CrossRegion {
    client: RecoveryServicesBackupClient;
    vault: VaultTarget;
    /** The paired (secondary) region. */
    region: string;
}

const itemPath = (item: ItemTarget) => `${vaultIdOf(item)}/backupFabrics/Azure/protectionContainers/${item.containerName}/protectedItems/${item.protectedItemName}`;
const at = (cr: CrossRegion) => `/subscriptions/${cr.vault.subscriptionId}/providers/Microsoft.RecoveryServices/locations/${cr.region}`;

/** The paired region of a vault, from its region. */
export async function vaultCrossRegion(client: RecoveryServicesBackupClient, vault: VaultTarget, abortSignal?: AbortSignal): Promise<CrossRegion> {
    const read = await readResource(client, vaultIdOf(vault), abortSignal);
    const location = "resource" in read ? read.resource.location : undefined;
    if (typeof location !== "string") throw new BackupOperationError("NotFound", `${vaultIdOf(vault)} could not be read, and its paired region depends on its region: ${"unread" in read ? read.unread : "no region"}`);
    return { client, vault, region: await pairedRegion(client, vault.subscriptionId, location, abortSignal) };
}

/**
 * Sends a cross-region restore as the Azure CLI does: the AAD properties of the paired region, an
 * access token for the recovery point, then the restore with both. `onResponse` sees the
 * restore's own answer only.
 */
export async function sendCrossRegionRestore(
    cr: CrossRegion,
    item: ItemTarget,
    pointName: string,
    request: IaasVMRestoreRequest,
    abortSignal: AbortSignal,
    onResponse: Parameters<typeof armRequest>[3],
): Promise<void> {
    const aad = await armRequest(cr.client, { method: "GET", path: `${at(cr)}/backupAadProperties`, apiVersion: CRR_API, query: { $filter: "backupManagementType eq 'AzureIaasVM'" } }, abortSignal);
    const pointPath = `${itemPath(item)}/recoveryPoints/${pointName}`;
    const token = await armRequest(
        cr.client,
        { method: "POST", path: `${pointPath}/accessToken`, apiVersion: CRR_API, body: { properties: (aad.body as { properties?: unknown } | undefined)?.properties } },
        abortSignal,
    );
    const access = (token.body as { properties?: unknown } | undefined)?.properties;
    if (typeof access !== "object" || access === null) throw new BackupOperationError("AzureError", `Azure gave no access token for recovery point ${pointName}`);
    await armRequest(
        cr.client,
        { method: "POST", path: `${at(cr)}/backupCrossRegionRestore`, apiVersion: CRR_API, body: { crossRegionRestoreAccessDetails: access, restoreRequest: request } },
        abortSignal,
        onResponse,
    );
}

/** A cross-region restore's operation, as the vault's operations read. */
export async function readCrossRegionOperation(cr: CrossRegion, operationId: string, abortSignal: AbortSignal): Promise<OperationStatus> {
    const { body } = await armRequest(cr.client, { method: "GET", path: `${at(cr)}/backupCrrOperationsStatus/${operationId}`, apiVersion: CRR_API }, abortSignal);
    return (body ?? {}) as OperationStatus;
}

/** Job times as Dates, as the SDK would deserialize them. */
function asJobResource(raw: unknown): JobResource {
    const resource = (raw ?? {}) as { properties?: Record<string, unknown> };
    const p = resource.properties ?? {};
    const date = (v: unknown) => (typeof v === "string" ? new Date(v) : undefined);
    const tasks = ((p.extendedInfo as { tasksList?: Record<string, unknown>[] } | undefined)?.tasksList ?? []).map((t) => ({ ...t, startTime: date(t.startTime), endTime: date(t.endTime) }));
    return {
        ...resource,
        properties: {
            ...p,
            startTime: date(p.startTime),
            endTime: date(p.endTime),
            ...(p.extendedInfo ? { extendedInfo: { ...(p.extendedInfo as object), tasksList: tasks } } : {}),
        },
    } as JobResource;
}

/** A cross-region restore job, read in the paired region. */
export async function readCrossRegionJob(cr: CrossRegion, jobId: string, abortSignal?: AbortSignal): Promise<JobResource> {
    const { body } = await armRequest(cr.client, { method: "POST", path: `${at(cr)}/backupCrrJob`, apiVersion: CRR_API, body: { resourceId: vaultIdOf(cr.vault), jobName: jobId } }, abortSignal);
    return asJobResource(body);
}

/** The vault's cross-region restore jobs, newest first. */
export async function listCrossRegionJobs(cr: CrossRegion, filter: JobFilter, abortSignal?: AbortSignal): Promise<BackupJob[]> {
    try {
        const { body } = await armRequest(
            cr.client,
            { method: "POST", path: `${at(cr)}/backupCrrJobs`, apiVersion: CRR_API, query: { $filter: jobFilter(filter) }, body: { resourceId: vaultIdOf(cr.vault) } },
            abortSignal,
        );
        return ((body as { value?: unknown[] } | undefined)?.value ?? []).map((raw) => toBackupJob(asJobResource(raw)));
    } catch (err) {
        throw explain(err, `listing the cross-region restore jobs of vault ${cr.vault.vaultName} in ${cr.region}`);
    }
}

/** The next page a list names, on the client's own endpoint (its credential goes nowhere else). */
function nextPage(link: string, apiVersion: string): ArmRequest {
    let next: URL;
    try {
        next = new URL(link);
    } catch {
        throw new BackupOperationError("AzureError", "Azure's link to the next page of the list is not a URL");
    }
    const query = Object.fromEntries([...next.searchParams].filter(([name]) => name.toLowerCase() !== "api-version"));
    return { method: "GET", path: next.pathname, apiVersion: next.searchParams.get("api-version") ?? apiVersion, query };
}

/**
 * The recovery points of an item that the paired region holds (RecoveryPointsCrr_List: the vault's
 * own path, with a trailing slash, at the cross-region API's version), every page, times as Dates.
 */
export async function listCrossRegionPoints(client: RecoveryServicesBackupClient, item: ItemTarget, filter: string | undefined, abortSignal?: AbortSignal): Promise<RecoveryPointResource[]> {
    const points: RecoveryPointResource[] = [];
    const seen = new Set<string>();
    let request: ArmRequest | undefined = { method: "GET", path: `${itemPath(item)}/recoveryPoints/`, apiVersion: CRR_API, query: filter ? { $filter: filter } : {} };
    while (request) {
        const { body } = await armRequest(client, request, abortSignal);
        const page = (body ?? {}) as { value?: unknown; nextLink?: string | null };
        for (const raw of Array.isArray(page.value) ? (page.value as (RecoveryPointResource | null)[]) : []) {
            const p = (raw?.properties ?? {}) as { recoveryPointTime?: unknown };
            const time = typeof p.recoveryPointTime === "string" ? new Date(p.recoveryPointTime) : undefined;
            points.push({ ...raw, properties: { ...p, recoveryPointTime: time } } as RecoveryPointResource);
        }
        // A link seen before would list the same page for ever.
        const link = typeof page.nextLink === "string" && page.nextLink && !seen.has(page.nextLink) ? page.nextLink : undefined;
        request = link ? nextPage(link, CRR_API) : undefined;
        if (link) seen.add(link);
    }
    return points;
}
