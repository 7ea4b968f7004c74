// What an inventory file must hold, field by field where the preview reads it: a field of the
// wrong type is named with its place in the file, not met later as a TypeError in a rule.
import { z } from "zod";

// The Azure CLI prints null for what is not set: every field the preview reads may be null.
const text = z.string().nullish();
const flag = z.boolean().nullish();
const count = z.number().nullish();
const object = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape).nullish();

const ARM_ID = /^\/(subscriptions|providers)\//i;

const base = {
    id: z.string().regex(ARM_ID, { error: (iss) => `must be an Azure resource ID (/subscriptions/.../providers/...), got ${shown(iss.input)}` }),
    name: text,
    type: text,
    location: text,
    tags: z.record(z.string(), z.string().nullable()).nullish(),
    properties: object({}),
};

const managedDisk = object({ managedDisk: object({ storageAccountType: text }) });

// The Azure CLI lifts a VM's settings to the top level; Resource Manager keeps them under `properties`.
const vmSettings = {
    storageProfile: object({ osDisk: managedDisk, dataDisks: z.array(managedDisk).nullish() }),
    securityProfile: object({ securityType: text }),
    osProfile: object({ windowsConfiguration: object({ provisionVMAgent: flag, provisionVmAgent: flag }) }),
    additionalCapabilities: object({ ultraSSDEnabled: flag, ultraSsdEnabled: flag }),
};

/** The fields each kind of resource is read for; a resource of another kind needs only an id. */
export const resourceSchemas = {
    vm: z.looseObject({ ...base, ...vmSettings, location: z.string(), properties: object(vmSettings) }),
    vault: z.looseObject({
        ...base,
        location: z.string(),
        properties: object({
            redundancySettings: object({ standardTierStorageRedundancy: text, crossRegionRestore: text }),
            securitySettings: object({
                softDeleteSettings: object({ softDeleteState: text, softDeleteRetentionPeriodInDays: count }),
                immutabilitySettings: object({ state: text }),
            }),
        }),
    }),
    policy: z.looseObject({ ...base, properties: object({ backupManagementType: text, policyType: text, protectedItemsCount: count }) }),
    protectedItem: z.looseObject({
        ...base,
        properties: object({
            sourceResourceId: text,
            virtualMachineId: text,
            policyId: text,
            protectionState: text,
            isScheduledForDeferredDelete: flag,
            deferredDeleteTimeInUTC: text,
            deferredDeleteTimeInUtc: text,
        }),
    }),
    other: z.looseObject(base),
};

/** The file: a plain array of resources, or the object form. Entries may be arrays (one per `az ... list`). */
export const fileSchema = z.strictObject({
    subscriptionId: z.string().min(1).optional(),
    tenantId: z.string().optional(),
    resources: z.array(z.unknown()).default([]),
});

function shown(value: unknown): string {
    if (value === undefined) return "nothing";
    if (Array.isArray(value)) return "a list";
    if (value !== null && typeof value === "object") return "an object";
    return JSON.stringify(value);
}

const ARTICLE: Record<string, string> = { object: "an object", array: "a list", string: "a string", number: "a number", boolean: "true or false", record: "an object" };

/** Issue messages that say what was expected and what was found. */
export function issueMessage(iss: z.core.$ZodRawIssue): string | undefined {
    if (iss.code === "invalid_type") return `must be ${ARTICLE[iss.expected] ?? iss.expected}, got ${shown(iss.input)}`;
    if (iss.code === "unrecognized_keys") return `has unknown key${iss.keys.length === 1 ? "" : "s"} ${iss.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    if (iss.code === "too_small" && iss.origin === "string") return "must not be empty";
    return undefined;
}

/** `resources[3].properties.policyId` from a path of keys and indexes. */
export function pathText(path: readonly PropertyKey[]): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `${i === 0 ? "" : "."}${String(p)}` : `[${JSON.stringify(String(p))}]`)).join("");
}
