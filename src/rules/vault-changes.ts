// What a vault that already exists in Azure will not let a program change (rules 1.4-1.6):
// its region, and the settings that are one-way once set.
import { normalizeRegion } from "./regions";

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

export interface Problem {
    path: string;
    reason: string;
}

const is = (value: string | undefined, expected: string) => value?.toLowerCase() === expected.toLowerCase();

/** Problems with a declaration against the vault as it exists now (undefined: it does not exist yet). */
export function vaultChangeProblems(declared: DeclaredVault, current: CurrentVault | undefined): Problem[] {
    if (current === undefined) {
        return declared.immutability === "Locked"
            ? [{ path: "immutability", reason: 'Azure refuses "Locked" on a vault that does not exist yet; deploy it with immutability "Unlocked" first, then change to "Locked", got "Locked"' }]
            : [];
    }
    const problems: Problem[] = [];
    const region = normalizeRegion(current.location) ?? current.location;
    if (region.toLowerCase() !== declared.location) {
        problems.push({
            path: "location",
            reason: `the vault already exists in ${region}, and a vault cannot move to another region; keep location "${region}", or give a new vaultName, got "${declared.location}"`,
        });
    }
    if (declared.immutability === "Locked" && !is(current.immutability, "Unlocked") && !is(current.immutability, "Locked")) {
        problems.push({
            path: "immutability",
            reason: `Azure refuses "Locked" on a vault that is ${current.immutability ?? "Disabled"}; change it to "Unlocked" first, then to "Locked", got "Locked"`,
        });
    }
    if (is(current.immutability, "Locked") && declared.immutability !== "Locked") {
        problems.push({ path: "immutability", reason: `the vault is Locked, which can never be undone; keep "Locked", got ${JSON.stringify(declared.immutability)}` });
    }
    if (is(current.crossRegionRestore, "Enabled") && !declared.crossRegionRestore) {
        problems.push({ path: "crossRegionRestore", reason: "cross-region restore is enabled on the vault and cannot be disabled; keep it true, got false" });
    }
    if (is(current.softDeleteState, "AlwaysON") && declared.softDeleteState !== "AlwaysOn") {
        problems.push({
            path: "softDelete.state",
            reason: `soft delete is AlwaysOn on the vault, which can never be turned off; keep "AlwaysOn", got ${JSON.stringify(declared.softDeleteState)}`,
        });
    }
    return problems;
}
