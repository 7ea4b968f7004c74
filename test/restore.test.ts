// restoreVm through the real Azure SDK against the loopback fake of Resource Manager: every mode's
// request as Azure receives it, the recovery point chosen, the rules checked before sending (and
// nothing sent when they refuse), the restore job's account of what it created, faults around the
// trigger (no restore started twice, none lost), and the managed-disk reads and deletes.
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import {
    BackupOperationError,
    InvalidArgumentError,
    RestoreOutcomeUnknown,
    RestoreRefused,
    getBackupJob,
    getRestoredDisks,
    restoreVm,
    waitForBackupJob,
    type RestoreOptions,
} from "pulumi-azure-vm-backup";
import { startFakeArm, type FakeArm, type FakeArmOptions, type Fault, type FaultWhen } from "./fake-arm/server";
import { trustPolicy } from "./fake-arm/certificate";
import { validateRequestBody } from "./azure-rest-schema";
import { fakeClient } from "./fake-arm/client";

const SUB = "00000000-0000-0000-0000-0000000000aa";
const VAULT_RG = "rg-backup";
const VAULT = "rsv-prod";
const VM_RG = "rg-app";
const TARGET_RG = `/subscriptions/${SUB}/resourceGroups/rg-restore`;
const STAGING = `/subscriptions/${SUB}/resourceGroups/rg-restore/providers/Microsoft.Storage/storageAccounts/ststaging`;
const VNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-restore`;
const DISKS = [{ name: "web-os", sizeGb: 64 }, { lun: 0, name: "web-data0", sizeGb: 128 }, { lun: 1, name: "web-data1", sizeGb: 256 }];

const running: FakeArm[] = [];
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

/** A fake holding two points of VM web, a staging account and a network in the vault's region, and a disk already in the target group. */
async function fakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = await startFakeArm({
        operationMs: 20,
        restoreMs: 60,
        recoveryPoints: {
            web: [
                { name: "200001", time: "2026-11-01T22:00:00Z", disks: DISKS },
                { name: "200002", time: "2026-11-02T22:00:00Z", disks: DISKS, zones: ["1"] },
            ],
        },
        armResources: {
            [STAGING]: { id: STAGING, name: "ststaging", location: "westeurope", kind: "StorageV2", sku: { name: "Standard_LRS", tier: "Standard" }, properties: { networkAcls: { defaultAction: "Allow" } } },
            [VNET]: { id: VNET, name: "vnet-restore", location: "westeurope", properties: { subnets: [{ name: "default" }, { name: "restore" }] } },
        },
        disks: [{ resourceGroup: "rg-restore", name: "keep-me", sizeGb: 8 }],
        ...options,
    });
    running.push(fake);
    return fake;
}

const client = (fake: FakeArm, requestTimeoutMs = 2000) => fakeClient(fake, "sentinel-token-restore", { requestTimeoutMs });

const target = (fake: FakeArm, vm = "web") => ({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, vm) });
const fast = { pollIntervalMs: 20, jobListLagMs: 300, timeoutMs: 5000 };
const restore = (fake: FakeArm, options: Omit<RestoreOptions, "client">, vm = "web") => restoreVm(target(fake, vm), { client: client(fake), ...fast, ...options });
const disksMode = { point: "latest", mode: "disks", targetResourceGroupId: TARGET_RG, stagingStorageAccountId: STAGING } as const;
const pointId = (fake: FakeArm, name: string) =>
    `${fake.vaultId(VAULT_RG, VAULT)}/backupFabrics/Azure/protectionContainers/iaasvmcontainer;iaasvmcontainerv2;${VM_RG};web/protectedItems/vm;iaasvmcontainerv2;${VM_RG};web/recoveryPoints/${name}`;
const posts = (fake: FakeArm) => fake.requests.filter((r) => r.method === "POST");

describe("the three modes", () => {
    test('"disks" restores managed disks into the target group (RestoreDisks); its configuration file names each disk it created', async () => {
        const fake = await fakeArm();
        const started = await restore(fake, disksMode);
        expect(started).toEqual({ jobId: fake.restores[0].jobId, recoveryPointId: pointId(fake, "200002"), warnings: [] });
        expect(fake.restores.map((r) => [r.vm, r.recoveryPointId])).toEqual([["web", "200002"]]);
        expect(fake.restores[0].request).toEqual({
            objectType: "IaasVMRestoreRequest",
            recoveryPointId: "200002",
            recoveryType: "RestoreDisks",
            sourceResourceId: fake.vmId(VM_RG, "web"),
            region: "westeurope",
            storageAccountId: STAGING,
            targetResourceGroupId: TARGET_RG,
            originalStorageAccountOption: false,
            createNewCloudService: false,
            encryptionDetails: { encryptionEnabled: false },
        });

        const job = await waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId: started.jobId }, { client: client(fake), pollIntervalMs: 20, timeoutMs: 5000 });
        expect(job).toMatchObject({ operation: "Restore", status: "Completed", vmName: "web", restoreType: "RestoreDisks", targetResourceGroupId: TARGET_RG });
        expect(job.templateBlobUri).toMatch(new RegExp(`^${fake.url}/ststaging/web-[0-9a-f]{32}/azuredeploy[0-9a-f-]{36}\\.json$`));
        expect(job.configBlobUri).toMatch(new RegExp(`^${fake.url}/ststaging/web-[0-9a-f]{32}/config-web-[0-9a-f-]{36}\\.json$`));
        expect(job.stagingStorageAccountName).toBe("ststaging");
        const created = fake.disks().filter((d) => d.name !== "keep-me");
        expect(await getRestoredDisks({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId: started.jobId }, { client: client(fake) })).toEqual([
            { diskId: created.find((d) => d.name.includes("-osdisk-"))!.id, os: true, sizeGb: 64 },
            { diskId: created.find((d) => d.name.includes("-datadisk-0-"))!.id, lun: 0, os: false, sizeGb: 128 },
            { diskId: created.find((d) => d.name.includes("-datadisk-1-"))!.id, lun: 1, os: false, sizeGb: 256 },
        ]);
        expect(job.vmId).toBeUndefined();
    });

    test('"new-vm" creates a VM in the target group, network and subnet (AlternateLocation), named as given or after the VM', async () => {
        const fake = await fakeArm();
        const newVm = { ...disksMode, mode: "new-vm", virtualNetworkId: VNET, subnetName: "restore" } as const;
        const named = await restore(fake, { ...newVm, targetVmName: "web-drill" });
        await restore(fake, newVm);
        expect(fake.restores.map((r) => r.request)).toEqual([
            expect.objectContaining({
                recoveryType: "AlternateLocation",
                targetResourceGroupId: TARGET_RG,
                virtualNetworkId: VNET,
                subnetId: `${VNET}/subnets/restore`,
                targetVirtualMachineId: `${TARGET_RG}/providers/Microsoft.Compute/virtualMachines/web-drill`,
                storageAccountId: STAGING,
            }),
            expect.objectContaining({ targetVirtualMachineId: `${TARGET_RG}/providers/Microsoft.Compute/virtualMachines/web-restored` }),
        ]);
        const job = await waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId: named.jobId }, { client: client(fake), pollIntervalMs: 20, timeoutMs: 5000 });
        expect(job).toMatchObject({ restoreType: "AlternateLocation", vmId: `${TARGET_RG}/providers/Microsoft.Compute/virtualMachines/web-drill` });
    });

    test('"replace-disks" overwrites the VM\'s disks (OriginalLocation) only with confirm: "replace-disks"', async () => {
        const fake = await fakeArm();
        const replace = { point: "200001", mode: "replace-disks", stagingStorageAccountId: STAGING } as const;
        const refused = await restore(fake, replace).catch((e) => e);
        expect(refused).toBeInstanceOf(RestoreRefused);
        expect(refused).toBeInstanceOf(InvalidArgumentError);
        expect(refused.code).toBe("InvalidArgument");
        expect(refused.message).toBe(
            'confirm: mode "replace-disks" replaces the current disks of the VM with the recovery point\'s: pass confirm: "replace-disks" to do it, or restore with mode "disks" or "new-vm" to keep them, got undefined',
        );
        expect(posts(fake)).toEqual([]);

        await restore(fake, { ...replace, confirm: "replace-disks" });
        expect(fake.restores[0].request).toEqual({
            objectType: "IaasVMRestoreRequest",
            recoveryPointId: "200001",
            recoveryType: "OriginalLocation",
            sourceResourceId: fake.vmId(VM_RG, "web"),
            region: "westeurope",
            storageAccountId: STAGING,
            originalStorageAccountOption: false,
            createNewCloudService: false,
            encryptionDetails: { encryptionEnabled: false },
        });
    });

    test("a target zone goes to Azure as the request's zones", async () => {
        const fake = await fakeArm({ storageConfigs: { [VAULT]: { storageModelType: "ZoneRedundant" } } });
        await restore(fake, { ...disksMode, targetZone: "3" });
        expect(fake.restores[0].request.zones).toEqual(["3"]);
    });

    test("each mode's own options are required, and another mode's refused, before anything is read", async () => {
        const fake = await fakeArm();
        const refused = async (options: Omit<RestoreOptions, "client">) => (await restore(fake, options).catch((e) => e)) as InvalidArgumentError;
        expect((await refused({ point: "latest", mode: "disks", stagingStorageAccountId: STAGING })).message).toBe('targetResourceGroupId: is required with mode "disks", got undefined');
        expect((await refused({ ...disksMode, mode: "new-vm", virtualNetworkId: VNET })).message).toBe('subnetName: is required with mode "new-vm", got undefined');
        expect((await refused({ ...disksMode, subnetName: "default" })).message).toBe('subnetName: is not used with mode "disks": leave it out, got "default"');
        expect((await refused({ ...disksMode, mode: "replace-disks", confirm: "replace-disks" })).message).toBe(
            `targetResourceGroupId: is not used with mode "replace-disks" (it restores into the VM itself): leave it out, got "${TARGET_RG}"`,
        );
        expect((await refused({ ...disksMode, mode: "copy" as never })).message).toBe('mode: must be "disks", "new-vm" or "replace-disks", got "copy"');
        expect((await refused({ ...disksMode, stagingStorageAccountId: "ststaging" })).message).toBe(
            'stagingStorageAccountId: must be a storage account id, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{name}, got "ststaging"',
        );
        expect((await refused({ ...disksMode, targetResourceGroupId: `${TARGET_RG}/../rg-other` })).message).toMatch(/^targetResourceGroupId: must be a resource group id/);
        expect((await refused({ ...disksMode, point: "yesterday's" })).message).toBe('point: must be "latest", a recovery point id or name, or a valid Date, got "yesterday\'s"');
        expect((await refused({ ...disksMode, targetZone: "4" as never })).message).toBe('targetZone: must be an availability zone, "1", "2" or "3", got "4"');
        expect(fake.requests).toEqual([]);
    });

});

describe("cross-region restore, in the vault's paired region", () => {
    const PAIRED_STAGING = STAGING.replace("ststaging", "stpaired");
    const crr = { ...disksMode, secondaryRegion: true, stagingStorageAccountId: PAIRED_STAGING } as const;
    const crrFake = (options: FakeArmOptions = {}) =>
        fakeArm({
            storageConfigs: { [VAULT]: { storageModelType: "GeoRedundant", crossRegionRestoreFlag: true } },
            recoveryPoints: {
                web: [
                    { name: "200001", time: "2026-11-01T22:00:00Z", disks: DISKS },
                    { name: "200002", time: "2026-11-02T22:00:00Z", disks: DISKS, tiers: [{ type: "InstantRP", status: "Valid" }] },
                ],
            },
            armResources: {
                [STAGING]: { id: STAGING, location: "westeurope", kind: "StorageV2", sku: { name: "Standard_LRS" } },
                [PAIRED_STAGING]: { id: PAIRED_STAGING, location: "northeurope", kind: "StorageV2", sku: { name: "Standard_LRS" } },
            },
            ...options,
        });

    test("restores the newest point the paired region holds, there; its job is read there", async () => {
        const fake = await crrFake();
        const started = await restore(fake, crr);
        // 200002 is a snapshot only: not replicated, so the newest point in the paired region is 200001.
        expect(fake.restores.map((r) => [r.recoveryPointId, r.crossRegion, r.request.region, r.request.recoveryType])).toEqual([["200001", "northeurope", "northeurope", "RestoreDisks"]]);
        expect(started.jobId).toBe(fake.restores[0].jobId);
        const trigger = fake.requests.find((r) => r.method === "POST" && r.path.endsWith("/backupCrossRegionRestore"));
        expect(trigger?.path).toBe(`/subscriptions/${SUB}/providers/Microsoft.RecoveryServices/locations/northeurope/backupCrossRegionRestore`);

        const vaultId = fake.vaultId(VAULT_RG, VAULT);
        const job = await waitForBackupJob({ vaultId, jobId: started.jobId }, { client: client(fake), pollIntervalMs: 20, timeoutMs: 5000, secondaryRegion: true });
        expect(job).toMatchObject({ operation: "CrossRegionRestore", status: "Completed", restoreType: "RestoreDisks", targetResourceGroupId: TARGET_RG });
        expect((await getRestoredDisks({ vaultId, jobId: started.jobId }, { client: client(fake), secondaryRegion: true })).map((d) => d.diskId.split("/")[4])).toEqual(["rg-restore", "rg-restore", "rg-restore"]);
        // Not a job of the vault's own region.
        const here = await getBackupJob({ vaultId, jobId: started.jobId }, { client: client(fake) }).catch((e) => e);
        expect(here.code).toBe("NotFound");
    });

    test("the rules: a vault with cross-region restore, a staging account in the paired region; nothing sent otherwise", async () => {
        const off = await fakeArm({ armResources: { [PAIRED_STAGING]: { id: PAIRED_STAGING, location: "northeurope", kind: "StorageV2", sku: { name: "Standard_LRS" } } } });
        const err = await restore(off, crr).catch((e) => e);
        expect(err.findings.map((f: { rule: string }) => f.rule)).toEqual(["restore.cross-region-vault"]);

        const fake = await crrFake();
        const wrong = await restore(fake, { ...crr, stagingStorageAccountId: STAGING }).catch((e) => e);
        expect(wrong.message).toBe(
            "stagingStorageAccountId: a cross-region restore stages in the vault's paired region North Europe (northeurope): create or choose a storage account there, got ststaging in West Europe (westeurope)",
        );
        const replace = await restore(fake, { point: "200001", mode: "replace-disks", confirm: "replace-disks", secondaryRegion: true, stagingStorageAccountId: PAIRED_STAGING }).catch((e) => e);
        expect(replace.findings.map((f: { rule: string }) => f.rule)).toEqual(["restore.cross-region-mode"]);
        expect([...posts(off), ...posts(fake)].filter((r) => !r.path.endsWith("/accessToken"))).toEqual([]);
    });

    test("no point the paired region holds: an error saying why, and nothing sent", async () => {
        const fake = await crrFake({ recoveryPoints: { web: [{ name: "200002", time: "2026-11-02T22:00:00Z", tiers: [{ type: "InstantRP", status: "Valid" }] }] } });
        const err = await restore(fake, crr).catch((e) => e);
        expect(err).toBeInstanceOf(InvalidArgumentError);
        expect(err.message).toBe(
            'point: VM web has no recovery point that the paired region holds yet (snapshots are not replicated there, and Azure copies a vault-tier point there hours after it is taken): wait for a backup to reach it, or restore in the vault\'s region, got "latest"',
        );
        expect(posts(fake)).toEqual([]);
    });

    describe("points reach the paired region hours after they are taken", () => {
        const HOUR = 3_600_000;
        /** A time this long ago, to the second. */
        const ago = (ms: number) => new Date(Math.floor((Date.now() - ms) / 1000) * 1000).toISOString();
        const OLDER = { name: "300001", time: ago(48 * HOUR), disks: DISKS };
        const NEWER = { name: "300002", time: ago(HOUR), disks: DISKS };
        const lagging = (crrLagMs: number) => crrFake({ crrLagMs, recoveryPoints: { web: [OLDER, NEWER] } });

        test('"latest" and a Date take the newest point the paired region holds, though the vault\'s region has a newer one', async () => {
            const fake = await lagging(6 * HOUR);
            const latest = await restore(fake, crr);
            expect(latest.recoveryPointId).toBe(pointId(fake, "300001"));
            const before = await restore(fake, { ...crr, point: new Date() });
            expect(before.recoveryPointId).toBe(pointId(fake, "300001"));
            expect(fake.restores.map((r) => [r.recoveryPointId, r.crossRegion])).toEqual([
                ["300001", "northeurope"],
                ["300001", "northeurope"],
            ]);
            // In the vault's own region the newest is the newer point.
            await restore(fake, disksMode);
            expect(fake.restores.map((r) => r.recoveryPointId)).toEqual(["300001", "300001", "300002"]);
        });

        test("a point not there yet is refused, naming the newest that is; a point there is restored by its id", async () => {
            const fake = await lagging(6 * HOUR);
            const early = await restore(fake, { ...crr, point: "300002" }).catch((e) => e);
            expect(early).toBeInstanceOf(InvalidArgumentError);
            expect(early.message).toBe(
                `point: recovery point 300002 of VM web has not reached the paired region yet (Azure copies a vault-tier point there hours after it is taken): restore the newest point that has, 300001 (${OLDER.time}), wait and try again, or restore in the vault's region, got "300002"`,
            );
            expect(posts(fake)).toEqual([]);
            const there = await restore(fake, { ...crr, point: pointId(fake, "300001") });
            expect(there.recoveryPointId).toBe(pointId(fake, "300001"));
            expect(fake.restores.map((r) => [r.recoveryPointId, r.crossRegion])).toEqual([["300001", "northeurope"]]);

            // None there yet: said so, for an id and for "latest"; an id the vault does not have is still "no such point".
            const none = await lagging(72 * HOUR);
            const noneYet = await restore(none, { ...crr, point: "300001" }).catch((e) => e);
            expect(noneYet.message).toBe(
                `point: recovery point 300001 of VM web has not reached the paired region yet (Azure copies a vault-tier point there hours after it is taken): no point has reached it yet: wait and try again, or restore in the vault's region, got "300001"`,
            );
            expect((await restore(none, crr).catch((e) => e)).message).toMatch(/^point: VM web has no recovery point that the paired region holds yet /);
            const unknown = await restore(none, { ...crr, point: "399999" }).catch((e) => e);
            expect(unknown.message).toBe('point: VM web has no recovery point 399999 in vault rsv-prod: list them with listRecoveryPoints, got "399999"');
            expect(posts(none)).toEqual([]);
        });
    });

    test("the answer lost after Azure started it: found in the paired region's jobs, not sent again", async () => {
        const fake = await crrFake({ faults: (r) => (r.method === "POST" && r.path.endsWith("/backupCrossRegionRestore") && r.attempt === 1 ? { kind: "reset", when: "after-processing" } : undefined) });
        const started = await restoreVm(target(fake), { client: client(fake, 400), ...fast, ...crr });
        expect(fake.restores).toHaveLength(1);
        expect(started.jobId).toBe(fake.restores[0].jobId);
        expect(fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/backupCrrJobs")).length).toBeGreaterThan(0);
    });
});

test("every request each mode sends is one Microsoft's definition of a restore request accepts", async () => {
    const fake = await fakeArm({ storageConfigs: { [VAULT]: { storageModelType: "ZoneRedundant" } } });
    await restore(fake, disksMode);
    await restore(fake, { ...disksMode, targetZone: "2" });
    await restore(fake, { ...disksMode, mode: "new-vm", virtualNetworkId: VNET, subnetName: "default", targetVmName: "web-copy" });
    await restore(fake, { point: "200001", mode: "replace-disks", confirm: "replace-disks", stagingStorageAccountId: STAGING });
    expect(fake.restores.map((r) => validateRequestBody("RestoreRequestResource", { properties: r.request }))).toEqual([[], [], [], []]);
    // The check can fail: a property Azure does not define is named.
    expect(validateRequestBody("RestoreRequestResource", { properties: { ...fake.restores[0].request, tags: { drill: "yes" } } })).toEqual(["/properties/tags: unknown property"]);
});

describe("the recovery point", () => {
    test('"latest", a name, an id, or the newest at or before a Date', async () => {
        const fake = await fakeArm();
        const chosen = async (point: RestoreOptions["point"]) => {
            await restore(fake, { ...disksMode, point });
            return fake.restores[fake.restores.length - 1].recoveryPointId;
        };
        expect(await chosen("latest")).toBe("200002");
        expect(await chosen("200001")).toBe("200001");
        expect(await chosen(pointId(fake, "200001"))).toBe("200001");
        expect(await chosen(new Date("2026-11-02T21:59:59Z"))).toBe("200001");
        expect(await chosen(new Date("2026-11-02T22:00:00Z"))).toBe("200002");
    });

    test("none to restore: an error naming the point asked for, and nothing sent", async () => {
        const fake = await fakeArm();
        const before = await restore(fake, { ...disksMode, point: new Date("2026-10-01T00:00:00Z") }).catch((e) => e);
        expect(before.message).toBe("point: VM web has no recovery point in vault rsv-prod taken at or before 2026-10-01T00:00:00.000Z: back it up first (backupNow), got 2026-10-01T00:00:00.000Z");
        const missing = await restore(fake, { ...disksMode, point: "299999" }).catch((e) => e);
        expect(missing).toBeInstanceOf(InvalidArgumentError);
        expect(missing.message).toBe('point: VM web has no recovery point 299999 in vault rsv-prod: list them with listRecoveryPoints, got "299999"');
        const none = await restore(fake, disksMode, "db").catch((e) => e);
        expect(none.message).toBe('point: VM db has no recovery point in vault rsv-prod: back it up first (backupNow), got "latest"');
        expect(posts(fake)).toEqual([]);
    });
});

describe("the rules, checked against what Azure says of the vault, account and network before sending", () => {
    test("a staging account in another region, or of a kind Azure refuses: every broken rule at once, nothing sent", async () => {
        const fake = await fakeArm({
            armResources: { [STAGING]: { id: STAGING, location: "northeurope", kind: "BlobStorage", sku: { name: "Standard_LRS" } } },
        });
        const err = await restore(fake, disksMode).catch((e) => e);
        expect(err).toBeInstanceOf(RestoreRefused);
        expect(err.findings.map((f: { rule: string }) => f.rule)).toEqual(["restore.staging-region", "restore.staging-kind"]);
        expect(err.message).toBe(
            "stagingStorageAccountId: must be a storage account in the vault's region West Europe (westeurope), where Azure Backup stages the restore: create or choose one there, got ststaging in North Europe (northeurope); " +
                "stagingStorageAccountId: a Blob storage account cannot stage a restore: use a general-purpose (StorageV2) account, got ststaging (BlobStorage, Standard_LRS)",
        );
        expect(posts(fake)).toEqual([]);
    });

    test("a network in another region, or without the subnet, refuses a new VM", async () => {
        const fake = await fakeArm();
        const newVm = { ...disksMode, mode: "new-vm", virtualNetworkId: VNET } as const;
        const noSubnet = await restore(fake, { ...newVm, subnetName: "app" }).catch((e) => e);
        expect(noSubnet.message).toBe('subnetName: must be a subnet of vnet-restore (default, restore), got "app"');
        const far = await fakeArm({ armResources: { [STAGING]: { id: STAGING, location: "westeurope", kind: "StorageV2", sku: { name: "Standard_LRS" } }, [VNET]: { id: VNET, location: "eastus" } } });
        const elsewhere = await restore(far, { ...newVm, subnetName: "default" }).catch((e) => e);
        expect(elsewhere.message).toBe("virtualNetworkId: must be a virtual network in the region the VM is restored in, the vault's West Europe (westeurope): choose a network there, got vnet-restore in East US (eastus)");
        expect([...posts(fake), ...posts(far)]).toEqual([]);
    });

    test("a point in the archive tier only is refused; rehydrated, it is restored", async () => {
        const fake = await fakeArm({
            recoveryPoints: {
                web: [
                    { name: "300001", time: "2026-06-01T22:00:00Z", tiers: [{ type: "ArchivedRP", status: "Valid" }] },
                    { name: "300002", time: "2026-06-02T22:00:00Z", tiers: [{ type: "ArchivedRP", status: "Rehydrated" }] },
                ],
            },
        });
        const err = await restore(fake, { ...disksMode, point: "300001" }).catch((e) => e);
        expect(err.message).toMatch(/^point: recovery point 300001 is in the archive tier only: rehydrate it first/);
        await restore(fake, { ...disksMode, point: "300002" });
        expect(fake.restores.map((r) => r.recoveryPointId)).toEqual(["300002"]);
    });

    test("a Trusted Launch VM's point into another zone is refused; a confidential VM's is sent, with a warning", async () => {
        const fake = await fakeArm({
            storageConfigs: { [VAULT]: { storageModelType: "ZoneRedundant" } },
            recoveryPoints: {
                web: [
                    { name: "400001", time: "2026-06-01T22:00:00Z", securityType: "TrustedLaunch", zones: ["1"] },
                    { name: "400002", time: "2026-06-02T22:00:00Z", securityType: "ConfidentialVM" },
                ],
            },
        });
        const err = await restore(fake, { ...disksMode, point: "400001", targetZone: "2" }).catch((e) => e);
        expect(err.findings.map((f: { rule: string }) => f.rule)).toEqual(["restore.trusted-launch"]);
        const started = await restore(fake, { ...disksMode, point: "400002" });
        expect(started.warnings).toEqual([
            "vmId: recovery point 400002 is of a confidential VM, which Azure Backup's support matrix lists as not supported: Azure may refuse the restore; check the VM's restore in the portal if it does",
        ]);
        expect(fake.restores.map((r) => r.recoveryPointId)).toEqual(["400002"]);
    });

    test("a staging account Azure does not let the restore read: its checks skipped with a warning, and the restore sent", async () => {
        const fake = await fakeArm({ armResources: {} });
        const started = await restore(fake, disksMode);
        expect(started.warnings).toEqual([
            `stagingStorageAccountId: ststaging could not be read (reading ${STAGING}: not found (ResourceNotFound: The Resource 'Microsoft.Storage/storageAccounts/ststaging' under resource group 'rg-restore' was not found.)): the checks of its region and kind were skipped, and Azure will say if it refuses it`,
        ]);
        expect(fake.restores).toHaveLength(1);
    });
});

test("a restore job that fails says so, and creates no disk", async () => {
    const fake = await fakeArm({ restoreOutcomes: { web: { status: "Failed" } } });
    const { jobId } = await restore(fake, disksMode);
    const job = await waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: client(fake), pollIntervalMs: 20, timeoutMs: 5000 });
    expect(job.status).toBe("Failed");
    expect(job.errors).toEqual([
        { code: "UserErrorRestoreFailed", message: "Restoring VM 'web' from recovery point '200002' failed.", recommendations: ["Check the target resource group and staging storage account, then restore again."] },
    ]);
    expect(job.configBlobUri).toBeUndefined();
    expect(fake.disks().map((d) => d.name)).toEqual(["keep-me"]);
});

test("a restore whose job leaves a disk out: its configuration file still names the disk, which Azure does not have", async () => {
    const fake = await fakeArm({ restoreOutcomes: { web: { status: "Completed", missingLuns: [1] } } });
    const { jobId } = await restore(fake, disksMode);
    await waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: client(fake), pollIntervalMs: 20, timeoutMs: 5000 });
    const named = await getRestoredDisks({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: client(fake) });
    expect(named.map((d) => [d.os, d.lun])).toEqual([
        [true, undefined],
        [false, 0],
        [false, 1],
    ]);
    const existing = new Set(fake.disks().map((d) => d.id));
    expect(named.map((d) => existing.has(d.diskId))).toEqual([true, true, false]);
});

describe("Azure's refusals and the caller's stop", () => {
    test("a restore Azure refuses is reported in its own words, not as a backup's refusal, and not sent again", async () => {
        const fake = await fakeArm({
            faults: (r) => (r.method === "POST" && /\/restore$/i.test(r.path) ? { kind: "status", status: 400, code: "UserErrorAnotherOperationInProgress", message: "Another operation is in progress on the VM." } : undefined),
        });
        const err = await restore(fake, disksMode).catch((e) => e);
        expect(err).toBeInstanceOf(BackupOperationError);
        expect(err.code).toBe("AzureError");
        expect(err.azureCode).toBe("UserErrorAnotherOperationInProgress");
        expect(err.message).toBe("restoring VM web from vault rsv-prod: HTTP 400 UserErrorAnotherOperationInProgress: Another operation is in progress on the VM.");
        expect(posts(fake)).toHaveLength(1);
    });

    test("a VM the vault does not protect: ItemNotProtected", async () => {
        const fake = await fakeArm({ protectedVms: ["db"] });
        const err = await restore(fake, disksMode).catch((e) => e);
        expect(err.code).toBe("ItemNotProtected");
        expect(err.message).toMatch(/^listing the recovery points of VM web in vault rsv-prod: the VM is not protected in this vault/);
        expect(posts(fake)).toEqual([]);
    });

    test("stopped before sending: Interrupted; out of time before sending: Timeout; nothing sent", async () => {
        const fake = await fakeArm();
        const stop = new AbortController();
        stop.abort();
        const err = await restore(fake, { ...disksMode, signal: stop.signal }).catch((e) => e);
        expect(err).toBeInstanceOf(BackupOperationError);
        expect(err.code).toBe("Interrupted");
        expect(err.message).toBe("restoring VM web from vault rsv-prod: interrupted before the restore was sent");
        const slow = await fakeArm({ latencyMs: 150 });
        const late = await restore(slow, { ...disksMode, timeoutMs: 100 }).catch((e) => e);
        expect(late.code).toBe("Timeout");
        expect(late.message).toBe("restoring VM web from vault rsv-prod: the time given ran out before the restore was sent");
        expect([...posts(fake), ...posts(slow)]).toEqual([]);
        expect([...fake.restores, ...slow.restores]).toEqual([]);
    });
});

describe("faults around the trigger: one restore, none lost", () => {
    type Request = { method: string; path: string; attempt: number };
    const firstRestore = (fault: Fault) => (r: Request) => (r.method === "POST" && /\/restore$/i.test(r.path) && r.attempt === 1 ? fault : undefined);
    const mixes: [string, FakeArmOptions["faults"], FaultWhen | "listed late"][] = [
        ["503 after Azure started the restore", firstRestore({ kind: "status", status: 503, retryAfterSeconds: 1, when: "after-processing" }), "after-processing"],
        ["503 before", firstRestore({ kind: "status", status: 503, retryAfterSeconds: 1 }), "before-processing"],
        ["429 from the Backup service, after it started the restore", firstRestore({ kind: "status", status: 429, code: "TooManyRequests", retryAfterSeconds: 1, when: "after-processing" }), "after-processing"],
        ["429 from Resource Manager's own throttling", firstRestore({ kind: "status", status: 429, code: "SubscriptionRequestsThrottled", retryAfterSeconds: 1, gateway: true }), "before-processing"],
        ["connection reset after", firstRestore({ kind: "reset", when: "after-processing" }), "after-processing"],
        ["connection reset before", firstRestore({ kind: "reset", when: "before-processing" }), "before-processing"],
        ["no answer at all after", firstRestore({ kind: "stall", when: "after-processing" }), "after-processing"],
        ["a 202 that cannot be read", firstRestore({ kind: "malformed", when: "after-processing" }), "after-processing"],
    ];

    test.each(mixes)("%s", async (_name, faults) => {
        const fake = await fakeArm({ faults });
        const started = await restoreVm(target(fake), { client: client(fake, 400), ...fast, ...disksMode });
        expect(fake.restores).toHaveLength(1);
        expect(started.jobId).toBe(fake.restores[0].jobId);
    });

    test("the answer lost and the job listed late: found in the list, not sent again", async () => {
        const fake = await fakeArm({ faults: firstRestore({ kind: "reset", when: "after-processing" }), jobListLagMs: 150, jobListHides: 2 });
        const started = await restoreVm(target(fake), { client: client(fake, 400), ...fast, ...disksMode });
        expect(fake.restores).toHaveLength(1);
        expect(started.jobId).toBe(fake.restores[0].jobId);
        expect(posts(fake)).toHaveLength(1);
    });

    test("the answer lost and the jobs unreadable: RestoreOutcomeUnknown, saying how to look, and not sent again", async () => {
        const fake = await fakeArm({
            faults: (r) =>
                r.method === "POST" && /\/restore$/i.test(r.path)
                    ? { kind: "reset", when: "after-processing" }
                    : r.method === "GET" && /\/backupJobs$/i.test(r.path)
                      ? { kind: "status", status: 500 }
                      : undefined,
        });
        const err = await restoreVm(target(fake), { client: { ...client(fake, 400), maxRetries: 0 }, ...fast, timeoutMs: 1500, ...disksMode }).catch((e) => e);
        expect(err).toBeInstanceOf(RestoreOutcomeUnknown);
        expect(err).toBeInstanceOf(BackupOperationError);
        expect(err.code).toBe("OutcomeUnknown");
        expect(err.message).toMatch(
            /^restoring VM web from vault rsv-prod: the restore may have started: its answer was lost \(.*\) and the vault's jobs could not be read to tell whether it started \(.*\); it was not sent again\. Check with azure-vm-backup jobs list --vault \/subscriptions\/[^ ]+\/vaults\/rsv-prod --operation Restore --since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
        );
        expect(fake.restores).toHaveLength(1);
        expect(posts(fake)).toHaveLength(1);
    });
});

describe("the managed disks a restore leaves (Compute's Disks, as the drill reads and deletes them)", () => {
    /** A request through the Backup client's own pipeline: the fake's certificate trusted, a bearer token sent. */
    async function arm(fake: FakeArm, method: "GET" | "DELETE", path: string) {
        const sdk = new RecoveryServicesBackupClient(client(fake).credential!, SUB, { endpoint: fake.url, additionalPolicies: [trustPolicy(fake.ca)] });
        const url = path.startsWith("https://") ? path : `${fake.url}${path}${path.includes("?") ? "&" : "?"}api-version=2025-01-02`;
        const response = await sdk.sendRequest(createPipelineRequest({ url, method, headers: undefined }));
        return { status: response.status, headers: response.headers, body: response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined };
    }

    test("listed by group, read, and deleted one by one: every other disk of the group stays", async () => {
        const fake = await fakeArm();
        const { jobId } = await restore(fake, disksMode);
        await waitForBackupJob({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: client(fake), pollIntervalMs: 20, timeoutMs: 5000 });
        const restoredDisks = await getRestoredDisks({ vaultId: fake.vaultId(VAULT_RG, VAULT), jobId }, { client: client(fake) });
        const group = `/subscriptions/${SUB}/resourceGroups/rg-restore/providers/Microsoft.Compute/disks`;
        const listed = await arm(fake, "GET", group);
        expect(listed.body.value.map((d: { name: string }) => d.name).sort()).toEqual(["keep-me", ...restoredDisks.map((d) => d.diskId.split("/").pop())].sort());

        const os = restoredDisks.find((d) => d.os)!;
        const read = await arm(fake, "GET", os.diskId);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ id: os.diskId, type: "Microsoft.Compute/disks", location: "westeurope", properties: { diskSizeGB: 64, osType: "Linux", provisioningState: "Succeeded" } });

        for (const d of restoredDisks) {
            const deleted = await arm(fake, "DELETE", d.diskId);
            expect(deleted.status).toBe(202);
            const operation = deleted.headers.get("location")!;
            expect(operation).toMatch(new RegExp(`^${fake.url}/subscriptions/${SUB}/providers/Microsoft\\.Compute/locations/westeurope/operations/[0-9a-f-]{36}\\?monitor=true&api-version=2025-01-02$`));
            expect((await arm(fake, "GET", operation)).status).toBe(200);
        }
        expect(fake.disks().map((d) => d.name)).toEqual(["keep-me"]);
        expect((await arm(fake, "GET", os.diskId)).status).toBe(404);
        expect((await arm(fake, "DELETE", os.diskId)).status).toBe(204);
    });
});
