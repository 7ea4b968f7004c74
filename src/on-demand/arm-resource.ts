// A read of one Azure resource by its id (a vault, a storage account, a virtual network), sent
// through the Backup client's own pipeline (its credential, retry and timeout policies) as an
// operation of the same kind the SDK defines for its own requests: Resource Manager's generic
// GET of a resource by id.
import type { OperationSpec } from "@azure/core-client";
import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { explain } from "./backup-client";
import { BackupOperationError } from "./backup-operation-error";
import { redactDeep } from "./redact";

/** The API version each resource type is read with: stable versions current at the time of writing. */
const API_VERSIONS: Record<string, string> = {
    "microsoft.recoveryservices/vaults": "2024-10-01",
    "microsoft.storage/storageaccounts": "2023-05-01",
    "microsoft.network/virtualnetworks": "2024-05-01",
};

const string = { type: { name: "String" } } as const;

function getById(apiVersion: string): OperationSpec {
    return {
        path: "/{resourceId}",
        httpMethod: "GET",
        responses: { 200: {}, default: {} },
        urlParameters: [
            { parameterPath: "$host", mapper: { ...string, serializedName: "$host", required: true }, skipEncoding: true },
            { parameterPath: "resourceId", mapper: { ...string, serializedName: "resourceId", required: true }, skipEncoding: true },
        ],
        queryParameters: [{ parameterPath: "apiVersion", mapper: { ...string, serializedName: "api-version", defaultValue: apiVersion, isConstant: true } }],
        headerParameters: [{ parameterPath: "accept", mapper: { ...string, serializedName: "Accept", defaultValue: "application/json", isConstant: true } }],
        serializer: { serialize: (_m: unknown, o: unknown) => o, deserialize: (_m: unknown, o: unknown) => o } as unknown as OperationSpec["serializer"],
    };
}

/** What a read found: the resource, or why it could not be read (not there, not allowed). */
export type ResourceRead = { resource: Record<string, unknown> } | { unread: string };

/**
 * Reads a resource by id. A resource that is not there or may not be read is `unread` with
 * Azure's reason; any other failure (after the pipeline's retries) is thrown, said plainly.
 */
export async function readResource(client: RecoveryServicesBackupClient, id: string, abortSignal?: AbortSignal): Promise<ResourceRead> {
    const type = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/.exec(id)?.[1]?.toLowerCase() ?? "";
    const apiVersion = API_VERSIONS[type];
    if (!apiVersion) throw new BackupOperationError("InvalidArgument", `reading ${id}: not a resource type this library reads`);
    let body: unknown;
    try {
        await client.sendOperationRequest(
            { resourceId: id.replace(/^\/+/, ""), options: { abortSignal, onResponse: (r: { parsedBody?: unknown }) => (body = r.parsedBody) } },
            getById(apiVersion),
        );
    } catch (err) {
        const failure = explain(err, `reading ${id}`);
        if (failure.code === "NotFound" || failure.code === "Forbidden") return { unread: failure.message };
        throw failure;
    }
    if (typeof body !== "object" || body === null) throw new BackupOperationError("AzureError", `reading ${id}: Azure's answer holds no resource`);
    return { resource: redactDeep(body as Record<string, unknown>) };
}
