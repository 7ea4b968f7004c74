// A ProtectedVm's first backup, run right after protection is enabled, as a Pulumi dynamic
// resource: creating it triggers one on-demand backup; changing the VM or vault runs one more;
// deleting it deletes nothing (the recovery point keeps to its own expiry date).
import * as pulumi from "@pulumi/pulumi";

/** What the dynamic provider receives. */
interface InitialBackupInputs {
    vaultId: string;
    vmId: string;
    /** YYYY-MM-DD or a date and time; default 30 days from the backup. */
    retainUntil?: string;
    /** Resource Manager endpoint, for sovereign clouds. */
    endpoint?: string;
}

/**
 * @internal Runs in Pulumi's dynamic provider host, a process of its own: it loads the library
 * there by name and signs in with `DefaultAzureCredential`.
 */
export const initialBackupProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: InitialBackupInputs) {
        const { backupNow } = require("pulumi-azure-vm-backup");
        const { jobId } = await backupNow(
            { vaultId: inputs.vaultId, vmId: inputs.vmId },
            { retainUntil: inputs.retainUntil, client: inputs.endpoint ? { endpoint: inputs.endpoint } : undefined },
        );
        return { id: jobId, outs: { ...inputs, jobId } };
    },
    async diff(_id: string, olds: InitialBackupInputs, news: InitialBackupInputs) {
        const replaces = (["vaultId", "vmId"] as const).filter((k) => String(olds[k]).toLowerCase() !== String(news[k]).toLowerCase());
        return { changes: replaces.length > 0 || olds.retainUntil !== news.retainUntil, replaces, deleteBeforeReplace: false };
    },
    async update(_id: string, olds: InitialBackupInputs & { jobId: string }, news: InitialBackupInputs) {
        // A new retention date applies to later backups; the one taken stays as it is.
        return { outs: { ...news, jobId: olds.jobId } };
    },
    async delete() {
        // The recovery point is Azure's to expire; removing this never deletes it.
    },
};

/** @internal */
export class InitialBackup extends pulumi.dynamic.Resource {
    /** The id of the backup job this started. */
    public readonly jobId!: pulumi.Output<string>;

    constructor(
        name: string,
        args: { vaultId: pulumi.Input<string>; vmId: pulumi.Input<string>; retainUntil?: string; endpoint?: string },
        opts: pulumi.CustomResourceOptions,
    ) {
        super(initialBackupProvider, name, { ...args, jobId: undefined }, opts);
    }
}
