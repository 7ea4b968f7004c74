// bench/preview-cost: what a preview of N protected VMs costs with this library, beside the same
// vault, policy and protected items declared with raw azure-native, on Pulumi's mock runtime.
//
// Each run is a child process of its own (fresh module cache and heap), started with
// --expose-gc so that memory is read after a full collection:
//   library - one BackupVault, a VmBackupPolicy.default per 100 VMs and N ProtectedVms of existing VMs by ID:
//             every rule and look-up (VM, vault, item, client config) answered by the mock, as a
//             real preview would ask the engine (a first preview: the stack has no last deployment);
//   raw     - one recoveryservices.Vault, a ProtectionPolicy per 100 VMs and N ProtectedItems with the
//             same inputs, written by hand: no rules, no look-ups;
//   raw+component - the same, each item under a bare ComponentResource of its own: what a
//             component per VM costs by itself.
// Prints figures side by side; asserts nothing. See bench/README.md.
//
//   npm run bench:preview-cost -- [--vms 500] [--update] [--repeat 3]   (builds the package first)
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";

const KINDS = ["library", "raw", "raw+component"] as const;
type Kind = (typeof KINDS)[number];

interface Figures {
    kind: Kind;
    /** Loading @pulumi/pulumi, azure-native's recoveryservices module and (library) this package. */
    loadMs: number;
    /** From the first constructor to the last protected item registered. */
    programMs: number;
    resources: number;
    invokes: number;
    /** Heap in use after a full collection, before and after the program. */
    heapBeforeMb: number;
    heapAfterMb: number;
    rssMb: number;
}

/** Azure's portal caps a policy at 100 VMs, and so does the library: both runs spread VMs over policies of 100. */
const PER_POLICY = 100;
const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000b0";
const vmId = (i: number) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-${i}`;

const gc = () => (globalThis as unknown as { gc?: () => void }).gc?.();
const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;

/** One run, in this process: the child's side. */
async function run(kind: Kind, vms: number, preview: boolean): Promise<Figures> {
    const t0 = performance.now();
    const pulumi = await import("@pulumi/pulumi");
    const recoveryservices = await import("@pulumi/azure-native/recoveryservices");
    // The package as a user loads it: built, by its name.
    const library = kind === "library" ? await import("pulumi-azure-vm-backup") : undefined;
    const loadMs = performance.now() - t0;

    let resources = 0;
    let invokes = 0;
    const notFound = (what: string) => {
        throw Object.assign(new Error(`${what} not found: StatusCode=404`), { details: `${what} not found: StatusCode=404` });
    };
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                resources++;
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
    gc();
    const heapBeforeMb = heapMb();

    const t1 = performance.now();
    const items: { urn: unknown }[] = [];
    if (library) {
        const vault = new library.BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-bench" });
        const policies = Array.from({ length: Math.ceil(vms / PER_POLICY) }, (_, p) => library.VmBackupPolicy.default(`daily-${p}`, vault));
        for (let i = 0; i < vms; i++) items.push(new library.ProtectedVm(`vm-${i}`, { policy: policies[Math.floor(i / PER_POLICY)], vm: vmId(i) }).protectedItem);
    } else {
        const vault = new recoveryservices.Vault("vault", {
            resourceGroupName: "rg-backup",
            location: "westeurope",
            vaultName: "rsv-bench",
            sku: { name: "Standard" },
            properties: { publicNetworkAccess: "Enabled", redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Disabled" } },
        });
        const policy = (p: number) => new recoveryservices.ProtectionPolicy(`daily-${p}`, {
            resourceGroupName: "rg-backup",
            vaultName: vault.name,
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
        });
        const policies = Array.from({ length: Math.ceil(vms / PER_POLICY) }, (_, p) => policy(p));
        for (let i = 0; i < vms; i++) {
            const name = `iaasvmcontainerv2;rg-app;vm-${i}`;
            items.push(
                new recoveryservices.ProtectedItem(`vm-${i}`, {
                    resourceGroupName: "rg-backup",
                    vaultName: vault.name,
                    fabricName: "Azure",
                    containerName: `iaasvmcontainer;${name}`,
                    protectedItemName: `vm;${name}`,
                    properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vmId(i), policyId: policies[Math.floor(i / PER_POLICY)].id },
                }, {
                    deleteBeforeReplace: true,
                    retainOnDelete: true,
                    ...(kind === "raw+component" ? { parent: new pulumi.ComponentResource("bench:index:Wrapper", `vm-${i}`, {}) } : {}),
                }),
            );
        }
    }
    await Promise.all(items.map((r) => (r.urn as { promise(): Promise<string> }).promise()));
    const programMs = performance.now() - t1;
    gc();
    return { kind, loadMs, programMs, resources, invokes, heapBeforeMb, heapAfterMb: heapMb(), rssMb: process.memoryUsage().rss / 2 ** 20 };
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

function main(): void {
    const { values } = parseArgs({
        options: {
            vms: { type: "string", default: "500" },
            update: { type: "boolean", default: false },
            repeat: { type: "string", default: "3" },
            child: { type: "string" },
            help: { type: "boolean" },
        },
        strict: true,
    });
    if (values.help) {
        process.stdout.write("usage: npx tsx bench/preview-cost.ts [--vms 500] [--update] [--repeat 3]\n");
        return;
    }
    const vms = Number(values.vms);
    const repeat = Number(values.repeat);
    if (!Number.isInteger(vms) || vms < 1) throw new Error(`--vms: expected an integer >= 1, got ${JSON.stringify(values.vms)}`);
    if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat: expected an integer >= 1, got ${JSON.stringify(values.repeat)}`);
    const preview = !values.update;

    if (values.child) {
        run(values.child as Kind, vms, preview).then(
            (f) => process.stdout.write(JSON.stringify(f)),
            (err) => {
                process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
                process.exit(1);
            },
        );
        return;
    }

    // Rotate the order from one round to the next so that no run always goes first.
    const results: Record<Kind, Figures[]> = { library: [], raw: [], "raw+component": [] };
    for (let r = 0; r < repeat; r++) {
        for (const kind of [...KINDS.slice(r % KINDS.length), ...KINDS.slice(0, r % KINDS.length)]) {
            const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", __filename, "--child", kind, "--vms", String(vms), ...(preview ? [] : ["--update"])], {
                encoding: "utf8",
                maxBuffer: 1 << 20,
            });
            results[kind].push(JSON.parse(out) as Figures);
        }
    }

    const rows: [string, (f: Figures[]) => string][] = [
        ["resources registered", (f) => String(f[0].resources)],
        ["invokes", (f) => String(f[0].invokes)],
        ["load (median ms)", (f) => median(f.map((x) => x.loadMs)).toFixed(0)],
        ["program (median ms)", (f) => median(f.map((x) => x.programMs)).toFixed(0)],
        ["per VM (median ms)", (f) => (median(f.map((x) => x.programMs)) / vms).toFixed(2)],
        ["heap growth (median MB)", (f) => median(f.map((x) => x.heapAfterMb - x.heapBeforeMb)).toFixed(1)],
        ["heap per VM (median KB)", (f) => ((median(f.map((x) => x.heapAfterMb - x.heapBeforeMb)) * 1024) / vms).toFixed(1)],
        ["RSS at end (median MB)", (f) => median(f.map((x) => x.rssMb)).toFixed(0)],
    ];
    process.stdout.write(`preview-cost: ${vms} VMs, ${preview ? "preview" : "update"} mode, ${repeat} run(s) each, Node ${process.version}\n\n`);
    process.stdout.write(`| | library | raw azure-native | raw + a component per VM |\n|---|---|---|---|\n`);
    for (const [label, value] of rows) process.stdout.write(`| ${label} | ${KINDS.map((k) => value(results[k])).join(" | ")} |\n`);
}

main();
