// Every public on-demand function checks its arguments before anything else: each bad input below
// is refused with an InvalidArgumentError that names the argument, the rule and the value
// received (never a TypeError, never accepted), and no request reaches Resource Manager.
import { InvalidArgumentError, backupNow, getBackupJob, listBackupJobs, resolveRetainUntil, waitForBackupJob, type BackupClientOptions } from "pulumi-azure-vm-backup";
import { startFakeArm, type FakeArm } from "./fake-arm/server";
import { trustPolicy } from "./fake-arm/certificate";

let fake: FakeArm;
// Filled in once the fake runs: an input the checks let through would reach the fake, and show.
const client: BackupClientOptions = {};
beforeAll(async () => {
    fake = await startFakeArm();
    Object.assign(client, {
        credential: { getToken: async () => ({ token: "sentinel-token-arguments", expiresOnTimestamp: Date.now() + 3_600_000 }) },
        endpoint: fake.url,
        additionalPolicies: [trustPolicy(fake.ca)],
    });
});
afterAll(() => fake.close());

const S = "00000000-0000-0000-0000-0000000000aa";
const J = "6c2a9e0e-3f4e-4a0b-9d55-0c7a1c6e2b11";
const vm = (name: string, rg = "rg-app") => `/subscriptions/${S}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
const vault = (name: string, rg = "rg-backup") => `/subscriptions/${S}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;
const V = vault("rsv-prod");
const M = vm("vm-web");
const policy = { name: "p", sendRequest: (r: never, next: (r: never) => never) => next(r) };

// The calls, each with one argument wrong.
const b = (target: unknown, options?: unknown) => () => backupNow(target as never, options as never);
const bo = (options: unknown) => b({ vaultId: V, vmId: M }, options);
const bc = (c: unknown) => () => bo({ client: { ...client, ...(c as object) } })();
const g = (ref: unknown, options?: unknown) => () => getBackupJob(ref as never, (options ?? { client }) as never);
const l = (v: unknown, filter?: unknown) => () => listBackupJobs(v as never, filter as never, { client });
const w = (ref: unknown, options: unknown) => () => waitForBackupJob(ref as never, options as never);
const wo = (options: Record<string, unknown>) => () => w({ vaultId: V, jobId: J }, { client, ...options })();
const r = (value: unknown, now?: unknown) => () => resolveRetainUntil(value as never, now as never);

const CASES: [string, () => unknown, string, string][] = [
        ["backupNow: target null", b(null), "target", `target: must be { vaultId, vmId }, got null`],
        ["backupNow: target undefined", b(undefined), "target", `target: must be { vaultId, vmId }, got undefined`],
        ["backupNow: target a string", b(M), "target", `target: must be { vaultId, vmId }, got "/subscriptions/${S}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachine...`],
        ["backupNow: target a list", b([V, M]), "target", `target: must be { vaultId, vmId }, got ["/subscriptions/${S}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/v...`],
        ["backupNow: vmId missing", b({ vaultId: V }, { client }), "vmId", `vmId: must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}, got undefined`],
        ["backupNow: vaultId a number", b({ vaultId: 5, vmId: M }, { client }), "vaultId", `vaultId: must be a Recovery Services vault resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{name}, got 5`],
        ["backupNow: an unknown key in target", b({ vaultId: V, vmId: M, vmID: M }, { client }), "vmID", `vmID: unknown argument (target takes vaultId, vmId), got "/subscriptions/${S}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachine...`],
        ["backupNow: a vault id with .. as its group", b({ vaultId: vault("v", ".."), vmId: M }, { client }), "vaultId", `vaultId: its resource group ".." would change the request's path (a name must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "/subscriptions/${S}/resourceGroups/../providers/Microsoft.RecoveryServices/vaults/v"`],
        ["backupNow: a vault named .", b({ vaultId: vault("."), vmId: M }, { client }), "vaultId", `vaultId: its vault name "." would change the request's path (a name must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "/subscriptions/${S}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/."`],
        ["backupNow: a VM name with ?", b({ vaultId: V, vmId: vm("vm?api-version=1") }, { client }), "vmId", `vmId: its VM name "vm?api-version=1" would change the request's path (a name must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "/subscriptions/${S}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm?api-version=1"`],
        ["backupNow: a VM name with #", b({ vaultId: V, vmId: vm("vm#x") }, { client }), "vmId", `vmId: its VM name "vm#x" would change the request's path (a name must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "/subscriptions/${S}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm#x"`],
        ["backupNow: a VM name with an encoded /", b({ vaultId: V, vmId: vm("vm%2F..%2Fother") }, { client }), "vmId", `vmId: its VM name "vm%2F..%2Fother" would change the request's path (a name must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "/subscriptions/${S}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm%2F..%2Fother"`],
        ["backupNow: a VM group with a backslash", b({ vaultId: V, vmId: vm("vm", "rg\\..") }, { client }), "vmId", `vmId: its resource group "rg\\\\.." would change the request's path (a name must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "/subscriptions/${S}/resourceGroups/rg\\\\../providers/Microsoft.Compute/virtualMachines/vm"`],
        ["backupNow: a VM name with a space", b({ vaultId: V, vmId: vm("vm web") }, { client }), "vmId", `vmId: its VM name "vm web" would change the request's path (a name must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "/subscriptions/${S}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm web"`],
        ["backupNow: a VM of another subscription", b({ vaultId: V, vmId: M.replace(S, "11111111-1111-1111-1111-111111111111") }, { client }), "vmId", `vmId: must be in the vault's subscription ${S}, got "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-web"`],
        ["backupNow: options null", bo(null), "options", `options: must be an object of options, got null`],
        ["backupNow: options a string", bo("fast"), "options", `options: must be an object of options, got "fast"`],
        ["backupNow: an unknown option", bo({ client, retainUtil: "2099-01-01" }), "retainUtil", `retainUtil: unknown argument (options takes retainUntil, client, pollIntervalMs, operationTimeoutMs, timeoutMs, jobListLagMs, signal), got "2099-01-01"`],
        ["backupNow: retainUntil an invalid Date", bo({ client, retainUntil: new Date("nope") }), "retainUntil", `retainUntil: must be a valid Date, got an invalid Date`],
        ["backupNow: retainUntil a date that does not exist", bo({ client, retainUntil: "2027-02-30" }), "retainUntil", `retainUntil: must be a real date YYYY-MM-DD (2027-02 has 28 days), got "2027-02-30"`],
        ["backupNow: retainUntil a number", bo({ client, retainUntil: 1_900_000_000_000 }), "retainUntil", `retainUntil: must be a Date, or a string holding a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got 1900000000000`],
        ["backupNow: retainUntil in the past", bo({ client, retainUntil: "2001-01-01" }), "retainUntil", `retainUntil: must be in the future, got "2001-01-01"`],
        ["backupNow: retainUntil empty", bo({ client, retainUntil: "" }), "retainUntil", `retainUntil: must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got ""`],
        ["backupNow: retainUntil prose", bo({ client, retainUntil: "tomorrow" }), "retainUntil", `retainUntil: must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got "tomorrow"`],
        ["backupNow: pollIntervalMs a string", bo({ client, pollIntervalMs: "10" }), "pollIntervalMs", `pollIntervalMs: must be a whole number of milliseconds from 1 to 2147483647, got "10"`],
        ["backupNow: pollIntervalMs 0", bo({ client, pollIntervalMs: 0 }), "pollIntervalMs", `pollIntervalMs: must be a whole number of milliseconds from 1 to 2147483647, got 0`],
        ["backupNow: pollIntervalMs negative", bo({ client, pollIntervalMs: -5 }), "pollIntervalMs", `pollIntervalMs: must be a whole number of milliseconds from 1 to 2147483647, got -5`],
        ["backupNow: pollIntervalMs NaN", bo({ client, pollIntervalMs: NaN }), "pollIntervalMs", `pollIntervalMs: must be a whole number of milliseconds from 1 to 2147483647, got NaN`],
        ["backupNow: pollIntervalMs Infinity", bo({ client, pollIntervalMs: Infinity }), "pollIntervalMs", `pollIntervalMs: must be a whole number of milliseconds from 1 to 2147483647, got Infinity`],
        ["backupNow: pollIntervalMs past setTimeout's bound", bo({ client, pollIntervalMs: 2 ** 31 }), "pollIntervalMs", `pollIntervalMs: must be a whole number of milliseconds from 1 to 2147483647, got 2147483648`],
        ["backupNow: pollIntervalMs a fraction", bo({ client, pollIntervalMs: 1.5 }), "pollIntervalMs", `pollIntervalMs: must be a whole number of milliseconds from 1 to 2147483647, got 1.5`],
        ["backupNow: operationTimeoutMs a string", bo({ client, operationTimeoutMs: "600000" }), "operationTimeoutMs", `operationTimeoutMs: must be a whole number of milliseconds from 1 to 2147483647, got "600000"`],
        ["backupNow: timeoutMs a string", bo({ client, timeoutMs: "10" }), "timeoutMs", `timeoutMs: must be a whole number of milliseconds from 1 to 2147483647, got "10"`],
        ["backupNow: jobListLagMs negative", bo({ client, jobListLagMs: -1 }), "jobListLagMs", `jobListLagMs: must be a whole number of milliseconds from 0 to 2147483647, got -1`],
        ["backupNow: signal not an AbortSignal", bo({ client, signal: { aborted: false } }), "signal", `signal: must be an AbortSignal, got {"aborted":false}`],
        ["backupNow: client null", bo({ client: null }), "client", `client: must be an object of client options, got null`],
        ["backupNow: an http endpoint", bc({ endpoint: "http://management.azure.com" }), "client.endpoint", `client.endpoint: must be an https URL, got "http://management.azure.com"`],
        ["backupNow: an endpoint that is no URL", bc({ endpoint: "management.azure.com" }), "client.endpoint", `client.endpoint: must be an https URL, got "management.azure.com"`],
        ["backupNow: an endpoint a number", bc({ endpoint: 443 }), "client.endpoint", `client.endpoint: must be an https URL, got 443`],
        ["backupNow: a credential that is a string", bc({ credential: "s3cr3t-value" }), "client.credential", `client.credential: must be a TokenCredential (an object with getToken), got a string`],
        ["backupNow: a credential without getToken", bc({ credential: {} }), "client.credential", `client.credential: must be a TokenCredential (an object with getToken), got an object`],
        ["backupNow: maxRetries negative", bc({ maxRetries: -1 }), "client.maxRetries", `client.maxRetries: must be a whole number from 0 to 100, got -1`],
        ["backupNow: maxRetries a string", bc({ maxRetries: "5" }), "client.maxRetries", `client.maxRetries: must be a whole number from 0 to 100, got "5"`],
        ["backupNow: requestTimeoutMs 0", bc({ requestTimeoutMs: 0 }), "client.requestTimeoutMs", `client.requestTimeoutMs: must be a whole number of milliseconds from 1 to 2147483647, got 0`],
        ["backupNow: additionalPolicies not a list", bc({ additionalPolicies: {} }), "client.additionalPolicies", `client.additionalPolicies: must be a list of { policy, position }, got {}`],
        ["backupNow: a policy without sendRequest", bc({ additionalPolicies: [{ policy: {}, position: "perCall" }] }), "client.additionalPolicies[0].policy", `client.additionalPolicies[0].policy: must be a PipelinePolicy (an object with sendRequest), got {}`],
        ["backupNow: a policy position unknown", bc({ additionalPolicies: [{ policy, position: "first" }] }), "client.additionalPolicies[0].position", `client.additionalPolicies[0].position: must be "perCall" or "perRetry", got "first"`],
        ["backupNow: a misspelt client option", bc({ endpont: "https://management.azure.com" }), "client.endpont", `client.endpont: unknown argument (client takes credential, endpoint, maxRetries, requestTimeoutMs, additionalPolicies), got "https://management.azure.com"`],
        ["getBackupJob: ref null", g(null), "ref", `ref: must be { vaultId, jobId }, got null`],
        ["getBackupJob: jobId missing", g({ vaultId: V }), "jobId", `jobId: must be a job id (a GUID such as Azure gives), got undefined`],
        ["getBackupJob: jobId empty", g({ vaultId: V, jobId: "" }), "jobId", `jobId: must be a job id (a GUID such as Azure gives), got ""`],
        ["getBackupJob: jobId blank", g({ vaultId: V, jobId: "   " }), "jobId", `jobId: must be a job id (a GUID such as Azure gives), got "   "`],
        ["getBackupJob: jobId a number", g({ vaultId: V, jobId: 42 }), "jobId", `jobId: must be a job id (a GUID such as Azure gives), got 42`],
        ["getBackupJob: jobId ..", g({ vaultId: V, jobId: ".." }), "jobId", `jobId: would change the request's path (a job id must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got ".."`],
        ["getBackupJob: jobId climbing out of the jobs", g({ vaultId: V, jobId: "../../backupPolicies/DefaultPolicy" }), "jobId", `jobId: would change the request's path (a job id must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "../../backupPolicies/DefaultPolicy"`],
        ["getBackupJob: jobId with a query", g({ vaultId: V, jobId: `${J}?api-version=2016-06-01` }), "jobId", `jobId: would change the request's path (a job id must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "6c2a9e0e-3f4e-4a0b-9d55-0c7a1c6e2b11?api-version=2016-06-01"`],
        ["getBackupJob: jobId with a fragment", g({ vaultId: V, jobId: `${J}#x` }), "jobId", `jobId: would change the request's path (a job id must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "6c2a9e0e-3f4e-4a0b-9d55-0c7a1c6e2b11#x"`],
        ["getBackupJob: jobId with an encoded /", g({ vaultId: V, jobId: "x%2F..%2Fy" }), "jobId", `jobId: would change the request's path (a job id must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "x%2F..%2Fy"`],
        ["getBackupJob: options a string", g({ vaultId: V, jobId: J }, "client"), "options", `options: must be an object of options, got "client"`],
        ["listBackupJobs: vault null", l(null), "vault", `vault: must be { vaultId }, got null`],
        ["listBackupJobs: vaultId empty", l({ vaultId: "" }), "vaultId", `vaultId: must be a Recovery Services vault resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{name}, got ""`],
        ["listBackupJobs: filter null", l({ vaultId: V }, null), "filter", `filter: must be an object of filters, got null`],
        ["listBackupJobs: an unknown status", l({ vaultId: V }, { status: "Running" }), "status", `status: must be one of InProgress, Completed, CompletedWithWarnings, Failed, Cancelled, Cancelling, got "Running"`],
        ["listBackupJobs: from a string where a Date is expected", l({ vaultId: V }, { from: "2027-01-01" }), "from", `from: must be a valid Date, got "2027-01-01"`],
        ["listBackupJobs: from an invalid Date", l({ vaultId: V }, { from: new Date("x") }), "from", `from: must be a valid Date, got an invalid Date`],
        ["listBackupJobs: to before from", l({ vaultId: V }, { from: new Date("2027-01-02T00:00:00Z"), to: new Date("2027-01-01T00:00:00Z") }), "to", `to: must not be before from (Date 2027-01-02T00:00:00.000Z), got Date 2027-01-01T00:00:00.000Z`],
        ["listBackupJobs: vmId a VM name", l({ vaultId: V }, { vmId: "vm-web" }), "vmId", `vmId: must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}, got "vm-web"`],
        ["listBackupJobs: operation with a quote", l({ vaultId: V }, { operation: "Backup' or status eq 'Failed" }), "operation", `operation: must be an operation name such as Backup or Restore, got "Backup' or status eq 'Failed"`],
        ["listBackupJobs: operation a number", l({ vaultId: V }, { operation: 5 }), "operation", `operation: must be an operation name such as Backup or Restore, got 5`],
        ["listBackupJobs: a misspelt filter", l({ vaultId: V }, { since: new Date("2027-01-01T00:00:00Z") }), "since", `since: unknown argument (filter takes status, operation, from, to, vmId), got Date 2027-01-01T00:00:00.000Z`],
        ["waitForBackupJob: timeoutMs a string", wo({ timeoutMs: "10" }), "timeoutMs", `timeoutMs: must be a whole number of milliseconds from 0 to 2147483647, got "10"`],
        ["waitForBackupJob: timeoutMs negative", wo({ timeoutMs: -1 }), "timeoutMs", `timeoutMs: must be a whole number of milliseconds from 0 to 2147483647, got -1`],
        ["waitForBackupJob: pollIntervalMs 0", wo({ pollIntervalMs: 0 }), "pollIntervalMs", `pollIntervalMs: must be a whole number of milliseconds from 1 to 2147483647, got 0`],
        ["waitForBackupJob: signal a boolean", wo({ signal: true }), "signal", `signal: must be an AbortSignal, got true`],
        ["waitForBackupJob: onProgress not a function", wo({ onProgress: "log" }), "onProgress", `onProgress: must be a function, got "log"`],
        ["waitForBackupJob: options null", w({ vaultId: V, jobId: J }, null), "options", `options: must be an object of options, got null`],
        ["waitForBackupJob: jobId missing", w({ vaultId: V }, { client }), "jobId", `jobId: must be a job id (a GUID such as Azure gives), got undefined`],
        ["resolveRetainUntil: null", r(null), "retainUntil", `retainUntil: must be a Date, or a string holding a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got null`],
        ["resolveRetainUntil: an invalid Date", r(new Date(NaN)), "retainUntil", `retainUntil: must be a valid Date, got an invalid Date`],
        ["resolveRetainUntil: an object", r({ date: "2027-01-01" }), "retainUntil", `retainUntil: must be a Date, or a string holding a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got {"date":"2027-01-01"}`],
        ["resolveRetainUntil: now a string", r("2099-01-01", "2027-01-01"), "now", `now: must be a valid Date, got "2027-01-01"`],
        ["resolveRetainUntil: now an invalid Date", r("2099-01-01", new Date(NaN)), "now", `now: must be a valid Date, got an invalid Date`],
];

test(`${CASES.length} bad inputs`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
});

test.each(CASES)("%s", async (_what, call, argument, message) => {
    const sent = fake.requests.length;
    let error: unknown;
    try {
        await call();
    } catch (e) {
        error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ name: "InvalidArgumentError", code: "InvalidArgument", argument, message });
    expect(message.startsWith(`${argument}: `)).toBe(true);
    expect(fake.requests.slice(sent)).toEqual([]);
});
