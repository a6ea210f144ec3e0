module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "server",
  // The run's test CA (the Azure Key Vault emulator's certificate comes from it; the workers
  // trust it through NODE_EXTRA_CA_CERTS), then the build of the bundled binary the process
  // tests run, and of the custom store example they load.
  globalSetup: "<rootDir>/test/support/global-setup.cjs",
  globalTeardown: require.resolve("@zs/emulators/jest-global-teardown"),
  // Always run tests in workers, which start after globalSetup: jest's own process does not trust
  // that CA. A global option, refused in a project of the root config (which sets it itself), so
  // only when jest runs from this package.
  ...(process.cwd() === __dirname ? { workerIdleMemoryLimit: "2GB" } : {}),
};
