import { request } from "node:https";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { loadTestCertificateAuthority, startAzureKeyVaultEmulator, type AzureKeyVaultEmulator, type AzureKeyVaultOperation, withCallCounts } from "@zs/emulators";
import { expectError, uniqueName, useZsHarness, type WirePage, type WireSecret, type ZsResult } from "./support/zs-process.js";

// The built `zs` with its values in Azure Key Vault: the metadata stays in the local SQLite
// store, each secret's values go to the HTTPS emulator (Key Vault and Entra ID's endpoints)
// through the bundled @zs/store-azure and the Azure SDK, configured only through the ordinary
// ZS_SECRETS_STORE_* variables. The emulator's certificate comes from the run's test CA, which
// the `zs` processes trust through the NODE_EXTRA_CA_CERTS they inherit (set by the jest
// globalSetup), exactly as a deployment trusts a private CA.

const CLIENT = { clientId: "5d0f7a3e-2c1b-4e8a-9f6d-3b7c1a2e4d58", clientSecret: "zs-cli-test-client-secret" };

/** One HTTPS request to the emulator, trusting its CA explicitly (so this process needs no NODE_EXTRA_CA_CERTS). */
function httpsJson(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

describe("zs with ZS_SECRETS_STORE_TYPE=azure, against the Key Vault HTTPS emulator", () => {
  const zs = useZsHarness();
  let emulator: AzureKeyVaultEmulator;
  let azureEnv: Record<string, string>;

  beforeAll(async () => {
    emulator = await startAzureKeyVaultEmulator({ certificateAuthority: await loadTestCertificateAuthority(), clients: [CLIENT] });
    azureEnv = {
      ZS_SECRETS_STORE_TYPE: "azure",
      ZS_SECRETS_STORE_VAULT_URL: emulator.vaultUrl,
      ZS_SECRETS_STORE_AUTHORITY_HOST: emulator.authorityHost,
      ZS_SECRETS_STORE_TENANT_ID: emulator.tenantId,
      ZS_SECRETS_STORE_CLIENT_ID: CLIENT.clientId,
      ZS_SECRETS_STORE_CLIENT_SECRET: CLIENT.clientSecret,
      ZS_SECRETS_STORE_DISABLE_INSTANCE_DISCOVERY: "true",
      ZS_SECRETS_STORE_DISABLE_CHALLENGE_RESOURCE_VERIFICATION: "true",
    };
  });
  afterAll(() => emulator?.close());
  beforeEach(() => {
    emulator.faults.failNext = 0;
    emulator.faults.throttleNext = 0;
  });

  it("the zs processes inherit a NODE_EXTRA_CA_CERTS holding the run's test CA", async () => {
    const bundle = zs.env.NODE_EXTRA_CA_CERTS;
    expect(bundle).toBeDefined();
    const { certificatePem } = await loadTestCertificateAuthority();
    expect(await readFile(bundle!, "utf8")).toContain(certificatePem.trim());
  });

  /**
   * Runs `zs ARGS` on the azure store; resolves with its result and the emulator calls it made:
   * Key Vault's per operation, and `Token` for the token requests to Entra ID.
   */
  function azureRun(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<{ result: ZsResult; calls: Partial<Record<AzureKeyVaultOperation | "Token", number>> }> {
    return withCallCounts(() => ({ ...emulator.calls, Token: emulator.authCalls.token }), () => zs.run(args, { env: { ...azureEnv, ...extraEnv } }));
  }

  /** A secret's Key Vault secret (its value parsed, and its tags), read with a token of the test's own, or the HTTP status when there is none. */
  async function vaultSecret(secretId: string): Promise<{ value: unknown; tags: Record<string, string> } | number> {
    const ca = emulator.caCertificatePem;
    const token = await httpsJson(`${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`, ca, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, scope: "https://vault.azure.net/.default" }).toString(),
    });
    const { access_token } = token.body as { access_token: string };
    const { status, body } = await httpsJson(`${emulator.vaultUrl}/secrets/zs-${secretId}/?api-version=7.5`, ca, { headers: { authorization: `Bearer ${access_token}` } });
    if (status !== 200) return status;
    const secret = body as { value: string; tags: Record<string, string> };
    return { value: JSON.parse(secret.value) as unknown, tags: secret.tags };
  }

  it("create, get, list and delete work end to end; the values live in Key Vault, not in the local database", async () => {
    const name = uniqueName("db");
    const password = `pw-${uniqueName()}`;

    const created = await azureRun(["secret", "create", name, "--user=admin", `--password=${password}`]);
    expect(created.result).toMatchObject({ code: 0, stderr: "" });
    expect(created.result.stdout).toContain(`Secret '${name}' created.`);
    // Each zs process that calls Key Vault signs in once.
    expect(created.calls).toEqual({ Token: 1, GetSecret: 1, SetSecret: 1 });

    const got = await azureRun(["secret", "get", name, "-o", "json"]);
    expect(got.result).toMatchObject({ code: 0, stderr: "" });
    const secret = JSON.parse(got.result.stdout) as WireSecret;
    expect(secret.values).toEqual({ user: "admin", password });
    expect(got.calls).toEqual({ Token: 1, GetSecret: 1 });

    const stored = await vaultSecret(secret.id);
    expect(stored).toMatchObject({ value: { user: "admin", password }, tags: { "zs-secret-id": secret.id } });
    expect((stored as { tags: Record<string, string> }).tags["zs-deployment"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readFile(path.join(zs.home!, "zs.db"))).not.toContain(Buffer.from(password));

    const listed = await azureRun(["secret", "list", "-o", "json"]);
    expect(listed.result).toMatchObject({ code: 0, stderr: "" });
    expect((JSON.parse(listed.result.stdout) as WirePage<WireSecret>).items.map((item) => item.name)).toContain(name);
    expect(listed.calls).toEqual({});

    // A delete is soft: the values stay in the backend, untouched, until the recovery window ends.
    const softDeleted = await azureRun(["secret", "delete", name, "--yes"]);
    expect(softDeleted.result).toMatchObject({ code: 0, stderr: "" });
    expect(softDeleted.calls).toEqual({});
    expect(await vaultSecret(secret.id)).toEqual(stored);
    expect((await azureRun(["secret", "get", name])).result.code).toBe(1);
    const recovered = await azureRun(["secret", "recover", name]);
    expect(recovered.result).toMatchObject({ code: 0, stderr: "" });
    expect(recovered.calls).toEqual({});
    expect(JSON.parse((await azureRun(["secret", "get", name, "-o", "json"])).result.stdout).values).toEqual({ user: "admin", password });

    const deleted = await azureRun(["secret", "delete", name, "--purge", "--yes"]);
    expect(deleted.result).toMatchObject({ code: 0, stderr: "" });
    // Soft-delete, the SDK's poller seeing it done, then the purge (purge_on_delete defaults to true).
    expect(deleted.calls).toEqual({ Token: 1, GetSecret: 1, DeleteSecret: 1, GetDeletedSecret: 1, PurgeDeletedSecret: 1 });
    expect(await vaultSecret(secret.id)).toBe(404);
    const gone = await azureRun(["secret", "get", name]);
    expect(gone.result.code).toBe(1);
    expect(gone.calls).toEqual({});
  });

  it("zs status names the azure store and its capabilities, without calling Key Vault or Entra ID", async () => {
    const { result, calls } = await azureRun(["status"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^Store\s+azure \(maxValueBytes=25600, versioned=true\)$/m);
    expect(calls).toEqual({});
  });

  it("Key Vault failing with 500 makes create fail after bounded retries: exit 1, no value printed, no secret left behind", async () => {
    const name = uniqueName("down");
    const password = `pw-${uniqueName()}`;
    emulator.faults.failNext = 1000;
    const { result, calls } = await azureRun(["secret", "create", name, `--password=${password}`]);
    emulator.faults.failNext = 0;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: azure: GetSecret of 'zs-[0-9a-f-]+' failed after 4 attempts: InternalServerError: /);
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(calls).toEqual({ Token: 1, GetSecret: 4 });
    const listed = await azureRun(["secret", "list", "-o", "json"]);
    expect((JSON.parse(listed.result.stdout) as WirePage<WireSecret>).items.map((item) => item.name)).not.toContain(name);
  });

  it("without the CA in NODE_EXTRA_CA_CERTS, zs says the certificate is not trusted and where to add it", async () => {
    const { result, calls } = await azureRun(["secret", "create", uniqueName("untrusted"), "--password=x"], { NODE_EXTRA_CA_CERTS: undefined });
    // The OpenSSL code (UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN) depends on the chain the server sends.
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr).toMatch(/^Error: azure: the TLS certificate of the vault or authority is not trusted \([A-Z_]+\); add its CA to NODE_EXTRA_CA_CERTS\.\n$/);
    expect(calls).toEqual({});
  });

  it("an option azure does not take is a configuration error naming the allowed ones", async () => {
    const { result, calls } = await azureRun(["secret", "list"], { ZS_SECRETS_STORE_REGION: "eu-west-1" });
    expectError(
      result,
      "Invalid options for values store 'azure': unknown field 'region'. Allowed options: vault_url, tenant_id, client_id, client_secret, authority_host, " +
        "disable_instance_discovery, disable_challenge_resource_verification, purge_on_delete. Options are set with ZS_SECRETS_STORE_<OPTION>.",
    );
    expect(calls).toEqual({});
  });
});
