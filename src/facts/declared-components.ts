// The vaults and policies this program declares, by resource ID. Programs in other languages
// name a vault or a policy by id; this finds the component behind the id, with everything the
// rules know of it, where an id alone would only allow a look-up of what Azure holds today.
import { perProgramRun } from "./program-run";

interface Declared {
    vaults: Map<string, object>;
    policies: Map<string, object>;
}

const declared = perProgramRun<Declared>(() => ({ vaults: new Map(), policies: new Map() }));

const key = (id: string) => id.replace(/\/+$/, "").toLowerCase();

export function noteDeclaredVault(id: string, vault: object): void {
    declared().vaults.set(key(id), vault);
}

export function declaredVault(id: string): object | undefined {
    return declared().vaults.get(key(id));
}

export function noteDeclaredPolicy(id: string, policy: object): void {
    declared().policies.set(key(id), policy);
}

export function declaredPolicy(id: string): object | undefined {
    return declared().policies.get(key(id));
}
