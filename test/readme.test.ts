// The README's example error is what the library says.
import * as fs from "fs";
import * as path from "path";
import { BackupVault, VmBackupPolicy } from "pulumi-azure-vm-backup";
import { mockPulumi } from "./mocks";

test("the README's example error is the library's message", () => {
    mockPulumi({ preview: true });
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const vault = new BackupVault("prod", { resourceGroupName: "rg", location: "westeurope" });
    const build = () => new VmBackupPolicy("daily", { vault, schedule: { frequency: "Daily", time: "02:00" }, retention: { dailyDays: 3 } });
    expect(build).toThrow('VmBackupPolicy "daily": retention.dailyDays: must be between 7 and 9999, got 3');
    expect(readme).toContain('VmBackupPolicy "daily": retention.dailyDays: must be between 7 and 9999, got 3');
});
