// How the command says what is wrong, run as a child process: a refused value names the flag it
// came from, every error has the one `azure-vm-backup: ` prefix, and a missing sign-in is one line
// saying how to sign in, exit 5. None of these sends a request.
import * as fs from "fs";
import * as path from "path";
import { startFakeArm, type FakeArm } from "./fake-arm/server";
import { childEnv } from "./fake-arm/child-env";
import { runCli } from "./cli-process";

const WORK = path.join(__dirname, ".generated", "cli-errors");
const VAULT_ID_RULE = "must be a Recovery Services vault resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{name}";
const VM_ID_RULE = "must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}";
const SIGN_IN =
    "azure-vm-backup: not signed in to Azure: run `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or run where a managed identity is assigned\n";

let fake: FakeArm;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
    fake = await startFakeArm({ protectedVms: "all" });
    env = childEnv(fake, WORK);
});
afterAll(() => fake.close());

const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = env) => runCli(args, extraEnv);

// The fake's subscription: ids the fake knows, written out so that messages can be stated in full.
const S = "00000000-0000-0000-0000-0000000000aa";
const vaultId = () => `/subscriptions/${S}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod`;
const vmId = (name = "vm-web") => `/subscriptions/${S}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;

describe("a refused value names its flag", () => {
    test.each<[string, () => string[], string]>([
        ["--vault", () => ["backup-now", "--vault", "rsv-prod", "--vm", vmId()], `--vault: ${VAULT_ID_RULE}, got "rsv-prod"`],
        ["--vm", () => ["backup-now", "--vault", vaultId(), "--vm", "vm-web"], `--vm: ${VM_ID_RULE}, got "vm-web"`],
        [
            "--vm, a name that would change the request's path",
            () => ["backup-now", "--vault", vaultId(), "--vm", vmId("..")],
            `--vm: its VM name ".." would change the request's path (a name must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "${vmId("..")}"`,
        ],
        [
            "--vm, another subscription",
            () => ["backup-now", "--vault", vaultId(), "--vm", vmId().replace(S, "s2")],
            `--vm: must be in the vault's subscription ${S}, got "${vmId().replace(S, "s2")}"`,
        ],
        [
            "--retain-until, a date that does not exist",
            () => ["backup-now", "--vault", vaultId(), "--vm", vmId(), "--retain-until", "2027-02-30"],
            '--retain-until: must be a real date YYYY-MM-DD (2027-02 has 28 days), got "2027-02-30"',
        ],
        ["--endpoint", () => ["backup-now", "--vault", vaultId(), "--vm", vmId(), "--endpoint", "http://management.azure.com"], '--endpoint: must be an https URL, got "http://management.azure.com"'],
        ["jobs list --vault", () => ["jobs", "list", "--vault", `${vaultId()}/backupJobs`], `--vault: ${VAULT_ID_RULE}, got "${vaultId()}/backupJobs"`],
        ["jobs list --since", () => ["jobs", "list", "--vault", vaultId(), "--since", "2027-02-30"], '--since: must be a real date YYYY-MM-DD (2027-02 has 28 days), got "2027-02-30"'],
        ["jobs list --operation", () => ["jobs", "list", "--vault", vaultId(), "--operation", "Backup' or status eq 'Failed"], `--operation: must be an operation name such as Backup or Restore, got "Backup' or status eq 'Failed"`],
        ["jobs list --endpoint", () => ["jobs", "list", "--vault", vaultId(), "--endpoint", "ftp://management.azure.com"], '--endpoint: must be an https URL, got "ftp://management.azure.com"'],
        [
            "jobs show <jobId>",
            () => ["jobs", "show", "../../backupPolicies/DefaultPolicy", "--vault", vaultId()],
            '<jobId>: would change the request\'s path (a job id must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "../../backupPolicies/DefaultPolicy"',
        ],
        [
            "jobs wait <jobId>",
            () => ["jobs", "wait", "j?api-version=1", "--vault", vaultId()],
            '<jobId>: would change the request\'s path (a job id must not be "." or ".." nor hold /, \\, ?, #, %, spaces or control characters), got "j?api-version=1"',
        ],
        ["an unknown option, in commander's words but our prefix", () => ["jobs", "list", "--bogus"], "unknown option '--bogus'"],
        ["a missing argument", () => ["jobs", "show", "--vault", vaultId()], "missing required argument 'jobId'"],
    ])("%s", async (_what, args, message) => {
        const sent = fake.requests.length;
        const r = await cli([...args(), ...(args().includes("--endpoint") ? [] : ["--endpoint", fake.url])]);
        expect(r.stderr).toBe(`azure-vm-backup: ${message}\n`);
        expect(r.code).toBe(2);
        expect(fake.requests.length).toBe(sent);
    });

    test("an id from --from-stack is named by the file and the output it came from", async () => {
        const stack = path.join(WORK, "bad-vm.json");
        fs.mkdirSync(WORK, { recursive: true });
        fs.writeFileSync(stack, JSON.stringify({ vaultId: vaultId(), vmIds: [vmId(), "vm-db"] }));
        const r = await cli(["backup-now", "--from-stack", stack, "--endpoint", fake.url]);
        expect(r.stderr).toBe(`azure-vm-backup: --from-stack ${stack}: vmIds[1]: ${VM_ID_RULE}, got "vm-db"\n`);
        expect(r.code).toBe(2);
        expect(fake.triggers).toEqual([]);
    });
});

describe("a missing sign-in is one line saying how to sign in, exit 5", () => {
    // Only the Azure CLI credential, and no `az` to run: nothing to sign in with.
    const noAz = () => ({ ...env, PATH: path.join(WORK, "no-such-dir"), AZURE_TOKEN_CREDENTIALS: "AzureCliCredential" });

    test.each<[string, () => string[]]>([
        ["backup-now", () => ["backup-now", "--vault", vaultId(), "--vm", vmId(), "--vm", vmId("vm-db")]],
        ["backup-now --json", () => ["backup-now", "--vault", vaultId(), "--vm", vmId(), "--json"]],
        ["jobs list", () => ["jobs", "list", "--vault", vaultId()]],
        ["jobs show --json", () => ["jobs", "show", "00000000-0000-0000-0000-000000000001", "--vault", vaultId(), "--json"]],
        ["jobs wait", () => ["jobs", "wait", "00000000-0000-0000-0000-000000000001", "--vault", vaultId()]],
    ])("%s", async (_what, args) => {
        const sent = fake.requests.length;
        const r = await cli([...args(), "--endpoint", fake.url], noAz());
        expect(r.code).toBe(5);
        // Progress lines may come first; the failure is the last line, once.
        expect(r.stderr.endsWith(SIGN_IN)).toBe(true);
        expect(`${r.stdout}${r.stderr}`.split(SIGN_IN.trim()).length).toBe(2);
        expect(`${r.stdout}${r.stderr}`).not.toMatch(/ChainedTokenCredential|CredentialUnavailableError|AggregateAuthenticationError/);
        expect(fake.requests.length).toBe(sent);
    });

    test("an `az` that is not logged in says the same", async () => {
        const bin = path.join(WORK, "az-logged-out");
        fs.mkdirSync(bin, { recursive: true });
        fs.writeFileSync(path.join(bin, "az"), "#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n", { mode: 0o755 });
        const r = await cli(["jobs", "list", "--vault", vaultId(), "--endpoint", fake.url], { ...env, PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential" });
        expect(r).toEqual({ code: 5, stdout: "", stderr: SIGN_IN });
    });
});
