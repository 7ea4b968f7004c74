// bench/preview-cost: what a preview of N protected VMs costs with this library, beside the same
// vault, policies and protected items declared with raw azure-native, on Pulumi's mock runtime.
//
// Each run is a whole child process (bench/preview-cost-child.ts, compiled to JavaScript and run
// with plain `node` and Node's default heap), which loads the library built and by its package
// name through a node_modules of its own; the library and raw runs alternate from one repeat to
// the next. Prints wall time, peak RSS and peak heap of each, and the library/raw ratios; a run
// that dies (heap out of memory) is reported with its size. Asserts nothing. See bench/README.md.
//
//   npm run bench:preview-cost -- [--vms 1000,5000] [--update] [--repeat 3]   (builds the package first)
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as ts from "typescript";
import { ChildFigures, KINDS, Kind } from "./preview-cost-child";

const ROOT = path.join(__dirname, "..");
const PACKAGE = "pulumi-azure-vm-backup";

/** What one child process came to. */
type Outcome =
    | { ok: true; wallMs: number; figures: ChildFigures }
    | { ok: false; wallMs: number; peakRssMb: number; reason: string };

/**
 * The child as a user's program: JavaScript, in a directory whose node_modules holds the package
 * by its name (a symlink to this repository, as `npm install <folder>` makes), so `require`
 * goes through package.json "exports" to bin/. It lives under this repository's node_modules so
 * that it and the package find the one @pulumi/pulumi there, as a user's program does.
 */
function childScript(): string {
    const dir = path.join(ROOT, "node_modules", ".cache", "bench-preview-cost");
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    const link = path.join(dir, "node_modules", PACKAGE);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(ROOT, link, "dir");
    const source = path.join(__dirname, "preview-cost-child.ts");
    const { outputText } = ts.transpileModule(fs.readFileSync(source, "utf8"), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: source,
    });
    const script = path.join(dir, "child.js");
    fs.writeFileSync(script, outputText);
    if (!fs.existsSync(path.join(ROOT, "bin", "index.js"))) throw new Error("bin/index.js not found: run `npm run build` first (npm run bench:preview-cost does)");
    return script;
}

/** The child's VmHWM, read from outside: a child that dies still leaves its peak here. */
function readHwmMb(pid: number): number | undefined {
    try {
        const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) / 1024 : undefined;
    } catch {
        return undefined;
    }
}

function runChild(script: string, kind: Kind, vms: number, preview: boolean, timeoutS: number): Promise<Outcome> {
    return new Promise((resolve) => {
        const t0 = performance.now();
        const child = spawn(process.execPath, [script, kind, String(vms), preview ? "preview" : "update"], { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
        let peakRssMb = 0;
        const poll = setInterval(() => (peakRssMb = Math.max(peakRssMb, readHwmMb(child.pid!) ?? 0)), 50);
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
        }, timeoutS * 1000);
        child.on("close", (code, signal) => {
            const wallMs = performance.now() - t0;
            clearInterval(poll);
            clearTimeout(timer);
            if (code === 0) {
                resolve({ ok: true, wallMs, figures: JSON.parse(stdout) as ChildFigures });
                return;
            }
            const reason = timedOut
                ? `timed out after ${timeoutS} s`
                : /heap out of memory/i.test(stderr)
                  ? "HEAP OUT OF MEMORY"
                  : `exit ${code ?? signal}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`;
            resolve({ ok: false, wallMs, peakRssMb, reason });
        });
    });
}

/** The children inherit NODE_OPTIONS: a heap size set there is not Node's default. */
function heapNote(): string {
    const set = /--max-old-space-size[= ](\d+)/.exec(process.env.NODE_OPTIONS ?? "");
    return set ? `heap limit ${set[1]} MB from NODE_OPTIONS (not Node's default)` : "Node's default heap";
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

function parseList(flag: string, text: string, min: number): number[] {
    const list = text.split(",").map((s) => Number(s.trim()));
    if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < min)) throw new Error(`${flag}: expected integers >= ${min}, comma-separated, got ${JSON.stringify(text)}`);
    return list;
}

/** Loud, so that figures over different resources are never read as a comparison. */
function compareRegistrations(vms: number, outcomes: Record<Kind, Outcome[]>): string[] {
    const done = Object.entries(outcomes).flatMap(([kind, list]) => list.filter((o) => o.ok).map((o) => ({ kind, reg: (o as { figures: ChildFigures }).figures.registered })));
    const first = done[0];
    const lines: string[] = [];
    for (const other of done.slice(1)) {
        if (other.reg.digest === first.reg.digest) continue;
        lines.push(`!!! MISMATCH at ${vms} VMs: ${first.kind} and ${other.kind} registered different resources (type, name or inputs); the comparison is not fair !!!`);
        lines.push(`    ${first.kind}: ${JSON.stringify(first.reg.byType)}`);
        lines.push(`    ${other.kind}: ${JSON.stringify(other.reg.byType)}`);
        for (const key of new Set([...Object.keys(first.reg.samples), ...Object.keys(other.reg.samples)])) {
            if (first.reg.samples[key] === other.reg.samples[key]) continue;
            lines.push(`    ${first.kind}: ${first.reg.samples[key] ?? `(no ${key})`}`);
            lines.push(`    ${other.kind}: ${other.reg.samples[key] ?? `(no ${key})`}`);
        }
        break;
    }
    return lines;
}

function report(vms: number, kinds: Kind[], outcomes: Record<Kind, Outcome[]>): string {
    const ok = (k: Kind) => outcomes[k].filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    const failed = (k: Kind) => outcomes[k].filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    const fig = (k: Kind, f: (o: Extract<Outcome, { ok: true }>) => number): number | undefined => (ok(k).length ? median(ok(k).map(f)) : undefined);
    const rows: [string, (o: Extract<Outcome, { ok: true }>) => number, number][] = [
        ["wall time, whole process (s)", (o) => o.wallMs / 1000, 1],
        ["load (s)", (o) => o.figures.loadMs / 1000, 2],
        ["program (s)", (o) => o.figures.programMs / 1000, 1],
        ["peak RSS, VmHWM (MB)", (o) => o.figures.peakRssMb, 0],
        ["peak heap used (MB)", (o) => o.figures.peakHeapMb, 0],
        ["heap limit (MB)", (o) => o.figures.heapLimitMb, 0],
        ["resources registered", (o) => o.figures.resources, 0],
        ["invokes", (o) => o.figures.invokes, 0],
    ];
    const ratio = kinds.includes("library") && kinds.includes("raw");
    const deaths = kinds.flatMap((k) => failed(k).map((f) => `**${k}, ${vms} VMs: ${f.reason}** after ${(f.wallMs / 1000).toFixed(1)} s, peak RSS ${f.peakRssMb.toFixed(0)} MB`));
    if (kinds.every((k) => ok(k).length === 0)) return `${vms} VMs: no run completed\n\n${deaths.join("\n")}\n`;
    let out = `| ${vms} VMs | ${kinds.join(" | ")}${ratio ? " | library / raw" : ""} |\n|---|${kinds.map(() => "---|").join("")}${ratio ? "---|" : ""}\n`;
    out += `| runs completed | ${kinds.map((k) => `${ok(k).length} of ${outcomes[k].length}`).join(" | ")}${ratio ? " | |" : " |"}\n`;
    for (const [label, f, digits] of rows) {
        const cells = kinds.map((k) => fig(k, f));
        const lib = ratio ? fig("library", f) : undefined;
        const raw = ratio ? fig("raw", f) : undefined;
        const r = ratio && lib !== undefined && raw !== undefined && raw > 0 && !label.startsWith("heap limit") && !label.startsWith("resources") && !label.startsWith("invokes") ? (lib / raw).toFixed(2) : "";
        out += `| ${label} | ${cells.map((c) => (c === undefined ? "—" : c.toFixed(digits))).join(" | ")}${ratio ? ` | ${r}` : ""} |\n`;
    }
    return deaths.length ? `${out}\n${deaths.join("\n")}\n` : out;
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            vms: { type: "string", default: "1000" },
            update: { type: "boolean", default: false },
            repeat: { type: "string", default: "3" },
            runs: { type: "string", default: "library,raw" },
            "timeout-s": { type: "string", default: "600" },
            help: { type: "boolean" },
        },
        strict: true,
    });
    if (values.help) {
        process.stdout.write("usage: npm run bench:preview-cost -- [--vms 1000[,5000,...]] [--repeat 3] [--update] [--runs library,raw[,raw+component]] [--timeout-s 600]\n");
        return;
    }
    const sizes = parseList("--vms", values.vms, 1);
    const [repeat] = parseList("--repeat", values.repeat, 1);
    const [timeoutS] = parseList("--timeout-s", values["timeout-s"], 1);
    const kinds = values.runs.split(",").map((s) => s.trim()) as Kind[];
    if (kinds.length === 0 || kinds.some((k) => !KINDS.includes(k))) throw new Error(`--runs: expected some of ${KINDS.join(", ")}, got ${JSON.stringify(values.runs)}`);
    const preview = !values.update;
    const script = childScript();

    process.stdout.write(`preview-cost: ${sizes.join(", ")} VMs, ${preview ? "preview" : "update"} mode, ${repeat} run(s) each, Node ${process.version}, ${heapNote()}\n\n`);
    for (const vms of sizes) {
        const outcomes = Object.fromEntries(kinds.map((k) => [k, [] as Outcome[]])) as Record<Kind, Outcome[]>;
        for (let r = 0; r < repeat; r++) {
            // Rotate the order from one repeat to the next: library and raw alternate going first.
            for (const kind of [...kinds.slice(r % kinds.length), ...kinds.slice(0, r % kinds.length)]) {
                const o = await runChild(script, kind, vms, preview, timeoutS);
                outcomes[kind].push(o);
                process.stderr.write(
                    `  ${vms} VMs, ${kind}, repeat ${r + 1}: ${o.ok ? `${(o.wallMs / 1000).toFixed(1)} s, peak RSS ${o.figures.peakRssMb.toFixed(0)} MB, peak heap ${o.figures.peakHeapMb.toFixed(0)} MB` : `${o.reason} after ${(o.wallMs / 1000).toFixed(1)} s, peak RSS ${o.peakRssMb.toFixed(0)} MB`}\n`,
                );
            }
        }
        const loaded = new Set(outcomes.library?.flatMap((o) => (o.ok && o.figures.libraryFile ? [path.relative(ROOT, o.figures.libraryFile)] : [])));
        if (loaded.size) process.stdout.write(`library loaded from ${[...loaded].join(", ")}\n\n`);
        process.stdout.write(`${report(vms, kinds, outcomes)}\n`);
        const mismatch = compareRegistrations(vms, outcomes);
        const completed = kinds.reduce((n, k) => n + outcomes[k].filter((o) => o.ok).length, 0);
        const same = completed < 2 ? "fewer than two runs completed: nothing to compare" : "same types, names and inputs in every completed run";
        process.stdout.write(mismatch.length ? `\n${mismatch.join("\n")}\n\n` : `\nregistered resources: ${same}\n\n`);
    }
}

main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
});
