// backupNow and the job helpers through the real Azure SDK, against the loopback fake of
// Resource Manager: every row of the phase table, retain-until, Azure's refusals, and faults.
import {
    BackupOperationError,
    BackupOutcomeUnknown,
    JobUnreadable,
    JobWaitInterrupted,
    JobWaitTimeout,
    backupNow,
    getBackupJob,
    listBackupJobs,
    waitForBackupJob,
    type JobStatus,
} from "pulumi-azure-vm-backup";
import { startFakeArm, type FakeArm, type FakeArmOptions, type Fault } from "./fake-arm/server";
import { fakeClient } from "./fake-arm/client";

const SENTINEL = "sentinel-token-7f3a9c";
const VAULT_RG = "rg-backup";
const VAULT = "rsv-prod";
const VM_RG = "rg-app";

const running: FakeArm[] = [];
async function fakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = await startFakeArm({ snapshotMs: 60, transferMs: 120, operationMs: 30, ...options });
    running.push(fake);
    return fake;
}
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

/** Client options for the fake: a credential holding the sentinel token, trust in its certificate. */
const client = (fake: FakeArm) => fakeClient(fake, SENTINEL);

const target = (fake: FakeArm, vm: string) => ({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, vm) });
/** Short polls, and a short list lag: a lost answer's job is searched for 200 ms before anything is sent again. */
const fast = { pollIntervalMs: 20, jobListLagMs: 200 };

async function rejection(promise: Promise<unknown>): Promise<BackupOperationError> {
    try {
        await promise;
    } catch (e) {
        expect(e).toBeInstanceOf(BackupOperationError);
        expect((e as Error).message).not.toContain(SENTINEL);
        return e as BackupOperationError;
    }
    throw new Error("expected a BackupOperationError");
}

describe("a backup through both phases", () => {
    test.each<["Completed" | "Failed", "Completed" | "Failed" | "Skipped", JobStatus]>([
        ["Completed", "Completed", "Completed"],
        ["Completed", "Skipped", "Completed"],
        ["Completed", "Failed", "CompletedWithWarnings"],
        ["Failed", "Failed", "Failed"],
    ])("snapshot %s, transfer %s: the job ends %s", async (snapshot, transfer, status) => {
        const fake = await fakeArm({ outcomes: { "vm-web": { snapshot, transfer } } });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        const seen: string[] = [];
        const job = await waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: client(fake), pollIntervalMs: fast.pollIntervalMs, onProgress: (j) => seen.push(`${j.snapshot?.status}/${j.transferToVault?.status}/${j.status}`) });
        expect(job).toMatchObject({ jobId, vmName: "vm-web", operation: "Backup", status, snapshot: { status: snapshot }, transferToVault: { status: transfer } });
        expect(seen[seen.length - 1]).toBe(`${snapshot}/${transfer}/${status}`);
        if (snapshot === "Completed") expect(seen).toContain("Completed/InProgress/InProgress"); // the table's first row, on the way
        expect(fake.triggers.map((t) => t.vm)).toEqual(["vm-web"]);
    });

    test("the recovery point expires when asked: a date alone means the end of that day in UTC", async () => {
        const fake = await fakeArm();
        const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
        await backupNow(target(fake, "vm-web"), { client: client(fake), retainUntil: day, ...fast });
        expect(new Date(fake.triggers[0].expiry).toISOString()).toBe(`${day}T23:59:59.000Z`);
    });

    test("by default it expires 30 days ahead", async () => {
        const fake = await fakeArm();
        const before = Date.now();
        await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        const expiry = new Date(fake.triggers[0].expiry).getTime();
        expect(expiry - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
        expect(expiry - Date.now()).toBeLessThanOrEqual(30 * 86_400_000 + 1000);
    });

    test("getBackupJob reads the job; listBackupJobs finds it, by VM too", async () => {
        const fake = await fakeArm({ protectedVms: "all" });
        const vaultId = fake.vaultId(VAULT_RG, VAULT);
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        await backupNow(target(fake, "vm-db"), { client: client(fake), ...fast });
        expect(await getBackupJob({ vaultId, jobId }, { client: client(fake) })).toMatchObject({ jobId, vmName: "vm-web" });
        const all = await listBackupJobs({ vaultId }, { operation: "Backup" }, { client: client(fake) });
        expect(all.map((j) => j.vmName).sort()).toEqual(["vm-db", "vm-web"]);
        const web = await listBackupJobs({ vaultId }, { vmId: fake.vmId(VM_RG, "vm-web") }, { client: client(fake) });
        expect(web.map((j) => j.jobId)).toEqual([jobId]);
    });

    test("a list longer than a page is read to the end", async () => {
        const fake = await fakeArm({ protectedVms: "all", operationMs: 1 });
        const vaultId = fake.vaultId(VAULT_RG, VAULT);
        for (let i = 0; i < 55; i++) await backupNow(target(fake, `vm-${i}`), { client: client(fake), pollIntervalMs: 2 });
        const jobs = await listBackupJobs({ vaultId }, {}, { client: client(fake) });
        expect(jobs).toHaveLength(55);
        expect(fake.requests.filter((r) => r.method === "GET" && /\/backupJobs$/i.test(r.path.split("?")[0])).length).toBe(2);
    });
});

describe("Azure's refusals say what happened and what to do", () => {
    test("a VM that is not protected", async () => {
        const fake = await fakeArm({ protectedVms: ["vm-web"] });
        const error = await rejection(backupNow(target(fake, "vm-other"), { client: client(fake), ...fast }));
        expect(error.code).toBe("ItemNotProtected");
        expect(error.message).toMatch(/^backing up VM vm-other in vault rsv-prod: the VM is not protected in this vault: protect it first/);
    });

    test("a backup already taking its snapshot", async () => {
        const fake = await fakeArm({ snapshotMs: 2000 });
        await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), ...fast }));
        expect(error.code).toBe("BackupAlreadyRunning");
        expect(error.azureCode).toBe("UserErrorBackupOperationInProgress");
        expect(fake.triggers).toHaveLength(1);
    });

    test("the daily on-demand limit", async () => {
        const fake = await fakeArm({ dailyOnDemandLimit: 1, snapshotMs: 1 });
        await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        await new Promise((r) => setTimeout(r, 20));
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), ...fast }));
        expect(error.code).toBe("DailyLimitReached");
        expect(error.message).toContain("try again after midnight UTC");
    });

    test("a retain-until date in the past never reaches Azure", async () => {
        const fake = await fakeArm();
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), retainUntil: "2020-01-01" }));
        expect(error.message).toBe('retainUntil: must be in the future, got "2020-01-01"');
        expect(fake.requests).toEqual([]);
    });

    test("a credential Azure refuses", async () => {
        const fake = await fakeArm({ faults: ({ method }) => (method === "POST" ? { kind: "status", status: 403, code: "AuthorizationFailed", message: "no access" } : undefined) });
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), ...fast }));
        expect(error.code).toBe("Forbidden");
        expect(error.message).toBe("backing up VM vm-web in vault rsv-prod: Azure refused the credential (AuthorizationFailed: no access); it needs the Backup Operator role on the vault");
    });
});

describe("faults: every VM ends with exactly one triggered job, a reported failure, or a reported unknown", () => {
    const once = (kind: Fault, method = "POST") => (r: { method: string; attempt: number }) => (r.method === method && r.attempt === 1 ? kind : undefined);

    test("throttling (429 with Retry-After) is waited out, and nothing is triggered twice", async () => {
        const fake = await fakeArm({ protectedVms: "all", writeRate: { perSecond: 4, burst: 2 } });
        const vms = ["a", "b", "c", "d", "e", "f"];
        const results = await Promise.all(vms.map((vm) => backupNow(target(fake, vm), { client: client(fake), ...fast })));
        expect(new Set(results.map((r) => r.jobId)).size).toBe(6);
        expect(fake.triggers.map((t) => t.vm).sort()).toEqual(vms);
        expect(fake.requests.filter((r) => r.method === "POST").length).toBeGreaterThan(6);
    });

    test("a 500 on the trigger: the jobs are searched, none started, so it is sent once more", async () => {
        const fake = await fakeArm({ faults: once({ kind: "status", status: 500, code: "InternalServerError" }) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(2);
    });

    test("a connection reset after Azure started the backup: the started job is found, not triggered again", async () => {
        const fake = await fakeArm({ faults: once({ kind: "reset", when: "after-processing" }) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    });

    test("a lost answer whose job is listed only a moment later: found on a later look, not triggered again", async () => {
        // Left out of the first list: the second look finds it.
        const fake = await fakeArm({ jobListHides: 1, faults: once({ kind: "reset", when: "after-processing" }) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);
        expect(fake.requests.filter((r) => r.method === "GET" && /\/backupJobs$/i.test(r.path.split("?")[0]))).toHaveLength(2);
    });

    test("a lost answer whose job is listed later than three polls, after its snapshot: still found by the search, never sent again", async () => {
        // A second trigger would be accepted here (the snapshot is over): only the search prevents a second backup.
        const fake = await fakeArm({ jobListHides: 5, snapshotMs: 5, faults: once({ kind: "reset", when: "after-processing" }) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);
        expect(fake.requests.filter((r) => r.method === "GET" && /\/backupJobs$/i.test(r.path))).toHaveLength(6);
    });

    test("a lost answer whose job is listed later in time than the search lasts: the next trigger, refused as running, leads to a longer search that finds it", async () => {
        const fake = await fakeArm({ jobListLagMs: 350, snapshotMs: 5000, faults: once({ kind: "reset", when: "after-processing" }) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(2);
    });

    test("a lost answer, a backup running, and no job listed even then: the outcome is unknown, with the command to check; no third trigger", async () => {
        const fake = await fakeArm({ jobListHides: 1000, snapshotMs: 60_000, faults: once({ kind: "reset", when: "after-processing" }) });
        const sent = new Date();
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), ...fast }));
        expect(error).toBeInstanceOf(BackupOutcomeUnknown);
        expect(error.code).toBe("OutcomeUnknown");
        expect(error.azureCode).toBe("UserErrorBackupOperationInProgress");
        expect(error.message).toMatch(
            /^backing up VM vm-web in vault rsv-prod: the backup may have started: a backup of the VM is running \(Azure said UserErrorBackupOperationInProgress\), and it may be the one an earlier attempt started, whose answer was lost; it was not sent again\. Check with azure-vm-backup jobs list --vault \/subscriptions\/\S+\/vaults\/rsv-prod --operation Backup --since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
        );
        const since = Date.parse(/--since (\S+)$/.exec(error.message)![1]);
        expect(sent.getTime() - since).toBeGreaterThanOrEqual(29_000); // clocks differ: the command looks a little earlier
        expect((error as BackupOutcomeUnknown).since.getTime()).toBeGreaterThanOrEqual(sent.getTime());
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(2);
        expect(fake.triggers).toHaveLength(1);
    });

    test("a lost answer is never matched to a job reported before", async () => {
        const fake = await fakeArm({ snapshotMs: 20, transferMs: 20, faults: ({ method, attempt }) => (method === "POST" && attempt === 2 ? { kind: "status", status: 500 } : undefined) });
        const first = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        await new Promise((r) => setTimeout(r, 100));
        const second = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(second.jobId).not.toBe(first.jobId);
        expect(fake.triggers.map((t) => t.jobId)).toEqual([first.jobId, second.jobId]);
    });

    test("when the jobs cannot be read after a lost answer, the outcome is unknown, and it is not sent again", async () => {
        const fake = await fakeArm({
            faults: ({ method, path, attempt }) =>
                method === "POST" && attempt === 1 ? { kind: "reset", when: "after-processing" } : method === "GET" && /\/backupJobs$/i.test(path.split("?")[0]) ? { kind: "malformed" } : undefined,
        });
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), ...fast }));
        expect(error.code).toBe("OutcomeUnknown");
        expect(error.message).toMatch(
            /^backing up VM vm-web in vault rsv-prod: the backup may have started: its answer was lost \(.+\) and the vault's jobs could not be read to tell whether it started \(listing the jobs of vault rsv-prod: .+\); it was not sent again\. Check with azure-vm-backup jobs list --vault /,
        );
        expect(fake.triggers).toHaveLength(1);
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    });

    test("a connection reset before Azure saw the request: sent once more, only after the search covered the list's lag", async () => {
        const fake = await fakeArm({ faults: once({ kind: "reset", when: "before-processing" }) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
        const posts = fake.requests.filter((r) => r.method === "POST");
        expect(posts).toHaveLength(2);
        expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(180); // measured by the server, a moment after the client sent the first
    });

    test("a 429 that Resource Manager marks as its own throttling is sent again by the pipeline, after Retry-After", async () => {
        const fake = await fakeArm({ faults: once({ kind: "status", status: 429, code: "SubscriptionRequestsThrottled", retryAfterSeconds: 0, gateway: true }) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(2);
        expect(fake.requests.filter((r) => r.method === "GET" && /\/backupJobs$/i.test(r.path))).toHaveLength(0);
    });

    test.each([
        ["a 429 without Resource Manager's mark", { kind: "status", status: 429, code: "TooManyRequests", retryAfterSeconds: 0, when: "after-processing" }],
        ["a 503 with Retry-After", { kind: "status", status: 503, code: "ServiceUnavailable", retryAfterSeconds: 0, when: "after-processing" }],
        ["a 202 that cannot be read", { kind: "malformed", when: "after-processing" }],
    ] as [string, Fault][])("%s, answered after the backup started: not sent again, its job found", async (_name, fault) => {
        const fake = await fakeArm({ snapshotMs: 5, faults: once(fault) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    });

    test("a trigger with no answer at all is abandoned after requestTimeoutMs and its job found", async () => {
        const fake = await fakeArm({ faults: once({ kind: "stall", when: "after-processing" }) });
        const started = Date.now();
        // Left to stall, the trigger would be cut at the 20 s the call is given, and its job found then.
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: { ...client(fake), requestTimeoutMs: 200 }, ...fast, timeoutMs: 20_000 });
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
    });

    test("an operation that never ends: the job is found in the list once the operation's time is up", async () => {
        const fake = await fakeArm({ neverEnding: { operations: ["vm-web"] } });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast, operationTimeoutMs: 200 });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
    });

    test("an operation that never ends and a job not yet listed: unknown when the time given runs out, and not later", async () => {
        const fake = await fakeArm({ neverEnding: { operations: ["vm-web"] }, jobListHides: 1000 });
        const started = Date.now();
        // Polled every 20 s: a pause not cut at the deadline would end 20 s late.
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), ...fast, pollIntervalMs: 20_000, timeoutMs: 400 }));
        const elapsed = Date.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(400);
        expect(elapsed).toBeLessThan(10_000);
        expect(error.code).toBe("OutcomeUnknown");
        expect(error.message).toMatch(/^backing up VM vm-web in vault rsv-prod: the backup may have started: Azure accepted it, but its operation \S+ was still in progress when the time given ran out, and no job of it has been listed yet; it was not sent again\. Check with /);
        expect(fake.triggers).toHaveLength(1);
    });

    test("stopped by its signal before sending: Interrupted, nothing sent", async () => {
        const fake = await fakeArm();
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), ...fast, signal: AbortSignal.abort() }));
        expect(error.code).toBe("Interrupted");
        expect(error.message).toBe("backing up VM vm-web in vault rsv-prod: interrupted before the backup was sent");
        expect(fake.requests).toEqual([]);
    });

    test("stopped by its signal while the trigger is unanswered: one last look finds the job that started", async () => {
        const fake = await fakeArm({ faults: once({ kind: "stall", when: "after-processing" }) });
        const stop = new AbortController();
        setTimeout(() => stop.abort(), 100);
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast, signal: stop.signal });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
    });

    test("stopped by its signal while the trigger is unanswered, its job not listed: the outcome is unknown", async () => {
        const fake = await fakeArm({ jobListHides: 1000, faults: once({ kind: "stall", when: "after-processing" }) });
        const stop = new AbortController();
        setTimeout(() => stop.abort(), 100);
        const started = Date.now();
        // Not stopped by the signal, the stalled trigger would run to its 20 s request timeout.
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: { ...client(fake), requestTimeoutMs: 20_000 }, ...fast, signal: stop.signal }));
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(error.code).toBe("OutcomeUnknown");
        expect(error.message).toMatch(/^backing up VM vm-web in vault rsv-prod: the backup may have started: interrupted before Azure answered, and no job of it has been listed yet; it was not sent again\. Check with /);
        expect(fake.triggers).toHaveLength(1);
    });

    test("a transient failure reading the operation is retried", async () => {
        const fake = await fakeArm({ faults: once({ kind: "status", status: 503, code: "ServiceUnavailable" }, "GET") });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
    });

    test("an operation whose reads are never readable: tried until the time given, then unknown, not a crash", async () => {
        const fake = await fakeArm({ faults: (r) => (r.method === "GET" ? { kind: "malformed" } : undefined) });
        const error = await rejection(backupNow(target(fake, "vm-web"), { client: client(fake), ...fast, timeoutMs: 300 }));
        expect(error.code).toBe("OutcomeUnknown");
        expect(error.message).toMatch(/^backing up VM vm-web in vault rsv-prod: the backup may have started: Azure accepted it, but its operation \S+ could not be read \(backing up VM vm-web in vault rsv-prod: following operation \S+: /);
        expect(fake.triggers).toHaveLength(1);
        expect(fake.requests.filter((r) => /backupOperations/i.test(r.path)).length).toBeGreaterThan(2);
    });

    test("a job read answering 500, then a malformed 200, then nothing, is read again: the wait ends with the job", async () => {
        const faults: Fault[] = [{ kind: "status", status: 500 }, { kind: "malformed" }, { kind: "stall" }];
        const fake = await fakeArm({ faults: (r) => (r.method === "GET" && /\/backupJobs\/[^/]+$/i.test(r.path) ? faults[r.attempt - 1] : undefined) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        const job = await waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: { ...client(fake), requestTimeoutMs: 200 }, pollIntervalMs: fast.pollIntervalMs, timeoutMs: 10_000 });
        expect(job).toMatchObject({ jobId, status: "Completed" });
        expect(fake.requests.filter((r) => r.path.endsWith(`/backupJobs/${jobId}`)).length).toBeGreaterThanOrEqual(4);
    });

    test("a job that cannot be read until the timeout: JobUnreadable, with its id and the command to check, not a failure", async () => {
        const fake = await fakeArm({ faults: (r) => (r.method === "GET" && /\/backupJobs\/[^/]+$/i.test(r.path) ? { kind: "malformed" } : undefined) });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        const vaultId = fake.vaultId(VAULT_RG, VAULT);
        const error = await rejection(waitForBackupJob({ vaultId, jobId }, { client: client(fake), pollIntervalMs: fast.pollIntervalMs, timeoutMs: 200 }));
        expect(error).toBeInstanceOf(JobUnreadable);
        expect(error.code).toBe("OutcomeUnknown");
        expect((error as JobUnreadable).jobId).toBe(jobId);
        expect(error.message).toMatch(new RegExp(`^job ${jobId}: how it stands is unknown, its reads failed \\(reading job ${jobId} in vault rsv-prod: .+\\); check with azure-vm-backup jobs show ${jobId} --vault ${vaultId}$`));
    });

    test("a wait stopped by its signal: JobWaitInterrupted with the job as last read", async () => {
        const fake = await fakeArm({ snapshotMs: 30_000 });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        const stop = new AbortController();
        setTimeout(() => stop.abort(), 150);
        const started = Date.now();
        // A pause the signal did not cut would end 20 s later, the job still in its snapshot.
        const error = await rejection(waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: client(fake), pollIntervalMs: 20_000, signal: stop.signal }));
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(error).toBeInstanceOf(JobWaitInterrupted);
        expect((error as JobWaitInterrupted).job).toMatchObject({ jobId, status: "InProgress" });
        expect(error.message).toBe(`job ${jobId}: the wait was interrupted while the job was InProgress`);
    });

    test("a wait that runs out of time ends with the job as last read", async () => {
        const fake = await fakeArm({ snapshotMs: 30_000 });
        const { jobId } = await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        const started = Date.now();
        // Polled every 20 s: a pause not cut at the deadline would end 20 s late.
        const error = await rejection(waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: client(fake), pollIntervalMs: 20_000, timeoutMs: 300 }));
        const elapsed = Date.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(300);
        expect(elapsed).toBeLessThan(10_000);
        expect(error).toBeInstanceOf(JobWaitTimeout);
        expect((error as JobWaitTimeout).job).toMatchObject({ jobId, status: "InProgress", snapshot: { status: "InProgress" } });
        expect(error.message).toBe(`job ${jobId} (vm-web) was still InProgress after 0 s`);
    });

    test("a stalled connection is abandoned after requestTimeoutMs, not waited on", async () => {
        const fake = await fakeArm({ latencyMs: 20_000 });
        const started = Date.now();
        const error = await rejection(getBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId: "any" }, { client: { ...client(fake), requestTimeoutMs: 200 } }));
        expect(Date.now() - started).toBeLessThan(10_000); // the answer comes only after 20 s
        expect(error.message).toMatch(/^reading job any in vault rsv-prod: /);
    });

    test("the token travels only in the Authorization header", async () => {
        const fake = await fakeArm({ protectedVms: ["vm-web"] });
        await backupNow(target(fake, "vm-web"), { client: client(fake), ...fast });
        await rejection(backupNow(target(fake, "vm-gone"), { client: client(fake), ...fast }));
        expect(fake.requests.every((r) => r.authorization === `Bearer ${SENTINEL}`)).toBe(true);
    });
});
