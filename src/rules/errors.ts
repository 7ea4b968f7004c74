import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { logicalName, resourceType } from "../facts/pulumi-internals";
import type { Finding, RuleId } from "./finding";

/**
 * Renders a received value for an error message: strings quoted, plain data as JSON,
 * resources and Outputs by what they are. Never throws, whatever it is given.
 */
export function show(value: unknown): string {
    if (value === undefined) return "undefined";
    if (typeof value === "string") return JSON.stringify(value.length > 200 ? `${value.slice(0, 197)}...` : value);
    if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "symbol") return value.toString();
    if (typeof value === "function") return "a function";
    if (pulumi.Output.isInstance(value)) return "an Output (this argument must be a plain value, known when the program runs)";
    if (pulumi.Resource.isInstance(value)) {
        const type = resourceType(value);
        const name = logicalName(value);
        return `a ${type ?? "Pulumi"} resource${name !== undefined ? ` ${JSON.stringify(name)}` : ""}`;
    }
    if (value instanceof Promise) return "a Promise (this argument must be a plain value)";
    try {
        const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
        if (json === undefined) return Object.prototype.toString.call(value);
        return json.length > 120 ? `${json.slice(0, 117)}...` : json;
    } catch {
        return Array.isArray(value) ? "a list that refers to itself" : "an object that refers to itself";
    }
}

/** The label every message starts with, e.g. `VmBackupPolicy "daily"`. */
export function label(component: string, name: string): string {
    return `${component} ${JSON.stringify(name)}`;
}

/** Dot path with list indexes in brackets, as a user writes it: `retention.weekly.days[1]`. */
export function dotPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const key of path) {
        if (typeof key === "number") out += `[${key}]`;
        else out += out === "" ? String(key) : `.${String(key)}`;
    }
    return out === "" ? "args" : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let v: any = root;
    for (const key of path) {
        if (v === null || v === undefined || typeof v !== "object") return undefined;
        v = v[key as any];
    }
    return v;
}

function typeName(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    return typeof v;
}

/**
 * Turns one zod issue into our grammar, `<rule>, got <value>`. Our own refinements already
 * speak that grammar; zod's built-in issues are reworded here so that every message names
 * the value received, not only its type.
 */
function reason(issue: z.core.$ZodIssue, root: unknown): { path: readonly PropertyKey[]; reason: string } {
    const received = valueAt(root, issue.path);
    // A rule of ours already says what it got, whatever kind of issue zod files it under.
    if (issue.code !== "custom" && /, got /.test(issue.message)) return { path: issue.path, reason: issue.message };
    switch (issue.code) {
        case "custom":
            return { path: issue.path, reason: issue.message };
        case "invalid_type":
            if (received === undefined) return { path: issue.path, reason: "is required, got undefined" };
            return { path: issue.path, reason: `must be ${article(issue.expected)}, got ${typeName(received)} ${show(received)}` };
        case "invalid_value":
            return {
                path: issue.path,
                reason: `must be ${issue.values.length === 1 ? show(issue.values[0]) : `one of ${issue.values.map(show).join(", ")}`}, got ${show(received)}`,
            };
        case "too_small":
        case "too_big": {
            const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
            const word = issue.code === "too_small" ? "at least" : "at most";
            if (issue.origin === "string" && issue.code === "too_small" && bound === 1) return { path: issue.path, reason: `must not be empty, got ${show(received)}` };
            if (issue.origin === "string") return { path: issue.path, reason: `must be ${word} ${bound} characters long, got ${show(received)}` };
            if (issue.origin === "array" || issue.origin === "set")
                return { path: issue.path, reason: `must list ${word} ${bound} item${bound === 1 ? "" : "s"}, got ${show(received)}` };
            return { path: issue.path, reason: `must be ${word} ${bound}, got ${show(received)}` };
        }
        case "invalid_format":
            return { path: issue.path, reason: `${issue.message.replace(/^Invalid string: /, "")}, got ${show(received)}` };
        case "not_multiple_of":
            return { path: issue.path, reason: `must be a multiple of ${String(issue.divisor)}, got ${show(received)}` };
        case "unrecognized_keys":
            return {
                path: issue.path,
                reason: `unknown argument${issue.keys.length === 1 ? "" : "s"} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`,
            };
        case "invalid_union":
            return { path: issue.path, reason: `${issue.message.replace(/^Invalid input/, "is not any of the accepted shapes")}, got ${show(received)}` };
        default:
            return { path: issue.path, reason: `${issue.message}, got ${show(received)}` };
    }
}

function article(expected: string): string {
    if (expected === "int") return "a whole number";
    if (expected === "array") return "a list";
    if (expected === "object") return "an object";
    return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/**
 * Parses plain constructor arguments with a zod schema. On failure throws
 * `pulumi.InputPropertiesError`, one line per issue, each naming the component, the
 * argument path, the rule and the value received.
 */
export function parseArgs<S extends z.ZodType>(schema: S, args: unknown, component: string, name: string): z.output<S> {
    const result = schema.safeParse(args);
    if (result.success) return result.data;
    throw inputError(
        component,
        name,
        result.error.issues.map((i) => reason(i, args)),
    );
}

/**
 * Checks a component's name before anything else: Pulumi's own check of an empty name would
 * otherwise speak first, and in its own words.
 */
export function checkName(component: string, name: unknown): asserts name is string {
    if (typeof name !== "string" || name === "") {
        throw inputError(component, typeof name === "string" ? name : String(show(name)), [
            { path: "name", reason: `must be a non-empty string, got ${show(name)}` },
        ]);
    }
}

/** Builds the error for one or more argument problems found outside a schema. */
export function inputError(
    component: string,
    name: string,
    problems: readonly { path: readonly PropertyKey[] | string; reason: string }[],
): pulumi.InputPropertiesError {
    const errors = problems.map((p) => ({
        propertyPath: typeof p.path === "string" ? p.path : dotPath(p.path),
        reason: p.reason,
    }));
    const who = label(component, name);
    return new pulumi.InputPropertiesError({
        message: errors.map((e) => `${who}: ${e.propertyPath}: ${e.reason}`).join("\n"),
        errors,
    });
}

/**
 * An Azure Backup rule that spans resources, found while Outputs resolve. Thrown inside
 * the apply that feeds a child's inputs, so that child's registration, and so the
 * preview, fails; the Pulumi CLI shows it under the resource, without a stack trace.
 * It carries the rule's id, for whoever reports it (the offline preview) to tell rules apart.
 */
export class BackupRuleError extends pulumi.ResourceError {
    public readonly rule: RuleId;
    public readonly finding: Finding;

    constructor(component: string, name: string, finding: Finding, resource?: pulumi.Resource) {
        super(`${label(component, name)}: ${finding.path}: ${finding.message}`, resource, true);
        this.name = "BackupRuleError";
        this.rule = finding.rule;
        this.finding = finding;
    }
}

/** Where findings are acted on: the component, its name, and its resource once it exists. */
export interface RuleSite {
    component: string;
    name: string;
    resource?: pulumi.Resource;
    /** The constructor is still running: an error is the constructor's argument error. */
    constructing?: boolean;
}

/**
 * Acts on findings in order: a warning is logged under the resource, the first error is thrown
 * (an InputPropertiesError in the constructor, a BackupRuleError while the preview resolves).
 */
export function enforce(site: RuleSite, ...findings: (Finding | undefined)[]): void {
    for (const f of findings) {
        if (f === undefined) continue;
        if (f.severity === "warning") {
            pulumi.log.warn(`${label(site.component, site.name)}: ${f.path === "" ? "" : `${f.path}: `}${f.message}`, site.resource);
        } else {
            throw ruleError(site, f);
        }
    }
}

/** The error a broken rule throws: the constructor's argument error, or a BackupRuleError at preview. */
export function ruleError(site: RuleSite, finding: Finding): Error {
    return site.constructing
        ? inputError(site.component, site.name, [{ path: finding.path, reason: finding.message }])
        : new BackupRuleError(site.component, site.name, finding, site.resource);
}
