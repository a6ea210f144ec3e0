import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readConfig } from "@zs/core";
import { DASHBOARD_CSP } from "../src/dashboard-files.js";
import type { HttpResult } from "./support/http-client.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

const CSRF = { "X-ZS-Request": "1" };
const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/app-1a2b.js"></script></head><body></body></html>';
const APP_JS = 'console.log("dashboard");';

/** The session token out of a `Set-Cookie` header. */
function sessionTokenOf(result: HttpResult): string {
  const match = /^zs_session=([^;]+);/.exec(result.headers.get("set-cookie") ?? "");
  if (!match) throw new Error(`no session cookie in ${result.status} ${result.text}`);
  return match[1]!;
}

async function builtDashboard(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-dashboard-files-"));
  await mkdir(path.join(dir, "assets"));
  await writeFile(path.join(dir, "index.html"), INDEX_HTML);
  await writeFile(path.join(dir, "assets", "app-1a2b.js"), APP_JS);
  return dir;
}

describe("browser sessions: cookie, CSRF rule, sign out", () => {
  let server: TestServer;
  let signIn: HttpResult;
  let cookie: string;

  const withCookie = (token: string, headers: Record<string, string> = {}) => ({ headers: { Cookie: `zs_session=${token}`, ...headers } });
  const secretNames = async () => {
    const list = await server.call("GET", "/api/v1/secrets", withCookie(cookie));
    return (list.json.items as { name: string }[]).map((item) => item.name);
  };

  beforeAll(async () => {
    server = await TestServer.start();
    signIn = await server.call("POST", "/api/v1/session", { body: { username: "admin", password: ADMIN_PASSWORD }, headers: CSRF });
    cookie = sessionTokenOf(signIn);
    server.sensitive.add(cookie);
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  it("signing in sets an HttpOnly, SameSite=Strict cookie for the session's lifetime; the token is not in the body", () => {
    expect(signIn.status).toBe(200);
    expect(signIn.json).toEqual({ user: { id: expect.any(String), name: "admin", is_admin: true, created: expect.any(String) }, expires_in: 86400, idle_minutes: 15 });
    expect(signIn.headers.get("set-cookie")).toBe(`zs_session=${cookie}; Path=/; Max-Age=86400; HttpOnly; SameSite=Strict`);
    expect(signIn.headers.get("cache-control")).toBe("no-store");
    expect(signIn.text).not.toContain(cookie);
  });

  it("the cookie authenticates reads without any extra header", async () => {
    const session = await server.call("GET", "/api/v1/session", withCookie(cookie));
    expect(session.status).toBe(200);
    expect(session.json).toMatchObject({ user: { name: "admin" }, idle_minutes: 15 });
    expect(session.json.expires_in).toBeGreaterThan(86000);
    expect((await server.call("GET", "/api/v1/secrets", withCookie(cookie))).status).toBe(200);
  });

  it("a change made with the cookie but without X-ZS-Request is 403 CSRF_REJECTED and changes nothing", async () => {
    const forged = await server.call("POST", "/api/v1/secrets", { body: { name: "forged", values: { a: "forged-value-1" } }, ...withCookie(cookie) });
    expect(forged.status).toBe(403);
    expect(forged.json.error).toEqual({ code: "CSRF_REJECTED", message: "A browser request that changes anything must carry the header 'X-ZS-Request: 1'." });
    // What a cross-site HTML form sends: a urlencoded body, another Origin, the header missing.
    const formPost = await server.call("POST", "/api/v1/secrets", {
      rawBody: "name=forged&values=x",
      ...withCookie(cookie, { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" }),
    });
    expect(formPost.status).toBe(403);
    expect(formPost.json.error.code).toBe("CSRF_REJECTED");
    const wrongValue = await server.call("POST", "/api/v1/secrets", { body: { name: "forged", values: { a: "forged-value-1" } }, ...withCookie(cookie, { "X-ZS-Request": "yes" }) });
    expect(wrongValue.status).toBe(403);
    expect(await secretNames()).not.toContain("forged");
  });

  it("with X-ZS-Request: 1 the cookie changes things; bearer requests never need the header", async () => {
    const created = await server.call("POST", "/api/v1/secrets", { body: { name: "from-browser", values: { a: "browser-value-1" } }, ...withCookie(cookie, CSRF) });
    expect(created.status).toBe(201);
    const bearer = await server.login("admin", ADMIN_PASSWORD);
    const viaBearer = await server.call("POST", "/api/v1/secrets", { token: bearer, body: { name: "from-script", values: { a: "script-value-1" } } });
    expect(viaBearer.status).toBe(201);
    expect(await secretNames()).toEqual(expect.arrayContaining(["from-browser", "from-script"]));
  });

  it("an Authorization header wins over the cookie: a bad bearer with a good cookie is 401", async () => {
    const result = await server.call("GET", "/api/v1/secrets", withCookie(cookie, { Authorization: "Bearer zss_not-a-real-token" }));
    expect(result.status).toBe(401);
    const notBearer = await server.call("GET", "/api/v1/secrets", withCookie(cookie, { Authorization: "Basic YWRtaW46eA==" }));
    expect(notBearer.status).toBe(401);
  });

  it.each([
    ["no header", {}, 403, "CSRF_REJECTED"],
    ["an empty body", CSRF, 400, "VALIDATION_ERROR"],
  ])("signing in with %s is refused and sets no cookie", async (_label, headers, status, code) => {
    const result = await server.call("POST", "/api/v1/session", { body: _label === "an empty body" ? {} : { username: "admin", password: ADMIN_PASSWORD }, headers });
    expect(result.status).toBe(status);
    expect(result.json.error.code).toBe(code);
    expect(result.headers.get("set-cookie")).toBeNull();
  });

  it("a wrong password, an unknown field, an over-long name: clear errors, no cookie", async () => {
    const wrong = await server.call("POST", "/api/v1/session", { body: { username: "admin", password: "not-the-password" }, headers: CSRF });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toEqual({ code: "UNAUTHENTICATED", message: "Wrong user name or password." });
    const unknown = await server.call("POST", "/api/v1/session", { body: { username: "admin", password: "x", remember: true }, headers: CSRF });
    expect(unknown.status).toBe(400);
    const long = await server.call("POST", "/api/v1/session", { body: { username: "a".repeat(256), password: "x" }, headers: CSRF });
    expect(long.status).toBe(400);
    expect(long.json.error.message).toContain("username");
    for (const result of [wrong, unknown, long]) expect(result.headers.get("set-cookie")).toBeNull();
  });

  it("an API key cannot be signed out as a session (FORBIDDEN), and keeps working", async () => {
    const created = await server.call("POST", "/api/v1/api-keys", { body: { name: "ci" }, ...withCookie(cookie, CSRF) });
    expect(created.status).toBe(201);
    const key = created.json.key as string;
    const signOut = await server.call("DELETE", "/api/v1/session", { token: key });
    expect(signOut.status).toBe(403);
    expect(signOut.json.error.code).toBe("FORBIDDEN");
    expect((await server.call("GET", "/api/v1/session", { token: key })).json).toMatchObject({ user: { name: "admin" }, expires_in: null });
  });

  it("signing out needs the header, then revokes the session and clears the cookie", async () => {
    const other = sessionTokenOf(await server.call("POST", "/api/v1/session", { body: { username: "admin", password: ADMIN_PASSWORD }, headers: CSRF }));
    server.sensitive.add(other);
    const forged = await server.call("DELETE", "/api/v1/session", withCookie(other));
    expect(forged.status).toBe(403);
    expect((await server.call("GET", "/api/v1/session", withCookie(other))).status).toBe(200);

    const signOut = await server.call("DELETE", "/api/v1/session", withCookie(other, CSRF));
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get("set-cookie")).toBe("zs_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    const after = await server.call("GET", "/api/v1/session", withCookie(other));
    expect(after.status).toBe(401);
    // The other session is untouched.
    expect((await server.call("GET", "/api/v1/session", withCookie(cookie))).status).toBe(200);
  });

  it("the OpenAPI document declares the cookie scheme and CSRF_REJECTED on changes", async () => {
    const document = (await server.call("GET", "/openapi.json")).json;
    expect(document.components.securitySchemes.session).toMatchObject({ type: "apiKey", in: "cookie", name: "zs_session" });
    expect(JSON.stringify(document.paths["/api/v1/secrets"].post.responses["403"])).toContain("CSRF_REJECTED");
    expect(JSON.stringify(document.paths["/api/v1/secrets"].get.responses["403"] ?? {})).not.toContain("CSRF_REJECTED");
  });
});

describe("the session cookie over HTTPS", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ env: { ZS_TRUST_PROXY: "loopback" } });
  });
  afterAll(() => server.stop());

  it("is Secure when the request came over HTTPS (here: through a trusted TLS-terminating proxy)", async () => {
    const result = await server.call("POST", "/api/v1/session", {
      body: { username: "admin", password: ADMIN_PASSWORD },
      headers: { ...CSRF, "X-Forwarded-Proto": "https" },
    });
    expect(result.headers.get("set-cookie")).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });
});

describe("the dashboard's files", () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = await builtDashboard();
    server = await TestServer.start({ dashboardDir: dir });
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["/", "/secrets", "/secrets/db?workspace=default", "/admin/users"])("GET %s is the app's page under the strict CSP, never cached", async (page) => {
    const result = await server.call("GET", page);
    expect(result.status).toBe(200);
    expect(result.text).toBe(INDEX_HTML);
    expect(result.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(result.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
    expect(result.headers.get("referrer-policy")).toBe("no-referrer");
    expect(result.headers.get("cache-control")).toBe("no-cache");
  });

  it("hashed assets are served for a year, under the same CSP", async () => {
    const result = await server.call("GET", "/assets/app-1a2b.js");
    expect(result.status).toBe(200);
    expect(result.text).toBe(APP_JS);
    expect(result.headers.get("content-type")).toMatch(/^text\/javascript|^application\/javascript/);
    expect(result.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(result.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
  });

  it.each([
    ["GET", "/assets/missing.js"],
    ["GET", "/assets/..%2F..%2Findex.html"],
    ["GET", "/api/v1/no-such-route"],
    ["GET", "/health/nothing"],
    ["POST", "/"],
    ["DELETE", "/secrets"],
  ])("%s %s stays the server's JSON 404", async (method, page) => {
    const result = await server.call(method, page);
    expect(result.status).toBe(404);
    expect(result.json.error.code).toBe("NOT_FOUND");
    expect(result.text).not.toContain("<script");
  });

  it("API responses keep the API's own CSP", async () => {
    const result = await server.call("GET", "/health");
    expect(result.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe("the dashboard turned off or missing", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await builtDashboard();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("ZS_DASHBOARD=false: its pages answer 404", async () => {
    const server = await TestServer.start({ dashboardDir: dir, env: { ZS_DASHBOARD: "false" } });
    try {
      expect(server.running.dashboardUrl).toBeUndefined();
      for (const page of ["/", "/secrets", "/assets/app-1a2b.js"]) expect((await server.call("GET", page)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it("files missing: the server starts, warns, and the pages answer 404", async () => {
    const server = await TestServer.start({ dashboardDir: path.join(dir, "not-built") });
    try {
      expect(server.running.dashboardUrl).toBeUndefined();
      expect((await server.call("GET", "/")).status).toBe(404);
      expect(server.logs).toContain("the dashboard is not served: its files are missing");
    } finally {
      await server.stop();
    }
  });

  it.each([
    [{ ZS_DASHBOARD: "maybe" }, "ZS_DASHBOARD must be true or false, not 'maybe'"],
    [{ ZS_DASHBOARD_IDLE_MINUTES: "0" }, "ZS_DASHBOARD_IDLE_MINUTES must be a whole number of minutes, 1-1440, not '0'"],
    [{ ZS_DASHBOARD_IDLE_MINUTES: "15m" }, "ZS_DASHBOARD_IDLE_MINUTES must be a whole number of minutes, 1-1440, not '15m'"],
    [{ ZS_DASHBOARD_IDLE_MINUTES: "2000" }, "ZS_DASHBOARD_IDLE_MINUTES must be a whole number of minutes, 1-1440, not '2000'"],
  ])("bad settings %j are a clear configuration error", (env, message) => {
    expect(() => readConfig({ env: { ZS_DATA_DIR: dir, ...env } })).toThrow(message);
  });

  it("ZS_DASHBOARD_IDLE_MINUTES is what a session reports", async () => {
    const server = await TestServer.start({ env: { ZS_DASHBOARD_IDLE_MINUTES: "5" } });
    try {
      const signIn = await server.call("POST", "/api/v1/session", { body: { username: "admin", password: ADMIN_PASSWORD }, headers: CSRF });
      expect(signIn.json.idle_minutes).toBe(5);
    } finally {
      await server.stop();
    }
  });
});
