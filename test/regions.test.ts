import {
    KNOWN_REGIONS,
    ZONE_REDUNDANT_VAULT_REGIONS,
    normalizeRegion,
    regionDisplayName,
    suggestRegion,
} from "../src/rules/regions";

describe("normalizeRegion", () => {
    it.each([
        ["westeurope", "westeurope"],
        ["West Europe", "westeurope"],
        ["WESTEUROPE", "westeurope"],
        ["west-europe", "westeurope"],
        ["west_europe", "westeurope"],
        ["  West   Europe ", "westeurope"],
        ["East US 2", "eastus2"],
        ["east-us-2", "eastus2"],
        ["Southeast Asia", "southeastasia"],
        ["UK South", "uksouth"],
        ["Australia Central 2", "australiacentral2"],
        ["US Gov Virginia", "usgovvirginia"],
        ["USGov Virginia", "usgovvirginia"],
        ["China North 3", "chinanorth3"],
        ["Germany West Central", "germanywestcentral"],
        ["new zealand north", "newzealandnorth"],
    ])("%j -> %j", (input, expected) => {
        expect(normalizeRegion(input)).toBe(expected);
    });

    it.each(["westeuropa", "europe", "", "   ", "us-east-1", "eastus4", "germanycentral", "West Europe EUAP"])(
        "unknown %j -> undefined",
        (input) => {
            expect(normalizeRegion(input)).toBeUndefined();
        },
    );

    it("maps every canonical name and display name back to the canonical name", () => {
        for (const name of KNOWN_REGIONS) {
            expect(normalizeRegion(name)).toBe(name);
            expect(normalizeRegion(regionDisplayName(name))).toBe(name);
            expect(normalizeRegion(regionDisplayName(name).toUpperCase())).toBe(name);
        }
    });
});

describe("regionDisplayName", () => {
    it("gives the display name of a canonical name", () => {
        expect(regionDisplayName("westeurope")).toBe("West Europe");
        expect(regionDisplayName("eastus2")).toBe("East US 2");
        expect(regionDisplayName("uaenorth")).toBe("UAE North");
        expect(regionDisplayName("southeastasia")).toBe("Southeast Asia");
    });

    it("falls back to the input for unknown names", () => {
        expect(regionDisplayName("marsnorth")).toBe("marsnorth");
        expect(regionDisplayName("")).toBe("");
    });
});

describe("suggestRegion", () => {
    it.each([
        ["westeuropa", "westeurope"],
        ["westerneurope", "westeurope"],
        ["northeurop", "northeurope"],
        ["uksouht", "uksouth"],
        ["eastus22", "eastus2"],
        ["eastus4", "eastus2"],
        ["francecentrl", "francecentral"],
        ["swedencentrall", "swedencentral"],
        ["US East", "eastus"],
        ["europe-west", "westeurope"],
        ["US West 2", "westus2"],
        ["Central India", "centralindia"],
        ["West Europe", "westeurope"],
    ])("%j -> %j", (input, expected) => {
        expect(suggestRegion(input)).toBe(expected);
    });

    it.each(["", "xyz", "us", "europe", "us-east-1", "antarctica", "localhost", "eu-west-2"])(
        "%j -> undefined",
        (input) => {
            expect(suggestRegion(input)).toBeUndefined();
        },
    );

    it("always suggests a known canonical name", () => {
        for (const input of ["westeuropa", "eastus22", "japaneest", "koreacentrl"]) {
            const s = suggestRegion(input);
            expect(s).toBeDefined();
            expect(KNOWN_REGIONS).toContain(s);
        }
    });
});

describe("KNOWN_REGIONS", () => {
    it("has unique, lower-case, space-free canonical names", () => {
        expect(new Set(KNOWN_REGIONS).size).toBe(KNOWN_REGIONS.length);
        for (const name of KNOWN_REGIONS) expect(name).toMatch(/^[a-z0-9]+$/);
    });

    it("has display names that fold to distinct keys", () => {
        const folded = KNOWN_REGIONS.map((n) => regionDisplayName(n).toLowerCase().replace(/\s+/g, ""));
        expect(new Set(folded).size).toBe(folded.length);
    });

    it.each([
        "eastus",
        "westus3",
        "westcentralus",
        "brazilsoutheast",
        "swedencentral",
        "italynorth",
        "spaincentral",
        "polandcentral",
        "israelcentral",
        "qatarcentral",
        "mexicocentral",
        "chilecentral",
        "newzealandnorth",
        "indonesiacentral",
        "malaysiawest",
        "jioindiawest",
        "usgovtexas",
        "chinaeast3",
    ])("includes %s", (name) => {
        expect(KNOWN_REGIONS).toContain(name);
    });

    it("leaves out retired regions", () => {
        for (const name of ["germanycentral", "germanynortheast", "usgoviowa"]) {
            expect(KNOWN_REGIONS).not.toContain(name);
        }
    });
});

describe("ZONE_REDUNDANT_VAULT_REGIONS", () => {
    it.each(["westeurope", "northeurope", "eastus", "eastus2", "uksouth", "centralindia", "qatarcentral", "usgovvirginia", "westus3"])(
        "%s supports ZRS",
        (name) => {
            expect(ZONE_REDUNDANT_VAULT_REGIONS.has(name)).toBe(true);
        },
    );

    it.each(["westus", "northcentralus", "ukwest", "francesouth", "australiasoutheast", "japanwest", "chinanorth3", "usgovarizona"])(
        "%s does not",
        (name) => {
            expect(ZONE_REDUNDANT_VAULT_REGIONS.has(name)).toBe(false);
        },
    );

    it("lists the 25 regions of the support matrix, all of them known", () => {
        expect(ZONE_REDUNDANT_VAULT_REGIONS.size).toBe(25);
        for (const name of ZONE_REDUNDANT_VAULT_REGIONS) expect(KNOWN_REGIONS).toContain(name);
    });
});
