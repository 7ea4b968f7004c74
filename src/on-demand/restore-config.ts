// The configuration file a disk restore leaves in the staging storage account, and the managed
// disks it names. Azure's restore job does not list the disks it created; Microsoft's own
// procedure finds them by the names this file gives (osDisk.name, dataDisks[].name) in the job's
// target resource group. The file is read with the Blob SDK and the caller's credential.
import type { Pipeline } from "@azure/core-rest-pipeline";
import type { BackupClientOptions } from "./backup-client";
import { credentialOf, explain, hardenPipeline } from "./backup-client";
import { BackupOperationError } from "./backup-operation-error";
import { parseDiskId } from "./managed-disks";
import { redact, redactDeep } from "./redact";

/** A managed disk a restore created. */
export interface RestoredDisk {
    diskId: string;
    /** The data disk's LUN; none for the OS disk. */
    lun?: number;
    os: boolean;
    /** The size the restore gave it, as its configuration file says. */
    sizeGb?: number;
}

/** What of a restore job tells where its configuration file is and where its disks went. */
export interface RestoreFiles {
    jobId: string;
    /** "Config Blob Uri" of the job's extended information. */
    configBlobUri?: string;
    /** "Target Storage Account Name": the staging account the file must be in. */
    stagingStorageAccountName?: string;
    /** "Target resource group", as an id: where the disks are. */
    targetResourceGroupId?: string;
}

// Far more than any VM's configuration; a larger file is not one.
const MAX_BYTES = 4 * 1024 * 1024;

/** A blob endpoint of the named account: "{account}.blob.{suffix}", or with an Azure DNS zone, "{account}.z{n}.blob.{suffix}". */
const BLOB_HOST = /^([a-z0-9]{3,24})\.(?:z\d{1,2}\.)?blob\.[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i;

/** The file's bytes as text: it is written in UTF-16 (Microsoft's procedure reads it so) and padded with NULs; UTF-8 is read too. */
export function decodeRestoreConfig(bytes: Uint8Array): string {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let text: string;
    if (buffer[0] === 0xff && buffer[1] === 0xfe) text = buffer.subarray(2).toString("utf16le");
    else if (buffer[0] === 0xfe && buffer[1] === 0xff) text = Buffer.from(buffer.subarray(2)).swap16().toString("utf16le");
    else if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) text = buffer.subarray(3).toString("utf8");
    // JSON starts with an ASCII character: a NUL after it is UTF-16 without a byte order mark.
    else if (buffer.length >= 2 && buffer[0] !== 0 && buffer[1] === 0) text = buffer.subarray(0, buffer.length - (buffer.length % 2)).toString("utf16le");
    else text = buffer.toString("utf8");
    return text.replace(/[\u0000\s]+$/, "");
}

/** A field of an object, whatever the case of its name (the file's casing is not documented). */
function field(value: unknown, name: string): unknown {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const key = Object.keys(value).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : (value as Record<string, unknown>)[key];
}

const sizeOf = (disk: unknown) => {
    const size = field(disk, "diskSizeGB");
    return typeof size === "number" && Number.isInteger(size) && size > 0 ? { sizeGb: size } : {};
};

/**
 * The disks a restore's configuration file names, as ids in the target group. The file holds the
 * VM's storage profile under the key "properties.storageProfile" (or, nested, properties.storageProfile).
 */
export function disksInRestoreConfig(text: string, targetResourceGroupId: string): RestoredDisk[] {
    let config: unknown;
    try {
        config = JSON.parse(text);
    } catch (err) {
        throw new Error(`it is not JSON (${(err as Error).message})`);
    }
    const profile = field(config, "properties.storageProfile") ?? field(field(config, "properties"), "storageProfile");
    if (profile === undefined) throw new Error("it has no storage profile (properties.storageProfile)");
    const idOf = (name: unknown, what: string) => {
        if (typeof name !== "string" || name === "") throw new Error(`its ${what} has no name`);
        const id = `${targetResourceGroupId}/providers/Microsoft.Compute/disks/${name}`;
        try {
            parseDiskId(id);
        } catch {
            throw new Error(`its ${what} has a name no managed disk can have, ${JSON.stringify(name)}`);
        }
        return id;
    };
    const osDisk = field(profile, "osDisk");
    if (osDisk === undefined) throw new Error("its storage profile has no OS disk");
    const disks: RestoredDisk[] = [{ diskId: idOf(field(osDisk, "name"), "OS disk"), os: true, ...sizeOf(osDisk) }];
    const dataDisks = field(profile, "dataDisks") ?? [];
    if (!Array.isArray(dataDisks)) throw new Error("its data disks are not a list");
    for (const [n, disk] of dataDisks.entries()) {
        const lun = field(disk, "lun");
        if (typeof lun !== "number" || !Number.isInteger(lun) || lun < 0) throw new Error(`its data disk ${n + 1} has no LUN`);
        disks.push({ diskId: idOf(field(disk, "name"), `data disk at LUN ${lun}`), lun, os: false, ...sizeOf(disk) });
    }
    return disks;
}

/** The storage emulator's addressing: the account is the path's first segment, on this machine. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The file's address, if it is a file of the staging account over https ("{account}.blob.{suffix}",
 * or the emulator's "https://127.0.0.1:{port}/{account}/..."): the credential goes nowhere else.
 */
function configAddress(files: RestoreFiles): URL {
    const where = `restore job ${files.jobId}`;
    if (!files.configBlobUri) throw new BackupOperationError("NotFound", `${where} names no configuration file: only a completed restore of disks leaves one, and it names the disks`);
    let url: URL;
    try {
        url = new URL(files.configBlobUri);
    } catch {
        throw new BackupOperationError("AzureError", `${where} names a configuration file that is not an address, ${JSON.stringify(redact(files.configBlobUri))}`);
    }
    const account = LOOPBACK.has(url.hostname) ? /^\/([a-z0-9]{3,24})\//i.exec(url.pathname)?.[1] : BLOB_HOST.exec(url.hostname)?.[1];
    const staging = files.stagingStorageAccountName;
    if (url.protocol !== "https:" || !account || (staging !== undefined && account.toLowerCase() !== staging.toLowerCase())) {
        throw new BackupOperationError(
            "AzureError",
            `${where} names a configuration file outside its staging account${staging ? ` ${staging}` : ""}, ${redact(url.origin + url.pathname)}: it is not read`,
        );
    }
    return url;
}

/** A Blob client for one file, on the same retries, timeout and extra policies as every client of the library. */
async function blobClient(url: URL, options: BackupClientOptions) {
    const credential = await credentialOf(options);
    const { BlobClient } = await import("@azure/storage-blob");
    // The SDK keeps its pipeline on a protected member; a subclass is its sanctioned way in.
    class File extends BlobClient {
        corePipeline(): Pipeline {
            return this.storageClientContext.pipeline;
        }
    }
    const client = new File(url.toString(), credential);
    const pipeline = client.corePipeline();
    pipeline.removePolicy({ phase: "Retry" });
    for (const { policy, position } of options.additionalPolicies ?? []) pipeline.addPolicy(policy, position === "perRetry" ? { afterPhase: "Retry" } : undefined);
    await hardenPipeline(pipeline, options);
    return client;
}

/**
 * @internal The file's content, at most MAX_BYTES. The pipeline's timeout ends when the answer's
 * headers arrive: the body gets `timeoutMs` of its own, so a stalled one is given up.
 */
export async function readBody(stream: NodeJS.ReadableStream, doing: string, timeoutMs: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    let stalled = false;
    const timer = setTimeout(() => {
        stalled = true;
        (stream as NodeJS.ReadableStream & { destroy?: (error?: Error) => void }).destroy?.(new Error("stalled"));
    }, timeoutMs);
    timer.unref();
    try {
        for await (const chunk of stream) {
            const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
            size += bytes.length;
            if (size > MAX_BYTES) throw new BackupOperationError("AzureError", `${doing}: it is larger than ${MAX_BYTES / 1024 / 1024} MiB, which no restore's configuration is`);
            chunks.push(bytes);
        }
    } catch (err) {
        if (stalled) throw new BackupOperationError("AzureError", `${doing}: its content did not all arrive within ${timeoutMs / 1000} s (${size} bytes came); try again`);
        throw err;
    } finally {
        clearTimeout(timer);
    }
    return Buffer.concat(chunks);
}

/** What a refusal from Blob storage means here, and what to do. */
function storageFailure(err: unknown, doing: string, files: RestoreFiles): BackupOperationError {
    const failure = explain(err, doing);
    const account = files.stagingStorageAccountName ?? "the staging account";
    if (failure.statusCode === 403) {
        return new BackupOperationError(
            "Forbidden",
            `${doing}: Azure refused the credential (${failure.azureCode ?? "403"}); reading it needs the Storage Blob Data Reader role on ${account} (or a role with Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read), and the account must allow Microsoft Entra sign-in`,
            failure.azureCode,
            403,
        );
    }
    if (failure.statusCode === 404) {
        return new BackupOperationError("NotFound", `${doing}: it is not in ${account} (deleted, or cleared by a lifecycle rule); the disks are in the job's target resource group, named as the restore named them`, failure.azureCode, 404);
    }
    return failure;
}

/**
 * @internal The managed disks a completed restore created, read from its configuration file.
 * Throws a BackupOperationError saying why they cannot be told.
 */
export async function readRestoredDisks(files: RestoreFiles, options: { client?: BackupClientOptions; signal?: AbortSignal } = {}): Promise<RestoredDisk[]> {
    const url = configAddress(files);
    const doing = `reading the configuration file of restore job ${files.jobId} (${redact(url.origin + url.pathname)})`;
    if (!files.targetResourceGroupId) throw new BackupOperationError("AzureError", `restore job ${files.jobId} names no target resource group: its disks cannot be told`);
    const client = await blobClient(url, options.client ?? {});
    let bytes: Buffer;
    try {
        const answer = await client.download(0, undefined, { abortSignal: options.signal });
        if (answer.contentLength !== undefined && answer.contentLength > MAX_BYTES) throw new BackupOperationError("AzureError", `${doing}: it is ${answer.contentLength} bytes, more than any restore's configuration`);
        if (!answer.readableStreamBody) throw new BackupOperationError("AzureError", `${doing}: Azure's answer has no content`);
        bytes = await readBody(answer.readableStreamBody, doing, options.client?.requestTimeoutMs ?? 60_000);
    } catch (err) {
        throw storageFailure(err, doing, files);
    }
    try {
        // Names from Azure's file, like all Azure says, reach output redacted.
        return redactDeep(disksInRestoreConfig(decodeRestoreConfig(bytes), files.targetResourceGroupId));
    } catch (err) {
        throw new BackupOperationError("AzureError", `${doing}: not the configuration a disk restore writes: ${redact((err as Error).message)}`);
    }
}
