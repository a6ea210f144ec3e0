/** Service conformance: uniqueness. */
import type { SuiteContext } from "./suite-context.js";

export function describeUniqueness({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("uniqueness", () => {
    const g = serviceGroup();

    test("a workspace-scoped name is unique in its workspace, whoever creates it: SECRET_EXISTS naming scope and workspace", async () => {
      const name = g.name("unique");
      const original = await g.create(g.alice, name);
      const again = await g.fail(g.create(g.alice, name), "SECRET_EXISTS");
      expect(again.message).toContain(name);
      expect(again.message).toContain("workspace-scoped");
      expect(again.message).toContain("'default'");
      await g.fail(g.create(g.bob, name), "SECRET_EXISTS");
      expect(await g.service.getSecret(g.alice, name)).toEqual(original);
      expect((await g.service.listSecrets(g.alice, { name })).total).toBe(1);
    });

    test("a user-scoped name is unique per owner: SECRET_EXISTS naming the user scope", async () => {
      const name = g.name("mine");
      const original = await g.create(g.alice, name, { scope: "user" });
      const again = await g.fail(g.create(g.alice, name, { scope: "user" }), "SECRET_EXISTS");
      expect(again.message).toContain("user-scoped");
      expect(again.message).toContain("'default'");
      expect(await g.service.getSecret(g.alice, name)).toEqual(original);
    });

    test("a workspace-scoped and a user-scoped secret may share a name", async () => {
      const name = g.name("both");
      const shared = await g.create(g.alice, name);
      const mine = await g.create(g.alice, name, { scope: "user" });
      expect(mine.id).not.toBe(shared.id);
      expect((await g.service.getSecret(g.alice, name, { scope: "workspace" })).id).toBe(shared.id);
      expect((await g.service.getSecret(g.alice, name, { scope: "user" })).id).toBe(mine.id);
    });

    test("two users may each own a user-scoped secret of the same name, each seeing only their own", async () => {
      const name = g.name("each");
      const alices = await g.create(g.alice, name, { scope: "user" });
      const bobs = await g.create(g.bob, name, { scope: "user" });
      expect((await g.service.getSecret(g.alice, name)).values).toEqual(alices.values);
      expect((await g.service.getSecret(g.bob, name)).values).toEqual(bobs.values);
      expect(await g.listNames(g.alice, { name })).toEqual([name]);
      expect((await g.service.listSecrets(g.bob, { name })).items.map((s) => s.id)).toEqual([bobs.id]);
    });

    test("the same workspace-scoped name may exist in two workspaces", async () => {
      const workspace = g.name("team");
      await g.service.createWorkspace(g.root, { name: workspace });
      const name = g.name("twice");
      const here = await g.create(g.alice, name);
      const there = await g.create(g.alice, name, { workspace });
      expect(there.workspace).toBe(workspace);
      expect((await g.service.getSecret(g.alice, name)).id).toBe(here.id);
      expect((await g.service.getSecret(g.alice, name, { workspace })).id).toBe(there.id);
      expect((await g.service.getSecret(g.inWorkspace(g.alice, workspace), name)).id).toBe(there.id);
      expect((await g.service.listSecrets(g.alice, { name, workspace: "*" })).total).toBe(2);
    });

    test("renaming onto an existing name in the same scope is SECRET_EXISTS and changes nothing", async () => {
      const taken = await g.create(g.alice, g.name("taken"));
      const moving = await g.create(g.alice, g.name("moving"));
      await g.fail(g.service.updateSecret(g.alice, moving.id, { name: taken.name }), "SECRET_EXISTS");
      await g.fail(
        g.service.updateSecret(g.alice, moving.id, { name: taken.name, values: { k: g.value() } }),
        "SECRET_EXISTS",
      );
      expect(await g.service.getSecret(g.alice, moving.id)).toEqual(moving);
      expect(await g.service.getSecret(g.alice, taken.id)).toEqual(taken);
    });

    test("renaming onto a name used only in the other scope is allowed", async () => {
      const other = await g.create(g.alice, g.name("other-scope"), { scope: "user" });
      const moving = await g.create(g.alice, g.name("moving"));
      const renamed = await g.service.updateSecret(g.alice, moving.id, { name: other.name });
      expect(renamed.name).toBe(other.name);
      expect(renamed.scope).toBe("workspace");
    });

    test("renaming a secret to its own name does not clash with itself", async () => {
      const name = g.name("self");
      await g.create(g.alice, name);
      const updated = await g.service.updateSecret(g.alice, name, { name });
      expect(updated.name).toBe(name);
      expect(updated.version).toBe(2);
    });

    test("changing scope to user when the caller owns a user secret of that name is SECRET_EXISTS and changes nothing", async () => {
      const name = g.name("clash");
      const shared = await g.create(g.alice, name);
      const mine = await g.create(g.alice, name, { scope: "user" });
      await g.fail(g.service.updateSecret(g.alice, shared.id, { scope: "user" }), "SECRET_EXISTS");
      expect(await g.service.getSecret(g.alice, shared.id)).toEqual(shared);
      expect(await g.service.getSecret(g.alice, mine.id)).toEqual(mine);
    });

    test("changing scope to workspace when a workspace secret of that name exists is SECRET_EXISTS and changes nothing", async () => {
      const name = g.name("clash");
      const shared = await g.create(g.bob, name);
      const mine = await g.create(g.alice, name, { scope: "user" });
      await g.fail(g.service.updateSecret(g.alice, name, { scope: "workspace" }, { scope: "user" }), "SECRET_EXISTS");
      expect(await g.service.getSecret(g.alice, mine.id)).toEqual(mine);
      expect(await g.service.getSecret(g.bob, shared.id)).toEqual(shared);
    });

    test("a rename plus scope change is checked against the target scope", async () => {
      const target = await g.create(g.alice, g.name("target"), { scope: "user" });
      const moving = await g.create(g.alice, g.name("moving"));
      await g.fail(g.service.updateSecret(g.alice, moving.id, { name: target.name, scope: "user" }), "SECRET_EXISTS");
      expect(await g.service.getSecret(g.alice, moving.id)).toEqual(moving);
      const free = g.name("free");
      const moved = await g.service.updateSecret(g.alice, moving.id, { name: free, scope: "user" });
      expect(moved).toMatchObject({ name: free, scope: "user", version: 2 });
    });

    test("a workspace secret made user-scoped by its owner becomes invisible to others", async () => {
      const name = g.name("privatised");
      const created = await g.create(g.alice, name);
      await g.service.updateSecret(g.alice, name, { scope: "user" });
      await g.fail(g.service.getSecret(g.bob, created.id), "SECRET_NOT_FOUND");
      expect((await g.service.listSecrets(g.bob, { name })).total).toBe(0);
    });

    leakCheck(g);
  });
}
