/** Service conformance: merge on update. */
import {
  type SecretValues,
} from "@zs/core";
import { ISO_WITH_MS } from "./fixtures.js";
import type { SuiteContext } from "./suite-context.js";

export function describeMergeOnUpdate({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("merge on update", () => {
    const g = serviceGroup();

    test("update with a string value overwrites that key and keeps the others", async () => {
      const name = g.name("merge");
      const keep = g.value();
      await g.service.createSecret(g.alice, { name, values: { a: g.value(), keep } });
      const next = g.value();
      const updated = await g.service.updateSecret(g.alice, name, { values: { a: next } });
      expect(updated.values).toEqual({ a: next, keep });
      expect((await g.service.getSecret(g.alice, name)).values).toEqual({ a: next, keep });
    });

    test("update with a new key adds it and the keys metadata follows, sorted", async () => {
      const name = g.name("merge");
      const a = g.value();
      await g.service.createSecret(g.alice, { name, values: { m: a } });
      const b = g.value();
      const updated = await g.service.updateSecret(g.alice, name, { values: { b, z: "" } });
      expect(updated.values).toEqual({ m: a, b, z: "" });
      expect(updated.keys).toEqual(["b", "m", "z"]);
      const listed = await g.service.listSecrets(g.alice, { name });
      expect(listed.items[0]!.keys).toEqual(["b", "m", "z"]);
    });

    test("update with a null value removes that key", async () => {
      const name = g.name("merge");
      const keep = g.value();
      await g.service.createSecret(g.alice, { name, values: { gone: g.value(), keep } });
      const updated = await g.service.updateSecret(g.alice, name, { values: { gone: null } });
      expect(updated.values).toEqual({ keep });
      expect(updated.keys).toEqual(["keep"]);
      const read = await g.service.getSecret(g.alice, name);
      expect(read.values).toEqual({ keep });
      expect("gone" in read.values).toBe(false);
    });

    test("removing a key that does not exist is a silent no-op on the values", async () => {
      const name = g.name("merge");
      const keep = g.value();
      await g.service.createSecret(g.alice, { name, values: { keep } });
      const updated = await g.service.updateSecret(g.alice, name, { values: { missing: null } });
      expect(updated.values).toEqual({ keep });
      expect((await g.service.getSecret(g.alice, name)).values).toEqual({ keep });
    });

    test("set, overwrite and remove combine in one update", async () => {
      const name = g.name("merge");
      const keep = g.value();
      await g.service.createSecret(g.alice, { name, values: { keep, old: g.value(), drop: g.value() } });
      const fresh = g.value();
      const replaced = g.value();
      const updated = await g.service.updateSecret(g.alice, name, { values: { fresh, old: replaced, drop: null } });
      expect(updated.values).toEqual({ keep, old: replaced, fresh });
    });

    test("update without values leaves the values untouched", async () => {
      const name = g.name("merge");
      const values = { a: g.value(), b: "" };
      await g.service.createSecret(g.alice, { name, values });
      const renamed = g.name("renamed");
      const updated = await g.service.updateSecret(g.alice, name, { name: renamed });
      expect(updated.values).toEqual(values);
      expect((await g.service.getSecret(g.alice, renamed)).values).toEqual(values);
    });

    test("every update bumps the version by one, moves updated and keeps created", async () => {
      const name = g.name("versions");
      const created = await g.create(g.alice, name);
      const first = await g.service.updateSecret(g.alice, name, { values: { k2: g.value() } });
      expect(first.version).toBe(2);
      expect(first.created).toBe(created.created);
      expect(first.updated).toMatch(ISO_WITH_MS);
      expect(Date.parse(first.updated)).toBeGreaterThan(Date.parse(created.updated));
      const second = await g.service.updateSecret(g.alice, name, { values: { k2: null } });
      expect(second.version).toBe(3);
      expect(Date.parse(second.updated)).toBeGreaterThan(Date.parse(first.updated));
      const read = await g.service.getSecret(g.alice, name);
      expect(read.version).toBe(3);
      expect(read.created).toBe(created.created);
      expect(read.updated).toBe(second.updated);
    });

    test("a rename-only update also bumps the version; the old name is gone, the id stays", async () => {
      const name = g.name("rename");
      const created = await g.create(g.alice, name);
      const renamed = g.name("renamed");
      const updated = await g.service.updateSecret(g.alice, name, { name: renamed });
      expect(updated.id).toBe(created.id);
      expect(updated.name).toBe(renamed);
      expect(updated.version).toBe(2);
      expect(Date.parse(updated.updated)).toBeGreaterThan(Date.parse(created.updated));
      await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
      expect((await g.service.getSecret(g.alice, renamed)).id).toBe(created.id);
    });

    test("a scope-only update bumps the version and keeps values", async () => {
      const name = g.name("rescope");
      const created = await g.create(g.alice, name);
      const updated = await g.service.updateSecret(g.alice, name, { scope: "user" });
      expect(updated.scope).toBe("user");
      expect(updated.version).toBe(2);
      expect(updated.values).toEqual(created.values);
      expect((await g.service.getSecret(g.alice, name, { scope: "user" })).id).toBe(created.id);
    });

    test("replaceSecretValues sets the whole values map and bumps the version", async () => {
      const name = g.name("replace");
      await g.service.createSecret(g.alice, { name, values: { a: g.value(), b: g.value() } });
      const c = g.value();
      const replaced = await g.service.replaceSecretValues(g.alice, name, { c, d: "" });
      expect(replaced.values).toEqual({ c, d: "" });
      expect(replaced.keys).toEqual(["c", "d"]);
      expect(replaced.version).toBe(2);
      expect((await g.service.getSecret(g.alice, name)).values).toEqual({ c, d: "" });
    });

    test("replaceSecretValues refuses null values with VALIDATION_ERROR", async () => {
      const name = g.name("replace");
      const created = await g.create(g.alice, name);
      await g.fail(
        g.service.replaceSecretValues(g.alice, name, { k: null } as unknown as SecretValues),
        "VALIDATION_ERROR",
      );
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
    });

    test("an empty update is VALIDATION_ERROR and changes nothing", async () => {
      const name = g.name("empty-update");
      const created = await g.create(g.alice, name);
      await g.fail(g.service.updateSecret(g.alice, name, {}), "VALIDATION_ERROR");
      await g.fail(g.service.updateSecret(g.alice, name, { expectedVersion: 1 }), "VALIDATION_ERROR");
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
    });

    test("a workspace-scoped secret can be updated by another user and keeps its owner", async () => {
      const name = g.name("shared");
      await g.create(g.alice, name);
      const updated = await g.service.updateSecret(g.bob, name, { values: { extra: g.value() } });
      expect(updated.user).toBe("alice");
      expect(updated.version).toBe(2);
    });

    leakCheck(g);
  });
}
