import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

// Password lifecycle, admins and API key rules over HTTP (security.md "Authentication and access").
describe("accounts", () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await TestServer.start();
    admin = await server.login("admin", ADMIN_PASSWORD);
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  const createUser = async (name: string, password: string, isAdmin = false) => {
    const created = await server.call("POST", "/api/v1/users", { token: admin, body: { name, password, is_admin: isAdmin } });
    expect(created.status).toBe(201);
    return server.login(name, password);
  };
  const loginStatus = async (username: string, password: string) => (await server.call("POST", "/api/v1/login", { body: { username, password } })).status;
  const tokenWorks = async (token: string) => (await server.call("GET", "/api/v1/current-user", { token })).status === 200;

  describe("changing your own password", () => {
    it("needs the current password; revokes your other sessions and keeps the one you asked with", async () => {
      const first = await createUser("hanna", "hanna-old-password");
      const second = await server.login("hanna", "hanna-old-password");
      const changed = await server.call("POST", "/api/v1/current-user/password", {
        token: first,
        body: { current_password: "hanna-old-password", new_password: "hanna-new-password" },
      });
      expect(changed.status).toBe(204);
      expect(await tokenWorks(first)).toBe(true);
      expect(await tokenWorks(second)).toBe(false);
      expect(await loginStatus("hanna", "hanna-old-password")).toBe(401);
      expect(await loginStatus("hanna", "hanna-new-password")).toBe(200);
    });

    it.each([
      ["a wrong current password", { current_password: "not-my-password", new_password: "ivan-next-password" }, 403, "FORBIDDEN"],
      ["a new password under 8 characters", { current_password: "ivan-password-1", new_password: "short" }, 400, "VALIDATION_ERROR"],
      ["no current password", { new_password: "ivan-next-password" }, 400, "VALIDATION_ERROR"],
      ["an unknown field", { current_password: "ivan-password-1", new_password: "ivan-next-password", user: "admin" }, 400, "VALIDATION_ERROR"],
    ])("%s is refused and changes nothing", async (_label, body, status, code) => {
      const name = `ivan-${Math.random().toString(36).slice(2, 8)}`;
      const token = await createUser(name, "ivan-password-1");
      const other = await server.login(name, "ivan-password-1");
      const result = await server.call("POST", "/api/v1/current-user/password", { token, body });
      expect(result.status).toBe(status);
      expect(result.json.error.code).toBe(code);
      expect(result.text).not.toContain("ivan-password-1");
      expect(await tokenWorks(other)).toBe(true);
      expect(await loginStatus(name, "ivan-password-1")).toBe(200);
    });

    it("without a token is 401", async () => {
      const result = await server.call("POST", "/api/v1/current-user/password", { body: { current_password: "a-password", new_password: "b-password" } });
      expect(result.status).toBe(401);
    });
  });

  describe("an admin setting a user's password", () => {
    it("sets it and revokes that user's sessions", async () => {
      const session = await createUser("jules", "jules-password-1");
      const result = await server.call("PUT", "/api/v1/users/jules/password", { token: admin, body: { password: "jules-password-2" } });
      expect(result.status).toBe(204);
      expect(await tokenWorks(session)).toBe(false);
      expect(await loginStatus("jules", "jules-password-1")).toBe(401);
      expect(await loginStatus("jules", "jules-password-2")).toBe(200);
      expect(await tokenWorks(admin)).toBe(true);
    });

    it.each([
      ["by a user who is not an admin", "kim", "kim", { password: "kims-new-password" }, 403, "FORBIDDEN"],
      ["of a user who does not exist", "admin", "nobody-here", { password: "whatever-password" }, 404, "USER_NOT_FOUND"],
      ["to a password under 8 characters", "admin", "kim", { password: "short" }, 400, "VALIDATION_ERROR"],
    ])("%s is refused and changes nothing", async (_label, asUser, name, body, status, code) => {
      const kim = (await server.call("GET", "/api/v1/users", { token: admin })).json.some((u: { name: string }) => u.name === "kim")
        ? await server.login("kim", "kims-password-1")
        : await createUser("kim", "kims-password-1");
      const result = await server.call("PUT", `/api/v1/users/${name}/password`, { token: asUser === "kim" ? kim : admin, body });
      expect(result.status).toBe(status);
      expect(result.json.error.code).toBe(code);
      expect(await tokenWorks(kim)).toBe(true);
      expect(await loginStatus("kim", "kims-password-1")).toBe(200);
    });
  });

  describe("the last admin", () => {
    it("cannot be deleted or demoted (409 LAST_ADMIN); once another admin exists, it can", async () => {
      const deleted = await server.call("DELETE", "/api/v1/users/admin", { token: admin });
      expect(deleted.status).toBe(409);
      expect(deleted.json.error.code).toBe("LAST_ADMIN");
      const demoted = await server.call("PATCH", "/api/v1/users/admin", { token: admin, body: { is_admin: false } });
      expect(demoted.status).toBe(409);
      expect(demoted.json.error.code).toBe("LAST_ADMIN");
      expect((await server.call("GET", "/api/v1/current-user", { token: admin })).json.is_admin).toBe(true);

      await createUser("lena", "lena-password-1");
      const promoted = await server.call("PATCH", "/api/v1/users/lena", { token: admin, body: { is_admin: true } });
      expect(promoted.status).toBe(200);
      expect(promoted.json).toMatchObject({ name: "lena", is_admin: true });
      const lena = await server.login("lena", "lena-password-1");
      const demotedNow = await server.call("PATCH", "/api/v1/users/lena", { token: admin, body: { is_admin: false } });
      expect(demotedNow.json).toMatchObject({ name: "lena", is_admin: false });
      expect((await server.call("GET", "/api/v1/users", { token: lena })).status).toBe(403);
    });

    it("two admins deleting each other at once: one succeeds, the other gets LAST_ADMIN", async () => {
      const mona = await createUser("mona", "mona-password-1", true);
      const nils = await createUser("nils", "nils-password-1", true);
      // Leave exactly these two admins: demote the first one through them.
      expect((await server.call("PATCH", "/api/v1/users/admin", { token: mona, body: { is_admin: false } })).status).toBe(200);
      const [a, b] = await Promise.all([
        server.call("DELETE", "/api/v1/users/nils", { token: mona }),
        server.call("DELETE", "/api/v1/users/mona", { token: nils }),
      ]);
      const statuses = [a.status, b.status].sort();
      // The loser either finds itself deleted (401) or is refused as the last admin (409).
      expect(statuses[0]).toBe(204);
      expect([401, 409]).toContain(statuses[1]);
      const survivor = a.status === 204 ? mona : nils;
      const users = (await server.call("GET", "/api/v1/users", { token: survivor })).json as { is_admin: boolean }[];
      expect(users.filter((user) => user.is_admin)).toHaveLength(1);
      expect((await server.call("PATCH", "/api/v1/users/admin", { token: survivor, body: { is_admin: true } })).status).toBe(200);
    });

    it.each([
      ["a body without is_admin", {}],
      ["is_admin as a string", { is_admin: "true" }],
      ["an unknown field", { is_admin: true, password: "x" }],
    ])("PATCH /users/NAME with %s is 400 and changes nothing", async (_label, body) => {
      const users = (await server.call("GET", "/api/v1/users", { token: admin })).json;
      const result = await server.call("PATCH", "/api/v1/users/hanna", { token: admin, body });
      expect(result.status).toBe(400);
      expect(result.json.error.code).toBe("VALIDATION_ERROR");
      expect((await server.call("GET", "/api/v1/users", { token: admin })).json).toEqual(users);
    });
  });

  describe("API keys", () => {
    let session: string;
    beforeAll(async () => {
      session = await createUser("olga", "olga-password-1");
    });
    const keyNames = async () => ((await server.call("GET", "/api/v1/api-keys", { token: session })).json as { name: string }[]).map((k) => k.name);

    it("expires_in sets when a key expires; listed with it", async () => {
      const before = Date.now();
      const created = await server.call("POST", "/api/v1/api-keys", { token: session, body: { name: "quarterly", expires_in: "90d" } });
      expect(created.status).toBe(201);
      const expires = Date.parse(created.json.expires);
      expect(expires).toBeGreaterThanOrEqual(before + 90 * 86_400_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 90 * 86_400_000);
      const listed = (await server.call("GET", "/api/v1/api-keys", { token: session })).json.find((k: { id: string }) => k.id === created.json.id);
      expect(listed.expires).toBe(created.json.expires);
      expect(await tokenWorks(created.json.key)).toBe(true);
    });

    it.each(["90", "0d", "-1d", "1y", "3651d", "1.5d", "90 d", ""])("expires_in %j is 400 and creates no key", async (expiresIn) => {
      const before = await keyNames();
      const result = await server.call("POST", "/api/v1/api-keys", { token: session, body: { name: "bad-expiry", expires_in: expiresIn } });
      expect(result.status).toBe(400);
      expect(result.json.error.code).toBe("VALIDATION_ERROR");
      expect(result.json.error.message).toContain("expires_in");
      expect(await keyNames()).toEqual(before);
    });

    it("an API key cannot create or delete API keys: 403, nothing changed", async () => {
      const created = await server.call("POST", "/api/v1/api-keys", { token: session, body: { name: "deployer" } });
      const key = created.json.key as string;
      const before = await keyNames();
      const minted = await server.call("POST", "/api/v1/api-keys", { token: key, body: { name: "minted" } });
      expect(minted.status).toBe(403);
      expect(minted.json.error.code).toBe("FORBIDDEN");
      const deleted = await server.call("DELETE", `/api/v1/api-keys/${created.json.id}`, { token: key });
      expect(deleted.status).toBe(403);
      expect(await keyNames()).toEqual(before);
      // Reading with a key still works.
      expect((await server.call("GET", "/api/v1/api-keys", { token: key })).status).toBe(200);
    });
  });
});
