module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "emulators",
  // One CA per run, trusted by the test workers through NODE_EXTRA_CA_CERTS (see the file).
  globalSetup: "<rootDir>/jest-global-setup.cjs",
  globalTeardown: "<rootDir>/jest-global-teardown.cjs",
  // Always run tests in workers, which start after globalSetup: jest's own process does not trust
  // that CA. A global option, refused in a project of the root config (which sets it itself), so
  // only when jest runs from this package.
  ...(process.cwd() === __dirname ? { workerIdleMemoryLimit: "2GB" } : {}),
};
