// The pure rules of VmBackupSelection: matching, exclusion, names, placement on policy copies,
// and both sides of every limit.
import {
    type ListedVm,
    childName,
    copyName,
    excludedBecause,
    namePattern,
    placeOnCopies,
    policyFull,
    policyRegion,
    selected,
    skipped,
    subscriptionsUnlisted,
    tagsMatch,
    tooManyInVault,
    tooManyRegistrations,
} from "../src/rules/selection";
import { regionKey } from "../src/rules/regions";
import { subscriptionOf } from "../src/rules/resource-ids";

const SUB = "00000000-0000-0000-0000-00000000000a";
const vm = (over: Partial<ListedVm> = {}): ListedVm => ({
    id: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${over.name ?? "web-01"}`,
    name: "web-01",
    resourceGroupName: "rg-app",
    location: "westeurope",
    tags: {},
    ...over,
});

describe("tags", () => {
    test("every tag given must be there, with one of its values; names in any case, values exactly", () => {
        expect(tagsMatch({ backup: ["gold", "platinum"] }, { backup: "gold" })).toBe(true);
        expect(tagsMatch({ backup: ["gold", "platinum"] }, { BACKUP: "platinum" })).toBe(true);
        expect(tagsMatch({ backup: ["gold"] }, { backup: "Gold" })).toBe(false);
        expect(tagsMatch({ backup: ["gold"] }, {})).toBe(false);
        expect(tagsMatch({ backup: ["gold"], env: ["prod"] }, { backup: "gold" })).toBe(false);
        expect(tagsMatch({ backup: ["gold"], env: ["prod"] }, { backup: "gold", env: "prod" })).toBe(true);
        expect(tagsMatch({}, {})).toBe(true);
    });
});

describe("name patterns", () => {
    test.each([
        ["web-*", "web-01", true],
        ["web-*", "WEB-01", true],
        ["web-*", "web", false],
        ["web-??", "web-01", true],
        ["web-??", "web-001", false],
        ["*-db", "app-db", true],
        ["a.b", "a.b", true],
        ["a.b", "axb", false],
        ["(x)+", "(x)+", true],
        ["web", "web-01", false],
    ])("%s against %s: %s", (pattern, name, expected) => {
        expect(namePattern(pattern).test(name)).toBe(expected);
    });
});

describe("selected", () => {
    test("each criterion given must hold; groups and subscriptions without regard to case", () => {
        expect(selected(vm(), {})).toBe(true);
        expect(selected(vm(), { resourceGroups: ["RG-APP"] })).toBe(true);
        expect(selected(vm(), { resourceGroups: ["rg-db"] })).toBe(false);
        expect(selected(vm(), { resourceGroups: ["rg-db", "rg-app"] })).toBe(true);
        expect(selected(vm(), { subscriptions: ["00000000-0000-0000-0000-00000000000b", SUB] })).toBe(true);
        expect(selected(vm(), { subscriptions: [SUB.toUpperCase()] })).toBe(true);
        expect(selected(vm(), { subscriptions: ["00000000-0000-0000-0000-00000000000b"] })).toBe(false);
        expect(selected(vm(), { names: ["db-*", "web-*"] })).toBe(true);
        expect(selected(vm(), { names: ["db-*"] })).toBe(false);
        expect(selected(vm({ tags: { backup: "gold" } }), { tags: { backup: ["gold"] }, names: ["db-*"] })).toBe(false);
        expect(selected(vm({ tags: { backup: "gold" } }), { tags: { backup: ["gold"] }, names: ["web-*"] })).toBe(true);
        expect(selected(vm(), { tags: { backup: ["gold"] } })).toBe(false);
    });
    test("the subscription of an id", () => {
        expect(subscriptionOf(vm().id)).toBe(SUB);
        expect(subscriptionOf("/SUBSCRIPTIONS/ABC/x")).toBe("abc");
        expect(subscriptionOf("rg/x")).toBeUndefined();
        expect(subscriptionOf("/tenants/t/subscriptions/abc")).toBeUndefined();
    });
});

describe("exclusions", () => {
    test("by id without regard to case, or by any one tag value; the reason says which", () => {
        expect(excludedBecause(vm(), undefined)).toBeUndefined();
        expect(excludedBecause(vm(), { vmIds: [vm().id.toUpperCase()] })).toBe("its id is listed in exclude.vmIds");
        expect(excludedBecause(vm(), { vmIds: [vm({ name: "other" }).id] })).toBeUndefined();
        expect(excludedBecause(vm(), { vmIds: [vm({ name: "other" }).id, vm().id] })).toBe("its id is listed in exclude.vmIds");
        expect(excludedBecause(vm({ tags: { Skip: "yes" } }), { tags: { skip: ["no", "yes"] } })).toBe('its tag "skip" is "yes" (exclude.tags)');
        expect(excludedBecause(vm({ tags: { skip: "maybe" } }), { tags: { skip: ["no", "yes"] } })).toBeUndefined();
    });
});

describe("names and regions", () => {
    test("a child's name comes from group and VM name, lower case; the subscription only on a clash", () => {
        const parts = { resourceGroupName: "RG-App", vmName: "Web-01", subscriptionId: "ABC" };
        expect(childName("Gold", parts, false)).toBe("gold-rg-app-web-01");
        expect(childName("Gold", parts, true)).toBe("gold-rg-app-web-01-abc");
    });
    test("copy names are numbered from 2", () => {
        expect([0, 1, 2].map((k) => copyName("daily", k))).toEqual(["daily", "daily-2", "daily-3"]);
    });
    test("regions by any spelling Azure accepts", () => {
        expect(regionKey("West Europe")).toBe("westeurope");
        expect(regionKey("Mars Central")).toBe("marscentral");
        expect(policyRegion("p", "West Europe", "v", "westeurope")).toBeUndefined();
        expect(policyRegion("p", "northeurope", "v", "westeurope")?.rule).toBe("selection.policy-region");
    });
    test("a skipped VM's warning names group, VM and reason", () => {
        expect(skipped(vm(), "Excluded", "because")).toEqual({ rule: "selection.skipped", severity: "warning", path: "", message: 'skipped VM "rg-app/web-01" (Excluded): because' });
    });
});

describe("placement on policy copies", () => {
    const vms = (n: number, current?: (i: number) => number | undefined) =>
        Array.from({ length: n }, (_, i) => ({ key: `vm-${String(i).padStart(3, "0")}`, current: current?.(i) }));
    const onCopy = (placed: Map<string, number>, k: number) => [...placed].filter(([, c]) => c === k).map(([key]) => key);

    test("in order of key, each copy filled to its room, new copies with the full limit", () => {
        const placed = placeOnCopies(vms(5), [2], 2);
        expect(onCopy(placed, 0)).toEqual(["vm-000", "vm-001"]);
        expect(onCopy(placed, 1)).toEqual(["vm-002", "vm-003"]);
        expect(onCopy(placed, 2)).toEqual(["vm-004"]);
    });
    test("exactly the room fits without a copy; one more needs one", () => {
        expect(Math.max(...placeOnCopies(vms(100), [100], 100).values())).toBe(0);
        expect(Math.max(...placeOnCopies(vms(101), [100], 100).values())).toBe(1);
    });
    test("a VM stays where Azure protects it while there is room; the rest fill in order", () => {
        const placed = placeOnCopies(vms(4, (i) => (i === 3 ? 1 : undefined)), [2, 2], 100);
        expect(onCopy(placed, 0)).toEqual(["vm-000", "vm-001"]);
        expect(onCopy(placed, 1)).toEqual(["vm-003", "vm-002"]);
    });
    test("a VM whose copy is full moves; a copy with no room (negative) is skipped", () => {
        const placed = placeOnCopies(vms(3, () => 0), [1, -1], 100);
        expect(onCopy(placed, 0)).toEqual(["vm-000"]);
        expect(onCopy(placed, 1)).toEqual([]);
        expect(onCopy(placed, 2)).toEqual(["vm-001", "vm-002"]);
    });
    test("the same fleet in another order lands the same way", () => {
        const a = placeOnCopies(vms(7), [3], 3);
        const b = placeOnCopies(vms(7).reverse(), [3], 3);
        expect([...b].sort()).toEqual([...a].sort());
    });
});

describe("limits, both sides", () => {
    test("1,000 VMs in a vault pass, 1,001 fail", () => {
        expect(tooManyInVault("policy", "v", 1000)).toBeUndefined();
        expect(tooManyInVault("policy", "v", 1001)).toEqual({
            rule: "selection.vms-per-vault",
            severity: "error",
            path: "policy",
            message:
                'vault "v" would protect 1001 VMs (those Azure counts under the selection\'s policies and the ones it adds), and Azure Backup protects at most 1000 VMs in one vault; select fewer VMs or route some to another vault, got 1001 VMs',
        });
    });
    test("250 new VMs in a vault pass quietly, 251 warn", () => {
        expect(tooManyRegistrations("policy", "v", 250)).toBeUndefined();
        expect(tooManyRegistrations("policy", "v", 251)).toEqual({
            rule: "selection.registrations-per-day",
            severity: "warning",
            path: "policy",
            message:
                'this deployment would newly protect 251 VMs in vault "v", and Azure Backup registers at most 250 VMs in one vault per day: expect the rest to fail until the next day, or narrow the selection and widen it day by day, got 251 new VMs',
        });
    });
    test("a vault named by an id known only at update is said so, not named \"\"", () => {
        expect(tooManyInVault("policyIds.westeurope", undefined, 1001)?.message).toBe(
            "the policy's vault (named at update) would protect 1001 VMs (those Azure counts under the selection's policies and the ones it adds), and Azure Backup protects at most 1000 VMs in one vault; select fewer VMs or route some to another vault, got 1001 VMs",
        );
        expect(tooManyRegistrations("policyIds.westeurope", undefined, 251)?.message).toBe(
            "this deployment would newly protect 251 VMs in the policy's vault (named at update), and Azure Backup registers at most 250 VMs in one vault per day: expect the rest to fail until the next day, or narrow the selection and widen it day by day, got 251 new VMs",
        );
    });
    test("a policy given by id takes as many as it has room for, not one more", () => {
        expect(policyFull("policy", "daily", 2, 2)).toBeUndefined();
        expect(policyFull("policy", "daily", 2, 3)).toEqual({
            rule: "selection.policy-full",
            severity: "error",
            path: "policy",
            message:
                'policy "daily" has room for 2 more VMs (Azure Backup protects at most 100 under one policy) but the selection puts 3 under it; the selection spreads VMs over numbered copies only of a VmBackupPolicy the program declares: declare it, or narrow the selection, got 3 VMs',
        });
        expect(policyFull("policy", "daily", -3, 1)?.message).toContain("has room for 0 more VMs");
    });
    test("subscriptions other than the one listed are named", () => {
        expect(subscriptionsUnlisted("select.subscriptions", "aaa", ["AAA"])).toBeUndefined();
        expect(subscriptionsUnlisted("select.subscriptions", "aaa", ["aaa", "bbb", "ccc"])).toEqual({
            rule: "selection.subscriptions",
            severity: "error",
            path: "select.subscriptions",
            message:
                'the VMs are listed through the classic azure provider, which sees its own subscription aaa only, so VMs in bbb, ccc would be missed; declare one VmBackupSelection per subscription, each with an azure.Provider for it (opts.providers), got ["aaa","bbb","ccc"]',
        });
    });
});
