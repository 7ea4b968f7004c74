// Listing a fleet at preview. azure-native has no invoke that lists VMs or runs a Resource Graph
// query, so the list comes from the classic provider's `getResources` (Resource Manager's list of
// resources by type), which every real preview can run and the offline preview answers from its
// inventory. It is invoked by token, so @pulumi/azure need not be installed: the engine loads the
// classic provider's plugin at the version below, or the one a provider resource given here has.
import * as pulumi from "@pulumi/pulumi";
import type { ListedVm } from "../rules/selection";

/** The classic provider version invoked when the program does not install @pulumi/azure itself. */
const TESTED_CLASSIC_VERSION = "6.40.0";

function classicVersion(): string {
    try {
        return (require("@pulumi/azure/package.json") as { version: string }).version;
    } catch {
        return TESTED_CLASSIC_VERSION;
    }
}

function invokeOptions(opts: pulumi.InvokeOptions): pulumi.InvokeOptions {
    return opts.provider ? opts : { ...opts, version: classicVersion() };
}

interface Listed {
    id: string;
    name: string;
    location: string;
    resourceGroupName: string;
    tags?: Record<string, string>;
}

async function listResources(type: string, resourceGroupName: string | undefined, opts: pulumi.InvokeOptions): Promise<Listed[]> {
    const args = resourceGroupName === undefined ? { type } : { type, resourceGroupName };
    const result = (await pulumi.runtime.invoke("azure:core/getResources:getResources", args, invokeOptions(opts))) as { resources?: Listed[] } | undefined;
    return result?.resources ?? [];
}

/**
 * Every VM in the given resource groups, or in the provider's subscription. Tags are filtered by
 * the caller: Resource Manager's own tag filter takes one exact tag, and a selection may ask for
 * several, each with a list of values, with tag names in any case.
 */
export async function listVms(resourceGroups: readonly string[] | undefined, opts: pulumi.InvokeOptions): Promise<ListedVm[]> {
    const groups = resourceGroups && resourceGroups.length > 0 ? [...new Set(resourceGroups.map((g) => g.toLowerCase()))] : [undefined];
    const lists = await Promise.all(groups.map((g) => listResources("Microsoft.Compute/virtualMachines", g, opts)));
    return lists.flat().map((r) => ({ id: r.id, name: r.name, resourceGroupName: r.resourceGroupName, location: r.location, tags: r.tags ?? {} }));
}

/** A Recovery Services vault the provider's subscription holds. */
export interface ListedVault {
    id: string;
    name: string;
    resourceGroupName: string;
    location: string;
}

export async function listVaults(opts: pulumi.InvokeOptions): Promise<ListedVault[]> {
    const found = await listResources("Microsoft.RecoveryServices/vaults", undefined, opts);
    return found.map((r) => ({ id: r.id, name: r.name, resourceGroupName: r.resourceGroupName, location: r.location }));
}

/** The subscription the classic provider lists. */
export async function classicSubscription(opts: pulumi.InvokeOptions): Promise<string> {
    const config = (await pulumi.runtime.invoke("azure:core/getClientConfig:getClientConfig", {}, invokeOptions(opts))) as { subscriptionId: string };
    return config.subscriptionId;
}
