// A loopback HTTPS stand-in for the slice of Azure Resource Manager that Azure Backup's on-demand
// VM backup and restore use: trigger a backup or a restore, poll the async operation, read and list
// the jobs and recovery points, and read and delete the managed disks a restore creates.
// Tests and the benchmark point the real `@azure/arm-recoveryservicesbackup` client at it
// (`endpoint: fake.url`, trusting `fake.ca`).
//
// Contract sources (copies and their sources in test/fixtures/azure-rest/README.md):
//  * Microsoft's x-ms-examples, API 2026-02-01: Common/TriggerBackup_Post.json,
//    Common/GetJobDetails.json, Common/ListJobs.json;
//  * the recorded azure-cli session cli-recordings/test_backup_job.extract.yaml (real service
//    responses): 202 with an empty body and Azure-AsyncOperation/Location headers, the
//    vault-level `backupOperations/{id}` poll with `endTime: "0001-01-01T00:00:00"` while
//    running, job bodies (`actionsInfo: [1]`, `containerName`, `propertyBag`,
//    `internalPropertyBag`, 7-digit fractional timestamps), and a list without `extendedInfo`.
//
// Deliberate differences from Azure, so that tests stay fast and deterministic:
//  * `Retry-After: 1` on the 202 (Microsoft's example says 60).
//  * Job phases take `snapshotMs` / `transferMs` (minutes to days in Azure).
//  * `recoveryPointExpiryTimeInUTC` is required (Azure would default it to trigger time + 30 days).
//  * Every vault exists; a VM's protected item exists when `protectedVms` says so.
//  * State lives in memory and is computed from the clock when read: no timers run in the
//    background, so an idle server holds nothing open but its listening socket.
//  * A job is listed at once unless `jobListHides` (counted in list requests, so tests do not
//    race the clock) or `jobListLagMs` (time after its trigger) says otherwise: Azure lists it a
//    moment after the trigger.
//  * `neverEnding` keeps chosen VMs' jobs in their snapshot phase, or their triggers'
//    operations InProgress, for ever.
//
// Refusals (ARM error body `{ error: { code, message } }`; codes chosen to match what Azure
// Backup / ARM return for the same situation, messages are our own):
//  * 401 AuthenticationFailed - no Authorization header; 401 InvalidAuthenticationToken - not a
//    `Bearer <token>` (only when `requireBearer`, the default). ARM's own codes.
//  * 400 MissingApiVersionParameter - no `api-version` query parameter (ARM's code). Any value is
//    accepted.
//  * 404 SubscriptionNotFound - a subscription other than `subscriptionId` (ARM's code).
//  * 429 SubscriptionRequestsThrottled + `Retry-After: <whole seconds, >= 1>` - the subscription's
//    token bucket for the request's kind is empty (`writeRate`: POST; `readRate`: GET); nothing is
//    processed (ARM's throttling code), with `x-ms-failure-cause: gateway` and
//    `x-ms-ratelimit-remaining-subscription-writes: 0` (or `-reads: 0`), as Resource Manager marks
//    what it answers itself, before routing to the provider. Each bucket is off unless asked for;
//    when on, every answer it admitted carries the bucket's remaining tokens in that header.
//  * 400 BMSUserErrorInvalidInput - unparseable body, `objectType` other than
//    `IaasVMBackupRequest`, missing/unparseable/past `recoveryPointExpiryTimeInUTC`, a fabric
//    other than `Azure`, container/item names not of the IaaS VM form, or a `$filter` /
//    `$skipToken` that cannot be read (Azure Backup's generic bad-input code).
//  * 400 BMSUserErrorDataSourceObjectNotFound - no protected item for that VM (Azure Backup's
//    "item not found" code; Azure answers a GET of a missing item with 404 and this code).
//  * 400 UserErrorBackupOperationInProgress - a backup job of that VM is still in its
//    "Take Snapshot" phase (documented Azure VM backup error code). A job in its transfer phase
//    does not block a new trigger: Azure runs one backup per phase in parallel.
//  * 400 CloudDosAbsoluteLimitReached - `dailyOnDemandLimit` triggers of that VM were already
//    accepted this UTC day (the code Azure Backup uses for its per-24-hour operation limits).
//  * 404 ResourceNotFound - an unknown job or operation id (generic ARM code; the exact code
//    Azure Backup uses here was not verified). 404 NotFound - no such route in this fake.
//  * 413 RequestEntityTooLarge - a request body over 1 MiB.
//
// Order of handling: record the request (`requests`, the method+path attempt count) -> read the
// body -> `faults` (so a fault is seen before authentication, routing and validation) -> the
// bearer check -> route, api-version, subscription -> the read or write bucket -> the handler -> `latencyMs` -> reply. Each
// fault comes `before-processing` (the default but for "reset", which names it: the handler is
// skipped) or `after-processing` (the handler runs - a trigger is accepted, its job starts,
// `triggers` records it - and the fault goes out instead of its answer). "status" answers an ARM
// error (with `gateway`, marked as Resource Manager's own; with `echoAuthorization`, quoting the
// request's Authorization header, as a careless service might, for the redaction tests); "reset"
// destroys the socket; "malformed" answers `{not json` with a JSON content type, 200 to a GET, 202
// with no operation headers to a POST; "stall" never answers, until the client gives up or the
// server closes.
//
// Beyond the brief: `GET .../protectedItems/{item}/operationResults/{id}` (the 202's Location)
// answers 202 + Location + Retry-After while the operation runs and 204 once it has succeeded.
// Job-list filters: `status`, `operation`, `backupManagementType`, `startTime`, `endTime`, each
// `eq '<value>'`, joined by `and`; `startTime` and `endTime` bound the job's start time.
//
// Resource Graph: `POST /providers/Microsoft.ResourceGraph/resources` answers a query over the
// `resourceGraph` tables in the shape of Microsoft's examples (specs-examples/resourcegraph-2024-04-01:
// `{totalRecords, count, data, facets, resultTruncated, $skipToken}`), paged by `pageSize` or the
// request's `$top`; see graphQuery for the few clauses it reads. Its skip tokens are base64 JSON
// of our own (Azure's are opaque); a token from another query is 400 BadRequest.
//
// Restore (API contract: Microsoft's AzureIaasVm/RecoveryPoints_List.json, RecoveryPoints_Get.json,
// TriggerRestore_*.json, Common/BackupStorageConfig_Get.json, the restore job of the recorded
// azure-cli session, and DiskRP's Disk_Get.json, Disk_ListByResourceGroup.json, Disk_Delete.json):
//  * `GET .../protectedItems/{item}/recoveryPoints` lists `recoveryPoints[vm]` newest first, in one
//    page; `$filter` reads `startDate eq '...'` and `endDate eq '...'` (the job filter's time format).
//    `GET .../recoveryPoints/{id}` reads one (404 BMSUserErrorRecoveryPointNotFound).
//  * `POST .../recoveryPoints/{id}/restore` takes an `IaasVMRestoreRequest` (RestoreDisks,
//    AlternateLocation, OriginalLocation): `recoveryPointId` and `sourceResourceId` must match the
//    path, `region` and `storageAccountId` are required, a target group for RestoreDisks and
//    AlternateLocation, a network, subnet and `targetVirtualMachineId` for AlternateLocation; a point
//    whose only usable tier is an unrehydrated ArchivedRP is refused (400 BMSUserErrorInvalidInput,
//    our message). It answers as the backup trigger does (202, operation headers) and starts a
//    Restore job with one task, "Transfer data from vault", for `restoreMs`; `restores` records it.
//  * A restore job's `propertyBag` has the keys Microsoft documents for a disk restore ("Job Type",
//    "Target Storage Account Name", "Recovery point time ", "Target resource group", and once
//    completed "Config Blob Name", "Config Blob Container Name", "Config Blob Uri", "Template Blob
//    Uri"), "Target VM Name" for a new VM, and `internalPropertyBag.restoreLocationType`.
//  * When a restore job completes, the point's disks exist in the target group (the VM's own for
//    OriginalLocation) as `{vm}-osdisk-{yyyyMMdd-HHmmss}` and `{vm}-datadisk-{lun}-{...}` (our
//    naming), but those `restoreOutcomes` says are missing; a Failed job creates none. Its
//    configuration file is written to the staging account: UTF-16 with a byte order mark and a
//    trailing NUL, as Microsoft's procedure reads it (Get-Content -Encoding Unicode, TrimEnd NUL),
//    naming every disk of the point under "properties.storageProfile" (osDisk.name,
//    dataDisks[].name and .lun, diskSizeGB), the names Microsoft's procedure finds the restored
//    disks by in the target group. Its other fields are a few of our own.
//  * Blob storage: `GET /{account}/{container}/{blob}` on the fake's own address (the path-style
//    addressing of the storage emulator; "Config Blob Uri" and "Template Blob Uri" point there)
//    answers a file the fake wrote, with Blob storage's headers (x-ms-blob-type, ETag, ...); 404
//    BlobNotFound otherwise. Blob storage's errors are XML with `x-ms-error-code`, faults' too.
//  * `GET .../backupstorageconfig/vaultstorageconfig` answers `storageConfigs[vault]` (default
//    GeoRedundant, `crossRegionRestoreFlag: false`).
//  * `GET` of a vault, storage account or virtual network by id answers `armResources[id]`; a vault
//    not given exists in `location` (shape of PUTVault.json's answer); any other is 404
//    ResourceNotFound (ARM's code). Their bodies are the test's to write.
//  * Cross-region restore (RecoveryServicesBackupCrr examples: BackupAadProperties_Get,
//    GetAccessToken_Get, TriggerCrossRegionRestore_Post, GetCrrOperationStatus_Get, GetCrrJob_Post,
//    ListCrrJobs_Post): `GET /subscriptions/{s}/locations` names each region's pair (a few
//    regions; ARM's Subscriptions_ListLocations shape); `GET .../locations/{region}/backupAadProperties`;
//    `POST .../recoveryPoints/{id}/accessToken` hands out a token (a GUID of ours; Azure's is an
//    opaque string) only for a GeoRedundant vault with `crossRegionRestoreFlag`;
//    `POST .../locations/{region}/backupCrossRegionRestore` takes `{ crossRegionRestoreAccessDetails,
//    restoreRequest }`, checks the token and that `region` is the vault's pair, and starts a
//    CrossRegionRestore job, read only through `POST .../backupCrrJob` (`{ resourceId, jobName }`) and
//    `POST .../backupCrrJobs` (`{ resourceId }`, one page, the job filter's `$filter`), its operation
//    through `GET .../backupCrrOperationsStatus/{id}` (which names the job once done, as the vault's
//    operations do; Microsoft's example shows none). `restores` records it with `crossRegion`.
//  * The paired region's recovery points (RecoveryPointsCrr_List, RecoveryPoints_List.json of the
//    CRR examples): the vault's own `GET .../protectedItems/{item}/recoveryPoints/` at a
//    cross-region API version (`CRR_API_VERSIONS`; Azure routes the same path by its version) lists
//    the points replicated there, in the shape of the vault's list: a point in a vault tier
//    (HardenedRP valid, or ArchivedRP rehydrated) whose time is `crrLagMs` or more in the past.
//    Pages of 50, `$skipToken` an offset of ours in `nextLink`. Only for a GeoRedundant vault with
//    `crossRegionRestoreFlag` (400 BMSUserErrorInvalidInput otherwise, as the access token); an
//    access token is handed out only for a replicated point (404 BMSUserErrorRecoveryPointNotFound).
//  * Disks: `GET .../resourceGroups/{rg}/providers/Microsoft.Compute/disks` (one page),
//    `GET .../disks/{name}` (404 ResourceNotFound), `PATCH .../disks/{name}` (its `tags` replace the
//    disk's; answered 200 with the disk), `DELETE .../disks/{name}` (202 + Location to
//    `.../locations/{location}/operations/{id}`, which answers 200 at once; 204 when there is no such
//    disk). Only the named disk goes: every other disk of the group stays.
//
// Job failure details (in the job's `errorDetails`): a failed snapshot reports
// UserErrorGuestAgentStatusUnavailable (a documented snapshot-phase failure: the VM agent could
// not be reached); a failed transfer reports BackUpOperationFailedV2 (Azure's internal-error
// code for VM backups). Messages and recommendations are our own.
import * as crypto from "node:crypto";
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { selfSignedCertificate } from "./certificate";

export type PhaseResult = "Completed" | "Failed" | "Skipped";
export interface VmOutcome {
    snapshot: "Completed" | "Failed";
    transfer: PhaseResult;
}
/** Whether a fault hits before the request is processed (nothing happens) or after (a trigger starts its backup). */
export type FaultWhen = "before-processing" | "after-processing";
export type Fault =
    | {
          kind: "status";
          status: number;
          retryAfterSeconds?: number;
          code?: string;
          message?: string;
          /** Default "before-processing". */
          when?: FaultWhen;
          /** Answer as Resource Manager itself does, before routing: `x-ms-failure-cause: gateway`. */
          gateway?: boolean;
          /** Opt-in: the message quotes the request's Authorization header, as a careless service might. */
          echoAuthorization?: boolean;
      }
    | { kind: "reset"; when: FaultWhen }
    | { kind: "malformed"; when?: FaultWhen }
    /** Never answers: the connection stays open until the client gives up or the server closes. */
    | { kind: "stall"; when?: FaultWhen };
/** One recovery point of a protected VM, as the fake lists it (shape of RecoveryPoints_List.json). */
export interface FakeRecoveryPoint {
    /** Its id, the last segment of its ARM id (Azure's are long digit strings). */
    name: string;
    /** recoveryPointTime, ISO-8601. */
    time: string;
    /** Default "CrashConsistent". */
    consistency?: string;
    /** Default `[{ type: "InstantRP", status: "Valid" }, { type: "HardenedRP", status: "Valid" }]`. */
    tiers?: { type: "InstantRP" | "HardenedRP" | "ArchivedRP"; status: "Valid" | "Deleted" | "Disabled" | "Rehydrated" | "Invalid" }[];
    zones?: string[];
    /** "None" (default), "TrustedLaunch", "ConfidentialVM". */
    securityType?: string;
    isSourceVMEncrypted?: boolean;
    /** Default "NormalStorage"; "PremiumVMOnPartialPremiumStorage" and the like for premium VMs. */
    sourceVMStorageType?: string;
    /** The disks backed up, default an OS disk of 30 GB and no data disk. */
    disks?: { lun?: number; name: string; sizeGb: number }[];
}
/** A managed disk the fake holds (Compute `Disks`, shape of Disk_Get.json). */
export interface FakeDisk {
    resourceGroup: string;
    name: string;
    location?: string;
    sizeGb: number;
    osType?: "Windows" | "Linux";
    tags?: Record<string, string>;
}
/** How a restore job ends: "Completed" creates every disk of the point but those of `missingLuns` ("os" for the OS disk). */
export interface RestoreOutcome {
    status: "Completed" | "Failed";
    missingLuns?: (number | "os")[];
}
export interface RestoreRecord {
    vm: string;
    vaultName: string;
    resourceGroup: string;
    recoveryPointId: string;
    at: number;
    jobId: string;
    /** The request's `properties` (a cross-region restore's `restoreRequest`), as sent. */
    request: Record<string, unknown>;
    /** The paired region a cross-region restore was sent to. */
    crossRegion?: string;
}
export interface FakeArmOptions {
    /** Default "00000000-0000-0000-0000-0000000000aa". */
    subscriptionId?: string;
    /** How long "Take Snapshot" runs (default 200). */
    snapshotMs?: number;
    /** How long "Transfer data to vault" runs once the snapshot is done (default 400). */
    transferMs?: number;
    /** How long the trigger's async operation stays InProgress (default 100). */
    operationMs?: number;
    /** Added to every response (default 0). */
    latencyMs?: number;
    /** How many of the vault's job lists after its trigger leave a job out (default 0); a GET by id finds it at once. */
    jobListHides?: number;
    /** How long after its trigger a job is left out of job lists (default 0); a GET by id finds it at once. */
    jobListLagMs?: number;
    /** VM names (case-insensitive; "*" for all) whose backup jobs, or whose triggers' operations, never end. */
    neverEnding?: { jobs?: string[]; operations?: string[] };
    /** Phase results by VM name (case-insensitive); default Completed/Completed. */
    outcomes?: Record<string, VmOutcome>;
    /** VM names whose protected items exist (case-insensitive); default "all". */
    protectedVms?: "all" | string[];
    /** Token bucket for the subscription's writes (POST .../backup); unlimited when absent. */
    writeRate?: { perSecond: number; burst: number };
    /** Token bucket for the subscription's reads (every GET); unlimited when absent. */
    readRate?: { perSecond: number; burst: number };
    /** Accepted triggers per VM per UTC day (default 9). */
    dailyOnDemandLimit?: number;
    /** Called for every request before normal handling; `attempt` counts method + path (1-based). */
    faults?: (request: { method: string; path: string; vm?: string; attempt: number }) => Fault | undefined;
    /** Default true: 401 without `Authorization: Bearer ...`. */
    requireBearer?: boolean;
    /** Rows of Resource Graph's tables (`Resources`, `RecoveryServicesResources`), as its queries see them. */
    resourceGraph?: { tables: Record<string, Record<string, unknown>[]>; pageSize?: number };
    /** Recovery points by VM name (case-insensitive), in any order; a VM not named has none. */
    recoveryPoints?: Record<string, FakeRecoveryPoint[]>;
    /** Each vault's storage configuration by vault name (case-insensitive); default GeoRedundant, cross-region restore off. */
    storageConfigs?: Record<string, { storageModelType: string; crossRegionRestoreFlag?: boolean }>;
    /** The bytes of every restore's configuration file, in place of the fake's own (a file that is not one). */
    restoreConfigBytes?: Buffer;
    /** Managed disks that exist before the test (in the fake's subscription). */
    disks?: FakeDisk[];
    /** How long after it is taken a vault-tier point reaches the paired region, where cross-region restore lists it (default 0). */
    crrLagMs?: number;
    /** How long a restore job runs (default 300). */
    restoreMs?: number;
    /** How restore jobs end, by VM name (case-insensitive); default Completed with every disk. */
    restoreOutcomes?: Record<string, RestoreOutcome>;
    /** Region of the vaults, their restored disks and the disk operations (default "westeurope"). */
    location?: string;
    /**
     * Storage accounts, virtual networks and vaults a GET by id answers, by id (case-insensitive),
     * as Resource Manager returns them. A vault not given exists, in `location`; any other is 404.
     */
    armResources?: Record<string, Record<string, unknown>>;
}
/** A Resource Graph query as received: the request body's fields. */
export interface GraphQueryRecord {
    query: string;
    subscriptions?: string[];
    options?: Record<string, unknown>;
}
export interface TriggerRecord {
    /** The VM name as written in the request's protected item name. */
    vm: string;
    vaultName: string;
    /** The vault's resource group. */
    resourceGroup: string;
    at: number;
    /** `recoveryPointExpiryTimeInUTC` as sent. */
    expiry: string;
    jobId: string;
}
export interface ThrottleRecord {
    bucket: "reads" | "writes";
    at: number;
    admitted: boolean;
}
export interface FakeArm {
    url: string;
    ca: string;
    subscriptionId: string;
    triggers: TriggerRecord[];
    /** Every restore the fake accepted, in order. */
    restores: RestoreRecord[];
    /** The managed disks that exist now, restored ones included once their job has ended. */
    disks(): (FakeDisk & { id: string })[];
    /** Every Resource Graph query received, pages included, in order. */
    graphQueries: GraphQueryRecord[];
    /** Every request received, in order; `path` is the decoded URL path without the query. */
    requests: { method: string; path: string; authorization?: string; at: number }[];
    /** Every request a set bucket (`readRate`, `writeRate`) weighed, in order: admitted or answered 429. */
    throttling: ThrottleRecord[];
    vmId(resourceGroup: string, vmName: string): string;
    vaultId(resourceGroup: string, vaultName: string): string;
    close(): Promise<void>;
}

const DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";
/** What Resource Manager sends with a 429 of its own throttling: answered before routing, no writes left. */
const GATEWAY_THROTTLED = { "x-ms-failure-cause": "gateway", "x-ms-ratelimit-remaining-subscription-writes": "0" };
const REMAINING_HEADER = { reads: "x-ms-ratelimit-remaining-subscription-reads", writes: "x-ms-ratelimit-remaining-subscription-writes" };
const PAGE_SIZE = 50;
const MAX_BODY_BYTES = 1024 * 1024;
/** What Azure Backup reports as the end of an operation that has not ended. */
const UNSET_TIME = "0001-01-01T00:00:00";
const JOB_STATUSES = ["Invalid", "InProgress", "Completed", "Failed", "CompletedWithWarnings", "Cancelled", "Cancelling"];
/** Azure's region pairs, for the regions the tests use. */
const PAIRED_REGIONS: Record<string, string> = {
    westeurope: "northeurope", northeurope: "westeurope", eastus: "westus", westus: "eastus",
    eastus2: "centralus", centralus: "eastus2", southeastasia: "eastasia", eastasia: "southeastasia",
};
/** The cross-region restore API's versions: at one of these, a vault's recovery-point path is the paired region's. */
const CRR_API_VERSIONS = ["2023-01-15", "2026-07-15"];
const JOB_OPERATIONS = [
    "Invalid", "Register", "UnRegister", "ConfigureBackup", "Backup", "Restore", "DisableBackup", "DeleteBackupData",
    "CrossRegionRestore", "Undelete", "UpdateCustomerManagedKey",
];

interface Job {
    seq: number;
    id: string;
    vaultRg: string;
    vaultName: string;
    vm: string;
    vmRg: string;
    /** Lower-case "{vmRg};{vm}". */
    vmKey: string;
    start: number;
    snapshotEnd: number;
    transferEnd: number;
    outcome: VmOutcome;
    expiry: Date;
    activityId: string;
    /** Job lists still to leave it out. */
    hiddenFromLists: number;
    /** Present on a restore job: what it restores, and where. */
    restore?: RestoreJob;
}

/** A restore job's request, as the fake read it, and what it creates when it ends. */
interface RestoreJob {
    recoveryType: "RestoreDisks" | "AlternateLocation" | "OriginalLocation";
    point: FakeRecoveryPoint;
    /** Where the restored disks go: the target group, or the VM's own for OriginalLocation. */
    targetRg: string;
    storageAccountId?: string;
    targetVmName?: string;
    end: number;
    outcome: RestoreOutcome;
    /** Set once the job has ended and its disks exist (the fake settles jobs when read). */
    createdDisks?: string[];
    /** A cross-region restore's (paired) region: its job is read through the cross-region API only. */
    crossRegion?: string;
}

interface Operation {
    id: string;
    start: number;
    doneAt: number;
    jobId: string;
    vmKey: string;
}

interface Vault {
    jobs: Job[];
    jobsById: Map<string, Job>;
    operations: Map<string, Operation>;
}

type Action =
    | { kind: "reply"; status: number; headers?: Record<string, string>; body?: string | Buffer }
    | { kind: "reset" }
    | { kind: "stall" };

interface Route {
    name:
        | "list-jobs" | "get-job" | "vault-operation" | "trigger" | "item-operation-status" | "item-operation-result"
        | "list-points" | "get-point" | "restore" | "storage-config"
        | "list-disks" | "get-disk" | "patch-disk" | "delete-disk" | "disk-operation" | "get-resource"
        | "list-locations" | "aad-properties" | "access-token" | "crr-trigger" | "crr-operation" | "crr-jobs" | "crr-job";
    subscription: string;
    resourceGroup: string;
    vault: string;
    id?: string;
    fabric?: string;
    container?: string;
    item?: string;
    /** Parsed from the item (or container) name, when it has the IaaS VM form. */
    vmRg?: string;
    vm?: string;
    /** A recovery point's id. */
    point?: string;
    /** The region of a cross-region restore route (`.../locations/{region}/...`). */
    region?: string;
}

interface Context {
    method: string;
    route: Route;
    query: URLSearchParams;
    apiVersion: string;
    body: Buffer;
    now: number;
}

// ---- small helpers ----

/** ISO-8601 UTC with 7 fractional digits, as the service writes them. */
function timestamp(ms: number): string {
    return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/** An xs:duration the way .NET writes a TimeSpan: PT0S, PT2.033S, PT1M31.78S, P1DT2H. */
function isoDuration(ms: number): string {
    let rest = Math.max(0, Math.round(ms));
    const days = Math.floor(rest / 86_400_000);
    rest -= days * 86_400_000;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = rest / 1000;
    let time = "";
    if (hours) time += `${hours}H`;
    if (minutes) time += `${minutes}M`;
    if (seconds || (!days && !hours && !minutes)) time += `${Number(seconds.toFixed(3))}S`;
    return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}

/** "6/12/2022 12:00:00 AM", the propertyBag's date format. */
function bagDate(date: Date): string {
    const h = date.getUTCHours();
    const two = (n: number) => String(n).padStart(2, "0");
    return (
        `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ` +
        `${h % 12 === 0 ? 12 : h % 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`
    );
}

/** `yyyy-MM-dd hh:mm:ss AM|PM` (what `az backup job list` sends; Microsoft's example writes
 * `00:00:00 AM`), or the same with a 24-hour clock and no AM/PM, read as UTC. */
function parseFilterTime(text: string): number | undefined {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})(?:\s*([AaPp][Mm]))?$/.exec(text.trim());
    if (!m) return undefined;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
    const meridiem = m[7]?.toUpperCase();
    if (meridiem ? hour > 12 : hour > 23) return undefined;
    const hour24 = meridiem ? (hour % 12) + (meridiem === "PM" ? 12 : 0) : hour;
    if (month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || second > 59) return undefined;
    const ms = Date.UTC(year, month - 1, day, hour24, minute, second);
    return new Date(ms).getUTCDate() === day ? ms : undefined;
}

function utcDay(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}

function errorReply(status: number, code: string, message: string, headers?: Record<string, string>): Action {
    return { kind: "reply", status, headers, body: JSON.stringify({ error: { code, message } }) };
}

/** Blob storage's error: XML, its code also in `x-ms-error-code`. */
function storageErrorReply(status: number, code: string, message: string, headers?: Record<string, string>): Action {
    const body = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    return { kind: "reply", status, headers: { "Content-Type": "application/xml", "x-ms-error-code": code, ...headers }, body };
}

/** `/{account}/{container}/{blob...}`: a blob on the fake's address, path-style as on the storage emulator. */
function blobPathOf(method: string, segments: string[]): string | undefined {
    if (method !== "GET" || segments.length < 3 || ["subscriptions", "providers"].includes(segments[0].toLowerCase())) return undefined;
    return segments.join("/").toLowerCase();
}

function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Action {
    return { kind: "reply", status, headers, body: JSON.stringify(value) };
}

function defaultErrorCode(status: number): string {
    const known: Record<number, string> = {
        400: "BadRequest", 401: "AuthenticationFailed", 403: "AuthorizationFailed", 404: "NotFound",
        408: "RequestTimeout", 409: "Conflict", 429: "TooManyRequests", 500: "InternalServerError",
        502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout",
    };
    return known[status] ?? `HttpStatus${status}`;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < 0) throw new Error(`startFakeArm: ${name} must be a finite number >= 0, got ${value}`);
    return value;
}

/** The IaaS VM naming of containers (`iaasvmcontainer;iaasvmcontainerv2;{rg};{vm}`) and protected
 * items (`vm;iaasvmcontainerv2;{rg};{vm}`), any case. */
function parseVmName(name: string, prefix: "iaasvmcontainer" | "vm"): { vmRg: string; vm: string } | undefined {
    const parts = name.split(";");
    if (parts.length !== 4) return undefined;
    if (parts[0].toLowerCase() !== prefix || parts[1].toLowerCase() !== "iaasvmcontainerv2") return undefined;
    if (!parts[2] || !parts[3]) return undefined;
    return { vmRg: parts[2], vm: parts[3] };
}

/** Compute's disks: `.../resourceGroups/{rg}/providers/Microsoft.Compute/disks[/{name}]` and the
 * delete's `.../providers/Microsoft.Compute/locations/{location}/operations/{id}`. */
function matchDiskRoute(method: string, segments: string[]): Route | undefined {
    const s = segments.map((x) => x.toLowerCase());
    if (s[0] !== "subscriptions") return undefined;
    const base = { subscription: segments[1], vault: "" };
    if (method === "GET" && s.length === 8 && s[2] === "providers" && s[3] === "microsoft.compute" && s[4] === "locations" && s[6] === "operations") {
        return { name: "disk-operation", ...base, resourceGroup: "", id: segments[7] };
    }
    if (s.length < 7 || s[2] !== "resourcegroups" || s[4] !== "providers" || s[5] !== "microsoft.compute" || s[6] !== "disks") return undefined;
    const group = { ...base, resourceGroup: segments[3] };
    if (method === "GET" && s.length === 7) return { name: "list-disks", ...group };
    if (s.length === 8 && method === "GET") return { name: "get-disk", ...group, id: segments[7] };
    if (s.length === 8 && method === "DELETE") return { name: "delete-disk", ...group, id: segments[7] };
    if (s.length === 8 && method === "PATCH") return { name: "patch-disk", ...group, id: segments[7] };
    return undefined;
}

/** A GET of a vault, storage account or virtual network by its id. */
function matchResourceRoute(method: string, segments: string[]): Route | undefined {
    const s = segments.map((x) => x.toLowerCase());
    if (method !== "GET" || s.length !== 8 || s[0] !== "subscriptions" || s[2] !== "resourcegroups" || s[4] !== "providers") return undefined;
    const type = `${s[5]}/${s[6]}`;
    if (!["microsoft.recoveryservices/vaults", "microsoft.storage/storageaccounts", "microsoft.network/virtualnetworks"].includes(type)) return undefined;
    return { name: "get-resource", subscription: segments[1], resourceGroup: segments[3], vault: "", id: `/${segments.join("/")}` };
}

/** The subscription's locations, and the cross-region restore API at `.../Microsoft.RecoveryServices/locations/{region}/...`. */
function matchCrrRoute(method: string, segments: string[]): Route | undefined {
    const s = segments.map((x) => x.toLowerCase());
    if (s[0] !== "subscriptions") return undefined;
    const base = { subscription: segments[1], resourceGroup: "", vault: "" };
    if (method === "GET" && s.length === 3 && s[2] === "locations") return { name: "list-locations", ...base };
    if (s.length < 7 || s[2] !== "providers" || s[3] !== "microsoft.recoveryservices" || s[4] !== "locations") return undefined;
    const at = { ...base, region: segments[5] };
    if (method === "GET" && s.length === 7 && s[6] === "backupaadproperties") return { name: "aad-properties", ...at };
    if (method === "POST" && s.length === 7 && s[6] === "backupcrossregionrestore") return { name: "crr-trigger", ...at };
    if (method === "POST" && s.length === 7 && s[6] === "backupcrrjobs") return { name: "crr-jobs", ...at };
    if (method === "POST" && s.length === 7 && s[6] === "backupcrrjob") return { name: "crr-job", ...at };
    if (method === "GET" && s.length === 8 && s[6] === "backupcrroperationsstatus") return { name: "crr-operation", ...at, id: segments[7] };
    return undefined;
}

function matchRoute(method: string, segments: string[]): Route | undefined {
    const s = segments.map((x) => x.toLowerCase());
    const disk = matchDiskRoute(method, segments) ?? matchResourceRoute(method, segments) ?? matchCrrRoute(method, segments);
    if (disk) return disk;
    if (
        s.length < 9 || s[0] !== "subscriptions" || s[2] !== "resourcegroups" || s[4] !== "providers" ||
        s[5] !== "microsoft.recoveryservices" || s[6] !== "vaults"
    ) {
        return undefined;
    }
    const base = { subscription: segments[1], resourceGroup: segments[3], vault: segments[7] };
    const rest = s.slice(8);
    if (method === "GET" && rest.length === 1 && rest[0] === "backupjobs") return { name: "list-jobs", ...base };
    if (method === "GET" && rest.length === 2 && rest[0] === "backupjobs") return { name: "get-job", ...base, id: segments[9] };
    if (method === "GET" && rest.length === 2 && rest[0] === "backupoperations") {
        return { name: "vault-operation", ...base, id: segments[9] };
    }
    if (method === "GET" && rest.length === 2 && rest[0] === "backupstorageconfig" && rest[1] === "vaultstorageconfig") {
        return { name: "storage-config", ...base };
    }
    if (rest.length >= 7 && rest[0] === "backupfabrics" && rest[2] === "protectioncontainers" && rest[4] === "protecteditems") {
        const item = {
            ...base,
            fabric: segments[9],
            container: segments[11],
            item: segments[13],
            ...(parseVmName(segments[13], "vm") ?? parseVmName(segments[11], "iaasvmcontainer") ?? {}),
        };
        if (method === "POST" && rest.length === 7 && rest[6] === "backup") return { name: "trigger", ...item };
        if (method === "GET" && rest.length === 7 && rest[6] === "recoverypoints") return { name: "list-points", ...item };
        if (method === "GET" && rest.length === 8 && rest[6] === "recoverypoints") return { name: "get-point", ...item, point: segments[15] };
        if (method === "POST" && rest.length === 9 && rest[6] === "recoverypoints" && rest[8] === "restore") {
            return { name: "restore", ...item, point: segments[15] };
        }
        if (method === "POST" && rest.length === 9 && rest[6] === "recoverypoints" && rest[8] === "accesstoken") {
            return { name: "access-token", ...item, point: segments[15] };
        }
        if (method === "GET" && rest.length === 8 && rest[6] === "operationsstatus") {
            return { name: "item-operation-status", ...item, id: segments[15] };
        }
        if (method === "GET" && rest.length === 8 && rest[6] === "operationresults") {
            return { name: "item-operation-result", ...item, id: segments[15] };
        }
    }
    return undefined;
}

class TokenBucket {
    private tokens: number;
    private last: number;
    constructor(private readonly perSecond: number, private readonly burst: number, now: number) {
        this.tokens = burst;
        this.last = now;
    }
    private refill(now: number): void {
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
        this.last = now;
    }
    /** Takes a token, or says in how many whole seconds (>= 1) one will be there. */
    take(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
        this.refill(now);
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return { ok: true };
        }
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond)) };
    }
    remaining(): number {
        return Math.floor(this.tokens);
    }
}

function tokenBucket(name: string, rate: { perSecond: number; burst: number } | undefined): TokenBucket | undefined {
    if (!rate) return undefined;
    const { perSecond, burst } = rate;
    if (!(perSecond > 0) || !Number.isFinite(perSecond) || !(burst >= 1) || !Number.isFinite(burst)) {
        throw new Error(`startFakeArm: ${name} needs perSecond > 0 and burst >= 1`);
    }
    return new TokenBucket(perSecond, burst, Date.now());
}

// ---- the server ----

export async function startFakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const subscriptionId = options.subscriptionId ?? DEFAULT_SUBSCRIPTION;
    const snapshotMs = nonNegative("snapshotMs", options.snapshotMs, 200);
    const transferMs = nonNegative("transferMs", options.transferMs, 400);
    const operationMs = nonNegative("operationMs", options.operationMs, 100);
    const latencyMs = nonNegative("latencyMs", options.latencyMs, 0);
    const jobListHides = nonNegative("jobListHides", options.jobListHides, 0);
    const jobListLagMs = nonNegative("jobListLagMs", options.jobListLagMs, 0);
    const endless = (names: string[] | undefined) => {
        const set = new Set((names ?? []).map((vm) => vm.toLowerCase()));
        return { has: (vm: string) => set.has("*") || set.has(vm) };
    };
    const endlessJobs = endless(options.neverEnding?.jobs);
    const endlessOperations = endless(options.neverEnding?.operations);
    const dailyLimit = nonNegative("dailyOnDemandLimit", options.dailyOnDemandLimit, 9);
    const requireBearer = options.requireBearer ?? true;
    const outcomes = new Map<string, VmOutcome>();
    for (const [vm, outcome] of Object.entries(options.outcomes ?? {})) outcomes.set(vm.toLowerCase(), outcome);
    const protectedVms =
        options.protectedVms === undefined || options.protectedVms === "all"
            ? "all"
            : new Set(options.protectedVms.map((vm) => vm.toLowerCase()));
    const buckets = { writes: tokenBucket("writeRate", options.writeRate), reads: tokenBucket("readRate", options.readRate) };
    const restoreMs = nonNegative("restoreMs", options.restoreMs, 300);
    const crrLagMs = nonNegative("crrLagMs", options.crrLagMs, 0);
    const location = options.location ?? "westeurope";
    const byVm = <T>(record: Record<string, T> | undefined) => new Map(Object.entries(record ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const recoveryPoints = byVm(options.recoveryPoints);
    const storageConfigs = byVm(options.storageConfigs);
    const restoreOutcomes = byVm(options.restoreOutcomes);
    const armResources = byVm(options.armResources);

    const { key, cert } = selfSignedCertificate();
    const triggers: TriggerRecord[] = [];
    const restores: RestoreRecord[] = [];
    /** Files in storage accounts by lower-case "{account}/{container}/{blob}". */
    const blobs = new Map<string, { bytes: Buffer; etag: string; at: number }>();
    /** Managed disks by lower-case "{rg}/{name}". */
    const disks = new Map<string, FakeDisk & { created: number }>();
    for (const d of options.disks ?? []) disks.set(`${d.resourceGroup}/${d.name}`.toLowerCase(), { ...d, created: Date.now() });
    /** Disk deletions by operation id: done at once (the fake has no deletion time). */
    const diskOperations = new Map<string, { start: number }>();
    const graphQueries: GraphQueryRecord[] = [];
    const requests: FakeArm["requests"] = [];
    const throttling: ThrottleRecord[] = [];
    const attempts = new Map<string, number>();
    const vaults = new Map<string, Vault>();
    const sockets = new Set<Socket>();
    const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
    let jobSeq = 0;
    let closed = false;
    let url = "";

    function vault(resourceGroup: string, name: string): Vault {
        const id = `${resourceGroup.toLowerCase()}/${name.toLowerCase()}`;
        let v = vaults.get(id);
        if (!v) {
            v = { jobs: [], jobsById: new Map(), operations: new Map() };
            vaults.set(id, v);
        }
        return v;
    }

    const vaultPath = (r: Route) =>
        `/subscriptions/${r.subscription}/resourceGroups/${r.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${r.vault}`;
    const itemPath = (r: Route) =>
        `${vaultPath(r)}/backupFabrics/${r.fabric}/protectionContainers/${r.container}/protectedItems/${r.item}`;

    function sleep(ms: number): Promise<void> {
        if (ms <= 0 || closed) return Promise.resolve();
        return new Promise((resolve) => {
            const sleeper = {
                timer: setTimeout(() => {
                    sleepers.delete(sleeper);
                    resolve();
                }, ms),
                resolve,
            };
            sleepers.add(sleeper);
        });
    }

    // -- jobs as they stand at `now` --

    function phases(job: Job, now: number) {
        if (job.restore) {
            // One task, "Transfer data from vault" (as the recorded restore job shows it), in the transfer slot.
            if (now < job.restore.end) return { snapshot: "NotStarted", transfer: "InProgress", status: "InProgress", end: undefined };
            const status = job.restore.outcome.status;
            return { snapshot: "NotStarted", transfer: status, status, end: job.restore.end };
        }
        if (now < job.snapshotEnd || endlessJobs.has(job.vm.toLowerCase())) {
            return { snapshot: "InProgress", transfer: "NotStarted", status: "InProgress", end: undefined };
        }
        if (job.outcome.snapshot === "Failed") {
            return { snapshot: "Failed", transfer: "Failed", status: "Failed", end: job.snapshotEnd };
        }
        if (now < job.transferEnd) {
            return { snapshot: "Completed", transfer: "InProgress", status: "InProgress", end: undefined };
        }
        const transfer = job.outcome.transfer;
        return {
            snapshot: "Completed",
            transfer,
            status: transfer === "Failed" ? "CompletedWithWarnings" : "Completed",
            end: job.transferEnd,
        };
    }

    function jobResource(job: Job, now: number, withExtendedInfo: boolean): unknown {
        if (job.restore) return restoreJobResource(job, job.restore, now, withExtendedInfo);
        const p = phases(job, now);
        const snapshotRan = Math.min(now, job.snapshotEnd) - job.start;
        const transferRan = p.transfer === "NotStarted" || p.snapshot === "Failed" ? 0 : Math.min(now, job.transferEnd) - job.snapshotEnd;
        const propertyBag: Record<string, string> = {
            "VM Name": job.vm,
            "Recovery Point Expiry Time in UTC": bagDate(job.expiry),
        };
        if (p.transfer === "Completed") {
            propertyBag["Backup Size"] = `${1024 + (parseInt(job.id.slice(0, 4), 16) % 30000)} MB`;
        }
        const errorDetails = [];
        if (p.snapshot === "Failed") {
            errorDetails.push({
                errorCode: "UserErrorGuestAgentStatusUnavailable",
                errorString: `The snapshot of VM '${job.vm}' could not be taken: the VM agent did not answer the Azure Backup service.`,
                errorTitle: "",
                recommendations: [
                    "Make sure the VM is running and its VM agent is installed, up to date and reachable.",
                    "Trigger the backup again once the agent reports Ready.",
                ],
            });
        } else if (p.transfer === "Failed") {
            errorDetails.push({
                errorCode: "BackUpOperationFailedV2",
                errorString: `The snapshot of VM '${job.vm}' was taken, but copying it to the vault failed with an internal error.`,
                errorTitle: "",
                recommendations: [
                    "The snapshot can still be used for restore while it is retained.",
                    "Retry the backup after a few minutes.",
                ],
            });
        }
        const properties: Record<string, unknown> = {
            jobType: "AzureIaaSVMJob",
            actionsInfo: [1], // numeric, as the service sends it (1 = Cancellable)
            containerName: `iaasvmcontainerv2;${job.vmRg};${job.vm}`,
            duration: isoDuration((p.end ?? now) - job.start),
            virtualMachineVersion: "Compute",
        };
        if (withExtendedInfo) {
            properties.extendedInfo = {
                tasksList: [
                    { taskId: "Take Snapshot", duration: isoDuration(snapshotRan), status: p.snapshot },
                    { taskId: "Transfer data to vault", duration: isoDuration(transferRan), status: p.transfer },
                ],
                propertyBag,
                internalPropertyBag: { IsInstantRpJob: "True" },
            };
        }
        Object.assign(properties, {
            entityFriendlyName: job.vm,
            backupManagementType: "AzureIaasVM",
            operation: "Backup",
            status: p.status,
            startTime: timestamp(job.start),
            ...(p.end !== undefined ? { endTime: timestamp(p.end) } : {}),
            activityId: job.activityId,
            isUserTriggered: true,
            ...(errorDetails.length ? { errorDetails } : {}),
        });
        return {
            id: `/subscriptions/${subscriptionId}/resourceGroups/${job.vaultRg}/providers/Microsoft.RecoveryServices/vaults/${job.vaultName}/backupJobs/${job.id}`,
            name: job.id,
            type: "Microsoft.RecoveryServices/vaults/backupJobs",
            properties,
        };
    }

    function operationStatus(op: Operation, now: number): unknown {
        const done = now >= op.doneAt;
        return {
            id: op.id,
            name: op.id,
            status: done ? "Succeeded" : "InProgress",
            startTime: timestamp(op.start),
            endTime: done ? timestamp(op.doneAt) : UNSET_TIME,
            ...(done ? { properties: { objectType: "OperationStatusJobExtendedInfo", jobId: op.jobId } } : {}),
        };
    }

    /** Resource Manager's subscription throttling, before routing: a GET takes a read token, any
     * other method a write token. A 429 when the bucket is empty; nothing when no bucket is set. */
    function throttle(method: string, now: number): Action | undefined {
        const kind = method === "GET" ? "reads" : "writes";
        const bucket = buckets[kind];
        if (!bucket) return undefined;
        const taken = bucket.take(now);
        throttling.push({ bucket: kind, at: now, admitted: taken.ok });
        if (taken.ok) return undefined;
        return errorReply(
            429,
            "SubscriptionRequestsThrottled",
            `Too many ${kind === "reads" ? "read" : "write"} requests for subscription '${subscriptionId}' in the current interval. ` +
                `Try again in ${taken.retryAfterSeconds} second(s).`,
            { "Retry-After": String(taken.retryAfterSeconds), "x-ms-failure-cause": "gateway", [REMAINING_HEADER[kind]]: "0" },
        );
    }

    /** The read bucket's remaining tokens on every GET it admitted (the write bucket's are set by the trigger). */
    function withReadsLeft(method: string, action: Action): Action {
        if (method !== "GET" || !buckets.reads || action.kind !== "reply") return action;
        return { ...action, headers: { ...action.headers, [REMAINING_HEADER.reads]: String(buckets.reads.remaining()) } };
    }

    // -- handlers --

    /** Files a job in its vault, with the operation that names it once done. */
    function startJob(ctx: Context, v: { jobs: Job[]; jobsById: Map<string, Job> }, job: Job, vm: string): Operation {
        v.jobs.push(job);
        v.jobsById.set(job.id.toLowerCase(), job);
        return { id: crypto.randomUUID(), start: ctx.now, doneAt: endlessOperations.has(vm.toLowerCase()) ? Infinity : ctx.now + operationMs, jobId: job.id, vmKey: job.vmKey };
    }

    /** A trigger's 202: its operation's status and result under the item, as Azure Backup answers it. */
    function accepted(ctx: Context, r: Route, opId: string, extra: Record<string, string> = {}): Action {
        const base = `${url}${itemPath(r)}`;
        return {
            kind: "reply",
            status: 202,
            headers: {
                "Azure-AsyncOperation": `${base}/operationsStatus/${opId}?api-version=${ctx.apiVersion}`,
                Location: `${base}/operationResults/${opId}?api-version=${ctx.apiVersion}`,
                "Retry-After": "1",
                ...extra,
            },
        };
    }

    function trigger(ctx: Context): Action {
        const r = ctx.route;
        const writeHeaders = { [REMAINING_HEADER.writes]: String(buckets.writes ? buckets.writes.remaining() : 1199) };
        const bad = (message: string) => errorReply(400, "BMSUserErrorInvalidInput", message, writeHeaders);
        if ((r.fabric ?? "").toLowerCase() !== "azure") return bad(`Fabric '${r.fabric}' is not valid for an Azure VM; use 'Azure'.`);
        const container = parseVmName(r.container ?? "", "iaasvmcontainer");
        const item = parseVmName(r.item ?? "", "vm");
        if (!container || !item || container.vm.toLowerCase() !== item.vm.toLowerCase() || container.vmRg.toLowerCase() !== item.vmRg.toLowerCase()) {
            return bad(
                `Container '${r.container}' and protected item '${r.item}' must name the same VM as ` +
                    "'iaasvmcontainer;iaasvmcontainerv2;{resourceGroup};{vm}' and 'vm;iaasvmcontainerv2;{resourceGroup};{vm}'.",
            );
        }

        let body: any;
        try {
            body = JSON.parse(ctx.body.toString("utf8"));
        } catch {
            return bad("The request body is not valid JSON.");
        }
        const properties = body && typeof body === "object" ? body.properties : undefined;
        if (!properties || typeof properties !== "object") return bad("The request body has no 'properties' object.");
        if (properties.objectType !== "IaasVMBackupRequest") {
            return bad(`'properties.objectType' must be 'IaasVMBackupRequest' for an Azure VM, got '${properties.objectType}'.`);
        }
        const expiryText = properties.recoveryPointExpiryTimeInUTC;
        if (typeof expiryText !== "string" || !expiryText) return bad("'properties.recoveryPointExpiryTimeInUTC' is required.");
        const expiryMs = Date.parse(expiryText);
        if (!Number.isFinite(expiryMs)) return bad(`'properties.recoveryPointExpiryTimeInUTC' ('${expiryText}') is not a date-time.`);
        if (expiryMs <= ctx.now) {
            return bad(`'properties.recoveryPointExpiryTimeInUTC' (${expiryText}) must be in the future.`);
        }

        if (protectedVms !== "all" && !protectedVms.has(item.vm.toLowerCase())) {
            return errorReply(
                400,
                "BMSUserErrorDataSourceObjectNotFound",
                `Protected item '${r.item}' was not found in vault '${r.vault}'. Configure backup for the VM in this vault first.`,
                writeHeaders,
            );
        }

        const v = vault(r.resourceGroup, r.vault);
        const vmKey = `${item.vmRg};${item.vm}`.toLowerCase();
        const today = utcDay(ctx.now);
        let acceptedToday = 0;
        for (const job of v.jobs) {
            if (job.vmKey !== vmKey || job.restore) continue;
            if (ctx.now < job.snapshotEnd) {
                return errorReply(
                    400,
                    "UserErrorBackupOperationInProgress",
                    `A backup of VM '${item.vm}' is still taking its snapshot (job ${job.id}); trigger again once that phase has finished.`,
                    writeHeaders,
                );
            }
            if (utcDay(job.start) === today) acceptedToday++;
        }
        if (acceptedToday >= dailyLimit) {
            return errorReply(
                400,
                "CloudDosAbsoluteLimitReached",
                `VM '${item.vm}' already had ${acceptedToday} on-demand backups this UTC day, the most allowed; try again after 00:00 UTC.`,
                writeHeaders,
            );
        }

        const job: Job = {
            seq: ++jobSeq,
            id: crypto.randomUUID(),
            vaultRg: r.resourceGroup,
            vaultName: r.vault,
            vm: item.vm,
            vmRg: item.vmRg,
            vmKey,
            start: ctx.now,
            snapshotEnd: ctx.now + snapshotMs,
            transferEnd: ctx.now + snapshotMs + transferMs,
            outcome: outcomes.get(item.vm.toLowerCase()) ?? { snapshot: "Completed", transfer: "Completed" },
            expiry: new Date(expiryMs),
            activityId: crypto.randomUUID(),
            hiddenFromLists: jobListHides,
        };
        const op = startJob(ctx, v, job, item.vm);
        v.operations.set(op.id.toLowerCase(), op);
        triggers.push({ vm: item.vm, vaultName: r.vault, resourceGroup: r.resourceGroup, at: ctx.now, expiry: expiryText, jobId: job.id });

        return accepted(ctx, r, op.id, writeHeaders);
    }

    function findOperation(ctx: Context): Operation | Action {
        const r = ctx.route;
        const op = vault(r.resourceGroup, r.vault).operations.get((r.id ?? "").toLowerCase());
        const itemScoped = r.name !== "vault-operation";
        if (!op || (itemScoped && (r.vm === undefined || `${r.vmRg};${r.vm}`.toLowerCase() !== op.vmKey))) {
            return errorReply(404, "ResourceNotFound", `Operation '${r.id}' was not found in vault '${r.vault}'.`);
        }
        return op;
    }

    /** A vault's jobs; `crossRegion`, those of its cross-region restores (listed only by the cross-region API, in one page). */
    function listJobs(ctx: Context, at = { resourceGroup: ctx.route.resourceGroup, vault: ctx.route.vault }, crossRegion = false): Action {
        const r = { ...ctx.route, ...at };
        const filter = ctx.query.get("$filter") ?? "";
        const skipToken = ctx.query.get("$skipToken");
        const bad = (message: string) => errorReply(400, "BMSUserErrorInvalidInput", message);

        const tests: ((job: Job) => boolean)[] = [];
        if (filter.trim()) {
            const clauses = filter.trim().split(/\s+and\s+/i);
            for (const clause of clauses) {
                const m = /^\s*([A-Za-z]+)\s+eq\s+'([^']*)'\s*$/.exec(clause);
                if (!m) return bad(`Cannot read the $filter clause "${clause}"; expected "<property> eq '<value>'" joined by "and".`);
                const property = m[1].toLowerCase();
                const value = m[2];
                if (property === "status") {
                    const status = JOB_STATUSES.find((x) => x.toLowerCase() === value.toLowerCase());
                    if (!status) return bad(`'${value}' is not a job status (${JOB_STATUSES.join(", ")}).`);
                    tests.push((job) => phases(job, ctx.now).status === status);
                } else if (property === "operation") {
                    const operation = JOB_OPERATIONS.find((x) => x.toLowerCase() === value.toLowerCase());
                    if (!operation) return bad(`'${value}' is not a job operation (${JOB_OPERATIONS.join(", ")}).`);
                    tests.push((job) => operation === (job.restore ? (job.restore.crossRegion ? "CrossRegionRestore" : "Restore") : "Backup"));
                } else if (property === "backupmanagementtype") {
                    tests.push(() => value.toLowerCase() === "azureiaasvm");
                } else if (property === "starttime" || property === "endtime") {
                    const bound = parseFilterTime(value);
                    if (bound === undefined) return bad(`'${value}' is not a time in the 'yyyy-MM-dd hh:mm:ss AM/PM' format (UTC).`);
                    // Both bound the job's start time: startTime from, endTime up to.
                    tests.push(property === "starttime" ? (job) => job.start >= bound : (job) => job.start <= bound);
                } else {
                    return bad(`The $filter property '${m[1]}' is not supported for jobs.`);
                }
            }
        }

        let before = Infinity;
        if (skipToken) {
            let decoded: unknown;
            try {
                decoded = JSON.parse(Buffer.from(skipToken, "base64url").toString("utf8"));
            } catch {
                decoded = undefined;
            }
            const seq = (decoded as { before?: unknown } | undefined)?.before;
            if (typeof seq !== "number" || !Number.isInteger(seq)) return bad("The $skipToken is not valid.");
            before = seq;
        }

        const jobs = vault(at.resourceGroup, at.vault).jobs;
        const page: Job[] = [];
        let more = false;
        for (let i = jobs.length - 1; i >= 0; i--) {
            const job = jobs[i]; // newest first: jobs are stored in start order
            if (job.hiddenFromLists > 0) {
                job.hiddenFromLists--;
                continue;
            }
            if (ctx.now < job.start + jobListLagMs) continue;
            if (job.seq >= before || Boolean(job.restore?.crossRegion) !== crossRegion || !tests.every((t) => t(job))) continue;
            if (page.length === PAGE_SIZE) {
                more = true;
                break;
            }
            page.push(job);
        }
        const result: { value: unknown[]; nextLink?: string } = { value: page.map((job) => jobResource(job, ctx.now, false)) };
        if (more && !crossRegion) {
            const token = Buffer.from(JSON.stringify({ before: page[page.length - 1].seq })).toString("base64url");
            const query = new URLSearchParams({ "api-version": ctx.apiVersion });
            if (filter) query.set("$filter", filter);
            query.set("$skipToken", token);
            result.nextLink = `${url}${vaultPath(r)}/backupJobs?${query.toString().replace(/\+/g, "%20")}`;
        }
        return jsonReply(200, result);
    }

    /**
     * Resource Graph's `Resources` operation, in the shapes of Microsoft's examples
     * (specs-examples/resourcegraph-2024-04-01). Not a query engine: it reads the table, the
     * `type =~`, `resourceGroup in~`, `id in~` and `properties.backupManagementType =~` clauses and the
     * subscriptions, and answers the table's rows whole (it leaves `project` to the client to
     * have honoured: a row's extra fields show what a client would keep). Pages of `pageSize`
     * (or `options.$top`) rows, each but the last with a `$skipToken`.
     */
    function graphQuery(body: Buffer): Action {
        let request: GraphQueryRecord;
        try {
            request = JSON.parse(body.toString("utf8")) as GraphQueryRecord;
        } catch {
            return errorReply(400, "BadRequest", "The request body is not JSON.");
        }
        if (typeof request?.query !== "string") return errorReply(400, "BadRequest", "The request has no query.");
        graphQueries.push(request);
        const table = /^\s*(\w+)/.exec(request.query)?.[1] ?? "";
        const rows = Object.entries(options.resourceGraph?.tables ?? {}).find(([name]) => name.toLowerCase() === table.toLowerCase())?.[1];
        if (!rows) return errorReply(400, "BadRequest", `Table '${table}' was not found.`);
        const quoted = (text: string) => [...text.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, "$1").toLowerCase());
        const types = [...request.query.matchAll(/\btype\s*=~\s*'([^']*)'/gi)].map((m) => m[1].toLowerCase());
        const managementTypes = [...request.query.matchAll(/backupManagementType\s*=~\s*'([^']*)'/gi)].map((m) => m[1].toLowerCase());
        const groups = /\bresourceGroup\s+in~\s*\(([^)]*)\)/i.exec(request.query);
        const inGroups = groups ? new Set(quoted(groups[1])) : undefined;
        const ids = /\bid\s+in~\s*\(([^)]*)\)/i.exec(request.query);
        const inIds = ids ? new Set(quoted(ids[1])) : undefined;
        const subscriptions = request.subscriptions ? new Set(request.subscriptions.map((x) => x.toLowerCase())) : undefined;
        const text = (v: unknown) => String(v ?? "").toLowerCase();
        const matching = rows.filter((row) => {
            const id = text(row.id);
            const props = row.properties as Record<string, unknown> | undefined;
            return (
                types.every((t) => text(row.type) === t) &&
                managementTypes.every((t) => text(props?.backupManagementType) === t) &&
                (!inGroups || inGroups.has(/\/resourcegroups\/([^/]+)/.exec(id)?.[1] ?? "")) &&
                (!inIds || inIds.has(id)) &&
                (!subscriptions || subscriptions.has(/^\/subscriptions\/([^/]+)/.exec(id)?.[1] ?? ""))
            );
        });
        const opts = request.options ?? {};
        let offset = 0;
        if (typeof opts.$skipToken === "string") {
            let decoded: { offset?: unknown; query?: unknown } | undefined;
            try {
                decoded = JSON.parse(Buffer.from(opts.$skipToken, "base64").toString("utf8"));
            } catch {
                decoded = undefined;
            }
            if (typeof decoded?.offset !== "number" || decoded.query !== request.query) return errorReply(400, "BadRequest", "The $skipToken is not valid for this query.");
            offset = decoded.offset;
        }
        const top = typeof opts.$top === "number" ? opts.$top : Infinity;
        const size = Math.min(top, options.resourceGraph?.pageSize ?? 1000);
        const data = matching.slice(offset, offset + size);
        const next = offset + data.length;
        return jsonReply(200, {
            totalRecords: matching.length,
            count: data.length,
            data,
            facets: [],
            resultTruncated: "false",
            ...(next < matching.length ? { $skipToken: Buffer.from(JSON.stringify({ offset: next, query: request.query })).toString("base64") } : {}),
        });
    }

    // -- recovery points, restores and managed disks --

    const diskId = (rg: string, name: string) => `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Compute/disks/${name}`;

    function pointsOf(vm: string): FakeRecoveryPoint[] {
        return recoveryPoints.get(vm.toLowerCase()) ?? [];
    }

    const DEFAULT_TIERS: NonNullable<FakeRecoveryPoint["tiers"]> = [{ type: "InstantRP", status: "Valid" }, { type: "HardenedRP", status: "Valid" }];
    const pointDisks = (point: FakeRecoveryPoint) => point.disks ?? [{ name: "osdisk", sizeGb: 30 }];

    /** A recovery point in the shape of Microsoft's RecoveryPoints_List.json / RecoveryPoints_Get.json. */
    function pointResource(r: Route, point: FakeRecoveryPoint): unknown {
        const included = pointDisks(point);
        return {
            name: point.name,
            type: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/recoveryPoints",
            id: `${itemPath(r)}/recoveryPoints/${point.name}`,
            properties: {
                isInstantIlrSessionActive: false,
                isManagedVirtualMachine: true,
                isSourceVMEncrypted: point.isSourceVMEncrypted ?? false,
                objectType: "IaasVMRecoveryPoint",
                originalStorageAccountOption: false,
                recoveryPointAdditionalInfo: "",
                recoveryPointDiskConfiguration: {
                    numberOfDisksIncludedInBackup: included.length,
                    numberOfDisksAttachedToVm: included.length,
                    includedDiskList: included.map((d) => ({ ...(d.lun !== undefined ? { lun: d.lun } : {}), name: d.name })),
                    excludedDiskList: [],
                },
                recoveryPointTierDetails: point.tiers ?? DEFAULT_TIERS,
                recoveryPointTime: point.time,
                recoveryPointType: point.consistency ?? "CrashConsistent",
                securityType: point.securityType ?? "None",
                sourceVMStorageType: point.sourceVMStorageType ?? "NormalStorage",
                virtualMachineSize: "Standard_D2s_v3",
                ...(point.zones ? { zones: point.zones } : {}),
            },
        };
    }

    /** The protected item a recovery-point route names, or why not (as the trigger answers). */
    function protectedVm(r: Route): { vm: string; vmRg: string } | Action {
        const container = parseVmName(r.container ?? "", "iaasvmcontainer");
        const item = parseVmName(r.item ?? "", "vm");
        if ((r.fabric ?? "").toLowerCase() !== "azure" || !container || !item || container.vm.toLowerCase() !== item.vm.toLowerCase()) {
            return errorReply(400, "BMSUserErrorInvalidInput", `Container '${r.container}' and protected item '${r.item}' must name the same Azure VM.`);
        }
        if (protectedVms !== "all" && !protectedVms.has(item.vm.toLowerCase())) {
            return errorReply(404, "BMSUserErrorDataSourceObjectNotFound", `Protected item '${r.item}' was not found in vault '${r.vault}'.`);
        }
        return item;
    }

    /** The route VM's points that `$filter` and `among` keep, newest first, as Azure lists them. */
    function pointsListed(ctx: Context, among: (p: FakeRecoveryPoint) => boolean = () => true): FakeRecoveryPoint[] | Action {
        const item = protectedVm(ctx.route);
        if ("kind" in item) return item;
        const bounds: ((p: FakeRecoveryPoint) => boolean)[] = [];
        const filter = ctx.query.get("$filter") ?? "";
        for (const clause of filter.trim() ? filter.trim().split(/\s+and\s+/i) : []) {
            const m = /^\s*(startDate|endDate)\s+eq\s+'([^']*)'\s*$/i.exec(clause);
            const bound = m ? parseFilterTime(m[2]) : undefined;
            if (!m || bound === undefined) return errorReply(400, "BMSUserErrorInvalidInput", `Cannot read the $filter clause "${clause}"; expected "startDate eq '<yyyy-MM-dd hh:mm:ss AM>'" or endDate.`);
            bounds.push(m[1].toLowerCase() === "startdate" ? (p) => Date.parse(p.time) >= bound : (p) => Date.parse(p.time) <= bound);
        }
        return pointsOf(item.vm)
            .filter((p) => among(p) && bounds.every((b) => b(p)))
            .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
    }

    function listPoints(ctx: Context): Action {
        const points = pointsListed(ctx);
        return "kind" in points ? points : jsonReply(200, { value: points.map((p) => pointResource(ctx.route, p)) });
    }

    function getPoint(ctx: Context): Action {
        const item = protectedVm(ctx.route);
        if ("kind" in item) return item;
        const point = pointsOf(item.vm).find((p) => p.name === ctx.route.point);
        if (!point) return errorReply(404, "BMSUserErrorRecoveryPointNotFound", `Recovery point '${ctx.route.point}' was not found for '${ctx.route.item}'.`);
        return jsonReply(200, pointResource(ctx.route, point));
    }

    function storageConfig(ctx: Context): Action {
        const config = storageConfigs.get(ctx.route.vault.toLowerCase()) ?? { storageModelType: "GeoRedundant", crossRegionRestoreFlag: false };
        return jsonReply(200, {
            name: "vaultstorageconfig",
            type: "Microsoft.RecoveryServices/vaults/backupstorageconfig",
            id: `${vaultPath(ctx.route)}/backupstorageconfig/vaultstorageconfig`,
            properties: {
                storageModelType: config.storageModelType,
                storageType: config.storageModelType,
                storageTypeState: "Locked",
                crossRegionRestoreFlag: config.crossRegionRestoreFlag ?? false,
            },
        });
    }

    const RESOURCE_GROUP_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)$/i;

    /** Restores_Trigger for an IaaS VM: the checks Azure makes of the request, then a restore job and its operation. */
    /**
     * The checks Azure makes of an IaaS VM restore request, then its job and operation. `at` is the
     * vault; `crossRegion` names the paired region a cross-region restore runs in.
     */
    function acceptRestore(
        ctx: Context,
        at: { resourceGroup: string; vault: string },
        item: { vm: string; vmRg: string },
        point: FakeRecoveryPoint,
        p: any,
        crossRegion?: string,
    ): { job: Job; op: Operation } | Action {
        const bad = (message: string) => errorReply(400, "BMSUserErrorInvalidInput", message);
        if (!p || typeof p !== "object") return bad("The request has no restore request.");
        if (p.objectType !== "IaasVMRestoreRequest") return bad(`'properties.objectType' must be 'IaasVMRestoreRequest', got '${p.objectType}'.`);
        if (!["RestoreDisks", "AlternateLocation", "OriginalLocation"].includes(p.recoveryType)) {
            return bad(`'properties.recoveryType' must be RestoreDisks, AlternateLocation or OriginalLocation, got '${p.recoveryType}'.`);
        }
        if (p.recoveryPointId !== point.name) return bad(`'properties.recoveryPointId' ('${p.recoveryPointId}') must be the recovery point of the path ('${point.name}').`);
        const vmId = `/subscriptions/${subscriptionId}/resourceGroups/${item.vmRg}/providers/Microsoft.Compute/virtualMachines/${item.vm}`;
        if (typeof p.sourceResourceId !== "string" || p.sourceResourceId.toLowerCase() !== vmId.toLowerCase()) {
            return bad(`'properties.sourceResourceId' must be the protected VM '${vmId}', got '${p.sourceResourceId}'.`);
        }
        if (typeof p.region !== "string" || !p.region) return bad("'properties.region' is required.");
        if (typeof p.storageAccountId !== "string" || !p.storageAccountId) return bad("'properties.storageAccountId' (the staging location) is required.");
        const tiers = point.tiers ?? DEFAULT_TIERS;
        const usable = tiers.some((t) => (t.type !== "ArchivedRP" && t.status === "Valid") || (t.type === "ArchivedRP" && t.status === "Rehydrated"));
        if (!usable) return bad(`Recovery point '${point.name}' is in the archive tier only: rehydrate it before restoring (IaasVMRestoreWithRehydrationRequest).`);
        let targetRg = item.vmRg;
        let targetVmName: string | undefined;
        if (p.recoveryType !== "OriginalLocation") {
            const group = typeof p.targetResourceGroupId === "string" ? RESOURCE_GROUP_ID.exec(p.targetResourceGroupId) : null;
            if (!group) return bad(`'properties.targetResourceGroupId' must be a resource group id, got '${p.targetResourceGroupId}'.`);
            targetRg = group[2];
        }
        if (p.recoveryType === "AlternateLocation") {
            if (typeof p.virtualNetworkId !== "string" || typeof p.subnetId !== "string" || !p.subnetId.toLowerCase().startsWith(`${p.virtualNetworkId.toLowerCase()}/subnets/`)) {
                return bad("'properties.virtualNetworkId' and 'properties.subnetId' (a subnet of that network) are required to create a VM.");
            }
            targetVmName = typeof p.targetVirtualMachineId === "string" ? p.targetVirtualMachineId.split("/").pop() : undefined;
            if (!targetVmName) return bad("'properties.targetVirtualMachineId' is required to create a VM.");
        }

        const v = vault(at.resourceGroup, at.vault);
        const job: Job = {
            seq: ++jobSeq,
            id: crypto.randomUUID(),
            vaultRg: at.resourceGroup,
            vaultName: at.vault,
            vm: item.vm,
            vmRg: item.vmRg,
            vmKey: `${item.vmRg};${item.vm}`.toLowerCase(),
            start: ctx.now,
            snapshotEnd: ctx.now,
            transferEnd: ctx.now + restoreMs,
            outcome: { snapshot: "Completed", transfer: "Completed" },
            expiry: new Date(ctx.now),
            activityId: crypto.randomUUID(),
            hiddenFromLists: jobListHides,
            restore: {
                recoveryType: p.recoveryType,
                point,
                targetRg,
                storageAccountId: p.storageAccountId,
                targetVmName,
                end: endlessJobs.has(item.vm.toLowerCase()) ? Infinity : ctx.now + restoreMs,
                outcome: restoreOutcomes.get(item.vm.toLowerCase()) ?? { status: "Completed" },
                ...(crossRegion ? { crossRegion } : {}),
            },
        };
        const op = startJob(ctx, v, job, item.vm);
        v.operations.set(op.id.toLowerCase(), op);
        restores.push({ vm: item.vm, vaultName: at.vault, resourceGroup: at.resourceGroup, recoveryPointId: point.name, at: ctx.now, jobId: job.id, request: p, ...(crossRegion ? { crossRegion } : {}) });
        return { job, op };
    }

    function restore(ctx: Context): Action {
        const r = ctx.route;
        const item = protectedVm(r);
        if ("kind" in item) return item;
        const bad = (message: string) => errorReply(400, "BMSUserErrorInvalidInput", message);
        const point = pointsOf(item.vm).find((p) => p.name === r.point);
        if (!point) return errorReply(404, "BMSUserErrorRecoveryPointNotFound", `Recovery point '${r.point}' was not found for '${r.item}'.`);
        let body: any;
        try {
            body = JSON.parse(ctx.body.toString("utf8"));
        } catch {
            return bad("The request body is not valid JSON.");
        }
        const p = body?.properties;
        if (!p || typeof p !== "object") return bad("The request body has no 'properties' object.");
        const started = acceptRestore(ctx, r, item, point, p);
        if ("kind" in started) return started;
        const { op } = started;
        return accepted(ctx, r, op.id);
    }

    /** "20260105-093000": the time stamp in a restored disk's name. */
    const diskStamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);

    /** Restore jobs that have ended create their disks, once: state follows the clock, read when asked. */
    function settleRestores(now: number): void {
        for (const v of vaults.values()) {
            for (const job of v.jobs) {
                const rj = job.restore;
                if (!rj || rj.createdDisks || now < rj.end) continue;
                rj.createdDisks = [];
                if (rj.outcome.status !== "Completed") continue;
                const missing = new Set(rj.outcome.missingLuns ?? []);
                const named: { lun?: number; name: string; sizeGb: number }[] = [];
                for (const d of pointDisks(rj.point)) {
                    const name = d.lun === undefined ? `${job.vm}-osdisk-${diskStamp(job.start)}` : `${job.vm}-datadisk-${d.lun}-${diskStamp(job.start)}`;
                    named.push({ lun: d.lun, name, sizeGb: d.sizeGb });
                    if (missing.has(d.lun ?? "os")) continue;
                    disks.set(`${rj.targetRg}/${name}`.toLowerCase(), { resourceGroup: rj.targetRg, name, location, sizeGb: d.sizeGb, created: rj.end, ...(d.lun === undefined ? { osType: "Linux" as const } : {}) });
                    rj.createdDisks.push(diskId(rj.targetRg, name));
                }
                const files = restoreFiles(job, rj);
                if (files) blobs.set(files.config.toLowerCase(), { bytes: options.restoreConfigBytes ?? restoreConfig(named), etag: `"0x${crypto.randomBytes(8).toString("hex").toUpperCase()}"`, at: rj.end });
            }
        }
    }

    /** Where a restore writes its files: "{account}/{container}/{blob}" of its configuration and template. */
    function restoreFiles(job: Job, rj: RestoreJob): { config: string; template: string } | undefined {
        const account = rj.storageAccountId?.split("/").pop();
        if (!account) return undefined;
        const container = `${job.vm.toLowerCase()}-${job.activityId.replace(/-/g, "")}`;
        return { config: `${account}/${container}/config-${job.vm.toLowerCase()}-${job.id}.json`, template: `${account}/${container}/azuredeploy${job.id}.json` };
    }

    /** A restore's configuration file: the VM's storage profile as restored, UTF-16 with a BOM and a trailing NUL. */
    function restoreConfig(named: { lun?: number; name: string; sizeGb: number }[]): Buffer {
        const disk = (d: { name: string; sizeGb: number }) => ({ name: d.name, createOption: "Attach", diskSizeGB: d.sizeGb, managedDisk: { storageAccountType: "Standard_LRS" } });
        const os = named.find((d) => d.lun === undefined);
        const config = {
            "properties.hardwareProfile": { vmSize: "Standard_D2s_v3" },
            "properties.storageProfile": {
                ...(os ? { osDisk: { osType: "Linux", ...disk(os) } } : {}),
                dataDisks: named.filter((d) => d.lun !== undefined).map((d) => ({ lun: d.lun, ...disk(d) })),
            },
            location,
        };
        return Buffer.from(`\uFEFF${JSON.stringify(config)}\u0000`, "utf16le");
    }

    /** A file of a storage account, as Blob storage answers a GET of it. */
    function blobAction(path: string, authorization: string | undefined, version: string | undefined): Action {
        if (requireBearer && !/^Bearer\s+\S+/i.test(authorization ?? "")) return storageErrorReply(401, "NoAuthenticationInformation", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.");
        if (!version) return storageErrorReply(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.");
        settleRestores(Date.now());
        const file = blobs.get(path);
        if (!file) return storageErrorReply(404, "BlobNotFound", "The specified blob does not exist.");
        return {
            kind: "reply",
            status: 200,
            headers: {
                "Content-Type": "application/octet-stream",
                ETag: file.etag,
                "Last-Modified": new Date(file.at).toUTCString(),
                "Accept-Ranges": "bytes",
                "x-ms-blob-type": "BlockBlob",
                "x-ms-version": version,
                "x-ms-server-encrypted": "true",
            },
            body: file.bytes,
        };
    }

    /** A restore job in the shape of the recorded one (test_backup_job.extract.yaml) and the documented propertyBag. */
    function restoreJobResource(job: Job, rj: RestoreJob, now: number, withExtendedInfo: boolean): unknown {
        const p = phases(job, now);
        const properties: Record<string, unknown> = {
            jobType: "AzureIaaSVMJob",
            ...(p.status === "InProgress" ? { actionsInfo: [1] } : {}),
            containerName: `iaasvmcontainerv2;${job.vmRg};${job.vm}`,
            duration: isoDuration((p.end ?? now) - job.start),
            virtualMachineVersion: "Compute",
        };
        if (withExtendedInfo) {
            const account = rj.storageAccountId?.split("/").pop() ?? "";
            const container = `${job.vm.toLowerCase()}-${job.activityId.replace(/-/g, "")}`;
            const propertyBag: Record<string, string> = {
                ...(rj.recoveryType === "RestoreDisks" ? { "Job Type": "Recover disks" } : {}),
                ...(rj.targetVmName ? { "Target VM Name": rj.targetVmName } : {}),
                "Target Storage Account Name": account,
                "Recovery point time ": bagDate(new Date(Date.parse(rj.point.time))),
                "Target resource group": rj.targetRg,
            };
            const files = restoreFiles(job, rj);
            if (p.status === "Completed" && files) {
                Object.assign(propertyBag, {
                    "Config Blob Container Name": container,
                    "Config Blob Name": files.config.split("/").pop(),
                    // On the fake's own address (see the header); Azure's are https://{account}.blob.core.windows.net/...
                    "Config Blob Uri": `${url}/${files.config}`,
                    "Template Blob Uri": `${url}/${files.template}`,
                });
            }
            properties.extendedInfo = {
                tasksList: [{ taskId: "Transfer data from vault", duration: isoDuration((p.end ?? now) - job.start), status: p.transfer }],
                propertyBag,
                internalPropertyBag: { restoreLocationType: rj.recoveryType },
                ...(p.status === "InProgress" ? { progressPercentage: Math.min(99, Math.floor(((now - job.start) / Math.max(1, rj.end - job.start)) * 100)) } : {}),
            };
        }
        Object.assign(properties, {
            entityFriendlyName: job.vm,
            backupManagementType: "AzureIaasVM",
            operation: rj.crossRegion ? "CrossRegionRestore" : "Restore",
            status: p.status,
            startTime: timestamp(job.start),
            ...(p.end !== undefined ? { endTime: timestamp(p.end) } : {}),
            activityId: job.activityId,
            isUserTriggered: true,
            ...(p.status === "Failed"
                ? {
                      errorDetails: [
                          {
                              errorCode: "UserErrorRestoreFailed",
                              errorString: `Restoring VM '${job.vm}' from recovery point '${rj.point.name}' failed.`,
                              errorTitle: "",
                              recommendations: ["Check the target resource group and staging storage account, then restore again."],
                          },
                      ],
                  }
                : {}),
        });
        return {
            // A cross-region restore's job lives in the paired region (GetCrrJob_Post.json).
            id: rj.crossRegion
                ? `/subscriptions/${subscriptionId}/providers/microsoft.recoveryservices/locations/${rj.crossRegion}/backupJobs/${job.id}`
                : `/subscriptions/${subscriptionId}/resourceGroups/${job.vaultRg}/providers/Microsoft.RecoveryServices/vaults/${job.vaultName}/backupJobs/${job.id}`,
            name: job.id,
            type: "Microsoft.RecoveryServices/vaults/backupJobs",
            properties,
        };
    }

    /** A managed disk in the shape of Disk_Get.json (the fields a restore sets). */
    function diskResource(d: FakeDisk & { created: number }): unknown {
        return {
            name: d.name,
            id: diskId(d.resourceGroup, d.name),
            type: "Microsoft.Compute/disks",
            location: d.location ?? location,
            ...(d.tags ? { tags: d.tags } : {}),
            sku: { name: "Standard_LRS", tier: "Standard" },
            properties: {
                ...(d.osType ? { osType: d.osType } : {}),
                creationData: { createOption: "Empty" },
                diskSizeGB: d.sizeGb,
                diskSizeBytes: d.sizeGb * 1024 ** 3,
                timeCreated: new Date(d.created).toISOString(),
                provisioningState: "Succeeded",
                diskState: "Unattached",
            },
        };
    }

    function diskAction(ctx: Context): Action {
        const r = ctx.route;
        if (r.name === "disk-operation") {
            if (!diskOperations.has((r.id ?? "").toLowerCase())) return errorReply(404, "NotFound", `Operation '${r.id}' was not found.`);
            return { kind: "reply", status: 200, body: "" };
        }
        if (r.name === "list-disks") {
            const value = [...disks.values()].filter((d) => d.resourceGroup.toLowerCase() === r.resourceGroup.toLowerCase()).map(diskResource);
            return jsonReply(200, { value });
        }
        const key = `${r.resourceGroup}/${r.id}`.toLowerCase();
        const d = disks.get(key);
        if (r.name === "get-disk") {
            return d ? jsonReply(200, diskResource(d)) : errorReply(404, "ResourceNotFound", `The Resource 'Microsoft.Compute/disks/${r.id}' under resource group '${r.resourceGroup}' was not found.`);
        }
        if (r.name === "patch-disk") {
            if (!d) return errorReply(404, "ResourceNotFound", `The Resource 'Microsoft.Compute/disks/${r.id}' under resource group '${r.resourceGroup}' was not found.`);
            // An update's tags replace the disk's, as Resource Manager's PATCH does; nothing else of a DiskUpdate is modelled.
            let update: { tags?: unknown };
            try {
                update = JSON.parse(ctx.body.toString("utf8")) as { tags?: unknown };
            } catch {
                return errorReply(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
            }
            const tags = update?.tags;
            if (tags !== undefined) {
                if (typeof tags !== "object" || tags === null || Object.values(tags).some((v) => typeof v !== "string")) {
                    return errorReply(400, "InvalidParameter", "The value of parameter tags is invalid.");
                }
                d.tags = { ...(tags as Record<string, string>) };
            }
            return jsonReply(200, diskResource(d));
        }
        // DELETE: 204 when there is nothing to delete, else 202 + Location to a Compute operation that has ended (Disk_Delete.json).
        if (!d) return { kind: "reply", status: 204 };
        disks.delete(key);
        const op = crypto.randomUUID();
        diskOperations.set(op, { start: ctx.now });
        return {
            kind: "reply",
            status: 202,
            headers: { Location: `${url}/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/${location}/operations/${op}?monitor=true&api-version=${ctx.apiVersion}`, "Retry-After": "0" },
        };
    }

    // -- cross-region restore (RecoveryServicesBackupCrr examples) --

    /** Access tokens handed out, by their text: what each lets a cross-region restore do. */
    const accessTokens = new Map<string, { vaultRg: string; vault: string; vm: string; vmRg: string; point: FakeRecoveryPoint }>();

    function bodyOf(ctx: Context): any {
        try {
            return JSON.parse(ctx.body.toString("utf8"));
        } catch {
            return undefined;
        }
    }

    const VAULT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)$/i;

    function crrEnabled(vaultName: string): boolean {
        const config = storageConfigs.get(vaultName.toLowerCase());
        return config?.storageModelType === "GeoRedundant" && config.crossRegionRestoreFlag === true;
    }

    /** Whether the paired region holds the point: in a vault tier, and taken `crrLagMs` or more ago. */
    function replicated(point: FakeRecoveryPoint, now: number): boolean {
        const inVault = (point.tiers ?? DEFAULT_TIERS).some((t) => (t.type === "HardenedRP" && t.status === "Valid") || (t.type === "ArchivedRP" && t.status === "Rehydrated"));
        return inVault && Date.parse(point.time) + crrLagMs <= now;
    }

    function crossRegion(ctx: Context): Action {
        const r = ctx.route;
        const bad = (message: string) => errorReply(400, "BMSUserErrorInvalidInput", message);
        const region = (r.region ?? "").toLowerCase();
        switch (r.name) {
            case "list-locations":
                return jsonReply(200, {
                    value: Object.entries(PAIRED_REGIONS).map(([name, pair]) => ({
                        id: `/subscriptions/${subscriptionId}/locations/${name}`,
                        name,
                        type: "Region",
                        metadata: { regionType: "Physical", pairedRegion: [{ name: pair, id: `/subscriptions/${subscriptionId}/locations/${pair}` }] },
                    })),
                });
            case "aad-properties":
                return jsonReply(200, {
                    id: `/subscriptions/${subscriptionId}`,
                    properties: { audience: `https://RecoveryServices/IaasCoord/aadmgmt/${region}`, servicePrincipalObjectId: "07e0a67b-cba3-4fcf-a58c-b670d5ced06d", tenantId: "33e01921-4d64-4f8c-a055-5bdaffd5e33d" },
                });
            case "list-points": {
                const item = protectedVm(r);
                if ("kind" in item) return item;
                if (!crrEnabled(r.vault)) return bad(`Vault '${r.vault}' does not have cross-region restore enabled.`);
                const held = pointsListed(ctx, (p) => replicated(p, ctx.now));
                if ("kind" in held) return held;
                const all = held.map((p) => pointResource(r, p));
                const offset = Number(ctx.query.get("$skipToken") ?? "0");
                if (!Number.isInteger(offset) || offset < 0) return bad(`Cannot read the $skipToken '${ctx.query.get("$skipToken")}'.`);
                const next = new URLSearchParams({ "api-version": ctx.apiVersion, ...(ctx.query.get("$filter") ? { $filter: ctx.query.get("$filter")! } : {}), $skipToken: String(offset + PAGE_SIZE) });
                return jsonReply(200, { value: all.slice(offset, offset + PAGE_SIZE), nextLink: offset + PAGE_SIZE < all.length ? `${url}${itemPath(r)}/recoveryPoints/?${next}` : null });
            }
            case "access-token": {
                const item = protectedVm(r);
                if ("kind" in item) return item;
                const point = pointsOf(item.vm).find((p) => p.name === r.point);
                if (!point) return errorReply(404, "BMSUserErrorRecoveryPointNotFound", `Recovery point '${r.point}' was not found for '${r.item}'.`);
                if (!crrEnabled(r.vault)) return bad(`Vault '${r.vault}' does not have cross-region restore enabled.`);
                if (!replicated(point, ctx.now)) return errorReply(404, "BMSUserErrorRecoveryPointNotFound", `Recovery point '${r.point}' has not reached the secondary region yet.`);
                if (typeof bodyOf(ctx)?.properties?.audience !== "string") return bad("The request body has no AAD properties ('properties.audience').");
                const token = crypto.randomUUID();
                accessTokens.set(token, { vaultRg: r.resourceGroup, vault: r.vault, vm: item.vm, vmRg: item.vmRg, point });
                return jsonReply(200, {
                    name: point.name,
                    type: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/recoveryPoints",
                    id: `${itemPath(r)}/recoveryPoints/${point.name}`,
                    properties: {
                        objectType: "WorkloadCrrAccessToken",
                        accessTokenString: token,
                        backupManagementType: "AzureIaasVM",
                        containerName: `iaasvmcontainerv2;${item.vmRg};${item.vm}`,
                        containerType: "IaasVMContainer",
                        datasourceName: item.vm,
                        datasourceType: "VM",
                        recoveryPointId: point.name,
                        resourceGroupName: r.resourceGroup,
                        resourceName: r.vault,
                        subscriptionId,
                    },
                });
            }
            case "crr-trigger": {
                const body = bodyOf(ctx);
                const grant = accessTokens.get(body?.crossRegionRestoreAccessDetails?.accessTokenString ?? "");
                if (!grant) return bad("'crossRegionRestoreAccessDetails' does not hold an access token this service issued.");
                if (PAIRED_REGIONS[location] !== region) return bad(`Region '${r.region}' is not the paired region of vault '${grant.vault}' (${PAIRED_REGIONS[location]}).`);
                const started = acceptRestore(ctx, { resourceGroup: grant.vaultRg, vault: grant.vault }, grant, grant.point, body?.restoreRequest, region);
                if ("kind" in started) return started;
                const at = `${url}/subscriptions/${subscriptionId}/providers/Microsoft.RecoveryServices/locations/${r.region}`;
                return {
                    kind: "reply",
                    status: 202,
                    headers: {
                        "Azure-AsyncOperation": `${at}/backupCrrOperationsStatus/${started.op.id}?api-version=${ctx.apiVersion}`,
                        Location: `${at}/backupCrrOperationResults/${started.op.id}?api-version=${ctx.apiVersion}`,
                        "Retry-After": "1",
                    },
                };
            }
            case "crr-operation": {
                for (const v of vaults.values()) {
                    const op = v.operations.get((r.id ?? "").toLowerCase());
                    if (op && v.jobsById.get(op.jobId.toLowerCase())?.restore?.crossRegion === region) return jsonReply(200, operationStatus(op, ctx.now));
                }
                return errorReply(404, "ResourceNotFound", `Operation '${r.id}' was not found in ${r.region}.`);
            }
            case "crr-jobs":
            case "crr-job": {
                const body = bodyOf(ctx);
                const vaultId = VAULT_ID.exec(typeof body?.resourceId === "string" ? body.resourceId : "");
                if (!vaultId) return bad("'resourceId' must be the vault's id.");
                if (r.name === "crr-jobs") return listJobs(ctx, { resourceGroup: vaultId[1], vault: vaultId[2] }, true);
                const job = vault(vaultId[1], vaultId[2]).jobsById.get(String(body?.jobName ?? "").toLowerCase());
                if (!job?.restore?.crossRegion) return errorReply(404, "ResourceNotFound", `Job '${body?.jobName}' was not found in ${r.region}.`);
                return jsonReply(200, jobResource(job, ctx.now, true));
            }
            default:
                return errorReply(404, "NotFound", "No such cross-region route.");
        }
    }

    function handle(ctx: Context): Action {
        const r = ctx.route;
        settleRestores(ctx.now);
        switch (r.name) {
            case "list-locations":
            case "aad-properties":
            case "access-token":
            case "crr-trigger":
            case "crr-operation":
            case "crr-jobs":
            case "crr-job":
                return crossRegion(ctx);
            case "list-points":
                return CRR_API_VERSIONS.includes(ctx.apiVersion) ? crossRegion(ctx) : listPoints(ctx);
            case "get-point":
                return getPoint(ctx);
            case "restore":
                return restore(ctx);
            case "storage-config":
                return storageConfig(ctx);
            case "get-resource": {
                const found = armResources.get((r.id ?? "").toLowerCase());
                if (found) return jsonReply(200, found);
                if (/\/microsoft\.recoveryservices\/vaults\/[^/]+$/i.test(r.id ?? "")) {
                    const name = (r.id ?? "").split("/").pop();
                    return jsonReply(200, { id: r.id, name, type: "Microsoft.RecoveryServices/vaults", location, sku: { name: "RS0", tier: "Standard" }, properties: { provisioningState: "Succeeded" } });
                }
                return errorReply(404, "ResourceNotFound", `The Resource '${(r.id ?? "").split("/providers/")[1]}' under resource group '${r.resourceGroup}' was not found.`);
            }
            case "list-disks":
            case "get-disk":
            case "patch-disk":
            case "delete-disk":
            case "disk-operation":
                return diskAction(ctx);
            case "trigger":
                return trigger(ctx);
            case "vault-operation":
            case "item-operation-status": {
                const op = findOperation(ctx);
                return "kind" in op ? op : jsonReply(200, operationStatus(op, ctx.now));
            }
            case "item-operation-result": {
                const op = findOperation(ctx);
                if ("kind" in op) return op;
                if (ctx.now >= op.doneAt) return { kind: "reply", status: 204 };
                return {
                    kind: "reply",
                    status: 202,
                    headers: { Location: `${url}${itemPath(r)}/operationResults/${op.id}?api-version=${ctx.apiVersion}`, "Retry-After": "1" },
                };
            }
            case "get-job": {
                const found = vault(r.resourceGroup, r.vault).jobsById.get((r.id ?? "").toLowerCase());
                const job = found?.restore?.crossRegion ? undefined : found;
                if (!job) return errorReply(404, "ResourceNotFound", `Job '${r.id}' was not found in vault '${r.vault}'.`);
                return jsonReply(200, jobResource(job, ctx.now, true));
            }
            case "list-jobs":
                return listJobs(ctx);
        }
    }

    /** What a fault answers instead of the handler's reply. */
    function faultAction(fault: Fault, method: string, authorization: string | undefined, storage = false): Action {
        switch (fault.kind) {
            case "status": {
                const headers: Record<string, string> = fault.gateway && fault.status === 429 ? { ...GATEWAY_THROTTLED } : fault.gateway ? { "x-ms-failure-cause": "gateway" } : {};
                if (fault.retryAfterSeconds !== undefined) headers["Retry-After"] = String(fault.retryAfterSeconds);
                const message = fault.message ?? `Injected fault: HTTP ${fault.status}.`;
                if (storage) return storageErrorReply(fault.status, fault.code ?? defaultErrorCode(fault.status), message, headers);
                return errorReply(
                    fault.status,
                    fault.code ?? defaultErrorCode(fault.status),
                    fault.echoAuthorization ? `The client with Authorization '${authorization ?? ""}' failed: ${message}` : message,
                    headers,
                );
            }
            case "malformed":
                return { kind: "reply", status: method === "GET" ? 200 : 202, body: "{not json" };
            case "reset":
                return { kind: "reset" };
            case "stall":
                return { kind: "stall" };
        }
    }

    function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
        return new Promise((resolve) => {
            const chunks: Buffer[] = [];
            let size = 0;
            let tooLarge = false;
            req.on("data", (chunk: Buffer) => {
                size += chunk.length;
                if (size > MAX_BODY_BYTES) tooLarge = true;
                else chunks.push(chunk);
            });
            req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
            req.on("error", () => resolve(undefined));
        });
    }

    async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const at = Date.now();
        const method = (req.method ?? "GET").toUpperCase();
        // "//subscriptions/...": the resources SDK's getById puts the id's own slash after the host's, which Resource Manager takes.
        const parsed = new URL((req.url ?? "/").replace(/^\/+/, "/"), "https://127.0.0.1");
        const rawSegments = parsed.pathname.split("/").filter((x) => x.length > 0);
        let segments: string[];
        try {
            segments = rawSegments.map((x) => decodeURIComponent(x));
        } catch {
            segments = rawSegments;
        }
        const path = `/${segments.join("/")}`;
        const authorization = req.headers.authorization;
        requests.push(authorization === undefined ? { method, path, at } : { method, path, authorization, at });
        const attemptKey = `${method} ${path.toLowerCase()}`;
        const attempt = (attempts.get(attemptKey) ?? 0) + 1;
        attempts.set(attemptKey, attempt);

        const body = await readBody(req);
        const blobPath = blobPathOf(method, segments);
        const route = blobPath ? undefined : matchRoute(method, segments);
        const graph = method === "POST" && path.toLowerCase() === "/providers/microsoft.resourcegraph/resources";
        const fault = options.faults?.({ method, path, vm: route?.vm, attempt });

        const after = fault !== undefined && (fault.when ?? "before-processing") === "after-processing";
        let action: Action | undefined = fault && !after ? faultAction(fault, method, authorization, blobPath !== undefined) : undefined;
        if (!action && blobPath) {
            const version = req.headers["x-ms-version"];
            action = blobAction(blobPath, authorization, typeof version === "string" ? version : undefined);
            if (fault) action = faultAction(fault, method, authorization, true);
        }
        if (!action) {
            const now = Date.now();
            const apiVersion = [...parsed.searchParams].find(([name]) => name.toLowerCase() === "api-version")?.[1];
            if (body === undefined) {
                action = errorReply(413, "RequestEntityTooLarge", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
            } else if (requireBearer && authorization === undefined) {
                action = errorReply(401, "AuthenticationFailed", "Authentication failed: the request has no 'Authorization' header.", {
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="no Authorization header"',
                });
            } else if (requireBearer && !/^Bearer\s+\S+/i.test(authorization ?? "")) {
                action = errorReply(401, "InvalidAuthenticationToken", "The 'Authorization' header is not of the form 'Bearer <access token>'.", {
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="not a bearer token"',
                });
            } else if (!route && !graph) {
                action = errorReply(404, "NotFound", `This fake ARM server has no route for ${method} ${path}.`);
            } else if (apiVersion === undefined) {
                action = errorReply(400, "MissingApiVersionParameter", "The 'api-version' query parameter is required for every request.");
            } else if (!route) {
                action = graphQuery(body);
            } else if (route.subscription.toLowerCase() !== subscriptionId.toLowerCase()) {
                action = errorReply(404, "SubscriptionNotFound", `Subscription '${route.subscription}' is not known here.`);
            } else {
                action = throttle(method, now);
                if (!action) {
                    try {
                        action = withReadsLeft(method, handle({ method, route, query: parsed.searchParams, apiVersion, body, now }));
                    } catch (e) {
                        action = errorReply(500, "InternalServerError", `The fake ARM server failed: ${(e as Error).message}`);
                    }
                }
            }
            if (fault) action = faultAction(fault, method, authorization); // after-processing: done, now the fault instead of the answer
        }

        await sleep(latencyMs);
        if (closed) return;
        if (action.kind === "reset") {
            req.socket.destroy();
            return;
        }
        if (action.kind === "stall") return; // the socket is destroyed when the client gives up or the server closes
        const requestId = crypto.randomUUID();
        const headers: Record<string, string> = {
            "Content-Type": "application/json; charset=utf-8",
            "Cache-Control": "no-cache",
            "x-ms-request-id": requestId,
            "x-ms-correlation-request-id": requestId,
            ...(typeof req.headers["x-ms-client-request-id"] === "string"
                ? { "x-ms-client-request-id": req.headers["x-ms-client-request-id"] }
                : {}),
            ...action.headers,
        };
        const payload = Buffer.isBuffer(action.body) ? action.body : Buffer.from(action.body ?? "", "utf8");
        headers["Content-Length"] = String(payload.length);
        res.writeHead(action.status, headers);
        res.end(payload);
    }

    const server = https.createServer({ key, cert }, (req, res) => {
        res.on("error", () => undefined);
        respond(req, res).catch(() => {
            if (!res.headersSent && !closed) {
                res.writeHead(500, { "Content-Type": "application/json; charset=utf-8", "x-ms-request-id": crypto.randomUUID() });
                res.end(JSON.stringify({ error: { code: "InternalServerError", message: "The fake ARM server failed." } }));
            }
        });
    });
    server.on("connection", (socket: Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    server.on("tlsClientError", () => undefined);
    server.on("clientError", (_error, socket) => socket.destroy());

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            server.off("error", reject);
            resolve();
        });
    });
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("startFakeArm: no TCP address");
    url = `https://127.0.0.1:${address.port}`;

    let closing: Promise<void> | undefined;
    return {
        url,
        ca: cert,
        subscriptionId,
        triggers,
        restores,
        disks: () => {
            settleRestores(Date.now());
            return [...disks.values()].map(({ created: _created, ...d }) => ({ ...d, id: diskId(d.resourceGroup, d.name) }));
        },
        graphQueries,
        requests,
        throttling,
        vmId: (resourceGroup, vmName) =>
            `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vmName}`,
        vaultId: (resourceGroup, vaultName) =>
            `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${vaultName}`,
        close() {
            if (!closing) {
                closed = true;
                closing = new Promise<void>((resolve) => {
                    server.close(() => resolve());
                    for (const sleeper of sleepers) {
                        clearTimeout(sleeper.timer);
                        sleeper.resolve();
                    }
                    sleepers.clear();
                    for (const socket of sockets) socket.destroy();
                    sockets.clear();
                });
            }
            return closing;
        },
    };
}
