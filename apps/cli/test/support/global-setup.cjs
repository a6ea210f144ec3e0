// jest globalSetup of the CLI's tests: the run's test CA first (the Azure Key Vault emulator's
// HTTPS certificate comes from it; the `zs` processes trust it through the NODE_EXTRA_CA_CERTS
// this sets, which they inherit), then the build of the binary they run.
//
// Required here, at load time, while jest's transform is hooked in: the CA setup loads its
// certificate code from @zs/emulators' TypeScript sources.
const setUpTestCertificateAuthority = require("@zs/emulators/jest-global-setup");
const buildOnce = require("./build-once.cjs");

module.exports = async function globalSetup(...args) {
  await setUpTestCertificateAuthority(...args);
  await buildOnce(...args);
};
