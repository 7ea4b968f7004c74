// The overall status of a VM backup job from its two phases, "Take Snapshot" and "Transfer
// data to vault" (rules section 5, Microsoft Learn's table).

/** Status of one phase of a backup job, as Azure reports its task. */
export type PhaseStatus = "NotStarted" | "InProgress" | "Completed" | "Failed" | "Skipped" | "Cancelled";

/** Overall status of a backup job. */
/** Every status a job can report: the one list the type and the argument checks both come from. */
export const JOB_STATUSES = ["InProgress", "Completed", "CompletedWithWarnings", "Failed", "Cancelled", "Cancelling"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * The job status Azure reports for these phases. The five rows of Microsoft's table, exactly:
 *
 * | snapshot  | transfer to vault | job                   |
 * | --------- | ----------------- | --------------------- |
 * | Completed | InProgress        | InProgress            |
 * | Completed | Skipped           | Completed             |
 * | Completed | Completed         | Completed             |
 * | Completed | Failed            | CompletedWithWarnings |
 * | Failed    | Failed            | Failed                |
 *
 * Outside the table, as Azure reports jobs: a snapshot not yet done (NotStarted, InProgress)
 * or a transfer not yet started keeps the job InProgress; a failed snapshot fails the job
 * whatever the transfer says; a cancelled phase cancels it.
 */
export function jobStatusFromPhases(snapshot: PhaseStatus, transferToVault: PhaseStatus): JobStatus {
    if (snapshot === "Cancelled" || transferToVault === "Cancelled") return "Cancelled";
    if (snapshot === "Failed") return "Failed";
    if (snapshot !== "Completed" && snapshot !== "Skipped") return "InProgress";
    switch (transferToVault) {
        case "Completed":
        case "Skipped":
            return "Completed";
        case "Failed":
            return "CompletedWithWarnings";
        default:
            return "InProgress";
    }
}

/** Whether a job can still change. */
/** Whether a job is a restore: in the vault's region, or in its paired region. */
export function isRestore(operation: string): boolean {
    return operation === "Restore" || operation === "CrossRegionRestore";
}

export function isRunning(status: JobStatus): boolean {
    return status === "InProgress" || status === "Cancelling";
}
