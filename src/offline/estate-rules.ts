// Rules that need the whole estate, which only an inventory shows: which vault already
// protects a VM, and whether a vault already holds backup items.
import { Diagnostic, PlannedResource, ProgramRun } from "./run-program";
import { ArmResource, Inventory, groupOf, resourcesOf, same } from "./inventory";
import { vaultIdWithin } from "../rules/resource-ids";
import { label } from "../rules/errors";
import type { Finding } from "../rules/finding";
import { redundancyChange } from "../rules/vault";
import { protectedElsewhere, redundancyHeldItems } from "../rules/estate";

const ITEM = "azure-native:recoveryservices:ProtectedItem";
const VAULT = "azure-native:recoveryservices:Vault";

const known = (v: unknown): v is string => typeof v === "string" && v !== "[unknown]";

function vaultName(vaultId: string): string {
    return vaultId.split("/").pop() ?? vaultId;
}

function isSoftDeleted(item: ArmResource): boolean {
    return item.properties?.isScheduledForDeferredDelete === true;
}

/** The component of ours a resource belongs to, if it was declared through one. */
function componentOf(run: ProgramRun, child: PlannedResource, type: string): PlannedResource | undefined {
    return run.resources.find((r) => r.urn === child.parent && r.type === `azure-vm-backup:index:${type}`);
}

function diagnostic(who: string, urn: string, f: Finding): Diagnostic {
    return { severity: f.severity, urn, message: `${who}: ${f.path}: ${f.message}`, finding: f };
}

export function estateDiagnostics(run: ProgramRun, inventory: Inventory): Diagnostic[] {
    const items = resourcesOf(inventory, "protectedItem");
    const diagnostics: Diagnostic[] = [];

    for (const planned of run.resources.filter((r) => r.type === ITEM)) {
        const props = (planned.inputs.properties ?? {}) as Record<string, unknown>;
        const vmId = props.sourceResourceId;
        const { resourceGroupName, vaultName: targetVault } = planned.inputs;
        if (!known(vmId) || !known(resourceGroupName) || !known(targetVault)) continue;
        const owner = componentOf(run, planned, "ProtectedVm");
        const who = owner ? label("ProtectedVm", owner.name) : label("ProtectedItem", planned.name);
        for (const item of items) {
            const source = item.properties?.sourceResourceId ?? item.properties?.virtualMachineId;
            const vault = vaultIdWithin(item.id);
            if (!same(source, vmId) || !vault || isSoftDeleted(item)) continue;
            if (same(groupOf(vault), resourceGroupName) && same(vaultName(vault), targetVault)) continue;
            const state = same(item.properties?.protectionState, "ProtectionStopped") ? "stopped" : "active";
            diagnostics.push(diagnostic(who, owner?.urn ?? planned.urn, protectedElsewhere(vmId.split("/").pop() ?? vmId, vaultName(vault), targetVault, state)));
        }
    }

    for (const planned of run.resources.filter((r) => r.type === VAULT)) {
        const { resourceGroupName, vaultName: name } = planned.inputs;
        const declared = ((planned.inputs.properties as any)?.redundancySettings ?? {}).standardTierStorageRedundancy;
        if (!known(resourceGroupName) || !known(name) || !known(declared)) continue;
        const existing = resourcesOf(inventory, "vault").find((v) => same(groupOf(v.id), resourceGroupName) && same(vaultName(v.id), name));
        const current = existing?.properties?.redundancySettings?.standardTierStorageRedundancy;
        if (!existing || !known(current) || same(current, declared)) continue;
        const held = redundancyHeldItems(name, items.filter((i) => same(vaultIdWithin(i.id), existing.id)).length, current, declared);
        if (!held) continue;
        // A ProtectedVm of the program that targets this vault has said so already, from the same look-up.
        const said = redundancyChange("", name, current, declared);
        if (run.diagnostics.some((d) => d.finding?.rule === said?.rule && d.finding?.message === said?.message)) continue;
        const owner = componentOf(run, planned, "BackupVault");
        diagnostics.push(diagnostic(owner ? label("BackupVault", owner.name) : label("Vault", planned.name), owner?.urn ?? planned.urn, held));
    }
    return diagnostics;
}
