/** Service conformance: users. */
import type { SuiteContext } from "./suite-context.js";

export function describeUsers({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("users", () => {
    const g = serviceGroup();

    test("deleting a user who owns secrets is USER_OWNS_SECRETS and deletes nothing", async () => {
      const carol = g.as(await g.service.ensureUser("carol"));
      const shared = await g.create(carol, g.name("carols"));
      const own = await g.create(carol, g.name("carols-private"), { scope: "user" });
      const error = await g.fail(g.service.deleteUser(g.root, "carol"), "USER_OWNS_SECRETS");
      expect(error.message).toContain("carol");
      expect(error.message).toContain("2 secrets");
      expect(await g.service.getSecret(g.alice, shared.id)).toEqual(shared);
      expect(await g.service.getSecret(carol, own.id)).toEqual(own);
      expect((await g.service.listUsers(g.root)).map((u) => u.name)).toContain("carol");
    });

    test("deleting a user with cascade deletes the user and every secret they own, of both scopes", async () => {
      const dave = g.as(await g.service.ensureUser("dave"));
      const shared = await g.create(dave, g.name("daves"));
      const own = await g.create(dave, g.name("daves-private"), { scope: "user" });
      const others = await g.create(g.alice, g.name("alices"));
      await g.service.deleteUser(g.root, "dave", { cascade: true });
      expect((await g.service.listUsers(g.root)).map((u) => u.name)).not.toContain("dave");
      await g.fail(g.service.getSecret(g.alice, shared.id), "SECRET_NOT_FOUND");
      await g.fail(g.service.getSecret(dave, own.id), "SECRET_NOT_FOUND");
      expect((await g.service.listSecrets(g.alice, { user: "dave" })).total).toBe(0);
      expect(await g.service.getSecret(g.alice, others.id)).toEqual(others);
      // The name is free again: the row is gone, not merely hidden.
      expect((await g.create(g.alice, shared.name)).user).toBe("alice");
    });

    test("a user without secrets is deleted without cascade", async () => {
      await g.service.ensureUser("erin");
      await g.service.deleteUser(g.root, "erin");
      expect((await g.service.listUsers(g.root)).map((u) => u.name)).not.toContain("erin");
    });

    test("deleting an unknown user is USER_NOT_FOUND", async () => {
      await g.fail(g.service.deleteUser(g.root, "nobody"), "USER_NOT_FOUND");
      await g.fail(g.service.deleteUser(g.root, "nobody", { cascade: true }), "USER_NOT_FOUND");
    });

    test("only admins delete users: FORBIDDEN otherwise, and the user stays", async () => {
      await g.service.ensureUser("frank");
      await g.fail(g.service.deleteUser(g.alice, "frank"), "FORBIDDEN");
      await g.fail(g.service.deleteUser(g.alice, "frank", { cascade: true }), "FORBIDDEN");
      expect((await g.service.listUsers(g.root)).map((u) => u.name)).toContain("frank");
    });

    leakCheck(g);
  });
}
