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
