import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ADMIN_PASSWORD, type ServerUnderTest } from "./server-under-test.js";

/**
 * The secret CRUD part of the server's tests, run against any server: create and get (by
 * name, id and id prefix), PATCH merge with If-Match, PUT of the whole values map, DELETE,
 * the privacy of user-scoped secrets, listing, and the size limit. `startServer` gives a
 * fresh server whose users are only its admin (password `ADMIN_PASSWORD`); whatever values
 * store it is configured with must make every test pass alike. The server is stopped after
 * the last test, once its logs are checked for every value and credential the tests used.
 */
export function describeSecretCrud(label: string, startServer: () => Promise<ServerUnderTest>): void {
  describe(`secrets over HTTP, values in ${label}`, () => {
    let server: ServerUnderTest;
    let admin: string;
    let alice: string;
    let bob: string;

    beforeAll(async () => {
      server = await startServer();
      admin = await server.login("admin", ADMIN_PASSWORD);
      alice = await server.createUser(admin, "alice");
      bob = await server.createUser(admin, "bob");
    });
    afterAll(async () => {
      if (!server) return;
      expect(server.leakedIntoLogs()).toEqual([]);
      await server.stop();
    });

    it("create → 201 with values, ETag and no-store; get by name, id and id prefix", async () => {
      const created = await server.call("POST", "/api/v1/secrets", { token: alice, body: { name: "db", values: { user: "app-user-1", password: "pw-create-1" } } });
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: "db",
        scope: "workspace",
        workspace: "default",
        user: "alice",
        keys: ["password", "user"],
        version: 1,
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated: created.json.created,
        values: { user: "app-user-1", password: "pw-create-1" },
      });
      expect(created.headers.get("etag")).toBe('"1"');
      expect(created.headers.get("cache-control")).toBe("no-store");
      for (const ref of ["db", created.json.id, created.json.id.slice(0, 8)]) {
        const got = await server.call("GET", `/api/v1/secrets/${ref}`, { token: bob });
        expect(got.status).toBe(200);
        expect(got.json.values).toEqual({ user: "app-user-1", password: "pw-create-1" });
        expect(got.headers.get("etag")).toBe('"1"');
      }
    });

    it("a second create of the name is 409 SECRET_EXISTS naming scope and workspace; the first keeps its values", async () => {
      const again = await server.call("POST", "/api/v1/secrets", { token: bob, body: { name: "db", values: { k: "v-dup-1" } } });
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe("SECRET_EXISTS");
      expect(again.json.error.message).toMatch(/workspace/);
      expect((await server.call("GET", "/api/v1/secrets/db", { token: bob })).json).toMatchObject({ version: 1, values: { user: "app-user-1", password: "pw-create-1" } });
    });

    it("PATCH merges values (null removes), bumps the version, and If-Match guards it → 412", async () => {
      await server.call("POST", "/api/v1/secrets", { token: alice, body: { name: "merge-me", values: { a: "value-a-1", b: "value-b-1" } } });
      const patched = await server.call("PATCH", "/api/v1/secrets/merge-me", {
        token: alice,
        body: { values: { b: null, c: "value-c-1" } },
        headers: { "if-match": '"1"' },
      });
      expect(patched.status).toBe(200);
      expect(patched.json.values).toEqual({ a: "value-a-1", c: "value-c-1" });
      expect(patched.json.version).toBe(2);
      expect(patched.headers.get("etag")).toBe('"2"');
      const stale = await server.call("PATCH", "/api/v1/secrets/merge-me", { token: alice, body: { values: { d: "value-d-1" } }, headers: { "if-match": '"1"' } });
      expect(stale.status).toBe(412);
      expect(stale.json.error.code).toBe("VERSION_MISMATCH");
      expect((await server.call("GET", "/api/v1/secrets/merge-me", { token: alice })).json.values).toEqual({ a: "value-a-1", c: "value-c-1" });
      const anyVersion = await server.call("PATCH", "/api/v1/secrets/merge-me", { token: alice, body: { name: "merged" }, headers: { "if-match": "*" } });
      expect(anyVersion.json).toMatchObject({ name: "merged", version: 3 });
    });

    it("PUT …/values replaces the whole map", async () => {
      await server.call("POST", "/api/v1/secrets", { token: alice, body: { name: "replace-me", values: { old: "old-value-1" } } });
      const replaced = await server.call("PUT", "/api/v1/secrets/replace-me/values", { token: alice, body: { values: { fresh: "fresh-value-1" } } });
      expect(replaced.status).toBe(200);
      expect(replaced.json).toMatchObject({ keys: ["fresh"], values: { fresh: "fresh-value-1" }, version: 2 });
    });

    it("DELETE → 200 deleted and recoverable, then 404 with the lookup message", async () => {
      await server.call("POST", "/api/v1/secrets", { token: alice, body: { name: "short-lived", values: { k: "short-value-1" } } });
      const deleted = await server.call("DELETE", "/api/v1/secrets/short-lived", { token: alice });
      expect(deleted.status).toBe(200);
      expect(deleted.json).toMatchObject({ name: "short-lived", purged: false, warnings: [] });
      expect(Date.parse(deleted.json.purge_after) - Date.parse(deleted.json.deleted)).toBe(7 * 86_400_000);
      const gone = await server.call("GET", "/api/v1/secrets/short-lived", { token: alice });
      expect(gone.status).toBe(404);
      expect(gone.json.error).toEqual({ code: "SECRET_NOT_FOUND", message: "No secret with name, id or id prefix 'short-lived' in workspace 'default'." });
    });

    it("a deleted secret is listed with deleted=true and recovers with its values from the store; purge=true is for good", async () => {
      const created = await server.call("POST", "/api/v1/secrets", { token: alice, body: { name: "recoverable", values: { k: "recoverable-value-1" } } });
      expect((await server.call("DELETE", "/api/v1/secrets/recoverable", { token: alice })).status).toBe(200);
      const listed = await server.call("GET", "/api/v1/secrets?deleted=true&name=recoverable", { token: alice });
      expect(listed.json.items).toEqual([expect.objectContaining({ id: created.json.id, name: "recoverable", purge_after: expect.any(String) })]);
      expect(listed.text).not.toContain("recoverable-value-1");
      const recovered = await server.call("POST", `/api/v1/secrets/${created.json.id}/recover`, { token: alice, body: {} });
      expect(recovered.status).toBe(200);
      expect(recovered.json).toMatchObject({ id: created.json.id, name: "recoverable", version: 2 });
      expect((await server.call("GET", "/api/v1/secrets/recoverable", { token: alice })).json.values).toEqual({ k: "recoverable-value-1" });

      const purged = await server.call("DELETE", "/api/v1/secrets/recoverable?purge=true", { token: alice });
      expect(purged.json).toMatchObject({ id: created.json.id, purged: true });
      const again = await server.call("POST", `/api/v1/secrets/${created.json.id}/recover`, { token: alice, body: {} });
      expect(again.status).toBe(404);
      expect(again.json.error.message).toContain("purged");
    });

    describe("a user-scoped secret is private to its owner", () => {
      let id: string;
      beforeAll(async () => {
        const created = await server.call("POST", "/api/v1/secrets", { token: alice, body: { name: "alice-own", scope: "user", values: { token: "alice-private-1" } } });
        id = created.json.id;
      });

      it.each([
        ["bob", () => bob],
        ["an admin", () => admin],
      ])("to %s: get by name, id and prefix, update, replace, delete are all 404", async (_who, token) => {
        for (const ref of ["alice-own", id, id.slice(0, 8)]) {
          expect((await server.call("GET", `/api/v1/secrets/${ref}`, { token: token() })).status).toBe(404);
          expect((await server.call("PATCH", `/api/v1/secrets/${ref}`, { token: token(), body: { values: { x: "intruder-1" } } })).status).toBe(404);
          expect((await server.call("PUT", `/api/v1/secrets/${ref}/values`, { token: token(), body: { values: { x: "intruder-1" } } })).status).toBe(404);
          expect((await server.call("DELETE", `/api/v1/secrets/${ref}`, { token: token() })).status).toBe(404);
        }
        const listed = await server.call("GET", "/api/v1/secrets?name=alice-own&size=1000", { token: token() });
        expect(listed.json.total).toBe(0);
        const all = await server.call("GET", "/api/v1/secrets?workspace=*&size=1000", { token: token() });
        expect(all.json.items.map((item: { id: string }) => item.id)).not.toContain(id);
      });

      it("the owner sees it; the values are intact after the attempts", async () => {
        const got = await server.call("GET", "/api/v1/secrets/alice-own", { token: alice });
        expect(got.json).toMatchObject({ scope: "user", user: "alice", values: { token: "alice-private-1" }, version: 1 });
        expect((await server.call("GET", "/api/v1/secrets?name=alice-own", { token: alice })).json.total).toBe(1);
      });

      it("bob may own a user secret of the same name; each sees their own first", async () => {
        await server.call("POST", "/api/v1/secrets", { token: bob, body: { name: "alice-own", scope: "user", values: { token: "bob-private-1" } } });
        expect((await server.call("GET", "/api/v1/secrets/alice-own", { token: bob })).json.values.token).toBe("bob-private-1");
        expect((await server.call("GET", "/api/v1/secrets/alice-own", { token: alice })).json.values.token).toBe("alice-private-1");
      });
    });

    describe("listing", () => {
      beforeAll(async () => {
        await server.call("POST", "/api/v1/workspaces", { token: admin, body: { name: "listing" } });
        for (let i = 0; i < 25; i++) {
          const name = `list-${String(i).padStart(2, "0")}`;
          await server.call("POST", "/api/v1/secrets", { token: alice, body: { name, workspace: "listing", values: { n: `list-value-${i}` } } });
        }
      });

      it("pages carry index, max_size, total_pages, total and items without values", async () => {
        const page = await server.call("GET", "/api/v1/secrets?workspace=listing&size=10&page=3&sort_by=name", { token: bob });
        expect(page.status).toBe(200);
        expect(page.json).toMatchObject({ index: 3, max_size: 10, total_pages: 3, total: 25 });
        expect(page.json.items.map((item: { name: string }) => item.name)).toEqual(["list-20", "list-21", "list-22", "list-23", "list-24"]);
        expect(page.json.items[0]).not.toHaveProperty("values");
        expect(page.text).not.toContain("list-value-");
      });

      it("filters, sort and logical operator use model.md's grammar", async () => {
        const filtered = await server.call("GET", "/api/v1/secrets?workspace=listing&name=endswith:1&sort_by=desc:name", { token: bob });
        expect(filtered.json.items.map((item: { name: string }) => item.name)).toEqual(["list-21", "list-11", "list-01"]);
        const either = await server.call("GET", "/api/v1/secrets?workspace=listing&name=list-03&id=startswith:zzz&logical_operator=or", { token: bob });
        expect(either.json.total).toBe(1);
      });

      it("a page past the last is 400 PAGE_OUT_OF_RANGE naming it", async () => {
        const beyond = await server.call("GET", "/api/v1/secrets?workspace=listing&size=10&page=4", { token: bob });
        expect(beyond.status).toBe(400);
        expect(beyond.json.error.code).toBe("PAGE_OUT_OF_RANGE");
        expect(beyond.json.error.message).toContain("3");
      });

      it("the same lookup works in another workspace with ?workspace=", async () => {
        const got = await server.call("GET", "/api/v1/secrets/list-07?workspace=listing", { token: bob });
        expect(got.json.values).toEqual({ n: "list-value-7" });
        expect((await server.call("GET", "/api/v1/secrets/list-07", { token: bob })).status).toBe(404);
      });

      it("each item says who made its current version (updated_by): the creator, then whoever changed it last", async () => {
        const listed = async () => (await server.call("GET", "/api/v1/secrets?workspace=listing&name=startswith:list-0&size=3&sort_by=name", { token: admin })).json.items;
        const [first] = await listed();
        expect(Object.keys(first).sort()).toEqual(["created", "id", "keys", "name", "scope", "updated", "updated_by", "user", "version", "workspace"]);
        expect(first).toMatchObject({ name: "list-00", user: "alice", version: 1, updated_by: "alice" });
        expect((await server.call("PATCH", "/api/v1/secrets/list-01?workspace=listing", { token: bob, body: { values: { m: "list-value-m" } } })).status).toBe(200);
        expect((await listed()).map((item: { name: string; updated_by: string }) => [item.name, item.updated_by])).toEqual([
          ["list-00", "alice"],
          ["list-01", "bob"],
          ["list-02", "alice"],
        ]);
      });
    });

    it("a secret over 65,536 bytes is 413 SECRET_TOO_LARGE and nothing is written", async () => {
      const result = await server.call("POST", "/api/v1/secrets", { token: alice, body: { name: "huge", values: { blob: "x".repeat(70_000) } } });
      expect(result.status).toBe(413);
      expect(result.json.error.code).toBe("SECRET_TOO_LARGE");
      expect((await server.call("GET", "/api/v1/secrets/huge", { token: alice })).status).toBe(404);
    });
  });
}
