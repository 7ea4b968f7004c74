// Requests of Azure Backup's cross-region restore API, which has no JavaScript SDK, sent through
// the Backup client's own pipeline (its credential, retry and timeout policies) as operations of
// the same kind the SDK defines for its own requests.
import type { FullOperationResponse, OperationSpec } from "@azure/core-client";
import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";

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
