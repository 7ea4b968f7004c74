// Azure's naming rules for vaults and VM backup policies (rules sections 1.2 and 2.2), and the
// one-name-per-vault and one-name-per-group rules a program's declarations must keep.
import { type Finding, error } from "./finding";
import { show } from "./errors";

/** 2-50 characters, a letter first, letters, digits and hyphens, not ending in a hyphen. */
export const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{0,48}[A-Za-z0-9]$/;
export const VAULT_NAME_RULE = "must be 2-50 characters of letters, digits and hyphens, start with a letter and not end with a hyphen";

export function badVaultName(name: string): Finding | undefined {
    return VAULT_NAME.test(name) ? undefined : error("vault.name", "vaultName", `${VAULT_NAME_RULE}, got ${JSON.stringify(name)}`);
}

/** 3-150 characters, a letter first, letters, digits and hyphens, not ending in a hyphen. */
export const POLICY_NAME = /^[A-Za-z][A-Za-z0-9-]{1,148}[A-Za-z0-9]$/;
export const POLICY_NAME_RULE = "must be 3-150 characters of letters, digits and hyphens, start with a letter and not end with a hyphen";

/** Policies every new vault already holds: declaring one of these collides with it. */
export const RESERVED_POLICY_NAMES: readonly string[] = ["DefaultPolicy", "EnhancedPolicy", "HourlyLogBackup"];

export function reservedPolicyName(name: string): string | undefined {
    return RESERVED_POLICY_NAMES.find((r) => r.toLowerCase() === name.toLowerCase());
}

/** Why a name that every vault already uses cannot be declared. */
export function reservedNameReason(reserved: string, got: string, derived = false): string {
    const fix = derived ? "use VmBackupPolicy.fromId to refer to it, or set policyName" : "use VmBackupPolicy.fromId to refer to it";
    return `must not be "${reserved}": the vault already holds that policy; ${fix}, got ${show(got)}${derived ? " (derived from the component name)" : ""}`;
}

/** A policy name derived from the component name that collides with one every vault holds. */
export function reservedDerivedPolicyName(derived: string): Finding | undefined {
    const reserved = reservedPolicyName(derived);
    return reserved ? error("policy.name-reserved", "policyName", reservedNameReason(reserved, derived, true)) : undefined;
}

/** A second vault of one name in one resource group (`earlier` declared it first). */
export function duplicateVaultName(path: string, earlier: string | undefined, vaultName: string, resourceGroupName: string): Finding | undefined {
    if (earlier === undefined) return undefined;
    return error(
        "vault.name-unique",
        path,
        `BackupVault ${JSON.stringify(earlier)} already declares vault ${JSON.stringify(vaultName)} in resource group ${JSON.stringify(resourceGroupName)}; give each vault its own vaultName, got ${JSON.stringify(vaultName)}`,
    );
}

/** A second policy of one name in one vault (`earlier` declared it first). */
export function duplicatePolicyName(path: string, earlier: string | undefined, policyName: string): Finding | undefined {
    if (earlier === undefined) return undefined;
    return error(
        "policy.name-unique",
        path,
        `VmBackupPolicy ${JSON.stringify(earlier)} already declares policy ${JSON.stringify(policyName)} in this vault; give each policy its own policyName, got ${JSON.stringify(policyName)}`,
    );
}

/**
 * A valid Azure name derived from a Pulumi logical name: invalid characters become hyphens,
 * a letter is put first when needed, the result is cut to `max` and trimmed of trailing
 * hyphens. Deterministic (no random suffix) so that the name is known at preview and the
 * existing resource, if any, can be looked up by it.
 */
export function deriveName(logicalName: string, prefix: string, min: number, max: number): string {
    let n = logicalName.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-{2,}/g, "-").replace(/^-+/, "");
    if (!/^[A-Za-z]/.test(n)) n = `${prefix}-${n}`;
    n = n.slice(0, max).replace(/-+$/, "");
    while (n.length < min) n = `${n}0`;
    return n;
}
