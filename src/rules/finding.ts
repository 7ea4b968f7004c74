// What a rule says when it is broken, in one shape for the components, the offline estate checks
// and anything else that enforces the rules: the rule's id, the argument it concerns as its user
// names it, and the message. The README's rule table lists every id beside its function.

/** Every rule id, by subject: vault, policy, VM, estate, selection, restore. */
export const RULE_IDS = [
    "vault.name",
    "vault.name-unique",
    "vault.region",
    "vault.id",
    "vault.cross-region-restore-needs-geo",
    "vault.zone-redundant-region",
    "vault.soft-delete-days",
    "vault.always-on",
    "vault.cross-region-restore-one-way",
    "vault.locked-needs-unlocked",
    "vault.locked-irreversible",
    "vault.region-change",
    "vault.keeps-locked",
    "vault.keeps-cross-region-restore",
    "vault.keeps-always-on",
    "vault.redundancy-change",
    "vault.redundancy-change-unjudged",
    "vault.unread",
    "policy.name",
    "policy.name-unique",
    "policy.name-reserved",
    "policy.id",
    "policy.vm-policy-kind",
    "policy.schedule-time",
    "policy.hourly",
    "policy.instant-restore",
    "policy.retention-range",
    "policy.retention-schedule",
    "policy.month-days",
    "policy.time-zone",
    "policy.instant-restore-rg",
    "policy.daylight-saving",
    "policy.vms-per-policy",
    "policy.vms-per-policy-in-azure",
    "policy.vms-per-policy-uncounted",
    "vm.id",
    "vm.protected-once",
    "vm.region",
    "vm.subscription",
    "vm.enhanced-policy",
    "vm.confidential",
    "vm.agent",
    "vm.soft-deleted",
    "vm.unread",
    "estate.vault-move",
    "estate.item-take-over",
    "estate.one-vault-per-vm",
    "estate.data-in-other-vault",
    "estate.redundancy-held-items",
    "estate.vm-exists",
    "estate.vault-exists",
    "estate.policy-exists",
    "selection.skipped",
    "selection.subscriptions",
    "selection.policy-region",
    "selection.policy-full",
    "selection.vms-per-vault",
    "selection.registrations-per-day",
    "restore.replace-disks-confirm",
    "restore.replace-disks-unsupported",
    "restore.archive-rehydration",
    "restore.cross-region-vault",
    "restore.cross-region-mode",
    "restore.cross-region-point",
    "restore.staging-region",
    "restore.staging-kind",
    "restore.cross-subscription",
    "restore.trusted-launch",
    "restore.zone",
    "restore.network",
    "restore.confidential",
    "restore.unread",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export interface Finding {
    rule: RuleId;
    /** The argument it concerns, as the component's user names it: `vm`, `vmId`, `softDelete.state`. */
    path: string;
    message: string;
    severity: "error" | "warning";
    /** The Azure resource it is about, where the rule names one by id (what a look-up did not find). */
    resourceId?: string;
}

export function finding(rule: RuleId, severity: Finding["severity"], path: string, message: string): Finding {
    return { rule, path, message, severity };
}

/** A broken rule that stops the deployment. */
export function error(rule: RuleId, path: string, message: string): Finding {
    return finding(rule, "error", path, message);
}

/** A rule whose breach Azure may accept, or whose consequence the user should hear of. */
export function warning(rule: RuleId, path: string, message: string): Finding {
    return finding(rule, "warning", path, message);
}
