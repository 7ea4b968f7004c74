// One run of bench/preview-cost, in a process of its own: declares one vault, a policy per 100 VMs
// and a protected item per VM, with this library or with raw azure-native, on Pulumi's mock
// runtime, and prints its figures as one JSON line. bench/preview-cost.ts compiles this file to
// JavaScript and runs it with plain `node`, so the library is loaded built, by its package name.
//
//   node child.js <library|raw|raw+component> <vms> <preview|update>
import * as fs from "node:fs";
import { createHash } from "node:crypto";
import * as v8 from "node:v8";
import type * as Library from "pulumi-azure-vm-backup";

export const KINDS = ["library", "raw", "raw+component"] as const;
export type Kind = (typeof KINDS)[number];

export interface ChildFigures {
    kind: Kind;
    /** The file `require("pulumi-azure-vm-backup")` loaded (library runs). */
    libraryFile?: string;
    /** Loading @pulumi/pulumi, azure-native's recoveryservices module and (library) this package. */
    loadMs: number;
    /** From the first constructor to the last protected item registered. */
    programMs: number;
    resources: number;
    invokes: number;
    /**
     * Highest V8 heap used: the most of what each garbage collection found before it ran (V8's GC
     * profiler) and of samples taken every 5 ms, every 100 VMs declared and at the end.
     */
    peakHeapMb: number;
    /** VmHWM of /proc/self/status at the end: the kernel's own peak resident set size. */
    peakRssMb: number;
    /** V8's heap limit in this process: Node's default, which no flag changes here. */
    heapLimitMb: number;
    /** The custom resources registered: count by type, digest of every type, name and inputs, and a few in full. */
    registered: { byType: Record<string, number>; digest: string; samples: Record<string, string> };
}

/** Azure's portal caps a policy at 100 VMs, and so does the library: both runs spread VMs over policies of 100. */
const PER_POLICY = 100;
const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000b0";
const RESOURCE_GROUP = "rg-backup";
const VAULT = "rsv-bench";
const vmId = (i: number) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-${i}`;
/** Resources shown in full when the two runs' registrations differ. */
const SAMPLED = new Set(["vault", "daily-0", "vm-0"]);

const mb = (bytes: number) => bytes / 2 ** 20;

function vmHwmMb(): number {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
}

/** Object keys sorted, unknowns spelled out: the same inputs give the same text on both sides. */
function canonical(value: unknown, unknown: unknown): string {
    return JSON.stringify(value, (_k, v: unknown) => {
        if (v === unknown) return "[unknown]";
        if (v && typeof v === "object" && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        return v;
    });
}

async function run(kind: Kind, vms: number, preview: boolean): Promise<ChildFigures> {
    const gcs = new v8.GCProfiler();
    gcs.start();
    let peakHeap = 0;
    const sample = () => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    };
    // Between the synchronous stretches of the program; the declaring loop samples itself too.
    setInterval(sample, 5).unref();

    const t0 = performance.now();
    const pulumi = await import("@pulumi/pulumi");
    const recoveryservices = await import("@pulumi/azure-native/recoveryservices");
    // The package as a user loads it: built, by its name.
    const library = kind === "library" ? (require("pulumi-azure-vm-backup") as typeof Library) : undefined;
    const loadMs = performance.now() - t0;

    let resources = 0;
    let invokes = 0;
    const lines: string[] = [];
    const byType: Record<string, number> = {};
    const samples: Record<string, string> = {};
    const notFound = (what: string) => {
        throw Object.assign(new Error(`${what} not found: StatusCode=404`), { details: `${what} not found: StatusCode=404` });
    };
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                resources++;
                if (args.custom) {
                    const line = `${args.type} ${args.name} ${canonical(args.inputs, pulumi.runtime.unknownValue)}`;
                    lines.push(line);
                    byType[args.type] = (byType[args.type] ?? 0) + 1;
                    if (SAMPLED.has(args.name)) samples[`${args.type} ${args.name}`] = line;
                }
                return preview ? { id: undefined as unknown as string, state: args.inputs } : { id: `${args.name}-id`, state: args.inputs };
            },
            call(args) {
                invokes++;
                switch (args.token) {
                    case "azure-native:compute:getVirtualMachine":
                        return { id: vmId(0).replace("vm-0", args.inputs.vmName), name: args.inputs.vmName, location: "westeurope" };
                    case "azure-native:authorization:getClientConfig":
                        return { subscriptionId: SUBSCRIPTION, tenantId: "t", clientId: "c", objectId: "o" };
                    case "pulumi:pulumi:readStackResourceOutputs":
                        return { name: args.inputs.stackName, outputs: {} };
                    default:
                        return notFound(args.token);
                }
            },
        },
        "bench",
        "dev",
        preview,
        "organization",
    );
    sample();

    const t1 = performance.now();
    const items: { urn: unknown }[] = [];
    const policyCount = Math.ceil(vms / PER_POLICY);
    if (library) {
        const vault = new library.BackupVault("vault", { resourceGroupName: RESOURCE_GROUP, location: "westeurope", vaultName: VAULT });
        const policies = Array.from({ length: policyCount }, (_, p) => library.VmBackupPolicy.default(`daily-${p}`, vault));
        for (let i = 0; i < vms; i++) {
            // No initial backup: the raw runs have nothing like it, and both must register the same resources.
            items.push(new library.ProtectedVm(`vm-${i}`, { policy: policies[Math.floor(i / PER_POLICY)], vm: vmId(i), initialBackup: false }).protectedItem);
            if (i % 100 === 99) sample();
        }
    } else {
        // What VmBackupPolicy.default and BackupVault register, written by hand.
        const vault = new recoveryservices.Vault("vault", {
            resourceGroupName: RESOURCE_GROUP,
            location: "westeurope",
            vaultName: VAULT,
            sku: { name: "Standard" },
            properties: {
                redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Disabled" },
                securitySettings: {
                    softDeleteSettings: { softDeleteState: "Enabled", softDeleteRetentionPeriodInDays: 14 },
                    immutabilitySettings: { state: "Disabled" },
                },
            },
        });
        // Written by name, as a hand-written program does (vault.name is unknown at preview), after the vault.
        const inVault = { dependsOn: [vault] };
        const policy = (p: number) =>
            new recoveryservices.ProtectionPolicy(`daily-${p}`, {
                resourceGroupName: RESOURCE_GROUP,
                vaultName: VAULT,
                policyName: `daily-${p}`,
                properties: {
                    backupManagementType: "AzureIaasVM",
                    policyType: "V1",
                    instantRpRetentionRangeInDays: 2,
                    timeZone: "UTC",
                    schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: ["2024-01-01T02:00:00Z"] },
                    retentionPolicy: {
                        retentionPolicyType: "LongTermRetentionPolicy",
                        dailySchedule: { retentionTimes: ["2024-01-01T02:00:00Z"], retentionDuration: { count: 30, durationType: "Days" } },
                    },
                },
            }, inVault);
        const policies = Array.from({ length: policyCount }, (_, p) => policy(p));
        for (let i = 0; i < vms; i++) {
            const name = `iaasvmcontainerv2;rg-app;vm-${i}`;
            items.push(
                new recoveryservices.ProtectedItem(`vm-${i}`, {
                    resourceGroupName: RESOURCE_GROUP,
                    vaultName: VAULT,
                    fabricName: "Azure",
                    containerName: `iaasvmcontainer;${name}`,
                    protectedItemName: `vm;${name}`,
                    properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vmId(i), policyId: policies[Math.floor(i / PER_POLICY)].id },
                }, {
                    ...inVault,
                    deleteBeforeReplace: true,
                    retainOnDelete: true,
                    ...(kind === "raw+component" ? { parent: new pulumi.ComponentResource("bench:index:Wrapper", `vm-${i}`, {}) } : {}),
                }),
            );
            if (i % 100 === 99) sample();
        }
    }
    await Promise.all(items.map((r) => (r.urn as { promise(): Promise<string> }).promise()));
    const programMs = performance.now() - t1;
    sample();
    for (const gc of gcs.stop().statistics) peakHeap = Math.max(peakHeap, gc.beforeGC.heapStatistics.usedHeapSize);
    lines.sort();
    const digest = createHash("sha256");
    for (const line of lines) digest.update(line).update("\n");
    return {
        kind,
        ...(library ? { libraryFile: require.resolve("pulumi-azure-vm-backup") } : {}),
        loadMs,
        programMs,
        resources,
        invokes,
        peakHeapMb: mb(peakHeap),
        peakRssMb: vmHwmMb(),
        heapLimitMb: mb(v8.getHeapStatistics().heap_size_limit),
        registered: { byType, digest: digest.digest("hex"), samples },
    };
}

if (require.main === module) {
    const [kind, vms, mode] = process.argv.slice(2);
    run(kind as Kind, Number(vms), mode !== "update").then(
        (f) => process.stdout.write(`${JSON.stringify(f)}\n`, () => process.exit(0)),
        (err) => {
            process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
            process.exit(1);
        },
    );
}
