"""The quickstart's backup in Python: a vault, the default policy and the quickstart's two VMs protected
by it, with the components of this repository's package.

Run `pulumi package add ../../..` (or the repository's git URL) in this folder first: it generates the
pulumi_azure_vm_backup SDK imported below. The resource group and the VMs must already exist.
"""
import pulumi
import pulumi_azure_native as azure_native
import pulumi_azure_vm_backup as backup

GROUP = "rg-backup-quickstart"

config = pulumi.Config()
location = config.get("location") or "westeurope"
subscription_id = azure_native.authorization.get_client_config_output().subscription_id


def vm_id(name: str) -> pulumi.Output[str]:
    return subscription_id.apply(
        lambda sub: f"/subscriptions/{sub}/resourceGroups/{GROUP}/providers/Microsoft.Compute/virtualMachines/{name}"
    )


vault = backup.BackupVault(
    "vault",
    resource_group_name=GROUP,
    location=location,
    vault_name="rsv-backup-quickstart",
)
policy = backup.VmBackupPolicy(
    "daily",
    vault_id=vault.vault_id,
    preset=backup.PolicyPreset.DEFAULT,
)
protected_vms = [
    backup.ProtectedVm(
        name,
        policy_id=policy.policy_id,
        vm_id=vm_id(f"vm-{name}"),
    )
    for name in ("web", "db")
]

# vaultId with vmIds is what `azure-vm-backup backup-now --from-stack` reads.
pulumi.export("vaultId", vault.vault_id)
pulumi.export("policyId", policy.policy_id)
pulumi.export("vmIds", [p.vm_id for p in protected_vms])
pulumi.export("protectedItemIds", [p.protected_item_id for p in protected_vms])
