// How the commands show backups and restores in flight: a live table on a terminal, a line per change elsewhere.
import type { BackupJob } from "../on-demand/backup-jobs";

export type VmState =
    | { stage: "triggering" }
    | { stage: "failed"; message: string }
    /** The backup may have started, or its job cannot be read: not a failure. */
    | { stage: "unknown"; message: string }
    | { stage: "job"; job: BackupJob }
    /** A step of a restore or a drill, said as it is. */
    | { stage: "step"; text: string };

export interface Progress {
    update(vm: string, state: VmState): void;
    /** Leaves the display as it is and stops redrawing. */
    close(): void;
}

function describe(state: VmState): string {
    switch (state.stage) {
        case "triggering":
            return "triggering the backup";
        case "failed":
            return `failed: ${state.message}`;
        case "unknown":
            return `unknown: ${state.message}`;
        case "step":
            return state.text;
        case "job": {
            const { job } = state;
            // The job id last: a narrow terminal cuts it, not the phases.
            return `snapshot ${job.snapshot?.status ?? "-"}, transfer to vault ${job.transferToVault?.status ?? "-"}: ${job.status}, job ${job.jobId}`;
        }
    }
}

/** One line per change, with a UTC time: for logs, pipes and --json runs. */
export function lineLog(write: (line: string) => void, now: () => Date = () => new Date()): Progress {
    const last = new Map<string, string>();
    return {
        update(vm, state) {
            const text = describe(state);
            if (last.get(vm) === text) return;
            last.set(vm, text);
            write(`${now().toISOString().slice(11, 19)}Z ${vm}: ${text}\n`);
        },
        close() {},
    };
}

/** A table redrawn in place, one row per VM, both phases side by side. */
export function liveTable(stream: NodeJS.WriteStream): Progress {
    const rows = new Map<string, VmState>();
    let drawn = 0;
    const draw = () => {
        const width = Math.max(...[...rows.keys()].map((k) => k.length));
        const lines = [...rows].map(([vm, state]) => `${vm.padEnd(width)}  ${describe(state)}`);
        const columns = stream.columns ?? 120;
        stream.write(`${drawn > 0 ? `\x1b[${drawn}A` : ""}${lines.map((l) => `\x1b[2K${l.slice(0, columns - 1)}\n`).join("")}`);
        drawn = lines.length;
    };
    return {
        update(vm, state) {
            rows.set(vm, state);
            draw();
        },
        close() {},
    };
}
