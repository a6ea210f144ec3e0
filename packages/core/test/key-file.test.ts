import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KEY_FILE_NAME, KeyRing, generateEncryptionKey, keyFingerprint, loadEncryptionKeys, type EncryptionKey } from "../src/index.js";
import { rejection } from "./support/thrown.js";

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-key-file-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh, not yet existing data dir per test. */
function dataDir(): string {
  counter += 1;
  return path.join(root, `data-${counter}`, "nested");
}

describe("loadEncryptionKeys", () => {
  it("generates encryption.key with mode 0600 on the first call, creating the data dir", async () => {
    const dir = dataDir();
    const keys = await loadEncryptionKeys(undefined, dir);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.key).toHaveLength(32);
    expect(keys[0]!.id).toBe(keyFingerprint(keys[0]!.key));
    const file = path.join(dir, KEY_FILE_NAME);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, "utf8")).trim()).toBe(keys[0]!.key.toString("base64"));
  });

  it("the data dir it creates is private to the owner", async () => {
    const dir = dataDir();
    await loadEncryptionKeys(undefined, dir);
    expect((await stat(dir)).mode & 0o077).toBe(0);
  });

  it("returns the same key on the second call", async () => {
    const dir = dataDir();
    const first = await loadEncryptionKeys(undefined, dir);
    const second = await loadEncryptionKeys(undefined, dir);
    expect(second[0]!.key.equals(first[0]!.key)).toBe(true);
    expect(second[0]!.id).toBe(first[0]!.id);
  });

  it("leaves no draft files beside the key", async () => {
    const dir = dataDir();
    await loadEncryptionKeys(undefined, dir);
    expect(await readdir(dir)).toEqual([KEY_FILE_NAME]);
  });

  it("the generated key encrypts and decrypts", async () => {
    const ring = new KeyRing(await loadEncryptionKeys(undefined, dataDir()));
    expect(await ring.decrypt(await ring.encrypt("v", "id"), "id")).toBe("v");
  });

  it("configured keys win: no file is read or written", async () => {
    const dir = dataDir();
    const configured: EncryptionKey[] = [{ id: "configured", key: Buffer.alloc(32, 7) }];
    expect(await loadEncryptionKeys(configured, dir)).toBe(configured);
    await expect(stat(dir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("reads a key file someone wrote, trailing newline or not", async () => {
    const dir = await mkdtemp(path.join(root, "written-"));
    const text = generateEncryptionKey();
    await writeFile(path.join(dir, KEY_FILE_NAME), text, { mode: 0o600 });
    const [key] = await loadEncryptionKeys(undefined, dir);
    expect(key!.key.toString("base64")).toBe(text);
  });

  it.each([
    ["not base64", "this is not a key\n"],
    ["a short key", `${Buffer.alloc(16, 1).toString("base64")}\n`],
    ["a truncated key", generateEncryptionKey().slice(0, 20)],
    ["empty", ""],
    ["only whitespace", "\n\n"],
  ])("a damaged key file (%s) is CONFIGURATION_ERROR naming the file", async (_, content) => {
    const dir = await mkdtemp(path.join(root, "damaged-"));
    const file = path.join(dir, KEY_FILE_NAME);
    await writeFile(file, content, { mode: 0o600 });
    const error = await rejection(loadEncryptionKeys(undefined, dir));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toContain(file);
    expect(error.message).toContain("damaged");
    // The damaged file is left alone for a person to look at, never silently replaced.
    expect(await readFile(file, "utf8")).toBe(content);
  });

  it("two concurrent first calls agree on one key", async () => {
    const dir = dataDir();
    const [a, b] = await Promise.all([loadEncryptionKeys(undefined, dir), loadEncryptionKeys(undefined, dir)]);
    expect(a[0]!.key.equals(b[0]!.key)).toBe(true);
    expect(await readdir(dir)).toEqual([KEY_FILE_NAME]);
  });

  it("many concurrent first calls agree on one key", async () => {
    const dir = dataDir();
    const results = await Promise.all(Array.from({ length: 16 }, () => loadEncryptionKeys(undefined, dir)));
    expect(new Set(results.map((keys) => keys[0]!.key.toString("base64"))).size).toBe(1);
    expect(await readdir(dir)).toEqual([KEY_FILE_NAME]);
  });
});
