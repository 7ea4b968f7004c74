// The offline preview's report: a tree of planned resources in the manner of `pulumi preview`,
// a summary, then diagnostics grouped by resource; or the same as JSON for CI.
import { Diagnostic, PlannedResource, ProgramRun } from "./run-program";

export interface PreviewReport {
    resources: { urn: string; type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[];
    diagnostics: Diagnostic[];
    /** The stack's outputs as far as a preview knows them. */
    outputs: Record<string, unknown>;
}

function stackResource(run: ProgramRun): PlannedResource {
    const [, , , type, name] = /^urn:pulumi:([^:]+)::([^:]+)::([^:]+(?::[^:]+)*)::(.*)$/.exec(run.stackUrn) ?? [];
    return { urn: run.stackUrn, type: type ?? "pulumi:pulumi:Stack", name: name ?? "", custom: false, inputs: {} };
}

export function toJson(run: ProgramRun): PreviewReport {
    return {
        resources: [stackResource(run), ...run.resources].map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, inputs: r.inputs })),
        // The report's diagnostics keep their documented shape; the findings behind them stay inside.
        diagnostics: run.diagnostics.map(({ severity, urn, message }) => ({ severity, urn, message })),
        outputs: run.outputs,
    };
}

export function toText(run: ProgramRun): string {
    const stack = stackResource(run);
    const children = new Map<string, PlannedResource[]>();
    for (const r of run.resources) {
        const parent = r.parent ?? stack.urn;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const rows: { type: string; name: string }[] = [];
    const walk = (r: PlannedResource, prefix: string, last: boolean, root: boolean) => {
        rows.push({ type: root ? r.type : `${prefix}${last ? "└─ " : "├─ "}${r.type}`, name: r.name });
        const kids = children.get(r.urn) ?? [];
        const inner = root ? "" : `${prefix}${last ? "   " : "│  "}`;
        kids.forEach((k, i) => walk(k, inner, i === kids.length - 1, false));
    };
    walk(stack, "", true, true);
    const typeWidth = Math.max("Type".length, ...rows.map((r) => r.type.length)) + 2;
    const nameWidth = Math.max("Name".length, ...rows.map((r) => r.name.length)) + 2;
    const lines = [
        `Previewing update (${run.stackUrn.split("::")[0].replace("urn:pulumi:", "")}), offline:`,
        "",
        `     ${"Type".padEnd(typeWidth)}${"Name".padEnd(nameWidth)}Plan`,
        ...rows.map((r) => ` +   ${r.type.padEnd(typeWidth)}${r.name.padEnd(nameWidth)}create`),
        "",
        "Resources:",
        `    + ${rows.length} to create`,
    ];

    const outputs = Object.entries(run.outputs);
    if (outputs.length > 0) {
        lines.push("", "Outputs:");
        const width = Math.max(...outputs.map(([k]) => k.length)) + 2;
        for (const [k, v] of outputs) lines.push(`    ${`${k}:`.padEnd(width)}${v === "[unknown]" ? "output<string>" : JSON.stringify(v)}`);
    }

    if (run.diagnostics.length > 0) {
        const byUrn = new Map<string, Diagnostic[]>();
        for (const d of run.diagnostics) byUrn.set(d.urn, [...(byUrn.get(d.urn) ?? []), d]);
        const all = new Map([stack, ...run.resources].map((r) => [r.urn, r]));
        lines.push("", "Diagnostics:");
        for (const [urn, diags] of byUrn) {
            const r = all.get(urn);
            lines.push(`  ${r ? `${r.type} (${r.name})` : urn}:`);
            for (const d of diags) {
                const [first, ...rest] = d.message.split("\n");
                lines.push(`    ${d.severity}: ${first}`, ...rest.map((l) => `    ${" ".repeat(d.severity.length + 2)}${l}`));
            }
        }
    }
    const errors = run.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = run.diagnostics.length - errors;
    lines.push("", errors > 0 ? `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}: the preview failed` : `${warnings} warning${warnings === 1 ? "" : "s"}: the preview passed`);
    return lines.join("\n");
}
