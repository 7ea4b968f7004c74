// examples/tagged-fleet: a VmBackupSelection over an inventory of a few dozen VMs in three regions.
// The offline preview (the command, as CI runs it) must protect exactly the selected VMs, warn once
// for each VM it leaves out, say nothing of VMs the selection does not match, and spread West
// Europe's VMs over a copy of a policy that is nearly full. Run as `pulumi up` would run it (mock
// runtime, inventory answering look-ups), it shows which policy each VM lands under, and that a
// VM joining the fleet renames no other VM's ProtectedVm.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { ROOT, runCli, type CliResult } from "./cli-process";
import { runExampleUpdate } from "./example-run";
import { valueOf } from "./mocks";
import { loadInventory } from "../src/offline/inventory";

const EXAMPLE = path.join(ROOT, "examples", "tagged-fleet");
const INVENTORY = path.join(EXAMPLE, "inventory.json");
const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
const SELECTION = "azure-vm-backup:index:VmBackupSelection";
const PROTECTED_VM = "azure-vm-backup:index:ProtectedVm";
const POLICY = "azure-vm-backup:index:VmBackupPolicy";
const ITEM = "azure-native:recoveryservices:ProtectedItem";

const vmId = (rgVm: string) => {
    const [rg, vm] = rgVm.split("/");
    return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${vm}`;
};

// Sorted by lower-cased id, as the outputs are.
const PROTECTED = [
    "rg-data-neu/db-11",
    "rg-data-neu/db-12",
    "rg-data-weu/db-01",
    "rg-data-weu/db-02",
    "rg-shop-neu/app-neu-01",
    "rg-shop-neu/app-neu-02",
    "rg-shop-neu/app-neu-03",
    "rg-shop-neu/app-neu-04",
    "rg-shop-weu/app-weu-01",
    "rg-shop-weu/app-weu-02",
    "rg-shop-weu/app-weu-03",
    "rg-shop-weu/app-weu-04",
    "rg-shop-weu/app-weu-05",
    "rg-shop-weu/app-weu-06",
];

const SKIPPED: [string, string][] = [
    ["rg-data-weu/db-09", "ProtectedInAnotherVault"],
    ["rg-shop-neu/app-neu-pv2", "NeedsEnhancedPolicy"],
    ["rg-shop-neu/app-neu-ultra", "NeedsEnhancedPolicy"],
    ["rg-shop-neu/app-neu-win", "NoVmAgent"],
    ["rg-shop-uks/app-uks-01", "NoPolicyForRegion"],
    ["rg-shop-weu/app-weu-07", "Excluded"],
    ["rg-shop-weu/app-weu-08", "Excluded"],
    ["rg-shop-weu/app-weu-cvm", "ConfidentialVm"],
    ["rg-shop-weu/app-weu-tl", "NeedsEnhancedPolicy"],
];

/** VMs the selection does not match (other tag value, no tag, a name no pattern matches): never mentioned. */
const UNMATCHED = ["app-weu-silver", "app-weu-untagged", "batch-weu-01", "db-100", "app-neu-bronze", "app-neu-capital", "jump-neu-01", "app-uks-02"];

/** Where each protected VM lands: its vault and policy. fleet-daily-weu already protects 97 VMs, so it takes the first 3. */
const WEU = "rsv-fleet-weu/fleet-daily-weu";
const WEU_2 = "rsv-fleet-weu/fleet-daily-weu-2";
const NEU = "rsv-fleet-neu/fleet-daily-neu";
const PLACEMENT: Record<string, string> = {
    "rg-data-neu/db-11": NEU,
    "rg-data-neu/db-12": NEU,
    "rg-data-weu/db-01": WEU,
    "rg-data-weu/db-02": WEU,
    "rg-shop-neu/app-neu-01": NEU,
    "rg-shop-neu/app-neu-02": NEU,
    "rg-shop-neu/app-neu-03": NEU,
    "rg-shop-neu/app-neu-04": NEU,
    "rg-shop-weu/app-weu-01": WEU,
    "rg-shop-weu/app-weu-02": WEU_2,
    "rg-shop-weu/app-weu-03": WEU_2,
    "rg-shop-weu/app-weu-04": WEU_2,
    "rg-shop-weu/app-weu-05": WEU_2,
    "rg-shop-weu/app-weu-06": WEU_2,
};

const protectedVmName = (rgVm: string) => `fleet-${rgVm.replace("/", "-")}`;

interface Report {
    resources: { urn: string; type: string; name: string; parent: string | null; inputs: Record<string, any> }[];
    diagnostics: { severity: string; urn: string; message: string }[];
    outputs: Record<string, any>;
}

describe("examples/tagged-fleet, previewed offline", () => {
    let result: CliResult;
    let report: Report;
    let selection: Report["resources"][number];
    beforeAll(async () => {
        result = await runCli(["preview", "examples/tagged-fleet", "--inventory", "examples/tagged-fleet/inventory.json", "--json"]);
        report = JSON.parse(result.stdout);
        selection = report.resources.find((r) => r.type === SELECTION)!;
    });

    test("passes: exit code 0, nothing on stderr, no error", () => {
        expect(result.stderr).toBe("");
        expect(report.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(result.code).toBe(0);
        expect(selection.name).toBe("fleet");
    });

    test("protects exactly the selected VMs, each as its own ProtectedVm under the selection, named after its group and VM", () => {
        expect(report.outputs.protectedVmIds).toEqual(PROTECTED.map(vmId));
        // Known at preview, the copy among them: built from the vaults' ids and the policies' names.
        expect([...report.outputs.policyIds].sort()).toEqual([NEU, WEU, WEU_2].map(policyId).sort());
        const protectedVms = report.resources.filter((r) => r.type === PROTECTED_VM);
        expect(protectedVms.map((r) => r.name).sort()).toEqual(PROTECTED.map(protectedVmName).sort());
        for (const r of protectedVms) expect(r.parent).toBe(selection.urn);
        const items = report.resources.filter((r) => r.type === ITEM);
        const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
        expect(Object.fromEntries(items.map((i) => [byUrn.get(i.parent!)!.name, i.inputs.properties.sourceResourceId]))).toEqual(
            Object.fromEntries(PROTECTED.map((v) => [protectedVmName(v), vmId(v)])),
        );
        expect(items.map((i) => i.inputs.vaultName).sort()).toEqual(PROTECTED.map((v) => PLACEMENT[v].split("/")[0]).sort());
    });

    test("reports every matched VM it leaves out, with its reason, in skippedVms and in exactly one warning on the selection", () => {
        expect(report.outputs.skippedVms.map((s: { vmId: string; reason: string }) => [s.vmId, s.reason])).toEqual(SKIPPED.map(([v, reason]) => [vmId(v), reason]));
        for (const s of report.outputs.skippedVms) expect(s.message).toMatch(/\S/);
        const warnings = report.diagnostics.filter((d) => d.severity === "warning");
        // Nothing else warns: one warning per skipped VM, on the selection.
        expect(warnings).toHaveLength(SKIPPED.length);
        for (const w of warnings) expect(w.urn).toBe(selection.urn);
        for (const [v, reason] of SKIPPED) {
            const prefix = `VmBackupSelection "fleet": skipped VM "${v}" (${reason}): `;
            const mine = warnings.filter((w) => w.message.startsWith(prefix));
            expect(mine.map((w) => w.message.slice(0, prefix.length))).toEqual([prefix]);
            expect(mine[0].message.length).toBeGreaterThan(prefix.length);
        }
        const says = (v: string) => warnings.find((w) => w.message.includes(`"${v}"`))!.message;
        // The facts a reader needs to act: which other vault, which region.
        expect(says("rg-data-weu/db-09")).toContain("rsv-legacy-weu");
        expect(says("rg-shop-uks/app-uks-01")).toContain("uksouth");
    });

    test("says nothing of VMs the selection does not match", () => {
        for (const name of UNMATCHED) expect(result.stdout).not.toContain(name);
    });

    test("fleet-daily-weu, with 97 VMs in Azure, gets a copy fleet-daily-weu-2 in the same vault, declared under the selection", () => {
        const policies = report.resources.filter((r) => r.type === POLICY);
        expect(policies.map((p) => p.name).sort()).toEqual(["fleet-daily-neu", "fleet-daily-weu", "fleet-daily-weu-2"]);
        const copy = policies.find((p) => p.name === "fleet-daily-weu-2")!;
        expect(copy.parent).toBe(selection.urn);
        const rendered = report.resources.filter((r) => r.parent === copy.urn && r.type === "azure-native:recoveryservices:ProtectionPolicy");
        expect(rendered.map((r) => [r.inputs.resourceGroupName, r.inputs.vaultName, r.inputs.policyName])).toEqual([["rg-backup-weu", "rsv-fleet-weu", "fleet-daily-weu-2"]]);
        const original = report.resources.find((r) => r.type === "azure-native:recoveryservices:ProtectionPolicy" && r.inputs.policyName === "fleet-daily-weu")!;
        // The copy is the same policy under another name.
        expect({ ...rendered[0].inputs, policyName: "fleet-daily-weu" }).toEqual(original.inputs);
    });
});

/** Resource ID of a policy given as "vault/policy". */
function policyId(vaultAndPolicy: string): string {
    const [vault, policy] = vaultAndPolicy.split("/");
    return `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup-${vault.slice(-3)}/providers/Microsoft.RecoveryServices/vaults/${vault}/backupPolicies/${policy}`;
}

/** Each protected VM's ProtectedVm name and the vault/policy its item is under, by "group/vm". */
function placements(world: { resources: pulumi.runtime.MockResourceArgs[] }): Record<string, { name: string; policy: string }> {
    const items = world.resources.filter((r) => r.type === ITEM);
    return Object.fromEntries(
        items.map((i) => {
            const id: string = i.inputs.properties.sourceResourceId;
            const [, rg, vm] = /\/resourceGroups\/([^/]+)\/.*\/virtualMachines\/([^/]+)$/.exec(id)!;
            const [, vault, policy] = /\/vaults\/([^/]+)\/backupPolicies\/([^/]+)$/.exec(i.inputs.properties.policyId)!;
            return [`${rg}/${vm}`, { name: i.name, policy: `${vault}/${policy}` }];
        }),
    );
}

type Resource = { id: string; name?: string; [key: string]: any };

/** A copy of a resource with every occurrence of each key replaced by its value. */
function cloned(resource: Resource, replace: Record<string, string>): Resource {
    let text = JSON.stringify(resource);
    for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
    return JSON.parse(text);
}

/** The example's inventory, changed, written to a temporary file and read back as the preview reads it. */
function inventoryWith(change: (resources: Resource[]) => void) {
    const inventory = JSON.parse(fs.readFileSync(INVENTORY, "utf8"));
    change(inventory.resources);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tagged-fleet-"));
    try {
        const file = path.join(dir, "inventory.json");
        fs.writeFileSync(file, JSON.stringify(inventory));
        return loadInventory(file);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** db-03 joins: platinum-tagged, in rg-data-weu, so it sorts before every rg-shop-weu VM. */
function db03Joins(resources: Resource[]): void {
    const joining = cloned(resources.find((r) => r.name === "db-02")!, { "db-02": "db-03", "000000000002": "000000000099" });
    joining.tags = { backup: "platinum", owner: "data" };
    resources.push(joining);
}

describe("examples/tagged-fleet, run as pulumi up would", () => {
    test("fills fleet-daily-weu's 3 free places with the first West Europe VMs by id, and its copy with the rest", async () => {
        const { world, exports } = await runExampleUpdate(EXAMPLE, loadInventory(INVENTORY));
        expect(await world.failures()).toEqual([]);
        expect(placements(world)).toEqual(Object.fromEntries(PROTECTED.map((v) => [v, { name: protectedVmName(v), policy: PLACEMENT[v] }])));
        expect([...((await valueOf(exports.policyIds as pulumi.Output<string[]>)) ?? [])].sort()).toEqual([NEU, WEU, WEU_2].map(policyId).sort());
    });

    test("a VM joining before the first deployment renames no ProtectedVm, and moves only the VM the sorted fill pushes out of fleet-daily-weu", async () => {
        const { world } = await runExampleUpdate(EXAMPLE, inventoryWith(db03Joins));
        expect(await world.failures()).toEqual([]);
        const { ["rg-data-weu/db-03"]: joined, ...others } = placements(world);
        // db-03 takes app-weu-01's place among the first three by id.
        expect(joined).toEqual({ name: "fleet-rg-data-weu-db-03", policy: WEU });
        expect(Object.fromEntries(Object.entries(others).map(([v, p]) => [v, p.name]))).toEqual(Object.fromEntries(PROTECTED.map((v) => [v, protectedVmName(v)])));
        const moved = PROTECTED.filter((v) => others[v].policy !== PLACEMENT[v]).map((v) => [v, PLACEMENT[v], others[v].policy]);
        expect(moved).toEqual([["rg-shop-weu/app-weu-01", WEU, WEU_2]]);
    });

    test("a VM joining after the first deployment moves no VM: those Azure protects keep their policy, and it takes a free place", async () => {
        // The inventory as it is once the first deployment has protected the 14 VMs where PLACEMENT says.
        const deployed = inventoryWith((resources) => {
            const legacyItem = resources.find((r) => r.id.includes("/protectedItems/"))!;
            const weuPolicy = resources.find((r) => r.name === "fleet-daily-weu")!;
            resources.push(cloned(resources.find((r) => r.name === "rsv-fleet-weu")!, { "rsv-fleet-weu": "rsv-fleet-neu", "rg-backup-weu": "rg-backup-neu", westeurope: "northeurope" }));
            for (const v of PROTECTED) {
                const [vault, policy] = PLACEMENT[v].split("/");
                const [rg, vm] = v.split("/");
                resources.push(cloned(legacyItem, { "rsv-legacy-weu": vault, "rg-backup-legacy": `rg-backup-${vault.slice(-3)}`, DefaultPolicy: policy, "rg-data-weu": rg, "db-09": vm }));
            }
            const underIt = (p: string) => PROTECTED.filter((v) => PLACEMENT[v] === p).length;
            const copy = cloned(weuPolicy, { "fleet-daily-weu": "fleet-daily-weu-2" });
            const neu = cloned(weuPolicy, { "fleet-daily-weu": "fleet-daily-neu", "rsv-fleet-weu": "rsv-fleet-neu", "rg-backup-weu": "rg-backup-neu" });
            weuPolicy.properties.protectedItemsCount = 97 + underIt(WEU);
            copy.properties.protectedItemsCount = underIt(WEU_2);
            neu.properties.protectedItemsCount = underIt(NEU);
            resources.push(copy, neu);
            db03Joins(resources);
        });
        const { world } = await runExampleUpdate(EXAMPLE, deployed);
        expect(await world.failures()).toEqual([]);
        expect(placements(world)).toEqual({
            ...Object.fromEntries(PROTECTED.map((v) => [v, { name: protectedVmName(v), policy: PLACEMENT[v] }])),
            "rg-data-weu/db-03": { name: "fleet-rg-data-weu-db-03", policy: WEU_2 },
        });
    });
});
