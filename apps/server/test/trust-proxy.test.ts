import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DEFAULT_LOGIN_LIMITS } from "../src/auth/login-throttle.js";
import { SERVER_BIN } from "./support/server-process.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

// operations.md "Limits": ZS_TRUST_PROXY (express's trust proxy) decides whether
// X-Forwarded-For names the client address that login throttling (and the audit log) see;
// off by default. Observed through the throttle: 2 failures from one client address delay
// that address's next attempt, even with the right password, and no other address's.

const LIMITS = { ...DEFAULT_LOGIN_LIMITS, perUserAndAddress: 100, perAddress: 2 };
const CHEAP_HASHES = { N: 2 ** 10, r: 8, p: 1 };

/** A login as `admin` with a wrong or the right password, sent from `fromAddress` with `forwardedFor` (if any). */
function login(server: TestServer, right: boolean, { forwardedFor, fromAddress }: { forwardedFor?: string; fromAddress?: string } = {}) {
  return server
    .call("POST", "/api/v1/login", {
      body: { username: "admin", password: right ? ADMIN_PASSWORD : "a-wrong-password" },
      ...(forwardedFor !== undefined && { headers: { "x-forwarded-for": forwardedFor } }),
      ...(fromAddress !== undefined && { fromAddress }),
    })
    .then((result) => result.status);
}

async function withServer(env: Record<string, string>, work: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await TestServer.start({ env, loginLimits: LIMITS, passwordCost: CHEAP_HASHES });
  try {
    await work(server);
    expect(server.leakedIntoLogs()).toEqual([]);
  } finally {
    await server.stop();
  }
}

describe("ZS_TRUST_PROXY through a real HTTP server", () => {
  it("off by default: X-Forwarded-For is ignored, the connection's address is the client", async () => {
    await withServer({}, async (server) => {
      expect(await login(server, false, { forwardedFor: "203.0.113.1" })).toBe(401);
      expect(await login(server, false, { forwardedFor: "203.0.113.2" })).toBe(401);
      // Every attempt counted on 127.0.0.1, whatever the header claimed.
      expect(await login(server, true, { forwardedFor: "203.0.113.3" })).toBe(429);
      expect(await login(server, true)).toBe(429);
      expect(await login(server, true, { fromAddress: "127.0.0.2" })).toBe(200);
    });
  });

  it("a trusted proxy's X-Forwarded-For names the client: each client is throttled apart, the proxy itself is not", async () => {
    await withServer({ ZS_TRUST_PROXY: "127.0.0.1" }, async (server) => {
      expect(await login(server, false, { forwardedFor: "203.0.113.1" })).toBe(401);
      expect(await login(server, false, { forwardedFor: "203.0.113.1" })).toBe(401);
      expect(await login(server, true, { forwardedFor: "203.0.113.1" })).toBe(429);
      expect(await login(server, true, { forwardedFor: "203.0.113.2" })).toBe(200);
      expect(await login(server, true)).toBe(200);
      // A peer that is no trusted proxy cannot name another client: its header is ignored.
      expect(await login(server, false, { fromAddress: "127.0.0.2", forwardedFor: "203.0.113.8" })).toBe(401);
      expect(await login(server, false, { fromAddress: "127.0.0.2", forwardedFor: "203.0.113.9" })).toBe(401);
      expect(await login(server, true, { fromAddress: "127.0.0.2", forwardedFor: "203.0.113.10" })).toBe(429);
      expect(await login(server, true, { forwardedFor: "203.0.113.10" })).toBe(200);
    });
  });

  it("a number of hops trusts that many proxies: entries a client adds in front of the proxy's are ignored", async () => {
    await withServer({ ZS_TRUST_PROXY: "1" }, async (server) => {
      expect(await login(server, false, { forwardedFor: "198.51.100.1, 203.0.113.7" })).toBe(401);
      expect(await login(server, false, { forwardedFor: "198.51.100.2, 203.0.113.7" })).toBe(401);
      expect(await login(server, true, { forwardedFor: "198.51.100.3, 203.0.113.7" })).toBe(429);
      expect(await login(server, true, { forwardedFor: "203.0.113.8" })).toBe(200);
    });
  });

  it("loopback names a range of trusted proxies, IPv6 clients included", async () => {
    await withServer({ ZS_TRUST_PROXY: "loopback" }, async (server) => {
      expect(await login(server, false, { fromAddress: "127.0.0.2", forwardedFor: "2001:db8::1" })).toBe(401);
      expect(await login(server, false, { fromAddress: "127.0.0.3", forwardedFor: "2001:db8::2" })).toBe(401);
      // IPv6 clients are counted by their /64 (security.md), so ::3 shares the delay and 2001:db8:1:: does not.
      expect(await login(server, true, { forwardedFor: "2001:db8::3" })).toBe(429);
      expect(await login(server, true, { forwardedFor: "2001:db8:1::1" })).toBe(200);
    });
  });
});

describe("an invalid ZS_TRUST_PROXY", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-trust-proxy-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it.each(["yes", "10.0.0.0/33", "proxy.example.com", "-1"])("'%s' stops zs-server at start with a clear error naming the forms, exit 1", (value) => {
    const result = spawnSync(process.execPath, [SERVER_BIN], {
      env: { PATH: process.env.PATH ?? "", ZS_DATA_DIR: dataDir, ZS_PORT: "0", ZS_TRUST_PROXY: value },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^Error: Invalid configuration/);
    expect(result.stderr).toContain(`ZS_TRUST_PROXY must be false (the default: X-Forwarded-For is ignored), true (trust every proxy), a number of proxy hops (1-100)`);
    expect(result.stderr).toContain(`not '${value}'`);
  });
});
