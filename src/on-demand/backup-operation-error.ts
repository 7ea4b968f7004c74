import { redact } from "./redact";

/** What went wrong with an on-demand backup or a job request. */
export type BackupErrorCode =
    | "InvalidArgument"
    | "NotSignedIn"
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
 * do. Never carries a credential or a token: whatever Azure said is redacted before it is kept.
 */
export class BackupOperationError extends Error {
    /** Azure's own error code, when Azure refused. */
    public readonly azureCode?: string;

    constructor(
        public readonly code: BackupErrorCode,
        message: string,
        azureCode?: string,
        /** HTTP status of Azure's answer, when there was one. */
        public readonly statusCode?: number,
    ) {
        // Redacted before Error captures it: the stack repeats the message.
        super(redact(message));
        this.name = "BackupOperationError";
        this.azureCode = azureCode === undefined ? undefined : redact(azureCode);
    }
}

/** A refused argument (code InvalidArgument), naming the argument and the rule it broke. */
export class InvalidArgumentError extends BackupOperationError {
    /** The argument as the caller wrote it: `vaultId`, `retainUntil`, `client.endpoint`, ... */
    public readonly argument: string;
    /** The rule and the value received: `must be ..., got ...`. */
    public readonly reason: string;

    constructor(argument: string, reason: string) {
        super("InvalidArgument", `${argument}: ${reason}`);
        this.name = "InvalidArgumentError";
        // The value received may be a secret put in the wrong place.
        this.argument = redact(argument);
        this.reason = redact(reason);
    }
}
