import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import net from "node:net";
import { ZsError, type TlsFiles } from "@zs/core";

/** The certificate and key of the HTTPS listener, checked to belong together. */
export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
  /** The server certificate's SHA-256 fingerprint, for logs (public, like the certificate). */
  fingerprint: string;
  /** When the certificate expires. */
  validTo: string;
}

async function readPem(file: string, setting: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ZsError("CONFIGURATION_ERROR", `Cannot read ${setting} ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}).`);
  }
}

/**
 * Reads `ZS_TLS_CERT_FILE` and `ZS_TLS_KEY_FILE` and checks them: a PEM certificate, a PEM
 * private key, and the key is the certificate's. Errors name the setting and file, never the
 * key's contents.
 */
export async function readTlsCredentials(files: TlsFiles): Promise<TlsCredentials> {
  // One after the other, so that with both missing the error always names the certificate.
  const cert = await readPem(files.certFile, "ZS_TLS_CERT_FILE");
  const key = await readPem(files.keyFile, "ZS_TLS_KEY_FILE");
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new ZsError("CONFIGURATION_ERROR", `ZS_TLS_CERT_FILE ${files.certFile} holds no PEM certificate.`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ZsError("CONFIGURATION_ERROR", `ZS_TLS_KEY_FILE ${files.keyFile} holds no PEM private key (an encrypted key is not supported).`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ZsError("CONFIGURATION_ERROR", `ZS_TLS_KEY_FILE ${files.keyFile} is not the private key of the certificate in ZS_TLS_CERT_FILE ${files.certFile}.`);
  }
  return { cert, key, fingerprint: certificate.fingerprint256, validTo: certificate.validTo };
}

/** `localhost`, 127.0.0.0/8 and ::1 (also IPv4-mapped): addresses no other machine reaches. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  const address = host.replace(/^::ffff:/i, "");
  if (net.isIPv4(address)) return address.startsWith("127.");
  return net.isIPv6(host) && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(host);
}
