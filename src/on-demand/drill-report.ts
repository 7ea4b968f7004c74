// A restore drill's report: JSON for tools, Markdown for a pipeline to post.
import type { DrillReport, VmDrillResult } from "./restore-drill";
import { nameOf } from "../rules/resource-ids";

export function drillJson(report: DrillReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
}

/** 93784 s -> "1d 2h 3m"; under a minute, seconds. */
export function humanDuration(totalSeconds: number): string {
    if (totalSeconds < 60) return `${Math.max(0, totalSeconds)}s`;
    const parts: string[] = [];
    const d = Math.floor(totalSeconds / 86_400);
    const h = Math.floor((totalSeconds % 86_400) / 3600);
    const m = Math.floor((totalSeconds % 3600) / 60);
    if (d) parts.push(`${d}d`);
    if (h) parts.push(`${h}h`);
    if (m) parts.push(`${m}m`);
    return parts.join(" ");
}

/** A table cell: one line, no column break. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

const SOURCES: Record<NonNullable<VmDrillResult["disks"]["source"]>, string> = {
    "recovery point and VM": "the point's disks, at the VM's sizes",
    "recovery point": "the point's disks; sizes not checked",
    VM: "the VM's disks",
};

function cleanupText(v: VmDrillResult): string {
    const c = v.cleanup;
    switch (c.status) {
        case "Done":
            return `done: ${c.deleted.length} disk(s) deleted`;
        case "Kept":
            return `kept (--keep): ${c.kept.map(cell).join(", ")}`;
        case "NotNeeded":
            return "nothing to delete";
        case "Incomplete":
            return `**left behind**: ${c.leftBehind.map((l) => `${cell(l.id)} (${cell(l.reason)})`).join("; ")}`;
    }
}

function vmSection(v: VmDrillResult): string {
    const verdict = v.status === "Passed" ? "passed" : v.status === "Interrupted" ? "interrupted" : "**failed**";
    const rows: [string, string][] = [
        ["Result", verdict],
        ["Recovery point", v.point ? `${v.point.time} (${cell(nameOf(v.point.id))})` : "-"],
        ["Point age (RPO achieved)", v.point ? humanDuration(v.point.ageSeconds) : "-"],
        ["Restore job", v.restore ? `${v.restore.jobId}: ${v.restore.status}` : "-"],
        ["Restore duration (RTO achieved)", v.restore?.durationSeconds !== undefined ? humanDuration(v.restore.durationSeconds) : "-"],
        ["Disks verified", v.disks.source ? `${v.disks.checks.filter((c) => c.ok).length} of ${v.disks.expected} expected (${SOURCES[v.disks.source]}); ${v.disks.found} restored` : "-"],
        ...v.disks.checks.map((c): [string, string] => [`- ${c.disk}`, c.ok ? (c.foundGb === undefined ? "ok" : `ok, ${c.foundGb} GB`) : cell(c.problem ?? "not ok")]),
        ["Cleanup", cleanupText(v)],
        ...v.problems.filter((p) => !p.startsWith("left behind ")).map((p): [string, string] => ["Problem", cell(p)]),
        ...v.warnings.map((w): [string, string] => ["Warning", cell(w)]),
    ];
    return [`### ${cell(nameOf(v.vmId))}`, "", "| | |", "|---|---|", ...rows.map(([k, val]) => `| ${k} | ${val} |`)].join("\n");
}

export function drillMarkdown(report: DrillReport): string {
    const passed = report.vms.filter((v) => v.status === "Passed").length;
    const verdict = report.interrupted ? "INTERRUPTED" : report.passed ? "PASSED" : "FAILED";
    return `${[
        `## Restore drill ${report.drillId}: ${verdict}`,
        "",
        `${passed} of ${report.vms.length} VM(s) passed. Started ${report.startedAt}, ended ${report.endedAt}; restored into ${cell(report.targetResourceGroupId)}.`,
        ...report.vms.map((v) => `\n${vmSection(v)}`),
    ].join("\n")}\n`;
}
