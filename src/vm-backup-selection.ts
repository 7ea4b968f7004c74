// The TypeScript face of VmBackupSelection: policies as component references, a tag value alone
// or in a list, and the initial backup. The component itself, which every language shares, is in
// components/vm-backup-selection.
import * as pulumi from "@pulumi/pulumi";
import { fromTypeScript } from "./components/arguments";
import * as component from "./components/vm-backup-selection";
import type { VmBackupPolicyReference } from "./vm-backup-policy";
import type { ProtectedVmArgs } from "./protected-vm";

/** Tags to match: each tag name with one value, or a list of values any of which matches. */
export type TagSelection = Record<string, string | string[]>;

/** Which VMs a {@link VmBackupSelection} takes: every criterion given must hold. */
export interface VmSelection {
    /** Tags every selected VM has. Tag names are read without regard to case, values exactly. */
    readonly tags?: TagSelection;
    /** Resource groups the VMs are in. */
    readonly resourceGroups?: string[];
    /** Subscriptions the VMs are in; the classic azure provider lists its own subscription only. */
    readonly subscriptions?: string[];
    /** VM name patterns (`*`, `?`, without regard to case); a VM matching any of them is selected. */
    readonly names?: string[];
}

/** VMs to leave out though they match; each is reported with the reason. */
export interface VmExclusion {
    /** Resource IDs of VMs to leave out. */
    readonly vmIds?: string[];
    /** A VM with any of these tag values is left out. */
    readonly tags?: TagSelection;
}

/** Arguments for a {@link VmBackupSelection}. */
export interface VmBackupSelectionArgs {
    /** The one policy every selected VM is protected under. Give this or `policies`. */
    readonly policy?: VmBackupPolicyReference;
    /**
     * A policy per region (`{ westeurope: weu, northeurope: neu }`): each VM goes to the policy of
     * its region, and a VM of a region not listed is skipped with a warning.
     */
    readonly policies?: Record<string, VmBackupPolicyReference>;
    /** Which VMs to protect. */
    readonly select: VmSelection;
    /** VMs to leave out. */
    readonly exclude?: VmExclusion;
    /** As for ProtectedVm, for every selected VM. */
    readonly excludeDiskLuns?: ProtectedVmArgs["excludeDiskLuns"];
    /** As for ProtectedVm, for every selected VM. @default "retain" */
    readonly onDelete?: ProtectedVmArgs["onDelete"];
    /** As for ProtectedVm, for every selected VM. @default false */
    readonly initialBackup?: ProtectedVmArgs["initialBackup"];
}

/**
 * Protects every VM that matches a selection (tags, resource groups, subscriptions, name
 * patterns), each as its own ProtectedVm, under one policy or the policy of its region. At
 * preview it lists the VMs, warns of every VM it leaves out and why, and spreads the VMs over
 * numbered copies of a policy when one would hold more than Azure allows.
 */
export class VmBackupSelection extends component.VmBackupSelection {
    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: VmBackupSelectionArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(name, fromTypeScript<component.VmBackupSelectionComponentArgs>(args), opts);
    }
}
