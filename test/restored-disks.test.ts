// The disks a restore created, told by the configuration file it leaves in the staging account:
// the file's format as Microsoft's procedure reads it, and getRestoredDisks through the Blob SDK
// against the fake's storage (its retries, refusals, and where a credential may be sent).
import { BackupOperationError, InvalidArgumentError, getRestoredDisks, restoreVm, waitForBackupJob } from "pulumi-azure-vm-backup";
import { decodeRestoreConfig, disksInRestoreConfig, readRestoredDisks } from "../src/on-demand/restore-config";
import { startFakeArm, type FakeArm, type FakeArmOptions } from "./fake-arm/server";
import { fakeClient } from "./fake-arm/client";

const SUB = "00000000-0000-0000-0000-0000000000ab";
const TARGET_RG = `/subscriptions/${SUB}/resourceGroups/rg-restore`;
const STAGING = `/subscriptions/${SUB}/resourceGroups/rg-restore/providers/Microsoft.Storage/storageAccounts/ststaging`;
const TOKEN = "sentinel-token-restored-disks";
const disk = (name: string) => `${TARGET_RG}/providers/Microsoft.Compute/disks/${name}`;

describe("the configuration file's format", () => {
    const profile = {
        "properties.hardwareProfile": { vmSize: "Standard_D2s_v3" },
        "properties.storageProfile": {
            osDisk: { osType: "Windows", name: "web-os-restored", diskSizeGB: 127 },
            dataDisks: [
                { lun: 0, name: "web-data0-restored", diskSizeGB: 256 },
                { lun: 3, name: "web-data3-restored" },
            ],
        },
    };
    const text = JSON.stringify(profile);
    const expected = [
        { diskId: disk("web-os-restored"), os: true, sizeGb: 127 },
        { diskId: disk("web-data0-restored"), lun: 0, os: false, sizeGb: 256 },
        { diskId: disk("web-data3-restored"), lun: 3, os: false },
    ];

    test.each([
        ["UTF-16 LE with a byte order mark and NUL padding (as Azure writes it)", Buffer.from(`\uFEFF${text}\u0000\u0000`, "utf16le")],
        ["UTF-16 LE without a byte order mark", Buffer.from(`${text}\u0000`, "utf16le")],
        ["UTF-16 BE with a byte order mark", Buffer.from(`\uFEFF${text}`, "utf16le").swap16()],
        ["UTF-8 with a byte order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${text}\n`, "utf8")])],
        ["UTF-8", Buffer.from(`${text}\u0000 \r\n`, "utf8")],
    ])("%s reads as the same JSON", (_name, bytes) => {
        expect(decodeRestoreConfig(bytes)).toBe(text);
        expect(disksInRestoreConfig(decodeRestoreConfig(bytes), TARGET_RG)).toEqual(expected);
    });

    test("the storage profile nested under properties, and names in any case, read the same", () => {
        const nested = { Properties: { StorageProfile: { OsDisk: { Name: "web-os-restored", DiskSizeGB: 127 }, DataDisks: [{ Lun: 0, Name: "web-data0-restored", DiskSizeGB: 256 }, { LUN: 3, NAME: "web-data3-restored" }] } } };
        expect(disksInRestoreConfig(JSON.stringify(nested), TARGET_RG)).toEqual(expected);
        const cased = { "properties.StorageProfile": { osDisk: { name: "web-os-restored", diskSizeGB: 127 } } };
        expect(disksInRestoreConfig(JSON.stringify(cased), TARGET_RG)).toEqual([expected[0]]);
    });

    test("an OS disk alone, with no data disks listed, is one disk; a size that is not a whole positive number is left out", () => {
        expect(disksInRestoreConfig(JSON.stringify({ "properties.storageProfile": { osDisk: { name: "os", diskSizeGB: 0 }, dataDisks: [] } }), TARGET_RG)).toEqual([{ diskId: disk("os"), os: true }]);
        expect(disksInRestoreConfig(JSON.stringify({ "properties.storageProfile": { osDisk: { name: "os", diskSizeGB: 1 } } }), TARGET_RG)).toEqual([{ diskId: disk("os"), os: true, sizeGb: 1 }]);
        expect(disksInRestoreConfig(JSON.stringify({ "properties.storageProfile": { osDisk: { name: "os", diskSizeGB: 1.5 } } }), TARGET_RG)).toEqual([{ diskId: disk("os"), os: true }]);
    });

    test.each([
        ["not JSON", "{not json", /^it is not JSON \(/],
        ["no storage profile", JSON.stringify({ "properties.hardwareProfile": {} }), /^it has no storage profile \(properties\.storageProfile\)$/],
        ["no OS disk", JSON.stringify({ "properties.storageProfile": { dataDisks: [] } }), /^its storage profile has no OS disk$/],
        ["an OS disk with no name", JSON.stringify({ "properties.storageProfile": { osDisk: { diskSizeGB: 30 } } }), /^its OS disk has no name$/],
        ["an OS disk named with a path", JSON.stringify({ "properties.storageProfile": { osDisk: { name: "../other/disk" } } }), /^its OS disk has a name no managed disk can have, "\.\.\/other\/disk"$/],
        ["data disks that are not a list", JSON.stringify({ "properties.storageProfile": { osDisk: { name: "os" }, dataDisks: { lun: 0 } } }), /^its data disks are not a list$/],
        ["a data disk with no LUN", JSON.stringify({ "properties.storageProfile": { osDisk: { name: "os" }, dataDisks: [{ name: "d" }] } }), /^its data disk 1 has no LUN$/],
        ["a data disk with a negative LUN", JSON.stringify({ "properties.storageProfile": { osDisk: { name: "os" }, dataDisks: [{ name: "d", lun: -1 }] } }), /^its data disk 1 has no LUN$/],
        ["a data disk with no name", JSON.stringify({ "properties.storageProfile": { osDisk: { name: "os" }, dataDisks: [{ lun: 2 }] } }), /^its data disk at LUN 2 has no name$/],
    ])("%s is refused, saying what is wrong", (_name, text, message) => {
        expect(() => disksInRestoreConfig(text, TARGET_RG)).toThrow(message);
    });
});

describe("where the file may be read from", () => {
    const files = (configBlobUri: string, stagingStorageAccountName: string | undefined = "ststaging") => ({ jobId: "job-1", configBlobUri, stagingStorageAccountName, targetResourceGroupId: TARGET_RG });
    const credential = { getToken: jest.fn(async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 })) };

    test.each([
        ["another host", "https://ststaging.example.com/c/config.json", "outside its staging account ststaging, https://ststaging.example.com/c/config.json"],
        ["another account", "https://stother.blob.core.windows.net/c/config.json", "outside its staging account ststaging, https://stother.blob.core.windows.net/c/config.json"],
        ["plain http", "http://ststaging.blob.core.windows.net/c/config.json", "outside its staging account ststaging, http://ststaging.blob.core.windows.net/c/config.json"],
        ["the emulator's address for another account", "https://127.0.0.1:10000/stother/c/config.json", "outside its staging account ststaging, https://127.0.0.1:10000/stother/c/config.json"],
    ])("%s: refused before any token is asked for", async (_name, uri, message) => {
        credential.getToken.mockClear();
        const refused = await readRestoredDisks(files(uri), { client: { credential } }).catch((e) => e);
        expect(refused).toBeInstanceOf(BackupOperationError);
        expect(refused.message).toBe(`restore job job-1 names a configuration file ${message}: it is not read`);
        expect(credential.getToken).not.toHaveBeenCalled();
    });

    test("no file named, or not an address: said, before any token is asked for", async () => {
        credential.getToken.mockClear();
        await expect(readRestoredDisks({ jobId: "job-1", targetResourceGroupId: TARGET_RG }, { client: { credential } })).rejects.toThrow(
            "restore job job-1 names no configuration file: only a completed restore of disks leaves one, and it names the disks",
        );
        await expect(readRestoredDisks(files("not a url"), { client: { credential } })).rejects.toThrow('restore job job-1 names a configuration file that is not an address, "not a url"');
        expect(credential.getToken).not.toHaveBeenCalled();
    });
});

describe("getRestoredDisks against the fake's storage", () => {
    const running: FakeArm[] = [];
    afterEach(async () => {
        await Promise.all(running.splice(0).map((f) => f.close()));
    });

    async function restored(options: FakeArmOptions = {}) {
        const fake = await startFakeArm({
            subscriptionId: SUB,
            operationMs: 0,
            restoreMs: 30,
            recoveryPoints: { web: [{ name: "300001", time: "2026-12-01T22:00:00Z", disks: [{ name: "web-os", sizeGb: 64 }, { lun: 2, name: "web-data2", sizeGb: 512 }] }] },
            armResources: { [STAGING]: { id: STAGING, name: "ststaging", location: "westeurope", kind: "StorageV2", sku: { name: "Standard_LRS", tier: "Standard" } } },
            ...options,
        });
        running.push(fake);
        const vaultId = fake.vaultId("rg-backup", "rsv-prod");
        const client = fakeClient(fake, TOKEN, { requestTimeoutMs: 2000 });
        const { jobId } = await restoreVm(
            { vaultId, vmId: fake.vmId("rg-app", "web") },
            { point: "latest", mode: "disks", targetResourceGroupId: TARGET_RG, stagingStorageAccountId: STAGING, client, pollIntervalMs: 10, jobListLagMs: 200, timeoutMs: 5000 },
        );
        const job = await waitForBackupJob({ vaultId, jobId }, { client, pollIntervalMs: 10, timeoutMs: 5000 });
        return { fake, vaultId, jobId, job, client };
    }

    const blobReads = (fake: FakeArm) => fake.requests.filter((r) => r.path.startsWith("/ststaging/"));

    test("the disks Azure created, OS disk first, read from the file with a bearer token from the caller's credential", async () => {
        const { fake, vaultId, jobId, job, client } = await restored();
        const disks = await getRestoredDisks({ vaultId, jobId }, { client });
        const created = fake.disks();
        expect(disks).toEqual([
            { diskId: created.find((d) => d.name.includes("-osdisk-"))!.id, os: true, sizeGb: 64 },
            { diskId: created.find((d) => d.name.includes("-datadisk-2-"))!.id, lun: 2, os: false, sizeGb: 512 },
        ]);
        expect(created).toHaveLength(2);
        expect(blobReads(fake)).toEqual([{ method: "GET", path: new URL(job.configBlobUri!).pathname, authorization: `Bearer ${TOKEN}`, at: expect.any(Number) }]);
    });

    test("a read that fails in passing (503, a dropped connection) is tried again", async () => {
        let failures = 0;
        const { fake, vaultId, jobId, client } = await restored({
            faults: ({ path }) => (path.startsWith("/ststaging/") && failures++ < 2 ? (failures === 1 ? { kind: "status", status: 503 } : { kind: "reset", when: "before-processing" }) : undefined),
        });
        expect(await getRestoredDisks({ vaultId, jobId }, { client })).toHaveLength(2);
        expect(blobReads(fake)).toHaveLength(3);
    });

    test("a refused read names the role it needs, and never the token, even when Azure's answer quotes it", async () => {
        const { vaultId, jobId, client } = await restored({
            faults: ({ path }) => (path.startsWith("/ststaging/") ? { kind: "status", status: 403, code: "AuthorizationPermissionMismatch", message: "This request is not authorized to perform this operation using this permission.", echoAuthorization: true } : undefined),
        });
        const refused = await getRestoredDisks({ vaultId, jobId }, { client }).catch((e) => e);
        expect(refused).toBeInstanceOf(BackupOperationError);
        expect(refused.code).toBe("Forbidden");
        expect(refused.message).toMatch(
            /^reading the configuration file of restore job [0-9a-f-]{36} \(https:\/\/127\.0\.0\.1:\d+\/ststaging\/web-[0-9a-f]{32}\/config-web-[0-9a-f-]{36}\.json\): Azure refused the credential \(AuthorizationPermissionMismatch\); reading it needs the Storage Blob Data Reader role on ststaging \(or a role with Microsoft\.Storage\/storageAccounts\/blobServices\/containers\/blobs\/read\), and the account must allow Microsoft Entra sign-in$/,
        );
        expect(`${refused.message} ${refused.stack}`).not.toContain(TOKEN);
    });

    test("a file that is gone says so and where the disks are", async () => {
        const { vaultId, jobId, client } = await restored({ faults: ({ path }) => (path.startsWith("/ststaging/") ? { kind: "status", status: 404, code: "BlobNotFound", message: "The specified blob does not exist." } : undefined) });
        const gone = await getRestoredDisks({ vaultId, jobId }, { client }).catch((e) => e);
        expect(gone.code).toBe("NotFound");
        expect(gone.message).toMatch(/: it is not in ststaging \(deleted, or cleared by a lifecycle rule\); the disks are in the job's target resource group, named as the restore named them$/);
    });

    test("a file that is not a restore's configuration is refused, saying why", async () => {
        const { vaultId, jobId, client } = await restored({ restoreConfigBytes: Buffer.from("<html>not a configuration</html>") });
        const refused = await getRestoredDisks({ vaultId, jobId }, { client }).catch((e) => e);
        expect(refused.code).toBe("AzureError");
        expect(refused.message).toMatch(/\.json\): not the configuration a disk restore writes: it is not JSON \(/);
    });

    test("a file larger than any configuration (4 MiB) is refused, not read into memory", async () => {
        const { vaultId, jobId, client } = await restored({ restoreConfigBytes: Buffer.alloc(4 * 1024 * 1024 + 1, 0x20) });
        const refused = await getRestoredDisks({ vaultId, jobId }, { client }).catch((e) => e);
        expect(refused.code).toBe("AzureError");
        expect(refused.message).toMatch(/\.json\): it is 4194305 bytes, more than any restore's configuration$/);
    });

    test("a job that is not a restore, or still running, is refused without reading any file", async () => {
        const fake = await startFakeArm({ subscriptionId: SUB, operationMs: 0, restoreMs: 60_000, recoveryPoints: { web: [{ name: "300001", time: "2026-12-01T22:00:00Z" }] }, armResources: { [STAGING]: { id: STAGING, name: "ststaging", location: "westeurope", kind: "StorageV2", sku: { name: "Standard_LRS" } } } });
        running.push(fake);
        const vaultId = fake.vaultId("rg-backup", "rsv-prod");
        const client = fakeClient(fake, TOKEN, { requestTimeoutMs: 2000 });
        const { backupNow } = await import("pulumi-azure-vm-backup");
        const backup = await backupNow({ vaultId, vmId: fake.vmId("rg-app", "web") }, { client, pollIntervalMs: 10, jobListLagMs: 200 });
        const notRestore = await getRestoredDisks({ vaultId, jobId: backup.jobId }, { client }).catch((e) => e);
        expect(notRestore).toBeInstanceOf(InvalidArgumentError);
        expect(notRestore.message).toBe(`ref.jobId: must be a restore job, got ${JSON.stringify(backup.jobId)}, a Backup job`);

        const { jobId } = await restoreVm(
            { vaultId, vmId: fake.vmId("rg-app", "web") },
            { point: "latest", mode: "disks", targetResourceGroupId: TARGET_RG, stagingStorageAccountId: STAGING, client, pollIntervalMs: 10, jobListLagMs: 200, timeoutMs: 5000 },
        );
        const running_ = await getRestoredDisks({ vaultId, jobId }, { client }).catch((e) => e);
        expect(running_.code).toBe("OperationFailed");
        expect(running_.message).toBe(`restore job ${jobId} is InProgress: it names its disks once it completes`);
        expect(fake.requests.filter((r) => r.path.startsWith("/ststaging/"))).toEqual([]);
    });

    test("its arguments are checked as getBackupJob's are", async () => {
        await expect(getRestoredDisks({ vaultId: "nope", jobId: "x" })).rejects.toThrow(InvalidArgumentError);
        await expect(getRestoredDisks({ vaultId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v`, jobId: "j" }, { wait: true } as never)).rejects.toThrow(
            "wait: unknown argument (options takes client, secondaryRegion, signal), got true",
        );
    });
});

describe("the file's body", () => {
    const { PassThrough } = require("node:stream") as typeof import("node:stream");
    test("a body that stops coming is given up after the request timeout, saying how much came", async () => {
        const { readBody } = await import("../src/on-demand/restore-config");
        const stream = new PassThrough();
        stream.write(Buffer.from("{\"properties"));
        const read = readBody(stream, "reading the file", 100).catch((e) => e);
        const error = await read;
        expect(error).toBeInstanceOf(BackupOperationError);
        expect(error.message).toBe("reading the file: its content did not all arrive within 0.1 s (12 bytes came); try again");
    });

    test("a body that comes in pieces within the timeout is read whole", async () => {
        const { readBody } = await import("../src/on-demand/restore-config");
        const stream = new PassThrough();
        const read = readBody(stream, "reading the file", 1000);
        stream.write("{\"a\":");
        setTimeout(() => stream.end("1}"), 50);
        expect((await read).toString()).toBe('{"a":1}');
    });
});
