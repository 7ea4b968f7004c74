import { UsageError } from "../usage-error";
import { itemTarget } from "../on-demand/azure-ids";
import type { RecoveryPoint } from "../on-demand/recovery-points";
import { fromFlags, fromFlagsAsync, parseEndpoint, parseSince } from "./arguments";
import { columns } from "./columns";

export interface RecoveryPointsFlags {
    vault?: string;
    vm?: string;
    since?: string;
    /** The points the vault's paired region holds. */
    secondaryRegion?: boolean;
    endpoint?: string;
    json?: boolean;
}

/** The flags a library call about one VM's backups was given its values from. */
export const VM_FLAGS = { vaultId: "--vault", vmId: "--vm", from: "--since" };

/** The vault and VM a command is about, both required and checked. */
export function vaultAndVm(flags: { vault?: string; vm?: string }): { vaultId: string; vmId: string } {
    if (!flags.vault) throw new UsageError("--vault: name the vault that protects the VM, --vault <vaultId>");
    if (!flags.vm) throw new UsageError("--vm: name the VM, --vm <vmId>");
    fromFlags(() => itemTarget(flags.vault, flags.vm), VM_FLAGS);
    return { vaultId: flags.vault, vmId: flags.vm };
}

const time = (d: Date) => d.toISOString().replace(/\.\d+Z$/, "Z");

function tiers(p: RecoveryPoint): string {
    return p.tiers.map((t) => `${t.tier}${t.rehydrationNeeded ? " (rehydrate first)" : t.status === "Valid" || t.status === "Rehydrated" ? "" : ` (${t.status})`}`).join(", ") || "-";
}

function table(points: RecoveryPoint[]): string {
    return columns([
        ["TIME", "POINT", "CONSISTENCY", "TIERS", "ZONES", "SECONDARY REGION"],
        ...points.map((p) => [time(p.time), p.name, p.consistency || "-", tiers(p), p.zones.join(",") || "-", p.secondaryRegionRestorable ? "yes" : "no"]),
    ]);
}

export async function recoveryPointsListCommand(flags: RecoveryPointsFlags): Promise<number> {
    const target = vaultAndVm(flags);
    const from = flags.since === undefined ? undefined : parseSince("--since", flags.since);
    const endpoint = parseEndpoint("--endpoint", flags.endpoint);
    const { listRecoveryPoints } = await import("../on-demand/recovery-points");
    const points = await fromFlagsAsync(
        () => listRecoveryPoints(target, { from, ...(flags.secondaryRegion ? { secondaryRegion: true } : {}), client: { endpoint } }),
        { ...VM_FLAGS, secondaryRegion: "--secondary-region" },
    );
    const none = flags.secondaryRegion ? "no recovery points in the paired region yet" : "no recovery points";
    process.stdout.write(`${flags.json ? JSON.stringify({ points }, null, 2) : points.length === 0 ? none : table(points)}\n`);
    return 0;
}
