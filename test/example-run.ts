// An example program run as `pulumi up` would run it, under Pulumi's mock runtime, with its
// config and with its inventory answering the provider's look-ups as the offline preview does.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { type MockWorld, mockPulumi, settle } from "./mocks";
import { readProgram } from "../src/offline/project";
import { ANSWERED_INVOKES, type Inventory, answerInvoke } from "../src/offline/inventory";

/** Waits until the program stops registering resources. */
async function programSettled(world: MockWorld): Promise<void> {
    let count = -1;
    for (let quiet = 0, round = 0; quiet < 5 && round < 400; round++) {
        await settle();
        await new Promise((r) => setTimeout(r, 2));
        quiet = world.resources.length === count ? quiet + 1 : 0;
        count = world.resources.length;
    }
}

/**
 * Runs the example in `dir` (update mode: resources get the ARM ids Azure would give them) and waits
 * for it to settle; `exports` are the stack outputs as the program exported them.
 */
export async function runExampleUpdate(dir: string, inventory: Inventory): Promise<{ world: MockWorld; exports: Record<string, unknown> }> {
    const program = readProgram(path.resolve(dir), "dev");
    const world = mockPulumi({
        preview: false,
        subscription: inventory.subscriptionId,
        invokes: Object.fromEntries(ANSWERED_INVOKES.map((token) => [token, (i: Record<string, any>) => answerInvoke(inventory, token, i)])),
    });
    const config = Object.fromEntries(Object.entries(program.config).map(([k, v]) => [k.replace(`${program.project}:`, "project:"), v]));
    // Secrets an example requires at `pulumi up` (never stored in the repository).
    config["project:windowsAdminPassword"] ??= "test-only-Passw0rd!";
    pulumi.runtime.setAllConfig(config);
    let exports: Record<string, unknown> = {};
    // Each run loads the program's modules afresh, and with them a module of the Pulumi SDK (`tmp`)
    // that adds a process exit listener each time it loads: a file that runs a dozen examples passes
    // Node's default warning threshold without leaking anything that outlives the test process.
    process.setMaxListeners(Math.max(process.getMaxListeners(), 50));
    jest.isolateModules(() => {
        exports = require(program.main);
    });
    await programSettled(world);
    return { world, exports };
}
