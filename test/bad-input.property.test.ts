// Generated bad input for every public constructor and `fromId`, near the valid space and far
// from it. Each call either returns, or throws a `pulumi.InputPropertiesError` that names the
// argument at fault in the library's grammar (`<Component> "<name>": <path>: <rule>, got <value>`).
// Nothing may crash: not at construction, and not later while the preview resolves Outputs
// (a rule broken there must fail with one of our messages, never a TypeError). A near miss
// (valid arguments with one argument broken, in a way wrong whatever the others say) must be
// refused, at construction or at preview, and every problem reported must name that argument.
//
// Things that are resources or Outputs are generated as `Ref` tokens and made only when the
// property runs, so a counterexample prints as `<vault>` or `<output:number>`, not as a
// resource's internals.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as resources from "@pulumi/azure-native/resources";
import * as classic from "@pulumi/azure/compute";
import fc from "fast-check";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { type MockWorld, OTHER_SUBSCRIPTION, SUBSCRIPTION, mockPulumi, notFound } from "./mocks";

const SEED = 20240611;

// ---------------------------------------------------------------------------------------------
// The mock program every test runs in

const vmIdOf = (name: string, subscription = SUBSCRIPTION) =>
    `/subscriptions/${subscription}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
const vaultIdOf = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/${name}`;
const policyIdOf = (vault: string, name: string) => `${vaultIdOf(vault)}/backupPolicies/${name}`;

/**
 * Look-ups answered the way Azure would: VMs named "gone-*" do not exist, "us-*" live in
 * eastus (a region mismatch with our westeurope vault), "tl-*" are Trusted Launch; the vault
 * "existing" and every policy but "gone" exist.
 */
const invokes = {
    "azure-native:compute:getVirtualMachine": (i: Record<string, any>) => {
        const name = String(i.vmName);
        if (name.startsWith("gone")) notFound(`virtual machine ${name}`);
        return {
            id: vmIdOf(name),
            name,
            location: name.startsWith("us") ? "eastus" : "westeurope",
            ...(name.startsWith("tl") ? { securityProfile: { securityType: "TrustedLaunch" } } : {}),
            storageProfile: { osDisk: { managedDisk: { storageAccountType: "Premium_LRS" } } },
        };
    },
    "azure-native:recoveryservices:getVault": (i: Record<string, any>) => {
        if (i.vaultName !== "existing") notFound(`vault ${i.vaultName}`);
        return {
            id: vaultIdOf("existing"),
            name: "existing",
            location: "westeurope",
            properties: { redundancySettings: { standardTierStorageRedundancy: "GeoRedundant" } },
        };
    },
    "azure-native:recoveryservices:getProtectionPolicy": (i: Record<string, any>) => {
        if (i.policyName === "gone") notFound(`policy ${i.policyName}`);
        return { properties: { backupManagementType: "AzureIaasVM", policyType: i.policyName === "enhanced" ? "V2" : "V1" } };
    },
};

/** What a test's program holds before the generated calls run. */
interface Program {
    world: MockWorld;
    vault: BackupVault;
    policy: VmBackupPolicy;
    enhancedPolicy: VmBackupPolicy;
    /** A fresh number, for names that must not repeat (a VM is protected once per program). */
    next(): number;
}

let program: Program;

beforeEach(() => {
    const world = mockPulumi({ preview: true, invokes });
    const vault = new BackupVault("main", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-main" });
    let n = 0;
    program = {
        world,
        vault,
        policy: VmBackupPolicy.default("daily", vault),
        enhancedPolicy: VmBackupPolicy.enhancedEvery4Hours10YearRetention("hourly", vault),
        next: () => ++n,
    };
});

// ---------------------------------------------------------------------------------------------
// Tokens for values made when the property runs

const REF_KINDS = [
    "vault", // the program's BackupVault
    "vaultRef", // BackupVault.fromId with every fact given
    "vaultRefLookedUp", // BackupVault.fromId of an existing vault, facts looked up
    "vaultResource", // the recoveryservices.Vault inside the BackupVault: a resource of the wrong kind
    "policy", // the program's Standard daily VmBackupPolicy
    "enhancedPolicy",
    "policyRef", // VmBackupPolicy.fromId with facts
    "policyRefLookedUp", // VmBackupPolicy.fromId, type looked up
    "resourceGroup", // a resources.ResourceGroup: the wrong kind for anything
    "nativeVm", // a compute.VirtualMachine in westeurope
    "nativeVmElsewhere", // a compute.VirtualMachine in eastus
    "classicVm", // an azure.compute.LinuxVirtualMachine in West Europe
    "vmId:eu", // a unique id of a VM in westeurope
    "vmId:us", // ... in eastus
    "vmId:tl", // ... a Trusted Launch VM
    "vmId:gone", // ... a VM that does not exist
    "vmId:otherSubscription",
    "output:number", // pulumi.output(3)
    "output:string", // pulumi.output("westeurope")
    "output:object", // pulumi.output({ id: "x" })
    "promise:string", // Promise.resolve("rg")
    "circular", // { self: <itself> }
] as const;
type RefKind = (typeof REF_KINDS)[number];

class Ref {
    constructor(readonly kind: RefKind) {}
    [fc.toStringMethod](): string {
        return `<${this.kind}>`;
    }
}
const ref = (kind: RefKind) => new Ref(kind);

function make(kind: RefKind, p: Program): unknown {
    const n = p.next();
    switch (kind) {
        case "vault":
            return p.vault;
        case "vaultRef":
            return BackupVault.fromId(`ref-${n}`, vaultIdOf("rsv-main"), { location: "westeurope", storageRedundancy: "GeoRedundant" });
        case "vaultRefLookedUp":
            return BackupVault.fromId(`ref-${n}`, vaultIdOf("existing"));
        case "vaultResource":
            return p.vault.vault;
        case "policy":
            return p.policy;
        case "enhancedPolicy":
            return p.enhancedPolicy;
        case "policyRef":
            return VmBackupPolicy.fromId(`ref-${n}`, policyIdOf("rsv-main", "daily"), { policyType: "Standard", vault: { location: "westeurope" } });
        case "policyRefLookedUp":
            return VmBackupPolicy.fromId(`ref-${n}`, policyIdOf("existing", "enhanced"));
        case "resourceGroup":
            return new resources.ResourceGroup(`rg-${n}`, { resourceGroupName: `rg-${n}` });
        case "nativeVm":
        case "nativeVmElsewhere":
            return new compute.VirtualMachine(`vm-${n}`, {
                resourceGroupName: "rg-app",
                vmName: `vm-${n}`,
                location: kind === "nativeVm" ? "westeurope" : "eastus",
            });
        case "classicVm":
            return new classic.LinuxVirtualMachine(`classic-${n}`, {
                name: `classic-${n}`,
                resourceGroupName: "rg-app",
                location: "West Europe",
                size: "Standard_B2s",
                adminUsername: "azureuser",
                networkInterfaceIds: ["/subscriptions/x/nic"],
                osDisk: { caching: "ReadWrite", storageAccountType: "Premium_LRS" },
            });
        case "vmId:eu":
        case "vmId:us":
        case "vmId:tl":
        case "vmId:gone":
            return vmIdOf(`${kind.slice(5)}-${n}`);
        case "vmId:otherSubscription":
            return vmIdOf(`eu-${n}`, OTHER_SUBSCRIPTION);
        case "output:number":
            return pulumi.output(3);
        case "output:string":
            return pulumi.output("westeurope");
        case "output:object":
            return pulumi.output({ id: "x" });
        case "promise:string":
            return Promise.resolve("rg");
        case "circular": {
            const c: Record<string, unknown> = { id: "circular" };
            c.self = c;
            return c;
        }
    }
}

const isPlain = (v: unknown): v is Record<PropertyKey, unknown> =>
    typeof v === "object" && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

function define(target: object, key: PropertyKey, value: unknown): void {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A writable copy of a plain object, own "__proto__" keys included, its prototype (Object or null) kept. */
function plainCopy(v: object): Record<PropertyKey, unknown> {
    const copy = Object.create(Object.getPrototypeOf(v));
    for (const key of Object.keys(v)) define(copy, key, (v as any)[key]);
    return copy;
}

/** The generated value with its tokens made; plain objects and arrays holding none are kept as they are. */
function resolve(v: unknown, p: Program, seen = new Map<object, unknown>()): unknown {
    if (v instanceof Ref) return make(v.kind, p);
    if (!Array.isArray(v) && !isPlain(v)) return v;
    if (seen.has(v)) return seen.get(v);
    seen.set(v, v);
    let copy: any;
    for (const key of Object.keys(v)) {
        const item = (v as any)[key];
        const made = resolve(item, p, seen);
        if (made !== item) {
            copy ??= Array.isArray(v) ? v.slice() : plainCopy(v);
            define(copy, key, made);
        }
    }
    if (copy === undefined) return v;
    if (Object.isFrozen(v)) Object.freeze(copy);
    seen.set(v, copy);
    return copy;
}

function deepFreeze<T>(v: T, seen = new Set<unknown>()): T {
    if ((Array.isArray(v) || isPlain(v)) && !seen.has(v)) {
        seen.add(v);
        for (const key of Object.keys(v)) deepFreeze((v as any)[key], seen);
        Object.freeze(v);
    }
    return v;
}

// ---------------------------------------------------------------------------------------------
// Values of the wrong kind, and mutations that put them somewhere

const ODD_CONSTANTS: unknown[] = [
    null,
    undefined,
    NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    1,
    -1,
    7.5,
    1e21,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MIN_VALUE,
    true,
    false,
    "",
    " ",
    "__proto__",
    "constructor",
    "toString",
    "Last",
    "Enhanced",
    "westeurope",
    "02:00",
    "Sunday",
    "ünïcödé ✓ 名前 😀",
    "a\nb",
    [],
    [null],
    [1, 2, 3],
    ["Sunday", "Sunday"],
    {},
    Object.freeze({ id: "frozen" }),
    new Date(0),
    new Date(NaN),
    Symbol("odd"),
    () => "a function",
    10n,
    Object.create(null),
    /re/,
    new Map([["k", "v"]]),
    new Set([1]),
];

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ODD_CONSTANTS) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constant("x".repeat(4096)) },
    {
        weight: 3,
        arbitrary: fc.constantFrom<RefKind>("output:number", "output:string", "output:object", "promise:string", "circular", "vault", "vaultResource", "policy", "resourceGroup").map(ref),
    },
);

const extraKey = fc.oneof(
    fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "extra", "Location", "", "0"),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
);

type Key = string | number;
type Mutation =
    | { kind: "set"; path: Key[]; value: unknown }
    | { kind: "delete"; path: Key[] }
    | { kind: "extra"; path: Key[]; key: string; value: unknown };

function mutationOf(paths: Key[][], containers: Key[][]): fc.Arbitrary<Mutation> {
    return fc.oneof(
        { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), path: fc.constantFrom(...paths), value: oddValue }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), path: fc.constantFrom(...paths) }) },
        {
            weight: 2,
            arbitrary: fc.record({ kind: fc.constant("extra" as const), path: fc.constantFrom([], ...containers), key: extraKey, value: oddValue }),
        },
    );
}

/** A shallow copy to write into: arrays and plain objects are copied, anything else becomes `{}`. */
function writable(v: unknown): any {
    if (Array.isArray(v)) return v.slice();
    if (isPlain(v)) return plainCopy(v);
    return {};
}

/** Applies one mutation without touching the generated value (copy on write along the path). */
function mutate(root: unknown, m: Mutation): unknown {
    const path = m.kind === "extra" ? [...m.path, m.key] : m.path;
    if (path.length === 0) return root;
    const top = writable(root);
    let at = top;
    for (const key of path.slice(0, -1)) {
        const next = writable(at[key]);
        define(at, key, next);
        at = next;
    }
    const last = path[path.length - 1];
    if (m.kind === "delete") delete at[last];
    else define(at, last, m.value);
    return top;
}

/** A value of the right type but a wrong shape or range, for one path of otherwise valid arguments. */
type Tweak = [path: Key[], value: fc.Arbitrary<unknown>];

/**
 * A value that is wrong at its path whatever the valid arguments around it say: put into valid
 * arguments (where the object holding it exists), it must be refused, naming that path.
 */
type NearMiss = Tweak;

/** Whether the object a path writes into is there already, so that the near miss breaks one argument only. */
function holds(root: unknown, path: Key[]): boolean {
    let at = root;
    for (const key of path.slice(0, -1)) {
        if (!isContainer(at)) return false;
        at = (at as any)[key];
    }
    return isContainer(at);
}

/** The argument path as messages write it: `retention.weekly.days[0]`. */
function pathText(path: Key[]): string {
    return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

const setting = (list: Tweak[]) => fc.oneof(...list.map(([path, value]) => value.map((v) => ({ kind: "set" as const, path, value: v }))));

/** Valid arguments with one argument broken, and which. */
function nearMissesOf(valid: fc.Arbitrary<unknown>, nearMisses: NearMiss[]): fc.Arbitrary<{ args: unknown; broken: string }> {
    return fc
        .tuple(valid, setting(nearMisses))
        .filter(([base, m]) => holds(base, m.path))
        .map(([base, m]) => ({ args: mutate(base, m), broken: pathText(m.path) }));
}

/**
 * Arguments for one constructor: valid ones; valid ones with one argument broken (`nearMisses`,
 * which say which); valid ones with one field given a value near the valid space (`tweaks`); ones
 * mixed from right and wrong parts (`mixed`); any of those with one to three values of the wrong
 * kind put at documented paths, deleted, or added under unknown keys; or whole arguments of the
 * wrong kind. Sometimes deeply frozen.
 */
function argsOf(
    valid: fc.Arbitrary<unknown>,
    nearMisses: NearMiss[],
    tweaks: Tweak[],
    mixed: fc.Arbitrary<unknown>,
    paths: Key[][],
    containers: Key[][],
): fc.Arbitrary<{ args: unknown; freeze: boolean; broken?: string }> {
    const nearMiss = nearMissesOf(valid, nearMisses);
    const tweaked = fc.tuple(valid, setting(tweaks)).map(([base, m]) => mutate(base, m));
    const mutated = fc
        .tuple(fc.oneof(valid, tweaked, mixed), fc.array(mutationOf(paths, containers), { minLength: 1, maxLength: 3 }))
        .map(([base, ms]) => ms.reduce<unknown>(mutate, base));
    const plain = (a: fc.Arbitrary<unknown>) => a.map((args) => ({ args }));
    return fc
        .tuple(
            fc.oneof(
                { weight: 3, arbitrary: plain(valid) },
                { weight: 4, arbitrary: nearMiss },
                { weight: 2, arbitrary: plain(tweaked) },
                { weight: 2, arbitrary: plain(mixed) },
                { weight: 4, arbitrary: plain(mutated) },
                { weight: 1, arbitrary: plain(oddValue) },
            ),
            fc.boolean(),
        )
        .map(([a, freeze]) => ({ ...a, freeze }));
}

// ---------------------------------------------------------------------------------------------
// The property: returns, or an InputPropertiesError naming an argument; no failure but ours later

type Component = "BackupVault" | "VmBackupPolicy" | "ProtectedVm";

interface Call {
    component: Component;
    name: string;
    /** First path segments that lead into what was given, each with the value it leads to. */
    roots: Record<string, unknown>;
    /** Paths that stand for a whole argument (`args`, `vaultId`, ...), with the value each stands for. */
    whole: Record<string, unknown>;
}

interface Tally {
    pass: number;
    throw: number;
    /** Near misses, each refused naming the argument broken. */
    nearMiss?: number;
}

const OURS = /(BackupVault|VmBackupPolicy|ProtectedVm) "(?:[^"\\]|\\.)*": [^:\s]+: /;

function fail(why: string): never {
    throw new Error(why);
}

function segments(path: string): Key[] {
    const out: Key[] = [];
    for (const m of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) out.push(m[1] !== undefined ? Number(m[1]) : m[2]);
    return out;
}

const isContainer = (v: unknown) => (typeof v === "object" || typeof v === "function") && v !== null;

/** The value a path leads to; fails when the path does not lead into what was given. */
function follow(call: Call, path: string): unknown {
    if (Object.prototype.hasOwnProperty.call(call.whole, path)) return call.whole[path];
    const keys = segments(path);
    if (keys.length === 0 || typeof keys[0] !== "string" || !Object.prototype.hasOwnProperty.call(call.roots, keys[0])) {
        fail(`propertyPath ${JSON.stringify(path)} does not start with an argument ${call.component} documents (${Object.keys(call.roots).concat(Object.keys(call.whole)).join(", ")})`);
    }
    let at = call.roots[keys[0]];
    for (const key of keys.slice(1)) {
        if (!isContainer(at)) fail(`propertyPath ${JSON.stringify(path)} goes through ${String(typeof at)} at ${JSON.stringify(key)}: not a path into the input`);
        at = (at as any)[key];
    }
    return at;
}

function checkInputError(call: Call, err: unknown): void {
    if (!pulumi.InputPropertiesError.isInstance(err)) {
        const e = err as Error | undefined;
        fail(`crash: ${e?.constructor?.name ?? typeof err}: ${e?.message ?? String(err)}\n${(e?.stack ?? "").split("\n").slice(1, 8).join("\n")}`);
    }
    const { errors, message } = err;
    if (!Array.isArray(errors) || errors.length === 0) fail(`InputPropertiesError without errors: ${message}`);
    const lines = message.split("\n");
    if (lines.length !== errors.length) fail(`${errors.length} errors but ${lines.length} message lines:\n${message}`);
    const who = `${call.component} ${JSON.stringify(call.name)}`;
    errors.forEach((e, i) => {
        if (typeof e.propertyPath !== "string" || e.propertyPath === "") fail(`empty propertyPath in:\n${message}`);
        if (lines[i] !== `${who}: ${e.propertyPath}: ${e.reason}`) fail(`line ${i + 1} is not \`${who}: ${e.propertyPath}: <reason>\`:\n${message}`);
        const at = follow(call, e.propertyPath);
        if (/^unknown arguments? ("(?:[^"\\]|\\.)*"(?:, )?)+$/.test(e.reason)) {
            // The keys named must be ones given there.
            for (const m of e.reason.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
                const key = JSON.parse(`"${m[1]}"`) as string;
                if (!isContainer(at) || !Object.prototype.hasOwnProperty.call(at, key)) fail(`names unknown argument ${JSON.stringify(key)} that is not in ${e.propertyPath}:\n${message}`);
            }
        } else if (!/got \S/.test(e.reason)) {
            fail(`reason does not say what it got:\n${message}`);
        }
    });
}

/**
 * Whether a reported path names the broken argument: the argument itself, a part of it, or the
 * object holding it when the reason names it (an unknown key, two ways of saying one thing).
 */
function namesBroken(path: string, reason: string, broken: string): boolean {
    if (path === broken || path.startsWith(`${broken}.`) || path.startsWith(`${broken}[`)) return true;
    const holder = broken.startsWith(`${path}.`) || broken.startsWith(`${path}[`);
    const key = segments(broken).pop();
    return holder && typeof key === "string" && reason.includes(key);
}

/** `path: reason` of each failure of ours at preview that belongs to this call's component. */
function previewProblems(call: Call, failures: string[]): { path: string; reason: string }[] {
    const who = `${call.component} ${JSON.stringify(call.name)}: `;
    return failures.flatMap((f) => {
        const at = f.indexOf(who);
        if (at < 0) return [];
        const rest = f.slice(at + who.length);
        const colon = rest.indexOf(": ");
        return [{ path: rest.slice(0, colon), reason: rest.slice(colon + 2) }];
    });
}

async function judge(call: Call, construct: () => unknown, tally: Tally, broken?: string): Promise<void> {
    let outcome: "pass" | "throw" = "pass";
    let problems: { path: string; reason: string }[] = [];
    try {
        construct();
    } catch (err) {
        checkInputError(call, err);
        outcome = "throw";
        problems = (err as pulumi.InputPropertiesError).errors.map((e) => ({ path: e.propertyPath, reason: e.reason }));
    }
    // A construction that returned may still fail at preview: only with our own messages.
    const failures = await program.world.failures();
    const crash = failures.find((f) => !OURS.test(f));
    if (crash !== undefined) fail(`crash while the preview resolved (${outcome === "pass" ? "constructed" : "rejected"}): ${crash}`);
    if (broken !== undefined) {
        if (outcome === "pass") problems = previewProblems(call, failures);
        if (problems.length === 0) fail(`a near miss at ${broken} was accepted, at construction and at preview`);
        const astray = problems.find((p) => !namesBroken(p.path, p.reason, broken));
        if (astray) fail(`a near miss at ${broken} was refused naming ${astray.path}: ${astray.reason}`);
        tally.nearMiss = (tally.nearMiss ?? 0) + 1;
    }
    tally[outcome]++;
}

function settings(numRuns: number): fc.Parameters<unknown> {
    return { seed: SEED, numRuns };
}

const withKeys = (args: unknown, keys: readonly string[]): Record<string, unknown> =>
    Object.fromEntries(keys.map((k) => [k, isContainer(args) ? (args as any)[k] : undefined]));

/** Runs `numRuns` near misses through one constructor: each must be refused, naming the argument broken. */
async function everyNearMissRefused(
    component: Component,
    valid: fc.Arbitrary<unknown>,
    nearMisses: NearMiss[],
    keys: readonly string[],
    construct: (name: string, args: any) => unknown,
    numRuns: number,
): Promise<void> {
    const tally: Tally = { pass: 0, throw: 0 };
    await fc.assert(
        fc.asyncProperty(nearMissesOf(valid, nearMisses), async ({ args: generated, broken }) => {
            const name = `${component.toLowerCase()}-${program.next()}`;
            const args = resolve(generated, program);
            await judge({ component, name, roots: withKeys(args, keys), whole: { args, name } }, () => construct(name, args), tally, broken);
        }),
        settings(numRuns),
    );
    expect(tally.nearMiss).toBe(numRuns);
}

// ---------------------------------------------------------------------------------------------
// BackupVault

const VAULT_KEYS = ["resourceGroupName", "location", "vaultName", "storageRedundancy", "crossRegionRestore", "softDelete", "immutability", "publicNetworkAccess", "tags"];
const REDUNDANCIES = ["GeoRedundant", "LocallyRedundant", "ZoneRedundant"] as const;

const validVaultArgs = fc
    .record(
        {
            resourceGroupName: fc.oneof(fc.constantFrom("rg", "rg-backup"), fc.constantFrom<RefKind>("output:string", "promise:string").map(ref)),
            location: fc.constantFrom("westeurope", "West Europe", "WESTEUROPE", "north-europe", "eastus", "uksouth", "Germany West Central"),
            vaultName: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
            storageRedundancy: fc.constantFrom(...REDUNDANCIES),
            crossRegionRestore: fc.boolean(),
            softDelete: fc.record({ state: fc.constantFrom("Enabled", "AlwaysOn"), retentionDays: fc.integer({ min: 14, max: 180 }) }, { requiredKeys: [] }),
            immutability: fc.constantFrom("Disabled", "Unlocked"),
            publicNetworkAccess: fc.constantFrom("Enabled", "Disabled"),
            tags: fc.constantFrom({ env: "prod" }, {}),
        },
        { requiredKeys: ["resourceGroupName", "location"] },
    )
    .map((a) => (a.crossRegionRestore ? { ...a, storageRedundancy: "GeoRedundant" as const } : a));

const mixedVaultArgs = fc.record(
    {
        resourceGroupName: fc.constantFrom("rg", "", "rg with spaces", undefined),
        location: fc.constantFrom("westeurope", "westeurop", "West-Europe", "europe west", "mars", "", "WestEurope ", undefined),
        vaultName: fc.constantFrom("ok-name", "1abc", "a", "ab-", "-ab", "a_b", "x".repeat(51), "x".repeat(50), ""),
        storageRedundancy: fc.constantFrom("GeoRedundant", "LocallyRedundant", "ZoneRedundant", "geoRedundant", "GRS", ""),
        crossRegionRestore: fc.constantFrom(true, false, "true", 1),
        softDelete: fc.constantFrom({}, { state: "Disabled" }, { retentionDays: 13 }, { retentionDays: 181 }, { retentionDays: 14.5 }, { state: "AlwaysOn", retentionDays: 180 }, { enabled: true }),
        immutability: fc.constantFrom("Disabled", "Unlocked", "Locked", "locked", ""),
        publicNetworkAccess: fc.constantFrom("Enabled", "Disabled", "enabled", true),
        tags: fc.constantFrom({ env: "prod" }, { "": "" }, []),
    },
    { requiredKeys: [] },
);

const VAULT_TWEAKS: Tweak[] = [
    [["resourceGroupName"], fc.constantFrom("", undefined)],
    [["location"], fc.constantFrom("westeurop", "West-Europe", "europe west", "mars", "", "WestEurope ", "Global", undefined)],
    [["vaultName"], fc.constantFrom("1abc", "a", "ab-", "-ab", "a_b", "x".repeat(51), "x".repeat(50), "")],
    [["storageRedundancy"], fc.constantFrom("geoRedundant", "GRS", "LocallyRedundant", "")],
    [["crossRegionRestore"], fc.constantFrom(true, "true", 1)],
    [["softDelete"], fc.constantFrom({}, { state: "Disabled" }, { retentionDays: 13 }, { retentionDays: 181 }, { retentionDays: 14.5 }, { enabled: true })],
    [["immutability"], fc.constantFrom("Locked", "locked", "")],
    [["publicNetworkAccess"], fc.constantFrom("enabled", true, "")],
];

const VAULT_NEAR_MISSES: NearMiss[] = [
    [["resourceGroupName"], fc.constantFrom("", undefined, 5)],
    [["location"], fc.constantFrom("westeurop", "europe west", "mars", "", "Global", undefined)],
    [["vaultName"], fc.constantFrom("1abc", "a", "ab-", "-ab", "a_b", "x".repeat(51), "")],
    [["storageRedundancy"], fc.constantFrom("geoRedundant", "GRS", "")],
    [["crossRegionRestore"], fc.constantFrom("true", 1, null)],
    [["softDelete"], fc.constantFrom({ state: "Disabled" }, { retentionDays: 13 }, { retentionDays: 181 }, { retentionDays: 14.5 }, { enabled: true })],
    [["softDelete", "retentionDays"], fc.constantFrom(13, 181, 0, 14.5, "14")],
    // "Locked" is refused at preview: the vault does not exist yet, or is not Unlocked.
    [["immutability"], fc.constantFrom("Locked", "locked", "")],
    [["publicNetworkAccess"], fc.constantFrom("enabled", true, "")],
];

const VAULT_PATHS: Key[][] = [...VAULT_KEYS.map((k) => [k]), ["softDelete", "state"], ["softDelete", "retentionDays"]];

const vaultIdArb: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(vaultIdOf("existing"), vaultIdOf("rsv-main"), vaultIdOf("missing")) },
    fc.constantFrom(
        vaultIdOf("existing"),
        vaultIdOf("rsv-main"),
        vaultIdOf("missing"),
        `${vaultIdOf("existing")}/`,
        vaultIdOf("existing").toLowerCase(),
        vaultIdOf("existing").replace("/subscriptions/", "/Subscriptions/"),
        "",
        "existing",
        "/subscriptions//resourceGroups//providers/Microsoft.RecoveryServices/vaults/",
        `${vaultIdOf("existing")}/backupPolicies/daily`,
        vmIdOf("vm"),
        ` ${vaultIdOf("existing")}`,
    ),
    oddValue,
    fc.constantFrom<RefKind>("vault", "vaultRef").map(ref),
);

const vaultFactsArb: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(undefined, {}, { location: "westeurope" }, { location: "West Europe", storageRedundancy: "LocallyRedundant" }) },
    fc.record(
        {
            location: fc.oneof(fc.constantFrom("westeurope", "West Europe", "mars", ""), oddValue),
            storageRedundancy: fc.oneof(fc.constantFrom(...REDUNDANCIES, "GRS"), oddValue),
        },
        { requiredKeys: [] },
    ),
    fc.record({ location: fc.constant("westeurope"), extra: oddValue }),
    oddValue,
);

describe("BackupVault with generated bad input", () => {
    test("new BackupVault(name, args) returns or throws an InputPropertiesError naming an argument", async () => {
        const tally: Tally = { pass: 0, throw: 0 };
        await fc.assert(
            fc.asyncProperty(argsOf(validVaultArgs, VAULT_NEAR_MISSES, VAULT_TWEAKS, mixedVaultArgs, VAULT_PATHS, [["softDelete"]]), async ({ args: generated, freeze, broken }) => {
                const name = `vault-${program.next()}`;
                const args = resolve(generated, program);
                if (freeze) deepFreeze(args);
                const call: Call = { component: "BackupVault", name, roots: withKeys(args, VAULT_KEYS), whole: { args, name } };
                await judge(call, () => new BackupVault(name, args as any), tally, broken);
            }),
            settings(100),
        );
        expect(tally.pass).toBeGreaterThan(0);
        expect(tally.throw).toBeGreaterThan(0);
        expect(tally.nearMiss).toBeGreaterThan(15);
    });

    test("every near miss is refused, naming the argument broken", async () => {
        await everyNearMissRefused("BackupVault", validVaultArgs, VAULT_NEAR_MISSES, VAULT_KEYS, (name, args) => new BackupVault(name, args), 150);
    });

    test("BackupVault.fromId(name, vaultId, facts) returns or throws an InputPropertiesError naming an argument", async () => {
        const tally: Tally = { pass: 0, throw: 0 };
        await fc.assert(
            fc.asyncProperty(vaultIdArb, vaultFactsArb, async (vaultIdGenerated, factsGenerated) => {
                const name = `existing-${program.next()}`;
                const vaultId = resolve(vaultIdGenerated, program);
                const facts = resolve(factsGenerated, program);
                // fromId parses `facts` on its own: its keys come unprefixed, `args` is the whole of it.
                const call: Call = {
                    component: "BackupVault",
                    name,
                    roots: { facts, ...withKeys(facts, ["location", "storageRedundancy"]) },
                    whole: { vaultId, facts, args: facts, name },
                };
                await judge(call, () => BackupVault.fromId(name, vaultId as any, facts as any), tally);
            }),
            settings(80),
        );
        expect(tally.pass).toBeGreaterThan(0);
        expect(tally.throw).toBeGreaterThan(0);
    });
});

// ---------------------------------------------------------------------------------------------
// VmBackupPolicy

const POLICY_KEYS = ["vault", "policyName", "policyType", "schedule", "timeZone", "instantRestoreDays", "retention", "instantRestoreResourceGroup"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
const WEEKS = ["First", "Second", "Third", "Fourth", "Last"] as const;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;
type Day = (typeof DAYS)[number];

const validTime = fc.constantFrom("00:00", "02:00", "02:30", "12:00", "23:30");
const dayList = (among: readonly Day[] = DAYS) => fc.uniqueArray(fc.constantFrom(...among), { minLength: 1, maxLength: among.length });
const validVault = fc.constantFrom<RefKind>("vault", "vault", "vault", "vaultRef", "vaultRefLookedUp").map(ref);

/** Which days of the month a monthly or yearly point comes from; weekday form only with a weekly schedule. */
const validMonthDays = (weeklyDays?: readonly Day[]): fc.Arbitrary<Record<string, unknown>> => {
    const byWeekday = fc.record({ weeksOfMonth: fc.uniqueArray(fc.constantFrom(...WEEKS), { minLength: 1, maxLength: 5 }), daysOfWeek: dayList(weeklyDays) });
    if (weeklyDays) return byWeekday;
    const byDate = fc.record({ daysOfMonth: fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constant("Last" as const)), { minLength: 1, maxLength: 5 }) });
    return fc.oneof(byDate, byWeekday);
};

const validLongTerm = (weeklyDays?: readonly Day[]) =>
    fc.record(
        {
            monthly: fc.tuple(fc.integer({ min: 1, max: 1188 }), validMonthDays(weeklyDays)).map(([months, on]) => ({ months, ...on })),
            yearly: fc
                .tuple(fc.integer({ min: 1, max: 99 }), fc.uniqueArray(fc.constantFrom(...MONTHS), { minLength: 1, maxLength: 3 }), validMonthDays(weeklyDays))
                .map(([years, months, on]) => ({ years, months, ...on })),
        },
        { requiredKeys: [] },
    );

const validCommon = fc.record(
    {
        policyName: fc.stringMatching(/^[a-z][a-z0-9-]{1,19}[a-z0-9]$/),
        timeZone: fc.constantFrom("UTC", "W. Europe Standard Time", "Tokyo Standard Time", "Pacific Standard Time"),
        instantRestoreResourceGroup: fc.record({ prefix: fc.constantFrom("rg-snap-", "AzureBackupRG_"), suffix: fc.constantFrom("-x", "_01") }, { requiredKeys: ["prefix"] }),
    },
    { requiredKeys: [] },
);

const validDailyOrHourly = fc
    .record({
        vault: validVault,
        hourly: fc.boolean(),
        enhanced: fc.boolean(),
        policyTypeGiven: fc.boolean(),
        time: validTime,
        interval: fc.constantFrom(4, 6, 8, 12),
        windowMultiple: fc.integer({ min: 1, max: 6 }),
        dailyDays: fc.integer({ min: 7, max: 9999 }),
        instant: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        weekly: fc.option(fc.record({ weeks: fc.integer({ min: 1, max: 5163 }), days: dayList() }), { nil: undefined }),
        longTerm: validLongTerm(),
        common: validCommon,
    })
    .map((r) => {
        const enhanced = r.hourly || r.enhanced;
        const schedule = r.hourly
            ? { frequency: "Hourly", intervalHours: r.interval, windowStartTime: r.time, windowHours: r.interval * Math.min(r.windowMultiple, Math.floor(24 / r.interval)) }
            : { frequency: "Daily", time: r.time };
        const instant = r.instant === undefined ? undefined : Math.min(enhanced ? r.instant : 1 + ((r.instant - 1) % 5), r.dailyDays);
        return {
            vault: r.vault,
            ...(enhanced || r.policyTypeGiven ? { policyType: enhanced ? "Enhanced" : "Standard" } : {}),
            schedule,
            ...(instant !== undefined ? { instantRestoreDays: instant } : {}),
            retention: { dailyDays: r.dailyDays, ...(r.weekly ? { weekly: r.weekly } : {}), ...r.longTerm },
            ...r.common,
        };
    });

const validWeekly = dayList().chain((days) =>
    fc
        .record({
            vault: validVault,
            policyType: fc.constantFrom(undefined, "Standard", "Enhanced"),
            time: validTime,
            weeks: fc.integer({ min: 1, max: 5163 }),
            retentionDaysGiven: fc.boolean(),
            instant: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
            longTerm: validLongTerm(days),
            common: validCommon,
        })
        .map((r) => {
            const instant = r.instant === undefined ? undefined : r.policyType === "Enhanced" ? Math.min(r.instant, r.weeks * 7) : 5;
            return {
                vault: r.vault,
                ...(r.policyType ? { policyType: r.policyType } : {}),
                schedule: { frequency: "Weekly", days, time: r.time },
                ...(instant !== undefined ? { instantRestoreDays: instant } : {}),
                retention: { weekly: { weeks: r.weeks, ...(r.retentionDaysGiven ? { days: [...days].reverse() } : {}) }, ...r.longTerm },
                ...r.common,
            };
        }),
);

const validPolicyArgs: fc.Arbitrary<unknown> = fc.oneof(validDailyOrHourly, validWeekly);

// Near the valid space: every field drawn from a mix of right and wrong values, so schedules with
// the wrong frequency's fields, empty retention blocks, hourly with Standard, duplicated days,
// days of month 0/29/"Last" twice and the like come out in every combination.
const anyTime = fc.constantFrom("02:00", "02:30", "2:00", "02:15", "24:00", "23:59", "", "02:00:00", " 02:00", "14:30Z");
const anyDays = fc.oneof(dayList(), fc.constantFrom([], ["Sunday", "Sunday"], ["sunday"], ["Sun"], ["Monday", "Funday"], [1], "Sunday"));
const anyDaysOfMonth = fc.constantFrom([1], [28], [0], [29], [31], ["Last"], ["Last", "Last"], [1, 1], [], [1, "Last"], ["last"], [1.5], [-1], "Last");
const anyWeeksOfMonth = fc.constantFrom(["First"], ["Last"], ["First", "First"], [], ["Fifth"], "First");
const anyMonths = fc.constantFrom(["January"], [], ["January", "January"], ["Jan"], "January", ["January", "December"]);
const anyMonthDays = { daysOfMonth: anyDaysOfMonth, weeksOfMonth: anyWeeksOfMonth, daysOfWeek: anyDays };

const nearSchedule = fc.oneof(
    fc.record({ frequency: fc.constant("Daily"), time: anyTime }, { requiredKeys: ["frequency"] }),
    fc.record({ frequency: fc.constant("Weekly"), days: anyDays, time: anyTime }, { requiredKeys: ["frequency"] }),
    fc.record(
        {
            frequency: fc.constant("Hourly"),
            intervalHours: fc.constantFrom(4, 5, 6, 8, 12, 24, 0, "4"),
            windowStartTime: anyTime,
            windowHours: fc.constantFrom(4, 6, 8, 10, 12, 16, 24, 25, 3, 0, 12.5),
        },
        { requiredKeys: ["frequency"] },
    ),
    fc.constantFrom(
        { frequency: "Daily", days: ["Sunday"], time: "02:00" },
        { frequency: "Weekly", time: "02:00" },
        { frequency: "Hourly", time: "02:00" },
        { frequency: "Daily", intervalHours: 4, windowStartTime: "08:00", windowHours: 12 },
        { frequency: "Monthly", time: "02:00" },
        { frequency: "daily", time: "02:00" },
        { time: "02:00" },
        {},
    ),
);

const nearRetention = fc.oneof(
    { weight: 1, arbitrary: fc.constant({}) },
    {
        weight: 6,
        arbitrary: fc.record(
            {
                dailyDays: fc.constantFrom(7, 6, 30, 9999, 10000, 0, -7, 7.5, undefined),
                weekly: fc.oneof(fc.constant({}), fc.record({ weeks: fc.constantFrom(1, 0, 4, 5163, 5164, 1.5), days: anyDays }, { requiredKeys: [] })),
                monthly: fc.oneof(fc.constant({}), fc.record({ months: fc.constantFrom(1, 0, 12, 1188, 1189), ...anyMonthDays }, { requiredKeys: [] })),
                yearly: fc.oneof(
                    fc.constant({}),
                    fc.record({ years: fc.constantFrom(1, 0, 10, 99, 100), months: anyMonths, ...anyMonthDays }, { requiredKeys: [] }),
                ),
            },
            { requiredKeys: [] },
        ),
    },
);

const mixedPolicyArgs: fc.Arbitrary<unknown> = fc.record(
    {
        vault: fc.oneof(
            { weight: 4, arbitrary: validVault },
            { weight: 1, arbitrary: fc.constantFrom<RefKind>("vaultResource", "policy", "resourceGroup", "output:object").map(ref) },
            { weight: 1, arbitrary: fc.constantFrom(vaultIdOf("rsv-main"), { id: vaultIdOf("rsv-main") }, "main") },
        ),
        policyName: fc.constantFrom("good-name", "DefaultPolicy", "defaultpolicy", "EnhancedPolicy", "HourlyLogBackup", "ab", "1abc", "a_b", "x".repeat(151), ""),
        policyType: fc.constantFrom("Standard", "Enhanced", "standard", "V2", "", undefined),
        schedule: nearSchedule,
        timeZone: fc.constantFrom("UTC", "Europe/Berlin", "pacific standard time", "W. Europe Standard Time", "", "constructor", "__proto__", "toString", undefined),
        instantRestoreDays: fc.constantFrom(1, 2, 5, 6, 7, 30, 31, 0, -1, 2.5, undefined),
        retention: nearRetention,
        instantRestoreResourceGroup: fc.constantFrom(
            { prefix: "rg-" },
            { prefix: "rg-", suffix: "x." },
            { prefix: "" },
            { prefix: "x".repeat(71) },
            { prefix: "x".repeat(72) },
            { suffix: "s" },
            { prefix: "a b" },
            { prefix: "rg-", suffix: "" },
            {},
        ),
    },
    { requiredKeys: ["vault", "schedule", "retention"] },
);

const POLICY_TWEAKS: Tweak[] = [
    [["policyType"], fc.constantFrom("Standard", "Enhanced", "standard", "V2", undefined)],
    [["schedule"], nearSchedule],
    [["schedule", "frequency"], fc.constantFrom("Daily", "Weekly", "Hourly", "daily", "Monthly")],
    [["schedule", "time"], anyTime],
    [["schedule", "days"], anyDays],
    [["schedule", "intervalHours"], fc.constantFrom(4, 5, 6, 8, 12, 24, 0, "4")],
    [["schedule", "windowHours"], fc.constantFrom(4, 6, 8, 10, 12, 16, 24, 25, 3, 0, 12.5)],
    [["timeZone"], fc.constantFrom("Europe/Berlin", "pacific standard time", "", "constructor", "__proto__", "toString")],
    [["instantRestoreDays"], fc.constantFrom(1, 5, 6, 7, 30, 31, 0, -1, 2.5, 10000)],
    [["policyName"], fc.constantFrom("DefaultPolicy", "defaultpolicy", "EnhancedPolicy", "HourlyLogBackup", "ab", "1abc", "a_b", "x".repeat(151), "")],
    [["retention"], nearRetention],
    [["retention", "dailyDays"], fc.constantFrom(7, 6, 9999, 10000, 0, 7.5, undefined)],
    [["retention", "weekly"], fc.constantFrom({}, { weeks: 4 }, { weeks: 4, days: ["Sunday", "Sunday"] }, { weeks: 4, days: [] }, { weeks: 5164, days: ["Sunday"] }, undefined)],
    [["retention", "weekly", "days"], anyDays],
    [["retention", "monthly"], fc.record({ months: fc.constantFrom(1, 0, 1188, 1189), ...anyMonthDays }, { requiredKeys: [] })],
    [["retention", "monthly", "daysOfMonth"], anyDaysOfMonth],
    [["retention", "yearly"], fc.record({ years: fc.constantFrom(1, 0, 99, 100), months: anyMonths, ...anyMonthDays }, { requiredKeys: [] })],
    [["retention", "yearly", "daysOfWeek"], anyDays],
    [["instantRestoreResourceGroup"], fc.constantFrom({ prefix: "rg-", suffix: "x." }, { prefix: "" }, { prefix: "x".repeat(71) }, { prefix: "x".repeat(72) }, { suffix: "s" }, { prefix: "a b" })],
];

const POLICY_NEAR_MISSES: NearMiss[] = [
    [["vault"], fc.oneof(fc.constantFrom<RefKind>("vaultResource", "policy", "resourceGroup", "output:object").map(ref), fc.constantFrom(vaultIdOf("rsv-main"), "main"))],
    [["policyName"], fc.constantFrom("DefaultPolicy", "defaultpolicy", "EnhancedPolicy", "HourlyLogBackup", "ab", "ab-", "1abc", "a_b", "x".repeat(151), "")],
    [["policyType"], fc.constantFrom("standard", "V2", "")],
    [["schedule", "time"], fc.constantFrom("2:00", "02:15", "24:00", "23:59", "", "02:00:00", " 02:00", "14:30Z")],
    [["schedule", "days"], fc.constantFrom([], ["Sunday", "Sunday"], ["sunday"], ["Sun"], ["Monday", "Funday"], [1], "Sunday")],
    [["schedule", "intervalHours"], fc.constantFrom(5, 24, 0, "4")],
    [["schedule", "windowHours"], fc.constantFrom(25, 3, 0, 12.5)],
    [["timeZone"], fc.constantFrom("Europe/Berlin", "pacific standard time", "", "constructor", "__proto__", "toString")],
    [["instantRestoreDays"], fc.constantFrom(31, 0, -1, 2.5, 10000)],
    [["retention", "dailyDays"], fc.constantFrom(6, 10000, 0, 7.5)],
    [["retention", "weekly"], fc.constantFrom({}, { weeks: 4, days: ["Sunday", "Sunday"] }, { weeks: 4, days: [] }, { weeks: 5164, days: ["Sunday"] }, { weeks: 0 })],
    [["retention", "weekly", "days"], fc.constantFrom([], ["Sunday", "Sunday"], ["sunday"], ["Sun"], [1], "Sunday")],
    [["retention", "monthly"], fc.constantFrom({}, { months: 12 }, { months: 0, weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] }, { months: 1189, weeksOfMonth: ["Last"], daysOfWeek: ["Sunday"] })],
    [["retention", "monthly", "daysOfMonth"], fc.constantFrom([0], [29], [31], ["Last", "Last"], [1, 1], [], ["last"], [1.5], [-1], "Last")],
    [["retention", "yearly"], fc.constantFrom({}, { years: 0, months: ["May"], weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] }, { years: 100, months: ["May"], weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] }, { years: 5, months: [], weeksOfMonth: ["First"], daysOfWeek: ["Sunday"] })],
    [["retention", "yearly", "daysOfWeek"], fc.constantFrom([], ["Sunday", "Sunday"], ["sunday"], ["Sun"], [1], "Sunday")],
    [["instantRestoreResourceGroup"], fc.constantFrom({ prefix: "rg-", suffix: "x." }, { prefix: "" }, { prefix: "x".repeat(72) }, { suffix: "s" }, { prefix: "a b" })],
];

const POLICY_PATHS: Key[][] = [
    ...POLICY_KEYS.map((k) => [k]),
    ...["frequency", "time", "days", "intervalHours", "windowStartTime", "windowHours"].map((k) => ["schedule", k]),
    ["schedule", "days", 0],
    ...["dailyDays", "weekly", "monthly", "yearly"].map((k) => ["retention", k]),
    ["retention", "weekly", "weeks"],
    ["retention", "weekly", "days"],
    ["retention", "weekly", "days", 0],
    ...["months", "daysOfMonth", "weeksOfMonth", "daysOfWeek"].map((k) => ["retention", "monthly", k]),
    ["retention", "monthly", "daysOfMonth", 0],
    ...["years", "months", "daysOfMonth", "weeksOfMonth", "daysOfWeek"].map((k) => ["retention", "yearly", k]),
    ["retention", "yearly", "months", 0],
    ["instantRestoreResourceGroup", "prefix"],
    ["instantRestoreResourceGroup", "suffix"],
];
const POLICY_CONTAINERS: Key[][] = [["schedule"], ["retention"], ["retention", "weekly"], ["retention", "monthly"], ["retention", "yearly"], ["instantRestoreResourceGroup"]];

const policyIdArb: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(policyIdOf("rsv-main", "daily"), policyIdOf("existing", "enhanced")) },
    fc.constantFrom(
        policyIdOf("rsv-main", "daily"),
        policyIdOf("existing", "enhanced"),
        policyIdOf("existing", "gone"),
        `${policyIdOf("existing", "enhanced")}/`,
        policyIdOf("existing", "enhanced").toUpperCase(),
        "",
        "daily",
        vaultIdOf("existing"),
        `${vaultIdOf("existing")}/backupPolicies/`,
        vmIdOf("vm"),
    ),
    oddValue,
    fc.constantFrom<RefKind>("policy", "policyRef").map(ref),
);

const policyFactsArb: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(undefined, {}, { policyType: "Enhanced" }, { policyType: "Standard", vault: { location: "westeurope" } }) },
    fc.record(
        {
            policyType: fc.oneof(fc.constantFrom("Standard", "Enhanced", "V2"), oddValue),
            vault: fc.oneof(
                fc.record({ location: fc.constantFrom("westeurope", "mars"), storageRedundancy: fc.constantFrom("GeoRedundant", "GRS") }, { requiredKeys: [] }),
                oddValue,
            ),
        },
        { requiredKeys: [] },
    ),
    fc.record({ policyType: fc.constant("Standard"), extra: oddValue }),
    oddValue,
);

describe("VmBackupPolicy with generated bad input", () => {
    test("new VmBackupPolicy(name, args) returns or throws an InputPropertiesError naming an argument", async () => {
        const tally: Tally = { pass: 0, throw: 0 };
        await fc.assert(
            fc.asyncProperty(argsOf(validPolicyArgs, POLICY_NEAR_MISSES, POLICY_TWEAKS, mixedPolicyArgs, POLICY_PATHS, POLICY_CONTAINERS), async ({ args: generated, freeze, broken }) => {
                const name = `policy-${program.next()}`;
                const args = resolve(generated, program);
                if (freeze) deepFreeze(args);
                const call: Call = { component: "VmBackupPolicy", name, roots: withKeys(args, POLICY_KEYS), whole: { args, name } };
                await judge(call, () => new VmBackupPolicy(name, args as any), tally, broken);
            }),
            settings(200),
        );
        expect(tally.pass).toBeGreaterThan(0);
        expect(tally.throw).toBeGreaterThan(0);
        expect(tally.nearMiss).toBeGreaterThan(30);
    });

    test("every near miss is refused, naming the argument broken", async () => {
        await everyNearMissRefused("VmBackupPolicy", validPolicyArgs, POLICY_NEAR_MISSES, POLICY_KEYS, (name, args) => new VmBackupPolicy(name, args), 300);
    });

    test("VmBackupPolicy.fromId(name, policyId, facts) returns or throws an InputPropertiesError naming an argument", async () => {
        const tally: Tally = { pass: 0, throw: 0 };
        await fc.assert(
            fc.asyncProperty(policyIdArb, policyFactsArb, async (policyIdGenerated, factsGenerated) => {
                const name = `existing-${program.next()}`;
                const policyId = resolve(policyIdGenerated, program);
                const facts = resolve(factsGenerated, program);
                const call: Call = { component: "VmBackupPolicy", name, roots: { facts }, whole: { policyId, facts, args: facts, name } };
                await judge(call, () => VmBackupPolicy.fromId(name, policyId as any, facts as any), tally);
            }),
            settings(80),
        );
        expect(tally.pass).toBeGreaterThan(0);
        expect(tally.throw).toBeGreaterThan(0);
    });
});

// ---------------------------------------------------------------------------------------------
// ProtectedVm

const PROTECTED_VM_KEYS = ["policy", "vm", "excludeDiskLuns", "onDelete", "initialBackup"];

const validVm: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom<RefKind>("vmId:eu", "vmId:eu", "nativeVm", "classicVm").map(ref),
    fc.constantFrom<RefKind>("vmId:eu").map((k) => ({ id: ref(k) })),
    fc.constantFrom<RefKind>("vmId:eu").map((k) => ({ id: ref(k), location: "westeurope" })),
);

const nearVm: fc.Arbitrary<unknown> = fc.oneof(
    // VMs that exist but break a rule at preview (region, subscription, Trusted Launch under Standard, not found)
    fc.constantFrom<RefKind>("vmId:us", "vmId:tl", "vmId:gone", "vmId:otherSubscription", "nativeVmElsewhere").map(ref),
    // ids of the wrong shape
    fc.constantFrom(
        "",
        "vm-web",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ClassicCompute/virtualMachines/old",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss",
        "/subscriptions//resourceGroups//providers/Microsoft.Compute/virtualMachines/",
        vaultIdOf("rsv-main"),
        "x".repeat(4096),
    ),
    // { id, location } with either of the wrong kind
    fc.record({ id: fc.oneof(fc.constantFrom<RefKind>("vmId:eu", "output:string").map(ref), oddValue), location: fc.oneof(fc.constantFrom("westeurope", "West Europe", "eastus", ""), oddValue) }, { requiredKeys: ["id"] }),
    fc.constantFrom<unknown>(
        { id: Symbol("id") },
        { id: 5 },
        { id: null },
        { id: {} },
        { id: "" },
        { id: [vmIdOf("eu-list")] },
        { id: ref("circular") },
        { id: ref("output:number") },
        { id: ref("vmId:eu"), location: 5 },
        { id: ref("vmId:eu"), location: null },
        { id: ref("vmId:eu"), location: Symbol("location") },
        { id: ref("vmId:eu"), location: ref("circular") },
        { id: ref("vmId:eu"), location: ref("output:number") },
        { location: "westeurope", name: "vm" },
    ),
    // resources of the wrong kind
    fc.constantFrom<RefKind>("vault", "vaultResource", "policy", "resourceGroup", "output:string", "output:object").map(ref),
);

const validProtectedVmArgs: fc.Arbitrary<unknown> = fc.record(
    {
        policy: fc.constantFrom<RefKind>("policy", "policy", "enhancedPolicy", "policyRef", "policyRefLookedUp").map(ref),
        vm: validVm,
        excludeDiskLuns: fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 4 }),
        onDelete: fc.constantFrom("retain", "delete"),
    },
    { requiredKeys: ["policy", "vm"] },
);

const mixedProtectedVmArgs: fc.Arbitrary<unknown> = fc.record(
    {
        policy: fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom<RefKind>("policy", "enhancedPolicy", "policyRef", "policyRefLookedUp").map(ref) },
            { weight: 1, arbitrary: fc.constantFrom<RefKind>("vault", "vaultRef", "resourceGroup", "output:object").map(ref) },
            { weight: 1, arbitrary: fc.constantFrom(policyIdOf("rsv-main", "daily"), { id: policyIdOf("rsv-main", "daily") }, "daily") },
        ),
        vm: fc.oneof(validVm, nearVm),
        excludeDiskLuns: fc.constantFrom([0], [63], [64], [-1], [1, 1], [1.5], [NaN], ["1"], [], "1", 1, {}),
        onDelete: fc.constantFrom("retain", "delete", "Retain", "keep", "", true),
    },
    { requiredKeys: ["policy", "vm"] },
);

const PROTECTED_VM_TWEAKS: Tweak[] = [
    [["vm"], nearVm],
    [["policy"], fc.constantFrom<RefKind>("vault", "vaultRef", "resourceGroup", "output:object").map(ref)],
    [["policy"], fc.constantFrom(policyIdOf("rsv-main", "daily"), { id: policyIdOf("rsv-main", "daily") }, "daily")],
    [["excludeDiskLuns"], fc.constantFrom([0], [63], [64], [-1], [1, 1], [1.5], [NaN], ["1"], [], "1", 1, {})],
    [["onDelete"], fc.constantFrom("Retain", "keep", "", true)],
    [["initialBackup"], fc.constantFrom("yes", 1, { retainUntil: "2001-01-01" }, { retainUntil: 20990101 }, { endpoint: "ftp://x" }, { when: "now" }, null)],
];

const PROTECTED_VM_NEAR_MISSES: NearMiss[] = [
    // VMs that exist but break a rule of the VM at preview: region, subscription, not found.
    [["vm"], fc.constantFrom<RefKind>("vmId:us", "vmId:gone", "vmId:otherSubscription", "nativeVmElsewhere").map(ref)],
    [
        ["vm"],
        fc.constantFrom<unknown>(
            "",
            "vm-web",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ClassicCompute/virtualMachines/old",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss",
            vaultIdOf("rsv-main"),
            { id: 5 },
            { id: null },
            { id: "" },
            { id: ref("circular") },
            { id: ref("vmId:eu"), location: 5 },
            { id: ref("vmId:eu"), location: "mars" },
            { location: "westeurope", name: "vm" },
            ref("vault"),
            ref("resourceGroup"),
            ref("output:object"),
        ),
    ],
    [["policy"], fc.oneof(fc.constantFrom<RefKind>("vault", "vaultRef", "resourceGroup", "output:object").map(ref), fc.constantFrom(policyIdOf("rsv-main", "daily"), "daily"))],
    [["excludeDiskLuns"], fc.constantFrom([64], [-1], [1, 1], [1.5], [NaN], ["1"], "1", 1, {})],
    [["onDelete"], fc.constantFrom("Retain", "keep", "", true)],
    [["initialBackup"], fc.constantFrom("yes", 1, { retainUntil: 20990101 }, { endpoint: "ftp://x" }, { when: "now" }, null)],
];

const PROTECTED_VM_PATHS: Key[][] = [
    ...PROTECTED_VM_KEYS.map((k) => [k]),
    ["vm", "id"],
    ["vm", "location"],
    ["excludeDiskLuns", 0],
    ["excludeDiskLuns", 1],
    ["initialBackup", "retainUntil"],
];

describe("ProtectedVm with generated bad input", () => {
    test("new ProtectedVm(name, args) returns or throws an InputPropertiesError naming an argument", async () => {
        const tally: Tally = { pass: 0, throw: 0 };
        await fc.assert(
            fc.asyncProperty(argsOf(validProtectedVmArgs, PROTECTED_VM_NEAR_MISSES, PROTECTED_VM_TWEAKS, mixedProtectedVmArgs, PROTECTED_VM_PATHS, [["vm"]]), async ({ args: generated, freeze, broken }) => {
                const name = `protected-${program.next()}`;
                const args = resolve(generated, program);
                if (freeze) deepFreeze(args);
                const call: Call = { component: "ProtectedVm", name, roots: withKeys(args, PROTECTED_VM_KEYS), whole: { args, name } };
                await judge(call, () => new ProtectedVm(name, args as any), tally, broken);
            }),
            settings(120),
        );
        expect(tally.pass).toBeGreaterThan(0);
        expect(tally.throw).toBeGreaterThan(0);
        expect(tally.nearMiss).toBeGreaterThan(20);
    });

    test("every near miss is refused, naming the argument broken", async () => {
        await everyNearMissRefused("ProtectedVm", validProtectedVmArgs, PROTECTED_VM_NEAR_MISSES, PROTECTED_VM_KEYS, (name, args) => new ProtectedVm(name, args), 150);
    });
});

// ---------------------------------------------------------------------------------------------
// Names

const oddName = fc.oneof(
    fc.constantFrom(
        "",
        " ",
        "a",
        "x".repeat(5000),
        "名前",
        "😀",
        "a\nb",
        'a"b',
        "a\\b",
        "::",
        "a::b",
        "$",
        "/",
        "..",
        "-",
        "DefaultPolicy",
        "EnhancedPolicy",
        "__proto__",
        "constructor",
        "\u0000",
        "\u2028",
    ),
    fc.string({ unit: "grapheme", maxLength: 24 }),
);

type NamedCall = "BackupVault" | "BackupVault.fromId" | "VmBackupPolicy" | "VmBackupPolicy.fromId" | "ProtectedVm";

describe("names", () => {
    test("every constructor and fromId, given an odd name, returns or throws an InputPropertiesError naming an argument", async () => {
        const tally: Tally = { pass: 0, throw: 0 };
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom<NamedCall>("BackupVault", "BackupVault.fromId", "VmBackupPolicy", "VmBackupPolicy.fromId", "ProtectedVm"),
                oddName,
                fc.boolean(),
                async (what, name, breakAnArgument) => {
                    // With one argument broken, the message must still carry the odd name, escaped.
                    const bad = <T>(good: T, wrong: unknown): T => (breakAnArgument ? (wrong as T) : good);
                    // An empty name is refused first, for itself; otherwise the broken argument is named.
                    const broken = (path: string) => (breakAnArgument && name !== "" ? path : undefined);
                    switch (what) {
                        case "BackupVault": {
                            const args = { resourceGroupName: "rg", location: bad("westeurope", "mars") };
                            return judge({ component: "BackupVault", name, roots: withKeys(args, VAULT_KEYS), whole: { args, name } }, () => new BackupVault(name, args), tally, broken("location"));
                        }
                        case "BackupVault.fromId": {
                            const vaultId = bad(vaultIdOf("rsv-main"), "nope");
                            const facts = { location: "westeurope" };
                            return judge(
                                { component: "BackupVault", name, roots: { facts, ...facts }, whole: { vaultId, facts, args: facts, name } },
                                () => BackupVault.fromId(name, vaultId, facts),
                                tally,
                                broken("vaultId"),
                            );
                        }
                        case "VmBackupPolicy": {
                            const args = { vault: program.vault, schedule: { frequency: "Daily" as const, time: "02:00" }, retention: { dailyDays: bad(30, 3) } };
                            return judge({ component: "VmBackupPolicy", name, roots: withKeys(args, POLICY_KEYS), whole: { args, name } }, () => new VmBackupPolicy(name, args), tally, broken("retention.dailyDays"));
                        }
                        case "VmBackupPolicy.fromId": {
                            const policyId = bad(policyIdOf("rsv-main", "daily"), "nope");
                            const facts = { policyType: "Standard" as const, vault: { location: "westeurope" } };
                            return judge(
                                { component: "VmBackupPolicy", name, roots: { facts }, whole: { policyId, facts, args: facts, name } },
                                () => VmBackupPolicy.fromId(name, policyId, facts),
                                tally,
                                broken("policyId"),
                            );
                        }
                        case "ProtectedVm": {
                            const args = { policy: program.policy, vm: bad(vmIdOf(`eu-${program.next()}`), "nope") };
                            return judge({ component: "ProtectedVm", name, roots: withKeys(args, PROTECTED_VM_KEYS), whole: { args, name } }, () => new ProtectedVm(name, args), tally, broken("vm"));
                        }
                    }
                },
            ),
            settings(80),
        );
        expect(tally.pass).toBeGreaterThan(0);
        expect(tally.throw).toBeGreaterThan(0);
        expect(tally.nearMiss).toBeGreaterThan(20);
    });
});
