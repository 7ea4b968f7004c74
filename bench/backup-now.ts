// bench/backup-now: on-demand backups of many VMs against the loopback fake of Resource Manager,
// behind Resource Manager's subscription throttling (a token bucket for writes and one for reads,
// with the documented sizes and refill rates by default), with response latency and optional
// transient faults.
//
// Two runs in this process, each against a fresh fake server with the same settings:
//   library  - our triggerBackup over one shared client (our retry policy, lost-response
//              recovery), then waitForJob for every job;
//   raw SDK  - the plain RecoveryServicesBackupClient with its default retry policy:
//              backups.trigger, poll backupOperationStatuses.get for the job id, then poll
//              jobDetails.get until the job ends - what a user would write by hand.
// Both use a worker pool of --concurrency for the triggers and again for the waits.
//
// Prints figures side by side; never asserts a timing. Exits 1 only when the library run lost
// or duplicated a VM (a correctness failure). See bench/README.md.
//
//   npx tsx bench/backup-now.ts [--vms 500] [--rate 10] [--burst 200] [--read-rate 25] [--read-burst 250] ...
import * as crypto from "node:crypto";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { parseArgs } from "node:util";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import type { TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { startFakeArm, type FakeArm, type Fault, type ThrottleRecord } from "../test/fake-arm/server";
import { createBackupClient } from "../src/on-demand/backup-client";
import { resolveRetainUntil, triggerBackup } from "../src/on-demand/backup-now";
import { JobUnreadable, JobWaitTimeout, waitForJob } from "../src/on-demand/backup-jobs";
import { FAULT_MIXES, faultMix, tally, type FaultMix, type VmReport } from "../test/fake-arm/fault-mixes";
import { itemTarget, type ItemTarget } from "../src/on-demand/azure-ids";
import { BackupOperationError } from "../src/on-demand/backup-operation-error";

// ---------------------------------------------------------------- options

interface Settings {
    vms: number;
    rate: number;
    burst: number;
    readRate: number;
    readBurst: number;
    latencyMs: number;
    concurrency: number;
    snapshotMs: number;
    transferMs: number;
    operationMs: number;
    pollMs: number;
    faults: number;
    seed: string;
    capS: number;
    order: Kind[];
    /** The fault mixes to run (none: `--faults` alone). */
    mixes: (FaultMix | undefined)[];
    /** Per-run deadline given to the code under test, 0 for the run's share of --cap-s. */
    deadlineS: number;
    jobListLagMs: number;
    requestTimeoutMs: number;
}

type Kind = "library" | "raw";

const SPEC: Record<string, { env: string; default: string; help: string; min?: number; integer?: boolean }> = {
    vms: { env: "BENCH_VMS", default: "500", help: "VMs to back up (one vault)", min: 1, integer: true },
    rate: { env: "BENCH_RATE", default: "10", help: "write bucket: refill, tokens per second (Resource Manager: 10)", min: 0.001 },
    burst: { env: "BENCH_BURST", default: "200", help: "write bucket: size (Resource Manager: 200)", min: 1, integer: true },
    "read-rate": { env: "BENCH_READ_RATE", default: "25", help: "read bucket: refill, tokens per second (Resource Manager: 25)", min: 0.001 },
    "read-burst": { env: "BENCH_READ_BURST", default: "250", help: "read bucket: size (Resource Manager: 250)", min: 1, integer: true },
    latency: { env: "BENCH_LATENCY", default: "40", help: "ms added to every response", min: 0 },
    concurrency: { env: "BENCH_CONCURRENCY", default: "16", help: "workers (triggers, then waits)", min: 1, integer: true },
    "snapshot-ms": { env: "BENCH_SNAPSHOT_MS", default: "300", help: "job phase 'Take Snapshot'", min: 0 },
    "transfer-ms": { env: "BENCH_TRANSFER_MS", default: "1000", help: "job phase 'Transfer data to vault'", min: 0 },
    "operation-ms": { env: "BENCH_OPERATION_MS", default: "100", help: "how long the trigger's async operation runs", min: 0 },
    "poll-ms": { env: "BENCH_POLL_MS", default: "250", help: "interval between polls (operation and job), both runs", min: 1 },
    faults: { env: "BENCH_FAULTS", default: "0", help: "% of transient faults (see README)", min: 0 },
    seed: { env: "BENCH_SEED", default: "1", help: "seed for the fault draw" },
    "cap-s": { env: "BENCH_CAP_S", default: "300", help: "overall time cap, seconds (split between the runs)", min: 10 },
    order: { env: "BENCH_ORDER", default: "library,raw", help: "runs and their order: library,raw | raw,library | library | raw" },
    mix: { env: "BENCH_MIX", default: "none", help: "fault mixes of test/fake-arm/fault-mixes.ts (a,b,...), or all (each in turn), or none" },
    "deadline-s": { env: "BENCH_DEADLINE_S", default: "0", help: "deadline of each run, seconds (0: its share of --cap-s)", min: 0 },
    "job-list-lag-ms": { env: "BENCH_JOB_LIST_LAG_MS", default: "2000", help: "library: how long a lost answer's job is searched for", min: 0 },
    "request-timeout-ms": { env: "BENCH_REQUEST_TIMEOUT_MS", default: "2000", help: "both runs: how long one request may take (stalled answers)", min: 1 },
};

function usage(): string {
    const lines = Object.entries(SPEC).map(([name, s]) => `  --${name.padEnd(13)} ${s.help} (default ${s.default}; env ${s.env})`);
    return `usage: npx tsx bench/backup-now.ts [options]\n${lines.join("\n")}\n`;
}

function readSettings(argv: string[]): Settings {
    const { values } = parseArgs({
        args: argv,
        options: {
            ...Object.fromEntries(Object.keys(SPEC).map((name) => [name, { type: "string" as const }])),
            help: { type: "boolean" },
        },
        strict: true,
    });
    if (values.help) {
        process.stdout.write(usage());
        process.exit(0);
    }
    const raw = (name: string) => (values as Record<string, string | undefined>)[name] ?? process.env[SPEC[name].env] ?? SPEC[name].default;
    const num = (name: string) => {
        const s = SPEC[name];
        const text = raw(name);
        const n = Number(text);
        if (text.trim() === "" || !Number.isFinite(n) || (s.min !== undefined && n < s.min) || (s.integer && !Number.isInteger(n))) {
            throw new Error(`--${name}: expected ${s.integer ? "an integer" : "a number"}${s.min !== undefined ? ` >= ${s.min}` : ""}, got ${JSON.stringify(text)}`);
        }
        return n;
    };
    const faults = num("faults");
    if (faults > 50) throw new Error(`--faults: a percentage of at most 50, got ${faults}`);
    const order = raw("order").split(",").map((x) => x.trim());
    if (order.length === 0 || order.length > 2 || new Set(order).size !== order.length || !order.every((x) => x === "library" || x === "raw")) {
        throw new Error(`--order: expected library,raw | raw,library | library | raw, got ${JSON.stringify(raw("order"))}`);
    }
    return {
        vms: num("vms"),
        rate: num("rate"),
        burst: num("burst"),
        readRate: num("read-rate"),
        readBurst: num("read-burst"),
        latencyMs: num("latency"),
        concurrency: num("concurrency"),
        snapshotMs: num("snapshot-ms"),
        transferMs: num("transfer-ms"),
        operationMs: num("operation-ms"),
        pollMs: num("poll-ms"),
        faults,
        seed: raw("seed"),
        capS: num("cap-s"),
        order: order as Kind[],
        mixes: raw("mix") === "none" ? [undefined] : raw("mix") === "all" ? FAULT_MIXES : raw("mix").split(",").map((name) => faultMix(name.trim())),
        deadlineS: num("deadline-s"),
        jobListLagMs: num("job-list-lag-ms"),
        requestTimeoutMs: num("request-timeout-ms"),
    };
}

// ---------------------------------------------------------------- fault draw

/** A number in [0, 1) fixed by the seed and the request, so both runs draw the same fault for the
 * same request (same method, path and attempt number). */
function draw(seed: string, method: string, path: string, attempt: number): number {
    const digest = crypto.createHash("sha256").update(`${seed}|${method}|${path.toLowerCase()}|${attempt}`).digest();
    return digest.readUInt32BE(0) / 2 ** 32;
}

/** `--faults P`: a trigger POST gets a 500 with probability 2P/3 % (not processed) and a
 * connection reset after processing with P/3 % (the backup may have started); a GET gets a 503
 * without Retry-After with P/3 %. */
function faultPlan(settings: Settings): ((r: { method: string; path: string; attempt: number }) => Fault | undefined) | undefined {
    if (settings.faults <= 0) return undefined;
    const p = settings.faults / 100;
    return ({ method, path, attempt }) => {
        const x = draw(settings.seed, method, path, attempt);
        if (method === "POST" && /\/backup$/i.test(path)) {
            if (x < (2 * p) / 3) return { kind: "status", status: 500, code: "InternalServerError", message: "Injected: internal error." };
            if (x < p) return { kind: "reset", when: "after-processing" };
            return undefined;
        }
        if (method === "GET" && x < p / 3) return { kind: "status", status: 503, code: "ServiceUnavailable", message: "Injected: service unavailable." };
        return undefined;
    };
}

// ---------------------------------------------------------------- measuring

interface Counters {
    /** Requests as the caller made them (before the pipeline's retries). */
    calls: number;
    triggerCalls: number;
    /** Requests as sent on the wire (every retry included). */
    attempts: number;
    triggerAttempts: number;
    status429: number;
    status5xx: number;
    networkErrors: number;
}

function countingPolicies(counters: Counters, tlsSettings: { ca: string }): { policy: PipelinePolicy; position: "perCall" | "perRetry" }[] {
    const isTrigger = (method: string, url: string) => method === "POST" && /\/backup(\?|$)/i.test(url);
    return [
        {
            position: "perCall",
            policy: {
                name: "bench-trust-and-count-calls",
                sendRequest: (request, next) => {
                    // ONE settings object for every request: a new object per request would open a
                    // TLS connection per request.
                    request.tlsSettings = tlsSettings;
                    counters.calls++;
                    if (isTrigger(request.method, request.url)) counters.triggerCalls++;
                    return next(request);
                },
            },
        },
        {
            position: "perRetry",
            policy: {
                name: "bench-count-attempts",
                sendRequest: async (request, next) => {
                    counters.attempts++;
                    if (isTrigger(request.method, request.url)) counters.triggerAttempts++;
                    try {
                        const response = await next(request);
                        if (response.status === 429) counters.status429++;
                        else if (response.status >= 500) counters.status5xx++;
                        return response;
                    } catch (err) {
                        const status = (err as { statusCode?: number }).statusCode;
                        if (status === 429) counters.status429++;
                        else if (status !== undefined && status >= 500) counters.status5xx++;
                        else if (status === undefined) counters.networkErrors++;
                        throw err;
                    }
                },
            },
        },
    ];
}

/** Peak RSS and heap used, sampled every 25 ms. RSS is the whole process: client and fake server. */
function memorySampler() {
    let rss = 0;
    let heap = 0;
    const sample = () => {
        const m = process.memoryUsage();
        rss = Math.max(rss, m.rss);
        heap = Math.max(heap, m.heapUsed);
    };
    sample();
    const timer = setInterval(sample, 25);
    timer.unref();
    return {
        stop() {
            clearInterval(timer);
            sample();
            return { rss, heap };
        },
    };
}

/** `global.gc`, obtained without a command-line flag, so both runs start from a collected heap. */
function collector(): () => void {
    try {
        v8.setFlagsFromString("--expose-gc");
        const gc = vm.runInNewContext("gc") as () => void;
        return () => gc();
    } catch {
        return () => undefined;
    }
}

// ---------------------------------------------------------------- one run

const VAULT_RG = "rg-backup";
const VAULT = "rsv-bench";
const VM_RG = "rg-fleet";
const TERMINAL = new Set(["Completed", "CompletedWithWarnings", "Failed", "Cancelled"]);

interface VmState {
    vm: string;
    item: ItemTarget;
    /** A worker took this VM (false: the time cap came first). */
    started?: boolean;
    jobId?: string;
    finalStatus?: string;
    failure?: { stage: "trigger" | "wait"; code: string; message: string };
    /** When the VM was accounted for: its job read in a terminal status, or its failure reported. */
    accountedAt?: number;
}

/** What one of the fake's buckets admitted and refused in a run. */
interface BucketUse {
    admitted: number;
    refused: number;
    /** Seconds from the run's start to the last request the bucket admitted. */
    spanS: number;
    /** Admitted ÷ span. */
    achieved: number;
    /** The most the bucket could admit per second over that span: (size + refill × span) ÷ span. */
    bound: number;
}

interface RunResult {
    kind: Kind;
    vms: number;
    accepted: number;
    triggerPhaseS: number;
    lastAcceptedS: number;
    writes: BucketUse;
    reads: BucketUse;
    counters: Counters;
    serverRequests: number;
    serverTriggerPosts: number;
    accountedS?: number;
    lost: number;
    notStarted: number;
    wrongJob: number;
    duplicated: number;
    extraJobs: number;
    untrackedJobs: number;
    failures: number;
    failureCodes: Map<string, number>;
    failureSamples: string[];
    jobStatuses: Map<string, number>;
    peakRss: number;
    peakHeap: number;
    timedOut: boolean;
    wallS: number;
    /** Backups the server started per VM, fewest and most. */
    backupsPerVm: { min: number; max: number };
    /** VMs reported as unknown (may have started, or a job that could not be read). */
    unknown: number;
    /** Seconds between the deadline and the last VM accounted for, when later. */
    overrunS: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

function failureOf(err: unknown): { code: string; message: string } {
    if (err instanceof BackupOperationError) return { code: err.code, message: err.message };
    const e = err as { name?: string; code?: string; statusCode?: number; message?: string };
    const code = e?.statusCode !== undefined ? `HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ""}` : e?.code ?? e?.name ?? "Error";
    return { code, message: e?.message ?? String(err) };
}

/** What a user writes by hand with the plain SDK: trigger, read the operation until it names the
 * job. Any error is reported as it is. */
async function rawTrigger(client: RecoveryServicesBackupClient, item: ItemTarget, expiry: Date, pollMs: number, deadline: number): Promise<string> {
    let operationUrl: string | undefined;
    await client.backups.trigger(
        item.vaultName,
        item.resourceGroupName,
        "Azure",
        item.containerName,
        item.protectedItemName,
        { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: expiry } },
        { onResponse: (r) => (operationUrl = r.headers.get("azure-asyncoperation") ?? r.headers.get("location") ?? undefined) },
    );
    const operationId = operationUrl?.split("?")[0].split("/").pop();
    if (!operationId) throw new Error("the 202 named no operation");
    for (let poll = 0; poll < 10_000 && Date.now() < deadline; poll++) {
        const status = await client.backupOperationStatuses.get(item.vaultName, item.resourceGroupName, operationId);
        if (status.status === "Succeeded") {
            const jobId = (status.properties as { jobId?: string } | undefined)?.jobId;
            if (!jobId) throw new Error("the operation succeeded without a job id");
            return jobId;
        }
        if (status.status !== "InProgress") throw new Error(`the operation ended ${status.status}`);
        await sleep(pollMs);
    }
    throw new Error("time cap reached while reading the operation");
}

async function rawWait(client: RecoveryServicesBackupClient, item: ItemTarget, jobId: string, pollMs: number, deadline: number): Promise<string> {
    for (let poll = 0; poll < 10_000 && Date.now() < deadline; poll++) {
        const job = await client.jobDetails.get(item.vaultName, item.resourceGroupName, jobId);
        const status = (job.properties as { status?: string } | undefined)?.status ?? "";
        if (TERMINAL.has(status)) return status;
        await sleep(pollMs);
    }
    throw new Error("time cap reached while waiting for the job");
}

/** Runs `work` for every item with `concurrency` workers; a worker takes no new item after `deadline`. */
async function pool<T>(items: T[], concurrency: number, deadline: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length && Date.now() < deadline) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function run(kind: Kind, settings: Settings, budgetMs: number, gc: () => void, mix?: FaultMix): Promise<RunResult> {
    gc();
    const fake: FakeArm = await startFakeArm({
        ...mix?.fake,
        writeRate: { perSecond: settings.rate, burst: settings.burst },
        readRate: { perSecond: settings.readRate, burst: settings.readBurst },
        latencyMs: settings.latencyMs,
        snapshotMs: settings.snapshotMs,
        transferMs: settings.transferMs,
        operationMs: settings.operationMs,
        protectedVms: "all",
        // Enough for any re-send; the daily limit is not what this bench measures.
        dailyOnDemandLimit: 1000,
        faults: mix?.fake.faults ?? faultPlan(settings),
    });
    const counters: Counters = { calls: 0, triggerCalls: 0, attempts: 0, triggerAttempts: 0, status429: 0, status5xx: 0, networkErrors: 0 };
    const credential: TokenCredential = { getToken: async () => ({ token: "bench-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const additionalPolicies = countingPolicies(counters, { ca: fake.ca });
    const client =
        kind === "library"
            ? await createBackupClient(fake.subscriptionId, { credential, endpoint: fake.url, additionalPolicies, requestTimeoutMs: settings.requestTimeoutMs })
            : new RecoveryServicesBackupClient(credential, fake.subscriptionId, { endpoint: fake.url, additionalPolicies });

    const vaultId = fake.vaultId(VAULT_RG, VAULT);
    const states: VmState[] = Array.from({ length: settings.vms }, (_, i) => {
        const name = `vm-${String(i + 1).padStart(4, "0")}`;
        return { vm: name, item: itemTarget(vaultId, fake.vmId(VM_RG, name)) };
    });
    const expiry = resolveRetainUntil(undefined);

    const memory = memorySampler();
    const t0 = Date.now();
    const deadline = t0 + budgetMs;
    let triggerPhaseEnd = t0;

    const work = (async () => {
        await pool(states, settings.concurrency, deadline, async (s) => {
            s.started = true;
            try {
                s.jobId =
                    kind === "library"
                        ? (
                              await triggerBackup(client, s.item, expiry, {
                                  pollIntervalMs: settings.pollMs,
                                  deadline,
                                  jobListLagMs: settings.jobListLagMs,
                                  operationTimeoutMs: 1000 + 10 * settings.operationMs,
                              })
                          ).jobId
                        : await rawTrigger(client, s.item, expiry, settings.pollMs, deadline);
            } catch (err) {
                s.failure = { stage: "trigger", ...failureOf(err) };
                s.accountedAt = Date.now();
            }
        });
        triggerPhaseEnd = Date.now();
        await pool(
            states.filter((s) => s.jobId),
            settings.concurrency,
            deadline,
            async (s) => {
                try {
                    s.finalStatus =
                        kind === "library"
                            ? (await waitForJob(client, s.item, s.jobId!, { pollIntervalMs: settings.pollMs, timeoutMs: Math.max(1, deadline - Date.now()) })).status
                            : await rawWait(client, s.item, s.jobId!, settings.pollMs, deadline);
                    s.accountedAt = Date.now();
                } catch (err) {
                    s.failure = { stage: "wait", ...failureOf(err) };
                    s.accountedAt = Date.now();
                }
            },
        );
        // Jobs whose wait the deadline came before: known by their ids, still running as far as anyone knows.
        for (const s of states.filter((x) => x.jobId && !x.finalStatus && !x.failure)) {
            s.failure = { stage: "wait", code: "Timeout", message: "not waited for: the run's deadline came first" };
            s.accountedAt = Date.now();
        }
    })();
    let timedOut = false;
    await Promise.race([
        work,
        sleep(deadline - Date.now() + 5_000).then(() => {
            timedOut = true;
        }),
    ]);
    const wallS = (Date.now() - t0) / 1000;
    // A snapshot of what is known now; whatever is still in flight after the cap does not count.
    const snapshot = states.map((s) => ({ ...s }));
    const triggers = fake.triggers.slice();
    const throttling = fake.throttling.slice();
    const serverRequests = fake.requests.length;
    const serverTriggerPosts = fake.requests.filter((r) => r.method === "POST" && /\/backup$/i.test(r.path)).length;
    const mem = memory.stop();
    await fake.close();
    if (timedOut) await Promise.race([work, sleep(5_000)]); // let workers see the closed server and stop

    // -- accounting, from the server's own record of the triggers it accepted
    const jobsByVm = new Map<string, string[]>();
    for (const t of triggers) {
        const key = t.vm.toLowerCase();
        jobsByVm.set(key, [...(jobsByVm.get(key) ?? []), t.jobId.toLowerCase()]);
    }
    let lost = 0;
    let notStarted = 0;
    let wrongJob = 0;
    const reported = new Set<string>();
    const failureCodes = new Map<string, number>();
    const failureSamples: string[] = [];
    const jobStatuses = new Map<string, number>();
    let accountedAt = t0;
    for (const s of snapshot) {
        const serverJobs = jobsByVm.get(s.vm.toLowerCase()) ?? [];
        if (s.jobId) reported.add(s.jobId.toLowerCase());
        const realJob = s.jobId !== undefined && serverJobs.includes(s.jobId.toLowerCase());
        if (s.jobId !== undefined && !realJob) wrongJob++;
        if (s.failure) {
            const key = `${s.failure.stage}: ${s.failure.code}`;
            failureCodes.set(key, (failureCodes.get(key) ?? 0) + 1);
            if (failureSamples.length < 3) failureSamples.push(`${s.vm}: ${s.failure.message}`);
            accountedAt = Math.max(accountedAt, s.accountedAt ?? Infinity);
        } else if (realJob && s.finalStatus && TERMINAL.has(s.finalStatus)) {
            jobStatuses.set(s.finalStatus, (jobStatuses.get(s.finalStatus) ?? 0) + 1);
            accountedAt = Math.max(accountedAt, s.accountedAt ?? Infinity);
        } else {
            lost++;
            if (!s.started) notStarted++;
        }
    }
    const duplicated = [...jobsByVm.values()].filter((jobs) => jobs.length > 1).length;
    const reports: VmReport[] = snapshot.map((s) => ({
        vm: s.vm,
        jobId: s.jobId,
        outcome: s.failure
            ? s.failure.code === "OutcomeUnknown"
                ? "unknown"
                : s.failure.code === "Timeout"
                  ? "timed out"
                  : "failed"
            : s.finalStatus && TERMINAL.has(s.finalStatus)
              ? "completed"
              : undefined,
    }));
    const figures = tally(triggers, reports);
    const extraJobs = [...jobsByVm.values()].reduce((n, jobs) => n + Math.max(0, jobs.length - 1), 0);
    const untrackedJobs = triggers.filter((t) => !reported.has(t.jobId.toLowerCase())).length;
    const lastAcceptedS = triggers.length ? (Math.max(...triggers.map((t) => t.at)) - t0) / 1000 : 0;
    const triggerPhaseS = (triggerPhaseEnd - t0) / 1000;
    const use = (bucket: ThrottleRecord["bucket"], perSecond: number, size: number): BucketUse => {
        const admitted = throttling.filter((t) => t.bucket === bucket && t.admitted);
        const spanS = admitted.length ? Math.max(0.001, (Math.max(...admitted.map((t) => t.at)) - t0) / 1000) : 0;
        return {
            admitted: admitted.length,
            refused: throttling.filter((t) => t.bucket === bucket && !t.admitted).length,
            spanS,
            achieved: spanS > 0 ? admitted.length / spanS : 0,
            bound: spanS > 0 ? (size + perSecond * spanS) / spanS : 0,
        };
    };
    return {
        kind,
        vms: settings.vms,
        accepted: triggers.length,
        triggerPhaseS,
        lastAcceptedS,
        writes: use("writes", settings.rate, settings.burst),
        reads: use("reads", settings.readRate, settings.readBurst),
        counters,
        serverRequests,
        serverTriggerPosts,
        accountedS: lost === 0 && Number.isFinite(accountedAt) ? (accountedAt - t0) / 1000 : undefined,
        lost,
        notStarted,
        wrongJob,
        duplicated,
        extraJobs,
        untrackedJobs,
        failures: snapshot.filter((s) => s.failure).length,
        failureCodes,
        failureSamples,
        jobStatuses,
        peakRss: mem.rss,
        peakHeap: mem.heap,
        timedOut,
        wallS,
        backupsPerVm: figures.backupsPerVm,
        unknown: figures.unknown,
        overrunS: Number.isFinite(accountedAt) ? Math.max(0, (accountedAt - deadline) / 1000) : Infinity,
    };
}

// ---------------------------------------------------------------- report

function table(header: string[], rows: string[][]): string {
    const all = [header, ...rows];
    const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
    const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("   ").trimEnd();
    return [line(header), widths.map((w) => "-".repeat(w)).join("   "), ...rows.map(line)].join("\n");
}

/** A bucket's achieved rate against the most it could have admitted over the same span. */
const rate = (u: BucketUse) => (u.admitted ? `${u.achieved.toFixed(1)} / ${u.bound.toFixed(1)} (${((100 * u.achieved) / u.bound).toFixed(0)}%)` : "none");

function report(settings: Settings, results: RunResult[], mix?: FaultMix): string {
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    const s = (x: number) => `${x.toFixed(1)} s`;
    const minPhase = Math.max(0, (settings.vms - settings.burst) / settings.rate);
    const rows: [string, (r: RunResult) => string][] = [
        ["VMs", (r) => String(r.vms)],
        ["write bucket (subscription)", () => `${settings.burst}, +${settings.rate}/s`],
        ["writes admitted / 429", (r) => `${r.writes.admitted} / ${r.writes.refused}`],
        ["writes/s: achieved / bound", (r) => rate(r.writes)],
        ["read bucket (subscription)", () => `${settings.readBurst}, +${settings.readRate}/s`],
        ["reads admitted / 429", (r) => `${r.reads.admitted} / ${r.reads.refused}`],
        ["reads/s: achieved / bound", (r) => rate(r.reads)],
        ["triggers accepted (server)", (r) => String(r.accepted)],
        ["last trigger accepted at", (r) => `${s(r.lastAcceptedS)} (min ${minPhase.toFixed(1)})`],
        ["trigger phase (client)", (r) => s(r.triggerPhaseS)],
        ["429s received", (r) => String(r.counters.status429)],
        ["5xx / resets received", (r) => `${r.counters.status5xx} / ${r.counters.networkErrors}`],
        ["retries (pipeline)", (r) => String(r.counters.attempts - r.counters.calls)],
        ["trigger POSTs: calls / wire", (r) => `${r.counters.triggerCalls} / ${r.counters.triggerAttempts}`],
        ["requests seen by server", (r) => String(r.serverRequests)],
        ["time to all jobs accounted", (r) => (r.accountedS === undefined ? "not reached" : s(r.accountedS))],
        ["jobs ended (terminal)", (r) => String([...r.jobStatuses.values()].reduce((a, b) => a + b, 0))],
        ["failures reported", (r) => String(r.failures) + (r.unknown ? ` (${r.unknown} unknown)` : "")],
        ["backups per VM (server)", (r) => (r.backupsPerVm.min === r.backupsPerVm.max ? String(r.backupsPerVm.min) : `${r.backupsPerVm.min}-${r.backupsPerVm.max}`)],
        ["past the deadline", (r) => (r.timedOut ? "HANG" : s(r.overrunS))],
        ["lost", (r) => String(r.lost) + (r.wrongJob ? ` (${r.wrongJob} wrong job id)` : "") + (r.notStarted ? ` (${r.notStarted} never started: time cap)` : "")],
        ["duplicated (VMs >1 job)", (r) => String(r.duplicated) + (r.extraJobs > r.duplicated ? ` (${r.extraJobs} extra jobs)` : "")],
        ["jobs nobody was told of", (r) => String(r.untrackedJobs)],
        ["peak RSS (process)", (r) => mb(r.peakRss)],
        ["peak heap used", (r) => mb(r.peakHeap)],
        ["run wall time", (r) => s(r.wallS) + (r.timedOut ? " (TIME CAP)" : "")],
    ];
    const names: Record<Kind, string> = { library: "library", raw: "raw SDK" };
    const out: string[] = [];
    out.push(
        `bench/backup-now: ${settings.vms} VMs in one vault; fake ARM on 127.0.0.1: ${buckets(settings)}, ` +
            `latency ${settings.latencyMs} ms, operation ${settings.operationMs} ms, snapshot ${settings.snapshotMs} ms, transfer ${settings.transferMs} ms, ` +
            `${mix ? `fault mix ${mix.name} (${mix.says})` : `faults ${settings.faults}% (seed ${settings.seed})`}; concurrency ${settings.concurrency}, poll ${settings.pollMs} ms; node ${process.version}`,
    );
    out.push("");
    out.push(table(["", ...results.map((r) => names[r.kind])], rows.map(([label, f]) => [label, ...results.map(f)])));
    for (const r of results) {
        const statuses = [...r.jobStatuses].map(([k, n]) => `${n} ${k}`).join(", ") || "none";
        out.push("");
        out.push(`${names[r.kind]}: jobs ended ${statuses}`);
        for (const [code, n] of r.failureCodes) out.push(`  failures ${code}: ${n}`);
        for (const sample of r.failureSamples) out.push(`  e.g. ${sample.length > 300 ? `${sample.slice(0, 300)}...` : sample}`);
    }
    out.push("");
    for (const r of results) {
        const ok = r.lost === 0 && r.duplicated === 0;
        out.push(
            `verdict ${names[r.kind]}: lost ${r.lost}, duplicated ${r.duplicated} -> ${ok ? "OK" : r.kind === "library" ? "CORRECTNESS FAILURE (exit 1)" : "not OK (baseline; does not set the exit code)"}`,
        );
    }
    return out.join("\n");
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
    let settings: Settings;
    try {
        settings = readSettings(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${usage()}`);
        return 2;
    }
    const gc = collector();
    const started = Date.now();
    const capMs = settings.capS * 1000;
    const runs = settings.mixes.length * settings.order.length;
    const all: { mix?: FaultMix; results: RunResult[] }[] = [];
    for (const mix of settings.mixes) {
        const results: RunResult[] = [];
        for (const kind of settings.order) {
            // Leave 15 s of the cap for closing and reporting; split the rest between the runs left.
            const left = capMs - (Date.now() - started) - 15_000;
            // Whole milliseconds: the deadline is handed to timers, which take nothing else.
            const share = Math.max(5_000, Math.floor(left / (runs - all.length * settings.order.length - results.length)));
            const budget = settings.deadlineS > 0 ? Math.min(settings.deadlineS * 1000, share) : share;
            process.stderr.write(`running ${kind}${mix ? ` with ${mix.name}` : ""} (deadline ${Math.round(budget / 1000)} s)...\n`);
            results.push(await run(kind, settings, budget, gc, mix));
        }
        all.push({ mix, results });
    }
    process.stdout.write(`${all.length === 1 ? report(settings, all[0].results, all[0].mix) : mixSummary(settings, all)}\n`);
    const library = all.flatMap((a) => a.results).filter((r) => r.kind === "library");
    return library.some((r) => r.lost > 0 || r.duplicated > 0) ? 1 : 0;
}

/** The two subscription buckets, as the headers print them. */
const buckets = (settings: Settings) =>
    `write bucket ${settings.burst} +${settings.rate}/s, read bucket ${settings.readBurst} +${settings.readRate}/s`;

/** VMs whose job was still running, as far as the run knew, at its deadline. */
const timedOut = (r: RunResult) => [...r.failureCodes].filter(([key]) => key.endsWith(": Timeout")).reduce((n, [, count]) => n + count, 0);

/** One row per fault mix and run: the figures that must hold under faults. */
function mixSummary(settings: Settings, all: { mix?: FaultMix; results: RunResult[] }[]): string {
    const names: Record<Kind, string> = { library: "library", raw: "raw SDK" };
    const rows = all.flatMap(({ mix, results }) =>
        results.map((r) => [
            mix?.name ?? "none",
            names[r.kind],
            r.backupsPerVm.min === r.backupsPerVm.max ? String(r.backupsPerVm.min) : `${r.backupsPerVm.min}-${r.backupsPerVm.max}`,
            String(r.lost),
            String(r.duplicated),
            String(r.unknown),
            String(timedOut(r)),
            String(r.failures - r.unknown - timedOut(r)),
            r.timedOut ? "HANG" : `${r.overrunS.toFixed(1)} s`,
            `${r.wallS.toFixed(1)} s`,
            `${r.writes.achieved.toFixed(1)} / ${r.reads.achieved.toFixed(1)}`,
            `${r.writes.refused} / ${r.reads.refused}`,
        ]),
    );
    return [
        `bench/backup-now: ${settings.vms} VMs per run, ${all.length} fault mixes; ${buckets(settings)}, latency ${settings.latencyMs} ms, ` +
            `concurrency ${settings.concurrency}, poll ${settings.pollMs} ms, job list lag ${settings.jobListLagMs} ms, request timeout ${settings.requestTimeoutMs} ms; node ${process.version}`,
        "",
        table(["mix", "run", "backups/VM", "lost", "duplicated", "unknown", "timed out", "failed", "past deadline", "wall", "writes/s / reads/s", "429 w / r"], rows),
    ].join("\n");
}

main().then(
    (code) => process.exit(code),
    (err) => {
        process.stderr.write(`bench/backup-now failed: ${(err as Error)?.stack ?? err}\n`);
        process.exit(2);
    },
);
