/** Service conformance: user-scoped secrets are private. */
import { randomUUID } from "node:crypto";
import {
  LIMITS,
  type Secret,
} from "@zs/core";
import type { SuiteContext } from "./suite-context.js";

export function describeUserScopedSecretsArePrivate({ describe, test, expect, beforeAll, serviceGroup, leakCheck }: SuiteContext): void {
  describe("user-scoped secrets are private", () => {
    const g = serviceGroup();
    let hidden: Secret;

    beforeAll(async () => {
      hidden = await g.service.createSecret(g.alice, {
        name: g.name("private"),
        values: { token: g.value() },
        scope: "user",
      });
    });

    test("get by full id, by name and by id prefix is SECRET_NOT_FOUND for another user", async () => {
      for (const key of [hidden.id, hidden.name, hidden.id.slice(0, 8), hidden.id.slice(0, 13)]) {
        await g.fail(g.service.getSecret(g.bob, key), "SECRET_NOT_FOUND");
        await g.fail(g.service.getSecret(g.bob, key, { scope: "user" }), "SECRET_NOT_FOUND");
      }
    });

    test("get by full id, by name and by id prefix is SECRET_NOT_FOUND for an admin too", async () => {
      for (const key of [hidden.id, hidden.name, hidden.id.slice(0, 8)]) {
        await g.fail(g.service.getSecret(g.root, key), "SECRET_NOT_FOUND");
      }
    });

    test("the not-found error is the same as for a secret that never existed", async () => {
      const error = await g.fail(g.service.getSecret(g.bob, hidden.id), "SECRET_NOT_FOUND");
      expect(error.message).toContain(`No secret with name, id or id prefix '${hidden.id}' in workspace 'default'`);
      const neverExisted = randomUUID();
      const other = await g.fail(g.service.getSecret(g.bob, neverExisted), "SECRET_NOT_FOUND");
      expect(other.message.replace(neverExisted, "X")).toBe(error.message.replace(hidden.id, "X"));
    });

    test("lists of others leave it out of items and total, whatever the filter, admins included", async () => {
      for (const viewer of [g.bob, g.root]) {
        const all = await g.service.listSecrets(viewer, { workspace: "*", size: LIMITS.maxPageSize });
        expect(all.items.map((s) => s.id)).not.toContain(hidden.id);
        expect(all.total).toBe(all.items.length);
        for (const query of [
          { name: hidden.name },
          { id: hidden.id },
          { id: `startswith:${hidden.id.slice(0, 8)}` },
          { user: "alice" },
          { scope: "user" },
          { name: hidden.name, scope: "user", logicalOperator: "or" as const },
        ]) {
          const page = await g.service.listSecrets(viewer, query);
          expect({ query, total: page.total, ids: page.items.map((s) => s.id) }).toEqual({ query, total: 0, ids: [] });
        }
      }
    });

    test("the owner lists it", async () => {
      const page = await g.service.listSecrets(g.alice, { name: hidden.name });
      expect(page.items.map((s) => s.id)).toEqual([hidden.id]);
    });

    test("update, replace, rename and delete by others are SECRET_NOT_FOUND and change nothing", async () => {
      for (const viewer of [g.bob, g.root]) {
        for (const key of [hidden.id, hidden.name, hidden.id.slice(0, 8)]) {
          await g.fail(g.service.updateSecret(viewer, key, { values: { token: g.value() } }), "SECRET_NOT_FOUND");
          await g.fail(g.service.updateSecret(viewer, key, { name: g.name("stolen") }), "SECRET_NOT_FOUND");
          await g.fail(g.service.updateSecret(viewer, key, { scope: "workspace" }), "SECRET_NOT_FOUND");
          await g.fail(g.service.replaceSecretValues(viewer, key, { token: g.value() }), "SECRET_NOT_FOUND");
          await g.fail(g.service.deleteSecret(viewer, key), "SECRET_NOT_FOUND");
        }
      }
      expect(await g.service.getSecret(g.alice, hidden.id)).toEqual(hidden);
    });

    test("another user's lookup by that name finds the workspace secret of the name, not the private one", async () => {
      const shared = await g.create(g.bob, hidden.name);
      expect((await g.service.getSecret(g.bob, hidden.name)).id).toBe(shared.id);
      expect((await g.service.getSecret(g.root, hidden.name)).id).toBe(shared.id);
      expect((await g.service.getSecret(g.alice, hidden.name)).id).toBe(hidden.id);
      const updated = await g.service.updateSecret(g.bob, hidden.name, { values: { more: g.value() } });
      expect(updated.id).toBe(shared.id);
      expect(await g.service.getSecret(g.alice, hidden.id)).toEqual(hidden);
    });

    leakCheck(g);
  });
}
