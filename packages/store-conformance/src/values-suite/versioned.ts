/** Values-store conformance: the `versioned` capability (lifecycle.md, "Versions and history"). */
import { randomUUID } from "node:crypto";
import type { PutValuesResult, SecretValues, SecretValuesStore } from "@zs/core";
import type { ValuesSuiteContext } from "./migration-target.js";

/** Successive versioned puts of one secret, and how many earlier versions each keeps: more puts than kept, so the oldest is pruned. */
const PUTS = 12;
const KEEP = 10;

/** The values of version `version`: distinct per version, with a random part so a stale read cannot pass by chance. */
function valuesOfVersion(version: number): SecretValues {
  return { version: String(version), token: randomUUID(), note: `v${version} 🔐` };
}

/** The `backendVersion` a put answered, or `undefined` when it answered none. */
function backendVersionOf(result: PutValuesResult | void): string | undefined {
  return result ? result.backendVersion : undefined;
}

/** Puts `count` versions (1…count) of `secretId` with `keep`; their values and backend versions, oldest first. */
async function putVersions(store: SecretValuesStore, secretId: string, count: number, keep: number) {
  const written: { values: SecretValues; backendVersion: string | undefined }[] = [];
  for (let version = 1; version <= count; version++) {
    const values = valuesOfVersion(version);
    const result = await store.putValues(secretId, values, version === 1 ? { isNew: true } : undefined, { version, keep });
    written.push({ values, backendVersion: backendVersionOf(result) });
  }
  return written;
}

/**
 * What a store declaring `versioned` promises: every versioned put answers a `backendVersion`;
 * the values written under it read back until `keep` later writes have pushed it out, then
 * read as `undefined`; version reads leave the current values alone; a delete takes every
 * kept version with it; a put without `VersionedWrite` (a backup copy, a migration) still
 * stores the values. A store not declaring it must take a `VersionedWrite` without harm.
 */
export function describeVersionedValues({ describe, test, expect, store, createStore }: ValuesSuiteContext): void {
  describe("versioned values", () => {
    test(`versioned, if declared: after ${PUTS} puts keeping ${KEEP}, the current and the ${KEEP} earlier versions read back by their backendVersion, older ones are undefined`, async () => {
      if (store().capabilities.versioned !== true) return;
      const secretId = randomUUID();
      const written = await putVersions(store(), secretId, PUTS, KEEP);
      const backendVersions = written.map((w) => w.backendVersion);
      for (const backendVersion of backendVersions) expect(typeof backendVersion).toBe("string");
      expect(new Set(backendVersions).size).toBe(PUTS);
      const read = await Promise.all(backendVersions.map((backendVersion) => store().getValues(secretId, { backendVersion: backendVersion! })));
      const pruned = PUTS - KEEP - 1;
      expect(read.slice(0, pruned)).toEqual(written.slice(0, pruned).map(() => undefined));
      expect(read.slice(pruned)).toEqual(written.slice(pruned).map((w) => w.values));
      // Version reads change nothing: the current values are the last put's.
      expect(await store().getValues(secretId)).toEqual(written[PUTS - 1]!.values);
    });

    test("versioned, if declared: a backendVersion stays readable through another store instance on the same backend", async () => {
      if (store().capabilities.versioned !== true) return;
      const secretId = randomUUID();
      const written = await putVersions(store(), secretId, 3, KEEP);
      const second = await createStore();
      try {
        for (const { values, backendVersion } of written) expect(await second.getValues(secretId, { backendVersion: backendVersion! })).toEqual(values);
      } finally {
        await second.close?.();
      }
    });

    test("versioned, if declared: keep 0 prunes every earlier version in the same write", async () => {
      if (store().capabilities.versioned !== true) return;
      const secretId = randomUUID();
      const written = await putVersions(store(), secretId, 3, 0);
      expect(await store().getValues(secretId, { backendVersion: written[0]!.backendVersion! })).toBeUndefined();
      expect(await store().getValues(secretId, { backendVersion: written[1]!.backendVersion! })).toBeUndefined();
      expect(await store().getValues(secretId, { backendVersion: written[2]!.backendVersion! })).toEqual(written[2]!.values);
      expect(await store().getValues(secretId)).toEqual(written[2]!.values);
    });

    test("versioned, if declared: deleteValues removes every kept version", async () => {
      if (store().capabilities.versioned !== true) return;
      const secretId = randomUUID();
      const written = await putVersions(store(), secretId, 4, KEEP);
      expect(await store().deleteValues(secretId)).toBe(true);
      expect(await store().getValues(secretId)).toBeUndefined();
      for (const { backendVersion } of written) expect(await store().getValues(secretId, { backendVersion: backendVersion! })).toBeUndefined();
      // The id can be written again, versioned, from scratch.
      const again = await putVersions(store(), secretId, 2, KEEP);
      for (const { backendVersion } of written) expect(await store().getValues(secretId, { backendVersion: backendVersion! })).toBeUndefined();
      expect(await store().getValues(secretId, { backendVersion: again[0]!.backendVersion! })).toEqual(again[0]!.values);
      expect(await store().getValues(secretId)).toEqual(again[1]!.values);
    });

    test("versioned, if declared: a put without VersionedWrite (a backup copy, a migration) still stores the values", async () => {
      if (store().capabilities.versioned !== true) return;
      const secretId = randomUUID();
      await putVersions(store(), secretId, 2, KEEP);
      await store().putValues(secretId, { copied: "without a version" });
      expect(await store().getValues(secretId)).toEqual({ copied: "without a version" });
      // And a versioned put after it keeps working.
      const result = await store().putValues(secretId, { k: "versioned again" }, undefined, { version: 4, keep: KEEP });
      const backendVersion = backendVersionOf(result);
      expect(typeof backendVersion).toBe("string");
      expect(await store().getValues(secretId, { backendVersion: backendVersion! })).toEqual({ k: "versioned again" });
      expect(await store().getValues(secretId)).toEqual({ k: "versioned again" });
    });

    test("not versioned: a VersionedWrite given anyway is harmless, the put stores the values", async () => {
      if (store().capabilities.versioned === true) return;
      const secretId = randomUUID();
      await store().putValues(secretId, { k: "first" }, { isNew: true }, { version: 1, keep: KEEP });
      await store().putValues(secretId, { k: "second" }, undefined, { version: 2, keep: 0 });
      expect(await store().getValues(secretId)).toEqual({ k: "second" });
      expect(await store().deleteValues(secretId)).toBe(true);
      expect(await store().getValues(secretId)).toBeUndefined();
    });
  });
}
