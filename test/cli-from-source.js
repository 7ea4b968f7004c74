// `azure-vm-backup` as the tests run it: the command's source, through test/from-source.js.
// The command loads its subcommands with import(), which takes tsx's ESM hooks too.
const { restore } = require("./from-source");
import("tsx/esm").then(() => {
    restore();
    require("../src/cli/main.ts");
});
