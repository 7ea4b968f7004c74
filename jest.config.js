/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "<rootDir>/test/pulumi-environment.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Tests import the library by its package name, as a user does: that resolves to the built bin/.
  moduleNameMapper: { "^pulumi-azure-vm-backup$": "<rootDir>/bin/index.js" },
  testTimeout: 30000,
  // Inside the clone, so a fresh clone runs in the order CI does (no timings from earlier runs).
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
};
