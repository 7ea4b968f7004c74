// The fault mixes that on-demand backups must come through with exactly one backup per VM, none
// lost, none duplicated and no hang past the deadline: each fault before the backup started
// (Azure did nothing) and after it (Azure started the backup, then the answer went wrong).
// Shared by the tests (test/backup-now-faults.test.ts) and the benchmark (bench/backup-now.ts).
import type { FakeArmOptions, Fault, FaultWhen, TriggerRecord } from "./server";

export interface FaultMix {
    name: string;
    /** What the mix does, in a line. */
    says: string;
    /** Options for the fake, faults included. */
    fake: FakeArmOptions;
    /** The outcome every VM must end with (beside its one backup). */
    expect: "completed" | "timed out" | "unknown";
}

type Request = { method: string; path: string; vm?: string; attempt: number };
const isTrigger = (r: Request) => r.method === "POST" && /\/backup$/i.test(r.path);
const isJobRead = (r: Request) => r.method === "GET" && /\/backupJobs\/[^/]+$/i.test(r.path);

/** The first send of every trigger gets `fault`. */
const firstTrigger = (fault: Fault) => (r: Request) => (isTrigger(r) && r.attempt === 1 ? fault : undefined);

function triggerMixes(when: FaultWhen): FaultMix[] {
    const after = when === "after-processing";
    const state = after ? "after the backup started" : "before the backup started";
    return [
        {
            name: `429-${after ? "after" : "before"}`,
            says: after ? "429 from the Backup service, after it started the backup" : "429 from Resource Manager's own throttling (x-ms-failure-cause: gateway)",
            fake: { faults: firstTrigger({ kind: "status", status: 429, code: after ? "TooManyRequests" : "SubscriptionRequestsThrottled", retryAfterSeconds: 1, when, gateway: !after }) },
            expect: "completed",
        },
        {
            name: `503-${after ? "after" : "before"}`,
            says: `503 with Retry-After ${state}`,
            fake: { faults: firstTrigger({ kind: "status", status: 503, code: "ServiceUnavailable", retryAfterSeconds: 1, when }) },
            expect: "completed",
        },
        {
            name: `500-${after ? "after" : "before"}`,
            says: `500 ${state}`,
            fake: { faults: firstTrigger({ kind: "status", status: 500, code: "InternalServerError", when }) },
            expect: "completed",
        },
        { name: `reset-${after ? "after" : "before"}`, says: `connection reset ${state}`, fake: { faults: firstTrigger({ kind: "reset", when }) }, expect: "completed" },
        { name: `malformed-${after ? "after" : "before"}`, says: `a 202 that cannot be read ${state}`, fake: { faults: firstTrigger({ kind: "malformed", when }) }, expect: "completed" },
        { name: `stall-${after ? "after" : "before"}`, says: `no answer at all ${state}`, fake: { faults: firstTrigger({ kind: "stall", when }) }, expect: "completed" },
    ];
}

export const FAULT_MIXES: FaultMix[] = [
    ...triggerMixes("before-processing"),
    ...triggerMixes("after-processing"),
    {
        name: "lost-listed-late",
        says: "connection reset after the backup started, its job listed only 250 ms and 3 lists later",
        fake: { faults: firstTrigger({ kind: "reset", when: "after-processing" }), jobListLagMs: 250, jobListHides: 3 },
        expect: "completed",
    },
    {
        name: "job-reads-fail",
        says: "each job's reads answer 500, then a malformed 200, then stall, then are read",
        fake: {
            faults: (r) => {
                if (!isJobRead(r)) return undefined;
                const faults: Fault[] = [{ kind: "status", status: 500 }, { kind: "malformed" }, { kind: "stall" }];
                return faults[r.attempt - 1];
            },
        },
        expect: "completed",
    },
    {
        name: "job-reads-never-pass",
        says: "every read of a job answers 500",
        fake: { faults: (r) => (isJobRead(r) ? { kind: "status", status: 500 } : undefined) },
        expect: "unknown",
    },
    { name: "jobs-never-end", says: "jobs stay in their snapshot phase", fake: { neverEnding: { jobs: ["*"] } }, expect: "timed out" },
    { name: "operations-never-end", says: "the triggers' operations never name their jobs", fake: { neverEnding: { operations: ["*"] } }, expect: "completed" },
];

export function faultMix(name: string): FaultMix {
    const mix = FAULT_MIXES.find((m) => m.name === name);
    if (!mix) throw new Error(`no fault mix "${name}"; the mixes: ${FAULT_MIXES.map((m) => m.name).join(", ")}`);
    return mix;
}

/** What became of one VM, as the code under test reported it. */
export interface VmReport {
    vm: string;
    jobId?: string;
    /** "completed" (its job read at its end), "timed out" (its job still running), "unknown" (reported as such), "failed", or undefined: nothing reported. */
    outcome?: "completed" | "timed out" | "unknown" | "failed";
}

export interface Figures {
    vms: number;
    /** Backups the server started per VM: the fewest and the most. */
    backupsPerVm: { min: number; max: number };
    /** VMs with no report, or a job id that is not that VM's job on the server. */
    lost: number;
    /** VMs with more than one backup on the server. */
    duplicated: number;
    /** VMs reported as failed. */
    failed: number;
    /** VMs reported as unknown (may have started, or a job that could not be read). */
    unknown: number;
}

/** The figures, from the server's own record of the backups it started. */
export function tally(triggers: TriggerRecord[], reports: VmReport[]): Figures {
    const jobs = new Map<string, string[]>();
    for (const t of triggers) jobs.set(t.vm.toLowerCase(), [...(jobs.get(t.vm.toLowerCase()) ?? []), t.jobId]);
    const counts = reports.map((r) => jobs.get(r.vm.toLowerCase())?.length ?? 0);
    return {
        vms: reports.length,
        backupsPerVm: { min: Math.min(...counts), max: Math.max(...counts) },
        lost: reports.filter((r) => r.outcome === undefined || (r.jobId !== undefined && !(jobs.get(r.vm.toLowerCase()) ?? []).includes(r.jobId))).length,
        duplicated: counts.filter((n) => n > 1).length,
        failed: reports.filter((r) => r.outcome === "failed").length,
        unknown: reports.filter((r) => r.outcome === "unknown").length,
    };
}
