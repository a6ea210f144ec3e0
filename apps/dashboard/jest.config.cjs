module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "dashboard",
  // The bundled zs-server (schema and end-to-end tests run it) and this app's dist/ (end-to-end tests load it).
  globalSetup: "<rootDir>/test/support/global-setup.cjs",
};
