// An inventory for the offline preview, read from Azure Resource Graph: the VMs, vaults, backup
// policies and VM backup items of some subscriptions, with only the fields the preview reads, so
// that nothing secret (admin user names, SSH keys) is ever written to the file.
import type { TokenCredential } from "@azure/core-auth";
import { BackupOperationError, InvalidArgumentError } from "../on-demand/backup-operation-error";
import { explain } from "../on-demand/backup-client";
import { signInFailure } from "../on-demand/sign-in";
import { redactDeep } from "../on-demand/redact";
import { isHttpsUrl } from "../on-demand/api-arguments";
import type { ArmResource, Inventory } from "./inventory";
import { fileSchema, issueMessage, pathText, resourceSchemas } from "./inventory-schema";
import { kindOf } from "./inventory";

/** What to export and how to reach Azure. */
export interface InventoryExportOptions {
    /** Subscriptions to read. @default - every subscription the credential can read */
    subscriptions?: string[];
    /** Only resources in these resource groups (VMs, and the vaults with their policies and items). @default - every group */
    resourceGroups?: string[];
    /** Credential for Resource Manager. @default - `DefaultAzureCredential` from `@azure/identity` */
    credential?: TokenCredential;
    /** Resource Manager endpoint, for sovereign clouds. @default "https://management.azure.com" */
    endpoint?: string;
}

/** Resource Graph's largest page. */
const PAGE_ROWS = 1000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Azure's rule for resource group names: letters, digits, _ - . ( ), up to 90, not ending in a period.
const GROUP = /^[\p{L}\p{N}_\-.()]{0,89}[\p{L}\p{N}_\-()]$/u;

/** A KQL string literal: names are checked above, the quoting is belt and braces. */
const literal = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The Resource Graph queries, one per kind of resource the preview reads. */
export function inventoryQueries(resourceGroups: readonly string[] = []): { kind: string; query: string }[] {
    const inGroups = resourceGroups.length > 0 ? `| where resourceGroup in~ (${resourceGroups.map(literal).join(", ")}) ` : "";
    const common = "id, name, type, location, tenantId, subscriptionId, tags";
    return [
        {
            kind: "VMs",
            // Only what the rules read: never osProfile whole, which holds the admin user name and SSH keys.
            query:
                `Resources | where type =~ 'microsoft.compute/virtualmachines' ${inGroups}` +
                `| project ${common}, properties = pack(` +
                `'storageProfile', properties.storageProfile, 'securityProfile', properties.securityProfile, ` +
                `'additionalCapabilities', properties.additionalCapabilities, ` +
                `'osProfile', pack('windowsConfiguration', pack('provisionVMAgent', properties.osProfile.windowsConfiguration.provisionVMAgent))) ` +
                `| order by id asc`,
        },
        {
            kind: "vaults",
            query:
                `Resources | where type =~ 'microsoft.recoveryservices/vaults' ${inGroups}` +
                `| project ${common}, sku, properties = pack('redundancySettings', properties.redundancySettings, 'securitySettings', properties.securitySettings) ` +
                `| order by id asc`,
        },
        {
            kind: "backup policies",
            query:
                `RecoveryServicesResources | where type =~ 'microsoft.recoveryservices/vaults/backuppolicies' ${inGroups}` +
                `| where properties.backupManagementType =~ 'AzureIaasVM' | project ${common}, properties | order by id asc`,
        },
        {
            kind: "VM backup items",
            query:
                `RecoveryServicesResources | where type =~ 'microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems' ${inGroups}` +
                `| where properties.backupManagementType =~ 'AzureIaasVM' | project ${common}, properties | order by id asc`,
        },
    ];
}

type Row = Record<string, any>;

const pick = (from: Row | null | undefined, keys: readonly string[]): Row | undefined => {
    if (from === null || typeof from !== "object") return undefined;
    const out = Object.fromEntries(keys.filter((k) => from[k] !== undefined && from[k] !== null).map((k) => [k, from[k]]));
    return Object.keys(out).length > 0 ? out : undefined;
};

const disk = (d: Row | null | undefined) => {
    const managedDisk = pick(d?.managedDisk, ["storageAccountType"]);
    return d === null || d === undefined ? undefined : { ...pick(d, ["lun", "osType", "name"]), ...(managedDisk ? { managedDisk } : {}) };
};

// Field by field what each kind keeps, whatever a row holds: the queries project these already,
// and this holds even if a query (or a change to one) returns more.
function vmProperties(p: Row): Row {
    const storage = p.storageProfile as Row | undefined;
    const agent = p.osProfile?.windowsConfiguration?.provisionVMAgent ?? p.osProfile?.windowsConfiguration?.provisionVmAgent;
    const ultra = p.additionalCapabilities?.ultraSSDEnabled ?? p.additionalCapabilities?.ultraSsdEnabled;
    return {
        ...(storage ? { storageProfile: { osDisk: disk(storage.osDisk), dataDisks: (storage.dataDisks ?? []).map(disk) } } : {}),
        ...(p.securityProfile?.securityType ? { securityProfile: { securityType: p.securityProfile.securityType } } : {}),
        ...(typeof ultra === "boolean" ? { additionalCapabilities: { ultraSSDEnabled: ultra } } : {}),
        ...(typeof agent === "boolean" ? { osProfile: { windowsConfiguration: { provisionVMAgent: agent } } } : {}),
    };
}

const VAULT_KEYS = ["redundancySettings", "securitySettings"];
const ITEM_KEYS = [
    "backupManagementType", "workloadType", "protectedItemType", "friendlyName", "sourceResourceId", "virtualMachineId",
    "policyId", "policyName", "protectionState", "protectionStatus", "isScheduledForDeferredDelete", "deferredDeleteTimeInUTC",
];

function resourceOf(row: Row): ArmResource {
    const kind = kindOf(String(row.id));
    const p = (row.properties ?? {}) as Row;
    const properties =
        kind === "vm" ? vmProperties(p) : kind === "vault" ? (pick(p, VAULT_KEYS) ?? {}) : kind === "protectedItem" ? (pick(p, ITEM_KEYS) ?? {}) : p;
    const base = pick(row, ["id", "name", "type", "location", "tags", ...(kind === "vault" ? ["sku"] : [])]) as ArmResource;
    return { ...base, properties };
}

function check(argument: string, values: readonly string[] | undefined, test: RegExp, rule: string): string[] {
    if (values === undefined) return [];
    if (!Array.isArray(values)) throw new InvalidArgumentError(argument, `must be a list, got ${JSON.stringify(values)}`);
    for (const v of values) if (typeof v !== "string" || !test.test(v)) throw new InvalidArgumentError(argument, `${rule}, got ${JSON.stringify(v)}`);
    return [...values];
}

/** The one value every row has for `key`, if there is one. */
function only(rows: Row[], key: string, given?: string[]): string | undefined {
    const values = new Set([...(given ?? []), ...rows.map((r) => r[key])].filter((v): v is string => typeof v === "string" && v !== "").map((v) => v.toLowerCase()));
    return values.size === 1 ? [...values][0] : undefined;
}

/**
 * What a failed query means. The Resource Graph SDK's errors carry Azure's status and code but
 * are not the newer SDKs' RestError; BackupOperationError redacts what Azure said.
 */
function readFailure(err: unknown, doing: string): BackupOperationError {
    const signIn = signInFailure(err);
    if (signIn) return signIn;
    const { statusCode: status, code } = (err ?? {}) as { statusCode?: unknown; code?: unknown };
    if (typeof status !== "number") return explain(err, doing);
    const azureCode = typeof code === "string" ? code : undefined;
    const said = `${azureCode ?? "error"}: ${(err as Error).message}`;
    if (status === 401 || status === 403) {
        return new BackupOperationError("Forbidden", `${doing}: Azure refused the credential (${said}); it needs the Reader role on the subscriptions it reads`, azureCode, status);
    }
    if (status === 429) return new BackupOperationError("Throttled", `${doing}: Azure is throttling requests and retries ran out (${said}); try again later`, azureCode, status);
    return new BackupOperationError("AzureError", `${doing}: HTTP ${status} ${said}`, azureCode, status);
}

/** Checks the inventory against the schema the preview loads it with; a failure here is a bug. */
export function checkInventory(inventory: Inventory): void {
    const top = fileSchema.safeParse(inventory, { error: issueMessage });
    const problems = top.success ? [] : top.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`);
    inventory.resources.forEach((r, i) => {
        const parsed = resourceSchemas[kindOf(r.id)].safeParse(r, { error: issueMessage });
        if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `${pathText(["resources", i, ...issue.path])}: ${issue.message}`));
    });
    if (problems.length > 0) throw new Error(`the exported inventory does not pass the inventory schema (a bug in azure-vm-backup): ${problems.slice(0, 5).join("; ")}`);
}

/** The options' lists, checked: a bad value is named with its argument before anything is sent. */
export function checkExportOptions(options: InventoryExportOptions): { subscriptions: string[]; resourceGroups: string[] } {
    const subscriptions = check("subscriptions", options.subscriptions, GUID, "must be a subscription ID (a GUID)");
    const resourceGroups = check("resourceGroups", options.resourceGroups, GROUP, "must be a resource group name (letters, digits, _ - . ( ), up to 90, not ending in a period)");
    if (options.endpoint !== undefined && !isHttpsUrl(options.endpoint)) throw new InvalidArgumentError("endpoint", `must be an https URL, got ${JSON.stringify(options.endpoint)}`);
    return { subscriptions, resourceGroups };
}

/**
 * Reads the inventory from Azure Resource Graph, page by page. Every request is a read, so the
 * SDK's retry policies (throttling with Azure's Retry-After, failures with growing waits) may
 * repeat any of them.
 */
export async function exportInventory(options: InventoryExportOptions = {}): Promise<Inventory> {
    const { subscriptions, resourceGroups } = checkExportOptions(options);
    const credential = options.credential ?? new (await import("@azure/identity")).DefaultAzureCredential();
    const [{ ResourceGraphClient }, msRest] = await Promise.all([import("@azure/arm-resourcegraph"), import("@azure/ms-rest-js")]);
    const client = new ResourceGraphClient(credential, {
        baseUri: options.endpoint?.replace(/\/+$/, ""),
        // The SDK's own retry policies, with waits of seconds rather than its default half minute,
        // and last in line: its deserialization turns a 429 into an error before a policy after
        // it (its default place) can see the response and wait out the Retry-After.
        noRetryPolicy: true,
        requestPolicyFactories: (defaults) => [...defaults, msRest.exponentialRetryPolicy(5, 800, 200, 30_000), msRest.systemErrorRetryPolicy(), msRest.throttlingRetryPolicy(20)],
    });
    const rows: Row[] = [];
    for (const { kind, query } of inventoryQueries(resourceGroups)) {
        let skipToken: string | undefined;
        do {
            let page;
            try {
                page = await client.resources({
                    query,
                    ...(subscriptions.length > 0 ? { subscriptions } : {}),
                    // Pages as large as Resource Graph gives (it defaults to 100 rows): fewer requests under its throttling.
                    options: { resultFormat: "objectArray", top: PAGE_ROWS, ...(skipToken ? { skipToken } : {}) },
                });
            } catch (err) {
                throw readFailure(err, `reading the ${kind} from Azure Resource Graph`);
            }
            if (!Array.isArray(page.data)) throw new Error(`reading the ${kind} from Azure Resource Graph: the answer holds no list of rows`);
            rows.push(...redactDeep(page.data as Row[]));
            skipToken = page.skipToken;
        } while (skipToken);
    }
    const subscriptionId = only(rows, "subscriptionId", subscriptions);
    const tenantId = only(rows, "tenantId");
    const inventory: Inventory = {
        ...(subscriptionId ? { subscriptionId } : {}),
        ...(tenantId ? { tenantId } : {}),
        resources: rows.map(resourceOf),
    };
    checkInventory(inventory);
    return inventory;
}
