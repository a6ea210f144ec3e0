module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "store-azure",
  // One CA per run, trusted by the test workers through NODE_EXTRA_CA_CERTS (see the file).
  globalSetup: require.resolve("@zs/emulators/jest-global-setup"),
  globalTeardown: require.resolve("@zs/emulators/jest-global-teardown"),
  // Always run tests in workers, which start after globalSetup: jest's own process does not trust
  // that CA. A global option, refused in a project of the root config (which sets it itself), so
  // only when jest runs from this package.
  ...(process.cwd() === __dirname ? { workerIdleMemoryLimit: "2GB" } : {}),
};
