// The reads a restore's rules need besides Azure Backup's own: a vault, a storage account or a
// network by id, and the region Azure pairs with another. Made through Resource Manager's SDKs
// (resources, subscriptions) with the options of the Backup client they serve: its credential,
// endpoint, extra policies, retries and request timeout.
import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import type { ResourceManagementClient } from "@azure/arm-resources";
import type { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { backupClientOptions, explain, sdkClient } from "./backup-client";
import { BackupOperationError } from "./backup-operation-error";
import { redactDeep } from "./redact";

/** The API version each resource type is read with: stable versions current at the time of writing. */
const API_VERSIONS: Record<string, string> = {
    "microsoft.recoveryservices/vaults": "2024-10-01",
    "microsoft.storage/storageaccounts": "2023-05-01",
    "microsoft.network/virtualnetworks": "2024-05-01",
};

/** What a read found: the resource, or why it could not be read (not there, not allowed). */
export type ResourceRead = { resource: Record<string, unknown> } | { unread: string };

interface Clients {
    resources: Map<string, Promise<ResourceManagementClient>>;
    subscriptions?: Promise<SubscriptionClient>;
}

/** One set of clients per Backup client, made when first needed. */
const CLIENTS = new WeakMap<RecoveryServicesBackupClient, Clients>();

function clientsOf(backup: RecoveryServicesBackupClient): Clients {
    let clients = CLIENTS.get(backup);
    if (!clients) CLIENTS.set(backup, (clients = { resources: new Map() }));
    return clients;
}

function resourcesClient(backup: RecoveryServicesBackupClient, subscriptionId: string): Promise<ResourceManagementClient> {
    const clients = clientsOf(backup);
    const key = subscriptionId.toLowerCase();
    let made = clients.resources.get(key);
    if (!made) {
        const options = backupClientOptions(backup);
        made = import("@azure/arm-resources").then(({ ResourceManagementClient }) => sdkClient(options, (credential, o) => new ResourceManagementClient(credential, subscriptionId, o)));
        clients.resources.set(key, made);
    }
    return made;
}

function subscriptionsClient(backup: RecoveryServicesBackupClient): Promise<SubscriptionClient> {
    const clients = clientsOf(backup);
    if (!clients.subscriptions) {
        const options = backupClientOptions(backup);
        clients.subscriptions = import("@azure/arm-resources-subscriptions").then(({ SubscriptionClient }) => sdkClient(options, (credential, o) => new SubscriptionClient(credential, o)));
    }
    return clients.subscriptions;
}

/**
 * Reads a resource by id. A resource that is not there or may not be read is `unread` with
 * Azure's reason; any other failure (after the pipeline's retries) is thrown, said plainly.
 */
export async function readResource(backup: RecoveryServicesBackupClient, id: string, abortSignal?: AbortSignal): Promise<ResourceRead> {
    const type = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/.exec(id)?.[1]?.toLowerCase() ?? "";
    const apiVersion = API_VERSIONS[type];
    const subscriptionId = /^\/subscriptions\/([^/]+)\//i.exec(id)?.[1];
    if (!apiVersion || !subscriptionId) throw new BackupOperationError("InvalidArgument", `reading ${id}: not a resource type this library reads`);
    let resource: unknown;
    try {
        resource = await (await resourcesClient(backup, subscriptionId)).resources.getById(id, apiVersion, { abortSignal });
    } catch (err) {
        const failure = explain(err, `reading ${id}`);
        if (failure.code === "NotFound" || failure.code === "Forbidden") return { unread: failure.message };
        throw failure;
    }
    if (typeof resource !== "object" || resource === null) throw new BackupOperationError("AzureError", `reading ${id}: Azure's answer holds no resource`);
    return { resource: redactDeep(resource as Record<string, unknown>) };
}

/** The region Azure pairs with `location`, from Resource Manager's list of the subscription's locations. */
export async function pairedRegion(backup: RecoveryServicesBackupClient, subscriptionId: string, location: string, abortSignal?: AbortSignal): Promise<string> {
    let pair: string | undefined;
    try {
        for await (const region of (await subscriptionsClient(backup)).subscriptions.listLocations(subscriptionId, { abortSignal })) {
            if (region.name?.toLowerCase() === location.toLowerCase()) pair = region.metadata?.pairedRegion?.[0]?.name;
        }
    } catch (err) {
        throw explain(err, `reading the paired region of ${location}`);
    }
    if (!pair) throw new BackupOperationError("AzureError", `${location} has no paired region that Azure names: cross-region restore needs one`);
    return pair;
}
