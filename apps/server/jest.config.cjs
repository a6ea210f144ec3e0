module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "server",
  // Process tests run the real bundled `zs-server`; build it once before they start.
  globalSetup: "<rootDir>/test/support/build-once.cjs",
};
