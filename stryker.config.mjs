// Mutation testing of the rules and the three components (and their TypeScript layer): `npm run mutation` (not part of
// `npm test`). Each mutant is run against the in-process tests that cover it.
import { createRequire } from "module";
import * as path from "path";

const require = createRequire(import.meta.url);
const jestConfig = require("./jest.config.js");

// The suites that exercise the rules and components in this process; the CLI suites run the
// command in child processes, which never see a mutant.
// STRYKER_SUITES=policy-rules,rule-bounds narrows them for a quick look at one file.
const SUITES = process.env.STRYKER_SUITES?.split(",") ?? [
    "backup-vault",
    "vm-backup-policy",
    "protected-vm",
    "policy-rules",
    "policy-capacity",
    "rule-bounds",
    "vm-eligibility",
    "vault-move",
    "rule-findings",
    "regions",
    "time-zones",
    "bad-input.property",
    "azure-rest-schema",
    "pulumi-internals",
    "component-package",
    "selection-rules",
    "vm-backup-selection",
    "restore-rules",
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    mutate: ["src/rules/**/*.ts", "src/components/**/*.ts", "src/vm-backup-policy.ts", "src/protected-vm.ts", "src/vm-backup-selection.ts"],
    testRunner: "jest",
    jest: {
        projectType: "custom",
        config: {
            ...jestConfig,
            // Stryker loads the environment itself, before jest would expand <rootDir>.
            testEnvironment: path.resolve("test/pulumi-environment.js"),
            testMatch: SUITES.map((s) => `**/test/${s}.test.ts`),
            // The mutated sources, not a build of them.
            moduleNameMapper: { "^pulumi-azure-vm-backup$": "<rootDir>/src/index.ts" },
            cacheDirectory: "<rootDir>/node_modules/.cache/jest-stryker",
        },
        enableFindRelatedTests: false,
    },
    coverageAnalysis: "perTest",
    checkers: ["typescript"],
    // The sources alone: what the mutants change.
    tsconfigFile: "tsconfig.build.json",
    // Two cores, shared: one test process unless told otherwise (--concurrency).
    concurrency: 1,
    // Added to 1.5 times a mutant's tests' own time: a rule that lets a resource fail can leave an Output unresolved.
    timeoutMS: 10000,
    reporters: ["clear-text", "progress", "html"],
    htmlReporter: { fileName: "reports/mutation/index.html" },
    ignorePatterns: ["bin", "reports", "bench", "examples/**/node_modules"],
    thresholds: { high: 90, low: 85, break: null },
};
