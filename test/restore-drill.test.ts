// The restore drill's decisions, against injected services: what it verifies, what it deletes
// (only what it made), and what it reports.
import { DRILL_TAG, runRestoreDrill, newDrillId, type DrillJob, type DrillPoint, type DrillServices } from "../src/on-demand/restore-drill";
import type { RestoredDisk } from "../src/on-demand/restore-config";
import { drillMarkdown, humanDuration } from "../src/on-demand/drill-report";
import type { ManagedDisk } from "../src/on-demand/managed-disks";
import { BackupOperationError } from "../src/on-demand/backup-operation-error";

const SUB = "00000000-0000-0000-0000-000000000001";
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod`;
const vm = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
const disk = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-drill/providers/Microsoft.Compute/disks/${name}`;
const TARGET_RG = `/subscriptions/${SUB}/resourceGroups/rg-drill`;
const STAGING = `/subscriptions/${SUB}/resourceGroups/rg-drill/providers/Microsoft.Storage/storageAccounts/stdrill`;
const DRILL = "drill-20261205t030000z-abcd";
const TAGGED = { [DRILL_TAG]: DRILL };

const POINT_TIME = new Date("2026-12-04T22:00:00Z");
const START = new Date("2026-12-05T03:00:00Z");
const JOB_START = new Date("2026-12-05T03:00:02Z");
const JOB_END = new Date("2026-12-05T03:42:30Z");
const BEFORE = new Date("2026-11-01T00:00:00Z");

/** A vault, a group of disks and a clock, as the drill sees them; every call recorded. */
class World implements DrillServices {
    disks = new Map<string, ManagedDisk>();
    points = new Map<string, DrillPoint[]>();
    vmDiskLists = new Map<string, { os: boolean; lun?: number; sizeGb?: number }[]>();
    /** What each VM's restore job ends as, and the disks it creates. */
    jobs = new Map<
        string,
        { status: string; creates: (RestoredDisk & { tags?: Record<string, string> })[]; names?: RestoredDisk[]; errors?: DrillJob["errors"]; noConfig?: boolean; configFails?: Error }
    >();
    /** The jobs whose configuration file the drill asked for. */
    configsRead: string[] = [];
    restores: { vmId: string; point: string; targetResourceGroupId: string; stagingStorageAccountId: string }[] = [];
    restoreWarnings: string[] = [];
    deleted: string[] = [];
    failDelete = new Set<string>();
    failTag = new Set<string>();
    tagged: string[] = [];
    waitFails?: Error;
    clock = START;
    private byJob = new Map<string, string>();

    async listRecoveryPoints(target: { vmId: string }) {
        return this.points.get(target.vmId) ?? [];
    }
    async restoreDisks(target: { vmId: string }, options: { point: string; targetResourceGroupId: string; stagingStorageAccountId: string }) {
        this.restores.push({ vmId: target.vmId, point: options.point, targetResourceGroupId: options.targetResourceGroupId, stagingStorageAccountId: options.stagingStorageAccountId });
        const jobId = `job-${this.restores.length}`;
        this.byJob.set(jobId, target.vmId);
        return { jobId, recoveryPointId: options.point, warnings: this.restoreWarnings };
    }
    async waitForRestoreJob(ref: { jobId: string }, options: { onProgress?: (job: DrillJob) => void }): Promise<DrillJob> {
        if (this.waitFails) throw this.waitFails;
        const spec = this.jobs.get(this.byJob.get(ref.jobId)!)!;
        // As Azure does, the restored disks carry no tag unless the test says so; created during the job.
        for (const d of spec.creates) this.disks.set(d.diskId, { id: d.diskId, sizeGb: d.sizeGb, tags: d.tags ?? {}, createdAt: JOB_END });
        const job: DrillJob = {
            jobId: ref.jobId,
            status: spec.status,
            startTime: JOB_START,
            endTime: JOB_END,
            errors: spec.errors ?? [],
            targetResourceGroupId: TARGET_RG,
            stagingStorageAccountName: "stdrill",
            ...(spec.noConfig ? {} : { configBlobUri: `https://stdrill.blob.core.windows.net/vm-web-abc/config-${ref.jobId}.json` }),
            templateBlobUri: "https://stdrill.blob.core.windows.net/vm-web-abc/azuredeploy.json",
        };
        options.onProgress?.(job);
        return job;
    }
    async restoredDisks(job: DrillJob): Promise<RestoredDisk[]> {
        this.configsRead.push(job.jobId);
        const spec = this.jobs.get(this.byJob.get(job.jobId)!)!;
        if (spec.configFails) throw spec.configFails;
        if (!job.configBlobUri) throw new BackupOperationError("NotFound", `restore job ${job.jobId} names no configuration file: only a completed restore of disks leaves one, and it names the disks`);
        return (spec.names ?? spec.creates).map(({ diskId, lun, os, sizeGb }) => ({ diskId, lun, os, sizeGb }));
    }
    async vmDisks(vmId: string) {
        const list = this.vmDiskLists.get(vmId);
        if (!list) throw new BackupOperationError("NotFound", `reading the disks of VM ${vmId}: not found`);
        return list;
    }
    async readDisk(diskId: string) {
        return this.disks.get(diskId);
    }
    async tagDisk(diskId: string, tags: Record<string, string>) {
        if (this.failTag.has(diskId)) throw new BackupOperationError("Forbidden", `tagging disk ${diskId.split("/").pop()}: Azure refused the credential (AuthorizationFailed)`);
        this.tagged.push(diskId);
        const d = this.disks.get(diskId)!;
        d.tags = { ...d.tags, ...tags };
    }
    async deleteDisk(diskId: string) {
        if (this.failDelete.has(diskId)) throw new BackupOperationError("Forbidden", `deleting disk ${diskId.split("/").pop()}: Azure refused the credential (AuthorizationFailed)`);
        this.deleted.push(diskId);
        this.disks.delete(diskId);
    }
}

/** The disks as the VM's storage profile has them, with sizes. */
const VM_DISKS = [
    { os: true, sizeGb: 128, name: "vm-web-os" },
    { os: false, lun: 0, sizeGb: 256, name: "vm-web-data0" },
    { os: false, lun: 1, sizeGb: 64, name: "vm-web-data1" },
];
/** The disks as Azure lists them with a recovery point: no sizes. */
const POINT_DISKS = VM_DISKS.map(({ os, lun, name }) => ({ os, lun, name }));
const RESTORED = [
    { diskId: disk("vm-web-os-restored"), os: true, sizeGb: 128 },
    { diskId: disk("vm-web-data0-restored"), os: false, lun: 0, sizeGb: 256 },
    { diskId: disk("vm-web-data1-restored"), os: false, lun: 1, sizeGb: 64 },
];

/** A world where vm-web has two points (the newer with three disks) and its restore completes. */
function world(): World {
    const w = new World();
    w.points.set(vm("vm-web"), [
        { id: `${VAULT}/backupFabrics/Azure/protectionContainers/c/protectedItems/i/recoveryPoints/111`, name: "111", time: new Date("2026-12-03T22:00:00Z") },
        { id: `${VAULT}/backupFabrics/Azure/protectionContainers/c/protectedItems/i/recoveryPoints/222`, name: "222", time: POINT_TIME, disks: POINT_DISKS },
    ]);
    w.vmDiskLists.set(vm("vm-web"), VM_DISKS);
    w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED });
    // Disks already in the group: one carries the drill's tag without being the drill's, one is someone else's.
    w.disks.set(disk("lookalike"), { id: disk("lookalike"), sizeGb: 128, tags: TAGGED, createdAt: JOB_END });
    w.disks.set(disk("someone-elses"), { id: disk("someone-elses"), sizeGb: 32, tags: {}, createdAt: JOB_END });
    return w;
}

const drill = (w: World, vms = [vm("vm-web")], options: { keep?: boolean; signal?: AbortSignal } = {}) =>
    runRestoreDrill(
        w,
        vms.map((vmId) => ({ vaultId: VAULT, vmId })),
        { drillId: DRILL, targetResourceGroupId: TARGET_RG, stagingStorageAccountId: STAGING, now: () => w.clock, ...options },
    );

describe("restore drill", () => {
    test("success: the newest point restored as disks, tagged; every disk verified by LUN and size; what it made deleted; RPO and RTO reported", async () => {
        const w = world();
        const progress: string[] = [];
        const report = await runRestoreDrill(w, [{ vaultId: VAULT, vmId: vm("vm-web") }], {
            drillId: DRILL,
            targetResourceGroupId: TARGET_RG,
            stagingStorageAccountId: STAGING,
            now: () => w.clock,
            onProgress: (_vm, text) => progress.push(text),
        });
        expect(w.restores).toEqual([{ vmId: vm("vm-web"), point: w.points.get(vm("vm-web"))![1].id, targetResourceGroupId: TARGET_RG, stagingStorageAccountId: STAGING }]);
        expect(report.passed).toBe(true);
        const [r] = report.vms;
        expect(r.status).toBe("Passed");
        expect(r.problems).toEqual([]);
        expect(r.point).toEqual({ id: w.points.get(vm("vm-web"))![1].id, time: "2026-12-04T22:00:00.000Z", ageSeconds: 5 * 3600 });
        expect(r.restore).toEqual({ jobId: "job-1", status: "Completed", requestedAt: START.toISOString(), endedAt: JOB_END.toISOString(), durationSeconds: 42 * 60 + 30 });
        expect(r.disks).toEqual({
            source: "recovery point and VM",
            expected: 3,
            found: 3,
            checks: [
                { disk: "OS disk", expectedGb: 128, foundGb: 128, diskId: disk("vm-web-os-restored"), ok: true },
                { disk: "LUN 0", expectedGb: 256, foundGb: 256, diskId: disk("vm-web-data0-restored"), ok: true },
                { disk: "LUN 1", expectedGb: 64, foundGb: 64, diskId: disk("vm-web-data1-restored"), ok: true },
            ],
        });
        expect(r.cleanup).toEqual({ status: "Done", deleted: RESTORED.map((d) => d.diskId), kept: [], leftBehind: [] });
        expect(w.tagged).toEqual(RESTORED.map((d) => d.diskId));
        expect(w.deleted).toEqual(RESTORED.map((d) => d.diskId));
        // Nothing else in the group was touched, the look-alike carrying the drill's tag included.
        expect([...w.disks.keys()].sort()).toEqual([disk("lookalike"), disk("someone-elses")]);
        expect(r.stagingFiles).toBe("https://stdrill.blob.core.windows.net/vm-web-abc/azuredeploy.json");
        expect(w.configsRead).toEqual(["job-1"]);
        expect(progress).toEqual([
            "finding the newest recovery point",
            "restoring the disks of point 222",
            "restore started, job job-1",
            "restore Completed, job job-1",
            "verifying the restored disks",
            "deleting 3 restored disk(s)",
            "passed",
        ]);
    });

    test("a disk missing after the restore fails the VM, naming the disk; what did come back is deleted", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED.filter((d) => d.lun !== 1) });
        const report = await drill(w);
        expect(report.passed).toBe(false);
        const [r] = report.vms;
        expect(r.status).toBe("Failed");
        expect(r.problems).toEqual(["LUN 1: not restored: the restore names no such disk"]);
        expect(r.disks).toMatchObject({ expected: 3, found: 2 });
        expect(w.deleted).toEqual([disk("vm-web-os-restored"), disk("vm-web-data0-restored")]);
        expect(r.cleanup.status).toBe("Done");
    });

    test("a disk the job names that Azure does not have, and a disk of the wrong size, each fail the VM", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: [RESTORED[0], { ...RESTORED[1], sizeGb: 255 }], names: RESTORED });
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Failed");
        expect(r.problems).toEqual(["LUN 0: size 255 GB, expected 256 GB", "LUN 1: not found: the restore names it, Azure has no such disk"]);
        expect(r.disks.found).toBe(2);
    });

    test("a disk of the expected size passes at both sides: 256 GB expected, 256 GB found passes, 257 GB fails", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: [RESTORED[0], { ...RESTORED[1], sizeGb: 257 }, RESTORED[2]] });
        expect((await drill(w)).vms[0].problems).toEqual(["LUN 0: size 257 GB, expected 256 GB"]);
        const ok = world();
        expect((await drill(ok)).vms[0].problems).toEqual([]);
    });

    test("a failed restore job fails the VM with Azure's error; any disk it made is still deleted", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Failed", creates: [RESTORED[0]], errors: [{ code: "UserErrorStorageAccountNotFound", message: "The staging storage account was not found." }] });
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Failed");
        expect(r.problems).toEqual(["restore job job-1 ended Failed: UserErrorStorageAccountNotFound The staging storage account was not found."]);
        expect(r.disks).toEqual({ expected: 0, found: 0, checks: [] });
        expect(w.deleted).toEqual([disk("vm-web-os-restored")]);
        expect(r.restore?.status).toBe("Failed");
    });

    test("a failed restore job that left no configuration file is not asked for one: the VM fails with Azure's error alone", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Failed", creates: [], noConfig: true, errors: [{ code: "UserErrorRestoreFailed", message: "Restore failed." }] });
        const r = (await drill(w)).vms[0];
        expect(w.configsRead).toEqual([]);
        expect(r.problems).toEqual(["restore job job-1 ended Failed: UserErrorRestoreFailed Restore failed."]);
        expect(r.cleanup).toEqual({ status: "NotNeeded", deleted: [], kept: [], leftBehind: [] });
    });

    test("a completed restore whose configuration file cannot be read: nothing is verified or deleted, and the job is named as left behind with where its disks are", async () => {
        const w = world();
        const refused = new BackupOperationError("Forbidden", "reading the configuration file of restore job job-1 (https://stdrill.blob.core.windows.net/vm-web-abc/config-job-1.json): Azure refused the credential (AuthorizationPermissionMismatch)");
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED, configFails: refused });
        const report = await drill(w);
        const [r] = report.vms;
        expect(report.passed).toBe(false);
        expect(r.status).toBe("Failed");
        expect(r.disks).toEqual({ expected: 0, found: 0, checks: [] });
        expect(w.deleted).toEqual([]);
        expect(w.tagged).toEqual([]);
        expect(r.cleanup).toEqual({
            status: "Incomplete",
            deleted: [],
            kept: [],
            leftBehind: [
                {
                    id: "restore job job-1",
                    reason: `its disks were not deleted, as they could not be told; they are in ${TARGET_RG}, named in https://stdrill.blob.core.windows.net/vm-web-abc/config-job-1.json`,
                },
            ],
        });
        expect(r.problems).toEqual([
            `the restored disks could not be told: ${refused.message}`,
            `left behind restore job job-1: its disks were not deleted, as they could not be told; they are in ${TARGET_RG}, named in https://stdrill.blob.core.windows.net/vm-web-abc/config-job-1.json`,
        ]);
    });

    test("a completed restore that names no configuration file fails the VM the same way, saying so", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED, noConfig: true });
        const r = (await drill(w)).vms[0];
        expect(w.configsRead).toEqual(["job-1"]);
        expect(r.problems[0]).toBe("the restored disks could not be told: restore job job-1 names no configuration file: only a completed restore of disks leaves one, and it names the disks");
        expect(r.cleanup.leftBehind).toEqual([{ id: "restore job job-1", reason: `its disks were not deleted, as they could not be told; they are in ${TARGET_RG}` }]);
        expect(w.deleted).toEqual([]);
    });

    test("a missing sign-in while reading the configuration file ends the drill as a whole", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED, configFails: new BackupOperationError("NotSignedIn", "no Azure sign-in was found") });
        await expect(drill(w)).rejects.toThrow("no Azure sign-in was found");
    });

    test("a cleanup that fails is reported, fails the drill, and names what is left behind", async () => {
        const w = world();
        w.failDelete.add(disk("vm-web-data0-restored"));
        const report = await drill(w);
        expect(report.passed).toBe(false);
        const [r] = report.vms;
        expect(r.status).toBe("Failed");
        expect(r.cleanup).toEqual({
            status: "Incomplete",
            deleted: [disk("vm-web-os-restored"), disk("vm-web-data1-restored")],
            kept: [],
            leftBehind: [{ id: disk("vm-web-data0-restored"), reason: "delete failed: deleting disk vm-web-data0-restored: Azure refused the credential (AuthorizationFailed)" }],
        });
        expect(r.problems).toEqual([`left behind ${disk("vm-web-data0-restored")}: delete failed: deleting disk vm-web-data0-restored: Azure refused the credential (AuthorizationFailed)`]);
        expect(drillMarkdown(report)).toContain(`**left behind**: ${disk("vm-web-data0-restored")} (delete failed: deleting disk vm-web-data0-restored: Azure refused the credential (AuthorizationFailed))`);
    });

    test("never deletes what it did not make: a disk the job names that was there before, untagged, is left and named; a tagged disk the job does not name is not touched", async () => {
        const w = world();
        w.disks.set(disk("pre-existing"), { id: disk("pre-existing"), sizeGb: 64, tags: { owner: "team-a" }, createdAt: BEFORE });
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED.slice(0, 2), names: [...RESTORED.slice(0, 2), { diskId: disk("pre-existing"), os: false, lun: 1, sizeGb: 64 }] });
        const r = (await drill(w)).vms[0];
        expect(w.deleted).toEqual(RESTORED.slice(0, 2).map((d) => d.diskId));
        expect(w.tagged).toEqual(RESTORED.slice(0, 2).map((d) => d.diskId));
        expect([...w.disks.keys()].sort()).toEqual([disk("lookalike"), disk("pre-existing"), disk("someone-elses")]);
        expect(w.disks.get(disk("pre-existing"))!.tags).toEqual({ owner: "team-a" });
        expect(r.cleanup.leftBehind).toEqual([
            { id: disk("pre-existing"), reason: `not deleted: the restore names it but it was there before the restore (created 2026-11-01T00:00:00.000Z) and does not carry the tag ${DRILL_TAG}=${DRILL}` },
        ]);
        expect(r.status).toBe("Failed");
    });

    test("a disk created one millisecond before the job began is not claimed; one created as it began is", async () => {
        const w = world();
        const at = (ms: number) => ({ id: disk(`d${ms}`), sizeGb: 64, tags: {}, createdAt: new Date(JOB_START.getTime() + ms) });
        w.disks.set(disk("d-1"), at(-1));
        w.disks.set(disk("d0"), at(0));
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED, names: [...RESTORED, { diskId: disk("d-1"), os: false, lun: 7 }, { diskId: disk("d0"), os: false, lun: 8 }] });
        const r = (await drill(w)).vms[0];
        expect(w.deleted).toEqual([...RESTORED.map((d) => d.diskId), disk("d0")]);
        expect(r.cleanup.leftBehind.map((l) => l.id)).toEqual([disk("d-1")]);
    });

    test("a disk the job names in another resource group is not the drill's, even when new", async () => {
        const w = world();
        const elsewhere = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/disks/vm-web-os`;
        w.disks.set(elsewhere, { id: elsewhere, sizeGb: 128, tags: {}, createdAt: JOB_END });
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED.slice(1), names: [{ diskId: elsewhere, os: true, sizeGb: 128 }, ...RESTORED.slice(1)] });
        const r = (await drill(w)).vms[0];
        expect(w.deleted).toEqual(RESTORED.slice(1).map((d) => d.diskId));
        expect(w.disks.has(elsewhere)).toBe(true);
        expect(r.cleanup.leftBehind).toEqual([{ id: elsewhere, reason: "not deleted: it is outside the drill's target resource group" }]);
    });

    test("a restored disk that cannot be tagged is not deleted, and is named", async () => {
        const w = world();
        w.failTag.add(disk("vm-web-data1-restored"));
        const r = (await drill(w)).vms[0];
        expect(w.deleted).toEqual(RESTORED.slice(0, 2).map((d) => d.diskId));
        expect(r.cleanup.leftBehind).toEqual([
            { id: disk("vm-web-data1-restored"), reason: "not deleted: it could not be tagged as the drill's (tagging disk vm-web-data1-restored: Azure refused the credential (AuthorizationFailed))" },
        ]);
        expect(r.status).toBe("Failed");
    });

    test("a restored disk the restore already tagged for this drill is deleted without tagging it again", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED.map((d) => ({ ...d, tags: TAGGED })) });
        await drill(w);
        expect(w.tagged).toEqual([]);
        expect(w.deleted).toEqual(RESTORED.map((d) => d.diskId));
    });

    test("keep: the restored disks are tagged, left in place and named; the VM passes", async () => {
        const w = world();
        const report = await drill(w, [vm("vm-web")], { keep: true });
        expect(report.keep).toBe(true);
        expect(report.vms[0].status).toBe("Passed");
        expect(report.vms[0].cleanup).toEqual({ status: "Kept", deleted: [], kept: RESTORED.map((d) => d.diskId), leftBehind: [] });
        expect(w.deleted).toEqual([]);
        expect(RESTORED.map((d) => w.disks.get(d.diskId)!.tags)).toEqual([TAGGED, TAGGED, TAGGED]);
    });

    test("a point without a disk list is verified against the VM's current disks", async () => {
        const w = world();
        w.points.set(vm("vm-web"), [{ ...w.points.get(vm("vm-web"))![1], disks: undefined }]);
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Passed");
        expect(r.disks).toMatchObject({ source: "VM", expected: 3, found: 3 });
    });

    test("a VM whose disks cannot be read is verified against the point's list by LUN, sizes said to be unchecked", async () => {
        const w = world();
        w.vmDiskLists.delete(vm("vm-web"));
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Passed");
        expect(r.disks.source).toBe("recovery point");
        expect(r.disks.checks.map((c) => [c.disk, c.expectedGb, c.ok])).toEqual([
            ["OS disk", undefined, true],
            ["LUN 0", undefined, true],
            ["LUN 1", undefined, true],
        ]);
        expect(r.warnings).toEqual([`sizes not checked: the VM's disks could not be read (reading the disks of VM ${vm("vm-web")}: not found)`]);
    });

    test("with neither the point's list nor the VM's disks the VM fails, and the restored disks are still deleted", async () => {
        const w = world();
        w.vmDiskLists.delete(vm("vm-web"));
        w.points.set(vm("vm-web"), [{ ...w.points.get(vm("vm-web"))![1], disks: undefined }]);
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Failed");
        expect(r.problems).toEqual([`the disks could not be verified: reading the disks of VM ${vm("vm-web")}: not found`]);
        expect(w.deleted).toEqual(RESTORED.map((d) => d.diskId));
    });

    test("the restore's own warnings are the VM's warnings", async () => {
        const w = world();
        w.restoreWarnings = ["stagingStorageAccountId: the staging account could not be read"];
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Passed");
        expect(r.warnings).toEqual(["stagingStorageAccountId: the staging account could not be read"]);
    });

    test("a disk the VM has and the point does not is a warning, not a failure: it was not backed up", async () => {
        const w = world();
        w.vmDiskLists.set(vm("vm-web"), [...VM_DISKS, { os: false, lun: 2, sizeGb: 1024, name: "vm-web-scratch" }]);
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Passed");
        expect(r.disks.expected).toBe(3);
        expect(r.warnings).toEqual(["LUN 2: the VM has it, the recovery point does not (excluded from the backup, or added since)"]);
    });

    test("a VM with no recovery point fails without a restore; the other VM of the drill still passes", async () => {
        const w = world();
        const report = await drill(w, [vm("vm-web"), vm("vm-new")]);
        expect(report.vms.map((v) => [v.vmId, v.status, v.problems])).toEqual([
            [vm("vm-web"), "Passed", []],
            [vm("vm-new"), "Failed", ["the VM has no recovery point to restore"]],
        ]);
        expect(w.restores.map((r) => r.vmId)).toEqual([vm("vm-web")]);
        expect(report.passed).toBe(false);
    });

    test("a wait that ends without the job's end (interrupted) leaves the running restore named, with how to find its disks", async () => {
        const w = world();
        const controller = new AbortController();
        w.waitForRestoreJob = async () => {
            controller.abort();
            throw new BackupOperationError("Interrupted", "job job-1: the wait was interrupted");
        };
        const report = await drill(w, [vm("vm-web")], { signal: controller.signal });
        expect(report.interrupted).toBe(true);
        expect(report.passed).toBe(false);
        expect(report.vms[0].status).toBe("Interrupted");
        expect(report.vms[0].cleanup.leftBehind).toEqual([
            { id: "restore job job-1", reason: `still running or unknown: when it ends, the disks it made are left in the target group; it names them (azure-vm-backup jobs show job-1 --vault ${VAULT} --disks)` },
        ]);
    });

    test("a wait that times out fails the VM, naming the job left running", async () => {
        const w = world();
        w.waitFails = new BackupOperationError("Timeout", "job job-1 (vm-web) was still InProgress after 60 s");
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Failed");
        expect(r.problems).toEqual(["job job-1 (vm-web) was still InProgress after 60 s"]);
        expect(r.cleanup.leftBehind[0].id).toBe("restore job job-1");
    });

    test("a restore whose outcome is unknown fails the VM and is named as possibly left running", async () => {
        const w = world();
        w.restoreDisks = async () => {
            throw new BackupOperationError("OutcomeUnknown", "restoring VM vm-web from vault rsv-prod: the restore may have started: its answer was lost; it was not sent again. Check with ...");
        };
        const r = (await drill(w)).vms[0];
        expect(r.status).toBe("Failed");
        expect(r.cleanup).toEqual({
            status: "Incomplete",
            deleted: [],
            kept: [],
            leftBehind: [{ id: `a restore of ${vm("vm-web")}`, reason: "may have started: restoring VM vm-web from vault rsv-prod: the restore may have started: its answer was lost; it was not sent again. Check with ..." }],
        });
    });

    test("a missing sign-in ends the drill as a whole", async () => {
        const w = world();
        w.listRecoveryPoints = async () => {
            throw new BackupOperationError("NotSignedIn", "not signed in to Azure");
        };
        await expect(drill(w)).rejects.toThrow("not signed in to Azure");
    });
});

describe("drill report", () => {
    test("Markdown: a verdict, a table per VM with RPO, RTO, disks and cleanup", async () => {
        const w = world();
        const md = drillMarkdown(await drill(w));
        expect(md).toBe(
            [
                `## Restore drill ${DRILL}: PASSED`,
                "",
                `1 of 1 VM(s) passed. Started ${START.toISOString()}, ended ${START.toISOString()}; restored into ${TARGET_RG}.`,
                "",
                "### vm-web",
                "",
                "| | |",
                "|---|---|",
                "| Result | passed |",
                "| Recovery point | 2026-12-04T22:00:00.000Z (222) |",
                "| Point age (RPO achieved) | 5h |",
                "| Restore job | job-1: Completed |",
                "| Restore duration (RTO achieved) | 42m |",
                "| Disks verified | 3 of 3 expected (the point's disks, at the VM's sizes); 3 restored |",
                "| - OS disk | ok, 128 GB |",
                "| - LUN 0 | ok, 256 GB |",
                "| - LUN 1 | ok, 64 GB |",
                "| Cleanup | done: 3 disk(s) deleted |",
                "",
            ].join("\n"),
        );
    });

    test("Markdown of a failed drill says FAILED and each problem", async () => {
        const w = world();
        w.jobs.set(vm("vm-web"), { status: "Completed", creates: RESTORED.slice(0, 2) });
        const md = drillMarkdown(await drill(w));
        expect(md).toContain(`## Restore drill ${DRILL}: FAILED`);
        expect(md).toContain("| Result | **failed** |");
        expect(md).toContain("| - LUN 1 | not restored: the restore names no such disk |");
        expect(md).toContain("| Problem | LUN 1: not restored: the restore names no such disk |");
    });

    test("durations read as days, hours and minutes; under a minute, seconds", () => {
        expect(humanDuration(59)).toBe("59s");
        expect(humanDuration(60)).toBe("1m");
        expect(humanDuration(93784)).toBe("1d 2h 3m");
    });

    test("a drill id says when it began", () => {
        expect(newDrillId(new Date("2026-12-05T03:04:05.678Z"))).toMatch(/^drill-20261205t030405z-[a-z0-9]{1,4}$/);
    });
});
