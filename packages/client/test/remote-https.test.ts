import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { isZsError } from "@zs/core";
import { issueServerCertificate, loadTestCertificateAuthority } from "@zs/emulators";
import { RemoteHttp } from "../src/remote-http.js";

/** An HTTPS server (as behind a TLS-terminating proxy) answering every request with what it received. */
async function startEchoServer(certificate: { certificatePem: string; privateKeyPem: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server = https.createServer({ cert: certificate.certificatePem, key: certificate.privateKeyPem }, (request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify({ method: request.method, url: request.url, authorization: request.headers.authorization, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("remote mode over HTTPS", () => {
  let trusted: Awaited<ReturnType<typeof startEchoServer>>;
  let selfSigned: Awaited<ReturnType<typeof startEchoServer>>;

  beforeAll(async () => {
    trusted = await startEchoServer(await issueServerCertificate(await loadTestCertificateAuthority()));
    selfSigned = await startEchoServer(await issueServerCertificate());
  });
  afterAll(async () => {
    await trusted?.close();
    await selfSigned?.close();
  });

  it("talks to a server whose certificate the process trusts: token, query and unicode body arrive whole", async () => {
    const token = randomBytes(16).toString("hex");
    const answer = await new RemoteHttp(trusted.url, token).request("POST", "/api/v1/secrets", {
      query: { workspace: "default" },
      body: { name: "db", values: { password: "🔐 clé" } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      method: "POST",
      url: "/api/v1/secrets?workspace=default",
      authorization: `Bearer ${token}`,
      body: JSON.stringify({ name: "db", values: { password: "🔐 clé" } }),
    });
  });

  it("refuses a certificate nobody vouches for: BACKEND_UNAVAILABLE naming the server, the TLS error and ZS_CA_FILE", async () => {
    const error = await new RemoteHttp(selfSigned.url, "token").request("GET", "/api/v1/current-user").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(new RegExp(`^Cannot reach the zs server at ${selfSigned.url} \\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\\): its TLS certificate is not trusted here; .*ZS_CA_FILE`));
  });
});
