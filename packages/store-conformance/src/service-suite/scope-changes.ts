/** Service conformance: only a secret's creator or an admin may change its scope. */
import type { SuiteContext } from "./suite-context.js";

export function describeScopeChanges({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("scope changes", () => {
    const g = serviceGroup();

    test("another user's scope change of a workspace secret is FORBIDDEN and changes nothing; its creator and admins still see it", async () => {
      const created = await g.create(g.alice, g.name("shared"));
      for (const key of [created.name, created.id, created.id.slice(0, 8)]) {
        const error = await g.fail(g.service.updateSecret(g.bob, key, { scope: "user" }), "FORBIDDEN");
        expect(error.message).toContain("Only the creator");
        await g.fail(g.service.updateSecret(g.bob, key, { scope: "user", values: { k: g.value() }, name: g.name("taken") }), "FORBIDDEN");
        await g.fail(g.service.updateSecret(g.bob, key, { scope: "user", expectedVersion: created.version }), "FORBIDDEN");
      }
      expect(await g.service.getSecret(g.alice, created.id)).toEqual(created);
      expect(await g.service.getSecret(g.root, created.name)).toEqual(created);
      expect(await g.service.getSecret(g.bob, created.name)).toEqual(created);
      expect((await g.service.listSecrets(g.alice, { name: created.name })).total).toBe(1);
    });

    test("another user may still change a workspace secret's values and name, and may state its current scope", async () => {
      const created = await g.create(g.alice, g.name("editable"));
      const updated = await g.service.updateSecret(g.bob, created.id, { values: { more: g.value() }, scope: "workspace" });
      expect(updated).toMatchObject({ scope: "workspace", user: "alice", version: 2 });
      const renamed = await g.service.updateSecret(g.bob, created.id, { name: g.name("renamed") });
      expect(renamed).toMatchObject({ scope: "workspace", user: "alice", version: 3 });
    });

    test("the creator may make a workspace secret user-scoped, and back", async () => {
      const created = await g.create(g.alice, g.name("own"));
      expect(await g.service.updateSecret(g.alice, created.id, { scope: "user" })).toMatchObject({ scope: "user", user: "alice", version: 2 });
      await g.fail(g.service.getSecret(g.bob, created.id), "SECRET_NOT_FOUND");
      expect(await g.service.updateSecret(g.alice, created.id, { scope: "workspace" })).toMatchObject({ scope: "workspace", user: "alice", version: 3 });
      expect((await g.service.getSecret(g.bob, created.id)).version).toBe(3);
    });

    test("an admin may make another user's workspace secret user-scoped, and becomes its owner", async () => {
      const created = await g.create(g.alice, g.name("adopted"));
      const updated = await g.service.updateSecret(g.root, created.name, { scope: "user" });
      expect(updated).toMatchObject({ id: created.id, scope: "user", user: "root", version: 2, values: created.values });
      await g.fail(g.service.getSecret(g.alice, created.id), "SECRET_NOT_FOUND");
      expect((await g.service.getSecret(g.root, created.id)).user).toBe("root");
    });

    leakCheck(g);
  });
}
