// Checks request bodies against Microsoft's REST definitions of Recovery Services vaults and of
// Azure Backup (the swagger 2.0 `definitions` subsets in test/fixtures/azure-rest), by
// turning those definitions into one JSON Schema per file that Ajv compiles in strict mode.
//
// What the translation enforces:
//  * every property a body sends is declared by its definition or one it inherits through
//    `allOf`; anything else is an "unknown property", at every depth (`unevaluatedProperties:
//    false` on every object that is not a map);
//  * a polymorphic definition (one with a `discriminator`) is checked as the concrete definition
//    its discriminator value names (`x-ms-discriminator-value`, or the definition's name when
//    it has none). The definition that declares the discriminator is abstract: its own name is
//    not a value a body may use. An unlisted value is an error;
//  * `readOnly` properties must not be sent: Azure sets them and ignores or refuses them in a
//    request;
//  * `enum`s are closed, including `x-ms-enum` with `modelAsString: true`. Azure treats those as
//    open (a newer service may accept more values), but a value the definitions do not list, or
//    one in the wrong case, is a bug in what this library renders, so here it is an error;
//  * `required`, JSON types, `minimum`/`maximum`, and formats: `date-time`, `duration`,
//    `double` through ajv-formats, `int32`/`int64` as integers in range.
//
// What it deliberately does not do:
//  * accept `null`: Microsoft's examples sometimes send `"x": null` for an absent value, which
//    ARM reads as absent; our renderer never should, so null is a type error (drop nulls from a
//    fixture before checking it);
//  * check `x-ms-mutability` (create-only vs updatable): a body here is always a create;
//  * check what the definitions leave to prose (which retention blocks a schedule needs,
//    ranges written only in descriptions): those are the component rules' business;
//  * know more of the external common-types than the stand-ins below (Resource, ProxyResource,
//    TrackedResource, ErrorAdditionalInfo); any other external `$ref` fails the translation.
import * as fs from "fs";
import * as path from "path";
import Ajv2019, { type ErrorObject, type ValidateFunction } from "ajv/dist/2019";
import addFormats from "ajv-formats";

/** Microsoft's definitions and examples, copied verbatim into the repository (see the README beside them). */
export const DEFINITIONS_DIR = path.join(__dirname, "fixtures", "azure-rest", "specs-definitions");
export const EXAMPLES_DIR = path.join(__dirname, "fixtures", "azure-rest", "specs-examples");

const VAULTS_FILE = "recoveryservices-vaults-2026-08-01.definitions-subset.json";
const BACKUP_FILE = "recoveryservicesbackup-2026-02-01.definitions-subset.json";
const RESTORE_FILE = "recoveryservicesbackup-2026-02-01.restore-definitions-subset.json";

/** The request bodies this module checks, by the definition that describes them. */
export type RequestKind = "Vault" | "ProtectionPolicyResource" | "ProtectedItemResource" | "RestoreRequestResource";

type Swagger = Record<string, any>;
type Schema = Record<string, unknown> | boolean;

/** Custom keyword that marks a property a request must not send. */
const READ_ONLY = "readOnlyInRequest";

// ---------------------------------------------------------------------------------------------
// Stand-ins for the common-types definitions the subsets point at (resource-management v3):
// only what a request body can meet. The ARM envelope fields are read-only.

const COMMON_TYPES: Record<string, Swagger> = {
    Resource: {
        type: "object",
        properties: {
            id: { type: "string", readOnly: true },
            name: { type: "string", readOnly: true },
            type: { type: "string", readOnly: true },
            systemData: { type: "object", readOnly: true, additionalProperties: true },
        },
    },
    ProxyResource: { type: "object", allOf: [{ $ref: "#/definitions/common-types.Resource" }] },
    TrackedResource: {
        type: "object",
        allOf: [{ $ref: "#/definitions/common-types.Resource" }],
        properties: {
            tags: { type: "object", additionalProperties: { type: "string" } },
            location: { type: "string" },
        },
        required: ["location"],
    },
    ErrorAdditionalInfo: {
        type: "object",
        properties: {
            type: { type: "string", readOnly: true },
            info: { type: "object", readOnly: true, additionalProperties: true },
        },
    },
};

const COMMON_TYPES_REF = /^(?:\.\.\/)+common-types\/resource-management\/v3\/types\.json#\/definitions\/([A-Za-z]+)$/;
const LOCAL_REF = /^#\/definitions\/(.+)$/;

/** Formats ajv-formats knows; any other format in a definition fails the translation. */
const FORMATS = new Set(["date-time", "date", "time", "duration", "uri", "uuid", "email", "int32", "int64", "float", "double", "byte"]);

/** Swagger keywords that carry no validation, or that are handled where they occur. */
const IGNORED = new Set(["description", "title", "example", "default", "readOnly", "discriminator", "x-ms-discriminator-value"]);
/** Swagger keywords copied as they are. */
const COPIED = ["minimum", "maximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "required"];

// ---------------------------------------------------------------------------------------------
// Translation of one definitions file

/**
 * Turns the `definitions` of one swagger file into one JSON Schema (draft 2019-09) whose `$defs`
 * hold, for each object definition `N`:
 *  * `N.shape`: N's declared properties and its parents' (through `allOf`), open to more, which
 *    is what a child builds on;
 *  * `N.exact`: `N.shape` closed, with N's discriminator value fixed: a body of exactly type N;
 *  * `N`: what a `$ref` to N accepts: `N.exact`, or, when N is polymorphic, the concrete
 *    definition that the body's discriminator value selects.
 * Other definitions (enums, plain strings) are `N` alone.
 */
export function swaggerToJsonSchema(id: string, definitions: Record<string, Swagger>): Record<string, unknown> {
    const defs: Record<string, Swagger> = { ...definitions };
    for (const [name, def] of Object.entries(COMMON_TYPES)) defs[`common-types.${name}`] = def;

    const refName = (ref: string, where: string): string => {
        const local = LOCAL_REF.exec(ref);
        if (local) {
            if (!(local[1] in defs)) throw new Error(`${where}: $ref to a missing definition ${ref}`);
            return local[1];
        }
        const common = COMMON_TYPES_REF.exec(ref);
        if (common && common[1] in COMMON_TYPES) return `common-types.${common[1]}`;
        throw new Error(`${where}: external $ref ${ref} has no stand-in`);
    };

    const parentsOf = (name: string): string[] =>
        (defs[name].allOf ?? []).map((s: Swagger, i: number) => {
            if (typeof s.$ref !== "string" || Object.keys(s).some((k) => k !== "$ref")) {
                throw new Error(`${name}/allOf/${i}: only $refs are supported in allOf`);
            }
            return refName(s.$ref, `${name}/allOf/${i}`);
        });

    const ancestorsOf = (name: string): string[] => {
        const seen: string[] = [];
        const visit = (n: string) => {
            for (const p of parentsOf(n)) {
                if (!seen.includes(p)) {
                    seen.push(p);
                    visit(p);
                }
            }
        };
        visit(name);
        return seen;
    };

    /** The definition declaring the discriminator N is dispatched on, and its property. */
    const discriminatorOf = (name: string): { root: string; property: string } | undefined => {
        for (const n of [name, ...ancestorsOf(name)]) {
            const d = defs[n].discriminator;
            if (typeof d === "string") return { root: n, property: d };
        }
        return undefined;
    };

    const valueOf = (name: string): string => defs[name]["x-ms-discriminator-value"] ?? name;

    /** The definitions a body typed N may be: N and its descendants, less the abstract root. */
    const concreteTypesOf = (name: string, root: string): string[] =>
        Object.keys(defs).filter((n) => {
            if (n !== name && !ancestorsOf(n).includes(name)) return false;
            return n !== root || defs[n]["x-ms-discriminator-value"] !== undefined;
        });

    const isObjectDefinition = (d: Swagger): boolean => d.type === "object" || d.properties !== undefined || d.allOf !== undefined;

    /** A property's schema: its type, or a refusal when it is read-only. */
    const property = (s: Swagger, where: string): Schema => (s.readOnly === true ? { [READ_ONLY]: true } : convert(s, where));

    /** Any schema other than a definition's own top level. */
    const convert = (s: Swagger, where: string): Schema => {
        if (typeof s.$ref === "string") return { $ref: `#/$defs/${refName(s.$ref, where)}` };
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(s)) {
            if (IGNORED.has(key) || COPIED.includes(key)) continue;
            if (key.startsWith("x-")) {
                if (key === "x-nullable") throw new Error(`${where}: x-nullable is not supported`);
                continue;
            }
            switch (key) {
                case "type":
                    if (!["string", "integer", "number", "boolean", "array", "object"].includes(value)) throw new Error(`${where}: type ${value}`);
                    out.type = value;
                    break;
                case "format":
                    if (!FORMATS.has(value)) throw new Error(`${where}: unsupported format ${value}`);
                    out.format = value;
                    break;
                case "enum":
                    out.enum = value;
                    break;
                case "items":
                    out.items = convert(value, `${where}/items`);
                    break;
                case "properties":
                    out.properties = Object.fromEntries(
                        Object.entries(value as Record<string, Swagger>).map(([p, ps]) => [p, property(ps, `${where}/properties/${p}`)]),
                    );
                    break;
                case "additionalProperties":
                    out.additionalProperties = typeof value === "boolean" ? value : convert(value, `${where}/additionalProperties`);
                    break;
                case "exclusiveMinimum":
                case "exclusiveMaximum":
                    throw new Error(`${where}: ${key} is not supported`);
                default:
                    throw new Error(`${where}: unsupported swagger keyword ${key}`);
            }
        }
        for (const key of COPIED) if (s[key] !== undefined) out[key] = s[key];
        // An inline object that declares its properties is closed, as a definition is.
        if (out.type === "object" && out.properties !== undefined && out.additionalProperties === undefined) out.unevaluatedProperties = false;
        return out;
    };

    const $defs: Record<string, Schema> = {};
    for (const [name, def] of Object.entries(defs)) {
        const where = `#/definitions/${name}`;
        if (!isObjectDefinition(def)) {
            $defs[name] = convert(def, where);
            continue;
        }
        const { allOf: _allOf, ...own } = def;
        const shape = convert({ ...own, type: "object" }, where) as Record<string, unknown>;
        delete shape.unevaluatedProperties;
        const parents = parentsOf(name);
        if (parents.length > 0) shape.allOf = parents.map((p) => ({ $ref: `#/$defs/${p}.shape` }));
        $defs[`${name}.shape`] = shape;

        const discriminator = discriminatorOf(name);
        const exact: Record<string, unknown> = { type: "object", $ref: `#/$defs/${name}.shape` };
        if (discriminator) exact.properties = { [discriminator.property]: { const: valueOf(name) } };
        // A map (additionalProperties) already evaluates every property it holds.
        if (def.additionalProperties === undefined) exact.unevaluatedProperties = false;
        $defs[`${name}.exact`] = exact;

        const types = discriminator ? concreteTypesOf(name, discriminator.root) : [name];
        if (types.length === 1 && types[0] === name) {
            $defs[name] = { $ref: `#/$defs/${name}.exact` };
        } else {
            if (types.length === 0) throw new Error(`${where}: polymorphic, but no concrete definition in this file`);
            const p = discriminator!.property;
            $defs[name] = {
                type: "object",
                required: [p],
                properties: { [p]: { enum: types.map(valueOf) } },
                allOf: types.map((t) => ({
                    if: { type: "object", properties: { [p]: { const: valueOf(t) } }, required: [p] },
                    then: { $ref: `#/$defs/${t}.exact` },
                })),
            };
        }
    }
    return { $id: id, $defs };
}

// ---------------------------------------------------------------------------------------------
// The validator

const SCHEMA_IDS = { vaults: "azure-rest:recoveryservices-vaults", backup: "azure-rest:recoveryservicesbackup", restore: "azure-rest:recoveryservicesbackup-restore" } as const;

const ROOTS: Record<RequestKind, string> = {
    Vault: `${SCHEMA_IDS.vaults}#/$defs/Vault`,
    ProtectionPolicyResource: `${SCHEMA_IDS.backup}#/$defs/ProtectionPolicyResource`,
    ProtectedItemResource: `${SCHEMA_IDS.backup}#/$defs/ProtectedItemResource`,
    RestoreRequestResource: `${SCHEMA_IDS.restore}#/$defs/RestoreRequestResource`,
};

function readDefinitions(file: string): Record<string, Swagger> {
    const full = path.join(DEFINITIONS_DIR, file);
    if (!fs.existsSync(full)) {
        throw new Error(`Microsoft's REST definitions are missing: ${full} (test/fixtures/azure-rest is part of the repository)`);
    }
    return JSON.parse(fs.readFileSync(full, "utf8")).definitions;
}

let ajv: Ajv2019 | undefined;

/** One strict Ajv holding both translated files. */
export function restSchemas(): Ajv2019 {
    if (ajv) return ajv;
    const a = new Ajv2019({ strict: true, allErrors: true, verbose: true });
    addFormats(a);
    a.addKeyword({ keyword: READ_ONLY, schemaType: "boolean", validate: (forbidden: boolean) => !forbidden, errors: false });
    a.addSchema(swaggerToJsonSchema(SCHEMA_IDS.vaults, readDefinitions(VAULTS_FILE)));
    a.addSchema(swaggerToJsonSchema(SCHEMA_IDS.backup, readDefinitions(BACKUP_FILE)));
    a.addSchema(swaggerToJsonSchema(SCHEMA_IDS.restore, readDefinitions(RESTORE_FILE)));
    ajv = a;
    return a;
}

/** The compiled check of every definition in both files, by `file:definition`; compiling proves the translation is strict-clean. */
export function compileEveryDefinition(): string[] {
    const a = restSchemas();
    const compiled: string[] = [];
    for (const [key, file] of [["vaults", VAULTS_FILE], ["backup", BACKUP_FILE]] as const) {
        for (const name of Object.keys(readDefinitions(file))) {
            const validate = a.getSchema(`${SCHEMA_IDS[key]}#/$defs/${name}`);
            if (!validate) throw new Error(`no schema for ${key}:${name}`);
            compiled.push(`${key}:${name}`);
        }
    }
    return compiled;
}

const validators = new Map<RequestKind, ValidateFunction>();

function show(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value);
    if (value === null || typeof value !== "object") return String(value);
    return Array.isArray(value) ? "an array" : "an object";
}

function line(e: ErrorObject): string | undefined {
    const at = e.instancePath === "" ? "/" : e.instancePath;
    const under = (p: string) => `${e.instancePath}/${p}`;
    switch (e.keyword) {
        case "if":
            return undefined; // the failing `then` reports the real problem
        case "unevaluatedProperties":
            return `${under(e.params.unevaluatedProperty)}: unknown property`;
        case "required":
            return `${under(e.params.missingProperty)}: missing required property`;
        case READ_ONLY:
            return `${at}: read-only property, set by Azure; a request must not send it`;
        case "enum":
            return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${show(e.data)}`;
        case "const":
            return `${at}: must be ${JSON.stringify(e.params.allowedValue)}, got ${show(e.data)}`;
        case "type":
            return `${at}: must be ${e.params.type}, got ${e.data === null ? "null" : `${typeof e.data === "object" ? "" : `${typeof e.data} `}${show(e.data)}`}`;
        case "format":
            return `${at}: must be a valid ${e.params.format}, got ${show(e.data)}`;
        default:
            return `${at}: ${e.message}, got ${show(e.data)}`;
    }
}

/**
 * Checks a request body against Microsoft's definition of `kind`. Returns one readable line per
 * problem, sorted (`/properties/schedulePolicy/scheduleRunTime: unknown property`); none when
 * the body is valid.
 */
export function validateRequestBody(kind: RequestKind, body: unknown): string[] {
    let validate = validators.get(kind);
    if (!validate) {
        validate = restSchemas().getSchema(ROOTS[kind]);
        if (!validate) throw new Error(`no schema for ${kind}`);
        validators.set(kind, validate);
    }
    if (validate(body)) return [];
    const errors = validate.errors ?? [];
    // A value of the wrong type also fails its format (4.5 is no int32): say it once.
    const wrongType = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
    const lines = errors
        .filter((e) => !(e.keyword === "format" && wrongType.has(e.instancePath)))
        .map(line)
        .filter((l): l is string => l !== undefined);
    return [...new Set(lines)].sort();
}

// ---------------------------------------------------------------------------------------------
// From azure-native inputs to the REST request body

interface ResourceMapping {
    readonly kind: RequestKind;
    /** Inputs that name the resource in the request URL, not in its body. */
    readonly pathParameters: readonly string[];
}

/** The azure-native resources this library registers, and how their inputs map to a PUT body. */
export const AZURE_NATIVE_RESOURCES: Readonly<Record<string, ResourceMapping>> = {
    "azure-native:recoveryservices:Vault": { kind: "Vault", pathParameters: ["resourceGroupName", "vaultName"] },
    "azure-native:recoveryservices:ProtectionPolicy": {
        kind: "ProtectionPolicyResource",
        pathParameters: ["resourceGroupName", "vaultName", "policyName"],
    },
    "azure-native:recoveryservices:ProtectedItem": {
        kind: "ProtectedItemResource",
        pathParameters: ["resourceGroupName", "vaultName", "fabricName", "containerName", "protectedItemName"],
    },
};

/**
 * The PUT body azure-native sends for a resource registered with `inputs`: the inputs less the
 * URL's path parameters. Input names equal the REST names for these three resources; the one
 * shape that differs is `identity.userAssignedIdentities`, a list of ids in azure-native and a
 * map from id to identity in REST, which the provider converts and so is converted here.
 */
export function requestBody(type: string, inputs: Record<string, unknown>): { kind: RequestKind; body: Record<string, unknown> } {
    const mapping = AZURE_NATIVE_RESOURCES[type];
    if (!mapping) throw new Error(`no REST mapping for ${type}`);
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(inputs)) {
        if (!mapping.pathParameters.includes(key) && value !== undefined) body[key] = value;
    }
    const identity = body.identity as { userAssignedIdentities?: unknown } | undefined;
    if (identity && Array.isArray(identity.userAssignedIdentities)) {
        body.identity = { ...identity, userAssignedIdentities: Object.fromEntries(identity.userAssignedIdentities.map((id) => [id, {}])) };
    }
    return { kind: mapping.kind, body };
}

/** Problems of a registered azure-native resource's body, each line prefixed with the resource's type and name. */
export function validateRegistered(resource: { type: string; name: string; inputs: Record<string, unknown> }): string[] {
    const { kind, body } = requestBody(resource.type, resource.inputs);
    return validateRequestBody(kind, body).map((l) => `${resource.type} "${resource.name}": ${l}`);
}
