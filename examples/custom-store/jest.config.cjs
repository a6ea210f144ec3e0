module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "custom-store",
  // The registry tests load the example as a user would: its built dist/, through Node's own loader.
  globalSetup: "<rootDir>/test/support/build-example.cjs",
};
