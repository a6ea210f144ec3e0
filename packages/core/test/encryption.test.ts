import { randomBytes, webcrypto } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import {
  KeyRing,
  ZsError,
  createKeySentinel,
  generateEncryptionKey,
  keyFingerprint,
  parseEncryptionKeys,
  verifyKeySentinel,
  type EncryptionKey,
} from "../src/index.js";
import { rejection } from "./support/thrown.js";

const SECRET_ID = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";
const OTHER_ID = "7d1c0b2a-5e6f-4a3b-9c8d-0e1f2a3b4c5d";
const PLAINTEXT = JSON.stringify({ password: "correct-horse-battery-staple" });

function newKey(id?: string): EncryptionKey {
  const key = randomBytes(32);
  return { id: id ?? keyFingerprint(key), key };
}

function tamper(stored: string, byteIndex: number): string {
  const [version, keyId, payload] = stored.split(".");
  const bytes = Buffer.from(payload!, "base64url");
  bytes[byteIndex] = bytes[byteIndex]! ^ 0x01;
  return `${version}.${keyId}.${bytes.toString("base64url")}`;
}

describe("KeyRing", () => {
  it("reads and writes the standard AES-256-GCM layout: WebCrypto opens what it seals, and the reverse", async () => {
    const key = newKey("std");
    const ring = new KeyRing([key]);
    const cryptoKey = await webcrypto.subtle.importKey("raw", key.key, "AES-GCM", false, ["encrypt", "decrypt"]);
    const nonce = randomBytes(12);
    const sealed = await webcrypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: Buffer.from(SECRET_ID) }, cryptoKey, Buffer.from(PLAINTEXT));
    expect(await ring.decrypt(`v1.std.${Buffer.concat([nonce, Buffer.from(sealed)]).toString("base64url")}`, SECRET_ID)).toBe(PLAINTEXT);
    const bytes = Buffer.from((await ring.encrypt(PLAINTEXT, SECRET_ID)).split(".")[2]!, "base64url");
    const opened = await webcrypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: Buffer.from(SECRET_ID) }, cryptoKey, bytes.subarray(12));
    expect(Buffer.from(opened).toString("utf8")).toBe(PLAINTEXT);
  });

  it("decrypts what it encrypted, for the same context", async () => {
    const ring = new KeyRing([newKey()]);
    for (const plaintext of [PLAINTEXT, "", "é€😀", "x".repeat(70_000)]) {
      expect(await ring.decrypt(await ring.encrypt(plaintext, SECRET_ID), SECRET_ID)).toBe(plaintext);
    }
  });

  it("stores 'v1.<key id>.<base64url(nonce‖ciphertext‖tag)>' without the plaintext in it", async () => {
    const key = newKey("k2026");
    const ring = new KeyRing([key]);
    const stored = await ring.encrypt(PLAINTEXT, SECRET_ID);
    expect(stored).toMatch(/^v1\.k2026\.[A-Za-z0-9_-]+$/);
    const payload = Buffer.from(stored.split(".")[2]!, "base64url");
    // 12-byte nonce, ciphertext as long as the plaintext, 16-byte tag.
    expect(payload.length).toBe(12 + Buffer.byteLength(PLAINTEXT) + 16);
    expect(stored).not.toContain("correct-horse");
    expect(payload.toString("latin1")).not.toContain("correct-horse");
  });

  it("uses a fresh nonce per write: the same plaintext twice gives different stored strings", async () => {
    const ring = new KeyRing([newKey()]);
    const first = await ring.encrypt(PLAINTEXT, SECRET_ID);
    const second = await ring.encrypt(PLAINTEXT, SECRET_ID);
    expect(first).not.toBe(second);
    const nonce = (stored: string) => Buffer.from(stored.split(".")[2]!, "base64url").subarray(0, 12).toString("hex");
    expect(nonce(first)).not.toBe(nonce(second));
    expect(await ring.decrypt(second, SECRET_ID)).toBe(PLAINTEXT);
  });

  it("binds the context: a ciphertext copied to another secret id fails to decrypt with a ZsError", async () => {
    const ring = new KeyRing([newKey()]);
    const stored = await ring.encrypt(PLAINTEXT, SECRET_ID);
    const error = await rejection(ring.decrypt(stored, OTHER_ID));
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toMatch(/altered or belongs to another record/);
    expect(error.message).not.toContain("correct-horse");
  });

  it.each([
    ["the nonce", 0],
    ["the ciphertext", 14],
    ["the tag", -1],
  ])("a tampered byte in %s fails with a ZsError", async (_, index) => {
    const ring = new KeyRing([newKey()]);
    const stored = await ring.encrypt(PLAINTEXT, SECRET_ID);
    const length = Buffer.from(stored.split(".")[2]!, "base64url").length;
    const error = await rejection(ring.decrypt(tamper(stored, index < 0 ? length + index : index), SECRET_ID));
    expect(error.code).toBe("INTERNAL");
    expect(error.message).not.toContain("correct-horse");
  });

  it.each(["", "v1", "v2.abc.AAAA", "garbage", "v1.k1"])("a stored form %j that is not v1 is a ZsError", async (stored) => {
    const ring = new KeyRing([newKey("k1")]);
    expect((await rejection(ring.decrypt(stored, SECRET_ID))).code).toBe("INTERNAL");
  });

  it("a truncated payload is a ZsError, not a crash", async () => {
    const ring = new KeyRing([newKey("k1")]);
    expect((await rejection(ring.decrypt("v1.k1.AAAA", SECRET_ID))).code).toBe("INTERNAL");
  });

  it("a ciphertext under a key not in the ring is CONFIGURATION_ERROR naming that key id", async () => {
    const old = new KeyRing([newKey("old-key")]);
    const stored = await old.encrypt(PLAINTEXT, SECRET_ID);
    const current = new KeyRing([newKey("new-key")]);
    const error = await rejection(current.decrypt(stored, SECRET_ID));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toContain("'old-key'");
    expect(error.message).toContain("new-key");
    expect(error.message).toContain("ZS_ENCRYPTION_KEYS");
  });

  it("a key with another id but the same bytes is not accepted in its place", async () => {
    const key = newKey("a");
    const stored = await new KeyRing([key]).encrypt(PLAINTEXT, SECRET_ID);
    expect((await rejection(new KeyRing([{ id: "b", key: key.key }]).decrypt(stored, SECRET_ID))).code).toBe("CONFIGURATION_ERROR");
  });

  it("with several keys the first encrypts and every key decrypts", async () => {
    const [k1, k2, k3] = [newKey("k1"), newKey("k2"), newKey("k3")];
    const byK2 = await new KeyRing([k2]).encrypt("two", SECRET_ID);
    const byK3 = await new KeyRing([k3]).encrypt("three", SECRET_ID);
    const ring = new KeyRing([k1, k2, k3]);
    expect(ring.primaryKeyId).toBe("k1");
    expect(ring.keyIds).toEqual(["k1", "k2", "k3"]);
    expect(await ring.decrypt(byK2, SECRET_ID)).toBe("two");
    expect(await ring.decrypt(byK3, SECRET_ID)).toBe("three");
    const fresh = await ring.encrypt("one", SECRET_ID);
    expect(fresh.startsWith("v1.k1.")).toBe(true);
    expect(await new KeyRing([k1]).decrypt(fresh, SECRET_ID)).toBe("one");
  });

  it("isCurrent is true only for data under the encrypting key", async () => {
    const [k1, k2] = [newKey("k1"), newKey("k2")];
    const ring = new KeyRing([k1, k2]);
    expect(ring.isCurrent(await ring.encrypt("x", SECRET_ID))).toBe(true);
    expect(ring.isCurrent(await new KeyRing([k2]).encrypt("x", SECRET_ID))).toBe(false);
    expect(ring.isCurrent(await new KeyRing([newKey("k10")]).encrypt("x", SECRET_ID))).toBe(false);
    expect(ring.isCurrent("garbage")).toBe(false);
  });

  it("an empty ring is CONFIGURATION_ERROR with the generation hint", () => {
    let caught: unknown;
    try {
      new KeyRing([]);
    } catch (error) {
      caught = error;
    }
    expect((caught as ZsError).code).toBe("CONFIGURATION_ERROR");
    expect((caught as ZsError).message).toContain("openssl rand -base64 32");
  });
});

describe("parseEncryptionKeys", () => {
  it("a single valid key gets its fingerprint as id", () => {
    const text = generateEncryptionKey();
    const problems: string[] = [];
    const keys = parseEncryptionKeys({ key: text }, problems);
    expect(problems).toEqual([]);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.key.equals(Buffer.from(text, "base64"))).toBe(true);
    expect(keys[0]!.id).toBe(keyFingerprint(Buffer.from(text, "base64")));
    expect(keys[0]!.id).toMatch(/^[0-9a-f]{8}$/);
  });

  it("surrounding whitespace (a trailing newline) is ignored", () => {
    const problems: string[] = [];
    expect(parseEncryptionKeys({ key: ` ${generateEncryptionKey()}\n` }, problems)).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("'id1:k1,id2:k2' gives two keys in that order", () => {
    const [a, b] = [generateEncryptionKey(), generateEncryptionKey()];
    const problems: string[] = [];
    const keys = parseEncryptionKeys({ keys: `new:${a},old:${b}` }, problems);
    expect(problems).toEqual([]);
    expect(keys.map((k) => k.id)).toEqual(["new", "old"]);
    expect(keys[0]!.key.toString("base64")).toBe(a);
    expect(keys[1]!.key.toString("base64")).toBe(b);
  });

  it("an entry of ZS_ENCRYPTION_KEYS without an id gets its fingerprint", () => {
    const a = generateEncryptionKey();
    const problems: string[] = [];
    expect(parseEncryptionKeys({ keys: a }, problems).map((k) => k.id)).toEqual([keyFingerprint(Buffer.from(a, "base64"))]);
    expect(problems).toEqual([]);
  });

  it.each([
    ["not base64", "this is not base64!!"],
    ["too short", randomBytes(16).toString("base64")],
    ["too long", randomBytes(33).toString("base64")],
    ["hex instead of base64", randomBytes(32).toString("hex")],
    ["base64url with '-' or '_'", Buffer.from(Array.from({ length: 32 }, () => 0xfb)).toString("base64url")],
  ])("a key that is %s is a problem mentioning 'openssl rand -base64 32'", (_, text) => {
    const problems: string[] = [];
    expect(parseEncryptionKeys({ key: text }, problems)).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("ZS_ENCRYPTION_KEY");
    expect(problems[0]).toContain("openssl rand -base64 32");
  });

  it("a problem never quotes the key text", () => {
    const text = `${generateEncryptionKey()}X`;
    const problems: string[] = [];
    parseEncryptionKeys({ keys: `k1:${text}` }, problems);
    expect(problems.join(" ")).not.toContain(text);
  });

  it("a bad entry of ZS_ENCRYPTION_KEYS is named by its position", () => {
    const problems: string[] = [];
    parseEncryptionKeys({ keys: `a:${generateEncryptionKey()},b:short` }, problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("ZS_ENCRYPTION_KEYS entry 2");
    expect(problems[0]).toContain("openssl rand -base64 32");
  });

  it("a bad key id is a problem", () => {
    const problems: string[] = [];
    parseEncryptionKeys({ keys: `bad id!:${generateEncryptionKey()}` }, problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("'bad id!'");
  });

  it("both ZS_ENCRYPTION_KEY and ZS_ENCRYPTION_KEYS set is a problem", () => {
    const problems: string[] = [];
    parseEncryptionKeys({ key: generateEncryptionKey(), keys: `k1:${generateEncryptionKey()}` }, problems);
    expect(problems).toEqual(["set ZS_ENCRYPTION_KEY or ZS_ENCRYPTION_KEYS, not both"]);
  });

  it("repeated key ids are a problem naming the id", () => {
    const problems: string[] = [];
    parseEncryptionKeys({ keys: `k1:${generateEncryptionKey()},k2:${generateEncryptionKey()},k1:${generateEncryptionKey()}` }, problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("repeats key id(s): k1");
  });

  it("the same key twice without ids repeats its fingerprint: a problem", () => {
    const a = generateEncryptionKey();
    const problems: string[] = [];
    parseEncryptionKeys({ keys: `${a},${a}` }, problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(keyFingerprint(Buffer.from(a, "base64")));
  });

  it("appends problems to those already collected and throws nothing", () => {
    const problems = ["earlier problem"];
    expect(() => parseEncryptionKeys({ key: "x", keys: "y" }, problems)).not.toThrow();
    expect(problems[0]).toBe("earlier problem");
    expect(problems.length).toBeGreaterThan(1);
  });

  it("nothing set gives no key and no problem", () => {
    const problems: string[] = [];
    expect(parseEncryptionKeys({}, problems)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe("generateEncryptionKey", () => {
  it("makes 32 random bytes in base64, different each time, that parse as a key", () => {
    const [a, b] = [generateEncryptionKey(), generateEncryptionKey()];
    expect(Buffer.from(a, "base64")).toHaveLength(32);
    expect(a).not.toBe(b);
    const problems: string[] = [];
    parseEncryptionKeys({ key: a }, problems);
    expect(problems).toEqual([]);
  });
});

describe("key sentinel", () => {
  it("verifyKeySentinel passes with the ring that made the sentinel, and with a ring that still holds that key", async () => {
    const key = newKey("k1");
    const sentinel = await createKeySentinel(new KeyRing([key]));
    await expect(verifyKeySentinel(new KeyRing([key]), sentinel)).resolves.toBeUndefined();
    await expect(verifyKeySentinel(new KeyRing([newKey("k2"), key]), sentinel)).resolves.toBeUndefined();
  });

  it("a wrong key is CONFIGURATION_ERROR saying which key the data needs and which is configured", async () => {
    const sentinel = await createKeySentinel(new KeyRing([newKey("created-with")]));
    const error = await rejection(verifyKeySentinel(new KeyRing([newKey("configured")]), sentinel));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toContain("does not match this database");
    expect(error.message).toContain("'created-with'");
    expect(error.message).toContain("'configured'");
    expect(error.message).toContain("ZS_ENCRYPTION_KEY");
  });

  it("a different key under the same id is caught too (not garbage later)", async () => {
    const sentinel = await createKeySentinel(new KeyRing([newKey("same-id")]));
    const error = await rejection(verifyKeySentinel(new KeyRing([newKey("same-id")]), sentinel));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toContain("'same-id'");
  });

  it("a damaged sentinel is CONFIGURATION_ERROR", async () => {
    const key = newKey("k1");
    const sentinel = await createKeySentinel(new KeyRing([key]));
    expect((await rejection(verifyKeySentinel(new KeyRing([key]), tamper(sentinel, 20)))).code).toBe("CONFIGURATION_ERROR");
    expect((await rejection(verifyKeySentinel(new KeyRing([key]), "garbage"))).code).toBe("CONFIGURATION_ERROR");
  });

  it("the sentinel is encrypted like any value: fresh each time and not in clear", async () => {
    const ring = new KeyRing([newKey("k1")]);
    const [a, b] = [await createKeySentinel(ring), await createKeySentinel(ring)];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.k1\./);
    expect(a).not.toContain("sentinel");
  });
});
