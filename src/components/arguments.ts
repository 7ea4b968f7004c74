// How arguments reach a component class: from the TypeScript layer, which hands over its richer
// arguments as they are, or from a program in another language, as the engine sends them.
import * as pulumi from "@pulumi/pulumi";

const FROM_TYPESCRIPT = Symbol("arguments from the TypeScript layer");

/** The TypeScript layer's arguments, passed through the component's constructor untouched. */
export function fromTypeScript<ComponentArgs>(args: object | undefined | null): ComponentArgs {
    return { [FROM_TYPESCRIPT]: args } as ComponentArgs;
}

/** The TypeScript layer's arguments when that is where these came from. */
export function typeScriptArgs<Args>(args: unknown): { args: Args } | undefined {
    return typeof args === "object" && args !== null && FROM_TYPESCRIPT in args ? { args: (args as Record<symbol, Args>)[FROM_TYPESCRIPT] } : undefined;
}

/** A value known only later: an Output, or a promise of a value. */
export function isLater(v: unknown): v is pulumi.Output<unknown> | Promise<unknown> {
    return pulumi.Output.isInstance(v) || v instanceof Promise;
}

/** Leaves out the fields a program left unset, which other languages send as absent or null. */
export function present(o: unknown): unknown {
    if (typeof o !== "object" || o === null || Array.isArray(o) || pulumi.Output.isInstance(o)) return o;
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}
