module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "cli",
  // The tests drive the real bundled `zs`; build it once before they start.
  globalSetup: "<rootDir>/test/support/build-once.cjs",
};
