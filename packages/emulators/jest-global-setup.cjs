// jest globalSetup of the packages whose tests run the Azure Key Vault emulator (over HTTPS).
//
// Node reads NODE_EXTRA_CA_CERTS only when a process starts, so a test cannot trust a
// certificate made inside it. This runs in jest's main process before any test worker is
// started: it creates one CA for the run, writes it to a temp dir and sets NODE_EXTRA_CA_CERTS
// (appending to any bundle already named there), which the workers inherit. Each emulator
// then issues its own server certificate from that CA (`loadTestCertificateAuthority`). The
// store under test trusts it exactly as a deployment trusts a private CA: through
// NODE_EXTRA_CA_CERTS, with no test-only option. It starts nothing.
//
// Jest hands this file the `.ts` transform, so it can load the certificate code from src/.
const { mkdtemp, readFile, writeFile } = require("node:fs/promises");
const os = require("node:os");
const path = require("node:path");
const { createCertificateAuthority } = require("./src/tls-certificate.ts");

module.exports = async function setUpTestCertificateAuthority() {
  // Set by the caller (to run in band: see test-certificate-authority.ts) or by another project's run of this file.
  if (process.env.ZS_TEST_EMULATOR_CA_DIR) return;
  const ca = await createCertificateAuthority();
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-test-ca-"));
  await writeFile(path.join(dir, "ca.pem"), ca.certificatePem);
  await writeFile(path.join(dir, "ca-key.pem"), ca.privateKeyPem, { mode: 0o600 });
  const previous = process.env.NODE_EXTRA_CA_CERTS ? await readFile(process.env.NODE_EXTRA_CA_CERTS, "utf8").catch(() => "") : "";
  const bundle = path.join(dir, "trusted.pem");
  await writeFile(bundle, `${previous.trim()}\n${ca.certificatePem}`.trimStart());
  process.env.NODE_EXTRA_CA_CERTS = bundle;
  process.env.ZS_TEST_EMULATOR_CA_DIR = dir;
  process.env.ZS_TEST_EMULATOR_CA_CREATED = dir;
};
