// A restore drill: restore each VM's newest recovery point as disks into a group kept for the
// purpose, check that every disk came back, delete what the drill made, and say how old the
// point was (the RPO achieved) and how long the restore took (the RTO achieved).
import { BackupOperationError } from "./backup-operation-error";
import type { ExpectedDisk, ManagedDisk } from "./managed-disks";
import type { RestoreFiles, RestoredDisk } from "./restore-config";

/** The tag the drill puts on what its restores create; its value is the drill's id. */
export const DRILL_TAG = "azure-vm-backup-drill";

/** What the drill needs of a recovery point. */
export interface DrillPoint {
    id: string;
    name: string;
    time: Date;
    disks?: ExpectedDisk[];
}


/** What the drill needs of a restore job as it ends: its outcome, and where its files and disks are. */
export interface DrillJob extends RestoreFiles {
    status: string;
    startTime?: Date;
    endTime?: Date;
    errors: { code: string; message: string }[];
    templateBlobUri?: string;
}

export interface VmTarget {
    vaultId: string;
    vmId: string;
}

/**
 * What the drill calls: the library's recovery points, restore and job wait, and the Compute
 * reads and deletes of disks. Injected, so the drill's decisions are testable on their own.
 */
export interface DrillServices {
    listRecoveryPoints(target: VmTarget, options: { signal?: AbortSignal }): Promise<DrillPoint[]>;
    restoreDisks(
        target: VmTarget,
        options: { point: string; targetResourceGroupId: string; stagingStorageAccountId: string; signal?: AbortSignal; timeoutMs?: number },
    ): Promise<{ jobId: string; recoveryPointId: string; warnings?: string[] }>;
    waitForRestoreJob(ref: { vaultId: string; jobId: string }, options: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (job: DrillJob) => void }): Promise<DrillJob>;
    /** The disks a completed restore created, as its configuration file names them. */
    restoredDisks(job: DrillJob, signal?: AbortSignal): Promise<RestoredDisk[]>;
    vmDisks(vmId: string, signal?: AbortSignal): Promise<ExpectedDisk[]>;
    readDisk(diskId: string, signal?: AbortSignal): Promise<ManagedDisk | undefined>;
    tagDisk(diskId: string, tags: Record<string, string>, signal?: AbortSignal): Promise<void>;
    deleteDisk(diskId: string, signal?: AbortSignal): Promise<void>;
}

export interface DrillOptions {
    /** Names the drill: the value of the tag on what it creates. */
    drillId: string;
    targetResourceGroupId: string;
    stagingStorageAccountId: string;
    /** Leave the restored disks in place. */
    keep?: boolean;
    /** Stops the drill where it stands; what was left is reported. */
    signal?: AbortSignal;
    /** The whole drill's deadline (a time in ms), restores and waits included. */
    deadline?: number;
    /** Called as each VM's drill moves on. */
    onProgress?: (vmId: string, text: string) => void;
    now?: () => Date;
}

export interface DiskCheck {
    /** "OS disk" or "LUN n". */
    disk: string;
    expectedGb?: number;
    foundGb?: number;
    diskId?: string;
    ok: boolean;
    problem?: string;
}

export interface LeftBehind {
    /** A resource id, or the restore job whose disks are still to come. */
    id: string;
    reason: string;
}

export type VmDrillStatus = "Passed" | "Failed" | "Interrupted";

export interface VmDrillResult {
    vmId: string;
    vaultId: string;
    status: VmDrillStatus;
    /** The point restored; its age when the drill began is the recovery point objective achieved. */
    point?: { id: string; time: string; ageSeconds: number };
    /** From the restore request to the job's end: the recovery time achieved. */
    restore?: { jobId: string; status: string; requestedAt: string; endedAt?: string; durationSeconds?: number };
    /** Where the expected disks came from: the point says which, the VM their sizes. */
    disks: { source?: Expected["source"]; expected: number; found: number; checks: DiskCheck[] };
    cleanup: { status: "Done" | "Kept" | "Incomplete" | "NotNeeded"; deleted: string[]; kept: string[]; leftBehind: LeftBehind[] };
    /** Files the restore writes to the staging account (its template and configuration): the drill does not delete blobs. */
    stagingFiles?: string;
    /** Why the VM failed the drill; empty when it passed. */
    problems: string[];
    warnings: string[];
}

export interface DrillReport {
    drillId: string;
    startedAt: string;
    endedAt: string;
    targetResourceGroupId: string;
    stagingStorageAccountId: string;
    keep: boolean;
    passed: boolean;
    interrupted: boolean;
    vms: VmDrillResult[];
}

const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);
const label = (d: { os: boolean; lun?: number }) => (d.os ? "OS disk" : `LUN ${d.lun ?? "?"}`);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What makes the VM fail: anything that the restore or its check did not show to be fine. */
const JOB_PASSES = new Set(["Completed", "CompletedWithWarnings"]);

type Expected = { source: "recovery point and VM" | "recovery point" | "VM"; disks: ExpectedDisk[]; warnings: string[] };

const sameDisk = (a: { os: boolean; lun?: number }, b: { os: boolean; lun?: number }) => a.os === b.os && (a.os || a.lun === b.lun);

/**
 * The disks the restore should have brought back. The point says which disks it holds (a disk
 * excluded from the backup is not expected); the VM's storage profile says their sizes, which
 * Azure does not list with a point. Either alone does, with what it cannot tell said.
 */
async function expectedDisks(services: DrillServices, vmId: string, point: DrillPoint, signal?: AbortSignal): Promise<Expected> {
    let vmDisks: ExpectedDisk[] | undefined;
    let unread: unknown;
    try {
        vmDisks = await services.vmDisks(vmId, signal);
    } catch (err) {
        if (err instanceof BackupOperationError && err.code === "NotSignedIn") throw err;
        unread = err;
    }
    const inPoint = point.disks?.length ? point.disks : undefined;
    if (vmDisks && inPoint) {
        const warnings = vmDisks.filter((d) => !inPoint.some((p) => sameDisk(p, d))).map((d) => `${label(d)}: the VM has it, the recovery point does not (excluded from the backup, or added since)`);
        const disks = inPoint.map((p) => ({ ...p, ...vmDisks!.find((d) => sameDisk(p, d)), name: p.name }));
        return { source: "recovery point and VM", disks, warnings };
    }
    if (vmDisks) return { source: "VM", disks: vmDisks, warnings: [] };
    if (inPoint) return { source: "recovery point", disks: inPoint, warnings: [`sizes not checked: the VM's disks could not be read (${messageOf(unread)})`] };
    throw unread;
}

/** Each expected disk against what the job says it restored, as Azure reads each one now. */
async function verify(services: DrillServices, expected: ExpectedDisk[], restored: RestoredDisk[], signal?: AbortSignal): Promise<{ checks: DiskCheck[]; found: number }> {
    const reads = new Map<string, ManagedDisk | undefined>();
    for (const r of restored) reads.set(r.diskId, await services.readDisk(r.diskId, signal));
    const present = restored.filter((r) => reads.get(r.diskId) !== undefined);
    const checks = expected.map((e): DiskCheck => {
        const match = restored.find((r) => sameDisk(r, e));
        const disk = match && reads.get(match.diskId);
        const base = { disk: label(e), expectedGb: e.sizeGb, diskId: match?.diskId };
        if (!match) return { ...base, ok: false, problem: "not restored: the restore names no such disk" };
        if (!disk) return { ...base, ok: false, problem: "not found: the restore names it, Azure has no such disk" };
        const foundGb = disk.sizeGb ?? match.sizeGb;
        if (e.sizeGb !== undefined && foundGb !== e.sizeGb) return { ...base, foundGb, ok: false, problem: `size ${foundGb ?? "unknown"} GB, expected ${e.sizeGb} GB` };
        return { ...base, foundGb, ok: true };
    });
    return { checks, found: present.length };
}

/** The resource group part of an id, lower-cased: "/subscriptions/{s}/resourcegroups/{g}". */
const groupOf = (id: string) => /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(id)?.[0].toLowerCase();

/**
 * Whether a disk the job names is one this restore made: it already carries the drill's tag, or
 * it is in the drill's target group and Azure created it after the restore began (then it is
 * tagged now, so that what is left of a drill can always be found). Anything else is not the
 * drill's, whatever the job says.
 */
async function claim(services: DrillServices, disk: ManagedDisk, drill: { drillId: string; targetResourceGroupId: string; since: Date }, signal?: AbortSignal): Promise<string | undefined> {
    const tag = disk.tags[DRILL_TAG];
    if (tag === drill.drillId) return undefined;
    if (tag !== undefined) return `not deleted: it carries the tag of another drill (${DRILL_TAG}=${tag})`;
    if (groupOf(disk.id) !== groupOf(drill.targetResourceGroupId)) return "not deleted: it is outside the drill's target resource group";
    if (!disk.createdAt || disk.createdAt < drill.since) {
        return `not deleted: the restore names it but it was there before the restore (created ${disk.createdAt?.toISOString() ?? "at an unknown time"}) and does not carry the tag ${DRILL_TAG}=${drill.drillId}`;
    }
    try {
        await services.tagDisk(disk.id, { [DRILL_TAG]: drill.drillId }, signal);
        return undefined;
    } catch (err) {
        return `not deleted: it could not be tagged as the drill's (${messageOf(err)})`;
    }
}

/**
 * Deletes what the drill created: a disk the job names AND that carries this drill's tag. Any
 * other disk, in the group or named by the job, is left as it is, and named when the job named it.
 */
async function cleanUp(
    services: DrillServices,
    drill: { drillId: string; targetResourceGroupId: string; since: Date },
    restored: RestoredDisk[],
    keep: boolean,
    signal?: AbortSignal,
): Promise<VmDrillResult["cleanup"]> {
    const cleanup: VmDrillResult["cleanup"] = { status: "NotNeeded", deleted: [], kept: [], leftBehind: [] };
    for (const r of restored) {
        let disk: ManagedDisk | undefined;
        try {
            disk = await services.readDisk(r.diskId, signal);
        } catch (err) {
            cleanup.leftBehind.push({ id: r.diskId, reason: `not deleted: it could not be read (${messageOf(err)})` });
            continue;
        }
        if (!disk) continue;
        const notOurs = await claim(services, disk, drill, signal);
        if (notOurs) {
            cleanup.leftBehind.push({ id: r.diskId, reason: notOurs });
            continue;
        }
        if (keep) {
            cleanup.kept.push(r.diskId);
            continue;
        }
        if (signal?.aborted) {
            cleanup.leftBehind.push({ id: r.diskId, reason: "not deleted: the drill was interrupted" });
            continue;
        }
        try {
            await services.deleteDisk(r.diskId, signal);
            cleanup.deleted.push(r.diskId);
        } catch (err) {
            cleanup.leftBehind.push({ id: r.diskId, reason: `delete failed: ${messageOf(err)}` });
        }
    }
    cleanup.status = cleanup.leftBehind.length > 0 ? "Incomplete" : cleanup.kept.length > 0 ? "Kept" : cleanup.deleted.length > 0 ? "Done" : "NotNeeded";
    return cleanup;
}

/** One VM's drill, start to end; never throws, but for a missing sign-in, which no VM can pass. */
async function drillVm(services: DrillServices, target: VmTarget, options: DrillOptions, startedAt: Date): Promise<VmDrillResult> {
    const now = options.now ?? (() => new Date());
    const { signal } = options;
    const step = (text: string) => options.onProgress?.(target.vmId, text);
    const result: VmDrillResult = {
        ...target,
        status: "Failed",
        disks: { expected: 0, found: 0, checks: [] },
        cleanup: { status: "NotNeeded", deleted: [], kept: [], leftBehind: [] },
        problems: [],
        warnings: [],
    };
    const timeoutMs = () => (options.deadline === undefined ? undefined : Math.max(1, options.deadline - Date.now()));
    const interrupted = () => {
        result.status = "Interrupted";
        return result;
    };
    try {
        step("finding the newest recovery point");
        const points = await services.listRecoveryPoints(target, { signal });
        if (signal?.aborted) return interrupted();
        const point = points.reduce<DrillPoint | undefined>((newest, p) => (!newest || p.time > newest.time ? p : newest), undefined);
        if (!point) {
            result.problems.push("the VM has no recovery point to restore");
            step("failed: no recovery point");
            return result;
        }
        result.point = { id: point.id, time: point.time.toISOString(), ageSeconds: seconds(point.time, startedAt) };

        step(`restoring the disks of point ${point.name}`);
        const requestedAt = now();
        const { jobId, warnings } = await services.restoreDisks(target, {
            point: point.id,
            targetResourceGroupId: options.targetResourceGroupId,
            stagingStorageAccountId: options.stagingStorageAccountId,
            signal,
            timeoutMs: timeoutMs(),
        });
        result.warnings.push(...(warnings ?? []));
        result.restore = { jobId, status: "InProgress", requestedAt: requestedAt.toISOString() };
        step(`restore started, job ${jobId}`);
        let job: DrillJob;
        try {
            job = await services.waitForRestoreJob({ vaultId: target.vaultId, jobId }, { signal, timeoutMs: timeoutMs(), onProgress: (j) => step(`restore ${j.status}, job ${jobId}`) });
        } catch (err) {
            // The restore goes on in Azure: the disks it makes when it ends are not deleted by this drill.
            result.cleanup = {
                status: "Incomplete",
                deleted: [],
                kept: [],
                leftBehind: [{ id: `restore job ${jobId}`, reason: `still running or unknown: when it ends, the disks it made are left in the target group; it names them (azure-vm-backup jobs show ${jobId} --vault ${target.vaultId} --disks)` }],
            };
            if (signal?.aborted) return interrupted();
            throw err;
        }
        const endedAt = job.endTime ?? now();
        result.restore = { jobId, status: job.status, requestedAt: requestedAt.toISOString(), endedAt: endedAt.toISOString(), durationSeconds: seconds(requestedAt, endedAt) };
        result.stagingFiles = job.templateBlobUri;
        // A failed restore may leave no file; whatever disks it named are cleaned up like any.
        let restored: RestoredDisk[] = [];
        let unnamed: string | undefined;
        if (job.configBlobUri || JOB_PASSES.has(job.status)) {
            try {
                restored = await services.restoredDisks(job, signal);
            } catch (err) {
                if (err instanceof BackupOperationError && err.code === "NotSignedIn") throw err;
                unnamed = messageOf(err);
            }
        }
        if (!JOB_PASSES.has(job.status)) {
            result.problems.push(`restore job ${jobId} ended ${job.status}${job.errors.length ? `: ${job.errors.map((e) => `${e.code} ${e.message}`.trim()).join("; ")}` : ""}`);
        }
        if (unnamed !== undefined) {
            result.problems.push(`the restored disks could not be told: ${unnamed}`);
        } else if (JOB_PASSES.has(job.status)) {
            if (job.status === "CompletedWithWarnings") result.warnings.push(`restore job ${jobId} completed with warnings`);
            step("verifying the restored disks");
            // A check that cannot be made fails the VM; what the restore made is deleted all the same.
            try {
                const expected = await expectedDisks(services, target.vmId, point, signal);
                const { checks, found } = await verify(services, expected.disks, restored, signal);
                result.disks = { source: expected.source, expected: expected.disks.length, found, checks };
                result.warnings.push(...expected.warnings);
                if (expected.disks.length === 0) result.problems.push("no disk to verify: neither the recovery point nor the VM lists any");
                for (const c of checks.filter((c) => !c.ok)) result.problems.push(`${c.disk}: ${c.problem}`);
            } catch (err) {
                if (err instanceof BackupOperationError && err.code === "NotSignedIn") throw err;
                result.problems.push(`the disks could not be verified: ${messageOf(err)}`);
            }
        }
        step(options.keep ? "keeping the restored disks" : `deleting ${restored.length} restored disk(s)`);
        // Azure's clock, where the job gives it: a disk the restore made was created after the job began.
        const since = job.startTime ?? requestedAt;
        result.cleanup = await cleanUp(services, { drillId: options.drillId, targetResourceGroupId: options.targetResourceGroupId, since }, restored, options.keep ?? false, signal);
        if (unnamed !== undefined) {
            result.cleanup.status = "Incomplete";
            result.cleanup.leftBehind.push({
                id: `restore job ${jobId}`,
                reason: `its disks were not deleted, as they could not be told; they are in ${job.targetResourceGroupId ?? options.targetResourceGroupId}${job.configBlobUri ? `, named in ${job.configBlobUri}` : ""}`,
            });
        }
        for (const left of result.cleanup.leftBehind) result.problems.push(`left behind ${left.id}: ${left.reason}`);
        if (signal?.aborted) return interrupted();
    } catch (err) {
        if (err instanceof BackupOperationError && err.code === "NotSignedIn") throw err;
        // A restore whose answer was lost may be running: whatever it makes is left.
        if (err instanceof BackupOperationError && err.code === "OutcomeUnknown" && !result.restore) {
            result.cleanup = { status: "Incomplete", deleted: [], kept: [], leftBehind: [{ id: `a restore of ${target.vmId}`, reason: `may have started: ${err.message}` }] };
        }
        if (signal?.aborted) return interrupted();
        result.problems.push(messageOf(err));
    }
    result.status = result.problems.length === 0 ? "Passed" : "Failed";
    step(result.status === "Passed" ? "passed" : `failed: ${result.problems[0]}`);
    return result;
}

/**
 * Runs the drill for every VM at once (a restore takes long, mostly in Azure), and reports each.
 * The drill passes when every VM's restore completed, every disk came back at its size, and
 * everything the drill made was deleted (or kept, when asked).
 */
export async function runRestoreDrill(services: DrillServices, targets: VmTarget[], options: DrillOptions): Promise<DrillReport> {
    const now = options.now ?? (() => new Date());
    const startedAt = now();
    const vms = await Promise.all(targets.map((t) => drillVm(services, t, options, startedAt)));
    const interrupted = options.signal?.aborted ?? false;
    return {
        drillId: options.drillId,
        startedAt: startedAt.toISOString(),
        endedAt: now().toISOString(),
        targetResourceGroupId: options.targetResourceGroupId,
        stagingStorageAccountId: options.stagingStorageAccountId,
        keep: options.keep ?? false,
        passed: !interrupted && vms.every((v) => v.status === "Passed"),
        interrupted,
        vms,
    };
}

/** A drill id: the time it began, to the second, and a few random letters. */
export function newDrillId(at: Date = new Date()): string {
    return `drill-${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z").toLowerCase()}-${Math.random().toString(36).slice(2, 6)}`;
}
