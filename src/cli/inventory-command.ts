// `azure-vm-backup inventory export`: the offline preview's inventory, read from Azure Resource
// Graph and written whole or not at all.
import * as fs from "fs";
import * as path from "path";
import { fromFlags, parseEndpoint } from "./arguments";

export interface InventoryExportFlags {
    subscription?: string[];
    resourceGroup?: string[];
    output?: string;
    endpoint?: string;
}

/** Writes `text` to `file` through a temporary file beside it, so that a reader never sees half an inventory. */
function writeAtomically(file: string, text: string): void {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
        fs.writeFileSync(temporary, text);
        fs.renameSync(temporary, file);
    } catch (err) {
        fs.rmSync(temporary, { force: true });
        throw err;
    }
}

export async function inventoryExportCommand(flags: InventoryExportFlags): Promise<number> {
    const endpoint = parseEndpoint("--endpoint", flags.endpoint);
    const { checkExportOptions, exportInventory } = await import("../offline/inventory-export");
    const options = { subscriptions: flags.subscription, resourceGroups: flags.resourceGroup, endpoint };
    fromFlags(() => checkExportOptions(options), { subscriptions: "--subscription", resourceGroups: "--resource-group" });
    const inventory = await exportInventory(options);
    const text = `${JSON.stringify(inventory, null, 2)}\n`;
    if (flags.output === undefined) {
        process.stdout.write(text);
        return 0;
    }
    writeAtomically(flags.output, text);
    process.stderr.write(`wrote ${inventory.resources.length} resources to ${flags.output}\n`);
    return 0;
}
