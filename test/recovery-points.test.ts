// listRecoveryPoints through the real Azure SDK against the loopback fake of Resource Manager:
// what each point says (time, consistency, tiers, zones, disks, secondary-region use), the time
// bounds on both sides, and the errors a caller gets.
import { BackupOperationError, InvalidArgumentError, listRecoveryPoints } from "pulumi-azure-vm-backup";
import { startFakeArm, type FakeArm, type FakeArmOptions, type FakeRecoveryPoint } from "./fake-arm/server";
import { fakeClient } from "./fake-arm/client";

const VAULT_RG = "rg-backup";
const VAULT = "rsv-prod";
const VM_RG = "rg-app";

const running: FakeArm[] = [];
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

async function fakeArm(options: FakeArmOptions): Promise<FakeArm> {
    const fake = await startFakeArm(options);
    running.push(fake);
    return fake;
}

const client = (fake: FakeArm) => fakeClient(fake, "sentinel-token-points", { maxRetries: 0 });

const POINTS: FakeRecoveryPoint[] = [
    { name: "100001", time: "2026-11-01T22:00:00Z", tiers: [{ type: "InstantRP", status: "Deleted" }, { type: "HardenedRP", status: "Deleted" }, { type: "ArchivedRP", status: "Valid" }] },
    {
        name: "100003",
        time: "2026-11-03T22:00:00Z",
        consistency: "AppConsistent",
        zones: ["2"],
        securityType: "TrustedLaunch",
        disks: [{ name: "web-os", sizeGb: 64 }, { lun: 0, name: "web-data0", sizeGb: 128 }, { lun: 3, name: "web-data3", sizeGb: 256 }],
    },
    { name: "100002", time: "2026-11-02T22:00:00Z", tiers: [{ type: "InstantRP", status: "Valid" }], isSourceVMEncrypted: true, sourceVMStorageType: "PremiumVMOnPartialPremiumStorage" },
];

describe("listRecoveryPoints", () => {
    test("lists the VM's points newest first, each with its time, consistency, tiers, zones and disks as Azure gives them", async () => {
        const fake = await fakeArm({ recoveryPoints: { web: POINTS } });
        const points = await listRecoveryPoints({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "web") }, { client: client(fake) });
        const itemPath = `${fake.vaultId(VAULT_RG, VAULT)}/backupFabrics/Azure/protectionContainers/iaasvmcontainer;iaasvmcontainerv2;${VM_RG};web/protectedItems/vm;iaasvmcontainerv2;${VM_RG};web`;
        expect(points.map((p) => p.name)).toEqual(["100003", "100002", "100001"]);
        expect(points[0]).toEqual({
            id: `${itemPath}/recoveryPoints/100003`,
            name: "100003",
            time: new Date("2026-11-03T22:00:00Z"),
            consistency: "AppConsistent",
            tiers: [
                { tier: "Snapshot", status: "Valid", rehydrationNeeded: false },
                { tier: "VaultStandard", status: "Valid", rehydrationNeeded: false },
            ],
            zones: ["2"],
            secondaryRegionRestorable: false,
            disks: [{ name: "web-os", os: true }, { lun: 0, name: "web-data0", os: false }, { lun: 3, name: "web-data3", os: false }],
            securityType: "TrustedLaunch",
            encrypted: false,
            sourceVmStorageType: "NormalStorage",
        });
        expect(points[1]).toMatchObject({ tiers: [{ tier: "Snapshot", status: "Valid", rehydrationNeeded: false }], encrypted: true, sourceVmStorageType: "PremiumVMOnPartialPremiumStorage", zones: [] });
        // In the archive tier only: it must be rehydrated before a restore.
        expect(points[2].tiers).toEqual([
            { tier: "Snapshot", status: "Deleted", rehydrationNeeded: false },
            { tier: "VaultStandard", status: "Deleted", rehydrationNeeded: false },
            { tier: "Archive", status: "Valid", rehydrationNeeded: true },
        ]);
    });

    test("a point can go to the paired region only from a vault with cross-region restore, and only from a vault tier", async () => {
        const fake = await fakeArm({
            recoveryPoints: { web: [...POINTS, { name: "100004", time: "2026-11-04T22:00:00Z", tiers: [{ type: "ArchivedRP", status: "Rehydrated" }] }] },
            storageConfigs: { [VAULT]: { storageModelType: "GeoRedundant", crossRegionRestoreFlag: true }, "rsv-plain": { storageModelType: "GeoRedundant" } },
        });
        const vmId = fake.vmId(VM_RG, "web");
        const withCrr = await listRecoveryPoints({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId }, { client: client(fake) });
        expect(withCrr.map((p) => [p.name, p.secondaryRegionRestorable])).toEqual([
            ["100004", true], // rehydrated from the archive: in the vault tier again
            ["100003", true],
            ["100002", false], // a snapshot only: snapshots stay in the primary region
            ["100001", false], // in the archive: not in the paired region
        ]);
        const without = await listRecoveryPoints({ vaultId: fake.vaultId(VAULT_RG, "rsv-plain"), vmId }, { client: client(fake) });
        expect(without.map((p) => p.secondaryRegionRestorable)).toEqual([false, false, false, false]);
    });

    test("from and to bound the points' times, both ends included, and are sent to Azure as its filter", async () => {
        const fake = await fakeArm({ recoveryPoints: { web: POINTS } });
        const target = { vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "web") };
        const names = async (from?: Date | string, to?: Date | string) => (await listRecoveryPoints(target, { client: client(fake), from, to })).map((p) => p.name);
        expect(await names("2026-11-02T22:00:00Z", "2026-11-03T22:00:00Z")).toEqual(["100003", "100002"]);
        expect(await names(new Date("2026-11-02T22:00:01Z"), new Date("2026-11-03T21:59:59Z"))).toEqual([]);
        expect(await names("2026-11-02")).toEqual(["100003", "100002"]);
        expect(await names(undefined, "2026-11-01T22:00:00Z")).toEqual(["100001"]);
        const lists = fake.requests.filter((r) => r.method === "GET" && r.path.endsWith("/recoveryPoints"));
        expect(lists).toHaveLength(4);
    });

    test("a VM the vault does not protect: ItemNotProtected, saying what to do", async () => {
        const fake = await fakeArm({ protectedVms: ["web"], recoveryPoints: { web: POINTS } });
        const err = await listRecoveryPoints({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "db") }, { client: client(fake) }).catch((e) => e);
        expect(err).toBeInstanceOf(BackupOperationError);
        expect(err.code).toBe("ItemNotProtected");
        expect(err.message).toMatch(/^listing the recovery points of VM db in vault rsv-prod: the VM is not protected in this vault: protect it first/);
    });

    test("bad bounds are refused before anything is sent, naming the argument and the value", async () => {
        const fake = await fakeArm({});
        const target = { vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "web") };
        const refused = (options: object) => listRecoveryPoints(target, { client: client(fake), ...options }).catch((e) => e);
        const yesterday = await refused({ from: "yesterday" });
        expect(yesterday).toBeInstanceOf(InvalidArgumentError);
        expect(yesterday.message).toBe('from: must be a valid Date or ISO-8601 date text, got "yesterday"');
        expect((await refused({ to: new Date(NaN) })).message).toBe("to: must be a valid Date or ISO-8601 date text, got an invalid Date");
        expect((await refused({ from: "2026-11-03", to: "2026-11-02" })).message).toBe('to: must not be before from ("2026-11-03"), got "2026-11-02"');
        expect((await refused({ since: "2026-11-03" })).message).toBe('since: unknown argument (options takes from, to, client, signal), got "2026-11-03"');
        expect(fake.requests).toEqual([]);
    });
});
