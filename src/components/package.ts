// The component package: what programs in every Pulumi language get through
// `pulumi package add`. Its schema is derived from these classes by Pulumi's analyzer.
import { ComponentProvider, type ComponentProviderOptions, componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { BackupVault } from "./backup-vault";
import { VmBackupPolicy } from "./vm-backup-policy";
import { ProtectedVm } from "./protected-vm";
import { VmBackupSelection } from "./vm-backup-selection";

/**
 * The package's name in its schema, and so in every component's type token
 * (`azure-vm-backup:index:BackupVault`): the tokens TypeScript stacks already hold.
 */
export const PACKAGE_NAME = "azure-vm-backup";

/** The components, as their own class (not the TypeScript layer's subclass) so that construct gets the arguments other languages send. */
export const COMPONENTS = [BackupVault, VmBackupPolicy, ProtectedVm, VmBackupSelection];

function options(root: string): ComponentProviderOptions {
    return { name: PACKAGE_NAME, dirname: root, components: COMPONENTS };
}

/** The provider the plugin host serves; `root` is the package's directory (package.json, tsconfig.json, src). */
export function componentProvider(root: string): ComponentProvider {
    return new ComponentProvider(options(root));
}

/** Serves the components to the Pulumi engine. Runs in the plugin process Pulumi starts. */
export function serve(root: string): Promise<void> {
    return componentProviderHost(options(root));
}
