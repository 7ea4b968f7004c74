// The package as a user gets it: `npm pack` (which builds bin/ through the prepare script), the
// tarball installed with its peers into a project outside the repository, and the installed
// command run there. Every other test runs the source; this one alone runs the build.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
/** The peers at the versions the tests use, so npm finds them in the cache `npm ci` filled. */
const peers = ["@pulumi/pulumi", "@pulumi/azure-native"].map((name) => `${name}@${lock.packages[`node_modules/${name}`].version}`);

interface Result {
    code: number;
    stdout: string;
    stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
    return new Promise((resolve) => {
        execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
    });
}

/** What `npm pack --json` says of the tarball it wrote. */
interface Packed {
    filename: string;
    files: { path: string }[];
}

let work: string;
let packed: Packed;
let consumer: string;

beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "azure-vm-backup-package-"));
    const pack = await run("npm", ["pack", "--json", "--pack-destination", work], ROOT);
    if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
    packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[")))[0];

    consumer = path.join(work, "consumer");
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    const install = await run(
        "npm",
        ["install", path.join(work, packed.filename), ...peers, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"],
        consumer,
    );
    if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
}, 240_000);

afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

test("the tarball holds the build, its types, the command, the licence and the README, and no tests", () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "bin/index.js", "bin/index.d.ts", "bin/cli/main.js"]));
    // What Pulumi's plugin host needs to serve the components to other languages.
    expect(files).toEqual(expect.arrayContaining(["PulumiPlugin.yaml", "plugin-host.js", "tsconfig.json", "bin/components/package.js"]));
    expect(files.filter((f) => f.startsWith("test/") || f.startsWith("examples/") || f.startsWith("bench/"))).toEqual([]);
    // Every compiled file ships with the source its map points at.
    const maps = files.filter((f) => f.endsWith(".js.map"));
    expect(maps.length).toBeGreaterThan(0);
    expect(maps.map((m) => m.replace(/^bin\//, "src/").replace(/\.js\.map$/, ".ts")).filter((src) => !files.includes(src))).toEqual([]);
});

test("the installed command answers --help without loading Pulumi or TypeScript support", async () => {
    const trace = path.join(work, "trace-requires.js");
    fs.writeFileSync(trace, 'process.on("exit", () => process.stderr.write(JSON.stringify(Object.keys(require.cache).filter((f) => /@pulumi|tsx/.test(f)))));');
    const r = await run(path.join(consumer, "node_modules", ".bin", "azure-vm-backup"), ["--help"], consumer, { NODE_OPTIONS: `--require ${trace}` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("preview [options] [program-dir]");
    expect(r.stdout).toContain("backup-now [options]");
    expect(JSON.parse(r.stderr)).toEqual([]);
});

test("the installed package previews a program offline, outside the repository", async () => {
    // The existing-vms example as a user's own project: it imports the package by name.
    const program = path.join(consumer, "program");
    fs.mkdirSync(program);
    for (const file of ["Pulumi.yaml", "index.ts", "inventory.json"]) {
        fs.copyFileSync(path.join(ROOT, "examples", "existing-vms", file), path.join(program, file));
    }
    // It writes nothing, not even a compile cache in the temporary directory.
    const tmp = path.join(work, "empty-tmp");
    fs.mkdirSync(tmp);
    const r = await run(path.join(consumer, "node_modules", ".bin", "azure-vm-backup"), ["preview", "program", "--inventory", "program/inventory.json", "--json"], consumer, { TMPDIR: tmp });
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.diagnostics.filter((d: { severity: string }) => d.severity === "error")).toEqual([]);
    const count = (type: string) => report.resources.filter((x: { type: string }) => x.type === type).length;
    expect([count("azure-vm-backup:index:VmBackupPolicy"), count("azure-vm-backup:index:ProtectedVm"), count("azure-native:recoveryservices:ProtectedItem")]).toEqual([2, 3, 3]);
    // The library the program ran is the installed one.
    expect(fs.existsSync(path.join(consumer, "node_modules", "pulumi-azure-vm-backup", "bin", "index.js"))).toBe(true);
}, 60_000);
