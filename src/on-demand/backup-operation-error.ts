/** What went wrong with an on-demand backup or a job request. */
export type BackupErrorCode =
    | "InvalidArgument"
    | "ItemNotProtected"
    | "BackupAlreadyRunning"
    | "DailyLimitReached"
    | "NotFound"
    | "Forbidden"
    | "Throttled"
    | "OperationFailed"
    | "Timeout"
    | "OutcomeUnknown"
    | "Interrupted"
    | "AzureError";

/**
 * An on-demand backup or job request that failed, said in plain words: what happened and what to
 * do. Never carries a credential or a token.
 */
export class BackupOperationError extends Error {
    constructor(
        public readonly code: BackupErrorCode,
        message: string,
        /** Azure's own error code, when Azure refused. */
        public readonly azureCode?: string,
        /** HTTP status of Azure's answer, when there was one. */
        public readonly statusCode?: number,
    ) {
        super(message);
        this.name = "BackupOperationError";
    }
}
