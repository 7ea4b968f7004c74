// The loopback fake of Azure Resource Manager (test/fake-arm/server.ts) driven by the real
// `@azure/arm-recoveryservicesbackup` client, so the library's tests and benchmark exercise the
// same requests, headers and payload shapes the SDK meets in Azure (Microsoft's examples and the
// recorded azure-cli session in test/fixtures/azure-rest). It also pins down what the
// SDK does on its own - its retries on 429/5xx/connection resets - which the library must allow for.
import * as crypto from "node:crypto";
import * as https from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import {
    RecoveryServicesBackupClient,
    type AzureIaaSVMJob,
    type JobResource,
    type RecoveryServicesBackupClientOptionalParams,
} from "@azure/arm-recoveryservicesbackup";
import { selfSignedCertificate, trustPolicy } from "./fake-arm/certificate";
import { startFakeArm, type FakeArm, type FakeArmOptions, type Fault } from "./fake-arm/server";

// ---- helpers ----

const credential = {
    getToken: async () => ({ token: "sentinel-token", expiresOnTimestamp: Date.now() + 3600_000 }),
};

const VAULT = "vault1";
const VAULT_RG = "vault-rg";
const VM_RG = "app-rg";
const container = (vm: string, rg = VM_RG) => `iaasvmcontainer;iaasvmcontainerv2;${rg};${vm}`;
const item = (vm: string, rg = VM_RG) => `vm;iaasvmcontainerv2;${rg};${vm}`;
const in30Days = () => new Date(Date.now() + 30 * 86_400_000);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const running: FakeArm[] = [];
async function fakeArm(options?: FakeArmOptions): Promise<FakeArm> {
    const fake = await startFakeArm(options);
    running.push(fake);
    return fake;
}
afterEach(async () => {
    await Promise.all(running.splice(0).map((fake) => fake.close()));
});

/** The real client, pointed at the fake and trusting its certificate. */
function sdk(fake: FakeArm, retryOptions?: RecoveryServicesBackupClientOptionalParams["retryOptions"]) {
    return new RecoveryServicesBackupClient(credential, fake.subscriptionId, { endpoint: fake.url, retryOptions, additionalPolicies: [trustPolicy(fake.ca)] });
}
/** Retries as the SDK does by default (3 retries), but without its 0.5-4 s back-off. */
const fastRetries = { retryDelayInMs: 1, maxRetryDelayInMs: 5 };

interface Accepted {
    status: number;
    asyncOperation: string;
    location: string;
    retryAfter: string | undefined;
    requestId: string | undefined;
}

/** `backups.trigger` (POST .../backup), returning what `onResponse` shows of the 202. */
async function trigger(client: RecoveryServicesBackupClient, vm: string, expiry = in30Days(), vmRg = VM_RG): Promise<Accepted> {
    let accepted: Accepted | undefined;
    await client.backups.trigger(
        VAULT,
        VAULT_RG,
        "Azure",
        container(vm, vmRg),
        item(vm, vmRg),
        { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: expiry } },
        {
            onResponse: (raw) => {
                accepted = {
                    status: raw.status,
                    // HttpHeaders.get is case-insensitive; Node hands the header names over lower-cased.
                    asyncOperation: raw.headers.get("azure-asyncoperation") ?? "",
                    location: raw.headers.get("Location") ?? "",
                    retryAfter: raw.headers.get("retry-after"),
                    requestId: raw.headers.get("x-ms-request-id"),
                };
            },
        },
    );
    if (!accepted) throw new Error("onResponse was not called");
    return accepted;
}

/** What `az` does: the operation id is the last path segment of Azure-AsyncOperation. */
const operationIdOf = (asyncOperation: string) => new URL(asyncOperation).pathname.split("/").pop() ?? "";

interface SdkError {
    name: string;
    code?: string;
    statusCode?: number;
    response?: { headers: { get(name: string): string | undefined }; bodyAsText?: string | null };
}
async function failure(promise: Promise<unknown>): Promise<SdkError> {
    try {
        await promise;
    } catch (e) {
        return e as SdkError;
    }
    throw new Error("expected the call to fail");
}

/** Reads until `done`, every `everyMs`, for at most `withinMs`; returns every value read. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, everyMs = 20, withinMs = 4000): Promise<T[]> {
    const seen: T[] = [];
    const deadline = Date.now() + withinMs;
    for (let i = 0; i < 10_000; i++) {
        const value = await read();
        seen.push(value);
        if (done(value)) return seen;
        if (Date.now() > deadline) break;
        await delay(everyMs);
    }
    throw new Error(`poll: not done within ${withinMs} ms (last: ${JSON.stringify(seen[seen.length - 1])})`);
}

interface RawResponse {
    status: number;
    headers: IncomingHttpHeaders;
    text: string;
    json: any;
}
/** A plain HTTPS request, for what the SDK cannot send (bad bodies, no token, odd casing). */
function raw(
    fake: FakeArm,
    method: string,
    path: string,
    options: { body?: string; authorization?: string | null } = {},
): Promise<RawResponse> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const authorization = options.authorization === undefined ? "Bearer sentinel-token" : options.authorization;
    if (authorization !== null) headers.authorization = authorization;
    return new Promise((resolve, reject) => {
        const req = https.request(new URL(path, fake.url), { method, ca: fake.ca, agent: false, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let json: any;
                try {
                    json = text ? JSON.parse(text) : undefined;
                } catch {
                    json = undefined;
                }
                resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
            });
        });
        req.on("error", reject);
        req.end(options.body);
    });
}

const vaultPath = (fake: FakeArm) =>
    `/subscriptions/${fake.subscriptionId}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${VAULT}`;
const triggerPath = (fake: FakeArm, vm: string) =>
    `${vaultPath(fake)}/backupFabrics/Azure/protectionContainers/${container(vm)}/protectedItems/${item(vm)}/backup?api-version=2026-02-01`;

/** The phases and status of a job as (Take Snapshot, Transfer data to vault, job status). */
function phasesOf(job: JobResource): [string, string, string] {
    const props = job.properties as AzureIaaSVMJob;
    const task = (id: string) => props.extendedInfo?.tasksList?.find((t) => t.taskId === id)?.status ?? "?";
    return [task("Take Snapshot"), task("Transfer data to vault"), props.status ?? "?"];
}

/** `yyyy-MM-dd hh:mm:ss AM/PM` in UTC, the job-list filter's time format. */
function filterTime(ms: number): string {
    const d = new Date(ms);
    const two = (n: number) => String(n).padStart(2, "0");
    const h = d.getUTCHours();
    return (
        `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
        `${two(h % 12 === 0 ? 12 : h % 12)}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`
    );
}

const ISO_DURATION = /^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---- tests ----

describe("selfSignedCertificate", () => {
    it("is an ECDSA certificate for 127.0.0.1 and localhost, signed by its own key, made once per process", () => {
        const first = selfSignedCertificate();
        const x509 = new crypto.X509Certificate(first.cert);
        expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
        expect(x509.checkHost("localhost")).toBe("localhost");
        expect(x509.subject).toContain("CN=127.0.0.1");
        expect(x509.verify(x509.publicKey)).toBe(true);
        expect(x509.checkPrivateKey(crypto.createPrivateKey(first.key))).toBe(true);
        expect(Date.parse(x509.validFrom)).toBeLessThan(Date.now());
        expect(Date.parse(x509.validTo)).toBeGreaterThan(Date.now() + 86_400_000);
        expect(selfSignedCertificate()).toEqual(first);
    });
});

describe("fake ARM, driven by the real @azure/arm-recoveryservicesbackup client", () => {
    it("accepts a trigger with 202 and the async-operation headers, then reports the operation until it names the job", async () => {
        const fake = await fakeArm({ operationMs: 150 });
        const client = sdk(fake);
        const expiry = in30Days();
        const accepted = await client.backups
            .trigger(
                VAULT,
                VAULT_RG,
                "Azure",
                "IaasVMContainer;iaasvmcontainerv2;App-RG;Web-01", // Microsoft's examples mix cases
                "VM;iaasvmcontainerv2;App-RG;Web-01",
                { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: expiry } },
                {
                    onResponse: (response) => {
                        expect(response.status).toBe(202);
                        expect(response.bodyAsText ?? "").toBe("");
                        expect(response.headers.get("x-ms-request-id")).toMatch(UUID);
                        expect(response.headers.get("content-type")).toMatch(/^application\/json/);
                        const itemUrl =
                            `${fake.url}${vaultPath(fake)}/backupFabrics/Azure/protectionContainers/` +
                            "IaasVMContainer;iaasvmcontainerv2;App-RG;Web-01/protectedItems/VM;iaasvmcontainerv2;App-RG;Web-01";
                        const asyncOperation = response.headers.get("Azure-AsyncOperation") ?? "";
                        expect(asyncOperation.startsWith(`${itemUrl}/operationsStatus/`)).toBe(true);
                        expect(asyncOperation).toMatch(/\?api-version=2023-06-01$/); // the SDK's own api-version, echoed
                        const opId = operationIdOf(asyncOperation);
                        expect(opId).toMatch(UUID);
                        expect(response.headers.get("location")).toBe(`${itemUrl}/operationResults/${opId}?api-version=2023-06-01`);
                        expect(response.headers.get("retry-after")).toBe("1");
                    },
                },
            )
            .then(() => fake.requests[fake.requests.length - 1]);
        expect(accepted.method).toBe("POST");
        expect(accepted.authorization).toBe("Bearer sentinel-token");
        expect(fake.triggers).toEqual([
            { vm: "Web-01", vaultName: VAULT, resourceGroup: VAULT_RG, at: expect.any(Number), expiry: expiry.toISOString(), jobId: expect.stringMatching(UUID) },
        ]);

        // Poll the vault-level operation status, as `az backup protection backup-now` does.
        const { asyncOperation } = await trigger(client, "web-02");
        const opId = operationIdOf(asyncOperation);
        const statuses = await poll(() => client.backupOperationStatuses.get(VAULT, VAULT_RG, opId), (s) => s.status !== "InProgress");
        expect(statuses.length).toBeGreaterThan(1);
        expect(statuses[0]).toMatchObject({ id: opId, name: opId, status: "InProgress" });
        expect(statuses[0].properties).toBeUndefined();
        expect(statuses[0].endTime?.getUTCFullYear()).toBe(1); // "0001-01-01T00:00:00" while running, as recorded
        const done = statuses[statuses.length - 1];
        expect(done.status).toBe("Succeeded");
        expect(done.endTime!.getTime()).toBeGreaterThanOrEqual(done.startTime!.getTime());
        expect(done.properties).toEqual({ objectType: "OperationStatusJobExtendedInfo", jobId: fake.triggers[1].jobId });

        // The item-scoped URL from the header answers the same.
        const itemScoped = await client.protectedItemOperationStatuses.get(VAULT, VAULT_RG, "Azure", container("web-02"), item("web-02"), opId);
        expect(itemScoped).toEqual(done);
        await expect(
            client.protectedItemOperationResults.get(VAULT, VAULT_RG, "Azure", container("web-02"), item("web-02"), opId),
        ).resolves.toBeDefined();
        await expect(failure(client.backupOperationStatuses.get(VAULT, VAULT_RG, crypto.randomUUID()))).resolves.toMatchObject({
            statusCode: 404,
            code: "ResourceNotFound",
        });
    });

    it("runs each job through Take Snapshot then Transfer data to vault, with the status of Microsoft's phase table", async () => {
        const fake = await fakeArm({
            snapshotMs: 250,
            transferMs: 350,
            outcomes: {
                "vm-ok": { snapshot: "Completed", transfer: "Completed" },
                "vm-warn": { snapshot: "Completed", transfer: "Failed" },
                "vm-skip": { snapshot: "Completed", transfer: "Skipped" },
                "VM-Fail": { snapshot: "Failed", transfer: "Completed" }, // a failed snapshot fails the transfer too
            },
        });
        const client = sdk(fake);
        const vms = ["vm-ok", "vm-warn", "vm-skip", "vm-fail"];
        for (const vm of vms) await trigger(client, vm);
        const jobIds = new Map(fake.triggers.map((t) => [t.vm, t.jobId]));

        const runs = await Promise.all(
            vms.map((vm) =>
                poll(
                    () => client.jobDetails.get(VAULT, VAULT_RG, jobIds.get(vm)!),
                    (job) => job.properties?.status !== "InProgress",
                    15,
                ),
            ),
        );
        const seen = (i: number) => [...new Set(runs[i].map((job) => phasesOf(job).join(" + ")))];
        const start = "InProgress + NotStarted + InProgress";
        const transferring = "Completed + InProgress + InProgress";
        expect(seen(0)).toEqual([start, transferring, "Completed + Completed + Completed"]);
        expect(seen(1)).toEqual([start, transferring, "Completed + Failed + CompletedWithWarnings"]);
        expect(seen(2)).toEqual([start, transferring, "Completed + Skipped + Completed"]);
        expect(seen(3)).toEqual([start, "Failed + Failed + Failed"]);

        const running = runs[0][0].properties as AzureIaaSVMJob;
        expect(running.endTime).toBeUndefined();
        expect(running.actionsInfo).toEqual([1]); // numeric, as the service sends it; the SDK passes it through
        const finished = runs.map((run) => run[run.length - 1]);
        for (const [i, job] of finished.entries()) {
            const props = job.properties as AzureIaaSVMJob;
            expect(job.name).toBe(jobIds.get(vms[i]));
            expect(job.type).toBe("Microsoft.RecoveryServices/vaults/backupJobs");
            expect(job.id).toBe(`${vaultPath(fake)}/backupJobs/${job.name}`);
            expect(props).toMatchObject({
                jobType: "AzureIaaSVMJob",
                entityFriendlyName: vms[i],
                backupManagementType: "AzureIaasVM",
                operation: "Backup",
                isUserTriggered: true,
                virtualMachineVersion: "Compute",
                containerName: `iaasvmcontainerv2;${VM_RG};${vms[i]}`,
            });
            expect(props.duration).toMatch(ISO_DURATION);
            expect(props.endTime!.getTime()).toBeGreaterThan(props.startTime!.getTime());
            expect(props.extendedInfo?.propertyBag?.["VM Name"]).toBe(vms[i]);
            expect(props.extendedInfo?.tasksList?.map((t) => t.taskId)).toEqual(["Take Snapshot", "Transfer data to vault"]);
            for (const task of props.extendedInfo?.tasksList ?? []) expect(task.duration).toMatch(ISO_DURATION);
        }
        const errorOf = (job: JobResource) => (job.properties as AzureIaaSVMJob).errorDetails;
        expect(errorOf(finished[0])).toBeUndefined();
        expect(errorOf(finished[2])).toBeUndefined();
        expect(errorOf(finished[1])).toEqual([
            expect.objectContaining({ errorCode: "BackUpOperationFailedV2", errorString: expect.any(String), recommendations: expect.any(Array) }),
        ]);
        expect(errorOf(finished[3])).toEqual([
            expect.objectContaining({ errorCode: "UserErrorGuestAgentStatusUnavailable", errorString: expect.any(String) }),
        ]);
        expect((finished[0].properties as AzureIaaSVMJob).extendedInfo?.propertyBag?.["Backup Size"]).toMatch(/^\d+ MB$/);
    });

    it("refuses a second trigger while the VM's snapshot is running, but not during its transfer", async () => {
        const fake = await fakeArm({ snapshotMs: 300, transferMs: 5000 });
        const client = sdk(fake, { maxRetries: 0 });
        await trigger(client, "vm-a");
        const busy = await failure(trigger(client, "vm-a"));
        expect(busy).toMatchObject({ name: "RestError", statusCode: 400, code: "UserErrorBackupOperationInProgress" });
        await trigger(client, "vm-b"); // another VM is not blocked
        await poll(
            () => client.jobDetails.get(VAULT, VAULT_RG, fake.triggers[0].jobId),
            (job) => phasesOf(job)[0] === "Completed",
        );
        await trigger(client, "vm-a"); // one backup per phase may run in parallel
        expect(fake.triggers.map((t) => t.vm)).toEqual(["vm-a", "vm-b", "vm-a"]);
    });

    it("answers bad triggers, unprotected VMs and the daily limit with ARM error bodies", async () => {
        const fake = await fakeArm({ protectedVms: ["vm-1"], dailyOnDemandLimit: 2, snapshotMs: 0 });
        const client = sdk(fake, { maxRetries: 0 });
        const post = (body: unknown, vm = "vm-1") =>
            raw(fake, "POST", triggerPath(fake, vm), { body: typeof body === "string" ? body : JSON.stringify(body) });
        const future = in30Days().toISOString();

        for (const body of [
            { properties: { objectType: "AzureFileShareBackupRequest", recoveryPointExpiryTimeInUTC: future } },
            { properties: { objectType: "IaasVMBackupRequest" } },
            { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: "next tuesday" } },
            { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: new Date(Date.now() - 60_000).toISOString() } },
            {},
            "{ not json",
        ]) {
            const res = await post(body);
            expect(res.status).toBe(400);
            expect(res.headers["content-type"]).toMatch(/^application\/json/);
            expect(res.headers["x-ms-request-id"]).toMatch(UUID);
            expect(res.json).toEqual({ error: { code: "BMSUserErrorInvalidInput", message: expect.any(String) } });
        }
        const mismatch = await raw(
            fake,
            "POST",
            `${vaultPath(fake)}/backupFabrics/Azure/protectionContainers/${container("vm-1")}/protectedItems/${item("vm-2")}/backup?api-version=2026-02-01`,
            { body: JSON.stringify({ properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: future } }) },
        );
        expect(mismatch.json.error.code).toBe("BMSUserErrorInvalidInput");

        await expect(failure(trigger(client, "vm-2"))).resolves.toMatchObject({ statusCode: 400, code: "BMSUserErrorDataSourceObjectNotFound" });
        await trigger(client, "vm-1");
        await trigger(client, "VM-1");
        await expect(failure(trigger(client, "vm-1"))).resolves.toMatchObject({ statusCode: 400, code: "CloudDosAbsoluteLimitReached" });
        expect(fake.triggers).toHaveLength(2);

        await expect(failure(client.jobDetails.get(VAULT, VAULT_RG, crypto.randomUUID()))).resolves.toMatchObject({
            statusCode: 404,
            code: "ResourceNotFound",
        });
        const noApiVersion = await raw(fake, "GET", `${vaultPath(fake)}/backupJobs`);
        expect([noApiVersion.status, noApiVersion.json.error.code]).toEqual([400, "MissingApiVersionParameter"]);
        const otherSubscription = await raw(fake, "GET", `${vaultPath(fake).replace(fake.subscriptionId, crypto.randomUUID())}/backupJobs?api-version=2026-02-01`);
        expect([otherSubscription.status, otherSubscription.json.error.code]).toEqual([404, "SubscriptionNotFound"]);
    });

    it("matches paths case-insensitively and accepts any api-version", async () => {
        const fake = await fakeArm();
        const loud = triggerPath(fake, "vm-1").replace("/providers/Microsoft.RecoveryServices/vaults/", "/PROVIDERS/microsoft.recoveryservices/VAULTS/")
            .replace("/backupFabrics/Azure/protectionContainers/", "/BACKUPFABRICS/azure/PROTECTIONCONTAINERS/")
            .replace("api-version=2026-02-01", "api-version=2016-12-01");
        const body = JSON.stringify({ properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: in30Days().toISOString() } });
        const accepted = await raw(fake, "POST", loud.replace("iaasvmcontainer;iaasvmcontainerv2;", "IaaSVMContainer;IaaSVMContainerV2;"), { body });
        expect(accepted.status).toBe(202);
        expect(accepted.text).toBe("");
        expect(accepted.headers["azure-asyncoperation"]).toMatch(/\?api-version=2016-12-01$/);
        const opId = operationIdOf(String(accepted.headers["azure-asyncoperation"]));
        const status = await raw(fake, "GET", `${vaultPath(fake).toUpperCase()}/BACKUPOPERATIONS/${opId.toUpperCase()}?API-VERSION=1999-01-01`);
        expect(status.status).toBe(200);
        expect(status.json).toMatchObject({ id: opId, name: opId });
    });

    it("lists jobs newest first without extendedInfo, 50 a page with a $skipToken nextLink, filtered as documented", async () => {
        const fake = await fakeArm({ snapshotMs: 60_000, protectedVms: "all" });
        const client = sdk(fake);
        const vms = Array.from({ length: 60 }, (_, i) => `vm-${String(i).padStart(2, "0")}`);
        for (const vm of vms) await trigger(client, vm);
        const newestFirst = fake.triggers.map((t) => t.jobId).reverse();

        const urls: string[] = [];
        const pages: JobResource[][] = [];
        const filter = "status eq 'InProgress' and operation eq 'Backup' and backupManagementType eq 'AzureIaasVM'";
        for await (const page of client.backupJobs.list(VAULT, VAULT_RG, { filter, onResponse: (r) => urls.push(r.request.url) }).byPage()) {
            pages.push(page);
        }
        expect(pages.map((p) => p.length)).toEqual([50, 10]);
        expect(pages.flat().map((job) => job.name)).toEqual(newestFirst);
        expect(pages.flat().every((job) => (job.properties as AzureIaaSVMJob).extendedInfo === undefined)).toBe(true);
        expect(pages[0][0].properties).toMatchObject({ jobType: "AzureIaaSVMJob", status: "InProgress", entityFriendlyName: "vm-59" });
        expect(urls).toHaveLength(2);
        const next = new URL(urls[1]);
        expect(next.searchParams.get("$skipToken")).toBeTruthy();
        expect(next.searchParams.get("$filter")).toBe(filter);
        expect(next.searchParams.get("api-version")).toBe("2023-06-01");

        const count = async (f: string) => {
            let n = 0;
            for await (const _job of client.backupJobs.list(VAULT, VAULT_RG, { filter: f })) n++;
            return n;
        };
        const first = fake.triggers[0].at;
        const last = fake.triggers[fake.triggers.length - 1].at;
        expect(await count("status eq 'Completed'")).toBe(0);
        expect(await count("status eq 'inprogress'")).toBe(60);
        expect(await count(`startTime eq '${filterTime(first - 1000)}' and endTime eq '${filterTime(last + 1000)}'`)).toBe(60);
        expect(await count(`startTime eq '${filterTime(last + 2000)}'`)).toBe(0);
        expect(await count(`endTime eq '${filterTime(first - 2000)}'`)).toBe(0);
        // Microsoft's ListJobsWithAllSupportedFilters example, verbatim filter: a past window, so nothing.
        expect(
            await count("startTime eq '2016-01-01 00:00:00 AM' and endTime eq '2017-11-29 00:00:00 AM' and operation eq 'Backup' and backupManagementType eq 'AzureIaasVM' and status eq 'InProgress'"),
        ).toBe(0);
        await expect(failure(count("vmName eq 'vm-01'"))).resolves.toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidInput" });
        await expect(failure(count("startTime eq 'yesterday'"))).resolves.toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidInput" });
    });

    it("throttles triggers with the write bucket: 429, an integer Retry-After >= 1, an ARM error, nothing processed", async () => {
        const fake = await fakeArm({ writeRate: { perSecond: 2, burst: 2 }, snapshotMs: 0 });
        const noRetries = sdk(fake, { maxRetries: 0 });
        await trigger(noRetries, "vm-1");
        await trigger(noRetries, "vm-2");
        const throttled = await failure(trigger(noRetries, "vm-3"));
        expect(throttled).toMatchObject({ name: "RestError", statusCode: 429, code: "SubscriptionRequestsThrottled" });
        expect(throttled.response?.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
        // Resource Manager's marks of its own throttling: answered before routing, no writes left.
        expect(throttled.response?.headers.get("x-ms-failure-cause")).toBe("gateway");
        expect(throttled.response?.headers.get("x-ms-ratelimit-remaining-subscription-writes")).toBe("0");
        expect(JSON.parse(throttled.response?.bodyAsText ?? "")).toEqual({ error: { code: "SubscriptionRequestsThrottled", message: expect.any(String) } });
        expect(fake.triggers.map((t) => t.vm)).toEqual(["vm-1", "vm-2"]);

        // With its default policy the SDK sleeps Retry-After itself and tries again: the pause between
        // its two sends, as the fake received them.
        await trigger(sdk(fake), "vm-4");
        const sends = fake.requests.filter((r) => r.method === "POST" && r.path.endsWith(`${item("vm-4")}/backup`));
        expect(sends).toHaveLength(2);
        expect(sends[1].at - sends[0].at).toBeGreaterThanOrEqual(900);
        expect(fake.triggers.map((t) => t.vm)).toEqual(["vm-1", "vm-2", "vm-4"]);
    });

    it("throttles reads with the read bucket, apart from writes: 429 with Retry-After and no reads left, remaining reads on what it admits", async () => {
        const fake = await fakeArm({ readRate: { perSecond: 2, burst: 2 }, writeRate: { perSecond: 1, burst: 1 }, snapshotMs: 0 });
        const noRetries = sdk(fake, { maxRetries: 0 });
        await trigger(noRetries, "vm-1");
        const jobId = fake.triggers[0].jobId;
        const remaining: (string | undefined)[] = [];
        const read = () =>
            noRetries.jobDetails.get(VAULT, VAULT_RG, jobId, { onResponse: (raw) => remaining.push(raw.headers.get("x-ms-ratelimit-remaining-subscription-reads")) });
        await read();
        await read();
        expect(remaining).toEqual(["1", "0"]);
        const throttled = await failure(read());
        expect(throttled).toMatchObject({ name: "RestError", statusCode: 429, code: "SubscriptionRequestsThrottled" });
        expect(throttled.response?.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
        expect(throttled.response?.headers.get("x-ms-failure-cause")).toBe("gateway");
        expect(throttled.response?.headers.get("x-ms-ratelimit-remaining-subscription-reads")).toBe("0");
        expect(throttled.response?.headers.get("x-ms-ratelimit-remaining-subscription-writes")).toBeUndefined();
        expect(JSON.parse(throttled.response?.bodyAsText ?? "")).toEqual({ error: { code: "SubscriptionRequestsThrottled", message: expect.stringContaining("read requests") } });
        // The write bucket is its own: its one token went to the trigger, and reads took none of it.
        const writeThrottled = await failure(trigger(noRetries, "vm-2"));
        expect(writeThrottled.response?.headers.get("x-ms-ratelimit-remaining-subscription-writes")).toBe("0");
        expect(fake.throttling.map((t) => `${t.bucket} ${t.admitted}`)).toEqual(["writes true", "reads true", "reads true", "reads false", "writes false"]);
        expect(fake.triggers.map((t) => t.vm)).toEqual(["vm-1"]);
    });

    it("throttles nothing and records nothing unless a bucket is asked for; no remaining-reads header then", async () => {
        const fake = await fakeArm({ snapshotMs: 0 });
        const client = sdk(fake, { maxRetries: 0 });
        await trigger(client, "vm-1");
        const headers: (string | undefined)[] = [];
        for (let i = 0; i < 30; i++) {
            await client.jobDetails.get(VAULT, VAULT_RG, fake.triggers[0].jobId, { onResponse: (raw) => headers.push(raw.headers.get("x-ms-ratelimit-remaining-subscription-reads")) });
        }
        expect(headers).toEqual(Array(30).fill(undefined));
        expect(fake.throttling).toEqual([]);
    });

    describe("the SDK's own retries (default count, short back-off), counted with the faults hook", () => {
        const cases: { name: string; method: "POST" | "GET"; fault: Fault; attempts: number; status?: number; code: string }[] = [
            { name: "POST 503", method: "POST", fault: { kind: "status", status: 503 }, attempts: 4, status: 503, code: "ServiceUnavailable" },
            { name: "POST 500", method: "POST", fault: { kind: "status", status: 500 }, attempts: 4, status: 500, code: "InternalServerError" },
            { name: "POST 429 with Retry-After", method: "POST", fault: { kind: "status", status: 429, retryAfterSeconds: 0 }, attempts: 4, status: 429, code: "TooManyRequests" },
            { name: "POST 429 without Retry-After", method: "POST", fault: { kind: "status", status: 429 }, attempts: 1, status: 429, code: "TooManyRequests" },
            { name: "POST 400", method: "POST", fault: { kind: "status", status: 400, code: "BMSUserErrorInvalidInput" }, attempts: 1, status: 400, code: "BMSUserErrorInvalidInput" },
            { name: "POST reset before processing", method: "POST", fault: { kind: "reset", when: "before-processing" }, attempts: 4, code: "ECONNRESET" },
            { name: "POST malformed 202", method: "POST", fault: { kind: "malformed" }, attempts: 1, status: 202, code: "PARSE_ERROR" },
            { name: "GET 503", method: "GET", fault: { kind: "status", status: 503 }, attempts: 4, status: 503, code: "ServiceUnavailable" },
            { name: "GET reset before processing", method: "GET", fault: { kind: "reset", when: "before-processing" }, attempts: 4, code: "ECONNRESET" },
            { name: "GET malformed 200", method: "GET", fault: { kind: "malformed" }, attempts: 1, status: 200, code: "PARSE_ERROR" },
        ];
        it.each(cases)("$name -> $attempts attempt(s), then $code", async ({ method, fault, attempts, status, code }) => {
            const seen: number[] = [];
            const fake = await fakeArm({
                faults: (r) => {
                    if (r.method !== method) return undefined;
                    seen.push(r.attempt);
                    return fault;
                },
            });
            const client = sdk(fake, fastRetries);
            const call = method === "POST" ? trigger(client, "vm-1") : client.jobDetails.get(VAULT, VAULT_RG, crypto.randomUUID());
            const error = await failure(call);
            expect(error).toMatchObject({ name: "RestError", code, ...(status ? { statusCode: status } : {}) });
            expect(seen).toEqual(Array.from({ length: attempts }, (_, i) => i + 1));
            expect(fake.triggers).toHaveLength(0); // a fault before processing never starts a job
        });
    });

    it("a reset after processing: the job started, the client saw no 202, and the SDK's retry of the POST makes it worse", async () => {
        // 1. Without retries: the trigger fails with ECONNRESET, yet the job exists and is listed.
        const fake = await fakeArm({
            snapshotMs: 5000,
            faults: (r) => (r.method === "POST" && r.attempt === 1 ? { kind: "reset", when: "after-processing" } : undefined),
        });
        const lost = await failure(trigger(sdk(fake, { maxRetries: 0 }), "vm-1"));
        expect(lost).toMatchObject({ name: "RestError", code: "ECONNRESET" });
        expect(fake.triggers).toHaveLength(1);
        const listed = [];
        for await (const job of sdk(fake).backupJobs.list(VAULT, VAULT_RG, { filter: "status eq 'InProgress'" })) listed.push(job);
        expect(listed.map((job) => [job.name, job.properties?.entityFriendlyName])).toEqual([[fake.triggers[0].jobId, "vm-1"]]);

        // 2. With the SDK's retries, the re-sent POST meets the running snapshot: a 400 for a backup that started.
        const busy = await fakeArm({
            snapshotMs: 5000,
            faults: (r) => (r.method === "POST" && r.attempt === 1 ? { kind: "reset", when: "after-processing" } : undefined),
        });
        const refused = await failure(trigger(sdk(busy, fastRetries), "vm-1"));
        expect(refused).toMatchObject({ statusCode: 400, code: "UserErrorBackupOperationInProgress" });
        expect(busy.triggers).toHaveLength(1);

        // 3. ...or, once the snapshot is over, a second backup job: the retry is not idempotent.
        const twice = await fakeArm({
            snapshotMs: 0,
            faults: (r) => (r.method === "POST" && r.attempt === 1 ? { kind: "reset", when: "after-processing" } : undefined),
        });
        await trigger(sdk(twice, fastRetries), "vm-1");
        expect(twice.triggers.map((t) => t.vm)).toEqual(["vm-1", "vm-1"]);
        expect(new Set(twice.triggers.map((t) => t.jobId)).size).toBe(2);
    });

    describe("each fault before or after processing: after it, the backup has started all the same", () => {
        const cases: { name: string; fault: Fault; status?: number; code: string }[] = [
            { name: "503 with Retry-After", fault: { kind: "status", status: 503, retryAfterSeconds: 1 }, status: 503, code: "ServiceUnavailable" },
            { name: "429 from the service", fault: { kind: "status", status: 429, retryAfterSeconds: 1 }, status: 429, code: "TooManyRequests" },
            { name: "500", fault: { kind: "status", status: 500 }, status: 500, code: "InternalServerError" },
            { name: "malformed 202", fault: { kind: "malformed" }, status: 202, code: "PARSE_ERROR" },
            { name: "reset", fault: { kind: "reset", when: "before-processing" }, code: "ECONNRESET" },
        ];
        it.each(cases)("$name", async ({ fault, status, code }) => {
            for (const when of ["before-processing", "after-processing"] as const) {
                const fake = await fakeArm({ faults: (r) => (r.method === "POST" ? ({ ...fault, when } as Fault) : undefined) });
                const error = await failure(trigger(sdk(fake, { maxRetries: 0 }), "vm-1"));
                expect(error).toMatchObject({ name: "RestError", code, ...(status ? { statusCode: status } : {}) });
                expect(error.response?.headers.get("x-ms-failure-cause") ?? undefined).toBeUndefined();
                expect(fake.triggers.map((t) => t.vm)).toEqual(when === "after-processing" ? ["vm-1"] : []);
            }
        });

        it("a status fault marked gateway carries x-ms-failure-cause: gateway (and, for a 429, no writes left)", async () => {
            const fake = await fakeArm({ faults: (r) => (r.method === "POST" ? { kind: "status", status: 429, retryAfterSeconds: 1, gateway: true } : undefined) });
            const error = await failure(trigger(sdk(fake, { maxRetries: 0 }), "vm-1"));
            expect(error.response?.headers.get("x-ms-failure-cause")).toBe("gateway");
            expect(error.response?.headers.get("x-ms-ratelimit-remaining-subscription-writes")).toBe("0");
            expect(fake.triggers).toEqual([]);
        });

        it("a stall never answers, before or after processing, until the client gives up", async () => {
            for (const when of ["before-processing", "after-processing"] as const) {
                const fake = await fakeArm({ faults: (r) => (r.method === "POST" ? { kind: "stall", when } : undefined) });
                const started = Date.now();
                const error = await failure(
                    sdk(fake, { maxRetries: 0 }).backups.trigger(VAULT, VAULT_RG, "Azure", container("vm-1"), item("vm-1"), { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: in30Days() } }, { abortSignal: AbortSignal.timeout(300) }),
                );
                expect(error.name).toBe("AbortError");
                expect(Date.now() - started).toBeGreaterThanOrEqual(280);
                expect(fake.triggers.map((t) => t.vm)).toEqual(when === "after-processing" ? ["vm-1"] : []);
            }
        });
    });

    it("jobListLagMs leaves a job out of lists for that long after its trigger; a GET by id finds it at once", async () => {
        const fake = await fakeArm({ jobListLagMs: 300 });
        const client = sdk(fake);
        await trigger(client, "vm-1");
        const jobId = fake.triggers[0].jobId;
        const list = async () => {
            const names: string[] = [];
            for await (const job of client.backupJobs.list(VAULT, VAULT_RG)) names.push(job.name ?? "");
            return names;
        };
        expect(await list()).toEqual([]);
        expect((await client.jobDetails.get(VAULT, VAULT_RG, jobId)).name).toBe(jobId);
        await delay(320);
        expect(await list()).toEqual([jobId]);
    });

    it("neverEnding: jobs that stay in their snapshot, operations that stay in progress; other VMs as usual", async () => {
        const fake = await fakeArm({ snapshotMs: 10, transferMs: 10, operationMs: 10, neverEnding: { jobs: ["vm-stuck"], operations: ["VM-SLOW"] } });
        const client = sdk(fake);
        const slow = await trigger(client, "vm-slow");
        await trigger(client, "vm-stuck");
        await trigger(client, "vm-ok");
        await delay(100);
        const [slowJob, stuckJob, okJob] = fake.triggers.map((t) => t.jobId);
        expect((await client.backupOperationStatuses.get(VAULT, VAULT_RG, operationIdOf(slow.asyncOperation))).status).toBe("InProgress");
        expect(phasesOf(await client.jobDetails.get(VAULT, VAULT_RG, stuckJob))).toEqual(["InProgress", "NotStarted", "InProgress"]);
        expect(phasesOf(await client.jobDetails.get(VAULT, VAULT_RG, slowJob))).toEqual(["Completed", "Completed", "Completed"]);
        expect(phasesOf(await client.jobDetails.get(VAULT, VAULT_RG, okJob))).toEqual(["Completed", "Completed", "Completed"]);
    });

    it("requires a bearer token unless told otherwise, and records every request", async () => {
        const fake = await fakeArm();
        const jobUrl = `${vaultPath(fake)}/backupJobs/${crypto.randomUUID()}?api-version=2026-02-01`;
        const anonymous = await raw(fake, "GET", jobUrl, { authorization: null });
        expect(anonymous.status).toBe(401);
        expect(anonymous.json).toEqual({ error: { code: "AuthenticationFailed", message: expect.any(String) } });
        expect(anonymous.headers["www-authenticate"]).toMatch(/^Bearer /);
        expect(anonymous.headers["x-ms-request-id"]).toMatch(UUID);
        expect(anonymous.headers["content-type"]).toMatch(/^application\/json/);
        const basic = await raw(fake, "GET", jobUrl, { authorization: "Basic dXNlcjpwYXNz" });
        expect([basic.status, basic.json.error.code]).toEqual([401, "InvalidAuthenticationToken"]);
        const bearer = await raw(fake, "GET", jobUrl);
        expect([bearer.status, bearer.json.error.code]).toEqual([404, "ResourceNotFound"]);
        expect(fake.requests.map((r) => [r.method, r.authorization])).toEqual([
            ["GET", undefined],
            ["GET", "Basic dXNlcjpwYXNz"],
            ["GET", "Bearer sentinel-token"],
        ]);
        expect(fake.requests[0].path).toBe(jobUrl.split("?")[0]);

        const open = await fakeArm({ requireBearer: false });
        expect((await raw(open, "GET", jobUrl.replace(fake.subscriptionId, open.subscriptionId), { authorization: null })).status).toBe(404);
    });

    it("adds latencyMs to every response", async () => {
        const fake = await fakeArm({ latencyMs: 150 });
        const started = Date.now();
        const res = await raw(fake, "GET", `${vaultPath(fake)}/backupJobs?api-version=2026-02-01`);
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ value: [] });
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it("close() ends kept-alive connections and in-flight responses, and stops listening", async () => {
        const fake = await fakeArm({ latencyMs: 20_000 });
        const client = sdk(fake, { maxRetries: 0 });
        const open = await fakeArm();
        await trigger(sdk(open), "vm-1"); // leaves a kept-alive socket behind in the client's agent
        const inFlight = failure(client.jobDetails.get(VAULT, VAULT_RG, crypto.randomUUID()));
        await delay(50);
        const started = Date.now();
        await Promise.all([fake.close(), open.close(), open.close()]);
        expect(Date.now() - started).toBeLessThan(10_000); // not the 20 s the answer in flight would take
        await expect(inFlight).resolves.toMatchObject({ name: "RestError" });
        await expect(raw(fake, "GET", "/")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    });
});
