// Removes the CA that jest-global-setup.cjs created for this run (and only that one).
const { rm } = require("node:fs/promises");

module.exports = async function removeTestCertificateAuthority() {
  const dir = process.env.ZS_TEST_EMULATOR_CA_CREATED;
  if (!dir) return;
  await rm(dir, { recursive: true, force: true });
  delete process.env.ZS_TEST_EMULATOR_CA_CREATED;
  delete process.env.ZS_TEST_EMULATOR_CA_DIR;
};
