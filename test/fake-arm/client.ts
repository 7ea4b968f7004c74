// The library's client options for the loopback fake: its endpoint, its certificate trusted, and a
// fixed token (each file's own, so that a redaction check can look for it in what reaches output).
import type { BackupClientOptions } from "pulumi-azure-vm-backup";
import { trustPolicy } from "./certificate";
import type { FakeArm } from "./server";

export function fakeClient(fake: FakeArm, token: string, more: Partial<BackupClientOptions> = {}): BackupClientOptions {
    return {
        credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
        endpoint: fake.url,
        additionalPolicies: [trustPolicy(fake.ca)],
        ...more,
    };
}
