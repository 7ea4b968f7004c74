// The components say a VM, vault or policy given by id does not exist when its look-up finds
// nothing (the rules estate.vm-exists, estate.vault-exists, estate.policy-exists). Offline,
// finding nothing means only that the inventory lacks it: say so, and how to add it.
import { Diagnostic } from "./run-program";
import { Inventory, same } from "./inventory";
import type { RuleId } from "../rules/finding";

const EXPORT: Partial<Record<RuleId, { noun: string; command: string }>> = {
    "estate.vm-exists": { noun: "VM", command: "az vm show --ids" },
    "estate.vault-exists": { noun: "vault", command: "az backup vault show --ids" },
    "estate.policy-exists": { noun: "policy", command: "az backup policy show --ids" },
};

export function inventoryGaps(diagnostics: Diagnostic[], inventory: Inventory): Diagnostic[] {
    return diagnostics.map((d) => {
        const export_ = d.finding && EXPORT[d.finding.rule];
        const id = d.finding?.resourceId;
        if (!d.finding || !export_ || id === undefined || !d.message.endsWith(d.finding.message)) return d;
        if (inventory.resources.some((r) => same(r.id, id))) return d;
        // What the message says before the finding's own words: the component and the argument.
        const who = d.message.slice(0, d.message.length - d.finding.message.length);
        return {
            ...d,
            message:
                `${who}is missing from the inventory, so the offline preview cannot tell whether this ${export_.noun} exists; ` +
                `if it does, add what "${export_.command}" prints for it to the inventory (see examples/README.md), got ${JSON.stringify(id)}`,
        };
    });
}
