// The multi-language examples checked against the committed schema.json, without the Pulumi CLI:
// the YAML program's resources, inputs and `${...}` references, and the arguments the Python
// program gives the SDK `pulumi package add` generates.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

const ROOT = path.join(__dirname, "..");
const EXAMPLES = path.join(ROOT, "examples", "multi-language");
const YAML_DIR = path.join(EXAMPLES, "yaml");
const PYTHON_DIR = path.join(EXAMPLES, "python");

interface SchemaProperty {
    type?: string;
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    plain?: boolean;
}
interface SchemaType {
    type: string;
    enum?: { name: string; value: unknown }[];
    properties?: Record<string, SchemaProperty>;
    required?: string[];
}
interface SchemaResource {
    inputProperties: Record<string, SchemaProperty>;
    requiredInputs: string[];
    properties: Record<string, SchemaProperty>;
}
interface Schema {
    name: string;
    resources: Record<string, SchemaResource>;
    types: Record<string, SchemaType>;
}

interface YamlResource {
    type: string;
    properties?: Record<string, unknown>;
}
interface YamlProgram {
    name: string;
    runtime: unknown;
    packages?: Record<string, unknown>;
    config?: Record<string, { default?: unknown }>;
    variables?: Record<string, unknown>;
    resources?: Record<string, YamlResource>;
    outputs?: Record<string, unknown>;
}

const schema: Schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8"));
const TOKEN_PREFIX = `${schema.name}:`;
const token = (component: string) => `${schema.name}:index:${component}`;

const readProgram = () => yaml.load(fs.readFileSync(path.join(YAML_DIR, "Pulumi.yaml"), "utf8")) as YamlProgram;
const copy = <T>(v: T): T => structuredClone(v);

/** Every string in a value, with its path ("outputs.vmIds[0]"). */
function strings(value: unknown, at: string): [string, string][] {
    if (typeof value === "string") return [[at, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
    if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
    return [];
}

/** The expressions of a string's `${...}` interpolations. */
const interpolations = (s: string) => [...s.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);

function typeNamed(ref: string): SchemaType | undefined {
    return schema.types[ref.replace(/^#\/types\//, "")];
}

/** What is wrong with one value given for a schema property, each problem as "path: reason". */
function valueProblems(property: SchemaProperty, value: unknown, at: string): string[] {
    if (typeof value === "string" && interpolations(value).length > 0) {
        // Known only when the program runs; but a plain input cannot wait for another resource.
        const outputs = interpolations(value).filter((e) => e.includes("."));
        return property.plain && outputs.length > 0 ? [`${at}: is a plain input and cannot take the output \${${outputs[0]}}`] : [];
    }
    if (property.$ref) {
        const type = typeNamed(property.$ref);
        if (!type) return [`${at}: the schema has no type ${property.$ref}`];
        if (type.enum) {
            const values = type.enum.map((e) => e.value);
            return values.includes(value) ? [] : [`${at}: must be one of ${values.join(", ")}, got ${JSON.stringify(value)}`];
        }
        return objectProblems(type.properties ?? {}, type.required ?? [], value, at);
    }
    switch (property.type) {
        case "array":
            return Array.isArray(value) ? value.flatMap((v, i) => valueProblems(property.items ?? {}, v, `${at}[${i}]`)) : [`${at}: must be a list, got ${JSON.stringify(value)}`];
        case "object":
            if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: must be a map, got ${JSON.stringify(value)}`];
            return Object.entries(value).flatMap(([k, v]) => valueProblems(property.additionalProperties ?? {}, v, `${at}.${k}`));
        case "string":
        case "number":
        case "boolean":
            return typeof value === property.type ? [] : [`${at}: must be a ${property.type}, got ${JSON.stringify(value)}`];
        default:
            return [];
    }
}

function objectProblems(properties: Record<string, SchemaProperty>, required: string[], value: unknown, at: string): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: must be an object, got ${JSON.stringify(value)}`];
    const given = value as Record<string, unknown>;
    return [
        ...Object.keys(given)
            .filter((k) => !(k in properties))
            .map((k) => `${at}.${k}: not an input the schema lists`),
        ...required.filter((k) => !(k in given)).map((k) => `${at}: lacks the required input ${k}`),
        ...Object.entries(given)
            .filter(([k]) => k in properties)
            .flatMap(([k, v]) => valueProblems(properties[k], v, `${at}.${k}`)),
    ];
}

/** Everything in a YAML program that disagrees with the package's schema, as "path: reason". */
function yamlProblems(program: YamlProgram): string[] {
    const resources = program.resources ?? {};
    const problems: string[] = [];
    for (const [name, resource] of Object.entries(resources)) {
        if (!resource.type.startsWith(TOKEN_PREFIX)) continue;
        const at = `resources.${name}`;
        const declared = schema.resources[resource.type];
        if (!declared) {
            problems.push(`${at}.type: the schema has no resource ${resource.type}`);
            continue;
        }
        problems.push(...objectProblems(declared.inputProperties, declared.requiredInputs, resource.properties ?? {}, `${at}.properties`));
    }
    const named = new Set([...Object.keys(program.config ?? {}), ...Object.keys(program.variables ?? {}), ...Object.keys(resources)]);
    const expressions = strings({ variables: program.variables, resources, outputs: program.outputs }, "").flatMap(([at, s]) => interpolations(s).map((e) => [at.slice(1), e]));
    for (const [at, expression] of expressions) {
        const [head, output] = expression.split(".");
        if (output === undefined) {
            if (!named.has(head)) problems.push(`${at}: \${${expression}} names nothing the program declares`);
            continue;
        }
        const resource = resources[head];
        if (!resource) problems.push(`${at}: \${${expression}} names no resource of the program`);
        else if (resource.type.startsWith(TOKEN_PREFIX) && !schema.resources[resource.type]?.properties[output]) {
            problems.push(`${at}: \${${expression}}: ${resource.type} has no output ${output}`);
        }
    }
    return problems;
}

describe("examples/multi-language/yaml", () => {
    const program = readProgram();

    test("is the quickstart's walkthrough in Pulumi YAML: a vault, the default policy, the quickstart's two VMs protected", () => {
        expect(program.runtime).toBe("yaml");
        expect(Object.entries(program.resources ?? {}).map(([name, r]) => `${name}: ${r.type}`)).toEqual([
            `vault: ${token("BackupVault")}`,
            `daily: ${token("VmBackupPolicy")}`,
            `web: ${token("ProtectedVm")}`,
            `db: ${token("ProtectedVm")}`,
        ]);
        const r = program.resources!;
        expect(r.daily.properties).toEqual({ vaultId: "${vault.vaultId}", preset: "Default" });
        expect(r.web.properties).toEqual({ policyId: "${daily.policyId}", vmId: "${vms}/vm-web" });
        expect(r.db.properties).toEqual({ policyId: "${daily.policyId}", vmId: "${vms}/vm-db" });
        expect(program.variables?.vms).toBe("/subscriptions/${subscriptionId}/resourceGroups/rg-backup-quickstart/providers/Microsoft.Compute/virtualMachines");

        // The same group, vault, VM names and region as the TypeScript quickstart, so one inventory serves both.
        const quickstart = fs.readFileSync(path.join(ROOT, "examples", "quickstart", "index.ts"), "utf8");
        const quickstartProject = yaml.load(fs.readFileSync(path.join(ROOT, "examples", "quickstart", "Pulumi.yaml"), "utf8")) as YamlProgram;
        expect(quickstart).toContain(`resourceGroupName: "${r.vault.properties!.resourceGroupName}"`);
        expect(quickstart).toContain(`vaultName: "${r.vault.properties!.vaultName}"`);
        expect(quickstart).toContain(`VmBackupPolicy.default("daily", vault)`);
        for (const vm of ["vm-web", "vm-db"]) expect(quickstart).toContain(`linuxVm("${vm}")`);
        expect(r.vault.properties!.location).toBe("${location}");
        expect(program.config?.location?.default).toBe(quickstartProject.config?.location?.default);
    });

    test("adds this repository as the azure-vm-backup package, as `pulumi package add ../../..` records it", () => {
        const source = program.packages?.[schema.name];
        expect(source).toBe("../../..");
        expect(path.resolve(YAML_DIR, source as string)).toBe(ROOT);
        expect(fs.existsSync(path.join(ROOT, "PulumiPlugin.yaml"))).toBe(true);
    });

    test("exports vaultId with vmIds, which `azure-vm-backup backup-now --from-stack` reads, and the policy and protected items", () => {
        expect(program.outputs).toEqual({
            vaultId: "${vault.vaultId}",
            policyId: "${daily.policyId}",
            vmIds: ["${web.vmId}", "${db.vmId}"],
            protectedItemIds: ["${web.protectedItemId}", "${db.protectedItemId}"],
        });
    });

    test("every component, input, enum value and reference agrees with schema.json", () => {
        expect(yamlProblems(program)).toEqual([]);

        // The check itself: a policy given an input its schema lacks, and a reference to an output no component has.
        const broken = copy(program);
        broken.resources!.daily.properties!.vault = "${vault.id}";
        expect(yamlProblems(broken)).toEqual([
            "resources.daily.properties.vault: not an input the schema lists",
            `resources.daily.properties.vault: \${vault.id}: ${token("BackupVault")} has no output id`,
        ]);
    });

    test.each<[string, (p: YamlProgram) => void, string[]]>([
        [
            "a component the schema lacks, and the references to its outputs",
            (p) => (p.resources!.vault.type = token("RecoveryVault")),
            [
                `resources.vault.type: the schema has no resource ${token("RecoveryVault")}`,
                `resources.daily.properties.vaultId: \${vault.vaultId}: ${token("RecoveryVault")} has no output vaultId`,
                `outputs.vaultId: \${vault.vaultId}: ${token("RecoveryVault")} has no output vaultId`,
            ],
        ],
        ["a required input left out", (p) => delete p.resources!.web.properties!.vmId, ["resources.web.properties: lacks the required input vmId"]],
        [
            "a preset that is not among the enum's values",
            (p) => (p.resources!.daily.properties!.preset = "Daily"),
            ["resources.daily.properties.preset: must be one of Default, EnhancedEvery4Hours10YearRetention, DailyWeeklyMonthlyYearly7YearRetention, got \"Daily\""],
        ],
        ["an enum value spelled in another case", (p) => (p.resources!.web.properties!.onDelete = "Retain"), ['resources.web.properties.onDelete: must be one of retain, delete, got "Retain"']],
        ["a number where the schema wants a string", (p) => (p.resources!.vault.properties!.vaultName = 7), ["resources.vault.properties.vaultName: must be a string, got 7"]],
        ["an unknown field inside an object input", (p) => (p.resources!.vault.properties!.softDelete = { state: "Enabled", days: 14 }), ["resources.vault.properties.softDelete.days: not an input the schema lists"]],
        ["a plain input given another resource's output", (p) => (p.resources!.vault.properties!.location = "${daily.policyName}"), ["resources.vault.properties.location: is a plain input and cannot take the output ${daily.policyName}"]],
        ["a reference to a resource not declared", (p) => (p.outputs!.policyId = "${policy.policyId}"), ["outputs.policyId: ${policy.policyId} names no resource of the program"]],
        ["a variable not declared", (p) => (p.resources!.db.properties!.vmId = "${vmPrefix}/vm-db"), ["resources.db.properties.vmId: ${vmPrefix} names nothing the program declares"]],
        ["an output of another component", (p) => ((p.outputs!.vmIds as string[])[1] = "${db.policyId}"), [`outputs.vmIds[1]: \${db.policyId}: ${token("ProtectedVm")} has no output policyId`]],
    ])("the check finds %s", (_what, mutate, expected) => {
        const broken = copy(program);
        mutate(broken);
        expect(yamlProblems(broken)).toEqual(expected);
    });
});

// -------------------------------------------------------------------------------------------

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The keywords of the call whose parenthesis is at `open`: its top-level arguments, quotes and nested brackets respected. */
function callKeywords(source: string, open: number): string[] {
    const args: string[] = [];
    let depth = 0;
    let quote: string | undefined;
    let start = open + 1;
    for (let i = open; i < source.length; i++) {
        const c = source[i];
        if (quote) {
            if (c === quote && source[i - 1] !== "\\") quote = undefined;
        } else if (c === '"' || c === "'") quote = c;
        else if ("([{".includes(c)) depth++;
        else if (")]}".includes(c) && --depth === 0) {
            args.push(source.slice(start, i));
            return args.flatMap((a) => /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(a)?.[1] ?? []);
        } else if (c === "," && depth === 1) {
            args.push(source.slice(start, i));
            start = i + 1;
        }
    }
    throw new Error(`unclosed call at ${open}`);
}

/** Everything in the Python program that the generated SDK would not have, as "where: reason". */
function pythonProblems(source: string, module = "backup"): string[] {
    const problems: string[] = [];
    for (const call of source.matchAll(new RegExp(`\\b${module}\\.([A-Z]\\w*)\\(`, "g"))) {
        const name = call[1];
        const resource = schema.resources[token(name)];
        if (!resource) {
            problems.push(`${module}.${name}: the schema has no resource ${token(name)}`);
            continue;
        }
        const given = callKeywords(source, call.index! + call[0].length - 1).map(camel);
        for (const k of given) if (!(k in resource.inputProperties)) problems.push(`${module}.${name}: ${k} is not an input the schema lists`);
        for (const k of resource.requiredInputs) if (!given.includes(k)) problems.push(`${module}.${name}: lacks the required input ${k}`);
    }
    for (const member of source.matchAll(new RegExp(`\\b${module}\\.([A-Z]\\w*)\\.([A-Z][A-Z0-9_]*)\\b`, "g"))) {
        const [, typeName, memberName] = member;
        const type = schema.types[token(typeName)];
        if (!type?.enum) problems.push(`${module}.${typeName}: the schema has no enum ${token(typeName)}`);
        // The SDK spells each enum name in upper snake case: compare without the underscores.
        else if (!type.enum.some((e) => e.name.toUpperCase() === memberName.replace(/_/g, ""))) problems.push(`${module}.${typeName}.${memberName}: not a member of the enum`);
    }
    const outputs = new Set(Object.values(schema.resources).flatMap((r) => Object.keys(r.properties)));
    for (const read of source.matchAll(/\b[a-z_]\w*\.([a-z][a-z0-9]*(?:_[a-z0-9]+)*_id)\b/g)) {
        if (!outputs.has(camel(read[1]))) problems.push(`${read[0]}: no component has the output ${camel(read[1])}`);
    }
    return problems;
}

describe("examples/multi-language/python", () => {
    const source = fs.readFileSync(path.join(PYTHON_DIR, "__main__.py"), "utf8");

    test("declares the same walkthrough with the generated SDK, and says the package must be added first", () => {
        expect(source).toMatch(/^import pulumi_azure_vm_backup as backup$/m);
        expect(source).toContain("pulumi package add ../../..");
        expect([...source.matchAll(/\bbackup\.([A-Z]\w*)\(\s*"?(\w+)"?/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(["BackupVault vault", "VmBackupPolicy daily", "ProtectedVm name"]);
        expect(source).toContain('for name in ("web", "db")');
        expect(source).toContain('GROUP = "rg-backup-quickstart"');
        expect(source).toContain('vault_name="rsv-backup-quickstart"');
        const project = yaml.load(fs.readFileSync(path.join(PYTHON_DIR, "Pulumi.yaml"), "utf8")) as YamlProgram;
        expect(project.runtime).toMatchObject({ name: "python" });
        expect([...source.matchAll(/pulumi\.export\("(\w+)"/g)].map((m) => m[1])).toEqual(Object.keys(readProgram().outputs ?? {}));
    });

    test("gives only inputs the schema has, every required one, and enum members it defines", () => {
        expect(pythonProblems(source)).toEqual([]);

        const broken = source
            .replace("policy_id=policy.policy_id", "policy=policy")
            .replace("PolicyPreset.DEFAULT", "PolicyPreset.DAILY")
            .replace("p.protected_item_id", "p.item_id");
        expect(pythonProblems(broken)).toEqual([
            "backup.ProtectedVm: policy is not an input the schema lists",
            "backup.ProtectedVm: lacks the required input policyId",
            "backup.PolicyPreset.DAILY: not a member of the enum",
            "p.item_id: no component has the output itemId",
        ]);
    });
});
