// A Pulumi program on disk, as the Node.js language host finds it: Pulumi.yaml names the
// project and its entry file; Pulumi.<stack>.yaml and the project's config defaults give config.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { UsageError } from "../usage-error";

export interface PulumiProgram {
    /** Project name from Pulumi.yaml. */
    project: string;
    stack: string;
    /** Directory holding Pulumi.yaml. */
    dir: string;
    /** The entry file the language host would run. */
    main: string;
    /** The tsconfig.json named by Pulumi.yaml's `runtime.options.tsconfig`, as the language host reads it. */
    tsconfig?: string;
    /** Config as "project:key" → string value, stack file over project defaults. */
    config: Record<string, string>;
    /** Config keys that hold secrets. */
    secretKeys: string[];
}

/**
 * How many values a project or stack file may expand to. YAML aliases share one node, so a
 * few lines of anchors can stand for billions of values (or a cycle) once config is copied out.
 */
const MAX_VALUES = 10_000;

/** Whether walking `value` (aliases followed, as copying it would) meets more than `budget` values. */
function expandsBeyond(value: unknown, budget: number): boolean {
    // Iterative: a cycle is as deep as the budget.
    const pending = [value];
    for (let seen = 0; pending.length > 0; seen++) {
        if (seen >= budget) return true;
        const v = pending.pop();
        if (v !== null && typeof v === "object") for (const child of Object.values(v)) pending.push(child);
    }
    return false;
}

function describe(value: unknown): string {
    return Array.isArray(value) ? "a list" : value === null ? "null" : typeof value === "object" ? "a map" : `${typeof value} ${JSON.stringify(value)}`;
}

function readYaml(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    let doc: unknown;
    try {
        doc = yaml.load(text, { filename: file });
    } catch (err) {
        throw new UsageError(`cannot parse ${file}: ${(err as Error).message}`);
    }
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`cannot parse ${file}: expected a map at the top level, got ${describe(doc)}`);
    if (expandsBeyond(doc, MAX_VALUES)) {
        throw new UsageError(`${file}: expands to more than ${MAX_VALUES} values (YAML aliases that repeat or contain each other?); refused`);
    }
    return doc as Record<string, unknown>;
}

/** The `config:` section of a project or stack file: a map of keys, or nothing. */
function configSection(file: string, doc: Record<string, unknown>): Record<string, unknown> {
    const config = doc.config;
    if (config === undefined || config === null) return {};
    if (typeof config !== "object" || Array.isArray(config)) throw new UsageError(`${file}: "config" must be a map of keys to values, got ${describe(config)}`);
    return config as Record<string, unknown>;
}

/** The entry file for `main` (a file, or a directory holding index.ts/index.js or a package.json main). */
function entryFile(dir: string, main: string | undefined): string {
    const base = path.resolve(dir, main ?? ".");
    const candidates = [base, `${base}.ts`, `${base}.js`];
    if (fs.existsSync(base) && fs.statSync(base).isDirectory()) {
        const pkg = path.join(base, "package.json");
        if (main === undefined && fs.existsSync(pkg)) {
            const pkgMain = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { main?: string }).main;
            if (pkgMain) candidates.unshift(path.resolve(base, pkgMain));
        }
        candidates.unshift(path.join(base, "index.ts"), path.join(base, "index.js"));
    }
    const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (!found) throw new UsageError(`cannot find the program's entry file: ${main ? `main "${main}"` : "index.ts or index.js"} in ${dir}`);
    return found;
}

function stringValue(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** The stack a preview uses when none is named; like a stack with no config set, it needs no file. */
export const DEFAULT_STACK = "dev";

/**
 * Reads the program in `dir` (the directory holding Pulumi.yaml). `stackFileRequired` is for a
 * stack the user named: offline, its Pulumi.<stack>.yaml is all there is to know it by.
 */
export function readProgram(dir: string, stack: string = DEFAULT_STACK, options: { stackFileRequired?: boolean } = {}): PulumiProgram {
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) throw new UsageError(`no Pulumi.yaml in ${path.resolve(dir)}`);
    const doc = readYaml(projectFile);
    const project = doc.name;
    if (typeof project !== "string" || project === "") throw new UsageError(`${projectFile}: "name" must be the project's name`);
    const runtime = typeof doc.runtime === "object" && doc.runtime !== null ? (doc.runtime as { name?: unknown }).name : doc.runtime;
    if (runtime !== "nodejs") throw new UsageError(`${projectFile}: runtime must be nodejs, got ${JSON.stringify(runtime)}`);
    if (doc.main !== undefined && typeof doc.main !== "string") throw new UsageError(`${projectFile}: "main" must be a path`);
    const tsconfig = tsconfigOption(projectFile, doc.runtime);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const key = (k: string) => (k.includes(":") ? k : `${project}:${k}`);
    // Project-level defaults: `config: { key: { default: ... } }` or `config: { key: value }`.
    const defaults = configSection(projectFile, doc);
    for (const [k, v] of Object.entries(defaults)) {
        const value = typeof v === "object" && v !== null && !Array.isArray(v) ? (v as { default?: unknown; value?: unknown }).default ?? (v as { value?: unknown }).value : v;
        if (value !== undefined) config[key(k)] = stringValue(value);
    }
    // `org/project/stack` names the same stack as its last part, whose file is Pulumi.<stack>.yaml.
    const stackName = stack.split("/").pop()!;
    if (!/^[A-Za-z0-9_.-]+$/.test(stackName)) throw new UsageError(`--stack: must be a stack name (letters, digits, "-", "_", "."), got ${JSON.stringify(stack)}`);
    const stackFile = path.join(dir, `Pulumi.${stackName}.yaml`);
    if (options.stackFileRequired && !fs.existsSync(stackFile)) {
        throw new UsageError(
            `--stack ${stack}: no Pulumi.${stackName}.yaml in ${path.resolve(dir)}, so the stack's config is unknown; for a stack with no config, create the file empty`,
        );
    }
    if (fs.existsSync(stackFile)) {
        const values = configSection(stackFile, readYaml(stackFile));
        for (const [k, v] of Object.entries(values)) {
            if (typeof v === "object" && v !== null && "secure" in v) {
                // Encrypted values cannot be read offline; the program sees a placeholder secret.
                config[key(k)] = "[secret]";
                secretKeys.push(key(k));
            } else {
                config[key(k)] = stringValue(v);
            }
        }
    }
    return { project, stack: stackName, dir: path.resolve(dir), main: entryFile(dir, doc.main as string | undefined), ...(tsconfig ? { tsconfig } : {}), config, secretKeys };
}

/** `runtime.options.tsconfig`: the language host runs TypeScript with that file in place of ./tsconfig.json. */
function tsconfigOption(projectFile: string, runtime: unknown): string | undefined {
    const options = typeof runtime === "object" && runtime !== null ? (runtime as { options?: unknown }).options : undefined;
    const value = typeof options === "object" && options !== null ? (options as { tsconfig?: unknown }).tsconfig : undefined;
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value === "") throw new UsageError(`${projectFile}: "runtime.options.tsconfig" must be the path of a tsconfig file, got ${describe(value)}`);
    const file = path.resolve(path.dirname(projectFile), value);
    if (!fs.existsSync(file)) throw new UsageError(`${projectFile}: "runtime.options.tsconfig" names ${value}, which does not exist`);
    return file;
}

/** The URN of the program's stack resource, the parent of its top-level resources. */
export function stackUrn(program: Pick<PulumiProgram, "project" | "stack">): string {
    return `urn:pulumi:${program.stack}::${program.project}::pulumi:pulumi:Stack::${program.project}-${program.stack}`;
}
