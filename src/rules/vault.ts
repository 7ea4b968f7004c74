// Azure Backup's rules for a Recovery Services vault (rules sections 1.4-1.6): the settings that
// go together, the ones that are one-way once set, and what a vault that already exists in Azure
// will not let a program change. Pure functions: the facts come from the caller.
import { type Finding, error, warning } from "./finding";
import { ZONE_REDUNDANT_VAULT_REGIONS, normalizeRegion, regionDisplayName, suggestRegion } from "./regions";
import { VAULT_ID_RULE } from "./resource-ids";
import { show } from "./errors";

export interface DeclaredVault {
    location: string;
    crossRegionRestore: boolean;
    softDeleteState: "Enabled" | "AlwaysOn";
    immutability: "Disabled" | "Unlocked" | "Locked";
}

export interface CurrentVault {
    location: string;
    crossRegionRestore?: string;
    softDeleteState?: string;
    immutability?: string;
}

const is = (value: string | undefined, expected: string) => value?.toLowerCase() === expected.toLowerCase();

/** A vault's region, by name or display name, that Azure does not have (with the likeliest meant). */
export function unknownRegion(location: string): Finding {
    const hint = suggestRegion(location);
    return error("vault.region", "location", `must be a known Azure region, got ${JSON.stringify(location)}${hint ? ` (did you mean "${hint}"?)` : ""}`);
}

export const SOFT_DELETE_DAYS = { min: 14, max: 180 } as const;

/** Soft-deleted data is kept 14-180 days. */
export function softDeleteDays(days: number): Finding | undefined {
    if (days >= SOFT_DELETE_DAYS.min && days <= SOFT_DELETE_DAYS.max) return undefined;
    return error("vault.soft-delete-days", "softDelete.retentionDays", `must be between ${SOFT_DELETE_DAYS.min} and ${SOFT_DELETE_DAYS.max} days, got ${String(days)}`);
}

/** Restoring in the paired region needs data replicated there. */
export function crossRegionRestoreNeedsGeo(crossRegionRestore: boolean, storageRedundancy: string): Finding | undefined {
    if (!crossRegionRestore || storageRedundancy === "GeoRedundant") return undefined;
    return error(
        "vault.cross-region-restore-needs-geo",
        "crossRegionRestore",
        `cross-region restore needs storageRedundancy "GeoRedundant", got storageRedundancy ${JSON.stringify(storageRedundancy)}`,
    );
}

/** ZoneRedundant vaults exist only in some regions. */
export function zoneRedundantUnlisted(storageRedundancy: string, location: string): Finding | undefined {
    if (storageRedundancy !== "ZoneRedundant" || ZONE_REDUNDANT_VAULT_REGIONS.has(location)) return undefined;
    return warning(
        "vault.zone-redundant-region",
        "storageRedundancy",
        `ZoneRedundant is not listed for Recovery Services vaults in ${regionDisplayName(location)} (${location}); Azure may refuse it there, got "ZoneRedundant"`,
    );
}

export function crossRegionRestoreOneWay(crossRegionRestore: boolean): Finding | undefined {
    if (!crossRegionRestore) return undefined;
    return warning("vault.cross-region-restore-one-way", "crossRegionRestore", "cannot be disabled once enabled, got true");
}

export function alwaysOnOneWay(softDeleteState: string): Finding | undefined {
    if (softDeleteState !== "AlwaysOn") return undefined;
    return warning("vault.always-on", "softDelete.state", `AlwaysOn can never be turned off again, got "AlwaysOn"`);
}

/** The warnings a vault's settings call for, whatever exists in Azure. */
export function vaultSettingsFindings(a: { storageRedundancy: string; location: string; crossRegionRestore: boolean; softDeleteState: string }): Finding[] {
    return [zoneRedundantUnlisted(a.storageRedundancy, a.location), crossRegionRestoreOneWay(a.crossRegionRestore), alwaysOnOneWay(a.softDeleteState)].filter(
        (f): f is Finding => f !== undefined,
    );
}

/** A vault never moves to another region. */
export function regionChange(declared: DeclaredVault, current: CurrentVault | undefined): Finding | undefined {
    if (current === undefined) return undefined;
    const region = normalizeRegion(current.location) ?? current.location;
    if (region.toLowerCase() === declared.location) return undefined;
    return error(
        "vault.region-change",
        "location",
        `the vault already exists in ${region}, and a vault cannot move to another region; keep location "${region}", or give a new vaultName, got "${declared.location}"`,
    );
}

/** Azure takes "Locked" only on a vault that exists and is "Unlocked" (or Locked already). */
export function lockedNeedsUnlocked(declared: DeclaredVault, current: CurrentVault | undefined): Finding | undefined {
    if (declared.immutability !== "Locked") return undefined;
    if (current === undefined) {
        return error(
            "vault.locked-needs-unlocked",
            "immutability",
            'Azure refuses "Locked" on a vault that does not exist yet; deploy it with immutability "Unlocked" first, then change to "Locked", got "Locked"',
        );
    }
    if (is(current.immutability, "Unlocked") || is(current.immutability, "Locked")) return undefined;
    return error(
        "vault.locked-needs-unlocked",
        "immutability",
        `Azure refuses "Locked" on a vault that is ${current.immutability ?? "Disabled"}; change it to "Unlocked" first, then to "Locked", got "Locked"`,
    );
}

export function keepsLocked(declared: DeclaredVault, current: CurrentVault | undefined): Finding | undefined {
    if (!is(current?.immutability, "Locked") || declared.immutability === "Locked") return undefined;
    return error("vault.keeps-locked", "immutability", `the vault is Locked, which can never be undone; keep "Locked", got ${JSON.stringify(declared.immutability)}`);
}

export function keepsCrossRegionRestore(declared: DeclaredVault, current: CurrentVault | undefined): Finding | undefined {
    if (!is(current?.crossRegionRestore, "Enabled") || declared.crossRegionRestore) return undefined;
    return error("vault.keeps-cross-region-restore", "crossRegionRestore", "cross-region restore is enabled on the vault and cannot be disabled; keep it true, got false");
}

export function keepsAlwaysOn(declared: DeclaredVault, current: CurrentVault | undefined): Finding | undefined {
    if (!is(current?.softDeleteState, "AlwaysON") || declared.softDeleteState === "AlwaysOn") return undefined;
    return error(
        "vault.keeps-always-on",
        "softDelete.state",
        `soft delete is AlwaysOn on the vault, which can never be turned off; keep "AlwaysOn", got ${JSON.stringify(declared.softDeleteState)}`,
    );
}

/** Locking a vault that exists is allowed, and can never be undone. */
export function lockedIrreversible(declared: DeclaredVault, current: CurrentVault | undefined): Finding | undefined {
    if (declared.immutability !== "Locked" || current === undefined || /^Locked$/i.test(current.immutability ?? "")) return undefined;
    return warning("vault.locked-irreversible", "immutability", `"Locked" can never be undone, got "Locked"`);
}

/** A declaration against the vault as it exists now (undefined: it does not exist yet): errors first. */
export function vaultChangeFindings(declared: DeclaredVault, current: CurrentVault | undefined): Finding[] {
    return [regionChange, lockedNeedsUnlocked, keepsLocked, keepsCrossRegionRestore, keepsAlwaysOn, lockedIrreversible]
        .map((rule) => rule(declared, current))
        .filter((f): f is Finding => f !== undefined);
}

/** Whether a declaration changes the redundancy of a vault that exists. */
export function changesRedundancy(current: string | undefined, declared: string | undefined): current is string {
    return !!current && !!declared && current.toLowerCase() !== declared.toLowerCase() && current !== "Invalid";
}

/** A vault's redundancy is fixed once it holds backup items. */
export function redundancyChange(path: string, vault: string, current: string | undefined, declared: string | undefined): Finding | undefined {
    if (!changesRedundancy(current, declared)) return undefined;
    return error(
        "vault.redundancy-change",
        path,
        `vault ${JSON.stringify(vault)} already exists with ${current} storage, and its redundancy cannot change once it holds backup items; ` +
            `keep storageRedundancy ${JSON.stringify(current)}, or protect these VMs in a new vault (or stop protection of every item in it first), got storageRedundancy ${JSON.stringify(declared)}`,
    );
}

/** The warning when it cannot be told whether the vault holds backup items. */
export function redundancyChangeUnjudged(vault: string, current: string, declared: string, why: string): Finding {
    return warning(
        "vault.redundancy-change-unjudged",
        "storageRedundancy",
        `vault ${JSON.stringify(vault)} already exists with ${current} storage, and whether it holds backup items (which would fix its redundancy) could not be told: ${why}; ` +
            `if it holds any, Azure refuses the change: keep storageRedundancy ${JSON.stringify(current)} then, got storageRedundancy ${JSON.stringify(declared)}`,
    );
}

/** A vault Azure would not let us read: the checks against its settings are skipped. */
export function vaultUnread(vaultName: string, why: string): Finding {
    return warning("vault.unread", "", `could not read vault ${JSON.stringify(vaultName)} from Azure, so the checks against its current settings were skipped: ${why}`);
}

/** A vault id known only at preview must still be a vault id. */
export function badVaultId(path: string, id: unknown): Finding {
    return error("vault.id", path, `${VAULT_ID_RULE}, got ${show(id)}`);
}
