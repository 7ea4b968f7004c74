// `azure-vm-backup recovery-points`, `restore` and `restore-drill` end to end: the command as a
// child process against the fake Resource Manager, signed in as test/cli-backup.test.ts does.
import * as fs from "fs";
import * as path from "path";
import { startFakeArm, type FakeArm, type FakeArmOptions } from "./fake-arm/server";
import { SENTINEL_TOKEN, childEnv } from "./fake-arm/child-env";
import { runCli, type CliResult } from "./cli-process";

const WORK = path.join(__dirname, ".generated", "cli-restore");
const VAULT_RG = "rg-backup";
const VAULT = "rsv-prod";
const VM_RG = "rg-app";
const DRILL_RG = "rg-drill";

const running: FakeArm[] = [];
let env: NodeJS.ProcessEnv;
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d+Z$/, "Z");

/** vm-web: a point an hour old (OS disk and two data disks) and one eight days old; vm-db: one point two hours old. */
async function fakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = await startFakeArm({
        operationMs: 0,
        restoreMs: 150,
        protectedVms: "all",
        recoveryPoints: {
            "vm-web": [
                {
                    name: "111111111111",
                    time: ago(8 * DAY),
                    disks: [{ name: "vm-web-os", sizeGb: 30 }],
                },
                {
                    name: "222222222222",
                    time: ago(3_600_000),
                    consistency: "AppConsistent",
                    zones: ["1"],
                    tiers: [
                        { type: "InstantRP", status: "Valid" },
                        { type: "HardenedRP", status: "Valid" },
                    ],
                    disks: [
                        { name: "vm-web-os", sizeGb: 30 },
                        { lun: 0, name: "vm-web-data0", sizeGb: 128 },
                        { lun: 1, name: "vm-web-data1", sizeGb: 64 },
                    ],
                },
            ],
            "vm-db": [{ name: "333333333333", time: ago(7_200_000), disks: [{ name: "vm-db-os", sizeGb: 30 }] }],
        },
        ...options,
    });
    running.push(fake);
    env = childEnv(fake, WORK);
    return fake;
}

const cli = (fake: FakeArm, args: string[]) => runCli([...args, "--endpoint", fake.url], env);
const vaultId = (fake: FakeArm) => fake.vaultId(VAULT_RG, VAULT);
const vmId = (fake: FakeArm, vm: string) => fake.vmId(VM_RG, vm);
const noSentinel = (r: CliResult) => {
    expect(r.stdout).not.toContain(SENTINEL_TOKEN);
    expect(r.stderr).not.toContain(SENTINEL_TOKEN);
};

beforeAll(() => fs.mkdirSync(WORK, { recursive: true }));

describe("recovery-points list", () => {
    test("a table, newest first: time, point, consistency, tiers, zones, secondary region", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web")]);
        noSentinel(r);
        expect(r.code).toBe(0);
        const lines = r.stdout.trim().split("\n");
        expect(lines.map((l) => l.split(/ {2,}/))).toEqual([
            ["TIME", "POINT", "CONSISTENCY", "TIERS", "ZONES", "SECONDARY REGION"],
            [expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), "222222222222", "AppConsistent", "Snapshot, VaultStandard", "1", "no"],
            [expect.stringMatching(/Z$/), "111111111111", "CrashConsistent", "Snapshot, VaultStandard", "-", "no"],
        ]);
        // Aligned: each column starts where its heading does.
        for (const heading of ["POINT", "CONSISTENCY", "TIERS", "ZONES"]) {
            const at = lines[0].indexOf(heading);
            expect(lines.slice(1).map((l) => l[at - 1] === " " && l[at] !== " ")).toEqual([true, true]);
        }
        expect(lines).toHaveLength(3);
    });

    test("--since 7d leaves out the older point; --json gives the points as the library does", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web"), "--since", "7d", "--json"]);
        expect(r.code).toBe(0);
        const { points } = JSON.parse(r.stdout);
        expect(points.map((p: { name: string }) => p.name)).toEqual(["222222222222"]);
        expect(points[0]).toMatchObject({ consistency: "AppConsistent", zones: ["1"], secondaryRegionRestorable: false, disks: [{ os: true }, { lun: 0, os: false }, { lun: 1, os: false }] });
    });

    test("no points: said so, exit 0", async () => {
        const fake = await fakeArm();
        const r = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-none")]);
        expect(r).toMatchObject({ code: 0, stdout: "no recovery points\n" });
    });

    test("bad usage exits 2 naming the flag", async () => {
        const fake = await fakeArm();
        const noVm = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake)]);
        expect(noVm).toMatchObject({ code: 2, stderr: "azure-vm-backup: --vm: name the VM, --vm <vmId>\n" });
        const badVm = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", "vm-web"]);
        expect(badVm.code).toBe(2);
        expect(badVm.stderr).toBe(
            'azure-vm-backup: --vm: must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}, got "vm-web"\n',
        );
        const badSince = await cli(fake, ["recovery-points", "list", "--vault", vaultId(fake), "--vm", vmId(fake, "vm-web"), "--since", "lately"]);
        expect(badSince.code).toBe(2);
        expect(badSince.stderr).toMatch(/^azure-vm-backup: --since: .*, got "lately"\n$/);
    });
});
