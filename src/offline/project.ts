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
    /** Config as "project:key" → string value, stack file over project defaults. */
    config: Record<string, string>;
    /** Config keys that hold secrets. */
    secretKeys: string[];
}

function readYaml(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    try {
        const doc = yaml.load(text);
        if (doc === null || doc === undefined) return {};
        if (typeof doc !== "object" || Array.isArray(doc)) throw new Error("expected a mapping at the top level");
        return doc as Record<string, unknown>;
    } catch (err) {
        throw new UsageError(`cannot parse ${file}: ${(err as Error).message}`);
    }
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

/** Reads the program in `dir` (the directory holding Pulumi.yaml). */
export function readProgram(dir: string, stack: string): PulumiProgram {
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) throw new UsageError(`no Pulumi.yaml in ${path.resolve(dir)}`);
    const doc = readYaml(projectFile);
    const project = doc.name;
    if (typeof project !== "string" || project === "") throw new UsageError(`${projectFile}: "name" must be the project's name`);
    const runtime = typeof doc.runtime === "object" && doc.runtime !== null ? (doc.runtime as { name?: unknown }).name : doc.runtime;
    if (runtime !== "nodejs") throw new UsageError(`${projectFile}: runtime must be nodejs, got ${JSON.stringify(runtime)}`);
    if (doc.main !== undefined && typeof doc.main !== "string") throw new UsageError(`${projectFile}: "main" must be a path`);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const key = (k: string) => (k.includes(":") ? k : `${project}:${k}`);
    // Project-level defaults: `config: { key: { default: ... } }` or `config: { key: value }`.
    const defaults = (doc.config ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(defaults)) {
        const value = typeof v === "object" && v !== null && !Array.isArray(v) ? (v as { default?: unknown; value?: unknown }).default ?? (v as { value?: unknown }).value : v;
        if (value !== undefined) config[key(k)] = stringValue(value);
    }
    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    if (fs.existsSync(stackFile)) {
        const values = (readYaml(stackFile).config ?? {}) as Record<string, unknown>;
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
    return { project, stack, dir: path.resolve(dir), main: entryFile(dir, doc.main as string | undefined), config, secretKeys };
}
