import { randomUUID } from "node:crypto";
import { LIMITS, isZsError, type SecretValues, type SecretValuesStore } from "@zs/core";
import type { TestApi } from "./test-api.js";
import { describeBackupOrMigrationTarget } from "./values-suite/migration-target.js";
import { describeVersionedValues } from "./values-suite/versioned.js";

/** What a suite may start for its stores and must close: an emulator, a local server. */
export interface ClosableBackend {
  close(): Promise<void> | void;
}

/** Options of `runValuesStoreConformance`. */
export interface ValuesStoreConformanceOptions<Backend = undefined> {
  /** Shown in the suite's title, e.g. `sql (SQLite)`. */
  name: string;
  api: TestApi;
  /**
   * Starts what the stores talk to (an emulator, a local server): once, before the first
   * store is created; closed after `cleanup`. @default none
   */
  backend?(): Promise<Backend & ClosableBackend>;
  /**
   * Creates a store under test, given the backend when there is one; called more than once
   * (later stores check `close`, and that a second instance reads what the first wrote), so
   * each call must open the same deployment's store on the same data, as a restarted zs would.
   */
  createStore(backend: Backend): Promise<SecretValuesStore>;
  /** Called once after the suite, after `close()` and before the backend closes. */
  cleanup?(store: SecretValuesStore): Promise<void>;
  /**
   * Required when the store declares `storedWithMetadata`: what a metadata lookup reads as
   * the values' stored form of `secretId` (`FoundSecret.storedValues`), `null` when none.
   */
  readStoredValues?(secretId: string): Promise<string | null>;
  /** Per-test timeout in ms. @default 30000 */
  timeout?: number;
}

/** A values map whose keys plus values are exactly `bytes` UTF-8 bytes. */
function valuesOfSize(bytes: number): SecretValues {
  const key = "payload";
  return { [key]: "x".repeat(bytes - key.length) };
}

/**
 * The contract every values store honours (interfaces.md): put / get / delete / overwrite by
 * secret id, put hints (`PutValuesHint`) tolerated when right and when wrong, absent and
 * already deleted ids, empty and unicode values, a value at the
 * declared size limit and one past it, isolation between ids, concurrent writes, a health
 * check if declared, and an idempotent close; in the group "as a backup or migration
 * target", what copying every secret into the store relies on; and in "versioned values", the
 * `versioned` capability when declared (a harmless `VersionedWrite` when not).
 */
export function runValuesStoreConformance<Backend = undefined>(options: ValuesStoreConformanceOptions<Backend>): void {
  const { api, timeout = 30000 } = options;
  const { describe, it, expect, beforeAll, afterAll } = api;
  let store: SecretValuesStore;
  // Started by the first createStore; without a `backend` option there is none, and Backend is undefined.
  let backend: Promise<(Backend & ClosableBackend) | undefined> | undefined;
  const createStore = async () => {
    backend ??= options.backend ? options.backend() : Promise.resolve(undefined);
    return options.createStore((await backend) as Backend);
  };
  const id = () => randomUUID();

  describe(`values store conformance: ${options.name}`, () => {
    beforeAll(async () => {
      store = await createStore();
    }, timeout);

    afterAll(async () => {
      try {
        if (!store) return;
        await store.close?.();
        await options.cleanup?.(store);
      } finally {
        // A backend that failed to start has nothing to close; beforeAll reported the failure.
        await (await backend?.catch(() => undefined))?.close();
      }
    }, timeout);

    it("declares a type and a positive maxValueBytes", () => {
      expect(typeof store.type).toBe("string");
      expect(store.capabilities.maxValueBytes).toBeGreaterThan(0);
    });

    it("get returns what put stored", async () => {
      const secretId = id();
      await store.putValues(secretId, { user: "admin", password: "pa55word" });
      expect(await store.getValues(secretId)).toEqual({ user: "admin", password: "pa55word" });
    }, timeout);

    it("put overwrites the whole values map", async () => {
      const secretId = id();
      await store.putValues(secretId, { a: "1", b: "2" });
      await store.putValues(secretId, { c: "3" });
      expect(await store.getValues(secretId)).toEqual({ c: "3" });
    }, timeout);

    it("a put hinted new, then one hinted existing, read back the latest values", async () => {
      const secretId = id();
      await store.putValues(secretId, { k: "created" }, { isNew: true });
      expect(await store.getValues(secretId)).toEqual({ k: "created" });
      await store.putValues(secretId, { k: "updated" }, { isNew: false });
      expect(await store.getValues(secretId)).toEqual({ k: "updated" });
    }, timeout);

    it("a put wrongly hinted existing on an id never written still stores the values", async () => {
      const secretId = id();
      await store.putValues(secretId, { k: "v" }, { isNew: false });
      expect(await store.getValues(secretId)).toEqual({ k: "v" });
    }, timeout);

    it("a put wrongly hinted existing on an id deleted since still stores the values", async () => {
      const secretId = id();
      await store.putValues(secretId, { k: "first" }, { isNew: true });
      await store.deleteValues(secretId);
      await store.putValues(secretId, { k: "second" }, { isNew: false });
      expect(await store.getValues(secretId)).toEqual({ k: "second" });
    }, timeout);

    it("a put wrongly hinted new on an id already written overwrites its values", async () => {
      const secretId = id();
      await store.putValues(secretId, { a: "1", b: "2" });
      await store.putValues(secretId, { c: "3" }, { isNew: true });
      expect(await store.getValues(secretId)).toEqual({ c: "3" });
    }, timeout);

    it("storedWithMetadata, if declared: values from their stored form equal the values read, a null form means none", async () => {
      if (store.capabilities.storedWithMetadata !== true) {
        // Only a store declaring it can be handed a stored form; the option is a mistake elsewhere.
        expect(options.readStoredValues).toBeUndefined();
        return;
      }
      expect(typeof options.readStoredValues).toBe("function");
      const secretId = id();
      const values = { user: "admin", password: "pa55word", emoji: "🔐" };
      await store.putValues(secretId, values);
      const stored = await options.readStoredValues!(secretId);
      expect(typeof stored).toBe("string");
      expect(await store.getValues(secretId, { stored })).toEqual(values);
      // The form is what the lookup read: it wins over a write that came after it.
      await store.putValues(secretId, { user: "later" });
      expect(await store.getValues(secretId, { stored })).toEqual(values);
      expect(await store.getValues(secretId)).toEqual({ user: "later" });
      // A null form: the lookup found no values, and the store does not look again.
      expect(await store.getValues(secretId, { stored: null })).toBeUndefined();
      expect(await options.readStoredValues!(id())).toBe(null);
    }, timeout);

    it("get of an id never written returns undefined", async () => {
      expect(await store.getValues(id())).toBeUndefined();
    }, timeout);

    it("delete returns true, then the values are gone", async () => {
      const secretId = id();
      await store.putValues(secretId, { k: "v" });
      expect(await store.deleteValues(secretId)).toBe(true);
      expect(await store.getValues(secretId)).toBeUndefined();
    }, timeout);

    it("delete of an absent id returns false", async () => {
      expect(await store.deleteValues(id())).toBe(false);
    }, timeout);

    it("delete of an id already deleted returns false", async () => {
      const secretId = id();
      await store.putValues(secretId, { k: "v" });
      expect(await store.deleteValues(secretId)).toBe(true);
      expect(await store.deleteValues(secretId)).toBe(false);
    }, timeout);

    it("a deleted id can be written again", async () => {
      const secretId = id();
      await store.putValues(secretId, { k: "first" });
      await store.deleteValues(secretId);
      await store.putValues(secretId, { k: "second" });
      expect(await store.getValues(secretId)).toEqual({ k: "second" });
    }, timeout);

    it("an empty values map round-trips", async () => {
      const secretId = id();
      await store.putValues(secretId, {});
      expect(await store.getValues(secretId)).toEqual({});
    }, timeout);

    it("empty string values stay empty strings", async () => {
      const secretId = id();
      await store.putValues(secretId, { empty: "", other: "x" });
      const values = await store.getValues(secretId);
      expect(values).toEqual({ empty: "", other: "x" });
      expect(values?.empty).toBe("");
    }, timeout);

    it("unicode, control characters and JSON-looking values round-trip byte for byte", async () => {
      const secretId = id();
      const values = {
        emoji: "🔐 clé 秘密 ключ",
        newlines: "line1\nline2\r\n\ttabbed",
        nul: "a\u0000b",
        json: '{"not":"parsed"}',
        quotes: `'"\\\`$(rm -rf /)`,
        "dotted.key-name_1": "=start=end=",
      };
      await store.putValues(secretId, values);
      expect(await store.getValues(secretId)).toEqual(values);
    }, timeout);

    it("a values map exactly at the declared size limit round-trips", async () => {
      const secretId = id();
      const limit = Math.min(store.capabilities.maxValueBytes, LIMITS.maxSecretBytes);
      const values = valuesOfSize(limit);
      await store.putValues(secretId, values);
      expect(await store.getValues(secretId)).toEqual(values);
    }, timeout);

    it("a values map over maxValueBytes is refused with SECRET_TOO_LARGE and nothing is stored", async () => {
      const secretId = id();
      const error = await store.putValues(secretId, valuesOfSize(store.capabilities.maxValueBytes + 1)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isZsError(error) && error.code).toBe("SECRET_TOO_LARGE");
      expect(await store.getValues(secretId)).toBeUndefined();
    }, timeout);

    it("ids are isolated: deleting or overwriting one leaves another intact", async () => {
      const first = id();
      const second = id();
      await store.putValues(first, { k: "first" });
      await store.putValues(second, { k: "second" });
      await store.putValues(first, { k: "changed" });
      await store.deleteValues(first);
      expect(await store.getValues(second)).toEqual({ k: "second" });
    }, timeout);

    it("concurrent puts to different ids all land", async () => {
      const ids = Array.from({ length: 20 }, id);
      await Promise.all(ids.map((secretId, i) => store.putValues(secretId, { n: String(i) })));
      const read = await Promise.all(ids.map((secretId) => store.getValues(secretId)));
      expect(read).toEqual(ids.map((_, i) => ({ n: String(i) })));
    }, timeout);

    it("check, if declared, resolves on a healthy store", async () => {
      const outcome = store.check ? await store.check().then(() => "healthy", (e: unknown) => e) : "healthy";
      expect(outcome).toBe("healthy");
    }, timeout);

    const groupContext = { describe, test: (title: string, body: () => Promise<void>) => it(title, body, timeout), expect, store: () => store, createStore };
    describeBackupOrMigrationTarget(groupContext);
    describeVersionedValues(groupContext);

    it("close can be called twice", async () => {
      const extra = await createStore();
      const closeTwice = async () => {
        await extra.close?.();
        await extra.close?.();
        return "closed";
      };
      expect(await closeTwice()).toBe("closed");
    }, timeout);
  });
}
