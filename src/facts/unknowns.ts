// Preview leaves some values unknown. A rule must neither report an unknown value as an error
// nor let it hide the rules that do not need it.
import * as pulumi from "@pulumi/pulumi";
import { outputPromise, outputState } from "./pulumi-internals";

/** An Output's value, or undefined while it is unknown at preview. */
export const promiseOf = outputPromise;

/** The value, or undefined while it is unknown: a fact not yet known counts as absent. */
export function orAbsent<T>(o: pulumi.Output<T>): pulumi.Output<T | undefined> {
    return pulumi.output(promiseOf(o)) as pulumi.Output<T | undefined>;
}

/** A value as a rule reads it: known (even when the value is undefined), or not known at preview. */
export type Known<T> = { readonly known: true; readonly value: T } | { readonly known: false };

// Each Output is read once: a vault's or a policy's outputs are read by every VM under them.
const reads = new WeakMap<object, Promise<Known<unknown>>>();

/**
 * What an Input holds, as `pulumi.all(...).apply` would see it, as a plain Promise. A rule chain
 * of Outputs costs some thirty promises and closures per link, held by every VM of a fleet
 * until the preview ends; a chain of Promises costs a few.
 */
export function known<T>(input: pulumi.Input<T>): Promise<Known<pulumi.Unwrap<T>>> {
    if (input === null || (typeof input !== "object" && typeof input !== "function")) {
        return Promise.resolve({ known: true, value: input as pulumi.Unwrap<T> });
    }
    // A Promise, or plain data with Outputs inside, is read as `pulumi.output` makes it.
    const o = (pulumi.Output.isInstance(input) ? input : pulumi.output(input)) as pulumi.Output<unknown>;
    let read = reads.get(o);
    if (!read) {
        read = outputState(o).then((s): Known<unknown> => (s.known ? { known: true, value: s.value } : { known: false }));
        reads.set(o, read);
    }
    return read as Promise<Known<pulumi.Unwrap<T>>>;
}

/** The value if known, else undefined: what `promiseOf` gives for the same Input. */
export function valueOrAbsent<T>(read: Promise<Known<T>>): Promise<T | undefined> {
    return read.then((r) => (r.known ? r.value : undefined));
}

/**
 * Runs `f` on the values once they are all known, as `pulumi.all(values).apply(f)` does: not at
 * all when one is unknown at preview; a value that fails fails the result.
 */
export async function whenKnown<T extends readonly unknown[], R>(
    reads: { readonly [K in keyof T]: Promise<Known<T[K]>> },
    f: (...values: T) => R | PromiseLike<R>,
): Promise<Known<Awaited<R>>> {
    const all = await Promise.all(reads as readonly Promise<Known<unknown>>[]);
    if (all.some((r) => !r.known)) return { known: false };
    return { known: true, value: await f(...(all.map((r) => (r as { value: unknown }).value) as unknown as T)) };
}

/**
 * An Output that resolves once every check has run or been skipped, and rejects with the first
 * failed check in the order given, whatever order they ran in. Unlike `pulumi.all`, a check
 * skipped because its values are unknown at preview does not make the result unknown, so the
 * value it gates stays known.
 *
 * Every check that fails is reported, not only the first: a failed Output reaches the runtime's
 * unhandled-rejection handler (which reports each error once, by identity), and so does a failed
 * Promise check here, through a branch left without a handler on purpose.
 */
export function settled(checks: readonly (pulumi.Output<unknown> | Promise<unknown>)[]): pulumi.Output<true> {
    for (const c of checks) if (!pulumi.Output.isInstance(c)) void c.then(() => undefined);
    const all = Promise.allSettled(checks.map((c) => (pulumi.Output.isInstance(c) ? promiseOf(c) : c)));
    return pulumi.output(
        all.then((results) => {
            const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
            if (failed) throw failed.reason;
            return true as const;
        }),
    );
}
