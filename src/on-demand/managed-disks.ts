// The managed disks a restore drill checks and removes, and the disks a VM has, read and deleted
// through the Azure Compute SDK with the same retries as the Backup client.
import type { ComputeManagementClient } from "@azure/arm-compute";
import { BackupClientOptions, explain, sdkClient } from "./backup-client";
import { InvalidArgumentError } from "./backup-operation-error";
import { VM_ID_RULE, parseVmId } from "../rules/resource-ids";
import { redactDeep } from "./redact";

/** A disk a VM has, or a recovery point holds. */
export interface ExpectedDisk {
    /** The data disk's LUN; none for the OS disk. */
    lun?: number;
    os: boolean;
    sizeGb?: number;
    name?: string;
}

/** A managed disk as read from Azure. */
export interface ManagedDisk {
    id: string;
    sizeGb?: number;
    tags: Record<string, string>;
    /** The VM it is attached to, if any. */
    managedBy?: string;
    /** When Azure created it. */
    createdAt?: Date;
}

export interface DiskId {
    subscriptionId: string;
    resourceGroupName: string;
    diskName: string;
}

const DISK_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/disks\/([^/?#%\\\s]+)\/?$/i;
export const DISK_ID_RULE = "must be a managed disk resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/disks/{name}";

export function parseDiskId(id: string, argument = "diskId"): DiskId {
    const m = DISK_ID.exec(id);
    if (!m || [m[1], m[2], m[3]].some((n) => n === "." || n === "..")) throw new InvalidArgumentError(argument, `${DISK_ID_RULE}, got ${JSON.stringify(id)}`);
    return { subscriptionId: m[1], resourceGroupName: m[2], diskName: m[3] };
}

/** Reads of a VM's disks, and reads and deletes of managed disks, one Compute client per subscription. */
export interface ManagedDisks {
    /** The disks in the VM's storage profile, OS disk first. */
    vmDisks(vmId: string, signal?: AbortSignal): Promise<ExpectedDisk[]>;
    /** The disk, or undefined when Azure says it is not there. */
    readDisk(diskId: string, signal?: AbortSignal): Promise<ManagedDisk | undefined>;
    /** Sets the disk's tags to these (the others it has kept). */
    tagDisk(diskId: string, tags: Record<string, string>, signal?: AbortSignal): Promise<void>;
    /** Deletes the disk and waits until Azure has. */
    deleteDisk(diskId: string, signal?: AbortSignal): Promise<void>;
}

export async function createComputeClient(subscriptionId: string, options: BackupClientOptions = {}): Promise<ComputeManagementClient> {
    const { ComputeManagementClient } = await import("@azure/arm-compute");
    return sdkClient(options, (credential, o) => new ComputeManagementClient(credential, subscriptionId, o));
}

const isNotFound = (err: unknown) => err instanceof Error && (err as { statusCode?: number }).statusCode === 404;

export function managedDisks(options: BackupClientOptions = {}, pollIntervalMs = 2000): ManagedDisks {
    const clients = new Map<string, Promise<ComputeManagementClient>>();
    const clientFor = (subscriptionId: string) => {
        const key = subscriptionId.toLowerCase();
        if (!clients.has(key)) clients.set(key, createComputeClient(subscriptionId, options));
        return clients.get(key)!;
    };
    return {
        async vmDisks(vmId, signal) {
            const vm = parseVmId(vmId);
            if (!vm) throw new InvalidArgumentError("vmId", `${VM_ID_RULE}, got ${JSON.stringify(vmId)}`);
            try {
                const read = await (await clientFor(vm.subscriptionId)).virtualMachines.get(vm.resourceGroupName, vm.vmName, { abortSignal: signal });
                const profile = read.storageProfile ?? {};
                const os = profile.osDisk ? [{ os: true, sizeGb: profile.osDisk.diskSizeGB, name: profile.osDisk.name }] : [];
                return redactDeep([...os, ...(profile.dataDisks ?? []).map((d) => ({ os: false, lun: d.lun, sizeGb: d.diskSizeGB, name: d.name }))]);
            } catch (err) {
                throw explain(err, `reading the disks of VM ${vm.vmName}`);
            }
        },
        async readDisk(diskId, signal) {
            const disk = parseDiskId(diskId);
            try {
                const read = await (await clientFor(disk.subscriptionId)).disks.get(disk.resourceGroupName, disk.diskName, { abortSignal: signal });
                return redactDeep({ id: read.id ?? diskId, sizeGb: read.diskSizeGB, tags: read.tags ?? {}, managedBy: read.managedBy, createdAt: read.timeCreated });
            } catch (err) {
                if (isNotFound(err)) return undefined;
                throw explain(err, `reading disk ${disk.diskName}`);
            }
        },
        async tagDisk(diskId, tags, signal) {
            const disk = parseDiskId(diskId);
            try {
                const client = await clientFor(disk.subscriptionId);
                const read = await client.disks.get(disk.resourceGroupName, disk.diskName, { abortSignal: signal });
                await client.disks.update(disk.resourceGroupName, disk.diskName, { tags: { ...read.tags, ...tags } }, { abortSignal: signal, updateIntervalInMs: pollIntervalMs });
            } catch (err) {
                throw explain(err, `tagging disk ${disk.diskName}`);
            }
        },
        async deleteDisk(diskId, signal) {
            const disk = parseDiskId(diskId);
            try {
                await (await clientFor(disk.subscriptionId)).disks.delete(disk.resourceGroupName, disk.diskName, { abortSignal: signal, updateIntervalInMs: pollIntervalMs });
            } catch (err) {
                throw explain(err, `deleting disk ${disk.diskName}`);
            }
        },
    };
}
