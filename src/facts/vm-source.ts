// The VMs ProtectedVm accepts, reduced to what Azure Backup's rules need. VMs declared in the
// program tell us about themselves through their outputs (their inputs, at preview); VMs given
// by id are looked up with azure-native's compute.getVirtualMachine.
import * as pulumi from "@pulumi/pulumi";
import type * as compute from "@pulumi/azure-native/compute";
import type * as azure from "@pulumi/azure";
import { enforce, ruleError } from "../rules/errors";
import { vmUnread } from "../rules/vm-eligibility";
import { missing } from "../rules/estate";
import { parseVmId } from "../rules/resource-ids";
import { lookupVm } from "./lookups";
import { orAbsent } from "./unknowns";
import { logicalName, resourceType } from "./pulumi-internals";

/** A VM as ProtectedVm accepts it. */
export type VirtualMachineInput =
    | compute.VirtualMachine
    | azure.compute.LinuxVirtualMachine
    | azure.compute.WindowsVirtualMachine
    | { readonly id: pulumi.Input<string>; readonly location?: pulumi.Input<string> }
    | string;

/** What the rules need to know of a VM. */
export interface VmFacts {
    /** Region as the VM states it (a name or a display name); absent while unknown. */
    location?: string;
    /** "TrustedLaunch", "ConfidentialVM", "Standard" or undefined. */
    securityType?: string;
    /** Storage account types of the VM's managed disks. */
    diskTypes: string[];
    /** false only when a Windows VM was created without the VM agent. */
    provisionVmAgent?: boolean;
}

export interface VmSource {
    /** The VM's name for messages: its logical name when declared here, else its Azure name. */
    displayName: pulumi.Input<string>;
    /** The ARM id of the VM. */
    id: pulumi.Output<string>;
    /** Resource group and name of the VM, which name its backup container and item. */
    names: pulumi.Output<{ resourceGroupName: string; vmName: string }>;
    /** Facts for the rules; what is not known yet is absent. */
    facts: pulumi.Output<VmFacts>;
}

// azure-native's versioned modules (compute/v20240701...) register their own type tokens.
const NATIVE_VM = /^azure-native:compute(\/v[0-9a-z]+)?:VirtualMachine$/;
const CLASSIC_LINUX_VM = "azure:compute/linuxVirtualMachine:LinuxVirtualMachine";
const CLASSIC_WINDOWS_VM = "azure:compute/windowsVirtualMachine:WindowsVirtualMachine";

/** The Pulumi type token of a custom resource, read without loading its provider package. */
function customResourceType(v: unknown): string | undefined {
    return typeof v === "object" && v !== null && pulumi.CustomResource.isInstance(v) ? resourceType(v) : undefined;
}

export function isAcceptedVmResource(v: unknown): boolean {
    const t = customResourceType(v);
    return t !== undefined && (NATIVE_VM.test(t) || t === CLASSIC_LINUX_VM || t === CLASSIC_WINDOWS_VM);
}

/** Reduces a `vm` argument that has passed the constructor's shape check; `path` is the argument as its user names it. */
export function vmSource(vm: VirtualMachineInput, component: string, name: string, opts: pulumi.InvokeOptions, path = "vm"): VmSource {
    const type = customResourceType(vm);
    if (type !== undefined && NATIVE_VM.test(type)) return nativeVm(vm as compute.VirtualMachine);
    if (type === CLASSIC_LINUX_VM || type === CLASSIC_WINDOWS_VM) return classicVm(vm as azure.compute.WindowsVirtualMachine, type === CLASSIC_WINDOWS_VM);
    const given = typeof vm === "string" ? { id: vm } : (vm as { id: pulumi.Input<string>; location?: pulumi.Input<string> });
    return vmById(given.id, given.location, component, name, opts, path);
}

function namesFromId(id: pulumi.Output<string>): VmSource["names"] {
    return id.apply((i) => {
        const parsed = typeof i === "string" ? parseVmId(i) : undefined;
        // Shape errors on ids are reported by the id check; this only feeds names.
        return parsed ? { resourceGroupName: parsed.resourceGroupName, vmName: parsed.vmName } : { resourceGroupName: "", vmName: "" };
    });
}


function nativeVm(vm: compute.VirtualMachine): VmSource {
    return {
        displayName: logicalName(vm) ?? "",
        id: vm.id,
        names: namesFromId(vm.id),
        // Each property on its own: one not known at preview must not hide the others.
        facts: pulumi.all([orAbsent(vm.location), orAbsent(vm.securityProfile), orAbsent(vm.storageProfile), orAbsent(vm.osProfile), orAbsent(vm.additionalCapabilities)]).apply(
            ([location, security, storage, os, capabilities]) => {
                const disks = [storage?.osDisk?.managedDisk?.storageAccountType, ...(storage?.dataDisks ?? []).map((d) => d.managedDisk?.storageAccountType)];
                if (capabilities?.ultraSSDEnabled) disks.push("UltraSSD_LRS");
                return {
                    location,
                    securityType: security?.securityType,
                    diskTypes: disks.filter((d): d is string => typeof d === "string"),
                    provisionVmAgent: os?.windowsConfiguration?.provisionVMAgent,
                };
            },
        ),
    };
}

function classicVm(vm: azure.compute.WindowsVirtualMachine, windows: boolean): VmSource {
    const agent = windows ? vm.provisionVmAgent : pulumi.output(undefined);
    return {
        displayName: logicalName(vm) ?? "",
        id: vm.id,
        names: pulumi.all([vm.resourceGroupName, vm.name]).apply(([resourceGroupName, vmName]) => ({ resourceGroupName, vmName })),
        facts: pulumi.all([orAbsent(vm.location), orAbsent(vm.secureBootEnabled), orAbsent(vm.vtpmEnabled), orAbsent(vm.osDisk), orAbsent(vm.additionalCapabilities), orAbsent(agent)]).apply(
            ([location, secureBoot, vtpm, osDisk, capabilities, provisionVmAgent]) => ({
                location,
                // The classic provider has no security type: a confidential OS disk, or secure
                // boot / vTPM, is how it declares one.
                securityType: osDisk?.securityEncryptionType ? "ConfidentialVM" : secureBoot || vtpm ? "TrustedLaunch" : undefined,
                diskTypes: [osDisk?.storageAccountType, capabilities?.ultraSsdEnabled ? "UltraSSD_LRS" : undefined].filter(
                    (d): d is string => typeof d === "string",
                ),
                provisionVmAgent: provisionVmAgent as boolean | undefined,
            }),
        ),
    };
}

function vmById(
    idInput: pulumi.Input<string>,
    location: pulumi.Input<string> | undefined,
    component: string,
    name: string,
    opts: pulumi.InvokeOptions,
    path: string,
): VmSource {
    const id = pulumi.output(idInput);
    const facts = pulumi.all([orAbsent(id), location === undefined ? undefined : orAbsent(pulumi.output(location))]).apply(async ([vmId, given]) => {
        const stated = typeof given === "string" && given !== "" ? given : undefined;
        // A VM whose id is unknown at preview (one the program creates) cannot be read: a stated
        // location stands in. An id that is not a VM id is reported by the id check.
        if (vmId === undefined) return { location: stated, diskTypes: [] } as VmFacts;
        const parsed = typeof vmId === "string" ? parseVmId(vmId) : undefined;
        if (!parsed) return { diskTypes: [] } as VmFacts;
        let found: Awaited<ReturnType<typeof lookupVm>>;
        try {
            found = await lookupVm(parsed.resourceGroupName, parsed.vmName, opts);
        } catch (err) {
            // Azure's record wins; a stated location stands in only for a VM that cannot be read
            // (no read access to its group, say), and the rules that need the rest are skipped.
            enforce({ component, name, resource: opts.parent }, vmUnread(path, parsed.vmName, stated, err instanceof Error ? err.message : String(err)));
            return { location: stated, diskTypes: [] } as VmFacts;
        }
        if (!found) throw ruleError({ component, name, resource: opts.parent }, missing("vm", path, vmId));
        return found;
    });
    const names = namesFromId(id);
    // A VM whose id is unknown at preview goes by the component's name in messages.
    const displayName = orAbsent(id).apply((i) => (i === undefined ? name : ((typeof i === "string" ? parseVmId(i)?.vmName : undefined) ?? "")));
    return { displayName, id, names, facts };
}
