// The Azure Backup SDK client these helpers share, and what its errors mean for a user.
// The SDK loads when a client is made, not when a Pulumi program imports the library.
import type { TokenCredential } from "@azure/core-auth";
import type { Pipeline, PipelinePolicy, RestError, RetryStrategy } from "@azure/core-rest-pipeline";
import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { BackupErrorCode, BackupOperationError } from "./backup-operation-error";
import { signInFailure } from "./sign-in";

/** How to reach Azure Backup. */
export interface BackupClientOptions {
    /**
     * Credential for Resource Manager.
     *
     * @default - `DefaultAzureCredential` from `@azure/identity` (environment, workload identity,
     * managed identity, Azure CLI, ...)
     */
    credential?: TokenCredential;
    /**
     * Resource Manager endpoint, for sovereign clouds (e.g. "https://management.usgovcloudapi.net").
     *
     * @default "https://management.azure.com"
     */
    endpoint?: string;
    /**
     * How many times a read is retried after a transient failure (5xx, a dropped connection).
     * Throttled requests (429, with Azure's Retry-After) are retried up to 20 times, or this many
     * if more.
     *
     * @default 5
     */
    maxRetries?: number;
    /**
     * How long one request may take before it is abandoned (and, for a read, tried again): a
     * connection that stalls must not outlast a wait's timeout.
     *
     * @default 60000
     */
    requestTimeoutMs?: number;
    /** Extra pipeline policies, as every Azure SDK client takes them (proxies, test certificates). */
    additionalPolicies?: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[];
}

const TRANSIENT = new Set([408, 500, 502, 503, 504]);

function retryAfterMs(headers: { get(name: string): string | undefined } | undefined): number | undefined {
    const ms = headers?.get("retry-after-ms") ?? headers?.get("x-ms-retry-after-ms");
    if (ms !== undefined && Number.isFinite(Number(ms))) return Number(ms);
    const value = headers?.get("retry-after");
    if (value === undefined) return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return seconds * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Resource Manager marks the errors it answers itself, before a request is routed to a resource
 * provider, with `x-ms-failure-cause: gateway` (a provider's own errors say `service`). A 429 so
 * marked is Resource Manager's throttling: the Backup service never saw the request.
 */
export function rejectedByGateway(status: number | undefined, headers: { get(name: string): string | undefined } | undefined): boolean {
    return status === 429 && headers?.get("x-ms-failure-cause")?.trim().toLowerCase() === "gateway";
}

/**
 * Throttled reads, and writes that Resource Manager throttled before they reached Azure Backup,
 * are waited out and sent again. Any other 429 or 503 to a write may come after the backup
 * started: it is not repeated here.
 */
const throttled: RetryStrategy = {
    name: "azure-vm-backup-throttled",
    retry({ response }) {
        if (!response || (response.status !== 429 && !(response.status === 503 && response.headers.get("retry-after")))) return { skipStrategy: true };
        const read = response.request.method === "GET" || response.request.method === "HEAD";
        if (!read && !rejectedByGateway(response.status, response.headers)) return { skipStrategy: true };
        return { retryAfterInMs: retryAfterMs(response.headers) ?? 1000 };
    },
};

/**
 * A read that failed in passing is tried again with growing waits. A write (the backup trigger)
 * is not: the request may have reached Azure, and repeating it could start a second backup.
 */
function transientReads(baseMs: number, maxRetries: number): RetryStrategy {
    return {
        name: "azure-vm-backup-transient-reads",
        retry({ response, responseError, retryCount }) {
            const method = (response?.request ?? responseError?.request)?.method;
            if ((method !== "GET" && method !== "HEAD") || retryCount >= maxRetries) return { skipStrategy: true };
            const transient = responseError !== undefined ? response === undefined : response !== undefined && TRANSIENT.has(response.status);
            if (!transient) return { skipStrategy: true };
            const delay = Math.min(baseMs * 2 ** retryCount, 30_000);
            return { retryAfterInMs: delay / 2 + Math.random() * (delay / 2) };
        },
    };
}

/** The credential given, or the default chain of `@azure/identity`. */
export async function credentialOf(options: BackupClientOptions): Promise<TokenCredential> {
    return options.credential ?? new (await import("@azure/identity")).DefaultAzureCredential();
}

/**
 * @internal An Azure SDK client made with the options' credential, endpoint and extra policies,
 * and this library's retries and timeout (hardenPipeline).
 */
export async function sdkClient<T extends { pipeline: Pipeline }>(
    options: BackupClientOptions,
    make: (credential: TokenCredential, clientOptions: Pick<BackupClientOptions, "endpoint" | "additionalPolicies">) => T,
): Promise<T> {
    const client = make(await credentialOf(options), { endpoint: options.endpoint, additionalPolicies: options.additionalPolicies });
    await hardenPipeline(client.pipeline, options);
    return client;
}

/** The options each Backup client was made with, its credential included: the other clients a call needs are made with the same. */
const OPTIONS = new WeakMap<RecoveryServicesBackupClient, BackupClientOptions & { credential: TokenCredential }>();

/** @internal The options `client` was made with. */
export function backupClientOptions(client: RecoveryServicesBackupClient): BackupClientOptions & { credential: TokenCredential } {
    const options = OPTIONS.get(client);
    if (!options) throw new Error("a Backup client not made by createBackupClient");
    return options;
}

/** A client for one subscription, with the retry policy above in place of the SDK's default. */
export async function createBackupClient(subscriptionId: string, options: BackupClientOptions = {}): Promise<RecoveryServicesBackupClient> {
    const { RecoveryServicesBackupClient } = await import("@azure/arm-recoveryservicesbackup");
    // The credential itself, not a fresh default one: every client of a call signs in once.
    const made = { ...options, credential: await credentialOf(options) };
    const client = await sdkClient(made, (credential, o) => new RecoveryServicesBackupClient(credential, subscriptionId, o));
    OPTIONS.set(client, made);
    return client;
}

/**
 * Puts this library's retries and request timeout in place of an Azure SDK client's default
 * retry policy: every client the library makes (Backup, Compute) retries the same way.
 */
export async function hardenPipeline(pipeline: Pipeline, options: BackupClientOptions): Promise<void> {
    const { retryPolicy } = await import("@azure/core-rest-pipeline");
    pipeline.removePolicy({ name: "defaultRetryPolicy" });
    // Throttling gets a larger budget than failures: Azure paces it with Retry-After, and many
    // workers sharing one write limit would otherwise run out of retries while waiting their turn.
    // Our own timer, not the request's `timeout`: the HTTP client leaves that one running after a
    // dropped connection, which keeps the process alive for its full length.
    const timeout = options.requestTimeoutMs ?? 60_000;
    pipeline.addPolicy(
        {
            name: "azure-vm-backup-request-timeout",
            sendRequest: async (request, next) => {
                const controller = new AbortController();
                const outer = request.abortSignal;
                const abort = () => controller.abort();
                if (outer?.aborted) controller.abort();
                outer?.addEventListener("abort", abort, { once: true });
                const timer = setTimeout(abort, timeout);
                timer.unref();
                request.abortSignal = controller.signal;
                try {
                    return await next(request);
                } finally {
                    clearTimeout(timer);
                    outer?.removeEventListener("abort", abort);
                    request.abortSignal = outer;
                }
            },
        },
        { afterPhase: "Retry" },
    );
    const reads = options.maxRetries ?? 5;
    pipeline.addPolicy(retryPolicy([throttled, transientReads(800, reads)], { maxRetries: Math.max(20, reads) }), { phase: "Retry" });
}

function isRestError(err: unknown): err is RestError {
    return err instanceof Error && err.name === "RestError";
}

/**
 * Whether a failed write may have reached Azure anyway: a dropped or abandoned connection, a
 * server error, an answer that cannot be read, and any 429 but Resource Manager's own throttling.
 */
export function outcomeUnknown(err: unknown): boolean {
    // A request abandoned for taking too long may have reached Azure.
    if (err instanceof Error && err.name === "AbortError") return true;
    if (!isRestError(err)) return false;
    // No connection, no name, no trusted certificate: the request never reached Azure.
    if (err.statusCode === undefined) return !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|certificate|self.signed|CERT_|ERR_TLS/i.test(`${err.code ?? ""} ${err.message}`);
    // Accepted, but the answer could not be read.
    if (err.statusCode < 300) return true;
    if (err.statusCode === 429) return !rejectedByGateway(429, err.response?.headers);
    if (err.statusCode === 408) return true;
    return err.statusCode >= 500 && err.statusCode !== 501 && err.statusCode !== 505;
}

/** Whether a failed read may pass if tried again later: the same failures, or throttling. */
export function readMayPass(err: unknown): boolean {
    return outcomeUnknown(err) || (isRestError(err) && err.statusCode === 429);
}

/** Azure's error code and message, from a RestError's body. */
function azureError(err: RestError): { code?: string; message?: string } {
    const body = (err.details ?? undefined) as { error?: { code?: string; message?: string } } | undefined;
    return { code: body?.error?.code ?? err.code, message: body?.error?.message ?? err.message };
}

type Hint = { test: RegExp; code: BackupErrorCode; say: string };

/** Azure Backup's refusal of any request about a protected item it does not hold. */
const NOT_PROTECTED: Hint = {
    test: /NotProtected|DataSourceObjectNotFound|ProtectedItemNotFound|ItemNotFound/i,
    code: "ItemNotProtected",
    say: "the VM is not protected in this vault: protect it first (a ProtectedVm, then pulumi up), or check the vault and VM ids",
};

/** The hints for requests other than an on-demand backup (a restore, a read): only what they share with it. */
export const ITEM_HINTS: Hint[] = [NOT_PROTECTED];

// Azure Backup's refusals of an on-demand backup, by their error codes.
const HINTS: Hint[] = [
    NOT_PROTECTED,
    {
        test: /OperationInProgress|AlreadyInProgress|BackupInProgress|AlreadyRunning/i,
        code: "BackupAlreadyRunning",
        say: "a backup of this VM is already taking its snapshot: wait for that job (azure-vm-backup jobs list --status InProgress), then try again",
    },
    {
        test: /CloudDosAbsoluteLimitReached|LimitReached|MaxBackups/i,
        code: "DailyLimitReached",
        say: "the VM has had as many on-demand backups today as Azure allows (three, nine attempts in all, per UTC day): try again after midnight UTC",
    },
];

/** What Azure's refusal means, in plain words. */
export function refusal(doing: string, code: string | undefined, message: string | undefined, status: number | undefined, hints: Hint[] = HINTS): BackupOperationError {
    const said = `${code ?? "error"}${message ? `: ${message}` : ""}`;
    if (status === 429) return new BackupOperationError("Throttled", `${doing}: Azure is throttling requests and retries ran out (${said}); try again later or lower --concurrency`, code, status);
    const hint = status !== undefined && status < 500 && code ? hints.find((h) => h.test.test(code)) : undefined;
    if (hint) return new BackupOperationError(hint.code, `${doing}: ${hint.say} (Azure said ${said})`, code, status);
    if (status === 401 || status === 403) {
        return new BackupOperationError("Forbidden", `${doing}: Azure refused the credential (${said}); it needs the Backup Operator role on the vault`, code, status);
    }
    if (status === 404) return new BackupOperationError("NotFound", `${doing}: not found (${said})`, code, status);
    return new BackupOperationError("AzureError", `${doing}: ${status ? `HTTP ${status} ` : ""}${said}`, code, status);
}

/** Turns an SDK failure into a BackupOperationError that says what happened and what to do. */
export function explain(err: unknown, doing: string, hints: Hint[] = HINTS): BackupOperationError {
    if (err instanceof BackupOperationError) return err;
    const signIn = signInFailure(err);
    if (signIn) return signIn;
    if (isRestError(err)) {
        const { code, message } = azureError(err);
        return refusal(doing, code, message, err.statusCode, hints);
    }
    const text = err instanceof Error ? err.message : String(err);
    return new BackupOperationError("AzureError", `${doing}: ${text}`);
}
