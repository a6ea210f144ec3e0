import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { startVaultEmulator, type VaultEmulator, type VaultKvOperation, withCallCounts } from "@zs/emulators";
import { expectError, uniqueName, useZsHarness, type WirePage, type WireSecret, type ZsResult } from "./support/zs-process.js";

// The built `zs` with its values in Vault: the metadata stays in the local SQLite store, each
// secret's values go to the KV v2 emulator through the bundled @zs/store-vault and node-vault,
// configured only through the ordinary ZS_SECRETS_STORE_* variables.

describe("zs with ZS_SECRETS_STORE_TYPE=vault, against the Vault KV v2 emulator", () => {
  const zs = useZsHarness();
  let emulator: VaultEmulator;
  let vaultEnv: Record<string, string>;

  beforeAll(async () => {
    emulator = await startVaultEmulator();
    vaultEnv = { ZS_SECRETS_STORE_TYPE: "vault", ZS_SECRETS_STORE_VAULT_ADDR: emulator.address, ZS_SECRETS_STORE_VAULT_TOKEN: emulator.token };
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.faults.failNext(0);
    emulator.faults.dropNext(0);
  });

  /** Runs `zs ARGS` on the vault store; resolves with its result and the emulator calls it made, per operation. */
  function vaultRun(args: string[], extraEnv: Record<string, string> = {}): Promise<{ result: ZsResult; calls: Partial<Record<VaultKvOperation, number>> }> {
    return withCallCounts(() => emulator.calls, () => zs.run(args, { env: { ...vaultEnv, ...extraEnv } }));
  }

  /** A secret's KV v2 data and custom_metadata as Vault holds them, or the HTTP status when there are none. */
  async function vaultData(secretId: string): Promise<{ data: Record<string, unknown>; customMetadata: Record<string, string> | null } | number> {
    const response = await fetch(`${emulator.address}/v1/secret/data/zs/${secretId}`, { headers: { "X-Vault-Token": emulator.token } });
    if (!response.ok) return response.status;
    const { data } = (await response.json()) as { data: { data: Record<string, unknown>; metadata: { custom_metadata: Record<string, string> | null } } };
    return { data: data.data, customMetadata: data.metadata.custom_metadata };
  }

  it("create, get, list and delete work end to end; the values live in Vault, not in the local database", async () => {
    const name = uniqueName("db");
    const password = `pw-${uniqueName()}`;

    const created = await vaultRun(["secret", "create", name, "--user=admin", `--password=${password}`]);
    expect(created.result).toMatchObject({ code: 0, stderr: "" });
    expect(created.result.stdout).toContain(`Secret '${name}' created.`);
    // zs hints a create as new: a check-and-set 0 write straight away, no read first, then the tag.
    expect(created.calls).toEqual({ writeData: 1, writeMetadata: 1 });

    const got = await vaultRun(["secret", "get", name, "-o", "json"]);
    expect(got.result).toMatchObject({ code: 0, stderr: "" });
    const secret = JSON.parse(got.result.stdout) as WireSecret;
    expect(secret.values).toEqual({ user: "admin", password });
    expect(got.calls).toEqual({ readData: 1 });

    const stored = await vaultData(secret.id);
    // One field per key; the deployment is custom_metadata.
    expect(stored).toEqual({
      data: { user: "admin", password },
      customMetadata: { "zs-deployment": expect.stringMatching(/^[0-9a-f-]{36}$/), "zs-max-versions": "11", "zs-secret-id": secret.id },
    });
    expect(await readFile(path.join(zs.home!, "zs.db"))).not.toContain(Buffer.from(password));

    const listed = await vaultRun(["secret", "list", "-o", "json"]);
    expect(listed.result).toMatchObject({ code: 0, stderr: "" });
    expect((JSON.parse(listed.result.stdout) as WirePage<WireSecret>).items.map((item) => item.name)).toContain(name);
    expect(listed.calls).toEqual({});

    // A delete is soft: the values stay in the backend, untouched, until the recovery window ends.
    const softDeleted = await vaultRun(["secret", "delete", name, "--yes"]);
    expect(softDeleted.result).toMatchObject({ code: 0, stderr: "" });
    expect(softDeleted.calls).toEqual({});
    expect(await vaultData(secret.id)).toEqual(stored);
    expect((await vaultRun(["secret", "get", name])).result.code).toBe(1);
    const recovered = await vaultRun(["secret", "recover", name]);
    expect(recovered.result).toMatchObject({ code: 0, stderr: "" });
    expect(recovered.calls).toEqual({});
    expect(JSON.parse((await vaultRun(["secret", "get", name, "-o", "json"])).result.stdout).values).toEqual({ user: "admin", password });

    const deleted = await vaultRun(["secret", "delete", name, "--purge", "--yes"]);
    expect(deleted.result).toMatchObject({ code: 0, stderr: "" });
    expect(deleted.calls).toEqual({ readData: 1, deleteMetadata: 1 });
    expect(await vaultData(secret.id)).toBe(404);
    expect((await vaultRun(["secret", "get", name])).result.code).toBe(1);
  });

  it("zs status names the vault store and its capabilities, without calling Vault", async () => {
    const { result, calls } = await vaultRun(["status"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^Store\s+vault \(maxValueBytes=65536, versioned=true, compareAndSet=true\)$/m);
    expect(calls).toEqual({});
  });

  it("Vault failing with 503 makes create fail after bounded retries: exit 1, no value printed, no secret left behind", async () => {
    const name = uniqueName("down");
    const password = `pw-${uniqueName()}`;
    emulator.faults.failNext(1000, 503);
    const { result, calls } = await vaultRun(["secret", "create", name, `--password=${password}`]);
    emulator.faults.failNext(0);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: vault: secret\/data\/zs\/[0-9a-f-]+ at http:\/\/127\.0\.0\.1:\d+ unavailable after 4 attempt\(s\): status 503/);
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(calls).toEqual({ writeData: 4 });
    const listed = await vaultRun(["secret", "list", "-o", "json"]);
    expect((JSON.parse(listed.result.stdout) as WirePage<WireSecret>).items.map((item) => item.name)).not.toContain(name);
  });

  it("an option vault does not take is a configuration error naming the allowed ones", async () => {
    const { result, calls } = await vaultRun(["secret", "list"], { ZS_SECRETS_STORE_REGION: "eu-west-1" });
    expectError(
      result,
      "Invalid options for values store 'vault': unknown field 'region'. Allowed options: vault_addr, vault_token, vault_namespace, mount_point. " +
        "Options are set with ZS_SECRETS_STORE_<OPTION>.",
    );
    expect(calls).toEqual({});
  });
});
