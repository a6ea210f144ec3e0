module.exports = {
  ...require("../../jest.preset.cjs"),
  displayName: "client",
  // remote-https.test.ts: one CA per run, trusted by the test workers through NODE_EXTRA_CA_CERTS.
  globalSetup: require.resolve("@zs/emulators/jest-global-setup"),
  globalTeardown: require.resolve("@zs/emulators/jest-global-teardown"),
  ...(process.cwd() === __dirname ? { workerIdleMemoryLimit: "2GB" } : {}),
};
