// Targets from `pulumi stack output --json`, so that a pipeline can run `pulumi up` and then
// `azure-vm-backup backup-now --from-stack` without copying ids.
import * as fs from "fs";
import { UsageError } from "../usage-error";
import { itemTarget } from "../on-demand/azure-ids";
import { fromFlags } from "./arguments";

export interface BackupTarget {
    vaultId: string;
    vmId: string;
}

const isString = (v: unknown): v is string => typeof v === "string" && v !== "";

/**
 * Reads the targets a stack exports: `protectedItems` as `[{ vmId, vaultId }]`, or `vaultId` with
 * `vmIds` (or a single `vmId`). Outputs by other names are not guessed at.
 */
export function targetsFromStack(file: string): BackupTarget[] {
    const outputs = readOutputs(file);
    const items = outputs.protectedItems;
    if (Array.isArray(items) && items.every((i) => isString(i?.vmId) && isString(i?.vaultId))) {
        return items.map((i: BackupTarget, n) => checked(file, { vaultId: i.vaultId, vmId: i.vmId }, `protectedItems[${n}].vaultId`, `protectedItems[${n}].vmId`));
    }
    const vmIds = Array.isArray(outputs.vmIds) ? outputs.vmIds : isString(outputs.vmId) ? [outputs.vmId] : undefined;
    if (isString(outputs.vaultId) && vmIds && vmIds.length > 0 && vmIds.every(isString)) {
        return vmIds.map((vmId, n) => checked(file, { vaultId: outputs.vaultId as string, vmId }, "vaultId", Array.isArray(outputs.vmIds) ? `vmIds[${n}]` : "vmId"));
    }
    throw new UsageError(
        `${file}: the stack must export protectedItems ([{ vmId, vaultId }]), or vaultId with vmIds (or vmId); it exports ${Object.keys(outputs).join(", ") || "nothing"}`,
    );
}

/** A target whose ids are refused is bad usage that names the file and the output. */
function checked(file: string, target: BackupTarget, vaultOutput: string, vmOutput: string): BackupTarget {
    fromFlags(() => itemTarget(target.vaultId, target.vmId, { vaultId: `--from-stack ${file}: ${vaultOutput}`, vmId: `--from-stack ${file}: ${vmOutput}` }));
    return target;
}

function readOutputs(file: string): Record<string, unknown> {
    let outputs: unknown;
    try {
        outputs = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`cannot read the stack outputs ${file}: ${(err as Error).message}`);
    }
    if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) throw new UsageError(`${file}: expected the object \`pulumi stack output --json\` prints`);
    return outputs as Record<string, unknown>;
}

/** The one vault a stack exports (`vaultId`, or the vault all its protected items share), for commands about a vault's jobs. */
export function vaultFromStack(file: string): string {
    const outputs = readOutputs(file);
    if (isString(outputs.vaultId)) return outputs.vaultId;
    const vaults = [...new Map(targetsFromStack(file).map((t) => [t.vaultId.toLowerCase(), t.vaultId])).values()];
    if (vaults.length !== 1) throw new UsageError(`${file}: the stack exports ${vaults.length} vaults; name one with --vault`);
    return vaults[0];
}
