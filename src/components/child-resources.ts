// The azure-native resources the components create, made without the aliases azure-native's
// classes add to every resource: one per API-version module (46 on ProtectedItem), each turned
// into Outputs and a URN as the resource is constructed, which made up most of a preview's time
// and memory. Those aliases let a stack move a resource from a versioned type token to the default
// one; the components have only ever registered the default tokens, so none of them can match.
// Aliases given to a component still reach its children through their parent. The resources are
// instances of the azure-native classes all the same, with the inputs and outputs those give them
// (test/child-resources.test.ts holds the two side by side, so an azure-native upgrade that
// changes either fails there).
import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";

// The provider version every azure-native resource asks for, as its classes set it (kept out of
// azure-native's typings, like the classes' type tokens below).
const { resourceOptsDefaults } = require("@pulumi/azure-native/utilities") as { resourceOptsDefaults(): pulumi.CustomResourceOptions };

interface Shape {
    /** The arguments the class passes on as inputs. */
    readonly inputs: readonly string[];
    /** The outputs it declares (inputs left undefined), when the resource is created rather than read. */
    readonly outputs: readonly string[];
}

type ResourceClass<T, A> = new (name: string, args: A, opts?: pulumi.CustomResourceOptions) => T;

function child<T, A extends object>(cls: ResourceClass<T, A>, shape: Shape, name: string, args: A, opts: pulumi.CustomResourceOptions): T {
    const inputs: Record<string, unknown> = {};
    for (const key of shape.inputs) inputs[key] = (args as Record<string, unknown>)[key];
    for (const key of shape.outputs) inputs[key] = undefined;
    const type = (cls as unknown as { __pulumiType: string }).__pulumiType;
    return withoutStackTraces(() => Reflect.construct(pulumi.CustomResource, [type, name, inputs, pulumi.mergeOptions(resourceOptsDefaults(), opts)], cls) as T);
}

/**
 * Runs `f` with V8's stack-trace capture off. Constructing a resource, the SDK tags some sixty
 * promises of it with the stack of the moment (`new Error().stack`, read only to describe a
 * promise left pending when the program exits, with PULUMI_DEBUG_PROMISE_LEAKS set); formatting
 * them took a fifth of a fleet's preview and their text stayed in memory until the end. The
 * resource's own source position is read by the SDK with the limit lifted, so it is unchanged;
 * an error thrown here keeps its message, and the limit is restored whatever happens.
 */
export function withoutStackTraces<T>(f: () => T): T {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return f();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

export const VAULT_SHAPE: Shape = {
    inputs: ["identity", "location", "properties", "resourceGroupName", "sku", "tags", "vaultName"],
    outputs: ["azureApiVersion", "etag", "name", "systemData", "type"],
};
export const POLICY_SHAPE: Shape = {
    inputs: ["eTag", "location", "policyName", "properties", "resourceGroupName", "tags", "vaultName"],
    outputs: ["azureApiVersion", "name", "type"],
};
export const ITEM_SHAPE: Shape = {
    inputs: ["containerName", "eTag", "fabricName", "location", "properties", "protectedItemName", "resourceGroupName", "tags", "vaultName"],
    outputs: ["azureApiVersion", "name", "type"],
};

export function vaultResource(name: string, args: recoveryservices.VaultArgs, opts: pulumi.CustomResourceOptions): recoveryservices.Vault {
    return child(recoveryservices.Vault, VAULT_SHAPE, name, args, opts);
}

export function policyResource(name: string, args: recoveryservices.ProtectionPolicyArgs, opts: pulumi.CustomResourceOptions): recoveryservices.ProtectionPolicy {
    return child(recoveryservices.ProtectionPolicy, POLICY_SHAPE, name, args, opts);
}

export function itemResource(name: string, args: recoveryservices.ProtectedItemArgs, opts: pulumi.CustomResourceOptions): recoveryservices.ProtectedItem {
    return child(recoveryservices.ProtectedItem, ITEM_SHAPE, name, args, opts);
}
