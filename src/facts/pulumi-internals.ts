// Every reliance on what @pulumi/pulumi keeps out of its typings, in one place. Each has a test
// of its own (test/pulumi-internals.test.ts), so an SDK upgrade that changes one fails that test
// by name instead of quietly switching a rule off.
import * as pulumi from "@pulumi/pulumi";
import { ResourceInvokeRequest } from "@pulumi/pulumi/proto/resource_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** The engine's built-in invoke that reads a stack's resource outputs from its last checkpoint. */
export const READ_STACK_RESOURCES = "pulumi:pulumi:readStackResourceOutputs";

/** The type token a resource was registered with (`__pulumiType`), read without loading its provider package. */
export function resourceType(r: unknown): string | undefined {
    if (typeof r !== "object" || r === null || !pulumi.Resource.isInstance(r)) return undefined;
    const type = (r as unknown as { __pulumiType?: unknown }).__pulumiType;
    return typeof type === "string" ? type : undefined;
}

/** The logical name a resource was declared with (`__name`). */
export function logicalName(r: unknown): string | undefined {
    if (typeof r !== "object" || r === null || !pulumi.Resource.isInstance(r)) return undefined;
    const name = (r as unknown as { __name?: unknown }).__name;
    return typeof name === "string" ? name : undefined;
}

/** The URNs a resource's `aliases` option names (`__aliases`): the same resource to the engine. */
export function aliasUrns(r: pulumi.Resource): pulumi.Output<string>[] {
    const aliases = (r as unknown as { __aliases?: pulumi.Input<string>[] }).__aliases ?? [];
    return aliases.map((a) => pulumi.output(a));
}

/** An Output's value, or undefined for a value unknown at preview (`Output.promise()`). */
export function outputPromise<T>(o: pulumi.Output<T>): Promise<T | undefined> {
    return (o as unknown as { promise(): Promise<T | undefined> }).promise();
}

/**
 * Whether an Output is known and its value with any unknowns left in (`Output.isKnown` and
 * `Output.promise(true)`): what `apply` reads to decide whether to run its callback. It reads
 * `isSecret` and `allResources()` as well, as `apply` does, so that a failed Output is reported
 * by the same promises, at the same point, as when `apply` reads it.
 */
export function outputState<T>(o: pulumi.Output<T>): Promise<{ known: boolean; value: T }> {
    const impl = o as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources(): Promise<unknown>; promise(withUnknowns: boolean): Promise<T> };
    return Promise.all([impl.allResources(), impl.promise(true), impl.isKnown, impl.isSecret]).then(([, value, known]) => ({ known, value }));
}

/** The package a provider resource is for (`pkg`), e.g. "azure-native". */
export function providerPackage(p: pulumi.ProviderResource): string | undefined {
    const pkg = (p as unknown as { pkg?: unknown }).pkg;
    return typeof pkg === "string" ? pkg : undefined;
}

/** The engine's resource monitor for this run of the program; it identifies the run. */
export function currentMonitor(): object | undefined {
    return pulumi.runtime.getMonitor() as object | undefined;
}

interface Monitor {
    invoke(req: ResourceInvokeRequest, callback: (err: { details?: string; message?: string } | null, resp: any) => void): void;
}

/**
 * An invoke sent straight to the monitor and answered as plain data. The SDK's own invoke asks
 * for resource references and turns each one into a resource of this program; the state of a
 * whole stack holds references to resources this run may never register, and each would fail
 * the program.
 */
export function invokePlain(token: string, args: Record<string, string>): Promise<any> {
    const monitor = currentMonitor() as Monitor | undefined;
    if (!monitor) return Promise.reject(new Error("not running under a Pulumi engine"));
    const req = new ResourceInvokeRequest();
    req.setTok(token);
    req.setArgs(Struct.fromJavaScript(args));
    req.setAcceptresources(false);
    return new Promise((resolve, reject) =>
        monitor.invoke(req, (err, resp) => {
            if (err) return reject(new Error(err.details ?? err.message));
            const failures: { getReason(): string }[] = resp.getFailuresList();
            if (failures.length > 0) return reject(new Error(failures.map((f) => f.getReason()).join("; ")));
            resolve(resp.getReturn()?.toJavaScript() ?? {});
        }),
    );
}
