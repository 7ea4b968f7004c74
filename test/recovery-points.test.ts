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
        expect((await refused({ since: "2026-11-03" })).message).toBe('since: unknown argument (options takes from, to, secondaryRegion, client, signal), got "2026-11-03"');
        expect((await refused({ secondaryRegion: "yes" })).message).toBe('secondaryRegion: must be true or false, got "yes"');
        expect(fake.requests).toEqual([]);
    });
});

describe("listRecoveryPoints with secondaryRegion: the points the vault's paired region holds", () => {
    const HOUR = 3_600_000;
    /** A time this long ago, to the second (as Azure's times compare here). */
    const ago = (ms: number) => new Date(Math.floor((Date.now() - ms) / 1000) * 1000).toISOString();
    const RECENT: FakeRecoveryPoint[] = [
        { name: "400001", time: ago(48 * HOUR) },
        { name: "400002", time: ago(24 * HOUR), tiers: [{ type: "InstantRP", status: "Valid" }] },
        { name: "400003", time: ago(30 * HOUR), tiers: [{ type: "ArchivedRP", status: "Valid" }] },
        { name: "400004", time: ago(HOUR) },
    ];
    const crr = { [VAULT]: { storageModelType: "GeoRedundant", crossRegionRestoreFlag: true } };

    test("lists the replicated points only, newest first, each restorable there; the vault's own list still has the newer one", async () => {
        // Azure copies a point to the paired region hours after it is taken: here, six.
        const fake = await fakeArm({ crrLagMs: 6 * HOUR, recoveryPoints: { web: RECENT }, storageConfigs: crr });
        const target = { vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "web") };
        const paired = await listRecoveryPoints(target, { client: client(fake), secondaryRegion: true });
        // 400004 is too recent, 400002 a snapshot only, 400003 in the archive: none of them is there.
        expect(paired.map((p) => [p.name, p.secondaryRegionRestorable])).toEqual([["400001", true]]);
        expect(paired[0]).toMatchObject({ id: expect.stringMatching(/\/recoveryPoints\/400001$/), time: new Date(RECENT[0].time), tiers: [{ tier: "Snapshot" }, { tier: "VaultStandard" }] });
        // In the vault's region: every point, flagged by whether it qualifies for the paired region.
        const here = await listRecoveryPoints(target, { client: client(fake) });
        expect(here.map((p) => [p.name, p.secondaryRegionRestorable])).toEqual([
            ["400004", true],
            ["400002", false],
            ["400003", false],
            ["400001", true],
        ]);
        // Once its lag has passed, a point is there too; the bounds apply as in the vault's region.
        const later = await fakeArm({ crrLagMs: 0, recoveryPoints: { web: RECENT }, storageConfigs: crr });
        const all = await listRecoveryPoints({ ...target, vaultId: later.vaultId(VAULT_RG, VAULT) }, { client: client(later), secondaryRegion: true });
        expect(all.map((p) => p.name)).toEqual(["400004", "400001"]);
        const bounded = await listRecoveryPoints({ ...target, vaultId: later.vaultId(VAULT_RG, VAULT) }, { client: client(later), secondaryRegion: true, to: RECENT[2].time });
        expect(bounded.map((p) => p.name)).toEqual(["400001"]);
    });

    test("every page of the paired region's list is read", async () => {
        const many: FakeRecoveryPoint[] = Array.from({ length: 60 }, (_, i) => ({ name: String(500000 + i), time: ago((i + 2) * HOUR) }));
        const fake = await fakeArm({ recoveryPoints: { web: many }, storageConfigs: crr });
        const paired = await listRecoveryPoints({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "web") }, { client: client(fake), secondaryRegion: true });
        expect(paired.map((p) => p.name)).toEqual(many.map((p) => p.name));
        expect(fake.requests.filter((r) => r.method === "GET" && r.path.endsWith("/recoveryPoints"))).toHaveLength(2);
    });

    test("the paired region's list refused or unreadable: an error saying what was being read", async () => {
        const list = (r: { method: string; path: string }) => r.method === "GET" && r.path.endsWith("/recoveryPoints");
        const refused = await fakeArm({
            recoveryPoints: { web: RECENT },
            storageConfigs: crr,
            faults: (r) => (list(r) ? { kind: "status", status: 403, code: "AuthorizationFailed", message: "No access to the paired region." } : undefined),
        });
        const target = (fake: FakeArm) => ({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId: fake.vmId(VM_RG, "web") });
        const err = await listRecoveryPoints(target(refused), { client: client(refused), secondaryRegion: true }).catch((e) => e);
        expect(err).toBeInstanceOf(BackupOperationError);
        expect(err.message).toMatch(/^listing the recovery points of VM web that the paired region of vault rsv-prod holds: .*No access to the paired region\./);
        const garbled = await fakeArm({ recoveryPoints: { web: RECENT }, storageConfigs: crr, faults: (r) => (list(r) ? { kind: "malformed" } : undefined) });
        const unread = await listRecoveryPoints(target(garbled), { client: client(garbled), secondaryRegion: true }).catch((e) => e);
        expect(unread).toBeInstanceOf(BackupOperationError);
        expect(unread.message).toMatch(/^listing the recovery points of VM web that the paired region of vault rsv-prod holds: /);
    });

    test("a vault without cross-region restore: an error saying what to do, and no list asked for", async () => {
        const fake = await fakeArm({
            recoveryPoints: { web: RECENT },
            storageConfigs: { [VAULT]: { storageModelType: "GeoRedundant" }, "rsv-local": { storageModelType: "LocallyRedundant" } },
        });
        const vmId = fake.vmId(VM_RG, "web");
        const off = await listRecoveryPoints({ vaultId: fake.vaultId(VAULT_RG, VAULT), vmId }, { client: client(fake), secondaryRegion: true }).catch((e) => e);
        expect(off).toBeInstanceOf(InvalidArgumentError);
        expect(off.message).toBe(
            "secondaryRegion: listing the points of the paired region needs a GeoRedundant vault with cross-region restore enabled, and its cross-region restore is off: enable cross-region restore on the vault (crossRegionRestore: true on a GeoRedundant BackupVault), or list the points of the vault's region, got true",
        );
        const local = await listRecoveryPoints({ vaultId: fake.vaultId(VAULT_RG, "rsv-local"), vmId }, { client: client(fake), secondaryRegion: true }).catch((e) => e);
        expect(local.message).toMatch(/^secondaryRegion: listing the points of the paired region needs a GeoRedundant vault with cross-region restore enabled, and its storage is LocallyRedundant: /);
        expect(fake.requests.filter((r) => r.path.endsWith("/recoveryPoints"))).toEqual([]);
    });
});

describe("the paired region's list, page by page", () => {
    const item = { subscriptionId: "s", resourceGroupName: "rg", vaultName: "v", containerName: "c", protectedItemName: "i", vmName: "web" };
    const point = (name: string) => ({ name, properties: { objectType: "IaasVMRecoveryPoint", recoveryPointTime: "2026-12-01T22:00:00Z" } });

    /** A Backup client whose every request answers the next of `pages`; the requests it was asked for, recorded. */
    function pagedClient(pages: unknown[]) {
        const asked: { path: string; query: Record<string, string> }[] = [];
        const client = {
            async sendOperationRequest(args: { armPath: string; query: Record<string, string>; options: { onResponse: (r: unknown) => void } }) {
                asked.push({ path: args.armPath, query: args.query });
                args.options.onResponse({ status: 200, parsedBody: pages.shift() });
            },
        };
        return { client: client as never, asked };
    }

    test("each next page is asked for at its path and query, on the client's own endpoint; a link seen before ends the list", async () => {
        const { listCrossRegionPoints } = await import("../src/on-demand/cross-region");
        const link = "https://elsewhere.example.com/subscriptions/s/x/recoveryPoints/?api-version=2023-01-15&$skiptoken=2";
        const { client, asked } = pagedClient([
            { value: [point("1")], nextLink: link },
            { value: [point("2")], nextLink: link },
        ]);
        const points = await listCrossRegionPoints(client, item, undefined);
        expect(points.map((p) => p.name)).toEqual(["1", "2"]);
        expect(asked).toEqual([
            { path: "subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupFabrics/Azure/protectionContainers/c/protectedItems/i/recoveryPoints/", query: {} },
            { path: "subscriptions/s/x/recoveryPoints/", query: { $skiptoken: "2" } },
        ]);
    });

    test("a next-page link that is not a URL is an error saying so", async () => {
        const { listCrossRegionPoints } = await import("../src/on-demand/cross-region");
        const { client } = pagedClient([{ value: [point("1")], nextLink: "not a url" }]);
        await expect(listCrossRegionPoints(client, item, undefined)).rejects.toThrow(new BackupOperationError("AzureError", "Azure's link to the next page of the list is not a URL"));
    });
});
