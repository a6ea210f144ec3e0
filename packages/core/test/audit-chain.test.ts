import { createHash } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ChainVerifier, GENESIS_HASH, canonicalJson, eventHash, linkEvents, type AuditEvent } from "../src/index.js";

const event = (name: string): AuditEvent => ({
  id: "9b2f6c1e-7a4d-4f3e-8c21-5d6e7f8a9b0c",
  time: "2026-12-05T12:00:00.000Z",
  actor: { user_id: "u1", user_name: "alice", via: "session" },
  action: "secret.read",
  target: { type: "secret", id: null, name, workspace: "default" },
  outcome: "ok",
  request_id: "r1",
  client_ip: "127.0.0.1",
  user_agent: "ua \"quoted\" ü",
  details: { version: 3, keys: ["b", "a"] },
});

describe("canonical JSON", () => {
  it("sorts keys at every level, drops undefined members and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, "x", null], c: undefined, b: true } })).toBe('{"a":{"b":true,"d":[1,"x",null]},"b":1}');
  });

  it("is the same whatever order the object was built in", () => {
    const built = Object.fromEntries(Object.entries(event("db")).reverse());
    expect(canonicalJson(built)).toBe(canonicalJson(event("db")));
  });

  it("is JSON.stringify of the value with its keys sorted at every level (any JSON value, empty arrays and objects, undefined in arrays)", () => {
    const sorted = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map((item) => (item === undefined ? null : sorted(item)))
        : value !== null && typeof value === "object"
          ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]))
          : value;
    const anyJson = fc.jsonValue({ noUnicodeString: false }).filter((value) => !Object.is(value, -0));
    fc.assert(fc.property(anyJson, (value) => canonicalJson(value) === JSON.stringify(sorted(value))), { numRuns: 500 });
    expect(canonicalJson([undefined, [], {}, { a: undefined }])).toBe("[null,[],{},{}]");
  });

  it("refuses what JSON cannot carry exactly", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe("the hash chain", () => {
  it("hash = SHA-256(previous hash bytes ‖ canonical JSON of the event)", () => {
    const previous = "ab".repeat(32);
    const expected = createHash("sha256")
      .update(Buffer.concat([Buffer.from(previous, "hex"), Buffer.from(canonicalJson(event("db")), "utf8")]))
      .digest("hex");
    expect(eventHash(previous, event("db"))).toBe(expected);
  });

  it("links events from the head, and the verifier names the first one changed", () => {
    const chained = linkEvents({ seq: 0, hash: GENESIS_HASH }, ["a", "b", "c"].map(event));
    expect(chained.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chained[1]!.prev_hash).toBe(chained[0]!.hash);
    const verifier = new ChainVerifier({ seq: 0, hash: GENESIS_HASH });
    expect(chained.map((e) => verifier.check(e))).toEqual([undefined, undefined, undefined]);
    const tampered = chained.map((e) => ({ ...e }));
    tampered[1] = { ...tampered[1]!, outcome: "denied" };
    const again = new ChainVerifier({ seq: 0, hash: GENESIS_HASH });
    expect(tampered.map((e) => again.check(e))).toEqual([undefined, "hash_mismatch", undefined]);
    const reordered = new ChainVerifier({ seq: 0, hash: GENESIS_HASH });
    expect([chained[0]!, chained[2]!].map((e) => reordered.check(e))).toEqual([undefined, "sequence_gap"]);
  });
});
