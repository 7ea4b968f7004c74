// The plugin as Pulumi starts it for a program in another language, without the Pulumi CLI: a
// git clone of the package (what `pulumi package add <git url>` fetches: the committed tree),
// launched as Pulumi's nodejs plugin host does (`node @pulumi/pulumi/cmd/run-plugin <package dir>`
// from the program's directory), then asked over gRPC for its schema. Once as fetched (no bin/:
// plugin-host.js runs the source through tsx), once built (bin/, as npm's prepare script leaves it).
// Being a clone, it sees only what is committed.
import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

const ROOT = path.resolve(__dirname, "..");
const GOLDEN = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8"));
/** How long a plugin may take to print its port (it takes about 1.5 s on 2 cores). */
const START_TIMEOUT_MS = 30_000;

jest.setTimeout(90_000);

let work: string;
let consumer: string;
const started = new Set<ChildProcess>();

function run(command: string, args: string[], cwd: string): Promise<void> {
    return new Promise((resolve, reject) => {
        execFile(command, args, { cwd, maxBuffer: 16 << 20 }, (err, _stdout, stderr) => {
            if (err) reject(new Error(`${command} ${args.join(" ")} failed:\n${stderr}`));
            else resolve();
        });
    });
}

/**
 * A git clone of the package. Its node_modules is a symlink to the repository's: `npm install`
 * there would take minutes and the registry, for the same locked versions. Node resolves a module
 * to its real path, so the plugin and Pulumi's launcher still share one @pulumi/pulumi.
 */
async function clone(name: string): Promise<string> {
    const dir = path.join(work, name);
    await run("git", ["clone", "--quiet", ROOT, dir], work);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

interface Plugin {
    child: ChildProcess;
    port: number;
    /** Stops the plugin and everything it started; resolves to the files it had loaded. */
    stop(): Promise<string[]>;
}

/** Records, when the plugin is told to stop, every module it loaded. */
function loadTracer(): string {
    const file = path.join(work, "trace-loads.js");
    fs.writeFileSync(
        file,
        'process.on("SIGTERM", () => { require("fs").writeFileSync(process.env.LOADED_FILES, JSON.stringify(Object.keys(require.cache))); process.exit(0); });',
    );
    return file;
}

/** Pulumi's launcher for nodejs plugins, from the @pulumi/pulumi that `dir` resolves. */
function runPlugin(dir: string): string {
    return require.resolve("@pulumi/pulumi/cmd/run-plugin/index.js", { paths: [dir] });
}

/** Starts the plugin in `packageDir` as Pulumi does and waits for the port it prints. */
function startPlugin(packageDir: string, timeoutMs = START_TIMEOUT_MS, args = [runPlugin(packageDir), packageDir]): Promise<Plugin> {
    const loaded = path.join(work, `loaded-${started.size}.json`);
    const child = spawn(process.execPath, args, {
        cwd: consumer,
        // Its own process group, so that stopping it also stops esbuild's service behind tsx.
        detached: true,
        env: { ...process.env, NODE_OPTIONS: `--require ${loadTracer()}`, LOADED_FILES: loaded },
    });
    started.add(child);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const stop = async (): Promise<string[]> => {
        if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGTERM");
        await exited;
        started.delete(child);
        return fs.existsSync(loaded) ? JSON.parse(fs.readFileSync(loaded, "utf8")) : [];
    };
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    return new Promise((resolve, reject) => {
        let settled = false;
        const fail = (why: string) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            void stop().then(() => reject(new Error(`the plugin ${why}; its stderr:\n${stderr}`)));
        };
        const timer = setTimeout(() => fail(`printed no port within ${timeoutMs / 1000} s`), timeoutMs);
        child.once("exit", (code, signal) => fail(`exited (${signal ?? code}) before printing a port`));
        child.stdout!.on("data", (d) => {
            stdout += d;
            const line = /^(\d+)\r?\n/.exec(stdout);
            if (!line || settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ child, port: Number(line[1]), stop });
        });
    });
}

// The ResourceProvider service as the engine speaks it, from the definitions @pulumi/pulumi ships.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { GetSchemaRequest } = require("@pulumi/pulumi/proto/provider_pb");

interface Client {
    getSchema(req: unknown, options: grpc.CallOptions, cb: (err: Error | null, res: { getSchema(): string }) => void): void;
    getPluginInfo(req: Empty, options: grpc.CallOptions, cb: (err: Error | null, res: { getVersion(): string }) => void): void;
    close(): void;
}

/** Calls the plugin as the engine does; the schema takes the analyzer some 10 s. */
async function ask(port: number): Promise<{ schema: unknown; version: string }> {
    const client: Client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const options = { deadline: Date.now() + 60_000 };
    const call = <T>(f: (cb: (err: Error | null, res: T) => void) => void) =>
        new Promise<T>((resolve, reject) => f((err, res) => (err ? reject(err) : resolve(res))));
    try {
        const schema = await call<{ getSchema(): string }>((cb) => client.getSchema(new GetSchemaRequest(), options, cb));
        const info = await call<{ getVersion(): string }>((cb) => client.getPluginInfo(new Empty(), options, cb));
        return { schema: JSON.parse(schema.getSchema()), version: info.getVersion() };
    } finally {
        client.close();
    }
}

/** The files of `packageDir` the plugin loaded, relative to it; and whether it loaded tsx. */
function loadedFrom(packageDir: string, files: string[]) {
    return {
        own: files.filter((f) => f.startsWith(packageDir + path.sep)).map((f) => path.relative(packageDir, f)),
        tsx: files.some((f) => f.includes(`${path.sep}node_modules${path.sep}tsx${path.sep}`)),
    };
}

const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "azure-vm-backup-plugin-"));
    consumer = path.join(work, "program");
    fs.mkdirSync(consumer);
});

afterAll(async () => {
    for (const child of started) {
        try {
            process.kill(-child.pid!, "SIGKILL");
        } catch {
            // already gone
        }
    }
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

test("a clone with nothing built starts from its source and serves the committed schema", async () => {
    const dir = await clone("fetched");
    expect(fs.existsSync(path.join(dir, "bin"))).toBe(false);
    const plugin = await startPlugin(dir);
    const { schema, version: served } = await ask(plugin.port);
    const loaded = loadedFrom(dir, await plugin.stop());

    expect(schema).toEqual(GOLDEN);
    expect((schema as { name: string }).name).toBe("azure-vm-backup");
    expect(served).toBe(version);
    expect(loaded.own).toEqual(expect.arrayContaining(["plugin-host.js", path.join("src", "components", "package.ts")]));
    expect(loaded.own.filter((f) => f.startsWith(`bin${path.sep}`))).toEqual([]);
    expect(loaded.tsx).toBe(true);
});

test("a built clone starts from bin/, without tsx, and serves the committed schema", async () => {
    const dir = await clone("built");
    await run("npm", ["run", "build", "--silent"], dir);
    const plugin = await startPlugin(dir);
    const { schema, version: served } = await ask(plugin.port);
    const loaded = loadedFrom(dir, await plugin.stop());

    expect(schema).toEqual(GOLDEN);
    expect(served).toBe(version);
    expect(loaded.own).toEqual(expect.arrayContaining(["plugin-host.js", path.join("bin", "components", "package.js")]));
    expect(loaded.own.filter((f) => f.endsWith(".ts"))).toEqual([]);
    expect(loaded.tsx).toBe(false);
});

describe("a plugin that does not start fails the launch with its stderr", () => {
    test("when it exits", async () => {
        // Pulumi's launcher pointed at a directory that holds no package.
        await expect(startPlugin(consumer, START_TIMEOUT_MS, [runPlugin(ROOT), consumer])).rejects.toThrow(/exited \(32\) before printing a port; its stderr:\n.*We failed to locate the entry point/s);
    });

    test("when it prints no port in time", async () => {
        const silent = ["-e", 'console.error("still starting"); setInterval(() => {}, 1000);'];
        await expect(startPlugin(consumer, 1_000, silent)).rejects.toThrow("the plugin printed no port within 1 s; its stderr:\nstill starting");
        expect(started.size).toBe(0);
    });
});
