// `azure-vm-backup inventory export` end to end: the command as a child process, signed in through
// the stand-in `az`, reading Resource Graph from the fake Resource Manager, whose tables hold the
// estate of examples/existing-vms (as Resource Graph rows: VM settings under `properties`, admin
// user names and SSH keys included) plus resources the filters must leave out.
import * as fs from "fs";
import * as path from "path";
import { startFakeArm, type FakeArm, type Fault } from "./fake-arm/server";
import { SENTINEL_TOKEN, childEnv } from "./fake-arm/child-env";
import { ROOT, runCli } from "./cli-process";
import { checkExportOptions, checkInventory, exportInventory, type InventoryExportOptions } from "../src/offline/inventory-export";
import { InvalidArgumentError } from "../src/on-demand/backup-operation-error";

const WORK = path.join(__dirname, ".generated", "cli-inventory");
const EXAMPLE = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "existing-vms", "inventory.json"), "utf8"));
const SUB: string = EXAMPLE.subscriptionId;
const TENANT: string = EXAMPLE.tenantId;
const OTHER_SUB = "22222222-3333-4444-5555-666666666666";
const GRAPH_PATH = "/providers/Microsoft.ResourceGraph/resources";

type Row = Record<string, any>;
const TOP = new Set(["id", "name", "type", "location", "tags", "sku", "identity", "zones", "etag", "eTag", "properties"]);

/** A resource as Resource Graph holds it: lower-case type, its group, subscription and tenant, and (for a VM) its settings under `properties`. */
function row(resource: Row, tenantId = TENANT): Row {
    const [, subscriptionId, , resourceGroup] = String(resource.id).split("/").slice(1);
    const lifted = Object.fromEntries(Object.entries(resource).filter(([k]) => !TOP.has(k) && k !== "resourceGroup"));
    const top = Object.fromEntries(Object.entries(resource).filter(([k]) => TOP.has(k)));
    return {
        ...top,
        type: String(resource.type).toLowerCase(),
        resourceGroup: resourceGroup.toLowerCase(),
        subscriptionId,
        tenantId,
        properties: { ...(resource.properties ?? {}), ...lifted },
    };
}

const exampleRows = (EXAMPLE.resources as Row[]).map((r) => row(r));
const isRecoveryServices = (r: Row) => /backup(policies|fabrics)/i.test(r.type);
const vmIn = (sub: string, group: string, name: string) => {
    const vm = exampleRows[0];
    return { ...vm, id: `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`, name, resourceGroup: group, subscriptionId: sub };
};
const EXTRA_VMS = [vmIn(SUB, "rg-other", "vm-other-01"), vmIn(OTHER_SUB, "rg-erp-prod", "vm-elsewhere-01")];
const WORKLOAD_ITEM = {
    ...exampleRows[5],
    id: exampleRows[5].id.replace(/vm-erp-reports-01/g, "sqldb-01"),
    properties: { ...exampleRows[5].properties, backupManagementType: "AzureWorkload" },
};

const running: FakeArm[] = [];
let env: NodeJS.ProcessEnv;
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

async function fakeArm(extra: { vms?: Row[]; pageSize?: number; faults?: (r: { method: string; path: string; attempt: number }) => Fault | undefined } = {}): Promise<FakeArm> {
    const fake = await startFakeArm({
        faults: extra.faults,
        resourceGraph: {
            pageSize: extra.pageSize ?? 2,
            tables: {
                Resources: [...exampleRows.filter((r) => !isRecoveryServices(r)), ...(extra.vms ?? [])],
                RecoveryServicesResources: [...exampleRows.filter(isRecoveryServices), WORKLOAD_ITEM],
            },
        },
    });
    running.push(fake);
    env = childEnv(fake, WORK);
    return fake;
}

const exportCli = (fake: FakeArm, args: string[]) => runCli(["inventory", "export", ...args, "--endpoint", fake.url], env);
const output = (name: string) => {
    fs.mkdirSync(WORK, { recursive: true });
    const file = path.join(WORK, name);
    fs.rmSync(file, { force: true });
    return file;
};
const ids = (inventory: { resources: Row[] }) => inventory.resources.map((r) => r.id.split("/").pop());
const graphRequests = (fake: FakeArm) => fake.requests.filter((r) => r.method === "POST" && r.path === GRAPH_PATH);

describe("inventory export", () => {
    test("pages through every query with skip tokens and writes the VMs, vault, policy and VM backup item, atomically, to --output", async () => {
        const fake = await fakeArm({ pageSize: 2 });
        const file = output("inventory.json");
        const r = await exportCli(fake, ["--subscription", SUB, "--output", file]);
        expect(r.stderr).toBe("wrote 6 resources to " + file + "\n");
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("");
        expect(fs.readdirSync(WORK).filter((f) => f.endsWith(".tmp"))).toEqual([]);
        const inventory = JSON.parse(fs.readFileSync(file, "utf8"));
        expect(inventory.subscriptionId).toBe(SUB);
        expect(inventory.tenantId).toBe(TENANT);
        expect(ids(inventory)).toEqual(["vm-erp-app-01", "vm-erp-app-02", "vm-erp-sql-01", "rsv-erp-prod", "DefaultPolicy", "VM;iaasvmcontainerv2;rg-erp-prod;vm-erp-reports-01"]);
        // Three VMs in pages of two: the second page asked for with the first's token; one page for each other query.
        const pages = fake.graphQueries.map((q) => [/^\w+/.exec(q.query)![0], /type =~ '([^']+)'/.exec(q.query)![1].split("/").pop(), typeof q.options?.$skipToken]);
        expect(pages).toEqual([
            ["Resources", "virtualmachines", "undefined"],
            ["Resources", "virtualmachines", "string"],
            ["Resources", "vaults", "undefined"],
            ["RecoveryServicesResources", "backuppolicies", "undefined"],
            ["RecoveryServicesResources", "protecteditems", "undefined"],
        ]);
        expect(fake.graphQueries.every((q) => q.options?.resultFormat === "objectArray" && q.options?.$top === 1000)).toBe(true);
        expect(fake.requests.every((q) => q.authorization === `Bearer ${SENTINEL_TOKEN}`)).toBe(true);
        const [app, , sql, vault, policy, item] = inventory.resources;
        expect(app).toEqual({
            id: EXAMPLE.resources[0].id,
            name: "vm-erp-app-01",
            type: "microsoft.compute/virtualmachines",
            location: "westeurope",
            tags: { app: "erp", env: "prod" },
            properties: {
                storageProfile: {
                    osDisk: { name: "vm-erp-app-01-osdisk", osType: "Linux", managedDisk: { storageAccountType: "Premium_LRS" } },
                    dataDisks: [{ lun: 0, name: "vm-erp-app-01-data-0", managedDisk: { storageAccountType: "Premium_LRS" } }],
                },
            },
        });
        expect(sql.properties.securityProfile).toEqual({ securityType: "TrustedLaunch" });
        expect(sql.properties.osProfile).toEqual({ windowsConfiguration: { provisionVMAgent: true } });
        expect(vault.properties).toEqual({
            redundancySettings: EXAMPLE.resources[3].properties.redundancySettings,
            securitySettings: EXAMPLE.resources[3].properties.securitySettings,
        });
        expect(vault.sku).toEqual({ name: "RS0", tier: "Standard" });
        expect(policy.properties).toEqual(EXAMPLE.resources[4].properties);
        expect(item.properties).toEqual({
            backupManagementType: "AzureIaasVM",
            workloadType: "VM",
            protectedItemType: "Microsoft.Compute/virtualMachines",
            friendlyName: "vm-erp-reports-01",
            sourceResourceId: EXAMPLE.resources[5].properties.sourceResourceId,
            virtualMachineId: EXAMPLE.resources[5].properties.virtualMachineId,
            policyId: EXAMPLE.resources[5].properties.policyId,
            policyName: "DefaultPolicy",
            protectionState: "Protected",
            protectionStatus: "Healthy",
        });
    });

    test("nothing secret: the fake's VM rows carry admin user names and SSH keys, the inventory does not, and the query never asks for osProfile whole", async () => {
        const fake = await fakeArm();
        expect(JSON.stringify(exampleRows)).toContain("erpadmin");
        const r = await exportCli(fake, ["--subscription", SUB]);
        expect(r.code).toBe(0);
        for (const secret of ["erpadmin", "adminUsername", "adminPassword", "ssh-ed25519", "publicKeys", "keyData", "linuxConfiguration", "customData", "secrets", "computerName"]) {
            expect(r.stdout).not.toContain(secret);
        }
        const vmQuery = fake.graphQueries[0].query;
        expect(vmQuery).toContain("| project id, name, type, location, tenantId, subscriptionId, tags, properties = pack(");
        expect(vmQuery).not.toMatch(/properties\.osProfile[,) ]/);
        expect(vmQuery).toContain("properties.osProfile.windowsConfiguration.provisionVMAgent");
    });

    test("--subscription and --resource-group reach every query; no --subscription reads every subscription, and the inventory names none when rows come from two", async () => {
        const fake = await fakeArm({ vms: EXTRA_VMS, pageSize: 50 });
        const r = await exportCli(fake, ["--subscription", SUB, "--resource-group", "rg-erp-prod", "--resource-group", "rg-backup-prod"]);
        expect(r.code).toBe(0);
        expect(fake.graphQueries).toHaveLength(4);
        for (const q of fake.graphQueries) {
            expect(q.subscriptions).toEqual([SUB]);
            expect(q.query).toContain("| where resourceGroup in~ ('rg-erp-prod', 'rg-backup-prod') |");
        }
        expect(ids(JSON.parse(r.stdout))).toEqual(["vm-erp-app-01", "vm-erp-app-02", "vm-erp-sql-01", "rsv-erp-prod", "DefaultPolicy", "VM;iaasvmcontainerv2;rg-erp-prod;vm-erp-reports-01"]);

        const all = await exportCli(fake, []);
        expect(all.code).toBe(0);
        expect(fake.graphQueries.slice(4).map((q) => q.subscriptions)).toEqual([undefined, undefined, undefined, undefined]);
        expect(fake.graphQueries.slice(4).every((q) => !q.query.includes("resourceGroup in~"))).toBe(true);
        const inventory = JSON.parse(all.stdout);
        expect(ids(inventory)).toContain("vm-other-01");
        expect(ids(inventory)).toContain("vm-elsewhere-01");
        expect(ids(inventory)).not.toContain("VM;iaasvmcontainerv2;rg-erp-prod;sqldb-01");
        expect(inventory.subscriptionId).toBeUndefined();
        expect(inventory.tenantId).toBe(TENANT);
    });

    test("a 429 with Retry-After and a 503 are retried (every query is a read); the export completes", async () => {
        const fake = await fakeArm({
            faults: ({ method, attempt }) =>
                method !== "POST" ? undefined : attempt === 1 ? { kind: "status", status: 429, retryAfterSeconds: 1 } : attempt === 3 ? { kind: "status", status: 503 } : undefined,
        });
        const r = await exportCli(fake, ["--subscription", SUB]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(ids(JSON.parse(r.stdout))).toHaveLength(6);
        // 5 pages, and two answers that were faults.
        expect(graphRequests(fake)).toHaveLength(7);
        expect(fake.graphQueries).toHaveLength(5);
    }, 30_000);

    test("Azure's refusal: exit 1, said with what was being read, credentials redacted; an existing --output file is left as it was", async () => {
        const fake = await fakeArm({
            faults: () => ({ kind: "status", status: 403, code: "AuthorizationFailed", message: "no access to the subscription", echoAuthorization: true }),
        });
        const file = output("kept.json");
        fs.writeFileSync(file, "previous export\n");
        const r = await exportCli(fake, ["--subscription", SUB, "--output", file]);
        expect(r.code).toBe(1);
        expect(r.stderr).not.toContain(SENTINEL_TOKEN);
        expect(r.stderr).toBe(
            "azure-vm-backup: reading the VMs from Azure Resource Graph: Azure refused the credential (AuthorizationFailed: The client with Authorization 'Bearer [redacted]' failed: no access to the subscription); it needs the Reader role on the subscriptions it reads\n",
        );
        expect(fs.readFileSync(file, "utf8")).toBe("previous export\n");
        expect(fs.readdirSync(WORK).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });

    test.each([
        [["--subscription", "not-a-guid"], '--subscription: must be a subscription ID (a GUID), got "not-a-guid"'],
        [["--resource-group", "rg'; drop"], `--resource-group: must be a resource group name (letters, digits, _ - . ( ), up to 90, not ending in a period), got "rg'; drop"`],
        [["--resource-group", "rg."], '--resource-group: must be a resource group name (letters, digits, _ - . ( ), up to 90, not ending in a period), got "rg."'],
    ])("bad usage %j: exit 2 naming the flag, nothing sent", async (args, message) => {
        const fake = await fakeArm();
        const r = await exportCli(fake, args);
        expect(r.stderr).toBe(`azure-vm-backup: ${message}\n`);
        expect(r.code).toBe(2);
        expect(fake.requests).toEqual([]);
    });

    test("not signed in: exit 5 with how to sign in", async () => {
        const fake = await fakeArm();
        fs.writeFileSync(path.join(WORK, "bin", "az"), "#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n", { mode: 0o755 });
        const r = await exportCli(fake, ["--subscription", SUB]);
        expect(r.code).toBe(5);
        expect(r.stderr).toMatch(/^azure-vm-backup: not signed in to Azure: run `az login`/);
        expect(fake.requests).toEqual([]);
    });
});

describe("an exported inventory previews the example it was exported from", () => {
    test("examples/existing-vms previews from the export as from its own inventory: same plan, no diagnostics", async () => {
        const fake = await fakeArm({ vms: EXTRA_VMS, pageSize: 2 });
        const file = output("existing-vms.json");
        const exported = await exportCli(fake, ["--subscription", SUB, "--output", file]);
        expect(exported.code).toBe(0);
        const [fromExport, fromExample] = await Promise.all([
            runCli(["preview", "examples/existing-vms", "--inventory", file, "--json"]),
            runCli(["preview", "examples/existing-vms", "--inventory", "examples/existing-vms/inventory.json", "--json"]),
        ]);
        expect(fromExport.stderr).toBe("");
        expect(fromExport.code).toBe(0);
        expect(JSON.parse(fromExport.stdout).diagnostics).toEqual([]);
        expect(JSON.parse(fromExport.stdout)).toEqual(JSON.parse(fromExample.stdout));
    }, 120_000);
});

describe("exportInventory, the library call", () => {
    test.each([
        [{ subscriptions: ["11111111-2222-3333-4444-55555555555"] }, 'subscriptions: must be a subscription ID (a GUID), got "11111111-2222-3333-4444-55555555555"'],
        [{ subscriptions: "11111111-2222-3333-4444-555555555555" }, 'subscriptions: must be a list, got "11111111-2222-3333-4444-555555555555"'],
        [{ resourceGroups: [""] }, 'resourceGroups: must be a resource group name (letters, digits, _ - . ( ), up to 90, not ending in a period), got ""'],
        [{ resourceGroups: ["x".repeat(91)] }, `resourceGroups: must be a resource group name (letters, digits, _ - . ( ), up to 90, not ending in a period), got "${"x".repeat(91)}"`],
        [{ endpoint: "http://management.azure.com" }, 'endpoint: must be an https URL, got "http://management.azure.com"'],
    ])("%j is refused before anything is sent, naming the argument", async (options, message) => {
        const credential = { getToken: jest.fn() };
        await expect(exportInventory({ ...(options as InventoryExportOptions), credential })).rejects.toThrow(new InvalidArgumentError(message.split(":")[0], message.slice(message.indexOf(":") + 2)));
        expect(credential.getToken).not.toHaveBeenCalled();
    });

    test("a 90-character group and a group with parentheses and dots pass", () => {
        expect(checkExportOptions({ resourceGroups: ["x".repeat(90), "rg.(app)-1_b"] }).resourceGroups).toEqual(["x".repeat(90), "rg.(app)-1_b"]);
    });

    test("an inventory that would not load is a bug, said with the place of each problem", () => {
        const vm = { id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm`, properties: {} };
        expect(() => checkInventory({ resources: [vm] })).toThrow(
            "the exported inventory does not pass the inventory schema (a bug in azure-vm-backup): resources[0].location: must be a string, got nothing",
        );
        expect(() => checkInventory({ resources: [{ ...vm, location: "westeurope" }] })).not.toThrow();
    });
});
