// `azure-vm-backup backup-now` and `jobs` end to end: the command as a child process, signing in
// through the Azure CLI credential (a stand-in `az` on PATH that hands out a sentinel token) and
// trusting the fake's certificate the way any Node process can (NODE_EXTRA_CA_CERTS).
import * as fs from "fs";
import * as path from "path";
import { startFakeArm, type FakeArm, type FakeArmOptions, type Fault } from "./fake-arm/server";
import { tally } from "./fake-arm/fault-mixes";
import { SENTINEL_TOKEN, childEnv } from "./fake-arm/child-env";
import { CLI, runCli, runInterrupted, start, type CliResult } from "./cli-process";

const WORK = path.join(__dirname, ".generated", "cli-backup");
const SENTINEL = SENTINEL_TOKEN;
const VAULT_RG = "rg-backup";
const VAULT = "rsv-prod";
const VM_RG = "rg-app";

const running: FakeArm[] = [];
let env: NodeJS.ProcessEnv;
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

async function fakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = await startFakeArm({ snapshotMs: 60, transferMs: 1200, operationMs: 0, protectedVms: "all", ...options });
    running.push(fake);
    env = childEnv(fake, WORK);
    return fake;
}

type Result = CliResult;

/** Runs the command against the fake (its --endpoint added last unless `endpoint` is false). */
const cli = (fake: FakeArm, args: string[], endpoint = true) => runCli([...args, ...(endpoint ? ["--endpoint", fake.url] : [])], env);

/** Runs the command and sends it SIGINT (or `signal`) once `ready` passes, given the output so far. */
function cliInterrupted(fake: FakeArm, args: string[], ready: (output: string) => boolean, signal: NodeJS.Signals = "SIGINT"): Promise<Result & { sentAt?: number; endedAt: number }> {
    return runInterrupted([...args, "--endpoint", fake.url], env, ready, signal);
}

const vaultId = (fake: FakeArm) => fake.vaultId(VAULT_RG, VAULT);
const vmArgs = (fake: FakeArm, ...vms: string[]) => ["--vault", vaultId(fake), ...vms.flatMap((vm) => ["--vm", fake.vmId(VM_RG, vm)])];
const noSentinel = (r: Result) => {
    expect(r.stdout).not.toContain(SENTINEL);
    expect(r.stderr).not.toContain(SENTINEL);
};

describe("backup-now", () => {
    test("--wait --json: every VM followed through both phases; exit 0 when all completed", async () => {
        // A transfer of three polls: a busy machine's first read still finds vm-web transferring.
        const fake = await fakeArm({ transferMs: 3000 });
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web", "vm-db"), "--wait", "--json", "--poll-interval", "1s", "--retain-until", "2099-12-31"]);
        noSentinel(r);
        expect(r.code).toBe(0);
        const { results } = JSON.parse(r.stdout);
        expect(results.map((x: { vmId: string; status: string }) => [x.vmId.split("/").pop(), x.status])).toEqual([
            ["vm-web", "Completed"],
            ["vm-db", "Completed"],
        ]);
        expect(results[0].job).toMatchObject({ snapshot: { status: "Completed" }, transferToVault: { status: "Completed" } });
        expect(fake.triggers.map((t) => [t.vm, t.expiry.slice(0, 19)]).sort()).toEqual([
            ["vm-db", "2099-12-31T23:59:59"],
            ["vm-web", "2099-12-31T23:59:59"],
        ]);
        // The progress log went to stderr, a line per change, both phases on each line.
        const lines = r.stderr.trim().split("\n");
        expect(lines.some((l) => /^\d\d:\d\d:\d\dZ vm-web: snapshot Completed, transfer to vault InProgress: InProgress, job \S+$/.test(l))).toBe(true);
        expect(lines.some((l) => /^\d\d:\d\d:\d\dZ vm-db: snapshot Completed, transfer to vault Completed: Completed, job \S+$/.test(l))).toBe(true);
    });

    test("exit 3 when a transfer failed (completed with warnings), 1 when a snapshot failed", async () => {
        const fake = await fakeArm({ outcomes: { "vm-warn": { snapshot: "Completed", transfer: "Failed" }, "vm-fail": { snapshot: "Failed", transfer: "Failed" } } });
        const warn = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web", "vm-warn"), "--wait", "--poll-interval", "1s"]);
        expect(warn.code).toBe(3);
        expect(warn.stdout.trim().split("\n").pop()).toBe("1 Completed, 1 CompletedWithWarnings");
        const fail = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-warn", "vm-fail"), "--wait", "--poll-interval", "1s"]);
        expect(fail.code).toBe(1);
    });

    test("a plain line per change when output is not a terminal", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--wait", "--poll-interval", "1s"]);
        expect(r.code).toBe(0);
        const lines = r.stdout.trim().split("\n");
        expect(lines[0]).toMatch(/^\d\d:\d\d:\d\dZ vm-web: triggering the backup$/);
        expect(lines.filter((l) => l.includes("vm-web: snapshot"))).toEqual(
            expect.arrayContaining([expect.stringMatching(/snapshot Completed, transfer to vault Completed: Completed, job \S+$/)]),
        );
        expect(lines[lines.length - 1]).toBe("1 Completed");
    });

    test("on a terminal: a live table, one row per VM, redrawn in place", async () => {
        const fake = await fakeArm();
        // util-linux `script` gives the command a pseudo-terminal, as a person's shell would.
        const command = `stty cols 200; ${[process.execPath, CLI, "backup-now", ...vmArgs(fake, "vm-web", "vm-db"), "--wait", "--poll-interval", "1s", "--endpoint", fake.url]
            .map((a) => `'${a}'`)
            .join(" ")}`;
        const r = await start(["-qefc", command, "/dev/null"], env, "script", []).done;
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("\x1b[2A"); // back up over both rows
        const screen = r.stdout
            .split("\x1b[2K")
            .flatMap((segment) => segment.split(/\r?\n/))
            .map((l) => l.replace(/\x1b\[\d+A/g, "").trim());
        expect(screen).toEqual(expect.arrayContaining([expect.stringMatching(/^vm-web {2}snapshot Completed, transfer to vault Completed: Completed, job \S+$/)]));
        expect(screen).toEqual(expect.arrayContaining([expect.stringMatching(/^vm-db {3}snapshot Completed, transfer to vault Completed: Completed, job \S+$/)]));
    });

    test("without --wait: the job ids, exit 0", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--json", "--poll-interval", "1s"]);
        expect(r.code).toBe(0);
        const { results } = JSON.parse(r.stdout);
        expect(results).toEqual([{ vmId: fake.vmId(VM_RG, "vm-web"), vaultId: vaultId(fake), jobId: fake.triggers[0].jobId, status: "Triggered" }]);
    });

    test("--from-stack reads the targets `pulumi stack output --json` printed", async () => {
        const fake = await fakeArm();
        const stack = path.join(WORK, "stack.json");
        fs.writeFileSync(stack, JSON.stringify({ vaultId: vaultId(fake), vmIds: [fake.vmId(VM_RG, "vm-a"), fake.vmId(VM_RG, "vm-b")], unrelated: 3 }));
        const r = await cli(fake, ["backup-now", "--from-stack", stack, "--json", "--poll-interval", "1s"]);
        expect(r.code).toBe(0);
        expect(fake.triggers.map((t) => t.vm).sort()).toEqual(["vm-a", "vm-b"]);
    });

    test("a VM Azure will not back up is reported, the others go on; exit 1", async () => {
        const fake = await fakeArm({ protectedVms: ["vm-web"] });
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web", "vm-gone"), "--poll-interval", "1s"]);
        noSentinel(r);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain("1 Triggered, 1 Failed");
        expect(r.stdout).toContain(`  ${fake.vmId(VM_RG, "vm-gone")}: backing up VM vm-gone in vault rsv-prod: the VM is not protected in this vault`);
    });

    test("throttled and with a lost answer, every VM still gets exactly one job", async () => {
        const fake = await fakeArm({
            writeRate: { perSecond: 10, burst: 2 },
            faults: ({ method, vm, attempt }) => (method === "POST" && vm === "vm-3" && attempt === 1 ? { kind: "reset", when: "after-processing" } : undefined),
        });
        const vms = Array.from({ length: 8 }, (_, i) => `vm-${i}`);
        // The lost answer may be a throttled request that Azure never processed: it is sent again once a second's search finds no job.
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, ...vms), "--concurrency", "4", "--json", "--poll-interval", "1s", "--job-list-lag", "1s"]);
        expect(r.code).toBe(0);
        expect(fake.triggers.map((t) => t.vm).sort()).toEqual(vms);
        expect(JSON.parse(r.stdout).results.every((x: { jobId?: string }) => typeof x.jobId === "string")).toBe(true);
    });

    test("with --wait, every backup starts before any job is followed; a VM named twice is backed up once", async () => {
        const fake = await fakeArm({ snapshotMs: 300, transferMs: 300 });
        const vms = ["vm-a", "vm-b", "vm-c", "vm-d"];
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, ...vms, "vm-a"), "--concurrency", "2", "--wait", "--poll-interval", "1s", "--json"]);
        expect(r.code).toBe(0);
        expect(fake.triggers.map((t) => t.vm).sort()).toEqual(vms);
        // In the order the fake received them: every trigger, then the reads of the jobs.
        const order = fake.requests.flatMap((q) => (q.method === "POST" ? ["trigger"] : /\/backupJobs\/[^/]+$/i.test(q.path) ? ["job read"] : []));
        expect(order.filter((kind, i) => kind !== order[i - 1])).toEqual(["trigger", "job read"]);
        expect(JSON.parse(r.stdout).results.map((x: { status: string }) => x.status)).toEqual(["Completed", "Completed", "Completed", "Completed"]);
    });

    test("two VMs of one name in different groups are told apart", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["backup-now", "--vault", vaultId(fake), "--vm", fake.vmId("rg-one", "vm-web"), "--vm", fake.vmId("rg-two", "vm-web"), "--poll-interval", "1s"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/Z rg-one\/vm-web: triggering the backup/);
        expect(r.stdout).toMatch(/Z rg-two\/vm-web: triggering the backup/);
    });

    test("bad usage exits 2", async () => {
        const fake = await fakeArm();
        const noVault = await cli(fake, ["backup-now", "--vm", fake.vmId(VM_RG, "vm-web")]);
        expect(noVault.code).toBe(2);
        expect(noVault.stderr).toBe("azure-vm-backup: --vm needs --vault, the vault that protects the VMs\n");
        const past = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--retain-until", "2001-01-01"]);
        expect(past.code).toBe(2);
        expect(past.stderr).toBe('azure-vm-backup: --retain-until: must be in the future, got "2001-01-01"\n');
        const insecure = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--endpoint", "http://management.azure.com"], false);
        expect(insecure.code).toBe(2);
        expect(insecure.stderr).toBe('azure-vm-backup: --endpoint: must be an https URL, got "http://management.azure.com"\n');
        expect(fake.requests).toEqual([]);
    });
});

describe("backup-now under faults: never a second backup, never a guess", () => {
    test("50 VMs, --concurrency 8 --wait, throttled, with 429 and 503 after the backup started, 500s before it, and lost answers: exactly one backup each, all Completed", async () => {
        const vms = Array.from({ length: 50 }, (_, i) => `vm-${i}`);
        const faults: Fault[] = [
            { kind: "status", status: 503, code: "ServiceUnavailable", retryAfterSeconds: 0, when: "after-processing" },
            { kind: "status", status: 429, code: "TooManyRequests", retryAfterSeconds: 0, when: "after-processing" },
            { kind: "status", status: 500, code: "InternalServerError", when: "before-processing" },
            { kind: "reset", when: "after-processing" },
        ];
        const fake = await fakeArm({
            writeRate: { perSecond: 40, burst: 8 },
            snapshotMs: 10,
            transferMs: 100,
            jobListHides: 2,
            faults: ({ method, path, vm, attempt }) => (method === "POST" && /\/backup$/i.test(path) && attempt === 1 ? faults[Number(vm!.slice(3)) % 5] : undefined),
        });
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, ...vms), "--concurrency", "8", "--wait", "--json", "--poll-interval", "1s", "--job-list-lag", "1s", "--timeout", "60s"]);
        noSentinel(r);
        const { results } = JSON.parse(r.stdout);
        expect(results.map((x: { status: string }) => x.status)).toEqual(vms.map(() => "Completed"));
        expect(r.code).toBe(0);
        const figures = tally(
            fake.triggers,
            results.map((x: { vmId: string; jobId: string }) => ({ vm: x.vmId.split("/").pop()!, jobId: x.jobId, outcome: "completed" })),
        );
        expect(figures).toEqual({ vms: 50, backupsPerVm: { min: 1, max: 1 }, lost: 0, duplicated: 0, failed: 0, unknown: 0 });
    }, 60_000);

    test("a trigger whose outcome cannot be told: Unknown with the command to check, exit 4, not sent a third time", async () => {
        const fake = await fakeArm({
            jobListHides: 1000,
            snapshotMs: 60_000,
            faults: ({ method, vm, attempt }) => (method === "POST" && vm === "vm-lost" && attempt === 1 ? { kind: "reset", when: "after-processing" } : undefined),
        });
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web", "vm-lost"), "--poll-interval", "1s", "--job-list-lag", "1s"]);
        noSentinel(r);
        expect(r.code).toBe(4);
        const lines = r.stdout.trim().split("\n");
        expect(lines).toContain("1 Triggered, 1 Unknown");
        expect(lines[lines.length - 1]).toMatch(
            new RegExp(`^  ${fake.vmId(VM_RG, "vm-lost")}: backing up VM vm-lost in vault rsv-prod: the backup may have started: .+; it was not sent again\\. Check with azure-vm-backup jobs list --vault ${vaultId(fake)} --operation Backup --since \\S+Z$`),
        );
        expect(fake.triggers.map((t) => t.vm).sort()).toEqual(["vm-lost", "vm-web"]);
        expect(fake.requests.filter((q) => q.method === "POST" && q.path.includes("vm-lost"))).toHaveLength(2);
    });

    test("--wait with a job that cannot be read: Unknown with its job id, in text and --json, exit 4", async () => {
        const fake = await fakeArm({ faults: ({ method, path }) => (method === "GET" && /\/backupJobs\/[^/]+$/i.test(path) ? { kind: "malformed" } : undefined) });
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--wait", "--json", "--poll-interval", "1s", "--timeout", "2s"]);
        expect(r.code).toBe(4);
        const jobId = fake.triggers[0].jobId;
        const { results } = JSON.parse(r.stdout);
        expect(results).toEqual([
            {
                vmId: fake.vmId(VM_RG, "vm-web"),
                vaultId: vaultId(fake),
                jobId,
                status: "Unknown",
                error: { code: "OutcomeUnknown", message: expect.stringMatching(new RegExp(`^job ${jobId}: how it stands is unknown, its reads failed \\(.+\\); check with azure-vm-backup jobs show ${jobId} --vault ${vaultId(fake)}$`)) },
            },
        ]);
        const text = await cli(fake, ["jobs", "wait", jobId, "--vault", vaultId(fake), "--poll-interval", "1s", "--timeout", "1s"]);
        expect(text.code).toBe(4);
        expect(text.stderr).toMatch(new RegExp(`^azure-vm-backup: job ${jobId}: how it stands is unknown, its reads failed .+; check with azure-vm-backup jobs show ${jobId} --vault \\S+\n$`));
    });

    test("--timeout bounds the trigger phase too: an operation that never ends stops at the deadline, Unknown", async () => {
        const fake = await fakeArm({ neverEnding: { operations: ["vm-web"] }, jobListHides: 1000 });
        const started = Date.now();
        // The deadline leaves time for the command to start, sign in and have its trigger answered
        // on a busy machine; polled every 20 s, a pause not cut at the deadline would end 20 s late.
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--poll-interval", "20s", "--timeout", "6s"]);
        const ended = Date.now();
        expect(r.code).toBe(4);
        expect(r.stdout).toContain("1 Unknown");
        expect(r.stdout).toMatch(/the backup may have started: Azure accepted it, but its operation \S+ was still in progress when the time given ran out/);
        expect(fake.triggers).toHaveLength(1);
        expect(ended - started).toBeGreaterThanOrEqual(6000);
        expect(ended - fake.triggers[0].at).toBeLessThan(6000 + 6000);
    });

    test("--timeout reached before some VMs were sent: those are NotTriggered, exit 1", async () => {
        const fake = await fakeArm({ neverEnding: { operations: ["vm-a"] } });
        const r = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-a", "vm-b"), "--concurrency", "1", "--poll-interval", "1s", "--timeout", "6s", "--json"]);
        expect(r.code).toBe(1);
        const { results } = JSON.parse(r.stdout);
        expect(results.map((x: { status: string; jobId?: string }) => [x.status, typeof x.jobId])).toEqual([
            ["Triggered", "string"], // its operation never ended; the job was found in the list
            ["NotTriggered", "undefined"],
        ]);
        expect(results[1].error).toEqual({ code: "Timeout", message: "not sent: the time given (--timeout 6s) ran out first" });
        expect(fake.triggers.map((t) => t.vm)).toEqual(["vm-a"]);
    });

    test.each([["1ms"], ["25d"], ["0"]])("--poll-interval %s is refused for backup-now and jobs wait", async (value) => {
        const fake = await fakeArm();
        const message = `azure-vm-backup: --poll-interval: must be between 1s and 10m, got "${value}"\n`;
        const backup = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--poll-interval", value]);
        expect([backup.code, backup.stderr]).toEqual([2, message]);
        const wait = await cli(fake, ["jobs", "wait", "job-1", "--vault", vaultId(fake), "--poll-interval", value]);
        expect([wait.code, wait.stderr]).toEqual([2, message]);
        expect(fake.requests).toEqual([]);
    });

    test("1s and 10m, the bounds, are taken", async () => {
        const fake = await fakeArm();
        const low = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-a"), "--poll-interval", "1s"]);
        const high = await cli(fake, ["backup-now", ...vmArgs(fake, "vm-b"), "--poll-interval", "10m"]);
        expect([low.code, high.code]).toEqual([0, 0]);
    });
});

describe("Ctrl-C", () => {
    test("while a trigger's operation runs: one last look at the job list gives the VM its job id", async () => {
        const fake = await fakeArm({ neverEnding: { operations: ["vm-a"] } });
        const r = await cliInterrupted(fake, ["backup-now", ...vmArgs(fake, "vm-a", "vm-b"), "--concurrency", "1", "--poll-interval", "1s", "--json"], () => fake.triggers.length > 0);
        expect(r.code).toBe(130);
        const { interrupted, results } = JSON.parse(r.stdout);
        expect(interrupted).toBe(true);
        expect(results.map((x: { status: string; jobId?: string }) => [x.status, x.jobId])).toEqual([
            ["Triggered", fake.triggers[0].jobId],
            ["NotTriggered", undefined],
        ]);
    });

    test("during backup-now --wait: polling stops, the VMs triggered are printed (or with --json emitted) with their job ids, exit 130", async () => {
        const fake = await fakeArm({ snapshotMs: 60_000 });
        const r = await cliInterrupted(fake, ["backup-now", ...vmArgs(fake, "vm-a", "vm-b"), "--wait", "--json", "--poll-interval", "20s"], (out) => (out.match(/: snapshot InProgress/g) ?? []).length >= 2);
        expect(r.code).toBe(130);
        expect(r.endedAt - r.sentAt!).toBeLessThan(10_000); // not the 20 s to the next poll
        const out = JSON.parse(r.stdout);
        expect(out.interrupted).toBe(true);
        const byVm = new Map(fake.triggers.map((t) => [t.vm, t.jobId]));
        expect(out.results.map((x: { vmId: string; jobId: string; status: string }) => [x.vmId.split("/").pop(), x.jobId, x.status])).toEqual([
            ["vm-a", byVm.get("vm-a"), "InProgress"],
            ["vm-b", byVm.get("vm-b"), "InProgress"],
        ]);

        // In text, one line per VM with its job id.
        const text = await cliInterrupted(fake, ["backup-now", ...vmArgs(fake, "vm-c"), "--wait", "--poll-interval", "10m"], (out) => out.includes("vm-c: snapshot InProgress"));
        expect(text.code).toBe(130);
        expect(text.stdout.trim().split("\n").slice(-3)).toEqual([
            "interrupted: the backups triggered go on in Azure; none was sent twice",
            "1 InProgress",
            `  ${fake.vmId(VM_RG, "vm-c")}: InProgress, job ${fake.triggers.find((t) => t.vm === "vm-c")!.jobId}`,
        ]);
    });

    test("SIGTERM while triggering, its job not yet listed: the VM in flight may have started, the others were not sent; text lists each, exit 130", async () => {
        const fake = await fakeArm({ neverEnding: { operations: ["vm-a"] }, jobListHides: 1 });
        const r = await cliInterrupted(fake, ["backup-now", ...vmArgs(fake, "vm-a", "vm-b", "vm-c"), "--concurrency", "1", "--poll-interval", "1s"], () => fake.triggers.length > 0, "SIGTERM");
        expect(r.code).toBe(130);
        const lines = r.stdout.trim().split("\n");
        const report = lines.slice(lines.indexOf("interrupted: the backups triggered go on in Azure; none was sent twice"));
        expect(report[1]).toBe("1 Unknown, 2 NotTriggered");
        expect(report[2]).toMatch(new RegExp(`^  ${fake.vmId(VM_RG, "vm-a")}: backing up VM vm-a in vault rsv-prod: the backup may have started: interrupted before Azure (answered|named its job).+ Check with azure-vm-backup jobs list --vault `));
        expect(report.slice(3)).toEqual([`  ${fake.vmId(VM_RG, "vm-b")}: NotTriggered`, `  ${fake.vmId(VM_RG, "vm-c")}: NotTriggered`]);
        expect(fake.triggers.map((t) => t.vm)).toEqual(["vm-a"]);
        // The command to check finds the backup that started, once Azure lists it.
        const check = /Check with azure-vm-backup (jobs list .+)$/.exec(report[2])![1].split(" ");
        const listed = await cli(fake, check);
        expect(listed.code).toBe(0);
        expect(listed.stdout).toMatch(new RegExp(`^${fake.triggers[0].jobId}\\s+vm-a\\s+Backup\\s+`, "m"));
    });

    test("during jobs wait: the job as last read, exit 130; with --json on stdout", async () => {
        const fake = await fakeArm({ snapshotMs: 60_000 });
        await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--poll-interval", "1s"]);
        const jobId = fake.triggers[0].jobId;
        const text = await cliInterrupted(fake, ["jobs", "wait", jobId, "--vault", vaultId(fake), "--poll-interval", "10m"], (out) => out.includes("vm-web: snapshot InProgress"));
        expect(text.code).toBe(130);
        expect(text.stdout.trim().split("\n").pop()).toBe(`interrupted: job ${jobId} was InProgress; it goes on in Azure`);
        const json = await cliInterrupted(fake, ["jobs", "wait", jobId, "--vault", vaultId(fake), "--poll-interval", "10m", "--json"], (out) => out.includes("vm-web: snapshot InProgress"));
        expect(json.code).toBe(130);
        expect(JSON.parse(json.stdout)).toMatchObject({ interrupted: true, jobId, status: "InProgress", job: { jobId, vmName: "vm-web" } });
    });
});

describe("jobs", () => {
    test("list and show", async () => {
        // The job runs longer than the test: it is InProgress whenever the list is read.
        const fake = await fakeArm({ transferMs: 600_000 });
        await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--poll-interval", "1s"]);
        const jobId = fake.triggers[0].jobId;

        const list = await cli(fake, ["jobs", "list", "--vault", vaultId(fake), "--status", "InProgress", "--since", "1h"]);
        expect(list.code).toBe(0);
        const [header, row] = list.stdout.trim().split("\n");
        expect(header).toMatch(/^JOB\s+VM\s+OPERATION\s+STATUS\s+STARTED\s+DURATION$/);
        expect(row).toMatch(new RegExp(`^${jobId}\\s+vm-web\\s+Backup\\s+InProgress\\s+\\d{4}-`));

        const show = await cli(fake, ["jobs", "show", jobId, "--vault", vaultId(fake), "--json"]);
        expect(JSON.parse(show.stdout)).toMatchObject({ jobId, vmName: "vm-web", operation: "Backup" });
    });

    test("wait follows the job to its end", async () => {
        const fake = await fakeArm({ transferMs: 2500 });
        await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--poll-interval", "1s"]);
        const jobId = fake.triggers[0].jobId;
        const wait = await cli(fake, ["jobs", "wait", jobId, "--vault", vaultId(fake), "--poll-interval", "1s"]);
        expect(wait.code).toBe(0);
        expect(wait.stdout).toContain(`job ${jobId}: Backup of vm-web, Completed`);
        expect(wait.stdout).toMatch(/ {2}Take Snapshot: Completed \(started \S+, ended \S+\)/);
        noSentinel(wait);
    });

    test("wait gives up at its timeout with exit 1 and the job as last seen", async () => {
        // The job outlasts the test: only giving up at the timeout ends the command.
        const fake = await fakeArm({ snapshotMs: 600_000 });
        await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--poll-interval", "1s"]);
        const jobId = fake.triggers[0].jobId;
        const wait = await cli(fake, ["jobs", "wait", jobId, "--vault", vaultId(fake), "--timeout", "300ms", "--poll-interval", "1s"]);
        expect(wait.code).toBe(1);
        expect(wait.stderr).toBe(`azure-vm-backup: job ${jobId} (vm-web) was still InProgress after 0 s\n`);
    });

    test("--from-stack names the vault for jobs commands", async () => {
        const fake = await fakeArm();
        await cli(fake, ["backup-now", ...vmArgs(fake, "vm-web"), "--poll-interval", "1s"]);
        const stack = path.join(WORK, "vault-only.json");
        fs.writeFileSync(stack, JSON.stringify({ vaultId: vaultId(fake) }));
        const r = await cli(fake, ["jobs", "list", "--from-stack", stack, "--json"]);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout).jobs.map((j: { jobId: string }) => j.jobId)).toEqual([fake.triggers[0].jobId]);
    });

    test("an unknown status is bad usage", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["jobs", "list", "--vault", vaultId(fake), "--status", "Running"]);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe('azure-vm-backup: --status: must be one of InProgress, Completed, CompletedWithWarnings, Failed, Cancelled, Cancelling, got "Running"\n');
    });
});
