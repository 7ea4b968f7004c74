// "A VM can be protected in only one vault at a time": within one program, every VM may be
// declared once. VMs are known by their resource object when the program declares them, and
// by their (case-folded) ARM id once it is known.
import * as pulumi from "@pulumi/pulumi";
import { vmKey } from "./resource-ids";

interface Claims {
    byObject: WeakMap<object, string>;
    byId: Map<string, string>;
    perPolicy: WeakMap<object, number>;
}

// One set of claims per program run: a new mock monitor (a new test program) starts afresh.
const programs = new WeakMap<object, Claims>();
const noMonitor = {};

function claims(): Claims {
    const key = (pulumi.runtime.getMonitor() as object | undefined) ?? noMonitor;
    let c = programs.get(key);
    if (!c) {
        c = { byObject: new WeakMap(), byId: new Map(), perPolicy: new WeakMap() };
        programs.set(key, c);
    }
    return c;
}

/** Claims a VM given as a resource object; returns the name of an earlier claimant. */
export function claimVmObject(vm: object, claimant: string): string | undefined {
    const c = claims();
    const earlier = c.byObject.get(vm);
    if (earlier !== undefined) return earlier;
    c.byObject.set(vm, claimant);
    return undefined;
}

/** Claims a VM by its ARM id; returns the name of an earlier claimant of the same VM. */
export function claimVmId(id: string, claimant: string): string | undefined {
    const c = claims();
    const key = vmKey(id);
    const earlier = c.byId.get(key);
    if (earlier !== undefined && earlier !== claimant) return earlier;
    c.byId.set(key, claimant);
    return undefined;
}

/** Counts one more VM under a policy; returns the new count. */
export function countUnderPolicy(policy: object): number {
    const c = claims();
    const n = (c.perPolicy.get(policy) ?? 0) + 1;
    c.perPolicy.set(policy, n);
    return n;
}
