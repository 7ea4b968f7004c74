/**
 * Azure regions a Recovery Services vault can be placed in: the public cloud,
 * plus the Azure Government and Azure China regions Azure Backup runs in.
 *
 * Canonical names are ARM's programmatic location names (`westeurope`); display
 * names are what the portal and `az account list-locations` show.
 */

/** [canonical name, display name] */
type RegionRow = readonly [name: string, displayName: string];

const REGIONS: readonly RegionRow[] = [
    // Americas
    ["eastus", "East US"],
    ["eastus2", "East US 2"],
    ["centralus", "Central US"],
    ["northcentralus", "North Central US"],
    ["southcentralus", "South Central US"],
    ["westcentralus", "West Central US"],
    ["westus", "West US"],
    ["westus2", "West US 2"],
    ["westus3", "West US 3"],
    ["canadacentral", "Canada Central"],
    ["canadaeast", "Canada East"],
    ["mexicocentral", "Mexico Central"],
    ["brazilsouth", "Brazil South"],
    ["brazilsoutheast", "Brazil Southeast"],
    ["chilecentral", "Chile Central"],
    // Europe
    ["northeurope", "North Europe"],
    ["westeurope", "West Europe"],
    ["uksouth", "UK South"],
    ["ukwest", "UK West"],
    ["francecentral", "France Central"],
    ["francesouth", "France South"],
    ["germanywestcentral", "Germany West Central"],
    ["germanynorth", "Germany North"],
    ["switzerlandnorth", "Switzerland North"],
    ["switzerlandwest", "Switzerland West"],
    ["norwayeast", "Norway East"],
    ["norwaywest", "Norway West"],
    ["swedencentral", "Sweden Central"],
    ["swedensouth", "Sweden South"],
    ["polandcentral", "Poland Central"],
    ["italynorth", "Italy North"],
    ["spaincentral", "Spain Central"],
    ["austriaeast", "Austria East"],
    ["belgiumcentral", "Belgium Central"],
    ["denmarkeast", "Denmark East"],
    // Middle East and Africa
    ["israelcentral", "Israel Central"],
    ["qatarcentral", "Qatar Central"],
    ["uaenorth", "UAE North"],
    ["uaecentral", "UAE Central"],
    ["southafricanorth", "South Africa North"],
    ["southafricawest", "South Africa West"],
    // Asia Pacific
    ["eastasia", "East Asia"],
    ["southeastasia", "Southeast Asia"],
    ["japaneast", "Japan East"],
    ["japanwest", "Japan West"],
    ["koreacentral", "Korea Central"],
    ["koreasouth", "Korea South"],
    ["centralindia", "Central India"],
    ["southindia", "South India"],
    ["westindia", "West India"],
    ["jioindiawest", "Jio India West"],
    ["jioindiacentral", "Jio India Central"],
    ["australiaeast", "Australia East"],
    ["australiasoutheast", "Australia Southeast"],
    ["australiacentral", "Australia Central"],
    ["australiacentral2", "Australia Central 2"],
    ["newzealandnorth", "New Zealand North"],
    ["indonesiacentral", "Indonesia Central"],
    ["malaysiawest", "Malaysia West"],
    ["taiwannorth", "Taiwan North"],
    ["taiwannorthwest", "Taiwan Northwest"],
    // Azure Government
    ["usgovvirginia", "US Gov Virginia"],
    ["usgovarizona", "US Gov Arizona"],
    ["usgovtexas", "US Gov Texas"],
    ["usdodcentral", "US DoD Central"],
    ["usdodeast", "US DoD East"],
    // Azure China (21Vianet)
    ["chinanorth", "China North"],
    ["chinanorth2", "China North 2"],
    ["chinanorth3", "China North 3"],
    ["chinaeast", "China East"],
    ["chinaeast2", "China East 2"],
    ["chinaeast3", "China East 3"],
];

/** Canonical names of every known region. */
export const KNOWN_REGIONS: readonly string[] = Object.freeze(REGIONS.map((r) => r[0]));

/**
 * Regions where a Recovery Services vault can use ZoneRedundant storage, as listed
 * in the Azure Backup support matrix ("India Central" there is centralindia, "Qatar"
 * is qatarcentral).
 */
export const ZONE_REDUNDANT_VAULT_REGIONS: ReadonlySet<string> = new Set([
    "uksouth",
    "southeastasia",
    "australiaeast",
    "northeurope",
    "centralus",
    "eastus2",
    "brazilsouth",
    "southcentralus",
    "koreacentral",
    "norwayeast",
    "francecentral",
    "westeurope",
    "eastasia",
    "swedencentral",
    "canadacentral",
    "centralindia",
    "southafricanorth",
    "westus2",
    "japaneast",
    "eastus",
    "usgovvirginia",
    "switzerlandnorth",
    "qatarcentral",
    "uaenorth",
    "westus3",
]);

const DISPLAY = new Map<string, string>(REGIONS);

// Both spellings fold to the same key: "West Europe", "west-europe" and
// "WESTEUROPE" all become "westeurope".
const fold = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, "");

const BY_KEY = new Map<string, string>();
for (const [name, displayName] of REGIONS) {
    BY_KEY.set(fold(name), name);
    BY_KEY.set(fold(displayName), name);
}

// Display-name words in sorted order, so "US East" or "europe-west" can be
// recognised as a reordering of "East US" or "West Europe".
const wordKey = (s: string): string =>
    s
        .toLowerCase()
        .split(/[\s_-]+/)
        .filter((w) => w !== "")
        .sort()
        .join(" ");
const BY_WORDS = new Map<string, string>(REGIONS.map(([name, displayName]) => [wordKey(displayName), name]));

/** Canonical name for a region given by canonical or display name, in any case; undefined if unknown. */
export function normalizeRegion(input: string): string | undefined {
    return BY_KEY.get(fold(input));
}

/** The key a region is compared by: its canonical name, or for a name Azure does not list, that name without spaces in lower case. */
export function regionKey(location: string): string {
    return normalizeRegion(location) ?? location.replace(/\s+/g, "").toLowerCase();
}

/** Display name for a canonical region name; unknown names come back as given. */
export function regionDisplayName(canonical: string): string {
    return DISPLAY.get(canonical) ?? canonical;
}

/**
 * The known region an unknown input most likely meant, for "did you mean" hints:
 * the same words in another order, or a canonical name a few edits away.
 * Undefined when nothing is close enough to be a useful guess.
 */
export function suggestRegion(input: string): string | undefined {
    const exact = normalizeRegion(input);
    if (exact !== undefined) return exact;
    const reordered = BY_WORDS.get(wordKey(input));
    if (reordered !== undefined) return reordered;

    const key = fold(input);
    if (key === "") return undefined;
    // Short inputs get less slack, or "us" would "match" half the list.
    const limit = key.length < 5 ? 1 : key.length < 10 ? 2 : 3;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const name of KNOWN_REGIONS) {
        const d = editDistance(key, name, limit);
        if (d > limit) continue;
        if (d < bestDistance || (d === bestDistance && best !== undefined && closerLength(key, name, best))) {
            best = name;
            bestDistance = d;
        }
    }
    return best;
}

// Tie-break between equally distant names: prefer the one whose length is
// nearer the input, then the alphabetically first, so results are stable.
function closerLength(key: string, candidate: string, current: string): boolean {
    const a = Math.abs(candidate.length - key.length);
    const b = Math.abs(current.length - key.length);
    return a < b || (a === b && candidate < current);
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two
 * neighbouring letters (the usual typing slips). Stops early once every path
 * exceeds `limit`, returning `limit + 1`.
 */
function editDistance(a: string, b: string, limit: number): number {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    let prevPrev: number[] = [];
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        let rowMin = i;
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                v = Math.min(v, prevPrev[j - 2] + 1);
            }
            row.push(v);
            if (v < rowMin) rowMin = v;
        }
        if (rowMin > limit) return limit + 1;
        prevPrev = prev;
        prev = row;
    }
    return prev[b.length];
}
