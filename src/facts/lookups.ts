// Facts about things that already exist in Azure, read at preview through azure-native's
// invokes (answered from the inventory by the offline preview). Each look-up runs only once
// its inputs are known: a preview of resources not created yet looks nothing up.
import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as resources from "@pulumi/azure-native/resources";
import { perProgramRun } from "./program-run";

/** Resource Manager's 404, however the provider words it. */
export function isNotFound(err: unknown): boolean {
    const text = err instanceof Error ? err.message : String(err);
    return /\b404\b|NotFound|not found|could not be found|was not found/i.test(text);
}

async function orUndefinedWhenMissing<T>(lookup: Promise<T>): Promise<T | undefined> {
    try {
        return await lookup;
    } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
    }
}

// One look-up per thing per program run and provider: a VmBackupSelection reads each VM and item
// before the ProtectedVm it declares reads them again, and a fleet has thousands.
const remembered = perProgramRun(() => new Map<unknown, Map<string, Promise<unknown>>>());
const DEFAULT_PROVIDER = {};

function once<T>(kind: string, args: readonly string[], opts: pulumi.InvokeOptions, lookup: () => Promise<T>): Promise<T> {
    const byProvider = remembered();
    const provider = opts.provider ?? DEFAULT_PROVIDER;
    let known = byProvider.get(provider);
    if (!known) byProvider.set(provider, (known = new Map()));
    const key = `${kind}\n${args.join("\n").toLowerCase()}`;
    let found = known.get(key) as Promise<T> | undefined;
    if (!found) known.set(key, (found = lookup()));
    return found;
}

/** What a vault that exists in Azure tells us. */
export interface ExistingVault {
    id: string;
    location: string;
    storageRedundancy?: string;
    crossRegionRestore?: string;
    softDeleteState?: string;
    /** How many days the vault keeps deleted backup data. */
    softDeleteDays?: number;
    immutability?: string;
}

export function lookupVault(
    resourceGroupName: string,
    vaultName: string,
    opts: pulumi.InvokeOptions,
): Promise<ExistingVault | undefined> {
    return orUndefinedWhenMissing(recoveryservices.getVault({ resourceGroupName, vaultName }, opts)).then((v) =>
        v === undefined
            ? undefined
            : {
                  id: v.id,
                  location: v.location,
                  storageRedundancy: v.properties?.redundancySettings?.standardTierStorageRedundancy,
                  crossRegionRestore: v.properties?.redundancySettings?.crossRegionRestore,
                  softDeleteState: v.properties?.securitySettings?.softDeleteSettings?.softDeleteState,
                  softDeleteDays: v.properties?.securitySettings?.softDeleteSettings?.softDeleteRetentionPeriodInDays,
                  immutability: v.properties?.securitySettings?.immutabilitySettings?.state,
              },
    );
}

/**
 * Whether a vault holds backup items, from its storage configuration (Backup's
 * `backupstorageconfig/vaultstorageconfig`, read with the generic resource GET, since azure-native
 * has no invoke that lists a vault's items): Azure locks the storage type once a machine is
 * registered in the vault, and only then refuses a change of redundancy. undefined when Azure's
 * answer does not say.
 */
export function lookupVaultHoldsItems(resourceGroupName: string, vaultName: string, opts: pulumi.InvokeOptions): Promise<boolean | undefined> {
    return resources
        .getResource(
            {
                resourceGroupName,
                resourceProviderNamespace: "Microsoft.RecoveryServices",
                parentResourcePath: `vaults/${vaultName}`,
                resourceType: "backupstorageconfig",
                resourceName: "vaultstorageconfig",
                apiVersion: VAULT_STORAGE_CONFIG_API,
            },
            opts,
        )
        .then((config) => {
            const state = (config.properties as { storageTypeState?: unknown } | undefined)?.storageTypeState;
            if (typeof state !== "string") return undefined;
            if (state.toLowerCase() === "locked") return true;
            return state.toLowerCase() === "unlocked" ? false : undefined;
        });
}

/** The Backup REST API version the storage configuration is read with (the one azure-native's recoveryservices uses). */
export const VAULT_STORAGE_CONFIG_API = "2024-10-01";

/** The subscription the provider deploys into. */
export function clientSubscription(opts: pulumi.InvokeOptions): Promise<string> {
    return authorization.getClientConfig(opts).then((c) => c.subscriptionId);
}

/** What Azure Backup needs to know of an existing VM. */
export interface ExistingVm {
    location: string;
    securityType?: string;
    diskTypes: string[];
    /** false only when a Windows VM was created without the VM agent. */
    provisionVmAgent?: boolean;
}

export function lookupVm(resourceGroupName: string, vmName: string, opts: pulumi.InvokeOptions): Promise<ExistingVm | undefined> {
    return once("vm", [resourceGroupName, vmName], opts, () => readVm(resourceGroupName, vmName, opts));
}

function readVm(resourceGroupName: string, vmName: string, opts: pulumi.InvokeOptions): Promise<ExistingVm | undefined> {
    return orUndefinedWhenMissing(compute.getVirtualMachine({ resourceGroupName, vmName }, opts)).then((vm) => {
        if (vm === undefined) return undefined;
        const storage = vm.storageProfile;
        const disks = [storage?.osDisk?.managedDisk?.storageAccountType, ...(storage?.dataDisks ?? []).map((d) => d.managedDisk?.storageAccountType)];
        if (vm.additionalCapabilities?.ultraSSDEnabled) disks.push("UltraSSD_LRS");
        return {
            location: vm.location,
            securityType: vm.securityProfile?.securityType,
            diskTypes: disks.filter((d): d is string => typeof d === "string"),
            provisionVmAgent: vm.osProfile?.windowsConfiguration?.provisionVMAgent,
        };
    });
}

/** What an existing backup policy tells us. */
export interface ExistingPolicy {
    backupManagementType?: string;
    policyType?: string;
    /** How many items Azure says the policy protects now. */
    protectedItemsCount?: number;
}

export function lookupPolicy(
    resourceGroupName: string,
    vaultName: string,
    policyName: string,
    opts: pulumi.InvokeOptions,
): Promise<ExistingPolicy | undefined> {
    return orUndefinedWhenMissing(recoveryservices.getProtectionPolicy({ resourceGroupName, vaultName, policyName }, opts)).then((p) => {
        const properties = p?.properties as ExistingPolicy | undefined;
        return p === undefined
            ? undefined
            : { backupManagementType: properties?.backupManagementType, policyType: properties?.policyType, protectedItemsCount: properties?.protectedItemsCount };
    });
}

/** What an existing protected item in a vault tells us. */
export interface ExistingProtectedItem {
    /** True while the item is soft-deleted: it cannot be protected again in this vault until undeleted. */
    softDeleted: boolean;
    deleteTime?: string;
    /** Protected, IRPending, ProtectionStopped, BackupsSuspended and so on. */
    protectionState?: string;
    /** The policy that protects it. */
    policyId?: string;
}

export function lookupProtectedItem(
    args: { resourceGroupName: string; vaultName: string; containerName: string; protectedItemName: string },
    opts: pulumi.InvokeOptions,
): Promise<ExistingProtectedItem | undefined> {
    return once("item", [args.resourceGroupName, args.vaultName, args.containerName, args.protectedItemName], opts, () => readProtectedItem(args, opts));
}

function readProtectedItem(
    args: { resourceGroupName: string; vaultName: string; containerName: string; protectedItemName: string },
    opts: pulumi.InvokeOptions,
): Promise<ExistingProtectedItem | undefined> {
    return orUndefinedWhenMissing(recoveryservices.getProtectedItem({ ...args, fabricName: "Azure" }, opts)).then((item) => {
        if (item === undefined) return undefined;
        // Resource Manager spells it ...InUTC, the Azure CLI ...InUtc.
        const p = item.properties as
            | { isScheduledForDeferredDelete?: boolean; deferredDeleteTimeInUTC?: string; deferredDeleteTimeInUtc?: string; protectionState?: string; policyId?: string }
            | undefined;
        return {
            softDeleted: p?.isScheduledForDeferredDelete === true,
            deleteTime: p?.deferredDeleteTimeInUTC ?? p?.deferredDeleteTimeInUtc,
            protectionState: p?.protectionState,
            policyId: p?.policyId,
        };
    });
}
