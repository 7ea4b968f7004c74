// The restore drill end to end through the library and the Azure SDKs, against the fake Resource
// Manager: recovery points, the restore, its job's extended information, disk reads and deletes.
// Everything goes over the wire, the drill's tagging of what it restored (a disk PATCH) included;
// the tags it sends are recorded on the way.
import { startFakeArm, type FakeArm, type FakeArmOptions } from "./fake-arm/server";
import { DRILL_TAG, runRestoreDrill, type DrillServices } from "../src/on-demand/restore-drill";
import { azureDrillServices } from "../src/on-demand/drill-services";
import { fakeClient } from "./fake-arm/client";

const VAULT_RG = "rg-backup";
const VM_RG = "rg-app";
const DRILL_RG = "rg-drill";
const DRILL = "drill-20261205t030000z-test";

const running: FakeArm[] = [];
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function fakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = await startFakeArm({
        operationMs: 0,
        restoreMs: 100,
        recoveryPoints: {
            "vm-web": [
                { name: "111111111111", time: ago(86_400_000), disks: [{ name: "vm-web-os", sizeGb: 30 }] },
                {
                    name: "222222222222",
                    time: ago(3_600_000),
                    disks: [
                        { name: "vm-web-os", sizeGb: 30 },
                        { lun: 0, name: "vm-web-data0", sizeGb: 128 },
                        { lun: 1, name: "vm-web-data1", sizeGb: 64 },
                    ],
                },
            ],
            "vm-db": [{ name: "333333333333", time: ago(7_200_000), disks: [{ name: "vm-db-os", sizeGb: 30 }] }],
        },
        // In the drill's group before it runs: one carrying this very drill's tag, one of someone else's.
        disks: [
            { resourceGroup: DRILL_RG, name: "bystander-tagged", sizeGb: 30, tags: { [DRILL_TAG]: DRILL } },
            { resourceGroup: DRILL_RG, name: "bystander-plain", sizeGb: 64 },
        ],
        ...options,
    });
    running.push(fake);
    return fake;
}

const client = (fake: FakeArm) => fakeClient(fake, "sentinel-drill");
const groupId = (fake: FakeArm) => `/subscriptions/${fake.subscriptionId}/resourceGroups/${DRILL_RG}`;

/** Runs the drill; `tagged` records what it tagged as its own. */
async function drill(fake: FakeArm, vms: string[]) {
    const tagged: string[] = [];
    const azure = await azureDrillServices({ client: client(fake), pollIntervalMs: 20, jobListLagMs: 200 });
    const services: DrillServices = {
        ...azure,
        tagDisk: async (id, tags, signal) => {
            tagged.push(`${id} ${JSON.stringify(tags)}`);
            await azure.tagDisk(id, tags, signal);
        },
    };
    const report = await runRestoreDrill(
        services,
        vms.map((vm) => ({ vaultId: fake.vaultId(VAULT_RG, "rsv-prod"), vmId: fake.vmId(VM_RG, vm) })),
        { drillId: DRILL, targetResourceGroupId: groupId(fake), stagingStorageAccountId: `${groupId(fake)}/providers/Microsoft.Storage/storageAccounts/stdrill` },
    );
    return { report, tagged };
}

const groupDisks = (fake: FakeArm) =>
    fake
        .disks()
        .filter((d) => d.resourceGroup === DRILL_RG)
        .map((d) => d.name)
        .sort();

describe("restore drill against the fake", () => {
    test("both VMs: the newest point restored as disks, each disk found by LUN, what the restores made deleted; the group's other disks stay", async () => {
        const fake = await fakeArm();
        const { report, tagged } = await drill(fake, ["vm-web", "vm-db"]);
        expect(report.vms.map((v) => [v.vmId.split("/").pop(), v.status, v.problems])).toEqual([
            ["vm-web", "Passed", []],
            ["vm-db", "Passed", []],
        ]);
        expect(report.passed).toBe(true);
        const web = report.vms[0];
        expect(web.point!.id.split("/").pop()).toBe("222222222222");
        expect(web.point!.ageSeconds).toBeGreaterThanOrEqual(3600);
        expect(web.point!.ageSeconds).toBeLessThan(3660);
        expect(web.restore).toMatchObject({ status: "Completed", jobId: fake.restores.find((x) => x.vm === "vm-web")!.jobId });
        expect(web.restore!.durationSeconds).toBeGreaterThanOrEqual(0);
        // The fake serves no VM, so the disks are checked by LUN, and the report says sizes were not.
        expect(web.disks).toMatchObject({ source: "recovery point", expected: 3, found: 3 });
        expect(web.disks.checks.map((c) => [c.disk, c.ok, c.foundGb])).toEqual([
            ["OS disk", true, 30],
            ["LUN 0", true, 128],
            ["LUN 1", true, 64],
        ]);
        expect(web.warnings.some((w) => w.startsWith("sizes not checked: the VM's disks could not be read"))).toBe(true);
        expect(web.cleanup.status).toBe("Done");
        expect(web.cleanup.deleted.map((id) => id.split("/").pop())).toEqual([expect.stringMatching(/^vm-web-osdisk-/), expect.stringMatching(/^vm-web-datadisk-0-/), expect.stringMatching(/^vm-web-datadisk-1-/)]);
        expect(tagged).toHaveLength(4);
        expect(tagged.every((t) => t.endsWith(` {"${DRILL_TAG}":"${DRILL}"}`))).toBe(true);
        expect(web.stagingFiles).toMatch(new RegExp(`^${fake.url}/stdrill/vm-web-[0-9a-f]{32}/azuredeploy[0-9a-f-]{36}\\.json$`));
        expect(groupDisks(fake)).toEqual(["bystander-plain", "bystander-tagged"]);
        expect(fake.restores.map((r) => r.request.recoveryType)).toEqual(["RestoreDisks", "RestoreDisks"]);
    });

    test("a disk missing after the restore fails the VM, named by LUN; the disks that came back are deleted", async () => {
        const fake = await fakeArm({ restoreOutcomes: { "vm-web": { status: "Completed", missingLuns: [1] } } });
        const { report } = await drill(fake, ["vm-web"]);
        expect(report.passed).toBe(false);
        expect(report.vms[0].problems).toEqual(["LUN 1: not found: the restore names it, Azure has no such disk"]);
        expect(report.vms[0].cleanup.deleted).toHaveLength(2);
        expect(groupDisks(fake)).toEqual(["bystander-plain", "bystander-tagged"]);
    });

    test("a configuration file the drill may not read: the VM fails, its restored disks are left where they are and said to be", async () => {
        const fake = await fakeArm({ faults: ({ path }) => (path.startsWith("/stdrill/") ? { kind: "status", status: 403, code: "AuthorizationPermissionMismatch", message: "not with this permission" } : undefined) });
        const { report, tagged } = await drill(fake, ["vm-web"]);
        const web = report.vms[0];
        const jobId = fake.restores[0].jobId;
        expect(web.status).toBe("Failed");
        expect(web.problems[0]).toMatch(new RegExp(`^the restored disks could not be told: reading the configuration file of restore job ${jobId} \\(${fake.url}/stdrill/vm-web-[0-9a-f]{32}/config-vm-web-${jobId}\\.json\\): Azure refused the credential \\(AuthorizationPermissionMismatch\\); reading it needs the Storage Blob Data Reader role on stdrill`));
        expect(web.cleanup.status).toBe("Incomplete");
        expect(web.cleanup.leftBehind).toEqual([{ id: `restore job ${jobId}`, reason: expect.stringMatching(new RegExp(`^its disks were not deleted, as they could not be told; they are in ${groupId(fake)}, named in ${fake.url}/stdrill/`)) }]);
        expect(tagged).toEqual([]);
        expect(groupDisks(fake)).toHaveLength(5);
    });

    test("a failed restore job fails the VM with Azure's error; nothing was made, nothing deleted", async () => {
        const fake = await fakeArm({ restoreOutcomes: { "vm-web": { status: "Failed" } } });
        const { report } = await drill(fake, ["vm-web"]);
        expect(report.vms[0].status).toBe("Failed");
        expect(report.vms[0].problems).toEqual([`restore job ${fake.restores[0].jobId} ended Failed: UserErrorRestoreFailed Restoring VM 'vm-web' from recovery point '222222222222' failed.`]);
        expect(report.vms[0].cleanup).toEqual({ status: "NotNeeded", deleted: [], kept: [], leftBehind: [] });
        expect(groupDisks(fake)).toEqual(["bystander-plain", "bystander-tagged"]);
    });

    test("a delete Azure refuses: the disk is left behind, named with the reason; the VM fails; the other disks are deleted", async () => {
        const fake = await fakeArm({
            faults: ({ method, path }) => (method === "DELETE" && /\/disks\/vm-web-datadisk-0-/i.test(path) ? { kind: "status", status: 403, code: "AuthorizationFailed", message: "no delete here" } : undefined),
        });
        const { report } = await drill(fake, ["vm-web"]);
        const web = report.vms[0];
        expect(web.status).toBe("Failed");
        expect(web.cleanup.status).toBe("Incomplete");
        expect(web.cleanup.leftBehind).toEqual([
            {
                id: expect.stringMatching(/\/resourceGroups\/rg-drill\/providers\/Microsoft\.Compute\/disks\/vm-web-datadisk-0-\d{8}-\d{6}$/),
                reason: expect.stringMatching(/^delete failed: deleting disk vm-web-datadisk-0-\S+: Azure refused the credential \(AuthorizationFailed: no delete here\)/),
            },
        ]);
        expect(groupDisks(fake)).toEqual(["bystander-plain", "bystander-tagged", web.cleanup.leftBehind[0].id.split("/").pop()].sort());
    });
});
