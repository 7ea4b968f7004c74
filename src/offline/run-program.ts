// Runs a Pulumi program the way `pulumi preview` does, on Pulumi's own SDK runtime in preview
// mode with its mock monitor: resources to be created get unknown ids and echo their inputs,
// provider invokes are answered from an inventory. Like the Node.js language host, an
// unhandled rejection, an uncaught exception or an error log fails the run.
import * as fs from "fs";
import * as path from "path";
import type * as pulumiSdk from "@pulumi/pulumi";
import { Inventory, answerInvoke } from "./inventory";
import { PulumiProgram, stackUrn as stackUrnOf } from "./project";
import type { Finding } from "../rules/finding";

export interface PlannedResource {
    urn: string;
    /** Order in which its registration reached the engine (as `pulumi preview` lists them). */
    order?: number;
    type: string;
    name: string;
    /** URN of the parent; the stack for top-level resources. */
    parent?: string;
    custom: boolean;
    inputs: Record<string, unknown>;
}

export interface Diagnostic {
    severity: "error" | "warning";
    /** The resource it concerns; the stack when none can be named. */
    urn: string;
    message: string;
    /** The rule broken, when one of ours says so (a BackupRuleError carries it): its id, path and message. */
    finding?: Finding;
}

export interface ProgramRun {
    stackUrn: string;
    resources: PlannedResource[];
    diagnostics: Diagnostic[];
    outputs: Record<string, unknown>;
}

/** The SDK the program itself loads: its mocks must be the ones the program's resources see. */
function programSdk(program: PulumiProgram): typeof pulumiSdk {
    let resolved: string;
    try {
        resolved = require.resolve("@pulumi/pulumi", { paths: [path.dirname(program.main), program.dir] });
    } catch {
        resolved = require.resolve("@pulumi/pulumi");
    }
    return require(resolved) as typeof pulumiSdk;
}

/**
 * Loads TypeScript entry files without a build step, with the program's own tsconfig if it has one:
 * the one Pulumi.yaml names, else its directory's tsconfig.json.
 */
function loadTypeScript(program: PulumiProgram): void {
    if (!/\.[cm]?tsx?$/.test(program.main)) return;
    // tsx keeps a transform cache on disk unless told not to; a preview writes nothing.
    process.env.TSX_DISABLE_CACHE = "1";
    const { register } = require("tsx/cjs/api") as { register(): () => void };
    const tsconfig = program.tsconfig ?? path.join(program.dir, "tsconfig.json");
    // tsx's require hook reads its tsconfig from this variable (it takes no such option), else
    // from the working directory.
    if (fs.existsSync(tsconfig)) process.env.TSX_TSCONFIG_PATH = tsconfig;
    register();
}

/** Unknown and secret values as a reader of the plan should see them. */
function displayable(value: unknown, sdk: typeof pulumiSdk): unknown {
    if (value === sdk.runtime.unknownValue) return "[unknown]";
    if (Array.isArray(value)) return value.map((v) => displayable(v, sdk));
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[sdk.runtime.specialSigKey] === sdk.runtime.specialSecretSig) return "[secret]";
        if (o.__pulumiUnknown === true) return "[unknown]";
        if (sdk.Resource.isInstance(value)) return "[resource]";
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, displayable(v, sdk)]));
    }
    return value;
}

/** Our components start every message with their label: `ProtectedVm "web": ...`. */
const LABEL = /^(BackupVault|VmBackupPolicy|ProtectedVm) ("(?:[^"\\]|\\.)*"):/;
const NEVER_FINISHED =
    "the program never finished: the promise its exported function returned was still pending when nothing was left to run, so it could never settle";
const SERIALIZING = /^(error serializing property "[^"]*": )+/;

/** `planned` hears of each resource as it registers: what a run stopped midway had planned. */
export async function runProgram(program: PulumiProgram, inventory: Inventory, planned?: (resource: PlannedResource) => void): Promise<ProgramRun> {
    const sdk = programSdk(program);
    const stackUrn = stackUrnOf(program);
    const resources: PlannedResource[] = [];
    const raw: { message: string; severity: Diagnostic["severity"]; error?: unknown; resource?: pulumiSdk.Resource; finding?: Finding }[] = [];
    const seen = new Set<unknown>();
    const fail = (error: unknown) => {
        if (seen.has(error)) return;
        seen.add(error);
        const message = error instanceof Error ? error.message : String(error);
        raw.push({ severity: "error", message, error, finding: findingOf(error) });
    };

    sdk.runtime.setMocks(
        {
            newResource: (args) => ({ id: undefined as unknown as string, state: args.inputs }),
            call: (args) => answerInvoke(inventory, args.token, args.inputs),
        },
        program.project,
        program.stack,
        true,
        // What the Pulumi CLI gives a program on a self-managed backend.
        "organization",
    );
    sdk.runtime.setAllConfig(program.config, program.secretKeys);

    // The mock monitor does not tell the program's parents and custom flags to newResource;
    // read them off the registration request.
    const monitor = sdk.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    let declared = 0;
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
        const order = declared++;
        return register(req, (err: unknown, resp: any) => {
            if (!err) {
                const resource: PlannedResource = {
                    urn: resp.getUrn(),
                    order,
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || stackUrn,
                    custom: req.getCustom(),
                    inputs: displayable(sdk.runtime.deserializeProperties(req.getObject()), sdk) as Record<string, unknown>,
                };
                resources.push(resource);
                planned?.(resource);
            }
            callback(err, resp);
        });
    };

    const onRejection = (reason: unknown) => fail(reason);
    const onException = (error: unknown) => fail(error);
    process.on("unhandledRejection", onRejection);
    process.on("uncaughtException", onException);
    // Warnings and errors logged against a resource are shown under it, as the CLI does.
    const log_ = { warn: sdk.log.warn, error: sdk.log.error };
    const logAs = (severity: Diagnostic["severity"]) => (message: string, resource?: pulumiSdk.Resource) => {
        raw.push({ severity, message, resource });
        return Promise.resolve();
    };
    Object.assign(sdk.log, { warn: logAs("warning"), error: logAs("error") });
    const console_ = { warn: console.warn, error: console.error, log: console.log, info: console.info };
    // What the program prints is not the report: it goes to stderr, so --json stays parseable.
    console.log = console.info = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(" ")}\n`);
    console.warn = (...args: unknown[]) => raw.push({ severity: "warning", message: args.map(String).join(" ").replace(/^warning: \[runtime\] /, "") });
    console.error = (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        if (text.startsWith("error: [runtime] ")) raw.push({ severity: "error", message: text.slice("error: [runtime] ".length) });
        else console_.error(...args);
    };

    // As the language host does, wait until the program has nothing left to do: registrations
    // made later (after an await, in a timer) count too. What is still pending then waits on
    // something that failed, or on nothing at all.
    const drained = idle();
    let exported: unknown;
    try {
        loadTypeScript(program);
        exported = require(program.main);
        // A program may export a function (possibly async) whose result is the stack's outputs.
        const main = typeof exported === "function" ? exported : (exported as { default?: unknown } | undefined)?.default;
        if (typeof main === "function") {
            exported = undefined;
            const result = await Promise.race([Promise.resolve((main as () => unknown)()).then((value) => ({ value })), drained]);
            if (result) exported = result.value;
            else fail(new Error(NEVER_FINISHED));
        }
    } catch (err) {
        fail(err);
    }
    await drained;
    const outputs = await settleOutputs(exported, sdk);
    // Rejections are reported after the microtasks that caused them: give them a turn.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));

    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
    Object.assign(console, console_);
    Object.assign(sdk.log, log_);

    const owners = new Map(resources.filter((r) => !r.custom).map((r) => [`${r.type.split(":").pop()} ${r.name}`, r.urn]));
    const registered = new Set(resources.map((r) => r.urn));
    const urnOf = async (resource: pulumiSdk.Resource | undefined): Promise<string | undefined> => {
        if (!resource) return undefined;
        // A resource that never registered never resolves its URN: wait a moment, not forever.
        const later = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20));
        const urn = await Promise.race([(resource.urn as any).promise() as Promise<string>, later]).catch(() => undefined);
        return urn !== undefined && registered.has(urn) ? urn : undefined;
    };
    const diagnostics = dedupe(
        await Promise.all(
            raw.map(async ({ severity, message: text, resource, error, finding }) => {
                // Pulumi's wrapper names an internal property; the message under it is the one to read.
                const message = text.replace(SERIALIZING, "");
                const m = LABEL.exec(message);
                const owner = (await urnOf(resource ?? (error as { resource?: pulumiSdk.Resource } | undefined)?.resource)) ?? (m ? owners.get(`${m[1]} ${JSON.parse(m[2]) as string}`) : undefined);
                return { severity, urn: owner ?? stackUrn, message, ...(finding ? { finding } : {}) };
            }),
        ),
    );
    resources.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    return { stackUrn, resources, diagnostics, outputs };
}

/**
 * The finding a BackupRuleError carries. Read by shape: the program may load its own copy of this
 * library, whose class is not ours.
 */
function findingOf(error: unknown): Finding | undefined {
    if (!(error instanceof Error) || error.name !== "BackupRuleError") return undefined;
    const finding = (error as { finding?: Finding }).finding;
    return typeof finding?.rule === "string" ? finding : undefined;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
    const keys = new Set<string>();
    return diagnostics.filter((d) => {
        const key = `${d.severity}\0${d.urn}\0${d.message}`;
        if (keys.has(key)) return false;
        keys.add(key);
        return true;
    });
}

/** Resolves when Node has run out of other work (what is left waits on something that failed). */
function idle(): Promise<void> {
    return new Promise((resolve) => process.once("beforeExit", () => resolve()));
}

/** The stack's outputs; one that waits on a failed resource, or on nothing, is unknown. */
async function settleOutputs(exported: unknown, sdk: typeof pulumiSdk): Promise<Record<string, unknown>> {
    if (!exported || typeof exported !== "object") return {};
    const entries = await Promise.all(
        Object.entries(exported as Record<string, unknown>).map(async ([k, v]) => {
            const value = await new Promise<unknown>((resolve) => {
                // The program has run to its end: an output not settled by the next turn never will be.
                setImmediate(() => resolve(sdk.runtime.unknownValue));
                const o = sdk.output(v) as any;
                Promise.all([o.promise(), o.isKnown]).then(([val, known]) => resolve(known ? val : sdk.runtime.unknownValue), () => resolve("[error]"));
            });
            return [k, displayable(value, sdk)] as const;
        }),
    );
    return Object.fromEntries(entries);
}
