/** Service conformance: workspaces. */
import {
  LIMITS,
} from "@zs/core";
import type { SuiteContext } from "./suite-context.js";

export function describeWorkspaces({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("workspaces", () => {
    const g = serviceGroup();

    test("only admins create workspaces: FORBIDDEN otherwise; duplicates are WORKSPACE_EXISTS; names follow the name rule", async () => {
      const name = g.name("ws");
      await g.fail(g.service.createWorkspace(g.alice, { name }), "FORBIDDEN");
      const created = await g.service.createWorkspace(g.root, { name });
      expect(created.name).toBe(name);
      await g.fail(g.service.createWorkspace(g.root, { name }), "WORKSPACE_EXISTS");
      await g.fail(g.service.createWorkspace(g.root, { name: "a b" }), "VALIDATION_ERROR");
      expect((await g.service.listWorkspaces(g.alice)).map((w) => w.name)).toContain(name);
    });

    test("creating a secret in a workspace that does not exist is WORKSPACE_NOT_FOUND and writes nothing", async () => {
      const missing = g.name("missing-ws");
      const name = g.name("orphan");
      const error = await g.fail(g.create(g.alice, name, { workspace: missing }), "WORKSPACE_NOT_FOUND");
      expect(error.message).toContain(missing);
      await g.fail(g.create(g.inWorkspace(g.alice, missing), name), "WORKSPACE_NOT_FOUND");
      expect((await g.service.listSecrets(g.alice, { name, workspace: "*" })).total).toBe(0);
    });

    test("get, update, rename and delete in a workspace that does not exist are WORKSPACE_NOT_FOUND, not SECRET_NOT_FOUND", async () => {
      const missing = g.name("missing-ws");
      const existing = await g.create(g.alice, g.name("here"));
      for (const attempt of [
        g.service.getSecret(g.alice, existing.name, { workspace: missing }),
        g.service.findSecret(g.inWorkspace(g.alice, missing), existing.name),
        g.service.updateSecret(g.alice, existing.id, { values: { k: g.value() } }, { workspace: missing }),
        g.service.updateSecret(g.inWorkspace(g.alice, missing), existing.name, { name: g.name("renamed") }),
        g.service.deleteSecret(g.alice, existing.name, { workspace: missing }),
      ]) {
        const error = await g.fail(attempt, "WORKSPACE_NOT_FOUND");
        expect(error.message).toBe(`No workspace named '${missing}'.`);
      }
      expect(await g.service.getSecret(g.alice, existing.id)).toEqual(existing);
      await g.fail(g.service.getSecret(g.alice, g.name("absent"), { workspace: "*" }), "SECRET_NOT_FOUND");
    });

    test("deleting a workspace deletes its secrets of both scopes, and no other workspace's", async () => {
      const workspace = g.name("doomed");
      await g.service.createWorkspace(g.root, { name: workspace });
      const inside = [
        await g.create(g.alice, g.name("in"), { workspace }),
        await g.create(g.bob, g.name("in-private"), { workspace, scope: "user" }),
        await g.create(g.alice, g.name("in-private"), { workspace, scope: "user" }),
      ];
      const outside = await g.create(g.alice, inside[0]!.name);
      await g.service.deleteWorkspace(g.root, workspace);
      for (const secret of inside) {
        const owner = secret.user === "bob" ? g.bob : g.alice;
        await g.fail(g.service.getSecret(owner, secret.id, { workspace: "*" }), "SECRET_NOT_FOUND");
        await g.fail(g.service.getSecret(owner, secret.name, { workspace }), "WORKSPACE_NOT_FOUND");
      }
      expect((await g.service.listWorkspaces(g.root)).map((w) => w.name)).not.toContain(workspace);
      await g.fail(g.service.listSecrets(g.alice, { workspace }), "WORKSPACE_NOT_FOUND");
      const everywhere = await g.service.listSecrets(g.alice, { workspace: "*", size: LIMITS.maxPageSize });
      for (const secret of inside) expect(everywhere.items.map((s) => s.id)).not.toContain(secret.id);
      expect(await g.service.getSecret(g.alice, outside.id)).toEqual(outside);
      await g.service.createWorkspace(g.root, { name: workspace });
      expect((await g.service.listSecrets(g.inWorkspace(g.alice, workspace))).total).toBe(0);
      expect((await g.create(g.alice, inside[0]!.name, { workspace })).version).toBe(1);
    });

    test("deleting a workspace is refused to non-admins (FORBIDDEN) and keeps its secrets", async () => {
      const workspace = g.name("kept");
      await g.service.createWorkspace(g.root, { name: workspace });
      const secret = await g.create(g.alice, g.name("kept"), { workspace });
      await g.fail(g.service.deleteWorkspace(g.alice, workspace), "FORBIDDEN");
      expect(await g.service.getSecret(g.alice, secret.id, { workspace })).toEqual(secret);
    });

    test("workspace default cannot be deleted", async () => {
      const secret = await g.create(g.alice, g.name("in-default"));
      const error = await g.fail(g.service.deleteWorkspace(g.root, "default"), "VALIDATION_ERROR");
      expect(error.message).toContain("cannot be deleted");
      expect(await g.service.getSecret(g.alice, secret.id)).toEqual(secret);
      expect((await g.service.listWorkspaces(g.root)).map((w) => w.name)).toContain("default");
    });

    test("deleting an unknown workspace is WORKSPACE_NOT_FOUND", async () => {
      await g.fail(g.service.deleteWorkspace(g.root, g.name("never")), "WORKSPACE_NOT_FOUND");
    });

    leakCheck(g);
  });
}
