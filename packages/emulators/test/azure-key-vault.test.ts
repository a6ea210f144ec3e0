import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import https from "node:https";
import { ClientSecretCredential, type TokenCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import {
  assertTrustedByThisProcess,
  loadTestCertificateAuthority,
  startAzureKeyVaultEmulator,
  type AzureKeyVaultEmulator,
} from "../src/index.js";

const CLIENT = { clientId: "5b2f1d9e-7c4a-4e1b-9d3f-2a6c8e0b4f71", clientSecret: "emulator-client-secret" };

let emulator: AzureKeyVaultEmulator;
let client: SecretClient;

/** The real SDK and the real credential, pointed at the emulator through their ordinary options. */
function sdkClient(credential: TokenCredential = credentialFor(CLIENT.clientSecret)): SecretClient {
  return new SecretClient(emulator.vaultUrl, credential, { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } });
}

function credentialFor(clientSecret: string): ClientSecretCredential {
  return new ClientSecretCredential(emulator.tenantId, CLIENT.clientId, clientSecret, {
    authorityHost: emulator.authorityHost,
    disableInstanceDiscovery: true,
    retryOptions: { maxRetries: 0 },
  });
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTPS request, trusting the emulator's certificate through the `ca` option only. */
function raw(method: string, url: string, options: { body?: string; headers?: Record<string, string>; ca?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers: options.headers, ca: options.ca ?? emulator.caCertificatePem }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

async function failure(promise: Promise<unknown>): Promise<{ name?: string; statusCode?: number; code?: string; message: string }> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as { message: string },
  );
}

beforeAll(async () => {
  emulator = await startAzureKeyVaultEmulator({ certificateAuthority: await loadTestCertificateAuthority(), clients: [CLIENT] });
  await assertTrustedByThisProcess(emulator.vaultUrl);
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.reset();
  // Each test starts with a credential holding a valid token.
  client = sdkClient();
});

describe("Azure Key Vault emulator, through @azure/keyvault-secrets and ClientSecretCredential", () => {
  it("the first call is challenged, the credential gets a token from the tenant's endpoints, and set/get/delete/purge are counted", async () => {
    const fresh = sdkClient();
    const name = `zs-${randomUUID()}`;
    const set = await fresh.setSecret(name, '{"a":"1"}', { contentType: "application/json", tags: { "zs-deployment": "d1" } });
    expect(set.value).toBe('{"a":"1"}');
    const got = await fresh.getSecret(name);
    expect(got.value).toBe('{"a":"1"}');
    expect(got.properties.contentType).toBe("application/json");
    expect(got.properties.tags).toEqual({ "zs-deployment": "d1" });
    const poller = await fresh.beginDeleteSecret(name, { intervalInMs: 10 });
    expect(poller.isDone()).toBe(true);
    expect((await fresh.getDeletedSecret(name)).properties.tags).toEqual({ "zs-deployment": "d1" });
    await fresh.purgeDeletedSecret(name);
    expect((await failure(fresh.getDeletedSecret(name))).statusCode).toBe(404);
    expect(emulator.calls).toEqual({ SetSecret: 1, GetSecret: 1, ListSecrets: 0, DeleteSecret: 1, GetDeletedSecret: 3, PurgeDeletedSecret: 1, RecoverDeletedSecret: 0, UpdateSecretProperties: 0, ListSecretVersions: 0 });
    expect({ ...emulator.authCalls }).toEqual({ challenge: 1, rejectedToken: 0, openIdConfiguration: 1, token: 1 });
  });

  it("a missing secret is 404 SecretNotFound in Key Vault's JSON error shape", async () => {
    const error = await failure(client.getSecret(`zs-${randomUUID()}`));
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("SecretNotFound");
    const token = await credentialFor(CLIENT.clientSecret).getToken("https://vault.azure.net/.default");
    const answer = await raw("GET", `${emulator.vaultUrl}/secrets/zs-absent/?api-version=2025-07-01`, { headers: { authorization: `Bearer ${token.token}` } });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: "SecretNotFound", message: expect.stringContaining("zs-absent") } });
  });

  it("listing gives each active secret's properties and tags, never a value, in pages of 25 the SDK follows by nextLink", async () => {
    for (let i = 0; i < 30; i++) await client.setSecret(`list-${String(i).padStart(2, "0")}`, `value-${i}`, i === 0 ? { tags: { "zs-deployment": "d" } } : {});
    await client.setSecret("gone", "x");
    await (await client.beginDeleteSecret("gone")).pollUntilDone();
    const listed = [];
    for await (const properties of client.listPropertiesOfSecrets()) listed.push(properties);
    expect(listed.map((p) => p.name)).toEqual(Array.from({ length: 30 }, (_, i) => `list-${String(i).padStart(2, "0")}`));
    expect(listed[0]).toMatchObject({ name: "list-00", enabled: true, tags: { "zs-deployment": "d" }, vaultUrl: emulator.vaultUrl });
    expect(JSON.stringify(listed)).not.toContain("value-");
    expect(emulator.calls.ListSecrets).toBe(2);
    const pages = client.listPropertiesOfSecrets().byPage({ maxPageSize: 10 });
    expect((await pages.next()).value).toHaveLength(10);
  });

  it("a secret set disabled is listed as such, and reading it is 403 Forbidden (SecretDisabled)", async () => {
    await client.setSecret("off", "x", { enabled: false });
    const listed = [];
    for await (const properties of client.listPropertiesOfSecrets()) listed.push(properties);
    expect(listed).toEqual([expect.objectContaining({ name: "off", enabled: false })]);
    expect(await failure(client.getSecret("off"))).toMatchObject({ statusCode: 403, code: "Forbidden" });
  });

  it("names are case-insensitive and keep the case they were created with", async () => {
    const id = randomUUID();
    await client.setSecret(`zs-${id}`, "first");
    await client.setSecret(`ZS-${id.toUpperCase()}`, "second");
    const got = await client.getSecret(`Zs-${id}`);
    expect(got.value).toBe("second");
    expect(got.name).toBe(`zs-${id}`);
  });

  it("a soft-deleted name cannot be set again (409) until it is purged, and recovery brings the secret back", async () => {
    const name = `zs-${randomUUID()}`;
    await client.setSecret(name, "v1", { tags: { owner: "me" } });
    await client.beginDeleteSecret(name);
    expect((await failure(client.getSecret(name))).code).toBe("SecretNotFound");
    const conflict = await failure(client.setSecret(name, "v2"));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.code).toBe("Conflict");
    expect(conflict.message).toMatch(/deleted but recoverable state/);
    const recovered = await client.beginRecoverDeletedSecret(name, { intervalInMs: 10 });
    await recovered.pollUntilDone();
    expect((await client.getSecret(name)).value).toBe("v1");
    await client.beginDeleteSecret(name);
    await client.purgeDeletedSecret(name);
    await client.setSecret(name, "v3");
    expect((await client.getSecret(name)).value).toBe("v3");
    expect(emulator.calls.RecoverDeletedSecret).toBe(1);
  });

  it("with a deletion delay the deleted secret shows only later and the name answers 409 ObjectIsBeingDeleted meanwhile", async () => {
    emulator.faults.deletionDelayMs = 300;
    const name = `zs-${randomUUID()}`;
    await client.setSecret(name, "v");
    const poller = await client.beginDeleteSecret(name, { intervalInMs: 100 });
    expect(poller.isDone()).toBe(false);
    expect((await failure(client.setSecret(name, "again"))).message).toMatch(/is currently being deleted/);
    expect((await failure(client.purgeDeletedSecret(name))).statusCode).toBe(409);
    await poller.pollUntilDone();
    await client.purgeDeletedSecret(name);
    expect((await failure(client.setSecret(name, "again"))).message).toMatch(/is currently being deleted/);
    await new Promise((resolve) => setTimeout(resolve, 320));
    await client.setSecret(name, "again");
    expect((await client.getSecret(name)).value).toBe("again");
  });

  it("a value over 25600 characters is refused with 400 BadParameter", async () => {
    const error = await failure(client.setSecret(`zs-${randomUUID()}`, "x".repeat(25601)));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("BadParameter");
  });
});

describe("Azure Key Vault emulator authentication", () => {
  it("a request without a token is answered 401 with the bearer challenge naming the tenant and the Key Vault resource", async () => {
    const answer = await raw("GET", `${emulator.vaultUrl}/secrets/zs-x/?api-version=2025-07-01`);
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toBe(`Bearer authorization="${emulator.authorityHost}/${emulator.tenantId}", resource="https://vault.azure.net"`);
    expect(JSON.parse(answer.body).error.code).toBe("Unauthorized");
    expect(emulator.authCalls.challenge).toBe(1);
    expect(emulator.calls.GetSecret).toBe(0);
  });

  it("a token the emulator did not issue is refused with 401 on every call", async () => {
    const forged = sdkClient({ getToken: async () => ({ token: "forged", expiresOnTimestamp: Date.now() + 3600_000 }) });
    const error = await failure(forged.getSecret("zs-x"));
    expect(error.statusCode).toBe(401);
    expect(emulator.authCalls.rejectedToken).toBeGreaterThanOrEqual(1);
    expect(emulator.calls.GetSecret).toBe(0);
  });

  it("revoked tokens are refused until a credential gets a new one", async () => {
    const revoked = sdkClient();
    await revoked.getSecret("zs-x").catch(() => undefined);
    emulator.revokeTokens();
    expect((await failure(revoked.getSecret("zs-x"))).statusCode).toBe(401);
    const renewed = sdkClient();
    expect((await failure(renewed.getSecret("zs-x"))).statusCode).toBe(404);
  });

  it("a wrong client secret gets no token: invalid_client from the token endpoint", async () => {
    const error = await failure(sdkClient(credentialFor("not-the-secret")).getSecret("zs-x"));
    expect(error.message).toMatch(/invalid_client.*AADSTS7000215/s);
    expect(emulator.authCalls.token).toBe(1);
    expect(emulator.calls.GetSecret).toBe(0);
  });

  it("a malformed path is answered 400 BadParameter, not dropped", async () => {
    const answer = await raw("GET", `${emulator.vaultUrl}/secrets/%E0%A4%A/?api-version=2025-07-01`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.code).toBe("BadParameter");
  });

  it("the OpenID configuration of an unknown tenant is refused", async () => {
    const answer = await raw("GET", `${emulator.authorityHost}/${randomUUID()}/v2.0/.well-known/openid-configuration`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toBe("invalid_tenant");
  });

  it("without a CA the certificate is self-signed for 127.0.0.1 and localhost and verifies against itself", async () => {
    const selfSigned = await startAzureKeyVaultEmulator();
    try {
      expect(selfSigned.caCertificatePem).toMatch(/BEGIN CERTIFICATE/);
      const port = new URL(selfSigned.vaultUrl).port;
      for (const host of ["127.0.0.1", "localhost"]) {
        const answer = await raw("GET", `https://${host}:${port}/secrets/zs-x/?api-version=2025-07-01`, { ca: selfSigned.caCertificatePem });
        expect(answer.status).toBe(401);
      }
    } finally {
      await selfSigned.close();
    }
  });
});

describe("Azure Key Vault emulator faults", () => {
  it("throttling answers 429 Throttled with Retry-After", async () => {
    await client.getSecret("zs-warm").catch(() => undefined);
    emulator.faults.throttleNext = 1;
    emulator.faults.retryAfterSeconds = 7;
    const error = (await failure(client.getSecret("zs-x"))) as { statusCode?: number; code?: string; response?: { headers: { get(n: string): string | undefined } } };
    expect(error.statusCode).toBe(429);
    expect(error.code).toBe("Throttled");
    expect(error.response?.headers.get("retry-after")).toBe("7");
  });

  it("5xx, dropped connections, latency and token endpoint outages reach the SDK as such, and are counted", async () => {
    await client.getSecret("zs-warm").catch(() => undefined);
    emulator.faults.failNext = 1;
    expect((await failure(client.getSecret("zs-x"))).statusCode).toBe(500);
    emulator.faults.dropNext = 1;
    expect((await failure(client.getSecret("zs-x"))).code).toBe("ECONNRESET");
    emulator.faults.latencyMs = 150;
    const started = Date.now();
    expect((await failure(client.getSecret("zs-x"))).statusCode).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emulator.faults.latencyMs = 0;
    emulator.faults.tokenFailNext = 1;
    expect((await failure(sdkClient().getSecret("zs-x"))).message).toMatch(/temporarily_unavailable/);
    expect(emulator.calls.GetSecret).toBe(4);
  });
});

describe("Azure Key Vault emulator versions", () => {
  it("each SetSecret makes a version; GetSecret reads any by id, the latest without one", async () => {
    const name = `zs-${randomUUID()}`;
    const first = await client.setSecret(name, "one");
    const second = await client.setSecret(name, "two");
    expect(first.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(second.properties.version).not.toBe(first.properties.version);
    expect((await client.getSecret(name, { version: first.properties.version! })).value).toBe("one");
    expect((await client.getSecret(name)).value).toBe("two");
    expect((await failure(client.getSecret(name, { version: "0".repeat(32) }))).statusCode).toBe(404);
  });

  it("UpdateSecretProperties enabled=false disables one version: reads of it are 403 SecretDisabled, the others read on; enabling it again restores it", async () => {
    const name = `zs-${randomUUID()}`;
    const first = await client.setSecret(name, "one", { tags: { keep: "me" } });
    await client.setSecret(name, "two");
    const updated = await client.updateSecretProperties(name, first.properties.version!, { enabled: false });
    expect([updated.enabled, updated.tags, updated.version]).toEqual([false, { keep: "me" }, first.properties.version]);
    const refused = await failure(client.getSecret(name, { version: first.properties.version! }));
    expect([refused.statusCode, refused.code]).toEqual([403, "Forbidden"]);
    expect(refused.message).toMatch(/disabled/);
    expect((await client.getSecret(name)).value).toBe("two");
    await client.updateSecretProperties(name, first.properties.version!, { enabled: true });
    expect((await client.getSecret(name, { version: first.properties.version! })).value).toBe("one");
  });

  it("ListSecretVersions lists every version's properties, disabled ones included, without values, across pages", async () => {
    const name = `zs-${randomUUID()}`;
    const versions: string[] = [];
    for (let i = 0; i < 27; i++) versions.push((await client.setSecret(name, `v${i}`)).properties.version!);
    await client.updateSecretProperties(name, versions[0]!, { enabled: false });
    const listed: { version?: string | undefined; enabled?: boolean | undefined }[] = [];
    for await (const properties of client.listPropertiesOfSecretVersions(name)) listed.push({ version: properties.version, enabled: properties.enabled });
    expect(listed.map((p) => p.version).sort()).toEqual([...versions].sort());
    expect(listed.find((p) => p.version === versions[0])?.enabled).toBe(false);
    expect(emulator.calls.ListSecretVersions).toBeGreaterThan(1);
  });

  it("tags over Key Vault's limits are refused: a value over 256 characters, more than 15 tags", async () => {
    const name = `zs-${randomUUID()}`;
    expect((await failure(client.setSecret(name, "x", { tags: { long: "x".repeat(257) } }))).statusCode).toBe(400);
    const many = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"]));
    expect((await failure(client.setSecret(name, "x", { tags: many }))).statusCode).toBe(400);
    const set = await client.setSecret(name, "x", { tags: { ok: "x".repeat(256) } });
    expect((await failure(client.updateSecretProperties(name, set.properties.version!, { tags: many }))).statusCode).toBe(400);
  });
});
