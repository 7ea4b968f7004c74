// Pulumi's mock runtime, set up the way a real `pulumi preview` or `pulumi up` behaves:
// in preview, resources to be created have unknown ids and their outputs echo their inputs;
// in update, ids are the ARM ids Azure would give them.
import * as pulumi from "@pulumi/pulumi";

export const SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
export const OTHER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000002";

export type InvokeHandler = (inputs: Record<string, any>) => Record<string, any>;

/** Resource options as the engine receives them, which Pulumi's mocks do not pass on. */
export interface RegisteredOptions {
    parent: string;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    protect: boolean;
    /** URNs of the resources it was made to depend on. */
    dependsOn: string[];
}

export interface MockWorld {
    /** Every resource registered, in order. */
    readonly resources: pulumi.runtime.MockResourceArgs[];
    /** Options of every resource registered, by resource name. */
    readonly options: Map<string, RegisteredOptions>;
    /** Every provider invoke made, in order. */
    readonly invokes: pulumi.runtime.MockCallArgs[];
    /** `pulumi.log.warn` messages. */
    readonly warnings: string[];
    /** The registered resources of one type. */
    ofType(type: string): pulumi.runtime.MockResourceArgs[];
    /** The one registered resource of a type; fails the test when there is not exactly one. */
    one(type: string): pulumi.runtime.MockResourceArgs;
    /**
     * The messages of the rejections nobody awaited so far (a resource that failed to register
     * leaves one), after letting pending work settle. Reading them marks them expected.
     */
    failures(): Promise<string[]>;
}

export interface MockOptions {
    /** true: `pulumi preview`; false: `pulumi up`. */
    preview: boolean;
    /** Provider invokes by token, e.g. "azure-native:compute:getVirtualMachine". */
    invokes?: Record<string, InvokeHandler>;
    /** Subscription of the resources created, as the provider's would be. @default SUBSCRIPTION */
    subscription?: string;
    /** Resources (by name) the stack's last deployment holds: a preview knows their ids. */
    deployed?: string[];
}

/**
 * An invoke's failure as the engine reports it: its text travels in the gRPC error's
 * `details`, which is all the SDK passes on.
 */
export function invokeError(message: string): never {
    throw Object.assign(new Error(message), { details: message });
}

/** A 404 from Resource Manager, as a provider invoke reports it. */
export function notFound(what: string): never {
    invokeError(`${what} not found: StatusCode=404 Code="ResourceNotFound"`);
}

/** The engine's built-in invoke that reads a stack's resources from its last checkpoint. */
export const READ_STACK = "pulumi:pulumi:readStackResourceOutputs";

const defaultInvokes: Record<string, InvokeHandler> = {
    "azure-native:authorization:getClientConfig": () => ({
        subscriptionId: SUBSCRIPTION,
        tenantId: "00000000-0000-0000-0000-0000000000aa",
        clientId: "00000000-0000-0000-0000-0000000000bb",
        objectId: "00000000-0000-0000-0000-0000000000cc",
    }),
    "azure-native:recoveryservices:getVault": (i) => notFound(`vault ${i.vaultName}`),
    "azure-native:compute:getVirtualMachine": (i) => notFound(`virtual machine ${i.vmName}`),
    "azure-native:recoveryservices:getProtectionPolicy": (i) => notFound(`backup policy ${i.policyName}`),
    "azure-native:recoveryservices:getProtectedItem": (i) => notFound(`protected item ${i.protectedItemName}`),
    // The stack's last deployment, as the engine's built-in invoke reads it: a first deployment.
    [READ_STACK]: (i) => ({ name: i.stackName, outputs: {} }),
};

/** The name Azure gives a resource: the name input of its type, else the logical name. */
function azureName(type: string, name: string, inputs: Record<string, any>): string {
    const nameInput: Record<string, string> = {
        "azure-native:resources:ResourceGroup": "resourceGroupName",
        "azure-native:recoveryservices:Vault": "vaultName",
        "azure-native:recoveryservices:ProtectionPolicy": "policyName",
        "azure-native:recoveryservices:ProtectedItem": "protectedItemName",
        "azure-native:compute:VirtualMachine": "vmName",
        "azure-native:network:VirtualNetwork": "virtualNetworkName",
        "azure-native:network:NetworkInterface": "networkInterfaceName",
    };
    return inputs[nameInput[type] ?? "name"] ?? name;
}

/** The ARM id Azure gives a resource of these types, built from its inputs. */
function armId(type: string, name: string, inputs: Record<string, any>, subscription: string): string {
    const rg = (g: string) => `/subscriptions/${subscription}/resourceGroups/${g}`;
    switch (type) {
        case "azure-native:resources:ResourceGroup":
            return rg(azureName(type, name, inputs));
        case "azure-native:recoveryservices:Vault":
            return `${rg(inputs.resourceGroupName)}/providers/Microsoft.RecoveryServices/vaults/${azureName(type, name, inputs)}`;
        case "azure-native:recoveryservices:ProtectionPolicy":
            return `${rg(inputs.resourceGroupName)}/providers/Microsoft.RecoveryServices/vaults/${inputs.vaultName}/backupPolicies/${azureName(type, name, inputs)}`;
        case "azure-native:recoveryservices:ProtectedItem":
            return `${rg(inputs.resourceGroupName)}/providers/Microsoft.RecoveryServices/vaults/${inputs.vaultName}/backupFabrics/${inputs.fabricName}/protectionContainers/${inputs.containerName}/protectedItems/${inputs.protectedItemName}`;
        case "azure-native:compute:VirtualMachine":
        case "azure:compute/linuxVirtualMachine:LinuxVirtualMachine":
        case "azure:compute/windowsVirtualMachine:WindowsVirtualMachine":
            return `${rg(inputs.resourceGroupName)}/providers/Microsoft.Compute/virtualMachines/${azureName(type, name, inputs)}`;
        case "azure-native:network:VirtualNetwork":
            return `${rg(inputs.resourceGroupName)}/providers/Microsoft.Network/virtualNetworks/${azureName(type, name, inputs)}`;
        case "azure-native:network:NetworkInterface":
            return `${rg(inputs.resourceGroupName)}/providers/Microsoft.Network/networkInterfaces/${azureName(type, name, inputs)}`;
        default:
            return `${name}-id`;
    }
}

/**
 * Installs Pulumi's mock runtime. Call it before constructing components (each call starts a
 * fresh program, so per-program state such as the one-vault-per-VM registry starts empty).
 */
export function mockPulumi(config: MockOptions): MockWorld {
    const resources: pulumi.runtime.MockResourceArgs[] = [];
    const invokes: pulumi.runtime.MockCallArgs[] = [];
    const warnings: string[] = [];
    const handlers = { ...defaultInvokes, ...(config.invokes ?? {}) };

    warnSpy?.mockRestore();
    warnSpy = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
        warnings.push(args.map(String).join(" ").replace(/^warning: \[runtime\] /, ""));
    });

    pulumi.runtime.setMocks(
        {
            newResource(args) {
                resources.push(args);
                if (config.preview && !config.deployed?.includes(args.name)) return { id: undefined as unknown as string, state: args.inputs };
                const id = armId(args.type, args.name, args.inputs, config.subscription ?? SUBSCRIPTION);
                const name = azureName(args.type, args.name, args.inputs);
                return { id, state: { ...args.inputs, id, name } };
            },
            call(args) {
                invokes.push(args);
                const handler = handlers[args.token];
                if (!handler) invokeError(`invoke not mocked: ${args.token}`);
                return handler(args.inputs);
            },
        },
        "project",
        "stack",
        config.preview,
        "organization",
    );

    const options = new Map<string, RegisteredOptions>();
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: unknown) => {
        options.set(req.getName(), {
            parent: req.getParent(),
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            protect: req.getProtect() === true,
            dependsOn: req.getDependenciesList(),
        });
        return register(req, callback);
    };

    return {
        resources,
        options,
        invokes,
        warnings,
        ofType: (type) => resources.filter((r) => r.type === type),
        one(type) {
            const found = resources.filter((r) => r.type === type);
            if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
            return found[0];
        },
        async failures() {
            await settle();
            const seen = [...new Set(unhandled().splice(0))];
            return seen.map((e) => (e instanceof Error ? e.message : String(e)));
        },
    };
}

function unhandled(): unknown[] {
    return (globalThis as unknown as { __unhandledRejections: unknown[] }).__unhandledRejections;
}

// A rejection no test read is a failure nobody expected.
afterEach(async () => {
    await settle();
    const left = [...new Set(unhandled().splice(0))];
    if (left.length > 0) throw new Error(`unexpected failures:\n${left.map((e) => (e instanceof Error ? e.message : String(e))).join("\n")}`);
});

let warnSpy: jest.SpyInstance | undefined;

/** The value of an Output, or undefined when it is unknown (as in a preview). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
        const o = output as any;
        Promise.all([o.promise(), o.isKnown]).then(([value, known]) => resolve(known ? value : undefined), reject);
    });
}

/** Waits for a resource to register; resolves its URN, or rejects with why it could not. */
export function registered(resource: pulumi.Resource): Promise<string> {
    return (resource.urn as any).promise();
}

/** Lets every pending registration and apply settle. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** The InputPropertiesError a call throws; fails the test when it throws nothing or anything else. */
export function thrown(f: () => unknown): pulumi.InputPropertiesError {
    try {
        f();
    } catch (e) {
        if (e instanceof pulumi.InputPropertiesError) return e;
        throw e;
    }
    throw new Error("expected an InputPropertiesError");
}
