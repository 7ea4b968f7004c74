// Loaded first in the child processes tests start (the CLI, a dynamic provider host): they run
// the library from src/, as the tests' own process does, so a test never meets a stale build.
// Only the packaging test (test/package.test.ts) runs the built package.
const Module = require("module");
const path = require("path");

// Nothing on disk: the offline preview promises to write nothing.
process.env.TSX_DISABLE_CACHE = "1";
require("tsx/cjs/api").register({ tsconfig: path.join(__dirname, "..", "tsconfig.json") });

const SOURCE = path.join(__dirname, "..", "src", "index.ts");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
    return resolveFilename.call(this, request === "pulumi-azure-vm-backup" ? SOURCE : request, ...rest);
};
