// The components' azure-native resources, made without azure-native's per-version aliases, beside
// the same resources made through azure-native's own classes: the same class, inputs, outputs and
// provider version, and none of the aliases. An azure-native upgrade that adds an input or an
// output to one of these classes fails here.
import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import { mockPulumi, type MockWorld } from "./mocks";
import { itemResource, policyResource, vaultResource } from "../src/components/child-resources";

const vaultArgs: recoveryservices.VaultArgs = { resourceGroupName: "rg", vaultName: "v", location: "westeurope", sku: { name: "Standard" }, properties: { publicNetworkAccess: "Enabled" }, tags: { a: "b" } };
const policyArgs: recoveryservices.ProtectionPolicyArgs = { resourceGroupName: "rg", vaultName: "v", policyName: "p", properties: { backupManagementType: "AzureIaasVM" } };
const itemArgs: recoveryservices.ProtectedItemArgs = {
    resourceGroupName: "rg",
    vaultName: "v",
    fabricName: "Azure",
    containerName: "c",
    protectedItemName: "i",
    properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: "/vm", policyId: "/p" },
};

const cases = [
    { name: "Vault", native: () => new recoveryservices.Vault("native", vaultArgs), lean: () => vaultResource("lean", vaultArgs, {}) },
    { name: "ProtectionPolicy", native: () => new recoveryservices.ProtectionPolicy("native", policyArgs), lean: () => policyResource("lean", policyArgs, {}) },
    { name: "ProtectedItem", native: () => new recoveryservices.ProtectedItem("native", itemArgs), lean: () => itemResource("lean", itemArgs, {}) },
];

const publicKeys = (r: object) => Object.keys(r).filter((k) => !k.startsWith("__")).sort();
const internal = (r: object, key: string) => (r as Record<string, unknown>)[key];
const registered = (world: MockWorld, name: string) => world.resources.find((r) => r.name === name);

describe.each([true, false])("preview: %s", (preview) => {
    test.each(cases)("$name: the same class, type, inputs, outputs and provider version, without the version aliases", async ({ native, lean }) => {
        const world = mockPulumi({ preview });
        const a = native() as pulumi.CustomResource;
        const b = lean() as pulumi.CustomResource;
        expect(await world.failures()).toEqual([]);

        expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
        expect(internal(b, "__pulumiType")).toBe(internal(a, "__pulumiType"));
        expect(publicKeys(b)).toEqual(publicKeys(a));
        expect(internal(b, "__version")).toBe(internal(a, "__version"));
        expect(internal(b, "__version")).toEqual(expect.stringMatching(/^\d+\.\d+\.\d+/));
        expect(registered(world, "lean")?.type).toBe(registered(world, "native")?.type);
        expect(registered(world, "lean")?.inputs).toEqual(registered(world, "native")?.inputs);
        // What is left out: the aliases of every API-version module of the type.
        expect((internal(a, "__aliases") as unknown[]).length).toBeGreaterThan(10);
        expect(internal(b, "__aliases")).toEqual([]);
    });
});

test("options given reach the resource", async () => {
    const world = mockPulumi({ preview: true });
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
    itemResource("lean", itemArgs, { parent, retainOnDelete: true, deleteBeforeReplace: true });
    expect(await world.failures()).toEqual([]);
    expect(world.options.get("lean")).toMatchObject({ parent: expect.stringContaining("test:index:Parent::parent"), retainOnDelete: true, deleteBeforeReplace: true });
});

describe("stack traces while a child resource is constructed", () => {
    test("capture is off during construction and restored after, and the resource keeps its source position", async () => {
        const world = mockPulumi({ preview: true });
        const positions: string[] = [];
        const monitor = pulumi.runtime.getMonitor() as any;
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: any, callback: unknown) => {
            positions.push(req.getSourceposition()?.getUri() ?? "");
            return register(req, callback);
        };
        const before = Error.stackTraceLimit;
        let during: number | undefined;
        // A transformation runs inside the resource's constructor.
        itemResource("lean", itemArgs, { transformations: [() => ((during = Error.stackTraceLimit), undefined)] });
        expect(during).toBe(0);
        expect(Error.stackTraceLimit).toBe(before);
        expect(await world.failures()).toEqual([]);
        // The SDK reads the source position with the limit lifted: the file that made the resource.
        expect(positions).toEqual([expect.stringMatching(/child-resources\.(ts|js)$/)]);
    });

    test("an error thrown by the constructor keeps its message, and the limit is restored", () => {
        mockPulumi({ preview: true });
        const before = Error.stackTraceLimit;
        const nativeError = captureError(() => new recoveryservices.ProtectedItem(undefined as unknown as string, itemArgs));
        const leanError = captureError(() => itemResource(undefined as unknown as string, itemArgs, {}));
        expect(leanError.message).toBe(nativeError.message);
        expect(leanError.message).toMatch(/name/);
        expect(Error.stackTraceLimit).toBe(before);
    });
});

function captureError(f: () => unknown): Error {
    try {
        f();
    } catch (err) {
        return err as Error;
    }
    throw new Error("expected an error");
}
