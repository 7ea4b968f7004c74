// `azure-vm-backup recovery-points`, `restore` and `restore-drill` end to end: the command as a
// child process against the fake Resource Manager, signed in as test/cli-backup.test.ts does.
import * as fs from "fs";
import * as path from "path";
import { startFakeArm, type FakeArm, type FakeArmOptions } from "./fake-arm/server";
import { SENTINEL_TOKEN, childEnv } from "./fake-arm/child-env";
import { runCli, runInterrupted, type CliResult } from "./cli-process";

const WORK = path.join(__dirname, ".generated", "cli-restore");
const VAULT_RG = "rg-backup";
const VAULT = "rsv-prod";
const VM_RG = "rg-app";
const DRILL_RG = "rg-drill";

const running: FakeArm[] = [];
let env: NodeJS.ProcessEnv;
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d+Z$/, "Z");

/** vm-web: a point an hour old (OS disk and two data disks) and one eight days old; vm-db: one point two hours old. */
async function fakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = await startFakeArm({
        operationMs: 0,
        restoreMs: 150,
        protectedVms: "all",
        recoveryPoints: {
            "vm-web": [
                {
                    name: "111111111111",
                    time: ago(8 * DAY),
                    disks: [{ name: "vm-web-os", sizeGb: 30 }],
                },
                {
                    name: "222222222222",
                    time: ago(3_600_000),
                    consistency: "AppConsistent",
                    zones: ["1"],
                    tiers: [
                        { type: "InstantRP", status: "Valid" },
                        { type: "HardenedRP", status: "Valid" },
                    ],
                    disks: [
                        { name: "vm-web-os", sizeGb: 30 },
                        { lun: 0, name: "vm-web-data0", sizeGb: 128 },
                        { lun: 1, name: "vm-web-data1", sizeGb: 64 },
                    ],
                },
            ],
            "vm-db": [{ name: "333333333333", time: ago(7_200_000), disks: [{ name: "vm-db-os", sizeGb: 30 }] }],
        },
        ...options,
    });
    running.push(fake);
    env = childEnv(fake, WORK);
    return fake;
}

const cli = (fake: FakeArm, args: string[]) => runCli([...args, "--endpoint", fake.url], env);
const cliInterrupted = (fake: FakeArm, args: string[], ready: (output: string) => boolean) => runInterrupted([...args, "--endpoint", fake.url], env, ready);
const vaultId = (fake: FakeArm) => fake.vaultId(VAULT_RG, VAULT);
const vmId = (fake: FakeArm, vm: string) => fake.vmId(VM_RG, vm);
const noSentinel = (r: CliResult) => {
    expect(r.stdout).not.toContain(SENTINEL_TOKEN);
    expect(r.stderr).not.toContain(SENTINEL_TOKEN);
};

beforeAll(() => fs.mkdirSync(WORK, { recursive: true }));

describe("recovery-points list", () => {
    test("a table, newest first: time, point, consistency, tiers, zones, secondary region", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web")]);
        noSentinel(r);
        expect(r.code).toBe(0);
        const lines = r.stdout.trim().split("\n");
        expect(lines.map((l) => l.split(/ {2,}/))).toEqual([
            ["TIME", "POINT", "CONSISTENCY", "TIERS", "ZONES", "SECONDARY REGION"],
            [expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), "222222222222", "AppConsistent", "Snapshot, VaultStandard", "1", "no"],
            [expect.stringMatching(/Z$/), "111111111111", "CrashConsistent", "Snapshot, VaultStandard", "-", "no"],
        ]);
        // Aligned: each column starts where its heading does.
        for (const heading of ["POINT", "CONSISTENCY", "TIERS", "ZONES"]) {
            const at = lines[0].indexOf(heading);
            expect(lines.slice(1).map((l) => l[at - 1] === " " && l[at] !== " ")).toEqual([true, true]);
        }
        expect(lines).toHaveLength(3);
    });

    test("--since 7d leaves out the older point; --json gives the points as the library does", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web"), "--since", "7d", "--json"]);
        expect(r.code).toBe(0);
        const { points } = JSON.parse(r.stdout);
        expect(points.map((p: { name: string }) => p.name)).toEqual(["222222222222"]);
        expect(points[0]).toMatchObject({ consistency: "AppConsistent", zones: ["1"], secondaryRegionRestorable: false, disks: [{ os: true }, { lun: 0, os: false }, { lun: 1, os: false }] });
    });

    test("no points: said so, exit 0", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-none")]);
        expect(r).toMatchObject({ code: 0, stdout: "no recovery points\n" });
    });

    test("--secondary-region: the points the paired region holds, not the newest yet; a vault without cross-region restore is bad usage", async () => {
        // Azure copies a point to the paired region hours after it is taken: the hour-old point is not there yet.
        const fake = await fakeArm({ crrLagMs: 6 * 3_600_000, storageConfigs: { [VAULT]: { storageModelType: "GeoRedundant", crossRegionRestoreFlag: true } } });
        const args = ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web"), "--secondary-region"];
        const r = await cli(fake, args);
        noSentinel(r);
        expect(r.code).toBe(0);
        expect(r.stdout.trim().split("\n").map((l) => l.split(/ {2,}/))).toEqual([
            ["TIME", "POINT", "CONSISTENCY", "TIERS", "ZONES", "SECONDARY REGION"],
            [expect.stringMatching(/Z$/), "111111111111", "CrashConsistent", "Snapshot, VaultStandard", "-", "yes"],
        ]);
        const json = await cli(fake, [...args, "--json"]);
        expect(JSON.parse(json.stdout).points.map((p: { name: string; secondaryRegionRestorable: boolean }) => [p.name, p.secondaryRegionRestorable])).toEqual([["111111111111", true]]);
        const none = await cli(fake, [...args, "--since", "7d"]);
        expect(none).toMatchObject({ code: 0, stdout: "no recovery points in the paired region yet\n" });

        const off = await fakeArm();
        const refused = await cli(off, ["recovery-points", "list", "--vault", vaultId(off), "--vm", vmId(off, "vm-web"), "--secondary-region"]);
        expect(refused).toMatchObject({
            code: 2,
            stderr:
                "azure-vm-backup: --secondary-region: listing the points of the paired region needs a GeoRedundant vault with cross-region restore enabled, and its cross-region restore is off: enable cross-region restore on the vault (crossRegionRestore: true on a GeoRedundant BackupVault), or list the points of the vault's region, got true\n",
        });
    });

    test("bad usage exits 2 naming the flag", async () => {
        const fake = await fakeArm();
        const noVm = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake)]);
        expect(noVm).toMatchObject({ code: 2, stderr: "azure-vm-backup: --vm: name the VM, --vm <vmId>\n" });
        const badVm = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", "vm-web"]);
        expect(badVm.code).toBe(2);
        expect(badVm.stderr).toBe(
            'azure-vm-backup: --vm: must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}, got "vm-web"\n',
        );
        const badSince = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web"), "--since", "lately"]);
        expect(badSince.code).toBe(2);
        expect(badSince.stderr).toMatch(/^azure-vm-backup: --since: .*, got "lately"\n$/);
    });
});

const groupId = (fake: FakeArm, rg: string) => `/subscriptions/${fake.subscriptionId}/resourceGroups/${rg}`;
const stagingId = (fake: FakeArm) => `${groupId(fake, DRILL_RG)}/providers/Microsoft.Storage/storageAccounts/stdrill`;
const diskId = (fake: FakeArm, name: string) => `${groupId(fake, DRILL_RG)}/providers/Microsoft.Compute/disks/${name}`;
const drillGroupDisks = (fake: FakeArm) =>
    fake
        .disks()
        .filter((d) => d.resourceGroup === DRILL_RG)
        .map((d) => d.name)
        .sort();

/** Disks already in the drill's group: one tagged as another drill's, one of someone else's. */
const BYSTANDERS = [
    { resourceGroup: DRILL_RG, name: "bystander-tagged", sizeGb: 30, tags: { "azure-vm-backup-drill": "drill-20260101t000000z-zzzz" } },
    { resourceGroup: DRILL_RG, name: "bystander-plain", sizeGb: 64 },
];

/** Restore into the drill's group through its staging account, reading every second. */
const intoDrillGroup = (fake: FakeArm) => ["--target-resource-group", groupId(fake, DRILL_RG), "--staging-storage", stagingId(fake), "--poll-interval", "1s"];

const drillArgs = (fake: FakeArm, ...vms: string[]) => [
    "restore-drill",
    "--vault",
    vaultId(fake),
    ...vms.flatMap((vm) => ["--vm", vmId(fake, vm)]),
    ...intoDrillGroup(fake),
];


describe("restore-drill", () => {
    test("every VM restored, verified and cleaned up: exit 0, both reports written, the group's other disks untouched", async () => {
        const fake = await fakeArm({ disks: BYSTANDERS });
        const reportFile = path.join(WORK, "drill.json");
        const markdownFile = path.join(WORK, "drill.md");
        fs.rmSync(reportFile, { force: true });
        fs.rmSync(markdownFile, { force: true });
        const r = await cli(fake, [...drillArgs(fake, "vm-web", "vm-db"), "--report", reportFile, "--markdown", markdownFile]);
        noSentinel(r);
        expect(r.stderr).toContain("vm-web: passed");
        expect(r.code).toBe(0);
        const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
        expect(report.passed).toBe(true);
        expect(report.vms.map((v: { vmId: string; status: string }) => [v.vmId, v.status])).toEqual([
            [vmId(fake, "vm-web"), "Passed"],
            [vmId(fake, "vm-db"), "Passed"],
        ]);
        const web = report.vms[0];
        expect(web.point.id.split("/").pop()).toBe("222222222222");
        expect(web.point.ageSeconds).toBeGreaterThanOrEqual(3600);
        expect(web.point.ageSeconds).toBeLessThan(3700);
        expect(web.restore.status).toBe("Completed");
        expect(web.restore.durationSeconds).toBeGreaterThanOrEqual(0);
        expect(web.disks.checks.map((c: { disk: string; ok: boolean }) => [c.disk, c.ok])).toEqual([
            ["OS disk", true],
            ["LUN 0", true],
            ["LUN 1", true],
        ]);
        expect(web.cleanup.status).toBe("Done");
        expect(web.cleanup.deleted).toHaveLength(3);
        // What the restores made is gone; what was there before is not.
        expect(drillGroupDisks(fake)).toEqual(["bystander-plain", "bystander-tagged"]);
        expect(fs.readFileSync(markdownFile, "utf8")).toBe(r.stdout);
        expect(r.stdout).toMatch(/^## Restore drill drill-\S+: PASSED\n/);
        expect(r.stdout).toContain("| Cleanup | done: 3 disk(s) deleted |");
        // Each restore was the disks mode, into the drill's group, through the staging account.
        // (The VMs are drilled at once: in the order their restores reached the fake.)
        expect(fake.restores.map((x) => [x.vm, x.recoveryPointId, x.request.recoveryType, x.request.targetResourceGroupId, x.request.storageAccountId]).sort()).toEqual([
            ["vm-db", "333333333333", "RestoreDisks", groupId(fake, DRILL_RG), stagingId(fake)],
            ["vm-web", "222222222222", "RestoreDisks", groupId(fake, DRILL_RG), stagingId(fake)],
        ]);
    });

    test("a disk missing after the restore fails the drill, naming it; exit 1", async () => {
        const fake = await fakeArm({ restoreOutcomes: { "vm-web": { status: "Completed", missingLuns: [1] } } });
        const r = await cli(fake, [...drillArgs(fake, "vm-web", "vm-db"), "--json"]);
        expect(r.code).toBe(1);
        const report = JSON.parse(r.stdout);
        expect(report.passed).toBe(false);
        expect(report.vms.map((v: { status: string }) => v.status)).toEqual(["Failed", "Passed"]);
        expect(report.vms[0].problems).toEqual(["LUN 1: not found: the restore names it, Azure has no such disk"]);
        expect(drillGroupDisks(fake)).toEqual([]);
    });

    test("a failed restore job fails the drill with Azure's error; exit 1", async () => {
        const fake = await fakeArm({ restoreOutcomes: { "vm-web": { status: "Failed" } } });
        const r = await cli(fake, drillArgs(fake, "vm-web"));
        expect(r.code).toBe(1);
        expect(r.stdout).toContain(": FAILED\n");
        expect(r.stdout).toMatch(/\| Problem \| restore job \S+ ended Failed: UserErrorRestoreFailed Restoring VM 'vm-web' from recovery point '222222222222' failed\. \|/);
    });

    test("a delete that fails: reported, exit 1, the disk left behind named; the others deleted", async () => {
        const fake = await fakeArm({
            faults: ({ method, path }) => (method === "DELETE" && /\/disks\/vm-web-datadisk-0-/i.test(path) ? { kind: "status", status: 403, code: "AuthorizationFailed", message: "no delete here" } : undefined),
        });
        const r = await cli(fake, [...drillArgs(fake, "vm-web"), "--json"]);
        expect(r.code).toBe(1);
        const [web] = JSON.parse(r.stdout).vms;
        expect(web.cleanup.status).toBe("Incomplete");
        expect(web.cleanup.deleted).toHaveLength(2);
        expect(web.cleanup.leftBehind).toEqual([{ id: expect.stringMatching(/\/disks\/vm-web-datadisk-0-\d{8}-\d{6}$/), reason: expect.stringMatching(/^delete failed: .*AuthorizationFailed/) }]);
        expect(drillGroupDisks(fake)).toEqual([web.cleanup.leftBehind[0].id.split("/").pop()]);
    });

    test("--keep leaves the restored disks, tagged with the drill's id", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, [...drillArgs(fake, "vm-db"), "--keep", "--json"]);
        expect(r.code).toBe(0);
        const report = JSON.parse(r.stdout);
        expect(report.vms[0].cleanup.status).toBe("Kept");
        const kept = fake.disks().filter((d) => d.resourceGroup === DRILL_RG);
        expect(kept.map((d) => d.tags)).toEqual([{ "azure-vm-backup-drill": report.drillId }]);
    });

    test("disks it cannot tag as its own are never deleted: each named as left behind, exit 1", async () => {
        const fake = await fakeArm({
            disks: BYSTANDERS,
            faults: ({ method, path }) => (method === "PATCH" && /\/disks\//i.test(path) ? { kind: "status", status: 403, code: "AuthorizationFailed", message: "no tags here" } : undefined),
        });
        const markdownFile = path.join(WORK, "untagged.md");
        const r = await cli(fake, [...drillArgs(fake, "vm-db"), "--markdown", markdownFile]);
        noSentinel(r);
        expect(r.code).toBe(1);
        const restored = fake.disks().filter((d) => d.name.startsWith("vm-db-osdisk-"));
        expect(restored).toHaveLength(1);
        expect(drillGroupDisks(fake)).toEqual(["bystander-plain", "bystander-tagged", restored[0].name]);
        expect(fake.requests.filter((q) => q.method === "DELETE")).toEqual([]);
        const markdown = fs.readFileSync(markdownFile, "utf8");
        expect(markdown).toBe(r.stdout);
        expect(markdown).toMatch(/^## Restore drill drill-\S+: FAILED\n/);
        expect(markdown).toContain(`| Cleanup | **left behind**: ${diskId(fake, restored[0].name)} (not deleted: it could not be tagged as the drill's (tagging disk ${restored[0].name}: Azure refused the credential (AuthorizationFailed: no tags here)`);
    });

    test("Ctrl-C while a restore runs: the report names the restore left running and how to find its disks; exit 130", async () => {
        const fake = await fakeArm({ restoreMs: 60_000 });
        const r = await cliInterrupted(fake, [...drillArgs(fake, "vm-web"), "--json"], (out) => /vm-web: restore InProgress, job \S+\n/.test(out));
        expect(r.code).toBe(130);
        expect(r.endedAt - r.sentAt!).toBeLessThan(3000);
        const report = JSON.parse(r.stdout);
        expect(report).toMatchObject({ interrupted: true, passed: false });
        expect(report.vms[0].status).toBe("Interrupted");
        expect(report.vms[0].cleanup.leftBehind).toEqual([
            {
                id: `restore job ${fake.restores[0].jobId}`,
                reason: `still running or unknown: when it ends, the disks it made are left in the target group; it names them (azure-vm-backup jobs show ${fake.restores[0].jobId} --vault ${vaultId(fake)} --disks)`,
            },
        ]);
        expect(fake.restores).toHaveLength(1);
    });

    test("--timeout: a restore still running when it passes fails the VM, named as left running; exit 1", async () => {
        const fake = await fakeArm({ restoreMs: 60_000 });
        const r = await cli(fake, [...drillArgs(fake, "vm-web"), "--json", "--timeout", "3s"]);
        expect(r.code).toBe(1);
        const [web] = JSON.parse(r.stdout).vms;
        expect(web.status).toBe("Failed");
        expect(web.problems).toEqual([expect.stringMatching(/^job \S+ \(vm-web\) was still InProgress after \d s$/)]);
        expect(web.cleanup.leftBehind[0].id).toBe(`restore job ${fake.restores[0].jobId}`);
    });

    test("bad usage exits 2 naming the flag, before anything is sent", async () => {
        const fake = await fakeArm();
        const noGroup = await cli(fake, ["restore-drill", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web"), "--staging-storage", stagingId(fake)]);
        expect(noGroup.code).toBe(2);
        expect(noGroup.stderr).toBe("azure-vm-backup: --target-resource-group: the drill needs a resource group ID, /subscriptions/{subscription}/resourceGroups/{group}, to restore into\n");
        const badStaging = await cli(fake, [...drillArgs(fake, "vm-web").slice(0, -4), "--staging-storage", "stdrill"]);
        expect(badStaging.code).toBe(2);
        expect(badStaging.stderr).toMatch(/^azure-vm-backup: --staging-storage: must be a storage account ID, .*, got "stdrill"\n$/);
        const nowhere = await cli(fake, [...drillArgs(fake, "vm-web"), "--markdown", "/nonexistent-folder/drill.md"]);
        expect(nowhere).toMatchObject({ code: 2, stderr: 'azure-vm-backup: --markdown: cannot write "/nonexistent-folder/drill.md": its folder does not exist or is not writable\n' });
        const noVm = await cli(fake, ["restore-drill", "--vault", vaultId(fake)]);
        expect(noVm).toMatchObject({ code: 2, stderr: "azure-vm-backup: --vm: name the VMs to drill, --vm <vmId>...\n" });
        expect(fake.restores).toEqual([]);
    });
});

describe("restore", () => {
    const restoreArgs = (fake: FakeArm, ...more: string[]) => [
        "restore",
        "--vault",
        vaultId(fake),
        "--vm",
        vmId(fake, "vm-web"),
        ...intoDrillGroup(fake),
        ...more,
    ];

    test("--mode disks --wait --json: the job followed to its end, the disks it created listed; exit 0", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, restoreArgs(fake, "--mode", "disks", "--wait", "--json"));
        noSentinel(r);
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out).toMatchObject({ vmId: vmId(fake, "vm-web"), mode: "disks", status: "Completed", jobId: fake.restores[0].jobId });
        expect(out.recoveryPointId.split("/").pop()).toBe("222222222222");
        expect(out.job.restoredDisks.map((d: { lun?: number; os: boolean }) => [d.os, d.lun])).toEqual([
            [true, undefined],
            [false, 0],
            [false, 1],
        ]);
        expect(r.stderr).toMatch(/vm-web: restore Completed, job \S+\n$/);
    });

    test("--wait in text: the job, where it restored to and each disk it created; jobs show --disks says the same, jobs show where they are named", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, restoreArgs(fake, "--mode", "disks", "--wait"));
        expect(r.code).toBe(0);
        const jobId = fake.restores[0].jobId;
        const disk = (name: string) => expect.stringMatching(new RegExp(`^  ${name}: ${groupId(fake, DRILL_RG)}/providers/Microsoft\\.Compute/disks/vm-web-\\S+$`));
        const shown = [
            "restore from point 222222222222, mode disks",
            `job ${jobId}: Restore of vm-web, Completed`,
            expect.stringMatching(/^  started \S+Z, ended \S+Z, duration PT/),
            `  restored into ${groupId(fake, DRILL_RG)} (RestoreDisks)`,
            disk("disk OS \\(30 GB\\)"),
            disk("disk LUN 0 \\(128 GB\\)"),
            disk("disk LUN 1 \\(64 GB\\)"),
            "configuration: set below",
            expect.stringMatching(new RegExp(`^  template: ${fake.url}/stdrill/vm-web-[0-9a-f]{32}/azuredeploy${jobId}\\.json$`)),
        ];
        const config = r.stdout.match(/^  configuration: (\S+)$/m)?.[1];
        expect(config).toMatch(new RegExp(`^${fake.url}/stdrill/vm-web-[0-9a-f]{32}/config-vm-web-${jobId}\\.json$`));
        shown[7] = `  configuration: ${config}`;
        const lines = r.stdout.trim().split("\n");
        expect(lines.slice(-shown.length)).toEqual(shown);
        const showDisks = await cli(fake, ["jobs", "show", jobId, "--vault", vaultId(fake), "--disks"]);
        expect(showDisks.code).toBe(0);
        expect(showDisks.stdout.trim().split("\n")).toEqual(shown.slice(1));
        const show = await cli(fake, ["jobs", "show", jobId, "--vault", vaultId(fake)]);
        expect(show.code).toBe(0);
        expect(show.stdout.trim().split("\n")).toEqual([...shown.slice(1, 4), `  configuration: ${config} (names the disks: --disks reads it)`, shown[8]]);
    });

    test("--wait when the configuration file may not be read: the restore's outcome all the same (exit 0), the disks not listed, and why on stderr", async () => {
        const fake = await fakeArm({ faults: ({ path }) => (path.startsWith("/stdrill/") ? { kind: "status", status: 403, code: "AuthorizationPermissionMismatch", message: "This request is not authorized to perform this operation using this permission." } : undefined) });
        const r = await cli(fake, restoreArgs(fake, "--mode", "disks", "--wait", "--json"));
        noSentinel(r);
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out.status).toBe("Completed");
        expect(out.job.restoredDisks).toBeUndefined();
        expect(r.stderr).toContain(
            `azure-vm-backup: warning: the restored disks are not listed: reading the configuration file of restore job ${fake.restores[0].jobId} (${out.job.configBlobUri}): Azure refused the credential (AuthorizationPermissionMismatch); reading it needs the Storage Blob Data Reader role on stdrill`,
        );
    });

    test("without --wait: the job id and how to follow it; exit 0", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, restoreArgs(fake, "--mode", "disks", "--point", "111111111111"));
        expect(r.code).toBe(0);
        expect(r.stdout.trim().split("\n").pop()).toBe(
            `restore started: job ${fake.restores[0].jobId}, point 111111111111, mode disks; follow it with azure-vm-backup jobs wait ${fake.restores[0].jobId} --vault ${vaultId(fake)}`,
        );
        expect(fake.restores.map((x) => x.recoveryPointId)).toEqual(["111111111111"]);
    });

    test("a failed restore job: exit 1", async () => {
        const fake = await fakeArm({ restoreOutcomes: { "vm-web": { status: "Failed" } } });
        const r = await cli(fake, restoreArgs(fake, "--mode", "disks", "--wait"));
        expect(r.code).toBe(1);
        expect(r.stdout).toContain("error UserErrorRestoreFailed: Restoring VM 'vm-web' from recovery point '222222222222' failed.");
    });

    test("--wait interrupted: the job as last read, exit 130; the restore goes on", async () => {
        const fake = await fakeArm({ restoreMs: 60_000 });
        const r = await cliInterrupted(fake, restoreArgs(fake, "--mode", "disks", "--wait"), (out) => /vm-web: restore InProgress, job \S+\n/.test(out));
        expect(r.code).toBe(130);
        expect(r.stdout.trim().split("\n").pop()).toBe(`interrupted: restore job ${fake.restores[0].jobId} was InProgress; it goes on in Azure`);
    });

    test("a restore whose answer was lost, its job not listed before --timeout: Unknown with how to check, exit 4, not sent again", async () => {
        const fake = await fakeArm({
            jobListHides: 1000,
            faults: ({ method, path }) => (method === "POST" && /\/restore$/i.test(path) ? { kind: "reset", when: "after-processing" } : undefined),
        });
        const r = await cli(fake, restoreArgs(fake, "--mode", "disks", "--job-list-lag", "1m", "--timeout", "3s", "--json"));
        expect(r.code).toBe(4);
        const out = JSON.parse(r.stdout);
        expect(out).toMatchObject({ vmId: vmId(fake, "vm-web"), status: "Unknown", error: { code: "OutcomeUnknown" } });
        expect(out.error.message).toContain(`the restore may have started`);
        expect(out.error.message).toContain(`azure-vm-backup jobs list --vault ${vaultId(fake)} --operation Restore --since `);
        expect(fake.restores).toHaveLength(1);
    });

    test("--mode new-vm: a VM on the subnet named; the job names it; a staging account in another region is refused naming --staging-storage, before sending", async () => {
        const base = await fakeArm();
        const vnet = `/subscriptions/${base.subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-restore`;
        const staging = (location: string) => ({ id: stagingId(base), name: "stdrill", location, kind: "StorageV2", sku: { name: "Standard_LRS", tier: "Standard" } });
        const network = { id: vnet, name: "vnet-restore", location: "westeurope", properties: { subnets: [{ name: "restore" }] } };
        const fake = await fakeArm({ armResources: { [stagingId(base)]: staging("westeurope"), [vnet]: network } });
        const r = await cli(fake, restoreArgs(fake, "--mode", "new-vm", "--vnet", vnet, "--subnet", "restore", "--target-vm-name", "vm-web-drill", "--wait", "--json"));
        noSentinel(r);
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out).toMatchObject({ mode: "new-vm", status: "Completed", job: { vmId: `${groupId(fake, DRILL_RG)}/providers/Microsoft.Compute/virtualMachines/vm-web-drill` } });
        expect(fake.restores[0].request).toMatchObject({ recoveryType: "AlternateLocation", virtualNetworkId: vnet, subnetId: `${vnet}/subnets/restore` });

        const far = await fakeArm({ armResources: { [stagingId(base)]: staging("eastus"), [vnet]: network } });
        const refused = await cli(far, restoreArgs(far, "--mode", "new-vm", "--vnet", vnet, "--subnet", "restore"));
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(/^azure-vm-backup: --staging-storage: .*East US/m);
        expect(far.restores).toEqual([]);
    });

    test("--secondary-region --wait: restored in the paired region and its job followed there; jobs show and wait --secondary-region read it there", async () => {
        const base = await fakeArm();
        const paired = `${groupId(base, DRILL_RG)}/providers/Microsoft.Storage/storageAccounts/stpaired`;
        const fake = await fakeArm({
            storageConfigs: { [VAULT]: { storageModelType: "GeoRedundant", crossRegionRestoreFlag: true } },
            armResources: { [paired]: { id: paired, name: "stpaired", location: "northeurope", kind: "StorageV2", sku: { name: "Standard_LRS", tier: "Standard" } } },
        });
        const args = ["restore", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web"), "--mode", "disks", "--target-resource-group", groupId(fake, DRILL_RG)];
        const r = await cli(fake, [...args, "--staging-storage", paired, "--secondary-region", "--wait", "--poll-interval", "1s", "--json"]);
        noSentinel(r);
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out).toMatchObject({ status: "Completed", job: { operation: "CrossRegionRestore", restoreType: "RestoreDisks" } });
        expect(fake.restores.map((x) => [x.recoveryPointId, x.crossRegion])).toEqual([["222222222222", "northeurope"]]);

        const jobId = fake.restores[0].jobId;
        const show = await cli(fake, ["jobs", "show", jobId, "--vault", vaultId(fake), "--secondary-region", "--json"]);
        expect(show.code).toBe(0);
        expect(JSON.parse(show.stdout)).toMatchObject({ jobId, operation: "CrossRegionRestore", status: "Completed" });
        const wait = await cli(fake, ["jobs", "wait", jobId, "--vault", vaultId(fake), "--secondary-region", "--poll-interval", "1s"]);
        expect(wait.code).toBe(0);
        // In the vault's own region there is no such job.
        const here = await cli(fake, ["jobs", "show", jobId, "--vault", vaultId(fake)]);
        expect(here.code).toBe(1);

        const started = await cli(fake, [...args, "--staging-storage", paired, "--secondary-region"]);
        expect(started.stdout.trim().split("\n").pop()).toMatch(/; follow it with azure-vm-backup jobs wait \S+ --vault \S+ --secondary-region$/);
    });

    test("replace-disks without --confirm, and an unknown --mode, are bad usage naming the flag; nothing is sent", async () => {
        const fake = await fakeArm();
        const replace = await cli(fake, ["restore", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web"), "--staging-storage", stagingId(fake), "--mode", "replace-disks"]);
        expect(replace.code).toBe(2);
        expect(replace.stderr).toMatch(/^azure-vm-backup: --confirm: .*replace-disks/);
        const mode = await cli(fake, restoreArgs(fake, "--mode", "everything"));
        expect(mode).toMatchObject({ code: 2, stderr: 'azure-vm-backup: --mode: must be disks, new-vm, replace-disks, got "everything"\n' });
        const none = await cli(fake, restoreArgs(fake));
        expect(none).toMatchObject({ code: 2, stderr: "azure-vm-backup: --mode: name what to restore, disks, new-vm, replace-disks\n" });
        expect(fake.restores).toEqual([]);
    });
});
