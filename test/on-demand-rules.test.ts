// The pure parts of on-demand backups: the phase table, the retain-until date, the job filter.
import { BackupOperationError, jobStatusFromPhases, resolveRetainUntil, type JobStatus, type PhaseStatus } from "pulumi-azure-vm-backup";
import { jobFilter } from "../src/on-demand/backup-jobs";
import { itemTarget } from "../src/on-demand/azure-ids";

describe("jobStatusFromPhases", () => {
    test.each<[PhaseStatus, PhaseStatus, JobStatus]>([
        // Microsoft's table, every row.
        ["Completed", "InProgress", "InProgress"],
        ["Completed", "Skipped", "Completed"],
        ["Completed", "Completed", "Completed"],
        ["Completed", "Failed", "CompletedWithWarnings"],
        ["Failed", "Failed", "Failed"],
        // Outside the table, as documented.
        ["NotStarted", "NotStarted", "InProgress"],
        ["InProgress", "NotStarted", "InProgress"],
        ["Completed", "NotStarted", "InProgress"],
        ["Failed", "NotStarted", "Failed"],
        ["Failed", "Skipped", "Failed"],
        ["Cancelled", "NotStarted", "Cancelled"],
        ["Completed", "Cancelled", "Cancelled"],
    ])("snapshot %s + transfer %s = %s", (snapshot, transfer, expected) => {
        expect(jobStatusFromPhases(snapshot, transfer)).toBe(expected);
    });
});

describe("resolveRetainUntil", () => {
    const now = new Date("2026-11-29T10:15:00.000Z");
    const error = (value: unknown) => {
        try {
            resolveRetainUntil(value as string, now);
        } catch (e) {
            expect(e).toBeInstanceOf(BackupOperationError);
            expect((e as BackupOperationError).code).toBe("InvalidArgument");
            return (e as Error).message;
        }
        throw new Error("expected an error");
    };

    test("defaults to 30 days ahead", () => {
        expect(resolveRetainUntil(undefined, now).toISOString()).toBe("2026-12-29T10:15:00.000Z");
    });
    test("a date alone keeps the point to the end of that day in UTC", () => {
        expect(resolveRetainUntil("2027-01-31", now).toISOString()).toBe("2027-01-31T23:59:59.000Z");
    });
    test("today, as a date, still lies ahead", () => {
        expect(resolveRetainUntil("2026-11-29", now).toISOString()).toBe("2026-11-29T23:59:59.000Z");
    });
    test("a date and time is taken as given", () => {
        expect(resolveRetainUntil(new Date("2026-12-01T08:00:00Z"), now).toISOString()).toBe("2026-12-01T08:00:00.000Z");
    });
    test("exactly 99 years ahead is allowed; a second more is not", () => {
        expect(resolveRetainUntil(new Date("2125-11-29T10:15:00.000Z"), now).toISOString()).toBe("2125-11-29T10:15:00.000Z");
        expect(error(new Date("2125-11-29T10:15:01.000Z"))).toBe('retainUntil: must be at most 99 years ahead (2125-11-29), got "2125-11-29T10:15:01.000Z"');
    });
    test("yesterday is refused", () => {
        expect(error("2026-11-28")).toBe('retainUntil: must be in the future, got "2026-11-28"');
    });
    test("now is refused", () => {
        expect(error(now)).toBe('retainUntil: must be in the future, got "2026-11-29T10:15:00.000Z"');
    });
    test("a date that does not exist is refused", () => {
        expect(error("2027-02-30")).toBe('retainUntil: must be a real date YYYY-MM-DD (2027-02 has 28 days), got "2027-02-30"');
    });
    test("text that is no date is refused", () => {
        expect(error("next tuesday")).toBe('retainUntil: must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got "next tuesday"');
    });
    test("a number is refused", () => {
        expect(error(1234)).toBe("retainUntil: must be a Date, or a string holding a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00), got 1234");
    });
});

describe("job filters speak Azure's OData dialect", () => {
    test("status, operation and a time window, times in UTC with AM/PM", () => {
        expect(jobFilter({ status: "InProgress", operation: "Backup", from: new Date("2026-11-29T00:05:09Z"), to: new Date("2026-11-29T13:30:00Z") })).toBe(
            "backupManagementType eq 'AzureIaasVM' and operation eq 'Backup' and status eq 'InProgress' and startTime eq '2026-11-29 12:05:09 AM' and endTime eq '2026-11-29 01:30:00 PM'",
        );
    });
    test("quotes in an operation are escaped", () => {
        expect(jobFilter({ operation: "Back'up" })).toBe("backupManagementType eq 'AzureIaasVM' and operation eq 'Back''up'");
    });
});

describe("the item a backup concerns", () => {
    const vault = "/subscriptions/s1/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod";
    test("container and item names come from the VM id, in lower case", () => {
        expect(itemTarget(vault, "/subscriptions/s1/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachines/VM-Web")).toEqual({
            subscriptionId: "s1",
            resourceGroupName: "rg-backup",
            vaultName: "rsv-prod",
            vmName: "VM-Web",
            containerName: "iaasvmcontainer;iaasvmcontainerv2;rg-app;vm-web",
            protectedItemName: "vm;iaasvmcontainerv2;rg-app;vm-web",
        });
    });
    test.each([
        ["a VM id that is not one", vault, "/subscriptions/s1/resourceGroups/rg", 'vmId: must be a virtual machine resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}, got "/subscriptions/s1/resourceGroups/rg"'],
        ["a vault id that is not one", "rsv-prod", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm", 'vaultId: must be a Recovery Services vault resource ID, /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{name}, got "rsv-prod"'],
        [
            "a VM in another subscription",
            vault,
            "/subscriptions/s2/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
            'vmId: must be in the vault\'s subscription s1, got "/subscriptions/s2/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"',
        ],
    ])("%s is refused", (_what, vaultId, vmId, message) => {
        expect(() => itemTarget(vaultId, vmId)).toThrow(message);
    });
});
