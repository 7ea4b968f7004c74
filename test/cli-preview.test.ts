// `azure-vm-backup preview` end to end, as a child process, the way CI runs it.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CLI, ROOT, runCli, type CliResult } from "./cli-process";

const GENERATED = path.join(__dirname, ".generated");
const FIXTURES = path.join(__dirname, "fixtures", "programs");

type Result = CliResult;

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { ...process.env, ...env });

/** The lines from "Diagnostics:" to the end. */
const diagnostics = (stdout: string) => stdout.slice(stdout.indexOf("Diagnostics:")).trimEnd().split("\n");

const examples = fs
    .readdirSync(path.join(ROOT, "examples"))
    .filter((d) => fs.existsSync(path.join(ROOT, "examples", d, "Pulumi.yaml")))
    .sort();

/** Writes a program or inventory under test/.generated (git ignores it); returns its path. */
function generate(relative: string, text: string): string {
    const file = path.join(GENERATED, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
}

describe("every example previews cleanly", () => {
    // Two at a time: each run loads Pulumi and azure-native afresh.
    const results = new Map<string, Promise<Result>>();
    beforeAll(() => {
        let chain: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
        examples.forEach((name, i) => {
            const inventory = path.join("examples", name, "inventory.json");
            const args = ["preview", path.join("examples", name), ...(fs.existsSync(path.join(ROOT, inventory)) ? ["--inventory", inventory] : []), "--json"];
            const lane = i % 2;
            const result = chain[lane].then(() => cli(args));
            chain[lane] = result;
            results.set(name, result);
        });
    });

    test("examples/ holds the documented programs", () => {
        expect(examples).toEqual(["classic-provider", "enhanced-hourly", "existing-vms", "multi-region", "quickstart", "tagged-fleet"]);
    });

    test.each(examples)("examples/%s", async (name) => {
        const { code, stdout, stderr } = await results.get(name)!;
        expect(stderr).toBe("");
        const report = JSON.parse(stdout);
        const errors = report.diagnostics.filter((d: { severity: string }) => d.severity === "error");
        expect(errors).toEqual([]);
        expect(code).toBe(0);
        const types = report.resources.map((r: { type: string }) => r.type);
        expect(types[0]).toBe("pulumi:pulumi:Stack");
        expect(types).toContain("azure-native:recoveryservices:ProtectedItem");
        // Every protected item sits under its ProtectedVm component.
        const byUrn = new Map(report.resources.map((r: { urn: string }) => [r.urn, r]));
        for (const item of report.resources.filter((r: { type: string }) => r.type === "azure-native:recoveryservices:ProtectedItem")) {
            expect((byUrn.get(item.parent) as { type: string }).type).toBe("azure-vm-backup:index:ProtectedVm");
        }
    });
});

describe("the report", () => {
    test("quickstart, as text: the tree, the summary, the outputs", async () => {
        const { code, stdout } = await cli(["preview", ".", "--inventory", "examples/quickstart/inventory.json"]);
        expect(code).toBe(0);
        expect(stdout).toBe(
            [
                "Previewing update (dev), offline:",
                "",
                "     Type                                                  Name                            Plan",
                " +   pulumi:pulumi:Stack                                   azure-vm-backup-quickstart-dev  create",
                " +   ├─ azure-vm-backup:index:BackupVault                  vault                           create",
                " +   │  └─ azure-native:recoveryservices:Vault             vault                           create",
                " +   ├─ azure-vm-backup:index:VmBackupPolicy               daily                           create",
                " +   │  └─ azure-native:recoveryservices:ProtectionPolicy  daily                           create",
                " +   ├─ azure-vm-backup:index:ProtectedVm                  web                             create",
                " +   │  └─ azure-native:recoveryservices:ProtectedItem     web                             create",
                " +   ├─ azure-vm-backup:index:ProtectedVm                  db                              create",
                " +   │  └─ azure-native:recoveryservices:ProtectedItem     db                              create",
                " +   ├─ azure-native:resources:ResourceGroup               backup-quickstart               create",
                " +   ├─ azure-native:network:VirtualNetwork                vnet                            create",
                " +   ├─ azure-native:network:NetworkInterface              vm-web-nic                      create",
                " +   ├─ azure-native:network:NetworkInterface              vm-db-nic                       create",
                " +   ├─ azure-native:compute:VirtualMachine                vm-web                          create",
                " +   └─ azure-native:compute:VirtualMachine                vm-db                           create",
                "",
                "Resources:",
                "    + 15 to create",
                "",
                "Outputs:",
                "    vaultId: output<string>",
                "    vmIds:   output<string>",
                "",
                "0 warnings: the preview passed",
                "",
            ].join("\n"),
        );
    });

    test("--json: resources with urn, type, name, parent and inputs; diagnostics; outputs", async () => {
        const { code, stdout } = await cli(["preview", "examples/existing-vms", "--inventory", "examples/existing-vms/inventory.json", "--json"]);
        expect(code).toBe(0);
        const report = JSON.parse(stdout);
        expect(Object.keys(report).sort()).toEqual(["diagnostics", "outputs", "resources"]);
        for (const r of report.resources) expect(Object.keys(r).sort()).toEqual(["inputs", "name", "parent", "type", "urn"]);
        const item = report.resources.find((r: { name: string; type: string }) => r.name === "sql" && r.type === "azure-native:recoveryservices:ProtectedItem");
        expect(item.inputs).toMatchObject({
            resourceGroupName: "rg-backup-prod",
            vaultName: "rsv-erp-prod",
            fabricName: "Azure",
            containerName: "iaasvmcontainer;iaasvmcontainerv2;rg-erp-prod;vm-erp-sql-01",
            protectedItemName: "vm;iaasvmcontainerv2;rg-erp-prod;vm-erp-sql-01",
            properties: { protectedItemType: "Microsoft.Compute/virtualMachines", policyId: "[unknown]" },
        });
        expect(report.diagnostics).toEqual([]);
    });
});

describe("programs that break the rules fail with exit code 1", () => {
    test("a broken copy of the quickstart: wrong vault region and a daylight-saving time zone", async () => {
        const source = fs
            .readFileSync(path.join(ROOT, "examples", "quickstart", "index.ts"), "utf8")
            .replace('location, vaultName: "rsv-backup-quickstart"', 'location: "northeurope", vaultName: "rsv-backup-quickstart"')
            .replace(
                'VmBackupPolicy.default("daily", vault)',
                'new VmBackupPolicy("daily", { vault, schedule: { frequency: "Daily", time: "02:00" }, timeZone: "W. Europe Standard Time", retention: { dailyDays: 30 } })',
            );
        expect(source).toContain('"northeurope"');
        const dir = path.dirname(generate("broken-quickstart/index.ts", source));
        fs.copyFileSync(path.join(ROOT, "examples", "quickstart", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const { code, stdout } = await cli(["preview", dir, "--inventory", "examples/quickstart/inventory.json"]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  azure-vm-backup:index:VmBackupPolicy (daily):",
            '    warning: VmBackupPolicy "daily": timeZone: observes daylight saving time, but Azure Backup does not adjust the schedule for it: while it is in effect, backups run an hour off the local time given, got "W. Europe Standard Time"',
            "  azure-vm-backup:index:ProtectedVm (web):",
            '    error: ProtectedVm "web": vm: VM "vm-web" is in westeurope but vault "rsv-backup-quickstart" is in northeurope; a vault protects only VMs of its own region, so use a vault in westeurope, got VM region westeurope',
            "  azure-vm-backup:index:ProtectedVm (db):",
            '    error: ProtectedVm "db": vm: VM "vm-db" is in westeurope but vault "rsv-backup-quickstart" is in northeurope; a vault protects only VMs of its own region, so use a vault in westeurope, got VM region westeurope',
            "",
            "2 errors, 1 warning: the preview failed",
        ]);
    });

    test.each<[string, string[]]>([
        ["bad-args", ["  pulumi:pulumi:Stack (fixture-bad-args-dev):", '    error: VmBackupPolicy "daily": retention.dailyDays: must be between 7 and 9999, got 3']],
        ["throws", ["  pulumi:pulumi:Stack (fixture-throws-dev):", "    error: the program could not read its settings"]],
        ["rejects", ["  pulumi:pulumi:Stack (fixture-rejects-dev):", "    error: a background task failed"]],
        ["log-error", ["  azure-vm-backup:index:BackupVault (vault):", "    error: the vault needs an owner tag"]],
        [
            "unanswerable",
            [
                "  pulumi:pulumi:Stack (fixture-unanswerable-dev):",
                "    error: the offline preview cannot answer the invoke azure-native:network:getVirtualNetwork from an inventory; it answers azure-native:authorization:getClientConfig, azure-native:compute:getVirtualMachine, azure-native:recoveryservices:getVault, azure-native:recoveryservices:getProtectionPolicy, azure-native:recoveryservices:getProtectedItem, azure-native:resources:getResource, azure:compute/getVirtualMachine:getVirtualMachine, azure:core/getClientConfig:getClientConfig, azure:core/getResources:getResources. Give the program the value directly, or run a real pulumi preview",
            ],
        ],
    ])("%s", async (name, expected) => {
        const { code, stdout } = await cli(["preview", path.join(FIXTURES, name)]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual(["Diagnostics:", ...expected, "", "1 error, 0 warnings: the preview failed"]);
    });
});

describe("like the language host, it waits for the whole program", () => {
    test("resources declared after an await and in a timer are planned", async () => {
        const { code, stdout } = await cli(["preview", path.join(FIXTURES, "late"), "--json"]);
        expect(code).toBe(0);
        expect(JSON.parse(stdout).resources.map((r: { type: string; name: string }) => `${r.type}::${r.name}`)).toEqual([
            "pulumi:pulumi:Stack::fixture-late-dev",
            "azure-vm-backup:index:BackupVault::vault",
            "azure-native:recoveryservices:Vault::vault",
            "azure-vm-backup:index:VmBackupPolicy::daily",
            "azure-native:recoveryservices:ProtectionPolicy::daily",
        ]);
    });

    test("an output of a resource that failed is unknown, and the report still comes; the program's prints go to stderr", async () => {
        const dir = path.join(FIXTURES, "failed-output");
        const { code, stdout, stderr } = await cli(["preview", dir, "--inventory", path.join(dir, "inventory.json"), "--json"]);
        expect(code).toBe(1);
        expect(stderr).toBe("declaring the backup of vm-web\n");
        const report = JSON.parse(stdout);
        expect(report.outputs).toEqual({ itemId: "[unknown]" });
        expect(report.diagnostics).toEqual([
            {
                severity: "error",
                urn: "urn:pulumi:dev::fixture-failed-output::azure-vm-backup:index:ProtectedVm::web",
                message:
                    'ProtectedVm "web": vm: VM "vm-web" is in westeurope but vault "vault" is in northeurope; a vault protects only VMs of its own region, so use a vault in westeurope, got VM region westeurope',
            },
        ]);
    });

    test("nothing is written: not even a TypeScript cache", async () => {
        const tmp = path.join(GENERATED, "empty-tmp");
        fs.rmSync(tmp, { recursive: true, force: true });
        fs.mkdirSync(tmp, { recursive: true });
        const { code } = await cli(["preview", "examples/quickstart", "--inventory", "examples/quickstart/inventory.json"], { TMPDIR: tmp });
        expect(code).toBe(0);
        expect(fs.readdirSync(tmp)).toEqual([]);
    });
});

describe("it never hangs and never passes a program that did not finish", () => {
    const stackOf = (name: string) => `urn:pulumi:dev::fixture-${name}::pulumi:pulumi:Stack::fixture-${name}-dev`;

    test("an exported async function that never resolves fails, with what it planned before", async () => {
        const { code, stdout } = await cli(["preview", path.join(FIXTURES, "never-finishes"), "--json"]);
        expect(code).toBe(1);
        const report = JSON.parse(stdout);
        expect(report.resources.map((r: { type: string }) => r.type)).toEqual([
            "pulumi:pulumi:Stack",
            "azure-vm-backup:index:BackupVault",
            "azure-native:recoveryservices:Vault",
        ]);
        expect(report.outputs).toEqual({});
        expect(report.diagnostics).toEqual([
            {
                severity: "error",
                urn: stackOf("never-finishes"),
                message:
                    "the program never finished: the promise its exported function returned was still pending when nothing was left to run, so it could never settle",
            },
        ]);
    });

    // Each is stopped at a 2s deadline: a process of its own is killed, whatever its thread is doing.
    // None ends by itself: left running, it would meet the test's own timeout (30 s).
    test.each(["timer-left-running", "busy-loop", "promise-flood"])("%s: stopped at the --timeout deadline, exit 1 naming it", async (name) => {
        const started = Date.now();
        const { code, stdout, stderr } = await cli(["preview", path.join(FIXTURES, name), "--timeout", "2s", "--json"]);
        const elapsed = Date.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(2000);
        expect(elapsed).toBeLessThan(15_000);
        expect(code).toBe(1);
        expect(stderr).toBe("");
        const report = JSON.parse(stdout);
        expect(report.resources[0]).toEqual({ urn: stackOf(name), type: "pulumi:pulumi:Stack", name: `fixture-${name}-dev`, parent: null, inputs: {} });
        expect(report).toEqual({
            resources: report.resources,
            diagnostics: [
                {
                    severity: "error",
                    urn: stackOf(name),
                    message:
                        "the program did not finish within the deadline of 2s (--timeout 2s), so the preview stopped it: look for a timer or connection left open, a loop that never ends, or an endless chain of promises",
                },
            ],
            outputs: {},
        });
    });

    test("a run stopped at the deadline shows what it had planned by then", async () => {
        // Long enough for the program to load and declare its vault on a loaded machine; then its timer keeps it running.
        const { code, stdout } = await cli(["preview", path.join(FIXTURES, "timer-left-running"), "--timeout", "6s"]);
        expect(code).toBe(1);
        expect(stdout.slice(0, stdout.indexOf("Diagnostics:"))).toBe(
            [
                "Previewing update (dev), offline:",
                "",
                "     Type                                       Name                            Plan",
                " +   pulumi:pulumi:Stack                        fixture-timer-left-running-dev  create",
                " +   └─ azure-vm-backup:index:BackupVault       vault                           create",
                " +      └─ azure-native:recoveryservices:Vault  vault                           create",
                "",
                "Resources:",
                "    + 3 to create",
                "",
                "",
            ].join("\n"),
        );
    });

    test("stopped from outside (SIGTERM), the command stops the program's process too", async () => {
        /** State and parent of a process, from /proc (state "gone" once it is reaped). */
        const stat = (pid: string) => {
            if (!fs.existsSync(`/proc/${pid}/stat`)) return { state: "gone", ppid: "" };
            const [state, ppid] = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
            return { state, ppid };
        };
        const command = spawn(process.execPath, [CLI, "preview", path.join(FIXTURES, "busy-loop"), "--timeout", "60s"], { cwd: ROOT, stdio: "ignore" });
        const exited = new Promise<number | null>((resolve) => command.on("exit", (code) => resolve(code)));
        let program: string | undefined;
        for (let i = 0; i < 100 && program === undefined; i++) {
            await new Promise((r) => setTimeout(r, 50));
            program = fs.readdirSync("/proc").find((d) => /^\d+$/.test(d) && stat(d).ppid === String(command.pid));
        }
        expect(program).toBeDefined();
        try {
            await new Promise((r) => setTimeout(r, 1000));
            command.kill("SIGTERM");
            expect(await exited).toBe(130);
            await new Promise((r) => setTimeout(r, 200));
            // Gone, or a zombie nothing has reaped yet: either way it runs no more.
            expect(["gone", "Z"]).toContain(stat(program!).state);
        } finally {
            if (!["gone", "Z"].includes(stat(program!).state)) process.kill(Number(program), "SIGKILL");
        }
    });

    test("a program that ends the process itself fails: what it declared never reached the engine", async () => {
        const { code, stdout } = await cli(["preview", path.join(FIXTURES, "exits-early")]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  pulumi:pulumi:Stack (fixture-exits-early-dev):",
            // The Pulumi SDK turns the program's exit(0) into 1: promises were still active.
            "    error: the program ended the process (exit code 1) before the preview could finish",
            "",
            "1 error, 0 warnings: the preview failed",
        ]);
    });

    test("a resource that waits on a promise nothing settles never registers, and the run fails", async () => {
        const { code, stdout, stderr } = await cli(["preview", path.join(FIXTURES, "leaks-a-promise")]);
        expect(code).toBe(1);
        expect(stderr).toMatch(/^The Pulumi runtime detected that \d+ promises were still active/);
        expect(stdout).toContain(" +   └─ azure-vm-backup:index:BackupVault  vault                        create\n\nResources:\n    + 2 to create");
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  pulumi:pulumi:Stack (fixture-leaks-a-promise-dev):",
            "    error: the program ended with promises still pending (the Pulumi runtime's message is on stderr): an output or a resource waits on something that never settles",
            "",
            "1 error, 0 warnings: the preview failed",
        ]);
    });

    test("what the program writes to stdout goes to stderr: --json stays parseable", async () => {
        const { code, stdout, stderr } = await cli(["preview", path.join(FIXTURES, "prints-to-stdout"), "--json"]);
        expect(code).toBe(0);
        expect(stderr).toBe("progress: declaring the vault\n");
        expect(JSON.parse(stdout).resources.map((r: { name: string }) => r.name)).toEqual(["fixture-prints-to-stdout-dev", "vault", "vault"]);
    });

    test("a program within its deadline passes, and the default deadline is 10m", async () => {
        const { code } = await cli(["preview", path.join(FIXTURES, "late"), "--timeout", "90s"]);
        expect(code).toBe(0);
        const help = await cli(["preview", "--help"]);
        expect(help.stdout.replace(/\s+/g, " ")).toContain("--timeout <duration> stop the program and fail after this long, e.g. 90s or 15m (default: 10m)");
    });
});

describe("config and the classic provider's look-ups", () => {
    const dir = path.join(FIXTURES, "classic-lookups");

    test("--stack reads Pulumi.<stack>.yaml over the project's defaults; classic getVirtualMachine and getResources are answered", async () => {
        const { code, stdout } = await cli(["preview", dir, "--inventory", path.join(dir, "inventory.json"), "--stack", "ci", "--json"]);
        expect(code).toBe(0);
        const report = JSON.parse(stdout);
        expect(report.resources.find((r: { type: string }) => r.type === "azure-native:recoveryservices:Vault").inputs.location).toBe("northeurope");
        expect(report.resources.find((r: { type: string }) => r.type === "azure-native:recoveryservices:ProtectedItem").inputs.properties.sourceResourceId).toBe(
            "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-web",
        );
        expect(report.outputs).toEqual({ vmNames: ["vm-web", "vm-db"] });
    });

    test("with the project's default region, the VM the classic look-up found is in another region", async () => {
        const { code, stdout } = await cli(["preview", dir, "--inventory", path.join(dir, "inventory.json")]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  azure-vm-backup:index:ProtectedVm (web):",
            '    error: ProtectedVm "web": vm: VM "vm-web" is in northeurope but vault "vault" is in westeurope; a vault protects only VMs of its own region, so use a vault in northeurope, got VM region northeurope',
            "",
            "1 error, 0 warnings: the preview failed",
        ]);
    });
});

describe("TypeScript settings: Pulumi.yaml's runtime.options.tsconfig, as the language host reads it", () => {
    /** A program whose one output says which of two files the module "which" resolved to. */
    const program = (name: string, options: string) => {
        generate(`${name}/tsconfig.json`, JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { which: ["./default.ts"] } } }));
        generate(`${name}/tsconfig.chosen.json`, JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { which: ["./chosen.ts"] } } }));
        generate(`${name}/default.ts`, 'export const file = "default.ts";\n');
        generate(`${name}/chosen.ts`, 'export const file = "chosen.ts";\n');
        generate(`${name}/index.ts`, 'import { file } from "which";\nexport const resolved = file;\n');
        return path.dirname(generate(`${name}/Pulumi.yaml`, `name: ${name}\nruntime:\n  name: nodejs\n  options:\n${options}main: index.ts\n`));
    };

    test("the file it names is used in place of the directory's tsconfig.json, which is used without it", async () => {
        const named = await cli(["preview", program("tsconfig-named", "    typescript: true\n    tsconfig: tsconfig.chosen.json\n"), "--json"]);
        expect(named.code).toBe(0);
        expect(JSON.parse(named.stdout).outputs).toEqual({ resolved: "chosen.ts" });
        const unnamed = await cli(["preview", program("tsconfig-unnamed", "    typescript: true\n"), "--json"]);
        expect(unnamed.code).toBe(0);
        expect(JSON.parse(unnamed.stdout).outputs).toEqual({ resolved: "default.ts" });
    });

    test("a tsconfig that is not a path, or names no file, is refused", async () => {
        const notPath = program("tsconfig-number", "    tsconfig: 3\n");
        const refused = await cli(["preview", notPath]);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toBe(`azure-vm-backup: ${path.join(notPath, "Pulumi.yaml")}: "runtime.options.tsconfig" must be the path of a tsconfig file, got number 3\n`);
        const missing = program("tsconfig-missing", "    tsconfig: tsconfig.gone.json\n");
        const absent = await cli(["preview", missing]);
        expect(absent.code).toBe(2);
        expect(absent.stderr).toBe(`azure-vm-backup: ${path.join(missing, "Pulumi.yaml")}: "runtime.options.tsconfig" names tsconfig.gone.json, which does not exist\n`);
    });
});

describe("what the inventory knows feeds the rules", () => {
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "existing-vms", "inventory.json"), "utf8"));
    const sub = base.subscriptionId as string;
    const appVm = `/subscriptions/${sub}/resourceGroups/rg-erp-prod/providers/Microsoft.Compute/virtualMachines/vm-erp-app-01`;
    const item = (vaultGroup: string, vault: string, properties: Record<string, unknown>) => ({
        id: `/subscriptions/${sub}/resourceGroups/${vaultGroup}/providers/Microsoft.RecoveryServices/vaults/${vault}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-erp-prod;vm-erp-app-01/protectedItems/VM;iaasvmcontainerv2;rg-erp-prod;vm-erp-app-01`,
        name: "VM;iaasvmcontainerv2;rg-erp-prod;vm-erp-app-01",
        type: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
        properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: appVm, ...properties },
    });
    const withItem = (file: string, extra: object) => generate(`inventories/${file}`, JSON.stringify({ ...base, resources: [...base.resources, extra] }));

    test("a VM protected by another vault fails the one-vault-per-VM rule", async () => {
        const inventory = withItem("elsewhere.json", item("rg-old", "rsv-old", { protectionState: "Protected" }));
        const { code, stdout } = await cli(["preview", "examples/existing-vms", "--inventory", inventory]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  azure-vm-backup:index:ProtectedVm (app-1):",
            '    error: ProtectedVm "app-1": vm: VM "vm-erp-app-01" is already protected by vault "rsv-old" in Azure; a VM can be protected in one vault only: stop protection there first, or keep it in that vault, got vault "rsv-erp-prod"',
            "",
            "1 error, 0 warnings: the preview failed",
        ]);
    });

    test("a VM whose item is soft-deleted in the target vault cannot be protected there", async () => {
        const inventory = withItem(
            "soft-deleted.json",
            item("rg-backup-prod", "rsv-erp-prod", { protectionState: "ProtectionStopped", isScheduledForDeferredDelete: true, deferredDeleteTimeInUTC: "2026-12-12T08:00:00Z" }),
        );
        const { code, stdout } = await cli(["preview", "examples/existing-vms", "--inventory", inventory]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  azure-vm-backup:index:ProtectedVm (app-1):",
            '    error: ProtectedVm "app-1": vm: VM "vm-erp-app-01" has a soft-deleted backup item in vault "rsv-erp-prod" (purged after 2026-12-12T08:00:00Z), and Azure does not protect it again in the same vault until that item is undeleted; undelete it (az backup protection undelete) and this protects it again, or protect it in another vault, got vault "rsv-erp-prod"',
            "",
            "1 error, 0 warnings: the preview failed",
        ]);
    });

    test("a vault that holds items cannot change its redundancy", async () => {
        const dir = path.join(FIXTURES, "vault-change");
        const { code, stdout } = await cli(["preview", dir, "--inventory", path.join(dir, "inventory.json")]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  azure-vm-backup:index:ProtectedVm (web):",
            '    error: ProtectedVm "web": policy: vault "rsv-app" already exists with LocallyRedundant storage, and its redundancy cannot change once it holds backup items; keep storageRedundancy "LocallyRedundant", or protect these VMs in a new vault (or stop protection of every item in it first), got storageRedundancy "GeoRedundant"',
            "",
            "1 error, 0 warnings: the preview failed",
        ]);
    });

    test("a vault that holds items, with no VM of the program in it, still cannot change its redundancy", async () => {
        const fixture = path.join(FIXTURES, "vault-change");
        const source = fs.readFileSync(path.join(fixture, "index.ts"), "utf8").replace(/^new ProtectedVm\(.*$/m, "");
        const dir = path.dirname(generate("vault-change-no-vms/index.ts", source));
        fs.copyFileSync(path.join(fixture, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const { code, stdout } = await cli(["preview", dir, "--inventory", path.join(fixture, "inventory.json")]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  azure-vm-backup:index:BackupVault (vault):",
            '    error: BackupVault "vault": storageRedundancy: vault "rsv-app" holds 1 backup item in Azure, so its redundancy cannot change from LocallyRedundant; keep storageRedundancy "LocallyRedundant", or use a new vault, got "GeoRedundant"',
            "",
            "1 error, 0 warnings: the preview failed",
        ]);
    });
});

describe("offline, what is not in the inventory is said to be missing from it", () => {
    const dir = path.join(FIXTURES, "existing-policy");
    const inventory = path.join(dir, "inventory.json");
    const SUB = "/subscriptions/11111111-2222-3333-4444-555555555555";
    const missing = (noun: string, command: string, id: string) =>
        `is missing from the inventory, so the offline preview cannot tell whether this ${noun} exists; if it does, add what "${command}" prints for it to the inventory (see examples/README.md), got "${id}"`;

    test("a vault in the inventory without its policies listed has its DefaultPolicy", async () => {
        const { code, stdout } = await cli(["preview", dir, "--inventory", inventory, "--json"]);
        expect(code).toBe(0);
        const report = JSON.parse(stdout);
        expect(report.diagnostics).toEqual([]);
        const item = report.resources.find((r: { type: string }) => r.type === "azure-native:recoveryservices:ProtectedItem");
        expect(item.inputs.properties.policyId).toBe(`${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-app/backupPolicies/DefaultPolicy`);
    });

    test("once the inventory lists a vault's policies, a DefaultPolicy not among them is missing", async () => {
        const doc = JSON.parse(fs.readFileSync(inventory, "utf8"));
        doc.resources.push({
            id: `${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-app/backupPolicies/Daily-Prod`,
            name: "Daily-Prod",
            properties: { backupManagementType: "AzureIaasVM", policyType: "V1" },
        });
        const listed = generate("inventories/policies-listed.json", JSON.stringify(doc));
        const { code, stdout } = await cli(["preview", dir, "--inventory", listed]);
        expect(code).toBe(1);
        const id = `${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-app/backupPolicies/DefaultPolicy`;
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  pulumi:pulumi:Stack (fixture-existing-policy-dev):",
            `    error: VmBackupPolicy "existing": policyId: ${missing("policy", "az backup policy show --ids", id)}`,
            "",
            "1 error, 0 warnings: the preview failed",
        ]);
        // The policy it lists is found.
        expect((await cli(["preview", dir, "--inventory", listed, "--stack", "other-policy"])).code).toBe(0);
    });

    test.each<[string, string, string]>([
        ["other-policy", "  pulumi:pulumi:Stack (fixture-existing-policy-other-policy):", `    error: VmBackupPolicy "existing": policyId: ${missing("policy", "az backup policy show --ids", `${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-app/backupPolicies/Daily-Prod`)}`],
        ["other-vm", "  azure-vm-backup:index:ProtectedVm (web):", `    error: ProtectedVm "web": vm: ${missing("VM", "az vm show --ids", `${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-db`)}`],
    ])("--stack %s: a resource given by id that the inventory lacks", async (stack, where, message) => {
        const { code, stdout } = await cli(["preview", dir, "--inventory", inventory, "--stack", stack]);
        expect(code).toBe(1);
        expect(diagnostics(stdout)).toEqual(["Diagnostics:", where, message, "", "1 error, 0 warnings: the preview failed"]);
    });

    test("a vault the inventory lacks: neither it nor a DefaultPolicy in it is assumed", async () => {
        const { code, stdout } = await cli(["preview", dir, "--inventory", inventory, "--stack", "other-vault"]);
        expect(code).toBe(1);
        const vault = `${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-other`;
        expect(diagnostics(stdout)).toEqual([
            "Diagnostics:",
            "  pulumi:pulumi:Stack (fixture-existing-policy-other-vault):",
            `    error: BackupVault "existing": vaultId: ${missing("vault", "az backup vault show --ids", vault)}`,
            `    error: VmBackupPolicy "existing": policyId: ${missing("policy", "az backup policy show --ids", `${vault}/backupPolicies/DefaultPolicy`)}`,
            "",
            "2 errors, 0 warnings: the preview failed",
        ]);
    });
});

describe("bad usage and unreadable input exit with code 2", () => {
    test("an inventory that is not JSON", async () => {
        const file = generate("inventories/not-json.json", "{ this is not json");
        const { code, stdout, stderr } = await cli(["preview", "examples/quickstart", "--inventory", file]);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toMatch(/^azure-vm-backup: cannot read the inventory .*not-json\.json: /);
    });

    test("an inventory of the wrong shape", async () => {
        const file = generate("inventories/wrong-shape.json", JSON.stringify({ vms: [] }));
        const { code, stderr } = await cli(["preview", "examples/quickstart", "--inventory", file]);
        expect(code).toBe(2);
        expect(stderr).toContain("must be a JSON array of Azure resources (each with an \"id\"), or { subscriptionId?, tenantId?, resources: [...] }");
    });

    test("a YAML alias bomb in Pulumi.yaml's config is refused before it expands", async () => {
        const dir = path.join(FIXTURES, "alias-bomb");
        const { code, stdout, stderr } = await cli(["preview", dir]);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toBe(`azure-vm-backup: ${path.join(dir, "Pulumi.yaml")}: expands to more than 10000 values (YAML aliases that repeat or contain each other?); refused\n`);
    });

    test("a YAML alias that contains itself is refused", async () => {
        const dir = path.dirname(generate("alias-cycle/Pulumi.yaml", "name: alias-cycle\nruntime: nodejs\nconfig:\n  loop: &loop [1, *loop]\n"));
        const { code, stderr } = await cli(["preview", dir]);
        expect(code).toBe(2);
        expect(stderr).toContain("Pulumi.yaml: expands to more than 10000 values");
    });

    test("config that is not a map is refused, in the project file and in the stack file", async () => {
        const dir = path.join(FIXTURES, "config-list");
        const project = await cli(["preview", dir]);
        expect(project.code).toBe(2);
        expect(project.stderr).toBe(`azure-vm-backup: ${path.join(dir, "Pulumi.yaml")}: "config" must be a map of keys to values, got a list\n`);

        const stackDir = path.dirname(generate("config-string/Pulumi.yaml", "name: config-string\nruntime: nodejs\n"));
        generate("config-string/Pulumi.ci.yaml", "config: region=westeurope\n");
        const stack = await cli(["preview", stackDir, "--stack", "ci"]);
        expect(stack.code).toBe(2);
        expect(stack.stderr).toBe(`azure-vm-backup: ${path.join(stackDir, "Pulumi.ci.yaml")}: "config" must be a map of keys to values, got string "region=westeurope"\n`);
    });

    test("--stack NAME without Pulumi.NAME.yaml says so; the default stack needs no file", async () => {
        const dir = path.join(FIXTURES, "classic-lookups");
        const { code, stdout, stderr } = await cli(["preview", dir, "--stack", "prod"]);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toBe(`azure-vm-backup: --stack prod: no Pulumi.prod.yaml in ${dir}, so the stack's config is unknown; for a stack with no config, create the file empty\n`);
        // classic-lookups has no Pulumi.dev.yaml: without --stack it runs on the project's defaults.
        expect(fs.existsSync(path.join(dir, "Pulumi.dev.yaml"))).toBe(false);
        expect((await cli(["preview", path.join(FIXTURES, "late")])).code).toBe(0);
    });

    test("--stack takes a fully qualified name (its last part names the file), and refuses what is not a stack name", async () => {
        const dir = path.join(FIXTURES, "classic-lookups");
        const qualified = await cli(["preview", dir, "--inventory", path.join(dir, "inventory.json"), "--stack", "organization/fixture-classic-lookups/ci", "--json"]);
        expect(qualified.code).toBe(0);
        expect(JSON.parse(qualified.stdout).resources[0].urn).toBe("urn:pulumi:ci::fixture-classic-lookups::pulumi:pulumi:Stack::fixture-classic-lookups-ci");
        const refused = await cli(["preview", dir, "--stack", "../ci yaml"]);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toBe('azure-vm-backup: --stack: must be a stack name (letters, digits, "-", "_", "."), got "../ci yaml"\n');
    });

    test.each<[string, string]>([
        ["0s", '--timeout: must be more than 0 and at most 24h, got "0s"'],
        ["25h", '--timeout: must be more than 0 and at most 24h, got "25h"'],
        ["soon", '--timeout: must be a duration such as 90s, 15m, 2h or 7d, got "soon"'],
    ])("--timeout %s is refused", async (value, message) => {
        const { code, stderr } = await cli(["preview", path.join(FIXTURES, "late"), "--timeout", value]);
        expect(code).toBe(2);
        expect(stderr).toBe(`azure-vm-backup: ${message}\n`);
    });

    describe("an inventory is checked field by field, each problem named by its place in the file", () => {
        const base = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "existing-vms", "inventory.json"), "utf8"));
        const refused = async (name: string, doc: unknown) => {
            const file = generate(`inventories/${name}.json`, JSON.stringify(doc));
            const { code, stdout, stderr } = await cli(["preview", "examples/existing-vms", "--inventory", file]);
            expect(code).toBe(2);
            expect(stdout).toBe("");
            return stderr.replace(`azure-vm-backup: the inventory ${file} `, "").trimEnd();
        };

        test("a vault's location that is a number (it used to end in a TypeError)", async () => {
            const resources = structuredClone(base.resources);
            expect(resources[3].id).toMatch(/vaults\/rsv-erp-prod$/);
            resources[3].location = 5;
            expect(await refused("numeric-location", { ...base, resources })).toBe("is not valid: resources[3].location: must be a string, got 5");
        });

        test("problems in nested lists, a resource that is not an object, an id that is not an ARM id, a field deep in a VM", async () => {
            const [vm, vm2] = base.resources;
            const doc = {
                ...base,
                resources: [
                    [vm, { id: "vm-web" }],
                    5,
                    { ...vm2, properties: { storageProfile: { dataDisks: {} } } },
                    { ...vm2, osProfile: { windowsConfiguration: { provisionVMAgent: "yes" } } },
                ],
            };
            expect(await refused("nested", doc)).toBe(
                [
                    'is not valid: resources[0][1].id: must be an Azure resource ID (/subscriptions/.../providers/...), got "vm-web"',
                    "resources[1]: must be an object, got 5",
                    "resources[2].properties.storageProfile.dataDisks: must be a list, got an object",
                    'resources[3].osProfile.windowsConfiguration.provisionVMAgent: must be true or false, got "yes"',
                ].join("; "),
            );
        });

        test("vault, policy and backup item fields", async () => {
            const vault = base.resources.find((r: { type: string }) => r.type === "Microsoft.RecoveryServices/vaults");
            const doc = [
                { ...vault, properties: { redundancySettings: { standardTierStorageRedundancy: 3 } } },
                { id: `${vault.id}/backupPolicies/DefaultPolicy`, properties: { protectedItemsCount: "12" } },
                { id: `${vault.id}/backupFabrics/Azure/protectionContainers/c/protectedItems/i`, properties: { isScheduledForDeferredDelete: "true" } },
            ];
            expect(await refused("backup-fields", doc)).toBe(
                [
                    "is not valid: [0].properties.redundancySettings.standardTierStorageRedundancy: must be a string, got 3",
                    '[1].properties.protectedItemsCount: must be a number, got "12"',
                    '[2].properties.isScheduledForDeferredDelete: must be true or false, got "true"',
                ].join("; "),
            );
        });

        test("at most five problems are listed", async () => {
            const doc = Array.from({ length: 7 }, (_, i) => ({ id: `/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm-${i}` }));
            expect(await refused("many", doc)).toBe(`is not valid: ${[0, 1, 2, 3, 4].map((i) => `[${i}].location: must be a string, got nothing`).join("; ")}; and 2 more`);
        });

        test.each<[string, unknown, string]>([
            ["a string subscription", { subscriptionId: 5, resources: [] }, "subscriptionId: must be a string, got 5"],
            ["resources as a list", { resources: {} }, "resources: must be a list, got an object"],
            ["known keys only", { vms: [] }, 'has unknown key "vms"'],
            ["an object or a list", "westeurope", 'must be an object, got "westeurope"'],
        ])("the top level: %s", async (name, doc, problem) => {
            expect(await refused(`top-${name.replace(/ /g, "-")}`, doc)).toBe(
                `must be a JSON array of Azure resources (each with an "id"), or { subscriptionId?, tenantId?, resources: [...] }; ${problem}`,
            );
        });
    });

    test("a directory without Pulumi.yaml", async () => {
        const { code, stderr } = await cli(["preview", "src"]);
        expect(code).toBe(2);
        expect(stderr).toBe(`azure-vm-backup: no Pulumi.yaml in ${path.join(ROOT, "src")}\n`);
    });

    test("an unknown option", async () => {
        const { code, stderr } = await cli(["preview", "--inventroy", "x.json"]);
        expect(code).toBe(2);
        expect(stderr).toContain("unknown option '--inventroy'");
    });
});
