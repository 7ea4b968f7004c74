import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { BackupVault } from "pulumi-azure-vm-backup";
import { SUBSCRIPTION, invokeError, mockPulumi, registered, valueOf, thrown } from "./mocks";

const VAULT = "azure-native:recoveryservices:Vault";

const defaultProperties = {
    redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Disabled" },
    securitySettings: {
        softDeleteSettings: { softDeleteState: "Enabled", softDeleteRetentionPeriodInDays: 14 },
        immutabilitySettings: { state: "Disabled" },
    },
};


describe.each([
    ["preview", true],
    ["update", false],
])("BackupVault (%s)", (_mode, preview) => {
    test("registers one Standard vault with GRS, 14-day soft delete and the location normalised", async () => {
        // GIVEN
        const world = mockPulumi({ preview });
        // WHEN
        const vault = new BackupVault("prod", { resourceGroupName: "rg-backup", location: "West Europe", tags: { env: "prod" } });
        // THEN
        expect(await valueOf(vault.vault.urn)).toBe("urn:pulumi:stack::project::azure-vm-backup:index:BackupVault$azure-native:recoveryservices:Vault::prod");
        expect(world.one(VAULT).inputs).toEqual({
            resourceGroupName: "rg-backup",
            vaultName: "prod",
            location: "westeurope",
            sku: { name: "Standard" },
            properties: defaultProperties,
            tags: { env: "prod" },
        });
        expect(world.resources.map((r) => r.type)).toEqual(["azure-vm-backup:index:BackupVault", VAULT]);
        expect(vault.location).toBe("westeurope");
        expect(vault.storageRedundancy).toBe("GeoRedundant");
        expect(await valueOf(vault.vaultName)).toBe("prod");
        expect(await valueOf(vault.resourceGroupName)).toBe("rg-backup");
        expect(await valueOf(vault.id)).toBe(
            preview ? undefined : `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/prod`,
        );
        expect(world.warnings).toEqual([]);
    });

    test("renders every setting it is given", async () => {
        const world = mockPulumi({ preview });
        const vault = new BackupVault("v", {
            resourceGroupName: "rg",
            location: "northeurope",
            vaultName: "rsv-ne-01",
            storageRedundancy: "ZoneRedundant",
            softDelete: { state: "AlwaysOn", retentionDays: 180 },
            immutability: "Unlocked",
            publicNetworkAccess: "Disabled",
        });
        await registered(vault.vault);
        expect(world.one(VAULT).inputs.properties).toEqual({
            redundancySettings: { standardTierStorageRedundancy: "ZoneRedundant", crossRegionRestore: "Disabled" },
            securitySettings: {
                softDeleteSettings: { softDeleteState: "AlwaysON", softDeleteRetentionPeriodInDays: 180 },
                immutabilitySettings: { state: "Unlocked" },
            },
            publicNetworkAccess: "Disabled",
        });
        expect(world.one(VAULT).inputs.vaultName).toBe("rsv-ne-01");
        expect(world.warnings).toEqual(['BackupVault "v": softDelete.state: AlwaysOn can never be turned off again, got "AlwaysOn"']);
    });

    test("cross-region restore with GRS is rendered Enabled, with a warning that it is irreversible", async () => {
        const world = mockPulumi({ preview });
        await registered(new BackupVault("v", { resourceGroupName: "rg", location: "westeurope", crossRegionRestore: true }).vault);
        expect(world.one(VAULT).inputs.properties.redundancySettings).toEqual({ standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Enabled" });
        expect(world.warnings).toEqual(['BackupVault "v": crossRegionRestore: cannot be disabled once enabled, got true']);
    });

    test("ZoneRedundant outside the listed regions is a warning, not an error", async () => {
        const world = mockPulumi({ preview });
        new BackupVault("v", { resourceGroupName: "rg", location: "ukwest", storageRedundancy: "ZoneRedundant" });
        new BackupVault("w", { resourceGroupName: "rg", location: "uksouth", storageRedundancy: "ZoneRedundant" });
        expect(world.warnings).toEqual([
            'BackupVault "v": storageRedundancy: ZoneRedundant is not listed for Recovery Services vaults in UK West (ukwest); Azure may refuse it there, got "ZoneRedundant"',
        ]);
    });

    test("the existing vault is looked up by name at preview; a missing one is not an error", async () => {
        const world = mockPulumi({ preview });
        new BackupVault("prod", { resourceGroupName: "rg-backup", location: "westeurope" });
        expect(await world.failures()).toEqual([]);
        // The subscription builds the vaultId output, known at preview.
        expect(world.invokes.map((i) => [i.token, i.inputs])).toEqual([
            ["azure-native:recoveryservices:getVault", { resourceGroupName: "rg-backup", vaultName: "prod" }],
            ["azure-native:authorization:getClientConfig", {}],
        ]);
    });

    test("Locked immutability on a vault that does not exist yet fails the vault", async () => {
        const world = mockPulumi({ preview });
        new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope", immutability: "Locked" });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": BackupVault "prod": immutability: Azure refuses "Locked" on a vault that does not exist yet; deploy it with immutability "Unlocked" first, then change to "Locked", got "Locked"',
        ]);
        expect(world.ofType(VAULT)).toEqual([]);
    });

    test("Locked immutability on an existing Unlocked vault is allowed, with a warning", async () => {
        const world = mockPulumi({
            preview,
            invokes: {
                "azure-native:recoveryservices:getVault": () => ({
                    id: "x",
                    location: "westeurope",
                    properties: { securitySettings: { immutabilitySettings: { state: "Unlocked" } } },
                }),
            },
        });
        new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope", immutability: "Locked" });
        expect(await world.failures()).toEqual([]);
        expect(world.one(VAULT).inputs.properties.securitySettings.immutabilitySettings).toEqual({ state: "Locked" });
        expect(world.warnings).toEqual(['BackupVault "prod": immutability: "Locked" can never be undone, got "Locked"']);
    });
});

describe("BackupVault against the vault as it exists in Azure", () => {
    const existing = (properties: Record<string, unknown>, location = "westeurope") => ({
        "azure-native:recoveryservices:getVault": () => ({ id: "x", location, properties }),
    });

    test.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
        [
            "a Locked vault cannot be unlocked",
            { securitySettings: { immutabilitySettings: { state: "Locked" } } },
            { immutability: "Unlocked" },
            'immutability: the vault is Locked, which can never be undone; keep "Locked", got "Unlocked"',
        ],
        [
            "cross-region restore cannot be disabled",
            { redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Enabled" } },
            {},
            "crossRegionRestore: cross-region restore is enabled on the vault and cannot be disabled; keep it true, got false",
        ],
        [
            "AlwaysOn soft delete cannot be turned off",
            { securitySettings: { softDeleteSettings: { softDeleteState: "AlwaysON" } } },
            { softDelete: { state: "Enabled" } },
            'softDelete.state: soft delete is AlwaysOn on the vault, which can never be turned off; keep "AlwaysOn", got "Enabled"',
        ],
        [
            "Locked straight from Disabled is refused",
            { securitySettings: { immutabilitySettings: { state: "Disabled" } } },
            { immutability: "Locked" },
            'immutability: Azure refuses "Locked" on a vault that is Disabled; change it to "Unlocked" first, then to "Locked", got "Locked"',
        ],
        [
            "Locked on a vault that reports no immutability (Disabled, Azure's default) is refused",
            {},
            { immutability: "Locked" },
            'immutability: Azure refuses "Locked" on a vault that is Disabled; change it to "Unlocked" first, then to "Locked", got "Locked"',
        ],
    ])("%s", async (_what, current, change, expected) => {
        const world = mockPulumi({ preview: true, invokes: existing(current) });
        new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope", ...(change as object) });
        expect(await world.failures()).toEqual([`error serializing property "properties": BackupVault "prod": ${expected}`]);
        expect(world.ofType(VAULT)).toEqual([]);
    });

    test("a vault cannot move to another region", async () => {
        const world = mockPulumi({ preview: true, invokes: existing({}, "North Europe") });
        new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope" });
        expect(await world.failures()).toEqual([
            'error serializing property "properties": BackupVault "prod": location: the vault already exists in northeurope, and a vault cannot move to another region; keep location "northeurope", or give a new vaultName, got "westeurope"',
        ]);
    });

    test("keeping the one-way settings as they are passes", async () => {
        const world = mockPulumi({
            preview: true,
            invokes: existing({
                redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Enabled" },
                securitySettings: { softDeleteSettings: { softDeleteState: "AlwaysON" }, immutabilitySettings: { state: "Locked" } },
            }),
        });
        const vault = new BackupVault("prod", {
            resourceGroupName: "rg",
            location: "westeurope",
            crossRegionRestore: true,
            softDelete: { state: "AlwaysOn" },
            immutability: "Locked",
        });
        await registered(vault.vault);
        expect(await world.failures()).toEqual([]);
    });
});

describe("BackupVault names and look-ups", () => {
    test("two vaults of one name in one resource group are refused", () => {
        mockPulumi({ preview: true });
        new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope" });
        const error = thrown(() => new BackupVault("Prod", { resourceGroupName: "rg", location: "westeurope" }));
        expect(error.message).toBe(
            'BackupVault "Prod": name: BackupVault "prod" already declares vault "Prod" in resource group "rg"; give each vault its own vaultName, got "Prod"',
        );
    });

    test("retainOnDelete on the component reaches the vault", async () => {
        const world = mockPulumi({ preview: true });
        await registered(new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope" }, { retainOnDelete: true }).vault);
        expect(world.options.get("prod")?.retainOnDelete).toBe(true);
    });

    test("an empty name is refused before Pulumi sees it", () => {
        mockPulumi({ preview: true });
        expect(() => new BackupVault("", { resourceGroupName: "rg", location: "westeurope" })).toThrow('BackupVault "": name: must be a non-empty string, got ""');
    });

    test("a vault name is derived from a logical name that Azure would refuse", async () => {
        const world = mockPulumi({ preview: true });
        await registered(new BackupVault("1st_vault.prod-", { resourceGroupName: "rg", location: "westeurope" }).vault);
        expect(world.one(VAULT).inputs.vaultName).toBe("rsv-1st-vault-prod");
    });

    test("no look-up while the resource group name is unknown at preview", async () => {
        const world = mockPulumi({ preview: true });
        const rg = new resources.ResourceGroup("rg", { location: "westeurope" });
        new BackupVault("prod", { resourceGroupName: rg.name, location: "westeurope" });
        expect(await world.failures()).toEqual([]);
        expect(world.invokes).toEqual([]);
        expect(world.one(VAULT).inputs.resourceGroupName).toEqual({ __pulumiUnknown: true });
    });

    test("a look-up Azure refuses skips the checks that need it, with a warning", async () => {
        const world = mockPulumi({
            preview: true,
            invokes: {
                "azure-native:recoveryservices:getVault": () => {
                    throw Object.assign(new Error("AuthorizationFailed"), { details: "AuthorizationFailed: no read access" });
                },
            },
        });
        await registered(new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope", immutability: "Locked" }).vault);
        expect(await world.failures()).toEqual([]);
        expect(world.warnings).toEqual([
            'BackupVault "prod": could not read vault "prod" from Azure, so the checks against its current settings were skipped: AuthorizationFailed: no read access',
        ]);
    });
});

describe("BackupVault argument errors", () => {
    const base = { resourceGroupName: "rg", location: "westeurope" };
    beforeEach(() => mockPulumi({ preview: true }));

    test.each<[string, Record<string, unknown>, string, string]>([
        [
            "cross-region restore without GRS",
            { storageRedundancy: "LocallyRedundant", crossRegionRestore: true },
            "crossRegionRestore",
            'cross-region restore needs storageRedundancy "GeoRedundant", got storageRedundancy "LocallyRedundant"',
        ],
        ["an unknown region", { location: "westeuropa" }, "location", 'must be a known Azure region, got "westeuropa" (did you mean "westeurope"?)'],
        [
            "a vault name ending in a hyphen",
            { vaultName: "rsv-" },
            "vaultName",
            'must be 2-50 characters of letters, digits and hyphens, start with a letter and not end with a hyphen, got "rsv-"',
        ],
        [
            "a vault name starting with a digit",
            { vaultName: "1vault" },
            "vaultName",
            'must be 2-50 characters of letters, digits and hyphens, start with a letter and not end with a hyphen, got "1vault"',
        ],
        ["soft delete shorter than 14 days", { softDelete: { retentionDays: 13 } }, "softDelete.retentionDays", "must be between 14 and 180 days, got 13"],
        ["soft delete longer than 180 days", { softDelete: { retentionDays: 181 } }, "softDelete.retentionDays", "must be between 14 and 180 days, got 181"],
        ["soft delete Disabled", { softDelete: { state: "Disabled" } }, "softDelete.state", 'must be one of "Enabled", "AlwaysOn", got "Disabled"'],
        [
            "an unknown redundancy",
            { storageRedundancy: "GRS" },
            "storageRedundancy",
            'must be one of "GeoRedundant", "LocallyRedundant", "ZoneRedundant", got "GRS"',
        ],
        ["a missing location", { location: undefined }, "location", "is required, got undefined"],
        ["an unknown argument", { sku: "RS0" }, "args", 'unknown argument "sku"'],
    ])("%s", (_what, change, path, reason) => {
        const error = thrown(() => new BackupVault("prod", { ...base, ...change } as any));
        expect(error.message).toBe(`BackupVault "prod": ${path}: ${reason}`);
        expect(error.errors).toEqual([{ propertyPath: path, reason }]);
    });

    test("every problem is reported at once", () => {
        const error = thrown(() => new BackupVault("prod", { resourceGroupName: "rg", location: "mars", vaultName: "-" } as any));
        expect(error.message.split("\n")).toEqual([
            'BackupVault "prod": location: must be a known Azure region, got "mars"',
            'BackupVault "prod": vaultName: must be 2-50 characters of letters, digits and hyphens, start with a letter and not end with a hyphen, got "-"',
        ]);
    });
});

describe("BackupVault.fromId", () => {
    const id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-old/providers/Microsoft.RecoveryServices/vaults/rsv-old`;

    test("takes location and redundancy from the getVault look-up", async () => {
        const world = mockPulumi({
            preview: true,
            invokes: {
                "azure-native:recoveryservices:getVault": () => ({
                    id,
                    location: "West Europe",
                    properties: { redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant" } },
                }),
            },
        });
        const vault = BackupVault.fromId("old", id);
        expect(await valueOf(pulumi.output(vault.location))).toBe("westeurope");
        expect(await valueOf(pulumi.output(vault.storageRedundancy))).toBe("LocallyRedundant");
        expect(await valueOf(vault.vaultName)).toBe("rsv-old");
        expect(await valueOf(vault.resourceGroupName)).toBe("rg-old");
        expect(await valueOf(vault.id)).toBe(id);
        expect(world.invokes.map((i) => i.inputs)).toEqual([{ resourceGroupName: "rg-old", vaultName: "rsv-old" }]);
        expect(world.resources).toEqual([]);
    });

    test("facts given are not looked up", async () => {
        const world = mockPulumi({ preview: true });
        const vault = BackupVault.fromId("old", id, { location: "North Europe", storageRedundancy: "ZoneRedundant" });
        expect(vault.location).toBe("northeurope");
        expect(vault.storageRedundancy).toBe("ZoneRedundant");
        expect(world.invokes).toEqual([]);
    });

    test("a vault that does not exist fails the program", async () => {
        const world = mockPulumi({ preview: true });
        BackupVault.fromId("old", id);
        expect(await world.failures()).toEqual([`BackupVault "old": vaultId: no Recovery Services vault exists at this id, got "${id}"`]);
    });

    test("a vault Azure refuses to read fails the program, saying what Azure said (its credentials redacted) and what to do instead", async () => {
        const world = mockPulumi({
            preview: true,
            invokes: { "azure-native:recoveryservices:getVault": () => invokeError('StatusCode=403 Code="AuthorizationFailed" Message="client with Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln has no read access"') },
        });
        BackupVault.fromId("old", id);
        expect(await world.failures()).toEqual([
            `BackupVault "old": vaultId: the Recovery Services vault could not be read from Azure (StatusCode=403 Code="AuthorizationFailed" Message="client with Authorization: Bearer [redacted] has no read access"), and its region is needed: grant read access to it, or give the vault's location and storage redundancy as its facts, got "${id}"`,
        ]);
    });

    test.each<[string, unknown, string]>([
        ["a BackupVault", "vault", 'got a azure-vm-backup:index:BackupVault resource "v"'],
        ["a bigint", 10n, "got 10n"],
        ["a symbol", Symbol("id"), "got Symbol(id)"],
    ])("an id that is %s is named in the message", (_what, value, expected) => {
        mockPulumi({ preview: true });
        const given = value === "vault" ? new BackupVault("v", { resourceGroupName: "rg", location: "westeurope" }) : value;
        const error = thrown(() => BackupVault.fromId("old", given as string));
        expect(error.errors[0].propertyPath).toBe("vaultId");
        expect(error.message).toContain(expected);
    });

    test("facts are checked", () => {
        mockPulumi({ preview: true });
        const error = thrown(() => BackupVault.fromId("old", id, { location: "mars" }));
        expect(error.message).toBe('BackupVault "old": facts.location: must be a known Azure region, got "mars"');
    });

    test("an id that is not a vault id", () => {
        mockPulumi({ preview: true });
        const error = thrown(() => BackupVault.fromId("old", "/subscriptions/x/resourceGroups/rg"));
        expect(error.message).toBe(
            'BackupVault "old": vaultId: must be a Recovery Services vault resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{name}, got "/subscriptions/x/resourceGroups/rg"',
        );
    });
});
