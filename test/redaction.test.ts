// No credential reaches output: the redaction itself, the library's errors when Resource Manager
// echoes the Authorization header back, and the command's output in text and --json.
import * as fs from "fs";
import * as path from "path";
import { BackupOperationError, backupNow, getBackupJob, listBackupJobs, waitForBackupJob } from "pulumi-azure-vm-backup";
import { REDACTED, redact, redactDeep } from "../src/on-demand/redact";
import { toBackupJob } from "../src/on-demand/backup-jobs";
import { startFakeArm, type FakeArm, type FakeArmOptions, type Fault } from "./fake-arm/server";
import { SENTINEL_TOKEN, childEnv } from "./fake-arm/child-env";
import { runCli } from "./cli-process";
import { fakeClient } from "./fake-arm/client";

// A token shaped as Entra ID's are (a JWT), and one that is not.
const JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLWJ5dGVz";
const OPAQUE = "opaque-token-9d2c41";

describe("redact", () => {
    test.each([
        ["an echoed Authorization header", `The client with Authorization 'Bearer ${OPAQUE}' failed.`, `The client with Authorization 'Bearer ${REDACTED}' failed.`],
        ["a header line", `Authorization: Bearer ${OPAQUE}`, `Authorization: Bearer ${REDACTED}`],
        ["a JSON header", `{"Authorization":"Bearer ${OPAQUE}"}`, `{"Authorization":"Bearer ${REDACTED}"}`],
        ["another scheme", `authorization=SharedKey acct:${OPAQUE}`, `authorization=SharedKey ${REDACTED}`],
        ["a bearer token alone", `token: bearer ${OPAQUE}.`, `token: bearer ${REDACTED}`],
        ["a JWT anywhere", `audience check failed for ${JWT} (expired)`, `audience check failed for ${REDACTED} (expired)`],
        [
            "a SAS URL's signature",
            "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2027-01-01&sig=abc%2Fdef%3D&sp=r",
            `https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2027-01-01&sig=${REDACTED}&sp=r`,
        ],
        ["a form body's client secret", `grant_type=client_credentials&client_secret=${OPAQUE}&scope=x`, `grant_type=client_credentials&client_secret=${REDACTED}&scope=x`],
        ["a JSON client secret", `{"clientId": "app", "clientSecret": "p@ss \\"quoted\\" word"}`, `{"clientId": "app", "clientSecret": "${REDACTED}"}`],
        ["a quoted secret", `password='hunter2 x'`, `password='${REDACTED}'`],
        ["a connection string's key", `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${OPAQUE}==;EndpointSuffix=core`, `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${REDACTED};EndpointSuffix=core`],
        ["an access token in JSON", `{"access_token":"${OPAQUE}","expires_in":3599}`, `{"access_token":"${REDACTED}","expires_in":3599}`],
        ["a cross-region restore's access token", `{"objectType":"WorkloadCrrAccessToken","accessTokenString":"${OPAQUE}"}`, `{"objectType":"WorkloadCrrAccessToken","accessTokenString":"${REDACTED}"}`],
    ])("%s", (_what, text, expected) => {
        expect(redact(text)).toBe(expected);
        expect(redact(expected)).toBe(expected); // redacting twice changes nothing
    });

    test.each([
        "The 'Authorization' header is not of the form 'Bearer <access token>'.",
        "AuthorizationFailed: The client does not have authorization to perform action 'Microsoft.RecoveryServices/vaults/backup/action'.",
        "backing up VM vm-web in vault rsv-prod: HTTP 500 InternalServerError: Injected fault: HTTP 500.",
        "job 6c2a9e0e-3f4e-4a0b-9d55-0c7a1c6e2b11 (vm-web) was still InProgress after 30 s",
        // Progress lines of VMs whose names are also the names of secrets.
        "21:40:02Z sig: snapshot Completed, transfer to vault InProgress: InProgress, job 6c2a9e0e",
        "21:40:02Z password: triggering the backup",
        "21:40:02Z bearer: failed: the VM is not protected in this vault",
    ])("words without a credential stay as they are: %s", (text) => {
        expect(redact(text)).toBe(text);
    });

    test("plain data: every string, at any depth; Dates stay Dates", () => {
        const at = new Date("2027-01-01T00:00:00Z");
        expect(redactDeep({ jobs: [{ at, errors: [{ message: `Bearer ${OPAQUE}`, recommendations: [`sig=${OPAQUE}`] }] }], n: 1 })).toEqual({
            jobs: [{ at, errors: [{ message: `Bearer ${REDACTED}`, recommendations: [`sig=${REDACTED}`] }] }],
            n: 1,
        });
    });
});

describe("BackupOperationError", () => {
    test("its message, stack and azureCode never hold what they were given", () => {
        const e = new BackupOperationError("AzureError", `reading job j: The client with Authorization 'Bearer ${JWT}' failed`, `Bearer ${OPAQUE}`, 400);
        expect(e.message).toBe(`reading job j: The client with Authorization 'Bearer ${REDACTED}' failed`);
        expect(e.stack).toContain(e.message);
        expect(`${e.stack} ${e.azureCode} ${JSON.stringify(e)}`).not.toMatch(/eyJ0eXAi|opaque-token/);
    });

    test("a job's error details from Azure are redacted where the job is read", () => {
        const job = toBackupJob({
            name: "j1",
            properties: {
                jobType: "AzureIaaSVMJob",
                errorDetails: [{ errorCode: 1, errorString: `token Bearer ${OPAQUE} refused`, recommendations: [`rotate client_secret=${OPAQUE}`] }],
            } as never,
        });
        expect(job.errors).toEqual([{ code: "1", message: `token Bearer ${REDACTED} refused`, recommendations: [`rotate client_secret=${REDACTED}`] }]);
    });
});

const VAULT_RG = "rg-backup";
const VAULT = "rsv-prod";
const VM_RG = "rg-app";
const running: FakeArm[] = [];
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});
async function fakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = await startFakeArm({ snapshotMs: 60, transferMs: 120, operationMs: 30, ...options });
    running.push(fake);
    return fake;
}

/** Every request of `method` whose path matches answers `status`, quoting its Authorization header. */
const echoing = (method: string, pathPattern: RegExp, status: number) => (r: { method: string; path: string }): Fault | undefined =>
    r.method === method && pathPattern.test(r.path) ? { kind: "status", status, code: "BMSUserErrorInvalidInput", echoAuthorization: true } : undefined;

const TRIGGER = /\/backup$/i;
const JOB = /\/backupJobs\/[^/]+$/i;
const JOBS = /\/backupJobs$/i;

describe("the library, against a Resource Manager that echoes the Authorization header", () => {
    const client = (fake: FakeArm, endpoint = fake.url) => fakeClient(fake, JWT, { endpoint });
    const failure = async (promise: Promise<unknown>) => {
        const e = await promise.then(
            () => undefined,
            (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(BackupOperationError);
        const error = e as BackupOperationError;
        const everything = `${error.message}\n${error.stack}\n${error.azureCode}\n${JSON.stringify(error)}`;
        expect(everything).not.toContain(JWT.slice(0, 40));
        expect(everything).not.toContain(JWT.split(".")[2]);
        return error;
    };

    test("backupNow", async () => {
        const fake = await fakeArm({ faults: echoing("POST", TRIGGER, 400) });
        const error = await failure(backupNow({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "vm-web") }, { client: client(fake), pollIntervalMs: 20 }));
        // The server did echo it: what reached the message is the redacted quote.
        expect(error.message).toBe(
            `backing up VM vm-web in vault ${VAULT}: HTTP 400 BMSUserErrorInvalidInput: The client with Authorization 'Bearer ${REDACTED}' failed: Injected fault: HTTP 400.`,
        );
        expect(fake.requests.filter((r) => r.method === "POST").map((r) => r.authorization)).toEqual([`Bearer ${JWT}`]);
    });

    test("getBackupJob, waitForBackupJob and listBackupJobs", async () => {
        const fake = await fakeArm({ faults: (r) => echoing("GET", JOB, 403)(r) ?? echoing("GET", JOBS, 400)(r) });
        const vaultId = fake.vaultId(VAULT_RG, VAULT);
        const get = await failure(getBackupJob({ vaultId, jobId: "00000000-0000-0000-0000-000000000001" }, { client: client(fake) }));
        expect(get.code).toBe("Forbidden");
        expect(get.message).toContain(`Authorization 'Bearer ${REDACTED}'`);
        const wait = await failure(waitForBackupJob({ vaultId, jobId: "00000000-0000-0000-0000-000000000001" }, { client: client(fake), pollIntervalMs: 20 }));
        expect(wait.message).toContain(`Authorization 'Bearer ${REDACTED}'`);
        const list = await failure(listBackupJobs({ vaultId }, {}, { client: client(fake) }));
        expect(list.message).toContain(`Authorization 'Bearer ${REDACTED}'`);
    });

    test("an endpoint written HTTPS:// in capitals is an https endpoint", async () => {
        const fake = await fakeArm();
        const { jobId } = await backupNow(
            { vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "vm-web") },
            { client: client(fake, fake.url.replace(/^https/, "HTTPS")), pollIntervalMs: 20 },
        );
        expect(fake.triggers.map((t) => t.jobId)).toEqual([jobId]);
    });
});

describe("the command, against a Resource Manager that echoes the Authorization header", () => {
    const WORK = path.join(__dirname, ".generated", "redaction");
    const cli = async (fake: FakeArm, args: string[], endpoint = fake.url) => {
        const { code, stdout, stderr } = await runCli([...args, "--endpoint", endpoint], childEnv(fake, WORK));
        return { code, out: `${stdout}\n${stderr}` };
    };
    const noToken = (r: { out: string }) => {
        expect(r.out).not.toContain(SENTINEL_TOKEN);
        expect(r.out).toContain(`Authorization 'Bearer ${REDACTED}'`);
    };

    test.each([[[]], [["--json"]]])("backup-now %j: the refusal is reported without the token", async (json) => {
        const fake = await fakeArm({ faults: echoing("POST", TRIGGER, 400) });
        const r = await cli(fake, ["backup-now", "--vault", fake.vaultId(VAULT_RG, VAULT), "--vm", fake.vmId(VM_RG, "vm-web"), "--poll-interval", "1s", ...json]);
        expect(r.code).toBe(1);
        noToken(r);
        // The fake did receive the token it echoed.
        expect(fake.requests.some((q) => q.authorization === `Bearer ${SENTINEL_TOKEN}`)).toBe(true);
    });

    test.each([
        ["list", [], "GET", JOBS],
        ["show", ["00000000-0000-0000-0000-000000000001"], "GET", JOB],
        ["wait", ["00000000-0000-0000-0000-000000000001", "--poll-interval", "1s"], "GET", JOB],
    ] as const)("jobs %s, text and --json", async (command, args, method, route) => {
        const fake = await fakeArm({ faults: echoing(method, route, 400) });
        for (const json of [[], ["--json"]]) {
            const r = await cli(fake, ["jobs", command, ...args, "--vault", fake.vaultId(VAULT_RG, VAULT), ...json]);
            expect(r.code).toBe(1);
            noToken(r);
        }
    });

    test("the command's last word on a failure is redacted too, whatever raised it", async () => {
        const fake = await fakeArm();
        // Not JSON: Node's parser quotes the start of the text in its message.
        const stack = path.join(WORK, "token-not-json.txt");
        fs.mkdirSync(WORK, { recursive: true });
        fs.writeFileSync(stack, `Bearer ${OPAQUE}`);
        const r = await cli(fake, ["jobs", "list", "--from-stack", stack]);
        expect(r.code).toBe(2);
        expect(r.out).toContain(`cannot read the stack outputs ${stack}: `);
        expect(r.out).toContain(`Bearer ${REDACTED}`);
        expect(r.out).not.toContain(OPAQUE);
    });

    test("--endpoint HTTPS://... is accepted", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["backup-now", "--vault", fake.vaultId(VAULT_RG, VAULT), "--vm", fake.vmId(VM_RG, "vm-web"), "--poll-interval", "1s"], fake.url.replace(/^https/, "HTTPS"));
        expect(r.code).toBe(0);
        expect(fake.triggers.map((t) => t.vm)).toEqual(["vm-web"]);
        const jobs = await cli(fake, ["jobs", "list", "--vault", fake.vaultId(VAULT_RG, VAULT), "--json"], fake.url.replace(/^https/, "HTTPS"));
        expect(JSON.parse(jobs.out).jobs.map((j: { jobId: string }) => j.jobId)).toEqual([fake.triggers[0].jobId]);
    });
});
