/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "<rootDir>/test/pulumi-environment.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Tests import the library by its package name, as a user does, and get its source: a change
  // to src/ is tested without a build. test/package.test.ts alone runs the built package.
  moduleNameMapper: { "^pulumi-azure-vm-backup$": "<rootDir>/src/index.ts" },
  testTimeout: 30000,
  // At least two workers, even on two cores: the slowest files mostly wait on child processes and
  // timers, so two files at a time take far less wall time than one.
  maxWorkers: Math.max(2, require("os").availableParallelism() - 1),
  // Inside the clone, so a fresh clone runs in the order CI does (no timings from earlier runs).
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
};
