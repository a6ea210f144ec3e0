module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "emulators",
  // One CA per run, trusted by the test workers through NODE_EXTRA_CA_CERTS (see the file).
  globalSetup: "<rootDir>/jest-global-setup.cjs",
  globalTeardown: "<rootDir>/jest-global-teardown.cjs",
  // Always run tests in workers, which start after globalSetup: jest's own process does not trust that CA.
  workerIdleMemoryLimit: "2GB",
};
