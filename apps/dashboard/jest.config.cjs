module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "dashboard",
  // A browser, a server and a page or two per test: well above what they take, for a loaded CI machine.
  testTimeout: 60000,
  // The bundled zs-server (schema and end-to-end tests run it) and this app's dist/ (end-to-end tests load it).
  globalSetup: "<rootDir>/test/support/global-setup.cjs",
};
