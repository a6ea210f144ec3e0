import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Registry } from "prom-client";
import { authCacheMetrics, type AuthCacheStats } from "../src/ops/auth-cache-metrics.js";
import { createPostgresDatabase, postgresUrl, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { request } from "./support/http-client.js";
import { parsePrometheusText, type Sample } from "./support/prometheus-text.js";
import { SERVER_BIN } from "./support/server-process.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";
import { holdPort } from "./support/held-port.js";

// operations.md "Metrics": GET /metrics in Prometheus' text format, behind ZS_METRICS_TOKEN
// (Bearer) or on a listener of its own (ZS_METRICS_PORT), off with neither. Labels carry
// route templates, operations and outcomes: never a secret's or user's name, a token or an id.

const METRICS_TOKEN = randomBytes(24).toString("hex");
const CHEAP_HASHES = { N: 2 ** 10, r: 8, p: 1 };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A scrape of `url` (a /metrics URL), with `token` as bearer if given. */
function scrape(url: string, token?: string) {
  const { origin, pathname } = new URL(url);
  return request(origin, "GET", pathname, token === undefined ? {} : { token });
}

async function freePort(): Promise<number> {
  const held = await holdPort();
  await held.close();
  return held.port;
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const databases: [string, () => Promise<TestDatabase | undefined>][] = [
  ["SQLite", async () => undefined],
  ...(postgresUrl ? [["PostgreSQL", createPostgresDatabase] as [string, () => Promise<TestDatabase>]] : []),
];

describe.each(databases)("GET /metrics with ZS_METRICS_TOKEN on %s", (_label, createDatabase) => {
  let database: TestDatabase | undefined;
  let server: TestServer;
  let metricsUrl: string;
  /** Every name, token, key and id the run handled: none may appear in the scrape. */
  const fixtures = new Set<string>();
  let samples: Sample[];
  let text: string;

  beforeAll(async () => {
    database = await createDatabase();
    server = await TestServer.start({
      passwordCost: CHEAP_HASHES,
      env: { ZS_METRICS_TOKEN: METRICS_TOKEN, ...(database ? { ZS_DATABASE_URL: database.url } : {}) },
    });
    server.sensitive.add(METRICS_TOKEN);
    metricsUrl = server.running.metricsUrl!;

    // A varied run: logins (a wrong one too), a user, an API key, secret create/read/update/rename/delete, a 404 path.
    const tag = randomBytes(4).toString("hex");
    const userName = `metrics-user-${tag}`;
    const secretName = `metrics-secret-${tag}`;
    const renamed = `metrics-renamed-${tag}`;
    const keyName = `metrics-key-${tag}`;
    const randomSegment = `no-such-${randomBytes(8).toString("hex")}`;
    fixtures.add(userName).add(secretName).add(renamed).add(keyName).add(randomSegment).add(METRICS_TOKEN).add(ADMIN_PASSWORD);

    const admin = await server.login("admin", ADMIN_PASSWORD);
    const user = await server.createUser(admin, userName);
    fixtures.add(admin).add(user);
    expect((await server.call("POST", "/api/v1/login", { body: { username: userName, password: "not-the-password" } })).status).toBe(401);
    const key = await server.call("POST", "/api/v1/api-keys", { token: user, body: { name: keyName } });
    expect(key.status).toBe(201);
    fixtures.add(key.json.key).add(key.json.id);
    const created = await server.call("POST", "/api/v1/secrets", { token: user, body: { name: secretName, values: { password: `value-${tag}` } } });
    expect(created.status).toBe(201);
    fixtures.add(created.json.id);
    expect((await server.call("GET", `/api/v1/secrets/${secretName}`, { token: key.json.key })).status).toBe(200);
    expect((await server.call("GET", `/api/v1/secrets/${created.json.id}`, { token: user })).status).toBe(200);
    expect((await server.call("PATCH", `/api/v1/secrets/${secretName}`, { token: user, body: { values: { extra: `more-${tag}` } } })).status).toBe(200);
    expect((await server.call("PATCH", `/api/v1/secrets/${secretName}`, { token: user, body: { name: renamed } })).status).toBe(200);
    expect((await server.call("GET", `/api/v1/secrets/${secretName}`, { token: user })).status).toBe(404);
    expect((await server.call("GET", `/api/v1/secrets/${renamed}`, { token: `zsk_${randomSegment}` })).status).toBe(401);
    expect((await server.call("DELETE", `/api/v1/secrets/${renamed}?purge=true`, { token: user })).status).toBe(200);
    expect((await server.call("GET", `/api/v1/${randomSegment}/${created.json.id}`, { token: user })).status).toBe(404);
    expect((await server.call("GET", `/${randomSegment}`)).status).toBe(404);

    const scraped = await scrape(metricsUrl, METRICS_TOKEN);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    text = scraped.text;
    samples = parsePrometheusText(text);
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
    await database?.drop();
  });

  const find = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((sample) => sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value));

  it("is served on the main port, and parses as Prometheus' text format", () => {
    expect(metricsUrl).toBe(`${server.url}/metrics`);
    expect(samples.length).toBeGreaterThan(50);
  });

  it("request durations by method, route template and status; a path no route knows is 'unmatched'", () => {
    expect(find("zs_http_request_duration_seconds_count", { method: "GET", route: "/api/v1/secrets/:nameOrId", status: "200" })[0]?.value).toBe(2);
    expect(find("zs_http_request_duration_seconds_count", { method: "GET", route: "/api/v1/secrets/:nameOrId", status: "404" })[0]?.value).toBe(1);
    expect(find("zs_http_request_duration_seconds_count", { method: "POST", route: "/api/v1/login", status: "401" })[0]?.value).toBe(1);
    expect(find("zs_http_request_duration_seconds_count", { method: "GET", route: "unmatched", status: "404" })[0]?.value).toBe(2);
    expect(find("zs_http_request_duration_seconds_bucket", { route: "unmatched", le: "+Inf" })).toHaveLength(1);
  });

  it("secret operations by operation and outcome", () => {
    const count = (operation: string, outcome: string) => find("zs_secret_operations_total", { operation, outcome })[0]?.value;
    expect(count("create", "ok")).toBe(1);
    expect(count("read", "ok")).toBe(2);
    expect(count("read", "not_found")).toBe(1);
    expect(count("read", "denied")).toBe(1);
    expect(count("update", "ok")).toBe(1);
    expect(count("rename", "ok")).toBe(1);
    expect(count("purge", "ok")).toBe(1);
  });

  it("values store calls by store type, operation and outcome", () => {
    expect(find("zs_values_store_call_duration_seconds_count", { store: "sql", operation: "put", outcome: "ok" })[0]?.value).toBeGreaterThanOrEqual(2);
    expect(find("zs_values_store_call_duration_seconds_count", { store: "sql", operation: "get", outcome: "ok" })[0]?.value).toBeGreaterThanOrEqual(2);
    expect(find("zs_values_store_call_duration_seconds_count", { store: "sql", operation: "delete", outcome: "ok" })[0]?.value).toBe(1);
  });

  it("audit batches, flush durations and failures; backup pending; the database pool; the process; the auth cache hook", () => {
    expect(find("zs_audit_batch_events_count")[0]?.value).toBeGreaterThan(0);
    expect(find("zs_audit_flush_duration_seconds_count", { outcome: "ok" })[0]?.value).toBeGreaterThan(0);
    expect(find("zs_audit_batches_total")[0]?.value).toBeGreaterThan(0);
    expect(find("zs_audit_batch_failures_total")[0]?.value).toBe(0);
    expect(find("zs_audit_events_lost_total")[0]?.value).toBe(0);
    expect(find("zs_backup_pending_secrets")[0]?.value).toBe(0);
    expect(find("zs_database_pool_connections", { state: "in_use" })).toHaveLength(1);
    expect(find("zs_database_pool_connections", { state: "idle" })[0]?.value).toBeGreaterThanOrEqual(0);
    expect(find("zs_database_pool_pending_acquires")).toHaveLength(1);
    for (const name of ["process_cpu_user_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"]) {
      expect(find(name)).toHaveLength(1);
    }
    // The run authenticated the same tokens again and again: the cache answered most of them.
    expect(find("zs_auth_cache_hits_total")[0]?.value).toBeGreaterThan(0);
    expect(find("zs_auth_cache_misses_total")[0]?.value).toBeGreaterThan(0);
    expect(find("zs_auth_cache_entries")[0]?.value).toBeGreaterThan(0);
    expect(find("zs_auth_cache_evictions_total")[0]?.value).toBe(0);
  });

  it("no label value holds a secret's or user's name, a token, an API key or an id, and neither does the text", () => {
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => UUID.test(value))).toEqual([]);
    expect(labelValues.filter((value) => [...fixtures].some((fixture) => value.includes(fixture)))).toEqual([]);
    expect([...fixtures].filter((fixture) => text.includes(fixture))).toEqual([]);
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/zs[sk]_/);
  });

  it("refuses a scrape without the token, with a wrong one, or with an API session token: 401, nothing measured in the body", async () => {
    for (const token of [undefined, "wrong-metrics-token-0123456789", `${METRICS_TOKEN}x`, METRICS_TOKEN.slice(0, -1)]) {
      const refused = await scrape(metricsUrl, token);
      expect(refused.status).toBe(401);
      expect(refused.json.error.code).toBe("UNAUTHENTICATED");
      expect(refused.headers.get("www-authenticate")).toContain("Bearer");
      expect(refused.text).not.toContain("zs_");
    }
    const session = await server.login("admin", ADMIN_PASSWORD);
    expect((await scrape(metricsUrl, session)).status).toBe(401);
  });
});

describe("GET /metrics on ZS_METRICS_PORT", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ passwordCost: CHEAP_HASHES, env: { ZS_METRICS_PORT: "0" } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("is served on its own port without a token, and the main port does not serve it", async () => {
    const metricsUrl = server.running.metricsUrl!;
    expect(new URL(metricsUrl).port).not.toBe(new URL(server.url).port);
    await server.call("GET", "/health");
    const scraped = await scrape(metricsUrl);
    expect(scraped.status).toBe(200);
    expect(parsePrometheusText(scraped.text).some((sample) => sample.name === "zs_http_request_duration_seconds_count")).toBe(true);
    const onMain = await server.call("GET", "/metrics");
    expect(onMain.status).toBe(404);
    expect(onMain.text).not.toContain("zs_http");
  });

  it("the metrics port serves nothing else", async () => {
    const { origin } = new URL(server.running.metricsUrl!);
    expect((await request(origin, "GET", "/health")).status).toBe(404);
    expect((await request(origin, "POST", "/metrics")).status).toBe(404);
  });

  it("with ZS_METRICS_TOKEN as well, the metrics port asks for the token", async () => {
    const guarded = await TestServer.start({ passwordCost: CHEAP_HASHES, env: { ZS_METRICS_PORT: "0", ZS_METRICS_TOKEN: METRICS_TOKEN } });
    try {
      const metricsUrl = guarded.running.metricsUrl!;
      expect((await scrape(metricsUrl)).status).toBe(401);
      expect((await scrape(metricsUrl, METRICS_TOKEN)).status).toBe(200);
      expect((await guarded.call("GET", "/metrics", { token: METRICS_TOKEN })).status).toBe(404);
    } finally {
      await guarded.stop();
    }
  });

  it("a metrics port in use stops the start with a clear error, and nothing is left listening", async () => {
    const held = await holdPort();
    const mainPort = await freePort();
    try {
      const starting = TestServer.start({ passwordCost: CHEAP_HASHES, env: { ZS_PORT: String(mainPort), ZS_METRICS_PORT: String(held.port) } });
      await expect(starting).rejects.toMatchObject({
        code: "CONFIGURATION_ERROR",
        message: `Cannot serve metrics on 127.0.0.1:${held.port} (ZS_METRICS_PORT): the port is already in use.`,
      });
      expect(await connects(mainPort)).toBe(false);
    } finally {
      await held.close();
    }
  });
});

describe("metrics off (neither ZS_METRICS_TOKEN nor ZS_METRICS_PORT)", () => {
  it("/metrics is an unknown route and nothing is measured", async () => {
    const server = await TestServer.start({ passwordCost: CHEAP_HASHES });
    try {
      expect(server.running.metricsUrl).toBeUndefined();
      expect((await server.call("GET", "/metrics")).status).toBe(404);
      expect(server.running.services.secrets.placement.storeCallObserver).toBeUndefined();
    } finally {
      await server.stop();
    }
  });
});

describe("the auth cache hook", () => {
  it("reads a cache's stats at each scrape; no cache reads as zero", async () => {
    const registry = new Registry();
    let stats: AuthCacheStats | undefined;
    authCacheMetrics(registry, () => stats);
    const values = async () =>
      Object.fromEntries(parsePrometheusText(await registry.metrics()).map((sample) => [sample.name, sample.value]));
    expect(await values()).toEqual({ zs_auth_cache_hits_total: 0, zs_auth_cache_misses_total: 0, zs_auth_cache_evictions_total: 0, zs_auth_cache_entries: 0 });
    stats = { hits: 41, misses: 3, evictions: 1, size: 2 };
    expect(await values()).toEqual({ zs_auth_cache_hits_total: 41, zs_auth_cache_misses_total: 3, zs_auth_cache_evictions_total: 1, zs_auth_cache_entries: 2 });
    stats.hits += 1;
    expect((await values()).zs_auth_cache_hits_total).toBe(42);
  });
});

describe("zs-server (the bundled binary) and the metrics settings", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-metrics-process-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [SERVER_BIN], {
      env: { PATH: process.env.PATH ?? "", ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env },
      encoding: "utf8",
      timeout: 30_000,
    });

  it("an unparseable ZS_METRICS_PORT or a short ZS_METRICS_TOKEN: exit 1 naming the setting, the token never quoted", () => {
    const result = run({ ZS_PORT: "0", ZS_METRICS_PORT: "nine-four-six-four", ZS_METRICS_TOKEN: "tiny-token" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("ZS_METRICS_PORT must be a port number 0-65535 (0: any free port), not 'nine-four-six-four'");
    expect(result.stderr).toContain("ZS_METRICS_TOKEN must be 16-4096 printable ASCII characters");
    expect(result.stderr).not.toContain("tiny-token");
    expect(result.stdout).toBe("");
  });

  it("a metrics port in use: exit 1 with a clear error before the main port opens", async () => {
    const held = await holdPort();
    try {
      const result = run({ ZS_PORT: "0", ZS_METRICS_PORT: String(held.port) });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`Error: Cannot serve metrics on 127.0.0.1:${held.port} (ZS_METRICS_PORT): the port is already in use.\n`);
      expect(result.stdout).not.toContain("listening");
    } finally {
      await held.close();
    }
  });
});
