// What one program run has already declared, for the rules that span components: a VM is
// protected in one vault only ("A VM can be protected in only one vault at a time"), an Azure
// name is used once, a policy protects at most so many VMs.
import { perProgramRun } from "../facts/program-run";
import { vmKey } from "./resource-ids";

interface Claim {
    /** The component that claimed it. */
    owner: object;
    /** Its name, for messages. */
    name: string;
}

interface Claims {
    vmObjects: WeakMap<object, Claim>;
    vmIds: Map<string, Claim>;
    names: Map<string, string>;
    policyNames: Map<unknown, Map<string, string>>;
    perPolicy: Map<unknown, number>;
    newToPolicy: Map<unknown, Promise<boolean>[]>;
}

// One set of claims per program run.
const claims = perProgramRun<Claims>(() => ({ vmObjects: new WeakMap(), vmIds: new Map(), names: new Map(), policyNames: new Map(), perPolicy: new Map(), newToPolicy: new Map() }));

/** Claims a VM given as a resource object; returns the name of an earlier claimant. */
export function claimVmObject(vm: object, owner: object, name: string): string | undefined {
    const c = claims();
    const earlier = c.vmObjects.get(vm);
    if (earlier !== undefined) return earlier.name;
    c.vmObjects.set(vm, { owner, name });
    return undefined;
}

/** Claims a VM by its ARM id; returns the name of another component that claimed the same VM. */
export function claimVmId(id: string, owner: object, name: string): string | undefined {
    const c = claims();
    const key = vmKey(id);
    const earlier = c.vmIds.get(key);
    if (earlier !== undefined && earlier.owner !== owner) return earlier.name;
    c.vmIds.set(key, { owner, name });
    return undefined;
}

/** Claims an Azure name (already qualified by its scope); returns the component that used it first. */
export function claimName(qualified: string, name: string): string | undefined {
    const c = claims();
    const key = qualified.toLowerCase();
    const earlier = c.names.get(key);
    if (earlier !== undefined) return earlier;
    c.names.set(key, name);
    return undefined;
}

/** Claims a policy name in a vault (a key that identifies it); returns the component that used it first. */
export function claimPolicyName(vault: unknown, policyName: string, name: string): string | undefined {
    const c = claims();
    let names = c.policyNames.get(vault);
    if (!names) c.policyNames.set(vault, (names = new Map()));
    const earlier = names.get(policyName.toLowerCase());
    if (earlier !== undefined) return earlier;
    names.set(policyName.toLowerCase(), name);
    return undefined;
}

/** Counts one more VM under a policy (an object, or the id of an existing policy); returns the new count. */
export function countUnderPolicy(policy: unknown): number {
    const c = claims();
    const n = (c.perPolicy.get(policy) ?? 0) + 1;
    c.perPolicy.set(policy, n);
    return n;
}

/**
 * Notes a VM under a policy with whether it is new to the policy in Azure (not one of the items
 * Azure already counts for it); returns that for every VM noted under the policy so far, this one last.
 */
export function noteUnderPolicy(policy: unknown, isNew: Promise<boolean>): Promise<boolean>[] {
    const c = claims();
    const list = [...(c.newToPolicy.get(policy) ?? []), isNew];
    c.newToPolicy.set(policy, list);
    return list;
}

/** The component that claimed a VM id, if any, without claiming it. */
export function vmClaimant(id: string): string | undefined {
    return claims().vmIds.get(vmKey(id))?.name;
}

/** How many VMs the program has put under a policy so far, without counting one more. */
export function countedUnderPolicy(policy: unknown): number {
    return claims().perPolicy.get(policy) ?? 0;
}
