import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { grpc } from "google-gax";
import {
  assertTrustedByThisProcess,
  loadTestCertificateAuthority,
  startAzureKeyVaultEmulator,
  startGcpSecretManagerEmulator,
  startVaultEmulator,
  type AzureKeyVaultEmulator,
  type GcpSecretManagerEmulator,
  type VaultEmulator,
} from "@zs/emulators";
import { distinctive, expectNoLeak } from "./support/import-fixtures.js";
import { expectError, useZsHarness, type WirePage, type WireSecret } from "./support/zs-process.js";

// `zs secret import --from vault|gcp|azure`: secrets another tool wrote to each emulator,
// read by the built `zs` through the store packages and the real SDKs, created in the local store.

const ZS_DEPLOYMENT = "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70";
const root = () => `t${randomBytes(3).toString("hex")}`;

describe("zs secret import --from vault, against the KV v2 emulator", () => {
  const zs = useZsHarness();
  let emulator: VaultEmulator;
  const from = (token = emulator.token) => ["--from", "vault", "--option", `vault_addr=${emulator.address}`, "--option", `vault_token=${token}`];
  const write = async (path: string, data: Record<string, string>) => {
    const response = await fetch(`${emulator.address}/v1/secret/data/${path}`, { method: "POST", headers: { "X-Vault-Token": emulator.token }, body: JSON.stringify({ data }) });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    emulator = await startVaultEmulator();
  });
  afterAll(() => emulator?.close());

  it("imports a path tree: each path a secret named after it below the prefix, its data fields its keys", async () => {
    const top = root();
    const V = { password: distinctive("vault-pw"), url: distinctive("vault-url"), token: distinctive("vault-token") };
    await write(`${top}/svc/db`, { user: "svc", password: V.password });
    await write(`${top}/svc/cache/redis`, { url: V.url });
    await write(`${top}/token`, { value: V.token });
    const result = await zs.ok(["secret", "import", ...from(), "--prefix", `${top}/`]);
    expect(result.stdout).toBe(
      `imported '${top}/svc/cache/redis' as 'svc_cache_redis'\nimported '${top}/svc/db' as 'svc_db'\nimported '${top}/token' as 'token'\n` +
        "3 imported, 0 skipped, 0 failed\n",
    );
    expect(await zs.values("svc_db")).toEqual({ user: "svc", password: V.password });
    expect(await zs.values("svc_cache_redis")).toEqual({ url: V.url });
    expect(await zs.values("token")).toEqual({ value: V.token });
    expectNoLeak([result], Object.values(V));
  });

  it("what lies under zs/ is the vault store's own: skipped, never read", async () => {
    const path = `zs/${randomUUID()}`;
    await write(path, { values: "{}", "zs-deployment": ZS_DEPLOYMENT });
    const result = await zs.ok(["secret", "import", ...from(), "--prefix", "zs/"]);
    expect(result).toMatchObject({ stdout: "0 imported, 1 skipped, 0 failed\n", stderr: `skipped: '${path}': created by zs\n` });
  });

  it("a token Vault refuses: a clear error, exit 1, nothing created, the token never echoed", async () => {
    const top = root();
    await write(`${top}/x`, { k: "v" });
    const before = (await zs.json<WirePage<WireSecret>>(["secret", "list", "--size", "1000"])).total;
    const wrong = distinctive("wrong-token");
    const result = await zs.run(["secret", "import", ...from(wrong), "--prefix", `${top}/`]);
    expectError(
      result,
      `vault: permission denied to list secret/metadata/${top}/ at ${emulator.address}. Check vault_token and vault_namespace, and that the token's policy ` +
        `grants list on "secret/metadata/*" and read on "secret/data/*" (for the paths imported).`,
    );
    expect((await zs.json<WirePage<WireSecret>>(["secret", "list", "--size", "1000"])).total).toBe(before);
    expectNoLeak([result], [wrong]);
  });
});

describe("zs secret import --from gcp, against the Secret Manager emulator", () => {
  const zs = useZsHarness();
  const PROJECT_ID = "zs-cli-import";
  let emulator: GcpSecretManagerEmulator;
  let sdk: SecretManagerServiceClient;

  beforeAll(async () => {
    emulator = await startGcpSecretManagerEmulator();
    sdk = new SecretManagerServiceClient({ apiEndpoint: "127.0.0.1", port: emulator.port, sslCreds: grpc.credentials.createInsecure(), universeDomain: "googleapis.com" });
  });
  afterAll(async () => {
    await sdk?.close();
    await emulator?.close();
  });

  it("imports the project's secrets, latest versions, JSON objects as keys and plain text as 'value'; zs's own skipped", async () => {
    const top = root();
    const V = { password: distinctive("gcp-pw"), old: distinctive("gcp-old"), token: distinctive("gcp-token") };
    const create = async (secretId: string, payloads: string[], labels: Record<string, string> = {}) => {
      const [secret] = await sdk.createSecret({ parent: `projects/${PROJECT_ID}`, secretId, secret: { replication: { automatic: {} }, labels } });
      for (const payload of payloads) await sdk.addSecretVersion({ parent: secret.name, payload: { data: Buffer.from(payload) } });
    };
    await create(`${top}-db`, [JSON.stringify({ user: "app", password: V.password })]);
    await create(`${top}-token`, [V.old, V.token]);
    await create(`zs-${randomUUID()}`, ["{}"], { "zs-deployment": ZS_DEPLOYMENT });
    const result = await zs.ok(["secret", "import", "--from", "gcp", "--option", `project_id=${PROJECT_ID}`, "--option", `emulator_host=${emulator.host}`], {
      env: { METADATA_SERVER_DETECTION: "none" },
    });
    expect(result.stdout).toMatch(/^2 imported, 1 skipped, 0 failed$/m);
    expect(result.stderr).toMatch(/^skipped: 'zs-[0-9a-f-]{36}': created by zs\n$/);
    expect(await zs.values(`${top}-db`)).toEqual({ user: "app", password: V.password });
    expect(await zs.values(`${top}-token`)).toEqual({ value: V.token });
    expectNoLeak([result], Object.values(V));
  });
});

describe("zs secret import --from azure, against the Key Vault HTTPS emulator", () => {
  const zs = useZsHarness();
  const CLIENT = { clientId: "6a1d8f3e-4b2c-4e7a-9d5f-0c3b7e1a9d42", clientSecret: "zs-cli-import-client-secret" };
  let emulator: AzureKeyVaultEmulator;
  let sdk: SecretClient;

  beforeAll(async () => {
    emulator = await startAzureKeyVaultEmulator({ certificateAuthority: await loadTestCertificateAuthority(), clients: [CLIENT] });
    // This process trusts the run's test CA through the NODE_EXTRA_CA_CERTS jest's globalSetup set, as the zs processes do.
    await assertTrustedByThisProcess(emulator.vaultUrl);
    const credential = new ClientSecretCredential(emulator.tenantId, CLIENT.clientId, CLIENT.clientSecret, { authorityHost: emulator.authorityHost, disableInstanceDiscovery: true });
    sdk = new SecretClient(emulator.vaultUrl, credential, { disableChallengeResourceVerification: true });
  });
  afterAll(() => emulator?.close());

  it("imports the vault's secrets; zs's own and disabled ones are skipped", async () => {
    const top = root();
    const V = { password: distinctive("az-pw"), token: distinctive("az-token"), off: distinctive("az-off") };
    await sdk.setSecret(`${top}-db`, JSON.stringify({ user: "app", password: V.password }));
    await sdk.setSecret(`${top}-token`, V.token);
    await sdk.setSecret(`${top}-off`, V.off, { enabled: false });
    const zsOwned = `zs-${randomUUID()}`;
    await sdk.setSecret(zsOwned, "{}", { tags: { "zs-deployment": ZS_DEPLOYMENT } });
    const options = {
      vault_url: emulator.vaultUrl,
      tenant_id: emulator.tenantId,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      authority_host: emulator.authorityHost,
      disable_instance_discovery: "true",
      disable_challenge_resource_verification: "true",
    };
    const result = await zs.ok(["secret", "import", "--from", "azure", ...Object.entries(options).flatMap(([k, v]) => ["--option", `${k}=${v}`])]);
    expect(result.stdout).toBe(`imported '${top}-db' as '${top}-db'\nimported '${top}-token' as '${top}-token'\n2 imported, 2 skipped, 0 failed\n`);
    expect(result.stderr).toBe(`skipped: '${top}-off': disabled in Key Vault\nskipped: '${zsOwned}': created by zs\n`);
    expect(await zs.values(`${top}-db`)).toEqual({ user: "app", password: V.password });
    expect(await zs.values(`${top}-token`)).toEqual({ value: V.token });
    expectNoLeak([result], [...Object.values(V), CLIENT.clientSecret]);
  });
});
