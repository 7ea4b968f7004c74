// The components say a VM, vault or policy given by id does not exist when its look-up finds
// nothing. Offline, finding nothing means only that the inventory lacks it: say so, and how to add it.
import { Diagnostic } from "./run-program";
import { Inventory, same } from "./inventory";

const NOT_FOUND = /^(.*?: )no (virtual machine|Recovery Services vault|backup policy) exists at this id, got "([^"]*)"$/;

const EXPORT: Record<string, { noun: string; command: string }> = {
    "virtual machine": { noun: "VM", command: "az vm show --ids" },
    "Recovery Services vault": { noun: "vault", command: "az backup vault show --ids" },
    "backup policy": { noun: "policy", command: "az backup policy show --ids" },
};

export function inventoryGaps(diagnostics: Diagnostic[], inventory: Inventory): Diagnostic[] {
    return diagnostics.map((d) => {
        const m = NOT_FOUND.exec(d.message);
        if (!m || inventory.resources.some((r) => same(r.id, m[3]))) return d;
        const [, prefix, what, id] = m;
        const { noun, command } = EXPORT[what];
        return {
            ...d,
            message:
                `${prefix}is missing from the inventory, so the offline preview cannot tell whether this ${noun} exists; ` +
                `if it does, add what "${command}" prints for it to the inventory (see examples/README.md), got ${JSON.stringify(id)}`,
        };
    });
}
