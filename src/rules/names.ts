// Azure's naming rules for vaults and VM backup policies (rules sections 1.2 and 2.2).

/** 2-50 characters, a letter first, letters, digits and hyphens, not ending in a hyphen. */
export const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{0,48}[A-Za-z0-9]$/;
export const VAULT_NAME_RULE = "must be 2-50 characters of letters, digits and hyphens, start with a letter and not end with a hyphen";

/** 3-150 characters, a letter first, letters, digits and hyphens, not ending in a hyphen. */
export const POLICY_NAME = /^[A-Za-z][A-Za-z0-9-]{1,148}[A-Za-z0-9]$/;
export const POLICY_NAME_RULE = "must be 3-150 characters of letters, digits and hyphens, start with a letter and not end with a hyphen";

/** Policies every new vault already holds: declaring one of these collides with it. */
export const RESERVED_POLICY_NAMES: readonly string[] = ["DefaultPolicy", "EnhancedPolicy", "HourlyLogBackup"];

export function reservedPolicyName(name: string): string | undefined {
    return RESERVED_POLICY_NAMES.find((r) => r.toLowerCase() === name.toLowerCase());
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
