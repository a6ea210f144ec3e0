module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "cli",
  // The tests drive the real bundled `zs`; build it once before they start, after creating the
  // run's test CA that the `zs` processes trust through NODE_EXTRA_CA_CERTS (the Azure tests).
  globalSetup: "<rootDir>/test/support/global-setup.cjs",
  globalTeardown: require.resolve("@zs/emulators/jest-global-teardown"),
};
