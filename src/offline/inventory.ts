// An export of an Azure estate, in the shapes Resource Manager and the Azure CLI print, that
// answers a program's provider invokes during an offline preview.
import * as fs from "fs";
import { fileSchema, issueMessage, pathText, resourceSchemas } from "./inventory-schema";
import { UsageError } from "../usage-error";
import { nameOf, subscriptionOf } from "../rules/resource-ids";

export interface ArmResource {
    id: string;
    name?: string;
    type?: string;
    location?: string;
    properties?: Record<string, any>;
    [key: string]: any;
}

export interface Inventory {
    subscriptionId?: string;
    tenantId?: string;
    resources: ArmResource[];
}

/** An empty estate: every look-up finds nothing, as for a program whose resources are all new. */
export const EMPTY_INVENTORY: Inventory = { resources: [] };

const SHAPE = 'a JSON array of Azure resources (each with an "id"), or { subscriptionId?, tenantId?, resources: [...] }';
/** How many problems one message lists: a systematic one would otherwise repeat for every resource. */
const SHOWN = 5;

export function loadInventory(file: string): Inventory {
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`cannot read the inventory ${file}: ${(err as Error).message}`);
    }
    const top = Array.isArray(doc) ? { success: true as const, data: { resources: doc as unknown[] } } : fileSchema.safeParse(doc, { error: issueMessage });
    if (!top.success) {
        const issue = top.error.issues[0];
        throw new UsageError(`the inventory ${file} must be ${SHAPE}; ${issue.path.length > 0 ? `${pathText(issue.path)}: ` : ""}${issue.message}`);
    }
    const prefix = Array.isArray(doc) ? [] : ["resources"];
    // Entries may be lists themselves (one per `az ... list`): each resource keeps its place for messages.
    const entries = top.data.resources.flatMap((entry, i) =>
        Array.isArray(entry) ? entry.map((r, j) => ({ at: [...prefix, i, j], value: r as unknown })) : [{ at: [...prefix, i], value: entry }],
    );
    const problems: string[] = [];
    const resources: ArmResource[] = [];
    for (const { at, value } of entries) {
        const id = (value as { id?: unknown } | null)?.id;
        const schema = resourceSchemas[typeof id === "string" ? kindOf(id) : "other"];
        const parsed = schema.safeParse(value, { error: issueMessage });
        if (parsed.success) resources.push(parsed.data as ArmResource);
        else problems.push(...parsed.error.issues.map((issue) => `${pathText([...at, ...issue.path])}: ${issue.message}`));
    }
    if (problems.length > 0) {
        const more = problems.length > SHOWN ? `; and ${problems.length - SHOWN} more` : "";
        throw new UsageError(`the inventory ${file} is not valid: ${problems.slice(0, SHOWN).join("; ")}${more}`);
    }
    const subscriptionId = top.data.subscriptionId ?? onlySubscription(resources);
    return { subscriptionId, tenantId: "tenantId" in top.data ? top.data.tenantId : undefined, resources };
}

function onlySubscription(resources: ArmResource[]): string | undefined {
    const subs = new Set(resources.map((r) => subscriptionOf(r.id)).filter((s) => s !== undefined));
    return subs.size === 1 ? [...subs][0] : undefined;
}

/** What kind of Azure resource an id names, from its last type segment. */
export type ResourceKind = "vm" | "vault" | "policy" | "protectedItem" | "other";

export function kindOf(id: string): ResourceKind {
    if (/\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/i.test(id)) return "vm";
    if (/\/providers\/Microsoft\.RecoveryServices\/vaults\/[^/]+$/i.test(id)) return "vault";
    if (/\/vaults\/[^/]+\/backupPolicies\/[^/]+$/i.test(id)) return "policy";
    if (/\/vaults\/[^/]+\/backupFabrics\/[^/]+\/protectionContainers\/[^/]+\/protectedItems\/[^/]+$/i.test(id)) return "protectedItem";
    return "other";
}

export function resourcesOf(inventory: Inventory, kind: ResourceKind): ArmResource[] {
    return inventory.resources.filter((r) => kindOf(r.id) === kind);
}

/** A resource's type, from its id where the export left `type` out: `Microsoft.Compute/virtualMachines`. */
function typeOf(r: ArmResource): string {
    if (r.type) return r.type;
    const m = /\/providers\/([^/]+)((?:\/[^/]+\/[^/]+)+)$/i.exec(r.id);
    if (!m) return "";
    const segments = m[2].split("/").filter((x) => x !== "");
    return [m[1], ...segments.filter((_, i) => i % 2 === 0)].join("/");
}

/** The resource group of an ARM id. */
export function groupOf(id: string): string | undefined {
    return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
}

/** Whether two Azure names or ids are the same; Azure reads them without regard to case. */
export function same(a: unknown, b: unknown): boolean {
    return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

/** The engine hands an invoke's failure to the SDK as the gRPC error's details. */
function invokeFailure(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

function notFound(what: string, hint: string): Error {
    return invokeFailure(`${what} is not in the inventory: StatusCode=404 Code="ResourceNotFound" (if it exists in Azure, add it: ${hint})`);
}

// The Azure CLI spells a few VM keys after its Python models; Resource Manager (and so
// azure-native's invoke) spells them this way.
const ARM_SPELLING: Record<string, string> = { provisionVmAgent: "provisionVMAgent", ultraSsdEnabled: "ultraSSDEnabled" };

function armSpelling(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(armSpelling);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [ARM_SPELLING[k] ?? k, armSpelling(v)]));
}

/** Resource Manager's GET of a VM nests its settings under `properties`; the CLI and azure-native lift them up. */
function lifted(r: ArmResource): Record<string, any> {
    const { properties, ...rest } = r;
    return armSpelling({ ...rest, ...(properties ?? {}) }) as Record<string, any>;
}

function find(inventory: Inventory, kind: ResourceKind, match: (id: string) => boolean): ArmResource | undefined {
    return resourcesOf(inventory, kind).find((r) => match(r.id));
}

const byName = (segment: string, group: string, name: string) => (id: string) =>
    same(groupOf(id), group) && same(new RegExp(`/${segment}/([^/]+)$`, "i").exec(id)?.[1], name);

/**
 * Every Recovery Services vault has a DefaultPolicy from its creation (daily, 30 days of daily
 * recovery points, 2 days of instant restore): a vault in the inventory without its policies
 * listed has it. Microsoft documents no other; EnhancedPolicy is not in every vault.
 */
function builtInPolicy(inv: Inventory, resourceGroupName: string, vaultName: string, policyName: string): ArmResource | undefined {
    if (!same(policyName, "DefaultPolicy")) return undefined;
    const vault = find(inv, "vault", byName("vaults", resourceGroupName, vaultName));
    if (!vault) return undefined;
    const within = (id: string) => id.toLowerCase().startsWith(`${vault.id.toLowerCase()}/`);
    if (resourcesOf(inv, "policy").some((p) => within(p.id))) return undefined;
    const id = `${vault.id}/backupPolicies/DefaultPolicy`;
    const protectedItemsCount = resourcesOf(inv, "protectedItem").filter((i) => within(i.id) && same(i.properties?.policyId, id)).length;
    return {
        id,
        name: "DefaultPolicy",
        type: "Microsoft.RecoveryServices/vaults/backupPolicies",
        properties: {
            backupManagementType: "AzureIaasVM",
            policyType: "V1",
            protectedItemsCount,
            instantRpRetentionRangeInDays: 2,
            schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily" },
            retentionPolicy: { retentionPolicyType: "LongTermRetentionPolicy", dailySchedule: { retentionDuration: { count: 30, durationType: "Days" } } },
        },
    };
}

/** The subscription the providers' client config reports: the inventory's, which it must name. */
function inventorySubscription(inv: Inventory): string {
    if (inv.subscriptionId) return inv.subscriptionId;
    throw invokeFailure('the inventory has no subscription: add "subscriptionId" to it (az account show --query id -o tsv), or give resources of a single subscription');
}

type Answer = (inventory: Inventory, args: Record<string, any>) => Record<string, any>;

const answers: Record<string, Answer> = {
    "azure-native:authorization:getClientConfig": (inv) => ({ subscriptionId: inventorySubscription(inv), tenantId: inv.tenantId ?? "", clientId: "", objectId: "" }),
    "azure-native:compute:getVirtualMachine": (inv, a) => {
        const vm = find(inv, "vm", byName("virtualMachines", a.resourceGroupName, a.vmName));
        if (!vm) throw notFound(`virtual machine ${a.resourceGroupName}/${a.vmName}`, `az vm show -g ${a.resourceGroupName} -n ${a.vmName}`);
        return lifted(vm);
    },
    "azure-native:recoveryservices:getVault": (inv, a) => {
        const vault = find(inv, "vault", byName("vaults", a.resourceGroupName, a.vaultName));
        if (!vault) throw notFound(`vault ${a.resourceGroupName}/${a.vaultName}`, `az backup vault show -g ${a.resourceGroupName} -n ${a.vaultName}`);
        return vault;
    },
    "azure-native:recoveryservices:getProtectionPolicy": (inv, a) => {
        const policy =
            find(inv, "policy", (id) => same(groupOf(id), a.resourceGroupName) && id.toLowerCase().endsWith(`/vaults/${a.vaultName}/backuppolicies/${a.policyName}`.toLowerCase())) ??
            builtInPolicy(inv, a.resourceGroupName, a.vaultName, a.policyName);
        if (!policy) {
            throw notFound(`backup policy ${a.vaultName}/${a.policyName}`, `az backup policy show -g ${a.resourceGroupName} -v ${a.vaultName} -n ${a.policyName}`);
        }
        return policy;
    },
    "azure-native:recoveryservices:getProtectedItem": (inv, a) => {
        const suffix = `/vaults/${a.vaultName}/backupFabrics/${a.fabricName}/protectionContainers/${a.containerName}/protectedItems/${a.protectedItemName}`.toLowerCase();
        const item = find(inv, "protectedItem", (id) => same(groupOf(id), a.resourceGroupName) && id.toLowerCase().endsWith(suffix));
        if (!item) {
            throw notFound(`protected item ${a.protectedItemName} in vault ${a.vaultName}`, `az backup item list -g ${a.resourceGroupName} -v ${a.vaultName}`);
        }
        return item;
    },
    // Only a vault's storage configuration, which says whether the vault holds backup items: an
    // inventory lists every item there is, so a vault in it with none of its items holds none.
    "azure-native:resources:getResource": (inv, a) => {
        const storageConfig = same(a.resourceProviderNamespace, "Microsoft.RecoveryServices") && same(a.resourceType, "backupstorageconfig") && same(a.resourceName, "vaultstorageconfig");
        const vaultName = /^vaults\/([^/]+)$/i.exec(String(a.parentResourcePath))?.[1];
        if (!storageConfig || !vaultName) {
            throw invokeFailure(`the offline preview answers azure-native:resources:getResource only for a vault's backupstorageconfig/vaultstorageconfig`);
        }
        const vault = find(inv, "vault", byName("vaults", a.resourceGroupName, vaultName));
        if (!vault) throw notFound(`vault ${a.resourceGroupName}/${vaultName}`, `az backup vault show -g ${a.resourceGroupName} -n ${vaultName}`);
        const holds = resourcesOf(inv, "protectedItem").some((i) => i.id.toLowerCase().startsWith(`${vault.id.toLowerCase()}/`));
        return { id: `${vault.id}/backupstorageconfig/vaultstorageconfig`, name: "vaultstorageconfig", properties: { storageTypeState: holds ? "Locked" : "Unlocked" } };
    },
    "azure:compute/getVirtualMachine:getVirtualMachine": (inv, a) => {
        const vm = find(inv, "vm", byName("virtualMachines", a.resourceGroupName, a.name));
        if (!vm) throw notFound(`virtual machine ${a.resourceGroupName}/${a.name}`, `az vm show -g ${a.resourceGroupName} -n ${a.name}`);
        return { id: vm.id, name: vm.name ?? a.name, resourceGroupName: a.resourceGroupName, location: vm.location, identities: [] };
    },
    "azure:core/getClientConfig:getClientConfig": (inv) => ({ id: inventorySubscription(inv), subscriptionId: inventorySubscription(inv), tenantId: inv.tenantId ?? "", clientId: "", objectId: "" }),
    "azure:core/getResources:getResources": (inv, a) => {
        // The classic provider lists its own subscription only: the inventory's, when it names one.
        const matches = inv.resources.filter(
            (r) =>
                (inv.subscriptionId === undefined || same(subscriptionOf(r.id), inv.subscriptionId)) &&
                (a.type === undefined || same(typeOf(r), a.type)) &&
                (a.name === undefined || same(r.name ?? nameOf(r.id), a.name)) &&
                (a.resourceGroupName === undefined || same(groupOf(r.id), a.resourceGroupName)) &&
                Object.entries((a.requiredTags ?? {}) as Record<string, string>).every(([k, v]) => r.tags?.[k] === v),
        );
        return {
            ...a,
            id: inv.subscriptionId ? `/subscriptions/${inv.subscriptionId}` : "",
            resources: matches.map((r) => ({ id: r.id, name: r.name ?? nameOf(r.id), type: typeOf(r), location: r.location ?? "", resourceGroupName: groupOf(r.id) ?? "", tags: r.tags ?? {} })),
        };
    },
};

export const ANSWERED_INVOKES: readonly string[] = Object.keys(answers);

/** The engine's own invoke that reads a stack's last checkpoint. */
const READ_STACK = "pulumi:pulumi:readStackResourceOutputs";

/** Answers one invoke from the inventory, or fails the way the provider would. */
export function answerInvoke(inventory: Inventory, token: string, args: Record<string, any>): Record<string, any> {
    // Offline there is no stack state: every resource is planned as a create.
    if (token === READ_STACK) return { name: args.stackName, outputs: {} };
    const answer = answers[token];
    if (!answer) {
        throw invokeFailure(
            `the offline preview cannot answer the invoke ${token} from an inventory; it answers ${ANSWERED_INVOKES.join(", ")}. ` +
                `Give the program the value directly, or run a real pulumi preview`,
        );
    }
    return answer(inventory, args);
}
