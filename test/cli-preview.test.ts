// `azure-vm-backup preview` end to end, as a child process, the way CI runs it.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");
const GENERATED = path.join(__dirname, ".generated");
const FIXTURES = path.join(__dirname, "fixtures", "programs");

interface Result {
    code: number;
    stdout: string;
    stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
    return new Promise((resolve) => {
        execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
    });
}

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
        expect(examples).toEqual(["classic-provider", "enhanced-hourly", "existing-vms", "multi-region", "quickstart"]);
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
                "    error: the offline preview cannot answer the invoke azure-native:network:getVirtualNetwork from an inventory; it answers azure-native:authorization:getClientConfig, azure-native:compute:getVirtualMachine, azure-native:recoveryservices:getVault, azure-native:recoveryservices:getProtectionPolicy, azure-native:recoveryservices:getProtectedItem, azure-native:resources:getResource, azure:compute/getVirtualMachine:getVirtualMachine, azure:core/getResources:getResources. Give the program the value directly, or run a real pulumi preview",
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

describe("bad usage and unreadable input exit with code 2", () => {
    test("an inventory that is not JSON", async () => {
        const file = generate("inventories/not-json.json", "{ this is not json");
        const { code, stdout, stderr } = await cli(["preview", "examples/quickstart", "--inventory", file]);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toMatch(/^azure-vm-backup preview: cannot read the inventory .*not-json\.json: /);
    });

    test("an inventory of the wrong shape", async () => {
        const file = generate("inventories/wrong-shape.json", JSON.stringify({ vms: [] }));
        const { code, stderr } = await cli(["preview", "examples/quickstart", "--inventory", file]);
        expect(code).toBe(2);
        expect(stderr).toContain("must be a JSON array of Azure resources (each with an \"id\"), or { subscriptionId?, tenantId?, resources: [...] }");
    });

    test("a directory without Pulumi.yaml", async () => {
        const { code, stderr } = await cli(["preview", "src"]);
        expect(code).toBe(2);
        expect(stderr).toBe(`azure-vm-backup preview: no Pulumi.yaml in ${path.join(ROOT, "src")}\n`);
    });

    test("an unknown option", async () => {
        const { code, stderr } = await cli(["preview", "--inventroy", "x.json"]);
        expect(code).toBe(2);
        expect(stderr).toContain("unknown option '--inventroy'");
    });
});

test("--help loads neither Pulumi nor the program", async () => {
    const trace = generate("trace-requires.js", 'process.on("exit", () => { const loaded = Object.keys(require.cache).filter((f) => /@pulumi|tsx/.test(f)); process.stderr.write(JSON.stringify(loaded)); });');
    const { code, stdout, stderr } = await cli(["--help"], { NODE_OPTIONS: `--require ${trace}` });
    expect(code).toBe(0);
    expect(stdout).toContain("preview [options] [program-dir]");
    expect(JSON.parse(stderr)).toEqual([]);
});
