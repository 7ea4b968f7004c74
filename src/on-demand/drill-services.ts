// The restore drill's services as Azure provides them: the library's recovery points, restore, job
// wait and restore configuration file, and the Compute SDK's disk reads, tags and deletes.
import type { BackupClientOptions } from "./backup-client";
import type { DrillServices } from "./restore-drill";

export interface AzureDrillOptions {
    client?: BackupClientOptions;
    /** Time between two reads of a restore's trigger, its job, or a disk deletion. */
    pollIntervalMs?: number;
    /** How long Azure may take to list a restore job after it accepted the trigger. */
    jobListLagMs?: number;
}

export async function azureDrillServices(options: AzureDrillOptions = {}): Promise<DrillServices> {
    const { client, pollIntervalMs, jobListLagMs } = options;
    const [{ listRecoveryPoints }, { restoreVm }, { waitForBackupJob }, { readRestoredDisks }, { managedDisks }] = await Promise.all([
        import("./recovery-points"),
        import("./restore"),
        import("./backup-jobs"),
        import("./restore-config"),
        import("./managed-disks"),
    ]);
    return {
        listRecoveryPoints: (target, o) => listRecoveryPoints(target, { client, signal: o.signal }),
        restoreDisks: (target, o) => restoreVm(target, { ...o, mode: "disks", client, pollIntervalMs, jobListLagMs }),
        waitForRestoreJob: (ref, o) => waitForBackupJob(ref, { ...o, client, pollIntervalMs }),
        restoredDisks: (job, signal) => readRestoredDisks(job, { client, signal }),
        ...managedDisks(client, pollIntervalMs),
    };
}
