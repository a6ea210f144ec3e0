import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client, isZsError } from "../src/index.js";

let root: string;
const envFor = (name: string) => ({ ZS_HOME: path.join(root, name, "home"), XDG_CONFIG_HOME: path.join(root, name, "config") });
const clientFor = (name: string, options: { workspace?: string } = {}) => new Client({ env: envFor(name), ...options });
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-client-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("Client in local mode", () => {
  let client: Client;
  beforeAll(() => {
    client = clientFor("basic");
  });
  afterAll(() => client.close());

  it("creates its store on first use, with a 0600 key file beside the database", async () => {
    const created = await client.createSecret("db", { user: "admin", password: "pw-1" });
    expect(created).toMatchObject({ name: "db", scope: "workspace", workspace: "default", user: "default", version: 1 });
    const home = envFor("basic").ZS_HOME;
    expect((await stat(path.join(home, "encryption.key"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(home, "zs.db"))).isFile()).toBe(true);
  });

  it("getSecret returns typed values; listSecrets carries none", async () => {
    expect((await client.getSecret("db")).values.password).toBe("pw-1");
    const page = await client.listSecrets({ name: "startswith:d" });
    expect(page.total).toBe(1);
    expect(page.items[0]).not.toHaveProperty("values");
  });

  it("updateSecret merges; removeKeys removes existing keys and refuses missing ones", async () => {
    const updated = await client.updateSecret("db", { values: { host: "h" }, removeKeys: ["user"] });
    expect(updated.values).toEqual({ password: "pw-1", host: "h" });
    const error = await failure(client.updateSecret("db", { removeKeys: ["nope"] }));
    expect(isZsError(error) && error.message).toBe("Cannot remove key 'nope' from secret 'db': no such key.");
    expect((await client.getSecret("db")).version).toBe(2);
  });

  it("a second client on the same home sees the same secrets (the store persists)", async () => {
    const other = clientFor("basic");
    try {
      expect((await other.getSecret("db")).values).toEqual({ password: "pw-1", host: "h" });
    } finally {
      await other.close();
    }
  });

  it("deleteSecret removes it; a later get is SECRET_NOT_FOUND", async () => {
    await client.createSecret("gone", { k: "v" });
    await client.deleteSecret("gone");
    const error = await failure(client.getSecret("gone"));
    expect(isZsError(error) && error.code).toBe("SECRET_NOT_FOUND");
  });

  it("status reports local mode, the home, the user, the workspace and the store", async () => {
    expect(await client.status()).toEqual({
      mode: "local",
      home: envFor("basic").ZS_HOME,
      user: "default",
      workspace: "default",
      store: { type: "sql", capabilities: { maxValueBytes: 65536, storedWithMetadata: true, versioned: true } },
    });
  });
});

describe("Client workspaces", () => {
  it("setActiveWorkspace is remembered by later clients and refuses unknown workspaces", async () => {
    const first = clientFor("ws");
    await first.createWorkspace("team");
    await first.setActiveWorkspace("team");
    await first.createSecret("in_team", { k: "v" });
    const error = await failure(first.setActiveWorkspace("missing"));
    expect(isZsError(error) && error.code).toBe("WORKSPACE_NOT_FOUND");
    await first.close();

    const second = clientFor("ws");
    expect(await second.activeWorkspace()).toBe("team");
    expect((await second.getSecret("in_team")).workspace).toBe("team");
    await second.close();

    const pinned = clientFor("ws", { workspace: "default" });
    expect(isZsError(await failure(pinned.getSecret("in_team")))).toBe(true);
    await pinned.close();
  });
});

describe("Client key rotation", () => {
  it("re-encrypts every value under a new key and leaves only that key in the key file", async () => {
    const client = clientFor("rotate");
    for (let i = 0; i < 12; i++) await client.createSecret(`s${i}`, { v: `value-${i}` });
    const home = envFor("rotate").ZS_HOME;
    const before = (await readFile(path.join(home, "encryption.key"), "utf8")).trim();
    const seen: number[] = [];
    const result = await client.rotateEncryptionKey((p) => seen.push(p.done));
    // 12 current values and each secret's kept version 1 (history).
    expect(result.done).toBe(24);
    expect(seen.at(-1)).toBe(24);
    const after = (await readFile(path.join(home, "encryption.key"), "utf8")).trim().split("\n");
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    for (let i = 0; i < 12; i++) expect((await client.getSecret(`s${i}`)).values.v).toBe(`value-${i}`);
    await client.close();
  });

  it("resumes after an interruption: the next run finishes and drops the old key", async () => {
    const client = clientFor("resume");
    for (let i = 0; i < 3; i++) await client.createSecret(`s${i}`, { v: `value-${i}` });
    const interrupted = await failure(
      client.rotateEncryptionKey(() => {
        throw new Error("interrupted");
      }),
    );
    expect((interrupted as Error).message).toBe("interrupted");
    const home = envFor("resume").ZS_HOME;
    expect((await readFile(path.join(home, "encryption.key"), "utf8")).trim().split("\n")).toHaveLength(2);
    expect((await client.getSecret("s1")).values.v).toBe("value-1");
    const result = await client.rotateEncryptionKey();
    // The interrupted run did the current values (one batch); the kept versions of history were left.
    expect(result.done).toBe(3);
    expect((await readFile(path.join(home, "encryption.key"), "utf8")).trim().split("\n")).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect((await client.getSecret(`s${i}`)).values.v).toBe(`value-${i}`);
    await client.close();
  });
});
