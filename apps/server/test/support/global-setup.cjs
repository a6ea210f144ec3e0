// jest globalSetup of the server's tests: the run's test CA first (the Azure Key Vault
// emulator's HTTPS certificate comes from it; the test workers, started afterwards, trust it
// through the NODE_EXTRA_CA_CERTS this sets), then the builds the process tests need.
//
// Required here, at load time, while jest's transform is hooked in: the CA setup loads its
// certificate code from @zs/emulators' TypeScript sources.
const setUpTestCertificateAuthority = require("@zs/emulators/jest-global-setup");
const buildOnce = require("./build-once.cjs");

module.exports = async function globalSetup(...args) {
  await setUpTestCertificateAuthority(...args);
  await buildOnce(...args);
};
