// One test per Pulumi SDK internal the library relies on (src/facts/pulumi-internals.ts): an SDK
// upgrade that changes one fails here by name, not by quietly switching a rule off.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as azureNative from "@pulumi/azure-native";
import {
    READ_STACK_RESOURCES,
    aliasUrns,
    currentMonitor,
    invokePlain,
    logicalName,
    outputPromise,
    outputState,
    providerPackage,
    resourceType,
} from "../src/facts/pulumi-internals";
import { READ_STACK, invokeError, mockPulumi } from "./mocks";

class Holder extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Holder", name, {}, opts);
    }
}

describe("Pulumi SDK internals", () => {
    test("__pulumiType: the type token a resource was registered with", () => {
        mockPulumi({ preview: true });
        expect(resourceType(new compute.VirtualMachine("vm", { resourceGroupName: "rg" }))).toBe("azure-native:compute:VirtualMachine");
        expect(resourceType(new Holder("h"))).toBe("test:index:Holder");
        expect(resourceType({ __pulumiType: "not:a:Resource" })).toBeUndefined();
    });

    test("__name: the logical name a resource was declared with", () => {
        mockPulumi({ preview: true });
        expect(logicalName(new compute.VirtualMachine("vm-web", { resourceGroupName: "rg" }))).toBe("vm-web");
        expect(logicalName({ __name: "plain" })).toBeUndefined();
    });

    test("__aliases: the URNs a resource's aliases name", async () => {
        mockPulumi({ preview: true });
        const renamed = new Holder("new-name", { aliases: [{ name: "old-name" }] });
        const urns = await Promise.all(aliasUrns(renamed).map((u) => outputPromise(u)));
        expect(urns).toEqual(["urn:pulumi:stack::project::test:index:Holder::old-name"]);
        expect(aliasUrns(new Holder("plain"))).toEqual([]);
    });

    test("Output.promise(): the value, or undefined for one unknown at preview", async () => {
        mockPulumi({ preview: true });
        expect(await outputPromise(pulumi.output("known"))).toBe("known");
        // A resource to be created has no id at preview.
        expect(await outputPromise(new compute.VirtualMachine("vm", { resourceGroupName: "rg" }).id)).toBeUndefined();
    });

    test("Output.isKnown and Output.promise(true): whether apply would run, and the value", async () => {
        mockPulumi({ preview: true });
        expect(await outputState(pulumi.output("known"))).toEqual({ known: true, value: "known" });
        expect(await outputState(pulumi.output(undefined))).toEqual({ known: true, value: undefined });
        const unknown = await outputState(new compute.VirtualMachine("vm", { resourceGroupName: "rg" }).id);
        expect(unknown.known).toBe(false);
        // Unknown inside a known container: not known, as apply sees it.
        expect((await outputState(pulumi.all([pulumi.output("a"), new compute.VirtualMachine("vm2", { resourceGroupName: "rg" }).id]))).known).toBe(false);
    });

    test("Output.isSecret and Output.allResources(): read too, so a failed Output read as apply reads it leaves nothing unhandled", async () => {
        const world = mockPulumi({ preview: true });
        const boom = new Error("boom");
        await expect(outputState(pulumi.output(Promise.reject(boom)))).rejects.toBe(boom);
        expect(await world.failures()).toEqual([]);
    });

    test("pkg: the package a provider resource is for", () => {
        mockPulumi({ preview: true });
        expect(providerPackage(new azureNative.Provider("p", {}))).toBe("azure-native");
    });

    test("runtime.getMonitor(): one monitor per program run", () => {
        mockPulumi({ preview: true });
        const first = currentMonitor();
        expect(first).toBeDefined();
        expect(currentMonitor()).toBe(first);
        mockPulumi({ preview: true });
        expect(currentMonitor()).not.toBe(first);
    });

    test("the raw monitor invoke of readStackResourceOutputs: plain data back, failures rejected", async () => {
        expect(READ_STACK_RESOURCES).toBe(READ_STACK);
        const outputs = { "urn:a": { type: "t", outputs: { id: "x", nested: { list: [1, "two"] } } } };
        const world = mockPulumi({ preview: true, invokes: { [READ_STACK]: (i) => ({ name: i.stackName, outputs }) } });
        expect(await invokePlain(READ_STACK_RESOURCES, { stackName: "org/project/stack" })).toEqual({ name: "org/project/stack", outputs });
        expect(world.invokes.map((i) => [i.token, i.inputs])).toEqual([[READ_STACK, { stackName: "org/project/stack" }]]);

        mockPulumi({ preview: true, invokes: { [READ_STACK]: () => invokeError("no backend client is available") } });
        await expect(invokePlain(READ_STACK_RESOURCES, { stackName: "s" })).rejects.toThrow("no backend client is available");
    });
});
