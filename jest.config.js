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
  // Inside the clone, so a fresh clone runs in the order CI does (no timings from earlier runs).
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
};
