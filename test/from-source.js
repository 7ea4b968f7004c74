// Loaded first in the child processes tests start (the CLI, a dynamic provider host): they run
// the library from src/, as the tests' own process does, so a test never meets a stale build.
// Only the packaging test (test/package.test.ts) runs the built package.
const Module = require("module");
const path = require("path");

// tsx keeps its compiled files in the temporary directory it sees when it loads: point it at a
// cache of the tests' own, so that many child processes compile src/ once, and a test's
// TMPDIR sees nothing of it. The command itself never caches (see src/offline/run-program.ts).
const tmpdir = process.env.TMPDIR;
process.env.TMPDIR = path.join(__dirname, "..", "node_modules", ".cache", "tsx-tests");
delete process.env.TSX_DISABLE_CACHE;
require("tsx/cjs/api").register({ tsconfig: path.join(__dirname, "..", "tsconfig.json") });
const restore = () => (tmpdir === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = tmpdir));

const SOURCE = path.join(__dirname, "..", "src", "index.ts");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
    return resolveFilename.call(this, request === "pulumi-azure-vm-backup" ? SOURCE : request, ...rest);
};

module.exports = { restore };
