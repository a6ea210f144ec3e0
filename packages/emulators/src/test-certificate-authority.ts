import { readFile } from "node:fs/promises";
import https from "node:https";
import path from "node:path";
import type { PemCertificate } from "./tls-certificate.js";

/** The directory holding the run's test CA (`ca.pem`, `ca-key.pem`), set by `jest-global-setup.cjs`. */
export const TEST_CA_DIR_VARIABLE = "ZS_TEST_EMULATOR_CA_DIR";

/**
 * The CA that `jest-global-setup.cjs` made for this test run and that this process trusts
 * through `NODE_EXTRA_CA_CERTS`: give it to an HTTPS emulator as `certificateAuthority`.
 *
 * To run such tests in jest's own process (`--runInBand`), whose trust store is fixed before
 * any globalSetup runs, start jest with `ZS_TEST_EMULATOR_CA_DIR` naming a directory with a CA
 * (`ca.pem`, `ca-key.pem`) and `NODE_EXTRA_CA_CERTS` naming its `ca.pem`; the setup then uses it.
 */
export async function loadTestCertificateAuthority(): Promise<PemCertificate> {
  const dir = process.env[TEST_CA_DIR_VARIABLE];
  if (!dir) {
    throw new Error(
      `${TEST_CA_DIR_VARIABLE} is not set: the HTTPS emulators' tests need the globalSetup @zs/emulators/jest-global-setup in their jest config.`,
    );
  }
  const [certificatePem, privateKeyPem] = await Promise.all([
    readFile(path.join(dir, "ca.pem"), "utf8"),
    readFile(path.join(dir, "ca-key.pem"), "utf8"),
  ]);
  return { certificatePem, privateKeyPem };
}

/**
 * Fails with an explanation when this process does not trust `url`'s certificate through its
 * default trust store — the case of a jest run in band, whose process started before the
 * globalSetup set `NODE_EXTRA_CA_CERTS`.
 */
export async function assertTrustedByThisProcess(url: string): Promise<void> {
  const failure = await new Promise<Error | undefined>((resolve) => {
    https
      .get(url, (res) => {
        res.resume();
        resolve(undefined);
      })
      .on("error", resolve);
  });
  if (!failure) return;
  const code = (failure as { code?: string }).code ?? failure.message;
  throw new Error(
    `This process does not trust ${url} (${code}). NODE_EXTRA_CA_CERTS is read only when a process starts: ` +
      "run these tests in jest workers (not --runInBand), or set NODE_EXTRA_CA_CERTS and " +
      `${TEST_CA_DIR_VARIABLE} before starting jest.`,
  );
}
