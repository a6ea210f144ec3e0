import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import nodeVault from "node-vault";
import { startVaultEmulator, type VaultEmulator } from "../src/index.js";

function statusOf(error: unknown): number | undefined {
  return (error as { response?: { statusCode?: number } }).response?.statusCode;
}

describe("vault KV v2 emulator, through node-vault", () => {
  let emulator: VaultEmulator;
  let vault: nodeVault.client;

  beforeAll(async () => {
    emulator = await startVaultEmulator();
    vault = nodeVault({ endpoint: emulator.address, token: emulator.token });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it("writes, reads with its version, and deletes all versions through the metadata route", async () => {
    const written = await vault.write("secret/data/app/db", { data: { password: "pw" } });
    expect(written.data.version).toBe(1);
    const read = await vault.read("secret/data/app/db");
    expect(read.data).toMatchObject({ data: { password: "pw" }, metadata: { version: 1 } });
    await vault.delete("secret/metadata/app/db");
    expect(statusOf(await vault.read("secret/data/app/db").catch((e: unknown) => e))).toBe(404);
  });

  it("reads an earlier version with ?version=N; a key keeps 10 versions by default and removes older ones on write (plain 404)", async () => {
    for (let i = 1; i <= 12; i++) await vault.write("secret/data/versions/default", { data: { n: String(i) } });
    const third = await vault.read("secret/data/versions/default?version=3");
    expect(third.data).toMatchObject({ data: { n: "3" }, metadata: { version: 3 } });
    expect(third.data.metadata.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const removed = await vault.read("secret/data/versions/default?version=2").catch((e: unknown) => e);
    expect(statusOf(removed)).toBe(404);
    expect((removed as { response: { body: unknown } }).response.body).toEqual({ errors: [] });
    const metadata = await vault.read("secret/metadata/versions/default");
    expect([metadata.data.current_version, metadata.data.oldest_version, metadata.data.max_versions]).toEqual([12, 3, 0]);
    expect(Object.keys(metadata.data.versions)).toHaveLength(10);
  });

  it("max_versions in a key's metadata bounds its versions from the next write on; a metadata write leaves fields it does not name", async () => {
    await vault.write("secret/data/versions/bounded", { data: { n: "1" } });
    await vault.write("secret/metadata/versions/bounded", { custom_metadata: { owner: "me" } });
    await vault.write("secret/data/versions/bounded", { data: { n: "2" } });
    await vault.write("secret/data/versions/bounded", { data: { n: "3" } });
    await vault.write("secret/metadata/versions/bounded", { max_versions: 2 });
    // Lowering it removes nothing by itself.
    expect((await vault.read("secret/data/versions/bounded?version=1")).data.data).toEqual({ n: "1" });
    await vault.write("secret/data/versions/bounded", { data: { n: "4" } });
    expect(statusOf(await vault.read("secret/data/versions/bounded?version=2").catch((e: unknown) => e))).toBe(404);
    expect((await vault.read("secret/data/versions/bounded?version=3")).data.data).toEqual({ n: "3" });
    const metadata = await vault.read("secret/metadata/versions/bounded");
    expect([metadata.data.max_versions, metadata.data.oldest_version, metadata.data.custom_metadata]).toEqual([2, 3, { owner: "me" }]);
    expect(statusOf(await vault.write("secret/metadata/versions/bounded", { max_versions: -1 }).catch((e: unknown) => e))).toBe(400);
  });

  it("a mount's own max_versions wins when it is larger than the key's, as in Vault", async () => {
    const mountWide = await startVaultEmulator({ mountMaxVersions: 5 });
    try {
      const client = nodeVault({ endpoint: mountWide.address, token: mountWide.token });
      await client.write("secret/metadata/k", { max_versions: 2 });
      for (let i = 1; i <= 6; i++) await client.write("secret/data/k", { data: { n: String(i) } });
      expect(statusOf(await client.read("secret/data/k?version=1").catch((e: unknown) => e))).toBe(404);
      expect((await client.read("secret/data/k?version=2")).data.data).toEqual({ n: "2" });
    } finally {
      await mountWide.close();
    }
  });

  it("check-and-set: cas 0 only creates, cas N only replaces version N", async () => {
    await vault.write("secret/data/cas", { data: { v: "1" }, options: { cas: 0 } });
    const conflict = await vault.write("secret/data/cas", { data: { v: "x" }, options: { cas: 0 } }).catch((e: unknown) => e);
    expect(statusOf(conflict)).toBe(400);
    expect((conflict as Error).message).toBe("check-and-set parameter did not match the current version");
    await vault.write("secret/data/cas", { data: { v: "2" }, options: { cas: 1 } });
    expect((await vault.read("secret/data/cas")).data.metadata.version).toBe(2);
  });

  it("lists the keys under a metadata path (GET ?list=true): names, and sub-directories ending in /", async () => {
    for (const path of ["tree/a", "tree/b/c", "tree/b/d/e", "treetop"]) await vault.write(`secret/data/${path}`, { data: { k: "v" } });
    const list = nodeVault({ endpoint: emulator.address, token: emulator.token, noCustomHTTPVerbs: true });
    expect((await list.list("secret/metadata/tree")).data.keys).toEqual(["a", "b/"]);
    expect((await list.list("secret/metadata/tree/b/")).data.keys).toEqual(["c", "d/"]);
    expect((await list.list("secret/metadata")).data.keys).toEqual(expect.arrayContaining(["tree/", "treetop"]));
    expect(statusOf(await list.list("secret/metadata/nothing-here").catch((e: unknown) => e))).toBe(404);
    expect(emulator.calls.listMetadata).toBeGreaterThanOrEqual(4);
  });

  it("a metadata write sets custom_metadata, which reads of the data and of the metadata carry", async () => {
    await vault.write("secret/data/tagged", { data: { k: "v" } });
    expect((await vault.read("secret/data/tagged")).data.metadata.custom_metadata).toBeNull();
    await vault.write("secret/metadata/tagged", { custom_metadata: { owner: "team-a", count: 3 } });
    expect((await vault.read("secret/data/tagged")).data).toMatchObject({
      data: { k: "v" },
      metadata: { version: 1, custom_metadata: { owner: "team-a", count: "3" } },
    });
    expect((await vault.read("secret/metadata/tagged")).data).toMatchObject({ current_version: 1, custom_metadata: { owner: "team-a", count: "3" } });
    // The map is replaced whole; a write without custom_metadata leaves it as it was.
    await vault.write("secret/metadata/tagged", { custom_metadata: { owner: "team-b" } });
    await vault.write("secret/metadata/tagged", { max_versions: 5 });
    expect((await vault.read("secret/data/tagged")).data.metadata.custom_metadata).toEqual({ owner: "team-b" });
    expect(emulator.calls.writeMetadata).toBeGreaterThanOrEqual(3);
  });

  it("a metadata write on a new path creates the key without versions: its data reads 404 and check-and-set 0 still creates", async () => {
    await vault.write("secret/metadata/metadata-first", { custom_metadata: { owner: "team-a" } });
    expect(statusOf(await vault.read("secret/data/metadata-first").catch((e: unknown) => e))).toBe(404);
    await vault.write("secret/data/metadata-first", { data: { k: "v" }, options: { cas: 0 } });
    expect((await vault.read("secret/data/metadata-first")).data.metadata).toMatchObject({ version: 1, custom_metadata: { owner: "team-a" } });
  });

  it("refuses custom_metadata Vault refuses: an empty value, a nested map", async () => {
    for (const custom_metadata of [{ owner: "" }, { owner: { nested: "x" } }]) {
      const error = await vault.write("secret/metadata/refused", { custom_metadata }).catch((e: unknown) => e);
      expect(statusOf(error)).toBe(400);
      expect((error as Error).message).toMatch(/^custom_metadata validation failed/);
    }
  });

  it("a fault aimed at one operation fails only that operation's requests", async () => {
    emulator.faults.failNext(1, 503, "writeMetadata");
    await vault.write("secret/data/aimed", { data: { k: "v" } });
    expect((await vault.read("secret/data/aimed")).data.data).toEqual({ k: "v" });
    expect(statusOf(await vault.write("secret/metadata/aimed", { custom_metadata: { owner: "a" } }).catch((e: unknown) => e))).toBe(503);
    await vault.write("secret/metadata/aimed", { custom_metadata: { owner: "a" } });
    expect((await vault.read("secret/data/aimed")).data.metadata.custom_metadata).toEqual({ owner: "a" });
  });

  it("refuses a wrong token with 403 permission denied", async () => {
    const other = nodeVault({ endpoint: emulator.address, token: "wrong" });
    const error = await other.read("secret/data/app/db").catch((e: unknown) => e);
    expect(statusOf(error)).toBe(403);
    expect((error as Error).message).toBe("permission denied");
  });

  it("counts calls per operation and injects 503s, dropped connections and latency", async () => {
    emulator.reset();
    emulator.faults.failNext(1);
    expect(statusOf(await vault.read("secret/data/x").catch((e: unknown) => e))).toBe(503);
    emulator.faults.dropNext(1);
    expect(statusOf(await vault.read("secret/data/x").catch((e: unknown) => e))).toBeUndefined();
    emulator.faults.setLatency(50);
    const started = Date.now();
    await vault.write("secret/data/x", { data: { k: "v" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(emulator.calls).toMatchObject({ readData: 2, writeData: 1, deleteMetadata: 0 });
  });
});
