import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { StoreRegistry, isZsError, silentLogger, type SecretValuesStore } from "@zs/core";
import type { AzureKeyVaultEmulator, AzureKeyVaultOperation } from "@zs/emulators";
import azureStore, { AZURE_MAX_KEPT_VERSIONS, GZIP_CONTENT_TYPE, JSON_CONTENT_TYPE, azureStoreDefinition } from "../src/index.js";
import { CLIENT, OTHER_CLIENT, createStore, startEmulator } from "./support/azure-fixture.js";

const DEPLOYMENT = "4a8c2e6f-1b3d-4f5a-9c7e-0d2b4f6a8c1e";
const OTHER_DEPLOYMENT = "e7f1a3c5-9b2d-4e6f-8a0c-3d5f7b9e1a24";

let emulator: AzureKeyVaultEmulator;
let store: SecretValuesStore;
let other: SecretValuesStore;
let keepDeleted: SecretValuesStore;
let sdk: SecretClient;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const none: Record<AzureKeyVaultOperation, number> = {
  SetSecret: 0,
  GetSecret: 0,
  ListSecrets: 0,
  DeleteSecret: 0,
  GetDeletedSecret: 0,
  PurgeDeletedSecret: 0,
  RecoverDeletedSecret: 0,
  UpdateSecretProperties: 0,
  ListSecretVersions: 0,
};

/** The Key Vault calls `operation` makes. */
async function callsOf(operation: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = { ...emulator.calls };
  await operation();
  return Object.fromEntries(Object.entries(emulator.calls).map(([op, n]) => [op, n - before[op as AzureKeyVaultOperation]]));
}

beforeAll(async () => {
  emulator = await startEmulator();
  store = await createStore(emulator, DEPLOYMENT);
  other = await createStore(emulator, OTHER_DEPLOYMENT);
  keepDeleted = await createStore(emulator, DEPLOYMENT, { purge_on_delete: "false" });
  // The real SDK, to look at what the store left in the vault.
  sdk = new SecretClient(
    emulator.vaultUrl,
    new ClientSecretCredential(emulator.tenantId, CLIENT.clientId, CLIENT.clientSecret, { authorityHost: emulator.authorityHost, disableInstanceDiscovery: true }),
    { disableChallengeResourceVerification: true },
  );
});

afterAll(async () => {
  await store?.close?.();
  await other?.close?.();
  await keepDeleted?.close?.();
  await emulator?.close();
});

beforeEach(() => {
  emulator.reset();
  // Throttled answers name no wait unless a test asks for one, so retries stay fast.
  emulator.faults.retryAfterSeconds = 0;
});

describe("azure store definition", () => {
  it("the default export and the named export are the same store definition of type azure", () => {
    expect(azureStore).toBe(azureStoreDefinition);
    expect(azureStore.type).toBe("azure");
    expect(azureStore.apiVersion).toBe(1);
  });

  it("purge_on_delete defaults to true and both SDK switches to false", () => {
    expect(azureStore.optionsSchema.parse({ vault_url: "https://zs.vault.azure.net" })).toEqual({
      vault_url: "https://zs.vault.azure.net",
      disable_instance_discovery: false,
      disable_challenge_resource_verification: false,
      purge_on_delete: true,
    });
  });

  it("switches accept true/false as text (from ZS_SECRETS_STORE_<OPTION>) or as booleans (from YAML)", () => {
    const parsed = azureStore.optionsSchema.parse({
      vault_url: "https://zs.vault.azure.net",
      purge_on_delete: "false",
      disable_instance_discovery: true,
      disable_challenge_resource_verification: "1",
    });
    expect(parsed).toMatchObject({ purge_on_delete: false, disable_instance_discovery: true, disable_challenge_resource_verification: true });
    expect(azureStore.optionsSchema.safeParse({ vault_url: "https://zs.vault.azure.net", purge_on_delete: "sometimes" }).success).toBe(false);
  });

  it("an unknown option is refused naming the allowed ones", async () => {
    const registry = new StoreRegistry({ azure: async () => azureStore });
    const error = await failure(
      registry.create("azure", { vault_url: "https://zs.vault.azure.net", vault_uri: "x" }, { deploymentId: DEPLOYMENT, logger: silentLogger, configDir: "." }),
    );
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/vault_uri/);
    expect((error as Error).message).toMatch(
      /Allowed options: vault_url, tenant_id, client_id, client_secret, authority_host, disable_instance_discovery, disable_challenge_resource_verification, purge_on_delete/,
    );
  });

  it("vault_url is required and must be https; client credentials come as a set of three", () => {
    const parse = (options: Record<string, unknown>) => azureStore.optionsSchema.safeParse(options).success;
    expect(parse({})).toBe(false);
    expect(parse({ vault_url: "http://zs.vault.azure.net" })).toBe(false);
    expect(parse({ vault_url: "https://zs.vault.azure.net", authority_host: "http://login.example" })).toBe(false);
    expect(parse({ vault_url: "https://zs.vault.azure.net", client_id: "a", client_secret: "b" })).toBe(false);
    expect(parse({ vault_url: "https://zs.vault.azure.net", tenant_id: "t", client_id: "a", client_secret: "b" })).toBe(true);
  });
});

describe("azure store against the emulator", () => {
  it("a secret is named zs-<id>, tagged with the deployment, the secret id and the earlier versions kept, and its value is exactly the values as JSON", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { user: "admin", password: "pa55word" });
    const first = await sdk.getSecret(`zs-${secretId}`);
    expect(first.properties.tags).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId });
    await store.putValues(secretId, { user: "admin", password: "changed" });
    const secret = await sdk.getSecret(`zs-${secretId}`);
    expect(secret.properties.tags).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId, "zs-kept-0": first.properties.version });
    expect(secret.properties.contentType).toBe(JSON_CONTENT_TYPE);
    expect(secret.value).toBe('{"user":"admin","password":"changed"}');
  });

  it("values whose keys are the legacy envelope's of the other cloud stores round-trip as they are, and are stored as they are", async () => {
    const lookalikes: Record<string, string>[] = [
      { "zs-deployment": DEPLOYMENT, values: '{"user":"admin"}' },
      { "zs-deployment": OTHER_DEPLOYMENT, values: "{}" },
      { values: '{"k":"v"}', other: "x" },
    ];
    for (const values of lookalikes) {
      const secretId = randomUUID();
      await store.putValues(secretId, values);
      expect(await store.getValues(secretId)).toEqual(values);
      expect(JSON.parse((await sdk.getSecret(`zs-${secretId}`)).value ?? "")).toEqual(values);
    }
  });

  it("get makes one call, put two (GetSecret then SetSecret), delete four (GetSecret, DeleteSecret, GetDeletedSecret, PurgeDeletedSecret)", async () => {
    const secretId = randomUUID();
    expect(await callsOf(() => store.putValues(secretId, { k: "v1" }))).toEqual({ ...none, GetSecret: 1, SetSecret: 1 });
    expect(await callsOf(() => store.putValues(secretId, { k: "v2" }))).toEqual({ ...none, GetSecret: 1, SetSecret: 1 });
    expect(await callsOf(() => store.getValues(secretId))).toEqual({ ...none, GetSecret: 1 });
    expect(await callsOf(() => store.getValues(randomUUID()))).toEqual({ ...none, GetSecret: 1 });
    expect(await callsOf(() => store.deleteValues(secretId))).toEqual({ ...none, GetSecret: 1, DeleteSecret: 1, GetDeletedSecret: 1, PurgeDeletedSecret: 1 });
    expect(await callsOf(() => store.deleteValues(secretId))).toEqual({ ...none, GetSecret: 1, GetDeletedSecret: 1 });
    expect(emulator.authCalls.token).toBe(0);
  });

  it("with purge_on_delete=false a delete only soft-deletes (three calls), and a later put recovers the secret and writes", async () => {
    const secretId = randomUUID();
    await keepDeleted.putValues(secretId, { k: "old" });
    expect(await callsOf(() => keepDeleted.deleteValues(secretId))).toEqual({ ...none, GetSecret: 1, DeleteSecret: 1, GetDeletedSecret: 1 });
    expect(await keepDeleted.getValues(secretId)).toBeUndefined();
    expect((await sdk.getDeletedSecret(`zs-${secretId}`)).properties.tags).toMatchObject({ "zs-deployment": DEPLOYMENT });
    expect(await keepDeleted.deleteValues(secretId)).toBe(false);
    const calls = await callsOf(() => keepDeleted.putValues(secretId, { k: "new" }));
    expect(calls).toMatchObject({ SetSecret: 2, GetDeletedSecret: 1, RecoverDeletedSecret: 1, PurgeDeletedSecret: 0 });
    expect(await keepDeleted.getValues(secretId)).toEqual({ k: "new" });
  });

  it("a soft-deleted secret of this deployment left by an interrupted delete is purged by the next put or delete", async () => {
    const first = randomUUID();
    const second = randomUUID();
    for (const id of [first, second]) {
      await store.putValues(id, { k: "v" });
      await sdk.beginDeleteSecret(`zs-${id}`);
    }
    const calls = await callsOf(() => store.putValues(first, { k: "again" }));
    expect(calls).toEqual({ ...none, GetSecret: 1, SetSecret: 2, GetDeletedSecret: 1, PurgeDeletedSecret: 1 });
    expect(await store.getValues(first)).toEqual({ k: "again" });
    expect(await store.deleteValues(second)).toBe(false);
    expect(emulator.calls.PurgeDeletedSecret).toBe(2);
    expect(await failure(sdk.getDeletedSecret(`zs-${second}`))).toMatchObject({ statusCode: 404 });
  });

  it("a soft-deleted secret of another deployment is neither purged nor overwritten", async () => {
    const secretId = randomUUID();
    await other.putValues(secretId, { owner: "other" });
    await sdk.beginDeleteSecret(`zs-${secretId}`);
    const error = await failure(store.putValues(secretId, { owner: "me" }));
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/is soft-deleted but still exists and belongs to zs deployment e7f1a3c5-/);
    expect(await store.deleteValues(secretId)).toBe(false);
    expect(emulator.calls.PurgeDeletedSecret).toBe(0);
    expect((await sdk.getDeletedSecret(`zs-${secretId}`)).properties.tags).toMatchObject({ "zs-deployment": OTHER_DEPLOYMENT });
  });

  it("a deletion the service finishes in the background is polled for, briefly, then purged", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    emulator.faults.deletionDelayMs = 300;
    expect(await store.deleteValues(secretId)).toBe(true);
    expect(emulator.calls.GetDeletedSecret).toBeGreaterThanOrEqual(2);
    expect(emulator.calls.PurgeDeletedSecret).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await store.putValues(secretId, { k: "again" });
    expect(await store.getValues(secretId)).toEqual({ k: "again" });
  });

  it("a delete whose check for the deleted secret fails is retried: the retried DeleteSecret finds it gone and the purge follows", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    emulator.faults.onlyOperation = "GetDeletedSecret";
    emulator.faults.failNext = 1;
    expect(await store.deleteValues(secretId)).toBe(true);
    expect(emulator.calls).toMatchObject({ DeleteSecret: 2, GetDeletedSecret: 1, PurgeDeletedSecret: 1 });
    expect(await failure(sdk.getDeletedSecret(`zs-${secretId}`))).toMatchObject({ statusCode: 404 });
  });

  it("ids differing only in case name the same Key Vault secret, as the service ignores case", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId.toUpperCase(), { k: "v" });
    const secret = await sdk.getSecret(`zs-${secretId}`);
    expect(secret.properties.tags?.["zs-secret-id"]).toBe(secretId.toUpperCase());
  });

  it("throttled calls are retried and the operation succeeds", async () => {
    const secretId = randomUUID();
    emulator.faults.throttleNext = 2;
    await store.putValues(secretId, { k: "v" });
    expect(emulator.calls.GetSecret).toBe(3);
    emulator.faults.throttleNext = 1;
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    expect(emulator.calls.GetSecret).toBe(5);
  });

  it("each retry is logged at debug level with the operation, secret name, attempt and Key Vault error code, never the value", async () => {
    const value = `s3cr3t-${randomUUID()}`;
    const logged: { level: string; object: Record<string, unknown>; message: string | undefined }[] = [];
    const entry = (level: string) => (object: Record<string, unknown>, message?: string) => void logged.push({ level, object, message });
    const logging = await createStore(emulator, DEPLOYMENT, {}, { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") });
    const secretId = randomUUID();
    emulator.faults.throttleNext = 2;
    await logging.putValues(secretId, { password: value });
    await logging.close?.();
    expect(logged.map((l) => [l.level, l.message, l.object.store, l.object.operation, l.object.objectName, l.object.attempt, l.object.error])).toEqual([
      ["debug", "retrying a backend call", "azure", "GetSecret", `zs-${secretId}`, 1, "Throttled"],
      ["debug", "retrying a backend call", "azure", "GetSecret", `zs-${secretId}`, 2, "Throttled"],
    ]);
    expect(JSON.stringify(logged)).not.toContain(value);
  });

  it("a throttled call waits at least the Retry-After the service names", async () => {
    emulator.faults.throttleNext = 1;
    emulator.faults.retryAfterSeconds = 1;
    const started = Date.now();
    expect(await store.getValues(randomUUID())).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(emulator.calls.GetSecret).toBe(2);
  });

  it("a Retry-After longer than 2 s is waited only up to the retry policy's 2 s ceiling", async () => {
    emulator.faults.throttleNext = 1;
    emulator.faults.retryAfterSeconds = 30;
    const started = Date.now();
    expect(await store.getValues(randomUUID())).toBeUndefined();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1990);
    expect(elapsed).toBeLessThan(5000);
    expect(emulator.calls.GetSecret).toBe(2);
  });

  it("a dropped connection and a single 5xx are retried", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    emulator.faults.dropNext = 1;
    emulator.faults.failNext = 1;
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    expect(emulator.calls.GetSecret).toBe(4);
  });

  it("added latency slows calls without failing them", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    emulator.faults.latencyMs = 200;
    const started = Date.now();
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(emulator.calls.GetSecret).toBe(2);
  });

  it("persistent 5xx ends in BACKEND_UNAVAILABLE after a bounded number of attempts", async () => {
    emulator.faults.failNext = 100;
    const error = await failure(store.getValues(randomUUID()));
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/^azure: GetSecret of 'zs-.*' failed after 4 attempts: InternalServerError/);
    expect(emulator.calls.GetSecret).toBe(4);
  });

  it("persistent throttling ends in BACKEND_UNAVAILABLE", async () => {
    emulator.faults.throttleNext = 100;
    const error = await failure(store.putValues(randomUUID(), { k: "v" }));
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/Throttled/);
    expect(emulator.calls.GetSecret).toBe(4);
    expect(emulator.calls.SetSecret).toBe(0);
  });

  it("a token endpoint outage is BACKEND_UNAVAILABLE, not a configuration error", async () => {
    const fresh = await createStore(emulator, DEPLOYMENT);
    emulator.faults.tokenFailNext = 1;
    const error = await failure(fresh.getValues(randomUUID()));
    await fresh.close?.();
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/^azure: GetSecret of 'zs-.*' failed after 4 attempts: AuthenticationRequiredError: .*AADSTS90033/);
    // MSAL itself holds back the retries of a 5xx token request (for its Retry-After, else 60 s).
    expect(emulator.authCalls.token).toBe(1);
    expect(emulator.calls.GetSecret).toBe(0);
  });

  it("another deployment's secret: a get reads it in one call; a put or delete is refused and changes nothing", async () => {
    const secretId = randomUUID();
    await other.putValues(secretId, { owner: "other" });
    const before = await sdk.getSecret(`zs-${secretId}`);
    expect(await callsOf(async () => expect(await store.getValues(secretId)).toEqual({ owner: "other" }))).toEqual({ ...none, GetSecret: 1 });
    for (const [attempt, action] of [
      [() => store.putValues(secretId, { owner: "me" }), "overwrite"],
      [() => store.deleteValues(secretId), "delete"],
    ] as const) {
      const error = await failure(attempt());
      expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
      expect((error as Error).message).toMatch(new RegExp(`belongs to zs deployment e7f1a3c5-.*refusing to ${action} it`));
    }
    expect(emulator.calls).toMatchObject({ SetSecret: 1, DeleteSecret: 0, PurgeDeletedSecret: 0 });
    const after = await sdk.getSecret(`zs-${secretId}`);
    expect([after.value, after.properties.version, after.properties.tags]).toEqual([before.value, before.properties.version, before.properties.tags]);
  });

  it("a secret without zs's tags is read like any other, but never overwritten or deleted", async () => {
    const secretId = randomUUID();
    await sdk.setSecret(`zs-${secretId}`, '{"k":"v"}');
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    for (const attempt of [() => store.putValues(secretId, { k: "w" }), () => store.deleteValues(secretId)]) {
      expect(((await failure(attempt())) as Error).message).toMatch(/belongs to something other than zs/);
    }
    expect((await sdk.getSecret(`zs-${secretId}`)).value).toBe('{"k":"v"}');
  });


  it("values whose JSON outgrows 25 KB through escaping are stored compressed and round-trip", async () => {
    const secretId = randomUUID();
    const values = { control: "\u0001".repeat(5000), text: "x".repeat(15000) };
    await store.putValues(secretId, values);
    expect((await sdk.getSecret(`zs-${secretId}`)).properties.contentType).toBe(GZIP_CONTENT_TYPE);
    expect(await store.getValues(secretId)).toEqual(values);
  });

  it("a values map over 25 KB is refused with SECRET_TOO_LARGE before any call", async () => {
    const error = await failure(store.putValues(randomUUID(), { big: "x".repeat(25600) }));
    expect(isZsError(error) && error.code).toBe("SECRET_TOO_LARGE");
    expect((error as Error).message).toMatch(/^azure: the values are 25603 bytes .* at most 25600 \(25 KB\)/);
    expect(emulator.calls).toEqual(none);
  });

  it("a values map under 25 KB that does not fit even compressed is refused before any call", async () => {
    // Random printable text barely compresses, and its escaped quotes and backslashes push the JSON past the limit.
    const printable = Array.from(randomBytes(25000), (b) => String.fromCharCode(0x20 + (b % 95))).join("");
    const error = await failure(store.putValues(randomUUID(), { noise: printable, ctl: "\u0001".repeat(20) }));
    expect(isZsError(error) && error.code).toBe("SECRET_TOO_LARGE");
    expect((error as Error).message).toMatch(/even compressed/);
    expect(emulator.calls).toEqual(none);
  });

  it("a rejected client secret is a CONFIGURATION_ERROR naming the credential options, not retried", async () => {
    const stranger = await createStore(emulator, DEPLOYMENT, { client_secret: "not-the-secret" });
    const error = await failure(stranger.getValues(randomUUID()));
    await stranger.close?.();
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/no token for Key Vault .*invalid_client.*tenant_id, client_id and client_secret/s);
    expect(emulator.authCalls.token).toBe(1);
    expect(emulator.calls).toEqual(none);
  });

  it("a token the vault refuses is a CONFIGURATION_ERROR, not retried", async () => {
    const revoked = await createStore(emulator, DEPLOYMENT, { client_id: OTHER_CLIENT.clientId, client_secret: OTHER_CLIENT.clientSecret });
    await revoked.getValues(randomUUID());
    emulator.revokeTokens(OTHER_CLIENT.clientId);
    const error = await failure(revoked.getValues(randomUUID()));
    await revoked.close?.();
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/Key Vault rejected the token on GetSecret \(Unauthorized\)/);
    expect(emulator.calls.GetSecret).toBe(1);
  });

  it("a vault outside *.vault.azure.net without disable_challenge_resource_verification is a CONFIGURATION_ERROR saying so", async () => {
    const strict = await createStore(emulator, DEPLOYMENT, { disable_challenge_resource_verification: undefined });
    const error = await failure(strict.getValues(randomUUID()));
    await strict.close?.();
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/set disable_challenge_resource_verification=true/);
    expect(emulator.authCalls.token).toBe(0);
  });

  it("check reports an unreachable vault as BACKEND_UNAVAILABLE", async () => {
    const closed = await startEmulator();
    await closed.close();
    const unreachable = await createStore(closed, DEPLOYMENT);
    const error = await failure(unreachable.check!());
    await unreachable.close?.();
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/^azure: .*ECONNREFUSED/);
  });

  it("error messages and logs never carry a secret value", async () => {
    const secretValue = "s3cr3t-value-that-must-not-leak";
    const logged: string[] = [];
    const record = (object: Record<string, unknown>, message?: string) => void logged.push(JSON.stringify(object), message ?? "");
    const logging = await createStore(emulator, DEPLOYMENT, {}, { debug: record, info: record, warn: record, error: record });
    const secretId = randomUUID();
    await other.putValues(secretId, { password: secretValue });
    const messages: string[] = [];
    for (const attempt of [
      () => logging.putValues(secretId, { password: secretValue }),
      () => logging.deleteValues(secretId),
      () => {
        emulator.faults.failNext = 100;
        return logging.putValues(randomUUID(), { password: secretValue });
      },
      () => logging.putValues(randomUUID(), { password: secretValue, big: "x".repeat(30000) }),
    ]) {
      const error = await failure(attempt());
      messages.push(String(error), JSON.stringify((error as { details?: unknown }).details ?? {}));
    }
    emulator.faults.failNext = 0;
    await logging.close?.();
    expect(messages).toHaveLength(8);
    expect(logged.length).toBeGreaterThan(0);
    expect([...messages, ...logged].join("\n")).not.toContain(secretValue);
  });
});

describe("azure store versions (secret versions, disabled beyond the retention)", () => {
  const backendVersionOf = (result: unknown) => (result as { backendVersion: string }).backendVersion;

  /** Every version of the secret: its id and whether it is enabled, as `az keyvault secret list-versions` shows them. */
  async function versionStates(secretId: string): Promise<Map<string, boolean>> {
    const states = new Map<string, boolean>();
    for await (const properties of sdk.listPropertiesOfSecretVersions(`zs-${secretId}`)) states.set(properties.version ?? "", properties.enabled !== false);
    return states;
  }

  it("versioned puts keep the `keep` newest earlier versions enabled and disable older ones; each reads back by its backendVersion, a disabled one as absent", async () => {
    const secretId = randomUUID();
    const written: string[] = [];
    for (let version = 1; version <= 4; version++) {
      written.push(backendVersionOf(await store.putValues(secretId, { n: String(version) }, undefined, { version, keep: 2 })));
    }
    for (const backendVersion of written) expect(backendVersion).toMatch(/^azure:[0-9a-f]{32}$/);
    const states = await versionStates(secretId);
    expect(written.map((v) => states.get(v.slice("azure:".length)))).toEqual([false, true, true, true]);
    expect(await Promise.all(written.map((backendVersion) => store.getValues(secretId, { backendVersion })))).toEqual([undefined, { n: "2" }, { n: "3" }, { n: "4" }]);
    const latest = await sdk.getSecret(`zs-${secretId}`);
    expect([latest.properties.tags?.["zs-kept-0"], latest.value]).toEqual([`${written[2]!.slice(6)},${written[1]!.slice(6)}`, '{"n":"4"}']);
  });

  it("calls: a versioned put is GetSecret + SetSecret, plus one UpdateSecretProperties per version disabled; a version read one GetSecret", async () => {
    const secretId = randomUUID();
    expect(await callsOf(() => store.putValues(secretId, { n: "1" }, { isNew: true }, { version: 1, keep: 1 }))).toEqual({ ...none, GetSecret: 1, SetSecret: 1 });
    expect(await callsOf(() => store.putValues(secretId, { n: "2" }, undefined, { version: 2, keep: 1 }))).toEqual({ ...none, GetSecret: 1, SetSecret: 1 });
    let third: unknown;
    expect(
      await callsOf(async () => {
        third = await store.putValues(secretId, { n: "3" }, undefined, { version: 3, keep: 1 });
      }),
    ).toEqual({ ...none, GetSecret: 1, SetSecret: 1, UpdateSecretProperties: 1 });
    expect(await callsOf(() => store.getValues(secretId, { backendVersion: backendVersionOf(third) }))).toEqual({ ...none, GetSecret: 1 });
  });

  it("keep 0 disables the superseded version at once; a put without VersionedWrite disables nothing and carries the kept list forward", async () => {
    const secretId = randomUUID();
    const first = backendVersionOf(await store.putValues(secretId, { n: "1" }, undefined, { version: 1, keep: 0 }));
    const second = backendVersionOf(await store.putValues(secretId, { n: "2" }, undefined, { version: 2, keep: 0 }));
    expect(await store.getValues(secretId, { backendVersion: first })).toBeUndefined();
    await store.putValues(secretId, { n: "copy" });
    expect(await store.getValues(secretId, { backendVersion: second })).toEqual({ n: "2" });
    // The next versioned put prunes what the copy carried forward.
    await store.putValues(secretId, { n: "4" }, undefined, { version: 4, keep: 0 });
    expect(await store.getValues(secretId, { backendVersion: second })).toBeUndefined();
    expect(await store.getValues(secretId)).toEqual({ n: "4" });
  });

  it(`the kept list spans several tags and holds at most ${AZURE_MAX_KEPT_VERSIONS} versions (Key Vault's 15 tags of 256 characters)`, async () => {
    const secretId = randomUUID();
    const written: string[] = [];
    for (let version = 1; version <= 10; version++) written.push(backendVersionOf(await store.putValues(secretId, { n: String(version) }, undefined, { version, keep: 500 })));
    const latest = await sdk.getSecret(`zs-${secretId}`);
    expect(Object.keys(latest.properties.tags ?? {}).sort()).toEqual(["zs-deployment", "zs-kept-0", "zs-kept-1", "zs-secret-id"]);
    expect(await Promise.all(written.map((backendVersion) => store.getValues(secretId, { backendVersion })))).toEqual(written.map((_, i) => ({ n: String(i + 1) })));
    expect(AZURE_MAX_KEPT_VERSIONS).toBe(91);
  });

  it("a backendVersion that is not this store's, or names no version, reads as absent", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { n: "1" }, undefined, { version: 1, keep: 10 });
    expect(await callsOf(async () => expect(await store.getValues(secretId, { backendVersion: "aws:x" })).toBeUndefined())).toEqual(none);
    expect(await store.getValues(secretId, { backendVersion: `azure:${"0".repeat(32)}` })).toBeUndefined();
    expect(await store.getValues(randomUUID(), { backendVersion: `azure:${"0".repeat(32)}` })).toBeUndefined();
  });

  it("when disabling a superseded version keeps failing, the put stands and a warning names the version, not the value", async () => {
    const value = `s3cr3t-${randomUUID()}`;
    const logged: { level: string; object: Record<string, unknown> }[] = [];
    const entry = (level: string) => (object: Record<string, unknown>) => void logged.push({ level, object });
    const logging = await createStore(emulator, DEPLOYMENT, {}, { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") });
    const secretId = randomUUID();
    const first = backendVersionOf(await logging.putValues(secretId, { password: value }, undefined, { version: 1, keep: 0 }));
    emulator.faults.onlyOperation = "UpdateSecretProperties";
    emulator.faults.failNext = 100;
    await logging.putValues(secretId, { password: `${value}-2` }, undefined, { version: 2, keep: 0 });
    emulator.faults.failNext = 0;
    await logging.close?.();
    expect(await store.getValues(secretId)).toEqual({ password: `${value}-2` });
    expect(logged.filter((l) => l.level === "warn").map((l) => [l.object.operation, l.object.version])).toEqual([["UpdateSecretProperties", first.slice(6)]]);
    expect(JSON.stringify(logged)).not.toContain(value);
  });
});

