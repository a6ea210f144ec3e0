import { execFile, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createCertificateAuthority, issueServerCertificate, type PemCertificate } from "@zs/emulators";
import { Client } from "../../../packages/client/src/index.js";
import { SERVER_BIN, startServerProcess, type ServerProcess } from "./support/server-process.js";

const execFileAsync = promisify(execFile);
const ZS_BIN = path.resolve(__dirname, "..", "..", "cli", "dist", "zs.js");
const ADMIN_PASSWORD = "tls-admin-password-1";
const SECRET_VALUE = "tls-fixture-value-91c2";
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A GET over `agent`, with the fingerprint of the certificate the connection was set up with and the socket used. */
function get(url: string, agent: https.Agent): Promise<{ status: number; fingerprint: string; socket: TLSSocket }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { agent }, (response) => {
        const socket = response.socket as TLSSocket;
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, fingerprint, socket }));
      })
      .on("error", reject);
  });
}

describe("HTTPS with ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE", () => {
  let dir: string;
  let ca: PemCertificate;
  let server: ServerProcess;
  let certFile: string;
  let keyFile: string;
  let caFile: string;
  let otherCa: PemCertificate;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-tls-"));
    // CAs of this test's own, trusted by nothing else (not the run's emulator CA).
    [ca, otherCa] = await Promise.all([createCertificateAuthority("zs tls test CA"), createCertificateAuthority("zs tls other CA")]);
    const issued = await issueServerCertificate(ca);
    certFile = path.join(dir, "cert.pem");
    keyFile = path.join(dir, "key.pem");
    caFile = path.join(dir, "ca.pem");
    await Promise.all([writeFile(certFile, issued.certificatePem), writeFile(keyFile, issued.privateKeyPem), writeFile(caFile, ca.certificatePem)]);
    server = await startServerProcess({
      ZS_DATA_DIR: path.join(dir, "data"),
      ZS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ZS_TLS_CERT_FILE: certFile,
      ZS_TLS_KEY_FILE: keyFile,
    });
  });
  afterAll(async () => {
    server.child.kill("SIGTERM");
    await server.exited;
    await rm(dir, { recursive: true, force: true });
  });

  const zs = (home: string, args: string[], env: Record<string, string> = {}) =>
    execFileAsync(process.execPath, [ZS_BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home, XDG_CONFIG_HOME: path.join(home, "config"), XDG_DATA_HOME: path.join(home, "data"), ZS_PASSWORD: ADMIN_PASSWORD, ...env },
    }).then(
      (result) => ({ code: 0, ...result }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it("prints and serves an https:// URL", () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stdout()).toContain(`Log in: zs connect ${server.url}`);
  });

  it("the CLI connects and writes a secret when ZS_CA_FILE names the CA; without it, it fails with a clear error", async () => {
    const home = await mkdtemp(path.join(dir, "home-"));
    const refused = await zs(home, ["connect", server.url, "--username", "admin"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("its TLS certificate is not trusted here");
    expect(refused.stderr).toContain("ZS_CA_FILE");

    const trusted = { ZS_CA_FILE: caFile };
    expect(await zs(home, ["connect", server.url, "--username", "admin"], trusted)).toMatchObject({ code: 0 });
    expect(await zs(home, ["secret", "create", "over-tls", `--v=${SECRET_VALUE}`], trusted)).toMatchObject({ code: 0 });
    const read = await zs(home, ["secret", "get", "over-tls", "--output", "json"], trusted);
    expect(read.stdout).toContain(SECRET_VALUE);
    // NODE_EXTRA_CA_CERTS, Node's own variable, does as well.
    expect(await zs(home, ["secret", "get", "over-tls", "--output", "json"], { NODE_EXTRA_CA_CERTS: caFile })).toMatchObject({ code: 0 });
    expect(server.stderr() + server.stdout()).not.toContain(SECRET_VALUE);
  });

  it("the client connects with caFile and refuses a server its CA file does not vouch for", async () => {
    const home = await mkdtemp(path.join(dir, "client-"));
    const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, "config"), XDG_DATA_HOME: path.join(home, "data") };
    const client = new Client({ env, caFile });
    try {
      expect((await client.connect(server.url, { username: "admin", password: ADMIN_PASSWORD })).name).toBe("admin");
      expect((await client.getSecret("over-tls")).values).toEqual({ v: SECRET_VALUE });
    } finally {
      await client.close();
    }
    const otherCaFile = path.join(dir, "other-ca.pem");
    await writeFile(otherCaFile, otherCa.certificatePem);
    const untrusting = new Client({ env, caFile: otherCaFile });
    await expect(untrusting.connect(server.url, { username: "admin", password: ADMIN_PASSWORD })).rejects.toMatchObject({
      code: "BACKEND_UNAVAILABLE",
      message: expect.stringContaining("its TLS certificate is not trusted here"),
    });
    await untrusting.close();
  });

  it("SIGHUP serves a certificate replaced on disk to new connections, keeps open keep-alive connections, and keeps the old one when the new files are bad", async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca.certificatePem });
    const before = await get(`${server.url}/health/live`, agent);
    expect(before.status).toBe(200);
    const renewed = await issueServerCertificate(ca);
    await Promise.all([writeFile(certFile, renewed.certificatePem), writeFile(keyFile, renewed.privateKeyPem)]);
    server.child.kill("SIGHUP");
    for (let i = 0; i < 60 && !server.stderr().includes("TLS certificate reloaded"); i++) await wait(50);
    expect(server.stderr()).toContain("TLS certificate reloaded");

    const sameConnection = await get(`${server.url}/health/live`, agent);
    expect(sameConnection.status).toBe(200);
    expect(sameConnection.socket).toBe(before.socket);
    // No TLS session resumed: a full handshake shows the certificate served now.
    const fresh = new https.Agent({ keepAlive: false, maxCachedSessions: 0, ca: ca.certificatePem });
    const after = await get(`${server.url}/health/live`, fresh);
    expect(after.fingerprint).toBe(new X509Certificate(renewed.certificatePem).fingerprint256);
    expect(after.fingerprint).not.toBe(before.fingerprint);

    // A key of another certificate: refused, logged, the renewed certificate stays.
    const stranger = await issueServerCertificate(ca);
    await writeFile(keyFile, stranger.privateKeyPem);
    server.child.kill("SIGHUP");
    for (let i = 0; i < 60 && !server.stderr().includes("TLS files not reloaded"); i++) await wait(50);
    expect(server.stderr()).toContain("TLS files not reloaded");
    expect((await get(`${server.url}/health/live`, fresh)).fingerprint).toBe(after.fingerprint);
    expect(server.child.exitCode).toBeNull();
    await writeFile(keyFile, renewed.privateKeyPem);
    agent.destroy();
    fresh.destroy();
  });
});

describe("bad TLS and shutdown settings stop the server at start, nothing created", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-tls-bad-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const start = (env: Record<string, string>) => {
    const dataDir = path.join(dir, `data-${Math.random().toString(36).slice(2)}`);
    const result = spawnSync(process.execPath, [SERVER_BIN], {
      env: { PATH: process.env.PATH ?? "", ZS_DATA_DIR: dataDir, ZS_PORT: "0", ...env },
      encoding: "utf8",
      timeout: 20_000,
    });
    return { ...result, created: existsSync(path.join(dataDir, "zs.db")) };
  };

  it.each([
    ["only the certificate", { ZS_TLS_CERT_FILE: "/nonexistent/cert.pem" }, "ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE go together"],
    ["only the key", { ZS_TLS_KEY_FILE: "/nonexistent/key.pem" }, "ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE go together"],
    ["missing files", { ZS_TLS_CERT_FILE: "/nonexistent/cert.pem", ZS_TLS_KEY_FILE: "/nonexistent/key.pem" }, "Cannot read ZS_TLS_CERT_FILE /nonexistent/cert.pem (ENOENT)"],
    ["an unparseable ZS_SHUTDOWN_TIMEOUT", { ZS_SHUTDOWN_TIMEOUT: "soon" }, "ZS_SHUTDOWN_TIMEOUT must be a duration"],
  ])("%s: a clear error, exit 1", (_label, env, message) => {
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).not.toContain("listening");
    expect(result.created).toBe(false);
  });

  it("a certificate file that is no certificate, and a key that is not the certificate's: clear errors, key contents never shown", async () => {
    const ca = await createCertificateAuthority("zs tls bad-input CA");
    const [issued, other] = await Promise.all([issueServerCertificate(ca), issueServerCertificate(ca)]);
    const cert = path.join(dir, "cert.pem");
    const key = path.join(dir, "key.pem");
    const garbage = path.join(dir, "garbage.pem");
    await Promise.all([writeFile(cert, issued.certificatePem), writeFile(key, other.privateKeyPem), writeFile(garbage, "not a certificate")]);

    const notCertificate = start({ ZS_TLS_CERT_FILE: garbage, ZS_TLS_KEY_FILE: key });
    expect(notCertificate.status).toBe(1);
    expect(notCertificate.stderr).toContain(`ZS_TLS_CERT_FILE ${garbage} holds no PEM certificate`);
    expect(notCertificate.created).toBe(false);

    const mismatched = start({ ZS_TLS_CERT_FILE: cert, ZS_TLS_KEY_FILE: key });
    expect(mismatched.status).toBe(1);
    expect(mismatched.stderr).toContain("is not the private key of the certificate");
    expect(mismatched.created).toBe(false);
    const keyBody = other.privateKeyPem.split("\n")[1]!;
    expect(mismatched.stderr + notCertificate.stderr).not.toContain(keyBody);
  });

  it("without TLS on a non-loopback address it warns at start", async () => {
    const server = await startServerProcess({ ZS_DATA_DIR: path.join(dir, "warn"), ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ZS_HOST: "0.0.0.0" });
    server.child.kill("SIGTERM");
    // A SIGTERM read as soon as "listening" is printed meets the server's handler: a clean exit, log written.
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // The log is written in batches, flushed at exit: its last bytes may come after the exit event.
    for (let i = 0; i < 40 && !server.stderr().includes('"msg":"stopped"'); i++) await wait(50);
    expect(server.stderr()).toContain("non-loopback address without TLS");
  });
});
