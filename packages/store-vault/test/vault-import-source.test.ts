import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openImportSource, silentLogger, type ImportSource } from "@zs/core";
import { startVaultEmulator, type VaultEmulator } from "@zs/emulators";
import nodeVault from "node-vault";
import vaultStore, { vaultImportSource } from "../src/index.js";

let emulator: VaultEmulator;
let raw: nodeVault.client;
let source: ImportSource;
const context = { logger: silentLogger, configDir: process.cwd() };
const open = (extra: Record<string, string> = {}) =>
  openImportSource(vaultStore, vaultImportSource, { vault_addr: emulator.address, vault_token: emulator.token, ...extra }, context);

beforeAll(async () => {
  emulator = await startVaultEmulator({ mounts: ["secret", "kv"] });
  raw = nodeVault({ endpoint: emulator.address, token: emulator.token });
  for (const [path, data] of Object.entries({
    "apps/web/db": { user: "web", password: "pw" },
    "apps/web/api/key": { value: "k" },
    "apps/worker": { token: "t" },
    "apps-old/x": { a: "1" },
    top: { b: "2" },
    "zs/0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34": { values: "{}", "zs-deployment": "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70" },
  })) {
    await raw.write(`secret/data/${path}`, { data });
  }
  source = await open();
});

afterAll(async () => {
  await source?.close();
  await emulator?.close();
});

describe("vaultImportSource", () => {
  it("lists every path of the mount, recursively; what lies under zs/ is the vault store's own", async () => {
    expect(await source.list("")).toEqual([
      { externalName: "apps-old/x" },
      { externalName: "apps/web/api/key" },
      { externalName: "apps/web/db" },
      { externalName: "apps/worker" },
      { externalName: "top" },
      { externalName: "zs/0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34", skipReason: "created by zs" },
    ]);
  });

  it("with a prefix, lists only the directories that can hold matches", async () => {
    const before = emulator.calls.listMetadata;
    expect(await source.list("apps/web/")).toEqual([{ externalName: "apps/web/api/key" }, { externalName: "apps/web/db" }]);
    expect(emulator.calls.listMetadata - before).toBe(2);
    expect(await source.list("apps")).toHaveLength(4);
    expect(await source.list("nothing/here/")).toEqual([]);
  });

  it("reads a path's data fields, which become keys as they are", async () => {
    expect(await source.read("apps/web/db")).toEqual({ kind: "map", map: { user: "web", password: "pw" } });
  });

  it("a path elsewhere whose custom_metadata names a zs deployment, or holding zs's legacy envelope, is zs's own: skipped on reading", async () => {
    await raw.write("secret/data/moved/tagged", { data: { password: "pw" } });
    await raw.write("secret/metadata/moved/tagged", { custom_metadata: { "zs-deployment": "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70" } });
    await raw.write("secret/data/moved/envelope", { data: { values: '{"k":"v"}', "zs-deployment": "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70" } });
    await raw.write("secret/metadata/moved/other-tags", { custom_metadata: { team: "a" } });
    await raw.write("secret/data/moved/other-tags", { data: { k: "v" } });
    expect(await source.read("moved/tagged")).toEqual({ kind: "skip", reason: "created by zs" });
    expect(await source.read("moved/envelope")).toEqual({ kind: "skip", reason: "created by zs" });
    expect(await source.read("moved/other-tags")).toEqual({ kind: "map", map: { k: "v" } });
  });

  it("a path whose current version is deleted is a NOT_FOUND naming it", async () => {
    await raw.write("secret/data/deleted", { data: { k: "v" } });
    await raw.delete("secret/data/deleted");
    await expect(source.read("deleted")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "vault: secret/data/deleted has no current version (deleted, or deleted after it was listed).",
    });
  });

  it("another mount is read with mount_point", async () => {
    await raw.write("kv/data/team/a", { data: { k: "v" } });
    const other = await open({ mount_point: "kv" });
    expect(await other.list("")).toEqual([{ externalName: "team/a" }]);
  });

  it("a token Vault refuses: a configuration error naming the options and the policy to check, never the token", async () => {
    const refused = await open({ vault_token: "wrong-token-value" });
    const error = (await refused.list("").catch((e: unknown) => e)) as Error & { code?: string };
    expect(error).toMatchObject({ code: "CONFIGURATION_ERROR" });
    expect(error.message).toMatch(/^vault: permission denied to list secret\/metadata\/ at http:\/\/127\.0\.0\.1:\d+\. Check vault_token and vault_namespace/);
    expect(error.message).not.toContain("wrong-token-value");
  });

  it("a mount that is not there: a configuration error pointing at mount_point", async () => {
    const missing = await open({ mount_point: "nope" });
    await expect(missing.list("")).rejects.toMatchObject({ code: "CONFIGURATION_ERROR", message: expect.stringContaining("Set mount_point.") });
  });

  it("5xx answers are retried", async () => {
    emulator.faults.failNext(2);
    expect(await source.read("top")).toEqual({ kind: "map", map: { b: "2" } });
  });
});
