import * as pulumi from "@pulumi/pulumi";
import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import { z } from "zod";
import { vaultInternals } from "./backup-vault";
import { VmBackupPolicyReference, isPolicyReference } from "./vm-backup-policy";
import { BackupRuleError, inputError, label, parseArgs, show } from "./rules/errors";
import { claimVmId, claimVmObject, countUnderPolicy } from "./rules/one-vault-per-vm";
import { VM_ID_RULE, isClassicVmId, parseVmId, protectionNames } from "./rules/resource-ids";
import {
    missingAgent,
    needsEnhancedPolicy,
    redundancyChange,
    regionMismatch,
    subscriptionMismatch,
    unsupportedVm,
} from "./rules/vm-eligibility";
import { VirtualMachineInput, isAcceptedVmResource, vmSource } from "./facts/vm-source";
import { settled } from "./facts/unknowns";

export type { VirtualMachineInput } from "./facts/vm-source";

/** Arguments for a {@link ProtectedVm}. */
export interface ProtectedVmArgs {
    /** The backup policy; the VM is protected in the policy's vault. */
    readonly policy: VmBackupPolicyReference;
    /**
     * The VM: an azure-native `compute.VirtualMachine`, a classic `azure.compute.LinuxVirtualMachine`
     * or `WindowsVirtualMachine`, `{ id, location? }`, or the VM's resource ID.
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
}

const TYPE = "azure-vm-backup:index:ProtectedVm";
const COMPONENT = "ProtectedVm";
/** Learn and the portal cap a policy at 100 VMs (the CLI allows 1000): the safe bound. */
const MAX_VMS_PER_POLICY = 100;

const vmShape = z.custom<VirtualMachineInput>((v) => {
    if (typeof v === "string") return true;
    if (isAcceptedVmResource(v)) return true;
    return typeof v === "object" && v !== null && !pulumi.Resource.isInstance(v) && "id" in v && (v as { id: unknown }).id !== undefined;
}, {
    error: (i) =>
        `must be an azure-native compute.VirtualMachine, a classic azure.compute.LinuxVirtualMachine or WindowsVirtualMachine, { id, location? } or a VM resource ID, got ${show(i.input)}`,
});

const argsSchema = z.strictObject({
    policy: z.custom<VmBackupPolicyReference>((p) => isPolicyReference(p), {
        error: (i) => `must be a VmBackupPolicy or VmBackupPolicy.fromId(...), got ${show(i.input)}`,
    }),
    vm: vmShape.superRefine((vm, ctx) => {
        const id = typeof vm === "string" ? vm : !isAcceptedVmResource(vm) && typeof (vm as { id: unknown }).id === "string" ? (vm as { id: string }).id : undefined;
        if (id !== undefined) {
            const why = idProblem(id);
            if (why) ctx.addIssue({ code: "custom", path: typeof vm === "string" ? [] : ["id"], message: why });
        }
    }),
    excludeDiskLuns: z
        .array(z.number().int().refine((n) => n >= 0 && n <= 63, { error: (i) => `must be a data disk LUN from 0 to 63, got ${show(i.input)}` }))
        .refine((l) => new Set(l).size === l.length, { error: (i) => `must not list a LUN twice, got ${show(i.input)}` })
        .optional(),
    onDelete: z.enum(["retain", "delete"]).default("retain"),
});

function idProblem(id: string): string | undefined {
    if (isClassicVmId(id)) return `classic (Microsoft.ClassicCompute) VMs can no longer be backed up; migrate the VM to Azure Resource Manager, got ${JSON.stringify(id)}`;
    if (!parseVmId(id)) return `${VM_ID_RULE}, got ${JSON.stringify(id)}`;
    return undefined;
}

/**
 * Protects an Azure VM in the vault of a {@link VmBackupPolicy}. At preview it checks that the VM
 * is in the vault's region and subscription, that no other ProtectedVm protects it, and that the
 * policy type suits the VM. Removing it keeps the recovery points unless `onDelete` is "delete".
 */
export class ProtectedVm extends pulumi.ComponentResource {
    /** The protected item in the vault. */
    public readonly protectedItem: recoveryservices.ProtectedItem;
    /** Resource ID of the protected item. */
    public readonly id: pulumi.Output<string>;
    /** Resource ID of the VM. */
    public readonly vmId: pulumi.Output<string>;
    /** Resource ID of the vault that holds the VM's recovery points. */
    public readonly vaultId: pulumi.Output<string>;

    /**
     * @param name The unique name of this component.
     * @param args The arguments for this component.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: ProtectedVmArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(TYPE, name, {}, opts);
        const a = parseArgs(argsSchema, args, COMPONENT, name);
        const who = label(COMPONENT, name);

        if (typeof a.vm === "object" && isAcceptedVmResource(a.vm)) {
            const earlier = claimVmObject(a.vm, name);
            if (earlier !== undefined) throw inputError(COMPONENT, name, [{ path: "vm", reason: alreadyProtected(earlier, (a.vm as { __name?: string }).__name ?? "") }]);
        } else if (typeof a.vm === "string") {
            const earlier = claimVmId(a.vm, name);
            if (earlier !== undefined) throw inputError(COMPONENT, name, [{ path: "vm", reason: alreadyProtected(earlier, a.vm) }]);
        }
        if (countUnderPolicy(a.policy) > MAX_VMS_PER_POLICY) {
            throw inputError(COMPONENT, name, [
                { path: "policy", reason: `a policy protects at most ${MAX_VMS_PER_POLICY} VMs; spread these VMs over more policies, got VM number ${MAX_VMS_PER_POLICY + 1}` },
            ]);
        }

        const policy = a.policy;
        const vault = policy.vault;
        const facts = vaultInternals(vault);
        const invokeOpts: pulumi.InvokeOptions = { parent: this, provider: opts.provider };
        const vm = vmSource(a.vm, COMPONENT, name, invokeOpts);

        const fail = (path: string, reason: string | undefined) => {
            if (reason) throw new BackupRuleError(COMPONENT, name, path, reason);
        };
        // Each rule waits only for the values it needs, so an unknown value elsewhere does not
        // hide it; a value unknown at preview skips its rule.
        const checks = [
            vm.id.apply((id) => {
                fail("vm", idProblem(id));
                const earlier = claimVmId(id, name);
                if (earlier !== undefined) fail("vm", alreadyProtected(earlier, id));
            }),
            pulumi.all([vm.displayName, vm.facts, vault.vaultName, vault.location]).apply(([vmName, f, vaultName, vaultLocation]) =>
                fail("vm", regionMismatch(vmName, f.location, vaultName, vaultLocation)),
            ),
            pulumi.all([vm.displayName, vm.id, vault.vaultName, facts.subscriptionId()]).apply(([vmName, id, vaultName, subscription]) => {
                const parsed = parseVmId(id);
                if (parsed) fail("vm", subscriptionMismatch(vmName, parsed.subscriptionId, vaultName, subscription));
            }),
            pulumi.all([vm.displayName, vm.facts, policy.policyType]).apply(([vmName, f, policyType]) => {
                fail("vm", unsupportedVm(vmName, f.securityType));
                fail("policy", needsEnhancedPolicy(vmName, f.securityType, f.diskTypes, policyType));
                const warning = missingAgent(vmName, f.provisionVmAgent);
                if (warning) pulumi.log.warn(`${who}: vm: ${warning}`, this);
            }),
        ];
        // Only a vault this program manages can have its redundancy changed by it.
        if (facts.declaredRedundancy !== undefined) {
            checks.push(
                pulumi.all([facts.existing, vault.vaultName]).apply(([existing, vaultName]) =>
                    fail("policy", redundancyChange(vaultName, existing?.storageRedundancy, facts.declaredRedundancy)),
                ),
            );
        }
        const gate = settled(checks);

        const names = vm.names.apply((n) => protectionNames({ subscriptionId: "", ...n }));
        this.protectedItem = new recoveryservices.ProtectedItem(
            name,
            {
                resourceGroupName: vault.resourceGroupName,
                vaultName: vault.vaultName,
                fabricName: "Azure",
                containerName: names.containerName,
                protectedItemName: names.protectedItemName,
                properties: {
                    protectedItemType: "Microsoft.Compute/virtualMachines",
                    // The rules gate the VM id: a broken rule fails this resource, and so the preview.
                    sourceResourceId: pulumi.all([vm.id, gate]).apply(([id]) => id),
                    policyId: policy.id,
                    ...(a.excludeDiskLuns
                        ? { extendedProperties: { diskExclusionProperties: { diskLunList: a.excludeDiskLuns, isInclusionList: false } } }
                        : {}),
                },
            },
            {
                parent: this,
                // A VM belongs to one vault: the old item must go before the new one is made.
                deleteBeforeReplace: true,
                retainOnDelete: a.onDelete === "retain",
            },
        );

        this.id = this.protectedItem.id;
        this.vmId = vm.id;
        this.vaultId = pulumi.output(vault.id);
        this.registerOutputs({ id: this.id, vmId: this.vmId, vaultId: this.vaultId });
    }
}

function alreadyProtected(earlier: string, vm: string): string {
    return `VM ${JSON.stringify(vm)} is already protected by ProtectedVm ${JSON.stringify(earlier)}; a VM can be protected in one vault only, so declare it once, got a second ProtectedVm for it`;
}
