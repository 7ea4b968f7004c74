// The drill's disk reads, tags and deletes through the Azure Compute SDK, against the fake.
import { startFakeArm, type FakeArm, type FakeArmOptions } from "./fake-arm/server";
import { managedDisks, parseDiskId } from "../src/on-demand/managed-disks";
import { fakeClient } from "./fake-arm/client";

const running: FakeArm[] = [];
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

async function fakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = await startFakeArm(options);
    running.push(fake);
    return fake;
}

const client = (fake: FakeArm) => fakeClient(fake, "sentinel-disks");

const DISKS = [
    { resourceGroup: "rg-drill", name: "disk-a", sizeGb: 128, tags: { owner: "team-a" } },
    { resourceGroup: "rg-drill", name: "disk-b", sizeGb: 64 },
];
const id = (fake: FakeArm, name: string) => `/subscriptions/${fake.subscriptionId}/resourceGroups/rg-drill/providers/Microsoft.Compute/disks/${name}`;

describe("managed disks", () => {
    test("a disk read: its id, size, tags and creation time; a disk that is not there reads as undefined", async () => {
        const fake = await fakeArm({ disks: DISKS });
        const disks = managedDisks(client(fake));
        const a = await disks.readDisk(id(fake, "disk-a"));
        expect(a).toEqual({ id: id(fake, "disk-a"), sizeGb: 128, tags: { owner: "team-a" }, createdAt: expect.any(Date), managedBy: undefined });
        expect(await disks.readDisk(id(fake, "disk-gone"))).toBeUndefined();
    });

    test("a delete removes that disk and no other", async () => {
        const fake = await fakeArm({ disks: DISKS });
        await managedDisks(client(fake), 10).deleteDisk(id(fake, "disk-a"));
        expect(fake.disks().map((d) => d.name)).toEqual(["disk-b"]);
    });

    test("a refused delete says which disk and why", async () => {
        const fake = await fakeArm({ disks: DISKS, faults: ({ method }) => (method === "DELETE" ? { kind: "status", status: 403, code: "AuthorizationFailed", message: "no" } : undefined) });
        await expect(managedDisks(client(fake), 10).deleteDisk(id(fake, "disk-a"))).rejects.toThrow(/^deleting disk disk-a: Azure refused the credential \(AuthorizationFailed: no\)/);
        expect(fake.disks().map((d) => d.name)).toEqual(["disk-a", "disk-b"]);
    });

    test("a disk id is checked before any request", () => {
        expect(() => parseDiskId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/..")).toThrow(
            'diskId: must be a managed disk resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/disks/{name}, got "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/.."',
        );
        expect(parseDiskId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d1")).toEqual({ subscriptionId: "s", resourceGroupName: "rg", diskName: "d1" });
    });
});
