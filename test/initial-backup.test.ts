// ProtectedVm's initialBackup: the dynamic resource it registers, and that resource's provider
// as Pulumi serializes it, run in a process of its own against the fake Resource Manager.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BackupVault, ProtectedVm, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { initialBackupProvider } from "../src/on-demand/initial-backup";
import { SUBSCRIPTION, mockPulumi, registered, thrown } from "./mocks";
import { startFakeArm } from "./fake-arm/server";
import { childEnv } from "./fake-arm/child-env";

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

const WORK = path.join(__dirname, ".generated", "initial-backup");
const vmId = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
const existingVm = () => (i: Record<string, any>) => ({ id: vmId(i.vmName), name: i.vmName, location: "westeurope" });

function protect(initialBackup: unknown) {
    const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" });
    return new ProtectedVm("web", { policy: VmBackupPolicy.default("daily", vault), vm: vmId("vm-web"), initialBackup } as any);
}

describe("ProtectedVm initialBackup", () => {
    test("registers one backup, after the protected item, under the component", async () => {
        const world = mockPulumi({ preview: false, invokes: { "azure-native:compute:getVirtualMachine": existingVm() } });
        const pvm = protect({ retainUntil: "2099-01-31" });
        await registered(pvm.protectedItem);
        await world.failures();
        const backup = world.one(DYNAMIC);
        expect(backup.name).toBe("web");
        expect(backup.inputs).toMatchObject({
            vaultId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/prod`,
            vmId: vmId("vm-web"),
            retainUntil: "2099-01-31",
        });
        expect(typeof backup.inputs.__provider).toBe("string");
        const options = world.options.get("web");
        expect(world.resources.filter((r) => r.name === "web").map((r) => r.type)).toEqual([
            "azure-vm-backup:index:ProtectedVm",
            "azure-native:recoveryservices:ProtectedItem",
            DYNAMIC,
        ]);
        expect(options?.dependsOn).toContain("urn:pulumi:stack::project::azure-vm-backup:index:ProtectedVm$azure-native:recoveryservices:ProtectedItem::web");
        expect(options?.parent).toBe("urn:pulumi:stack::project::azure-vm-backup:index:ProtectedVm::web");
    });

    test("a date that has passed since the backup was taken does not break later runs", async () => {
        const world = mockPulumi({ preview: true, invokes: { "azure-native:compute:getVirtualMachine": existingVm() } });
        await registered(protect({ retainUntil: "2025-06-30" }).protectedItem);
        expect(await world.failures()).toEqual([]);
    });

    test("is off by default", async () => {
        const world = mockPulumi({ preview: false, invokes: { "azure-native:compute:getVirtualMachine": existingVm() } });
        await registered(protect(undefined).protectedItem);
        expect(world.ofType(DYNAMIC)).toEqual([]);
    });

    test.each<[unknown, string, string]>([
        [{ retainUntil: "2027-02-30x" }, "initialBackup.retainUntil", 'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got "2027-02-30x"'],
        [{ retainUntil: "soon" }, "initialBackup.retainUntil", 'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got "soon"'],
        // A date that does not exist is refused where it is written, not when Azure reads it at pulumi up.
        [{ retainUntil: "2027-02-30" }, "initialBackup.retainUntil", 'must be a real date YYYY-MM-DD (2027-02 has 28 days), got "2027-02-30"'],
        [{ retainUntil: "2027-13-01" }, "initialBackup.retainUntil", 'must be a real date YYYY-MM-DD, got "2027-13-01"'],
        [{ retainUntil: "2027-06-01T24:00:00Z" }, "initialBackup.retainUntil", 'must be a real time of day (hours 00-23, minutes and seconds 00-59), got "2027-06-01T24:00:00Z"'],
        [{ retainUntil: "June 1, 2027" }, "initialBackup.retainUntil", 'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got "June 1, 2027"'],
        [{ endpoint: "http://management.azure.com" }, "initialBackup.endpoint", 'must be an https URL, got "http://management.azure.com"'],
    ])("%j is refused", (initialBackup, path, reason) => {
        mockPulumi({ preview: true });
        const error = thrown(() => protect(initialBackup));
        expect(error.errors).toEqual([{ propertyPath: path, reason }]);
    });

    test.each([{ retainUntil: "2028-02-29" }, { retainUntil: "2027-06-01T10:00:00+02:00" }, { endpoint: "HTTPS://management.usgovcloudapi.net" }])("%j is accepted", async (initialBackup) => {
        const world = mockPulumi({ preview: false, invokes: { "azure-native:compute:getVirtualMachine": existingVm() } });
        await registered(protect(initialBackup).protectedItem);
        expect(await world.failures()).toEqual([]);
        expect(world.one(DYNAMIC).inputs).toMatchObject(initialBackup);
    });
});

describe("the initial backup's provider", () => {
    test("as Pulumi serializes it, in a process of its own, backs the VM up once", async () => {
        // The provider as the engine would receive it.
        const world = mockPulumi({ preview: false, invokes: { "azure-native:compute:getVirtualMachine": existingVm() } });
        await registered(protect(true).protectedItem);
        await world.failures();
        fs.mkdirSync(WORK, { recursive: true });
        const providerFile = path.join(WORK, "provider.js");
        fs.writeFileSync(providerFile, world.one(DYNAMIC).inputs.__provider);

        const fake = await startFakeArm({ snapshotMs: 50, transferMs: 50, operationMs: 20 });
        try {
            const inputs = { vaultId: fake.vaultId("rg-backup", "prod"), vmId: fake.vmId("rg-app", "vm-web"), retainUntil: "2099-01-31", endpoint: fake.url };
            const script = `require(${JSON.stringify(providerFile)}).handler().create(${JSON.stringify(inputs)}).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(1); });`;
            const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
                execFile(process.execPath, ["--require", path.join(__dirname, "from-source.js"), "-e", script], { cwd: path.resolve(__dirname, ".."), env: childEnv(fake, WORK) }, (err, stdout, stderr) =>
                    resolve({ code: err ? 1 : 0, stdout, stderr }),
                ),
            );
            expect(out.stderr).toBe("");
            expect(out.code).toBe(0);
            expect(fake.triggers.map((t) => [t.vm, t.expiry.slice(0, 19)])).toEqual([["vm-web", "2099-01-31T23:59:59"]]);
            expect(JSON.parse(out.stdout)).toEqual({ id: fake.triggers[0].jobId, outs: { ...inputs, jobId: fake.triggers[0].jobId } });
        } finally {
            await fake.close();
        }
    });

    test("runs again only for another VM or vault; a new date changes nothing taken", async () => {
        const olds = { vaultId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/a", vmId: "/x/vm-1", retainUntil: "2099-01-01" };
        expect(await initialBackupProvider.diff!("job", olds, { ...olds, vaultId: olds.vaultId.toUpperCase() })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
        expect(await initialBackupProvider.diff!("job", olds, { ...olds, vmId: "/x/vm-2" })).toEqual({ changes: true, replaces: ["vmId"], deleteBeforeReplace: false });
        expect(await initialBackupProvider.diff!("job", olds, { ...olds, retainUntil: "2099-02-01" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
        expect(await initialBackupProvider.update!("job", { ...olds, jobId: "job-1" }, { ...olds, retainUntil: "2099-02-01" })).toEqual({
            outs: { ...olds, retainUntil: "2099-02-01", jobId: "job-1" },
        });
    });
});
