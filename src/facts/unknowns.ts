// Preview leaves some values unknown. A rule must neither report an unknown value as an error
// nor let it hide the rules that do not need it.
import * as pulumi from "@pulumi/pulumi";
import { outputPromise } from "./pulumi-internals";

/** An Output's value, or undefined while it is unknown at preview. */
export const promiseOf = outputPromise;

/** The value, or undefined while it is unknown: a fact not yet known counts as absent. */
export function orAbsent<T>(o: pulumi.Output<T>): pulumi.Output<T | undefined> {
    return pulumi.output(promiseOf(o)) as pulumi.Output<T | undefined>;
}

/**
 * An Output that resolves once every check has run or been skipped, and rejects with the first
 * check that failed. Unlike `pulumi.all`, a check skipped because its values are unknown at
 * preview does not make the result unknown, so the value it gates stays known.
 */
export function settled(checks: readonly pulumi.Output<unknown>[]): pulumi.Output<true> {
    return pulumi.output(Promise.all(checks.map(promiseOf)).then(() => true as const));
}
