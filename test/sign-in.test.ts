// A credential that cannot sign in is one BackupOperationError, code NotSignedIn, that says how to
// sign in, not the chained credential's report; nothing is sent.
import { AggregateAuthenticationError, AuthenticationError, CredentialUnavailableError } from "@azure/identity";
import { BackupOperationError, getBackupJob, type BackupClientOptions } from "pulumi-azure-vm-backup";
import { startFakeArm, type FakeArm } from "./fake-arm/server";
import { trustPolicy } from "./fake-arm/certificate";

const HOW =
    "run `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or run where a managed identity is assigned";

let fake: FakeArm;
beforeAll(async () => {
    fake = await startFakeArm();
});
afterAll(() => fake.close());

const failing = (err: Error): BackupClientOptions => ({
    credential: {
        getToken: async () => {
            throw err;
        },
    },
    endpoint: fake.url,
    additionalPolicies: [trustPolicy(fake.ca)],
});

async function failure(err: Error): Promise<BackupOperationError> {
    const e = await getBackupJob({ vaultId: fake.vaultId("rg-backup", "rsv-prod"), jobId: "00000000-0000-0000-0000-000000000001" }, { client: failing(err) }).then(
        () => undefined,
        (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(BackupOperationError);
    expect(fake.requests).toEqual([]);
    return e as BackupOperationError;
}

test.each([
    ["no credential available", new CredentialUnavailableError("AzureCliCredential: Azure CLI could not be found.")],
    ["every credential of a chain unavailable", new AggregateAuthenticationError([new CredentialUnavailableError("EnvironmentCredential is unavailable.")], "ChainedTokenCredential authentication failed.")],
])("%s: not signed in, and how to sign in", async (_what, err) => {
    const e = await failure(err);
    expect(e.code).toBe("NotSignedIn");
    expect(e.message).toBe(`not signed in to Azure: ${HOW}`);
});

test("a sign-in Entra ID refuses: its code and the first line of its reason", async () => {
    const e = await failure(
        new AuthenticationError(401, {
            error: "invalid_client",
            error_description: "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 0f1e\r\nCorrelation ID: 9a8b\r\nTimestamp: 2026-12-04 10:00:00Z",
        }),
    );
    expect(e.code).toBe("NotSignedIn");
    expect(e.message).toBe(`signing in to Azure failed (invalid_client: AADSTS7000215: Invalid client secret provided.): check the credential, or ${HOW}`);
});
