// A vault or a policy named by its resource ID, as programs in other languages name them. The id
// is often an Output of a component in the same program (known at preview, since the components
// build it from names): once it is known, the component behind it is found, with all the rules
// know of it; an id of something this program does not declare is looked up in Azure.
import * as pulumi from "@pulumi/pulumi";
import { type BackupVaultReference, isVaultReference, noteVaultReference, vaultInternals, vaultReferenceFromId } from "./backup-vault";
import { isPolicyReference, notePolicyReference, policyInternals, policyReferenceFromId, type PolicyType } from "./vm-backup-policy";
import type { VmBackupPolicyReference } from "../vm-backup-policy";
import { inputError, ruleError, show } from "../rules/errors";
import { parsePolicyId, parseVaultId, vaultIdOf } from "../rules/resource-ids";
import { badVaultId } from "../rules/vault";
import { badPolicyId } from "../rules/policy";
import type { Finding } from "../rules/finding";
import { declaredPolicy, declaredVault } from "../facts/declared-components";
import { promiseOf } from "../facts/unknowns";
import { isLater } from "./arguments";

/** The reference behind an id, made once per id. */
function memo<T>(make: (id: string) => T): (id: string) => T {
    const made = new Map<string, T>();
    return (id) => {
        let r = made.get(id);
        if (r === undefined) made.set(id, (r = make(id)));
        return r;
    };
}

/**
 * An id argument: checked and resolved now when it is a plain string; when it is known only
 * later, its Output, with its parts and what it names once it is known.
 */
function idArgument<T, P>(
    who: { component: string; name: string; path: string },
    value: unknown,
    rule: { parse(id: string): P | undefined; bad(path: string, id: unknown): Finding; noun: string },
    make: (id: string) => T,
): { now: T } | { id: pulumi.Output<string>; parsed: pulumi.Output<P>; resolve: (id: string) => T; later: () => Promise<T | undefined> } {
    const { component, name, path } = who;
    const resolve = memo((id: string): T => {
        if (typeof id !== "string" || rule.parse(id) === undefined) throw ruleError({ component, name }, rule.bad(path, id));
        return make(id);
    });
    if (typeof value === "string") {
        if (rule.parse(value) === undefined) throw ruleError({ component, name, constructing: true }, rule.bad(path, value));
        return { now: resolve(value) };
    }
    if (!isLater(value)) throw inputError(component, name, [{ path, reason: `must be the ${rule.noun}'s resource ID, a string or an Output of one, got ${show(value)}` }]);
    const id = pulumi.output(value as pulumi.Input<string>);
    // Resolving first makes an id that is not one fail with its rule, rather than yield no parts.
    const parsed = id.apply((v) => {
        resolve(v);
        return rule.parse(v)!;
    }) as pulumi.Output<P>;
    return { id, parsed, resolve, later: () => promiseOf(id).then((v) => (v === undefined ? undefined : resolve(v))) };
}

/** A vault given by id: `path` of component `component` "`name`" names it. */
export function vaultReferenceAt(component: string, name: string, path: string, vaultId: unknown, opts: pulumi.InvokeOptions): BackupVaultReference {
    const arg = idArgument({ component, name, path }, vaultId, { parse: parseVaultId, bad: badVaultId, noun: "vault" }, (id) => {
        const declared = declaredVault(id);
        return declared && isVaultReference(declared) ? declared : vaultReferenceFromId(component, name, id, {}, opts, path);
    });
    if ("now" in arg) return arg.now;
    const { id, parsed, resolve, later } = arg;
    const ref: BackupVaultReference = {
        id,
        vaultName: parsed.apply((p) => p.vaultName),
        resourceGroupName: parsed.apply((p) => p.resourceGroupName),
        location: id.apply((v) => pulumi.output(resolve(v).location)),
        storageRedundancy: id.apply((v) => pulumi.output(resolve(v).storageRedundancy)),
    };
    let existing: pulumi.Output<unknown> | undefined;
    noteVaultReference(ref, {
        get existing() {
            return (existing ??= id.apply((v) => vaultInternals(resolve(v)).existing)) as ReturnType<typeof vaultInternals>["existing"];
        },
        subscriptionId: () => parsed.apply((p) => p.subscriptionId),
        provider: opts.provider,
        later,
    });
    return ref;
}

/** A policy given by id: `path` of component `component` "`name`" names it. */
export function policyReferenceAt(component: string, name: string, path: string, policyId: unknown, opts: pulumi.InvokeOptions): VmBackupPolicyReference {
    const arg = idArgument({ component, name, path }, policyId, { parse: parsePolicyId, bad: badPolicyId, noun: "policy" }, (id) => {
        const declared = declaredPolicy(id);
        return declared && isPolicyReference(declared) ? declared : policyReferenceFromId(component, name, id, {}, opts, path);
    });
    if ("now" in arg) return arg.now;
    const { id, parsed, resolve, later } = arg;
    const ref: VmBackupPolicyReference = {
        id,
        vault: vaultReferenceAt(component, name, path, parsed.apply(vaultIdOf), opts),
        policyType: id.apply((v) => resolve(v).policyType) as pulumi.Output<PolicyType>,
    };
    let count: pulumi.Output<number | undefined> | undefined;
    notePolicyReference(ref, {
        policyName: parsed.apply((p) => p.policyName),
        protectedItemsCount: () => (count ??= id.apply((v) => policyInternals(resolve(v)).protectedItemsCount())),
        later,
    });
    return ref;
}
