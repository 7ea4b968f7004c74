// examples/ci/restore-drill.yml: a weekly drill that signs in with OIDC and keeps its reports.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

const FILE = path.join(__dirname, "..", "examples", "ci", "restore-drill.yml");

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    if?: string;
    env?: Record<string, string>;
}
interface Workflow {
    on: { schedule: { cron: string }[] };
    permissions: Record<string, string>;
    jobs: Record<string, { steps: Step[] }>;
}

describe("restore drill workflow", () => {
    const workflow = yaml.load(fs.readFileSync(FILE, "utf8")) as Workflow;
    const steps = workflow.jobs.drill.steps;

    test("runs weekly, with the OIDC token and nothing more", () => {
        expect(workflow.on.schedule).toEqual([{ cron: "0 3 * * 1" }]);
        expect(workflow.permissions).toEqual({ contents: "read", "id-token": "write" });
    });

    test("signs in with azure/login's federated credential (no client secret) before the drill", () => {
        const login = steps.findIndex((s) => s.uses === "azure/login@v2");
        const drill = steps.findIndex((s) => s.run?.includes("azure-vm-backup restore-drill"));
        expect(login).toBeGreaterThan(-1);
        expect(drill).toBeGreaterThan(login);
        expect(Object.keys(steps[login].with!).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
    });

    test("the drill writes both reports, posts the Markdown to the job summary, and the reports are uploaded whatever the outcome", () => {
        const run = steps.find((s) => s.run?.includes("azure-vm-backup restore-drill"))!.run!;
        expect(run).toContain("--report drill.json --markdown drill.md");
        expect(run).toContain('cat drill.md >> "$GITHUB_STEP_SUMMARY"');
        expect(run).toContain('exit "$code"');
        const upload = steps.find((s) => s.uses === "actions/upload-artifact@v4")!;
        expect(upload.if).toBe("${{ always() }}");
        expect(String(upload.with!.path).trim().split("\n")).toEqual(["drill.json", "drill.md"]);
    });

    test("every flag the workflow passes is one the command takes", () => {
        const run = steps.find((s) => s.run?.includes("azure-vm-backup restore-drill"))!.run!;
        const main = fs.readFileSync(path.join(__dirname, "..", "src", "cli", "main.ts"), "utf8");
        const drill = main.slice(main.indexOf('.command("restore-drill")'));
        const taken = new Set([...drill.slice(0, drill.indexOf(".action(")).matchAll(/\.option\("(--[a-z-]+)/g)].map((m) => m[1]));
        taken.add("--endpoint");
        const passed = [...run.matchAll(/(--[a-z-]+)/g)].map((m) => m[1]);
        expect(passed.length).toBeGreaterThan(5);
        expect(passed.filter((f) => !taken.has(f))).toEqual([]);
    });
});
