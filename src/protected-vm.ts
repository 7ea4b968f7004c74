// The TypeScript face of ProtectedVm: the policy as a component reference, the VM as an
// azure-native or classic VM object, and the initial backup. The component itself, which every
// language shares, is in components/protected-vm.
import * as pulumi from "@pulumi/pulumi";
import { fromTypeScript } from "./components/arguments";
import * as component from "./components/protected-vm";
import type { VmBackupPolicyReference } from "./vm-backup-policy";
import type { VirtualMachineInput } from "./facts/vm-source";

export type { VirtualMachineInput } from "./facts/vm-source";

/** Arguments for a {@link ProtectedVm}. */
export interface ProtectedVmArgs {
    /** The backup policy; the VM is protected in the policy's vault. */
    readonly policy: VmBackupPolicyReference;
    /**
     * The VM: an azure-native `compute.VirtualMachine`, a classic `azure.compute.LinuxVirtualMachine`
     * or `WindowsVirtualMachine`, `{ id, location? }`, or the VM's resource ID. A VM given by id is
     * looked up at preview; `location` stands in only when it cannot be read.
     */
    readonly vm: VirtualMachineInput;
    /**
     * LUNs of data disks to leave out of the backup. The OS disk is always backed up.
     *
     * @default - every disk is backed up
     */
    readonly excludeDiskLuns?: number[];
    /**
     * What removing this component from the program does. "retain" leaves the protected item and
     * its recovery points in the vault (Pulumi forgets it); "delete" stops protection and deletes
     * the backup data (Azure keeps it soft-deleted for the vault's soft-delete period).
     *
     * @default "retain"
     */
    readonly onDelete?: "retain" | "delete";
    /**
     * Run one on-demand backup right after protection is enabled, rather than wait for the
     * policy's first scheduled one. `retainUntil` is a date (YYYY-MM-DD, kept to the end of that day
     * in UTC) or a date and time. It runs in Pulumi's dynamic provider host and signs in with
     * `DefaultAzureCredential` (environment, workload or managed identity, `az login`), not with
     * the azure-native provider's configuration; `endpoint` names the Resource Manager endpoint of a
     * sovereign cloud. It runs again only when the VM or vault changes.
     *
     * @default false
     */
    readonly initialBackup?: boolean | { readonly retainUntil?: string; readonly endpoint?: string };
}

/**
 * Protects an Azure VM in the vault of a {@link VmBackupPolicy}. At preview it checks that the VM
 * is in the vault's region and subscription, that no other ProtectedVm protects it, and that the
 * policy type suits the VM. Removing it keeps the recovery points unless `onDelete` is "delete".
 */
export class ProtectedVm extends component.ProtectedVm {
    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: ProtectedVmArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(name, fromTypeScript<component.ProtectedVmComponentArgs>(args), opts);
    }
}
