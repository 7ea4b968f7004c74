// A credential that could not sign in, said in one line with what to do, instead of the chained
// credential's report of every source it tried.
import { BackupOperationError } from "./backup-operation-error";

/** How DefaultAzureCredential finds a sign-in, as a user sets one up. */
export const HOW_TO_SIGN_IN =
    "run `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or run where a managed identity is assigned";

// @azure/identity's errors, by name: the classes may come from another copy of the package.
const UNAVAILABLE = new Set(["CredentialUnavailableError", "AggregateAuthenticationError", "AuthenticationRequiredError"]);

/** The error to report when `err` is a credential's failure to sign in; undefined otherwise. */
export function signInFailure(err: unknown): BackupOperationError | undefined {
    if (!(err instanceof Error)) return undefined;
    if (UNAVAILABLE.has(err.name)) return new BackupOperationError("NotSignedIn", `not signed in to Azure: ${HOW_TO_SIGN_IN}`);
    if (err.name === "AuthenticationError") {
        // A sign-in that was found but refused (a wrong secret, an expired certificate): Entra ID's
        // code and the first line of its description, without the trace and correlation ids.
        const response = (err as { errorResponse?: { error?: string; errorDescription?: string } }).errorResponse;
        const said = [response?.error, response?.errorDescription?.split(/\r?\n/)[0]].filter(Boolean).join(": ") || err.message.split("\n")[0];
        return new BackupOperationError("NotSignedIn", `signing in to Azure failed (${said}): check the credential, or ${HOW_TO_SIGN_IN}`);
    }
    return undefined;
}
