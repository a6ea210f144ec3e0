import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";

// Node can generate keys but cannot issue X.509 certificates, so node-forge builds and signs
// them from keys node:crypto made (forge's own RSA key generation is far slower).
const generateKeyPairAsync = promisify(generateKeyPair);

/** A certificate and its private key, both PEM. */
export interface PemCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

/** A server certificate, with the certificate a client must trust to accept it. */
export interface ServerCertificate extends PemCertificate {
  /** The issuing CA's certificate, or the certificate itself when it is self-signed. */
  caCertificatePem: string;
}

/** The names every emulator certificate covers: the loopback address and `localhost`. */
const SUBJECT_ALT_NAMES = [
  { type: 7, ip: "127.0.0.1" },
  { type: 2, value: "localhost" },
];
const VALIDITY_MS = 7 * 24 * 3600 * 1000;

async function newKeyPair(): Promise<{ publicKey: string; privateKey: string }> {
  return generateKeyPairAsync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

function newCertificate(publicKeyPem: string): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // A positive serial: the high bit of the first byte is cleared.
  certificate.serialNumber = ((randomBytes(1)[0] ?? 0) & 0x7f).toString(16).padStart(2, "0") + randomBytes(15).toString("hex");
  // A minute in the past, so a client whose clock lags slightly still accepts it.
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + VALIDITY_MS);
  return certificate;
}

function sign(certificate: forge.pki.Certificate, privateKeyPem: string): string {
  certificate.sign(forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(certificate);
}

/** A new certificate authority, to issue the certificates of emulators started later. */
export async function createCertificateAuthority(commonName = "zs emulators test CA"): Promise<PemCertificate> {
  const keys = await newKeyPair();
  const certificate = newCertificate(keys.publicKey);
  const subject = [{ name: "commonName", value: commonName }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  return { certificatePem: sign(certificate, keys.privateKey), privateKeyPem: keys.privateKey };
}

/**
 * A TLS server certificate for `IP:127.0.0.1` and `DNS:localhost`: issued by `issuer` when
 * given, else self-signed (and then marked as a CA, so it can be trusted as its own root).
 */
export async function issueServerCertificate(issuer?: PemCertificate): Promise<ServerCertificate> {
  const keys = await newKeyPair();
  const certificate = newCertificate(keys.publicKey);
  certificate.setSubject([{ name: "commonName", value: "localhost" }]);
  const extensions: object[] = [
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: SUBJECT_ALT_NAMES },
    { name: "subjectKeyIdentifier" },
  ];
  if (issuer) {
    const issuerCertificate = forge.pki.certificateFromPem(issuer.certificatePem);
    certificate.setIssuer(issuerCertificate.subject.attributes);
    certificate.setExtensions([
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      ...extensions,
      { name: "authorityKeyIdentifier", keyIdentifier: issuerCertificate.generateSubjectKeyIdentifier().getBytes() },
    ]);
    const certificatePem = sign(certificate, issuer.privateKeyPem);
    return { certificatePem, privateKeyPem: keys.privateKey, caCertificatePem: issuer.certificatePem };
  }
  certificate.setIssuer(certificate.subject.attributes);
  certificate.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    ...extensions,
  ]);
  const certificatePem = sign(certificate, keys.privateKey);
  return { certificatePem, privateKeyPem: keys.privateKey, caCertificatePem: certificatePem };
}
