// A component's argument interface and the zod schema that checks it must name the same
// arguments: one added to the interface but not the schema would be refused as unknown, one in
// the schema but not the interface would be a rule nobody can reach. The compiler holds them
// together; nothing here runs.
import type { z } from "zod";

type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

/** Compiles only when `Args` and the input of `Schema` name the same arguments. */
export function sameArguments<Args, Schema extends z.ZodType>(same: SameKeys<Required<Args>, Required<z.input<Schema>>>): void {
    void same;
}
