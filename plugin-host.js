// The entry Pulumi's plugin host loads (package.json "main") when a program in any language
// uses this package through `pulumi package add`. TypeScript and JavaScript programs load the
// library through package.json "exports" instead, and never reach this file.
"use strict";
const fs = require("fs");
const path = require("path");

const built = path.join(__dirname, "bin", "components", "package.js");
if (fs.existsSync(built)) {
    require(built).serve(__dirname);
} else {
    // A checkout nobody built: run the TypeScript source.
    require("tsx/cjs/api").register();
    require("./src/components/package.ts").serve(__dirname);
}
