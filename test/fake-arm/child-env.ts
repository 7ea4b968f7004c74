// The environment a child process needs to reach the fake Resource Manager as it would reach
// Azure: DefaultAzureCredential signing in through the Azure CLI credential (a stand-in `az` on
// PATH that hands out a sentinel token), and the fake's certificate trusted via NODE_EXTRA_CA_CERTS.
import * as fs from "fs";
import * as path from "path";
import type { FakeArm } from "./server";

export const SENTINEL_TOKEN = "sentinel-token-4b1d0e";

/** Writes the stand-in `az` and the CA file under `dir`; returns the child's environment. */
export function childEnv(fake: FakeArm, dir: string): NodeJS.ProcessEnv {
    fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
    const az = path.join(dir, "bin", "az");
    const expires = Math.floor(Date.now() / 1000) + 3600;
    fs.writeFileSync(az, `#!/bin/sh\necho '{"accessToken": "${SENTINEL_TOKEN}", "expires_on": ${expires}, "tokenType": "Bearer"}'\n`, { mode: 0o755 });
    const ca = path.join(dir, "ca.pem");
    fs.writeFileSync(ca, fake.ca);
    return {
        ...process.env,
        PATH: `${path.dirname(az)}${path.delimiter}${process.env.PATH}`,
        AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
        NODE_EXTRA_CA_CERTS: ca,
    };
}
