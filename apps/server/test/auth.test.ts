import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DEFAULT_LOGIN_LIMITS } from "../src/auth/login-throttle.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

describe("authentication", () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await TestServer.start({ loginLimits: { ...DEFAULT_LOGIN_LIMITS, perUserAndAddress: 5, perAddress: 1000 } });
    admin = await server.login("admin", ADMIN_PASSWORD);
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  it("login returns a bearer token that expires in 24 h and is never cached", async () => {
    const result = await server.call("POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ access_token: expect.stringMatching(/^zss_[A-Za-z0-9_-]{43}$/), token_type: "bearer", expires_in: 86400 });
    expect(result.headers.get("cache-control")).toBe("no-store");
  });

  it("a wrong password and an unknown user get the same 401", async () => {
    const wrong = await server.call("POST", "/api/v1/login", { body: { username: "admin", password: "not-the-password" } });
    const unknown = await server.call("POST", "/api/v1/login", { body: { username: "nobody", password: "not-the-password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.json.error.code).toBe("UNAUTHENTICATED");
  });

  it("current-user names the token's user", async () => {
    const result = await server.call("GET", "/api/v1/current-user", { token: admin });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ id: expect.any(String), name: "admin", is_admin: true, created: expect.any(String) });
  });

  it.each([
    ["no Authorization header", {}],
    ["a scheme other than Bearer", { authorization: "Basic YWRtaW46YWRtaW4=" }],
    ["a malformed token", { authorization: "Bearer not-a-token" }],
    ["a well-formed token nobody was given", { authorization: `Bearer zss_${"A".repeat(43)}` }],
    ["an empty bearer", { authorization: "Bearer " }],
  ])("%s is 401 with a WWW-Authenticate challenge", async (_label, headers) => {
    const result = await server.call("GET", "/api/v1/secrets", { headers });
    expect(result.status).toBe(401);
    expect(result.json.error.code).toBe("UNAUTHENTICATED");
    expect(result.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("logout revokes the token it presents, and only that one", async () => {
    const session = await server.login("admin", ADMIN_PASSWORD);
    const other = await server.login("admin", ADMIN_PASSWORD);
    expect((await server.call("POST", "/api/v1/logout", { token: session })).status).toBe(204);
    expect((await server.call("GET", "/api/v1/current-user", { token: session })).status).toBe(401);
    expect((await server.call("GET", "/api/v1/current-user", { token: other })).status).toBe(200);
  });

  it("API keys: shown once, listed without the key, usable, deleted → 401", async () => {
    const created = await server.call("POST", "/api/v1/api-keys", { token: admin, body: { name: "ci-deploy" } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), name: "ci-deploy", created: expect.any(String), last_used: null, expires: null, key: expect.stringMatching(/^zsk_/) });
    const key = created.json.key as string;
    expect((await server.call("GET", "/api/v1/current-user", { token: key })).json.name).toBe("admin");

    const listed = await server.call("GET", "/api/v1/api-keys", { token: admin });
    expect(listed.status).toBe(200);
    const entry = listed.json.find((item: { id: string }) => item.id === created.json.id);
    expect(entry).toEqual({ id: created.json.id, name: "ci-deploy", created: created.json.created, last_used: expect.any(String), expires: null });
    expect(listed.text).not.toContain(key);

    expect((await server.call("DELETE", `/api/v1/api-keys/${created.json.id}`, { token: admin })).status).toBe(204);
    expect((await server.call("GET", "/api/v1/current-user", { token: key })).status).toBe(401);
    const again = await server.call("DELETE", `/api/v1/api-keys/${created.json.id}`, { token: admin });
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe("NOT_FOUND");
  });

  it("another user's API key cannot be listed or deleted: 404", async () => {
    const bob = await server.createUser(admin, "bob-keys");
    const created = await server.call("POST", "/api/v1/api-keys", { token: bob, body: { name: "bobs" } });
    const byAdmin = await server.call("DELETE", `/api/v1/api-keys/${created.json.id}`, { token: admin });
    expect(byAdmin.status).toBe(404);
    expect((await server.call("GET", "/api/v1/api-keys", { token: admin })).text).not.toContain(created.json.id);
    expect((await server.call("GET", "/api/v1/current-user", { token: created.json.key })).status).toBe(200);
  });

  it("deleting a user revokes their sessions and API keys", async () => {
    const carol = await server.createUser(admin, "carol-gone");
    const key = (await server.call("POST", "/api/v1/api-keys", { token: carol, body: { name: "k" } })).json.key as string;
    expect((await server.call("DELETE", "/api/v1/users/carol-gone", { token: admin })).status).toBe(204);
    expect((await server.call("GET", "/api/v1/current-user", { token: carol })).status).toBe(401);
    expect((await server.call("GET", "/api/v1/current-user", { token: key })).status).toBe(401);
  });

  it("failed logins are rate-limited per user name and address: 429 with Retry-After, even with the right password", async () => {
    await server.createUser(admin, "dave-limited");
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await server.call("POST", "/api/v1/login", { body: { username: "dave-limited", password: "wrong-password" } })).status).toBe(401);
    }
    const limited = await server.call("POST", "/api/v1/login", { body: { username: "dave-limited", password: "wrong-password" } });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    // The same wait in the body's details, snake_case like every wire field.
    expect(limited.json.error.details).toEqual({ retry_after_seconds: Number(limited.headers.get("retry-after")) });
    // Other users are unaffected.
    expect((await server.call("POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } })).status).toBe(200);
  });
});

describe("login rate limit per client address", () => {
  it("many names failing from one address are limited too", async () => {
    const server = await TestServer.start({ loginLimits: { ...DEFAULT_LOGIN_LIMITS, perUserAndAddress: 100, perAddress: 3 } });
    try {
      for (const name of ["a-one", "a-two", "a-three"]) {
        expect((await server.call("POST", "/api/v1/login", { body: { username: name, password: "wrong-password" } })).status).toBe(401);
      }
      const limited = await server.call("POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await server.stop();
    }
  });
});
