/** Values-store conformance: what a store must do to serve as a backup store or a migration target. */
import { randomUUID } from "node:crypto";
import { LIMITS, type SecretValues, type SecretValuesStore } from "@zs/core";
import type { ExpectFunction, TestApi } from "../test-api.js";

/** What a group of the values-store suite is given. */
export interface ValuesSuiteContext {
  describe: TestApi["describe"];
  /** `it` with the suite's timeout. */
  test(title: string, body: () => Promise<void>): void;
  expect: ExpectFunction;
  /** The suite's store (created by its `beforeAll`, so only read inside a test). */
  store(): SecretValuesStore;
  /** Another store on the same backend, as a restarted or second process would create it; the caller closes it. */
  createStore(): Promise<SecretValuesStore>;
}

/** How many secrets a copy moves, and how many calls it keeps in flight: a migration's shape, in small. */
const COPIED_SECRETS = 100;
const COPY_CONCURRENCY = 8;

/** `run` over `items`, at most `limit` at a time; results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A secret's values as a copy would meet them: distinct per secret, with unicode and an empty value. */
function copiedValues(index: number): SecretValues {
  return { user: `user-${index}`, password: randomUUID(), note: `clé ${index} 🔐 秘密`, empty: "" };
}

/**
 * The cases `zs secret backup`, `restore` and `migrate` rely on (stores.md, "Backup store and
 * migration"): every secret copied reads back byte for byte, an overwrite leaves nothing of
 * the values before, absent ids are absent and harmless to delete, and what one store instance
 * wrote another reads — since a migration copies with one process and serves with the next.
 */
export function describeBackupOrMigrationTarget({ describe, test, expect, store, createStore }: ValuesSuiteContext): void {
  describe("as a backup or migration target", () => {
    test(`${COPIED_SECRETS} distinct secrets put ${COPY_CONCURRENCY} at a time all read back identical`, async () => {
      const copies = Array.from({ length: COPIED_SECRETS }, (_, i) => ({ secretId: randomUUID(), values: copiedValues(i) }));
      await mapBounded(copies, COPY_CONCURRENCY, ({ secretId, values }) => store().putValues(secretId, values));
      const read = await mapBounded(copies, COPY_CONCURRENCY, ({ secretId }) => store().getValues(secretId));
      // Every secret's values are its own (a random password each): values read back under the wrong id fail this too.
      expect(read).toEqual(copies.map(({ values }) => values));
    });

    test("an overwrite replaces every key: keys left out are gone, none is merged back", async () => {
      const secretId = randomUUID();
      await store().putValues(secretId, { kept: "old", dropped: "old", emptied: "old" });
      await store().putValues(secretId, { kept: "new", emptied: "", added: "new" });
      const values = await store().getValues(secretId);
      expect(values).toEqual({ kept: "new", emptied: "", added: "new" });
      expect(Object.keys(values ?? {}).sort()).toEqual(["added", "emptied", "kept"]);
    });

    test("get of an id never written is absent", async () => {
      expect(await store().getValues(randomUUID())).toBeUndefined();
    });

    test("delete of an id never written is not an error", async () => {
      expect(await store().deleteValues(randomUUID())).toBe(false);
    });

    test("delete, then get: absent", async () => {
      const secretId = randomUUID();
      await store().putValues(secretId, { k: "v" });
      await store().deleteValues(secretId);
      expect(await store().getValues(secretId)).toBeUndefined();
    });

    test("unicode, empty-string and large values round-trip exactly", async () => {
      const secretId = randomUUID();
      const budget = Math.min(store().capabilities.maxValueBytes, LIMITS.maxSecretBytes);
      // Half the declared limit in three-byte characters, the rest left for the other keys.
      const large = "秘".repeat(Math.floor(budget / 2 / 3));
      const values = { large, empty: "", unicode: "🔐 clé ключ 秘密 \u00e9 e\u0301", spaces: "  padded  " };
      await store().putValues(secretId, values);
      const read = await store().getValues(secretId);
      expect(read).toEqual(values);
      expect(read?.large).toHaveLength(large.length);
      expect(read?.empty).toBe("");
      // Not normalised: the precomposed é and e + combining accent stay apart.
      expect(read?.unicode).toBe(values.unicode);
    });

    test("keys that look like a storage envelope's (values, data, metadata, zs-deployment) round-trip as they are", async () => {
      const lookalikes: SecretValues[] = [
        { values: '{"user":"admin"}', "zs-deployment": randomUUID(), data: "{}", metadata: "null" },
        { values: '{"user":"admin"}', "zs-deployment": randomUUID() },
      ];
      for (const values of lookalikes) {
        const secretId = randomUUID();
        await store().putValues(secretId, values);
        expect(await store().getValues(secretId)).toEqual(values);
      }
    });

    test("another store instance on the same backend reads what this one wrote", async () => {
      const secretId = randomUUID();
      await store().putValues(secretId, { copied: "by the first instance" });
      const second = await createStore();
      try {
        expect(await second.getValues(secretId)).toEqual({ copied: "by the first instance" });
      } finally {
        await second.close?.();
      }
    });
  });
}
