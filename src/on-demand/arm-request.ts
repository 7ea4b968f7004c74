// Resource Manager requests the Backup SDK has no operation for (a read of a vault, a storage
// account or a network by id; the cross-region restore API), sent through the Backup client's own
// pipeline (its credential, retry and timeout policies) as operations of the same kind the SDK
// defines for its own requests.
import type { FullOperationResponse, OperationSpec } from "@azure/core-client";
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
/** Values go out as given: the paths and bodies are built here from checked names. */
const asIs = { serialize: (_m: unknown, o: unknown) => o, deserialize: (_m: unknown, o: unknown) => o } as unknown as OperationSpec["serializer"];

/** A Resource Manager request the Backup SDK has no operation for, as an operation of the same kind. */
export interface ArmRequest {
    method: "GET" | "POST";
    /** The path, from `/subscriptions/...`, each name in it already checked. */
    path: string;
    apiVersion: string;
    query?: Record<string, string>;
    body?: unknown;
}

/** @internal Sends the request through the client's pipeline; resolves with Azure's answer, or throws as the SDK does (a RestError). */
export async function armRequest(
    client: RecoveryServicesBackupClient,
    request: ArmRequest,
    abortSignal?: AbortSignal,
    onResponse?: (response: FullOperationResponse) => void,
): Promise<{ status: number; body: unknown }> {
    const query = Object.keys(request.query ?? {});
    const spec: OperationSpec = {
        path: "/{armPath}",
        httpMethod: request.method,
        responses: { 200: {}, 201: {}, 202: {}, 204: {}, default: {} },
        urlParameters: [
            { parameterPath: "$host", mapper: { ...string, serializedName: "$host", required: true }, skipEncoding: true },
            { parameterPath: "armPath", mapper: { ...string, serializedName: "armPath", required: true }, skipEncoding: true },
        ],
        queryParameters: [
            { parameterPath: "apiVersion", mapper: { ...string, serializedName: "api-version", defaultValue: request.apiVersion, isConstant: true } },
            ...query.map((key) => ({ parameterPath: ["query", key], mapper: { ...string, serializedName: key } })),
        ],
        headerParameters: [{ parameterPath: "accept", mapper: { ...string, serializedName: "Accept", defaultValue: "application/json", isConstant: true } }],
        ...(request.body !== undefined
            ? { requestBody: { parameterPath: "body", mapper: { serializedName: "body", type: { name: "any" } } }, mediaType: "json" }
            : {}),
        serializer: asIs,
    } as OperationSpec;
    let answer: { status: number; body: unknown } = { status: 0, body: undefined };
    await client.sendOperationRequest(
        {
            armPath: request.path.replace(/^\/+/, ""),
            query: request.query ?? {},
            ...(request.body !== undefined ? { body: request.body } : {}),
            options: {
                abortSignal,
                onResponse: (r: FullOperationResponse) => {
                    answer = { status: r.status, body: r.parsedBody };
                    onResponse?.(r);
                },
            },
        },
        spec,
    );
    return answer;
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
        body = (await armRequest(client, { method: "GET", path: id, apiVersion }, abortSignal)).body;
    } catch (err) {
        const failure = explain(err, `reading ${id}`);
        if (failure.code === "NotFound" || failure.code === "Forbidden") return { unread: failure.message };
        throw failure;
    }
    if (typeof body !== "object" || body === null) throw new BackupOperationError("AzureError", `reading ${id}: Azure's answer holds no resource`);
    return { resource: redactDeep(body as Record<string, unknown>) };
}
