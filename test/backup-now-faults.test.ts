// Every fault mix, before and after Azure started the backup, through the real Azure SDK against
// the loopback fake of Resource Manager: each VM ends with exactly one backup on the server,
// none lost, none duplicated, and nothing runs past the deadline.
import { BackupOperationError, JobWaitTimeout, backupNow, waitForBackupJob } from "pulumi-azure-vm-backup";
import { startFakeArm, type FakeArm } from "./fake-arm/server";
import { FAULT_MIXES, tally, type FaultMix, type VmReport } from "./fake-arm/fault-mixes";
import { fakeClient } from "./fake-arm/client";

const VAULT_RG = "rg-backup";
const VAULT = "rsv-prod";
const VM_RG = "rg-app";
const VMS = ["vm-0", "vm-1", "vm-2", "vm-3"];
const TIMEOUT_MS = 5000;
/** A read in flight at the deadline may finish this much later, and a stalled one is abandoned after REQUEST_TIMEOUT_MS. */
const GRACE_MS = 2500;
const REQUEST_TIMEOUT_MS = 300;

const running: FakeArm[] = [];
afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
});

const client = (fake: FakeArm) => fakeClient(fake, "sentinel-token-faults", { requestTimeoutMs: REQUEST_TIMEOUT_MS });

const outcomeOf = (err: unknown): VmReport["outcome"] =>
    err instanceof JobWaitTimeout ? "timed out" : err instanceof BackupOperationError && err.code === "OutcomeUnknown" ? "unknown" : "failed";

/** Backs a VM up and follows its job, as a caller of the library would, within one deadline. */
async function backUp(fake: FakeArm, vm: string, deadline: number): Promise<VmReport & { error?: string }> {
    const vaultId = fake.vaultId(VAULT_RG, VAULT);
    let jobId: string | undefined;
    try {
        ({ jobId } = await backupNow(
            { vaultId, vmId: fake.vmId(VM_RG, vm) },
            { client: client(fake), pollIntervalMs: 25, jobListLagMs: 1500, operationTimeoutMs: 600, timeoutMs: deadline - Date.now() },
        ));
        await waitForBackupJob({ vaultId, jobId }, { client: client(fake), pollIntervalMs: 25, timeoutMs: Math.max(1, deadline - Date.now()) });
        return { vm, jobId, outcome: "completed" };
    } catch (err) {
        return { vm, jobId, outcome: outcomeOf(err), error: (err as Error).message };
    }
}

describe.each(FAULT_MIXES.map((mix) => [mix.name, mix] as [string, FaultMix]))("fault mix %s", (_name, mix) => {
    test(`${mix.says}: one backup per VM, none lost or duplicated, ${mix.expect}, within the deadline`, async () => {
        const fake = await startFakeArm({ snapshotMs: 60, transferMs: 120, operationMs: 30, protectedVms: "all", ...mix.fake });
        running.push(fake);
        const started = Date.now();
        const reports = await Promise.all(VMS.map((vm) => backUp(fake, vm, started + TIMEOUT_MS)));
        const elapsed = Date.now() - started;

        const figures = tally(fake.triggers, reports);
        expect({ ...figures, errors: reports.filter((r) => r.outcome !== mix.expect).map((r) => r.error) }).toEqual({
            vms: VMS.length,
            backupsPerVm: { min: 1, max: 1 },
            lost: 0,
            duplicated: 0,
            failed: 0,
            unknown: mix.expect === "unknown" ? VMS.length : 0,
            errors: [],
        });
        expect(reports.map((r) => r.outcome)).toEqual(VMS.map(() => mix.expect));
        // Every VM that has a job knows it: the server's own job for that VM.
        if (mix.expect !== "unknown") expect(reports.map((r) => r.jobId).sort()).toEqual(fake.triggers.map((t) => t.jobId).sort());
        expect(elapsed).toBeLessThan(TIMEOUT_MS + GRACE_MS);
    });
});
