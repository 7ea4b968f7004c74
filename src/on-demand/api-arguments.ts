// What the on-demand functions accept, as zod schemas, checked before anything else runs: a wrong
// argument is an InvalidArgumentError naming it, the rule and the value received, never a
// TypeError from inside the SDK, and never a request sent with it.
import { z } from "zod";
import { VM_ID_RULE, parseVmId } from "../rules/resource-ids";
import { InvalidArgumentError } from "./backup-operation-error";
import { JOB_STATUSES } from "./job-status";

/** A value as a message shows it: strings quoted, Dates as ISO text, never a throw. */
export function shown(value: unknown): string {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : `Date ${value.toISOString()}`;
    if (typeof value === "function") return "a function";
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "symbol" || value === undefined || (typeof value === "number" && !Number.isFinite(value))) return String(value);
    try {
        const json = JSON.stringify(value);
        return json.length > 120 ? `${json.slice(0, 117)}...` : json;
    } catch {
        return "an object that refers to itself";
    }
}

/** A value that keeps a rule, with the message that names what it must be. */
const kept = <T>(test: (v: unknown) => boolean, rule: string) => z.custom<T>(test, { error: (i) => `${rule}, got ${shown(i.input)}` });

/** An object argument with exactly these keys; the message for anything else says what it must be. */
const shape = (fields: z.ZodRawShape, what: string) =>
    z.strictObject(fields, { error: (i) => (i.code === "invalid_type" ? `must be ${what}, got ${shown(i.input)}` : undefined) });

// setTimeout's bound: a longer wait would fire at once.
const MAX_MS = 2 ** 31 - 1;
const milliseconds = (min: number) =>
    kept<number>((v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= MAX_MS, `must be a whole number of milliseconds from ${min} to ${MAX_MS}`);

const validDate = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(v.getTime());

/** A point in time: a valid Date, or ISO-8601 text with a date ("2026-01-31", "2026-01-31T12:00:00Z"). */
const isInstant = (v: unknown) => validDate(v) || (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)));
const instant = kept<Date | string>(isInstant, "must be a valid Date or ISO-8601 date text");
const instantMs = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(v as string));
/** `to` not before `from`, when both are valid. */
const boundsInOrder = (o: { from?: unknown; to?: unknown } | undefined) => !(o && isInstant(o.from) && isInstant(o.to) && instantMs(o.from) > instantMs(o.to));

/** One segment of an id that goes into a request's path: no "." or "..", nor characters that would change the path. */
const SEGMENT = "(?!\\.\\.?(?:/|$))[^/?#%\\s\\\\]+";
const idOf = (tail: string) => new RegExp(`^/subscriptions/${SEGMENT}/resourceGroups/${SEGMENT}${tail}$`, "i");
const resourceId = (tail: string, what: string) => kept<string>((v) => typeof v === "string" && idOf(tail).test(v), `must be ${what}`);
const RESTORE_POINT_RULE = 'must be "latest", a recovery point id or name, or a valid Date';

const trueOrFalse = kept<boolean>((v) => typeof v === "boolean", "must be true or false");

const abortSignal = kept<AbortSignal>((v) => v instanceof AbortSignal, "must be an AbortSignal").optional();

const clientOptions = shape(
    {
        // Only the kind of a wrong credential is shown: it may be a secret put in the wrong place.
        credential: z
            .custom((v) => typeof v === "object" && v !== null && typeof (v as { getToken?: unknown }).getToken === "function", {
                error: (i) => `must be a TokenCredential (an object with getToken), got ${i.input === null ? "null" : Array.isArray(i.input) ? "a list" : /^[aeiou]/.test(typeof i.input) ? `an ${typeof i.input}` : `a ${typeof i.input}`}`,
            })
            .optional(),
        endpoint: kept<string>((v) => typeof v === "string" && isHttpsUrl(v), "must be an https URL").optional(),
        maxRetries: kept<number>((v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 100, "must be a whole number from 0 to 100").optional(),
        requestTimeoutMs: milliseconds(1).optional(),
        additionalPolicies: z
            .array(
                shape(
                    {
                        policy: kept((v) => typeof v === "object" && v !== null && typeof (v as { sendRequest?: unknown }).sendRequest === "function", "must be a PipelinePolicy (an object with sendRequest)"),
                        position: z.enum(["perCall", "perRetry"], { error: (i) => `must be "perCall" or "perRetry", got ${shown(i.input)}` }),
                    },
                    "{ policy, position }",
                ),
                { error: (i) => `must be a list of { policy, position }, got ${shown(i.input)}` },
            )
            .optional(),
    },
    "an object of client options",
).optional();


/** The options of a call that sends a request starting a job (backupNow, restoreVm). */
const sendOptions = {
    client: clientOptions,
    pollIntervalMs: milliseconds(1).optional(),
    operationTimeoutMs: milliseconds(1).optional(),
    timeoutMs: milliseconds(1).optional(),
    jobListLagMs: milliseconds(0).optional(),
    signal: abortSignal,
};

const SCHEMAS = {
    // The ids themselves are read by azure-ids, which says what each must be.
    target: shape({ vaultId: z.unknown().optional(), vmId: z.unknown().optional() }, "{ vaultId, vmId }"),
    jobRef: shape({ vaultId: z.unknown().optional(), jobId: z.unknown().optional() }, "{ vaultId, jobId }"),
    vault: shape({ vaultId: z.unknown().optional() }, "{ vaultId }"),
    backupNowOptions: shape(
        {
            // resolveRetainUntil reads it, with the reason a date is wrong.
            retainUntil: z.unknown().optional(),
            ...sendOptions,
        },
        "an object of options",
    ).optional(),
    jobOptions: shape({ client: clientOptions, secondaryRegion: trueOrFalse.optional() }, "an object of options").optional(),
    restoredDisksOptions: shape({ client: clientOptions, secondaryRegion: trueOrFalse.optional(), signal: abortSignal }, "an object of options").optional(),
    restoreOptions: shape(
        {
            point: kept<string | Date>(
                (v) => validDate(v) || (typeof v === "string" && (v === "latest" || idOf(`/providers/Microsoft\\.RecoveryServices/vaults/${SEGMENT}(/${SEGMENT})*/recoveryPoints/${SEGMENT}`).test(v) || /^[A-Za-z0-9_-]{1,128}$/.test(v))),
                RESTORE_POINT_RULE,
            ),
            mode: z.enum(["disks", "new-vm", "replace-disks"], { error: (i) => `must be "disks", "new-vm" or "replace-disks", got ${shown(i.input)}` }),
            targetResourceGroupId: resourceId("", "a resource group id, /subscriptions/{subscription}/resourceGroups/{group}").optional(),
            stagingStorageAccountId: resourceId(
                "/providers/Microsoft\\.Storage/storageAccounts/[a-z0-9]{3,24}",
                "a storage account id, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{name}",
            ).optional(),
            virtualNetworkId: resourceId(
                `/providers/Microsoft\\.Network/virtualNetworks/${SEGMENT}`,
                "a virtual network id, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{name}",
            ).optional(),
            subnetName: kept<string>((v) => typeof v === "string" && /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/.test(v), "must be a subnet name (1-80 letters, digits, _ . -)").optional(),
            targetVmName: kept<string>((v) => typeof v === "string" && /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$/.test(v), "must be a VM name (1-64 letters, digits, _ . -, not ending in . or -)").optional(),
            targetZone: z.enum(["1", "2", "3"], { error: (i) => `must be an availability zone, "1", "2" or "3", got ${shown(i.input)}` }).optional(),
            secondaryRegion: trueOrFalse.optional(),
            confirm: kept<string>((v) => typeof v === "string", 'must be the text "replace-disks"').optional(),
            ...sendOptions,
        },
        "an object of options",
    ),
    recoveryPointOptions: shape({ from: instant.optional(), to: instant.optional(), secondaryRegion: trueOrFalse.optional(), client: clientOptions, signal: abortSignal }, "an object of options")
        .refine(boundsInOrder, { path: ["to"], error: (i) => `must not be before from (${shown((i.input as { from: unknown }).from)}), got ${shown((i.input as { to: unknown }).to)}` })
        .optional(),
    waitOptions: shape(
        {
            client: clientOptions,
            secondaryRegion: trueOrFalse.optional(),
            pollIntervalMs: milliseconds(1).optional(),
            timeoutMs: milliseconds(0).optional(),
            onProgress: kept((v) => typeof v === "function", "must be a function").optional(),
            signal: abortSignal,
        },
        "an object of options",
    ).optional(),
    filter: shape(
        {
            status: z.enum(JOB_STATUSES, { error: (i) => `must be one of ${JOB_STATUSES.join(", ")}, got ${shown(i.input)}` }).optional(),
            operation: kept<string>((v) => typeof v === "string" && /^[A-Za-z]+$/.test(v), "must be an operation name such as Backup or Restore").optional(),
            from: kept<Date>(validDate, "must be a valid Date").optional(),
            to: kept<Date>(validDate, "must be a valid Date").optional(),
            vmId: kept<string>((v) => typeof v === "string" && parseVmId(v) !== undefined, VM_ID_RULE).optional(),
        },
        "an object of filters",
    )
        .refine((f) => !(validDate(f.from) && validDate(f.to) && f.from.getTime() > f.to.getTime()), {
            path: ["to"],
            error: (i) => `must not be before from (${shown((i.input as { from: Date }).from)}), got ${shown((i.input as { to: Date }).to)}`,
        })
        .optional(),
    now: kept<Date>(validDate, "must be a valid Date").optional(),
};

/** An https URL, the scheme in any case (URL schemes are case-insensitive). */
export function isHttpsUrl(text: string): boolean {
    try {
        return new URL(text).protocol === "https:";
    } catch {
        return false;
    }
}

/**
 * Checks each argument of a call against its schema, in order, and throws for the first problem
 * found. An argument is named by its parameter (`options`) when it is wrong as a whole, by the
 * key the caller wrote (`retainUntil`, `client.endpoint`) when one of its fields is.
 */
export function checkArguments(...args: [parameter: string, schema: keyof typeof SCHEMAS, value: unknown][]): void {
    for (const [parameter, schema, value] of args) {
        const result = SCHEMAS[schema].safeParse(value);
        if (result.success) continue;
        const issue = result.error.issues[0];
        // As the caller writes it: client.additionalPolicies[0].policy.
        const at = issue.path.map((k, n) => (typeof k === "number" ? `[${k}]` : n === 0 ? String(k) : `.${String(k)}`)).join("");
        if (issue.code === "unrecognized_keys") {
            const owner = at || parameter;
            const accepted = Object.keys(shapeAt(SCHEMAS[schema], issue.path));
            throw new InvalidArgumentError(
                at ? `${at}.${issue.keys[0]}` : issue.keys[0],
                `unknown argument (${owner} takes ${accepted.join(", ")}), got ${shown(valueAt(value, [...issue.path, issue.keys[0]]))}`,
            );
        }
        throw new InvalidArgumentError(at || parameter, issue.message);
    }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined), root);
}

/** The fields of the object schema at `path` inside `schema`, for saying which keys it takes. */
function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodRawShape {
    let s: z.ZodType = schema;
    for (const key of [undefined, ...path]) {
        while (!(s instanceof z.ZodObject)) {
            if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
            else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
            else return {};
        }
        if (key !== undefined && typeof key !== "number") s = s.shape[key as string] as z.ZodType;
    }
    while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    return s instanceof z.ZodObject ? s.shape : {};
}
