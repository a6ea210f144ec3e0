/** Service conformance: create, get, list and delete. */
import { ISO_WITH_MS, UUID_V4, METADATA_FIELDS } from "./fixtures.js";
import type { SuiteContext } from "./suite-context.js";

export function describeCreateGetListAndDelete({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("create, get, list and delete", () => {
    const g = serviceGroup();

    test("create returns the values, version 1, sorted keys and created == updated in ISO-8601 with ms", async () => {
      const name = g.name("roundtrip");
      const values = { password: g.value(), empty: "", user: g.value() };
      const created = await g.service.createSecret(g.alice, { name, values });
      expect(created.id).toMatch(UUID_V4);
      expect(created.name).toBe(name);
      expect(created.scope).toBe("workspace");
      expect(created.workspace).toBe("default");
      expect(created.user).toBe("alice");
      expect(created.keys).toEqual(["empty", "password", "user"]);
      expect(created.values).toEqual(values);
      expect(created.version).toBe(1);
      expect(created.created).toMatch(ISO_WITH_MS);
      expect(created.updated).toBe(created.created);
    });

    test("get returns exactly what create returned, an empty value kept as \"\" and never null", async () => {
      const name = g.name("roundtrip");
      const created = await g.service.createSecret(g.alice, { name, values: { empty: "", other: g.value() } });
      const read = await g.service.getSecret(g.alice, name);
      expect(read).toEqual(created);
      expect(read.values.empty).toBe("");
      expect(Object.keys(read.values).sort()).toEqual(["empty", "other"]);
      // Exactly the fields of a secret, whichever lookup found it: nothing a store read besides.
      for (const found of [read, await g.service.getSecret(g.alice, created.id), await g.service.getSecret(g.alice, created.id.slice(0, 8))]) {
        expect(Object.keys(found).sort()).toEqual([...METADATA_FIELDS, "values"].sort());
      }
    });

    test("unicode, newlines and JSON-looking values round-trip unchanged", async () => {
      const values = { emoji: "🔐 clé 秘密", lines: "a\nb\r\n\tc", json: '{"a":1}', quotes: `'"\\\`$x` };
      const created = await g.service.createSecret(g.alice, { name: g.name("unicode"), values });
      expect((await g.service.getSecret(g.alice, created.id)).values).toEqual(values);
    });

    test("a secret with no keys at all can be created and read", async () => {
      const created = await g.service.createSecret(g.alice, { name: g.name("empty"), values: {} });
      expect(created.keys).toEqual([]);
      expect((await g.service.getSecret(g.alice, created.id)).values).toEqual({});
    });

    test("create with scope user returns a user-scoped secret owned by the caller", async () => {
      const created = await g.create(g.bob, g.name("mine"), { scope: "user" });
      expect(created.scope).toBe("user");
      expect(created.user).toBe("bob");
    });

    test("list items carry metadata and who changed the secret last, never values", async () => {
      const name = g.name("listed");
      const created = await g.service.createSecret(g.alice, { name, values: { a: g.value(), b: "" } });
      const page = await g.service.listSecrets(g.alice, { name });
      expect(page.total).toBe(1);
      const item = page.items[0]!;
      expect(Object.keys(item).sort()).toEqual([...METADATA_FIELDS, "updatedBy"].sort());
      expect("values" in item).toBe(false);
      const { values: _values, ...metadata } = created;
      expect(item).toEqual({ ...metadata, updatedBy: "alice" });

      await g.service.updateSecret(g.bob, created.id, { values: { a: g.value() } });
      expect((await g.service.listSecrets(g.alice, { name })).items[0]).toMatchObject({ version: 2, updatedBy: "bob" });
    });

    test("delete removes the secret: get, update and a second delete are SECRET_NOT_FOUND", async () => {
      const name = g.name("doomed");
      const created = await g.create(g.alice, name);
      await g.service.deleteSecret(g.alice, name);
      await g.fail(g.service.getSecret(g.alice, created.id), "SECRET_NOT_FOUND");
      await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
      await g.fail(g.service.updateSecret(g.alice, created.id, { values: { k: "x" } }), "SECRET_NOT_FOUND");
      await g.fail(g.service.deleteSecret(g.alice, created.id), "SECRET_NOT_FOUND");
      expect((await g.service.listSecrets(g.alice, { name })).total).toBe(0);
    });

    test("delete frees the name for a new secret with a new id", async () => {
      const name = g.name("reused");
      const first = await g.create(g.alice, name);
      await g.service.deleteSecret(g.alice, first.id);
      const second = await g.create(g.alice, name);
      expect(second.id).not.toBe(first.id);
      expect(second.version).toBe(1);
    });

    test("another user can delete a workspace-scoped secret", async () => {
      const created = await g.create(g.alice, g.name("shared"));
      await g.service.deleteSecret(g.bob, created.id);
      await g.fail(g.service.getSecret(g.alice, created.id), "SECRET_NOT_FOUND");
    });

    leakCheck(g);
  });
}
