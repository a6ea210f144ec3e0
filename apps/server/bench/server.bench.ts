/**
 * `pnpm bench` (server): the real `zs-server` bundle as a process, on SQLite and on PostgreSQL,
 * each holding SECRETS secrets, next to a bare express process (bench/bare-express.mjs: one
 * route answering a constant JSON) measured in the same run as the baseline:
 * - `GET /api/v1/secrets?name=contains:…&size=50`, one request at a time: p50 / p95 (and p50
 *   by needle). Target: p50 < TARGET_LIST_P50_MS.
 * - `GET /api/v1/secrets/{name}` with an API key under autocannon (CONNECTIONS connections):
 *   requests/s, p99 and the server's CPU time per request, in rounds interleaved with the bare
 *   route's so that a change in machine load hits both alike. Target: at least TARGET_RATIO of
 *   the bare route's requests/s (SQLite; PostgreSQL, sharing the cores, TARGET_RATIO_POSTGRES).
 *   Also measured in those rounds: the "floor", the bare route making the database reads
 *   zs-server makes with its authentication cache warm (bare-express.mjs with BARE_DATABASE_URL
 *   and BARE_READS=secret: the secret only), target at least TARGET_FLOOR_RATIO of it; and for
 *   reference the bare route making both reads a GET needs without the cache (token, secret).
 *   Also for reference, what the GET costs in parts (bench/services-route.ts): one express route
 *   answering from zs-server's own services (authentication cache, secrets service, store,
 *   decryption) and nothing else of its request handling, alone and with zs-server's two
 *   middlewares (security headers, request log line) in front.
 * - database reads per authenticated GET with a warm cache, counted (`SqlDatabase.onStatement`)
 *   in a zs-server started in this process on the same database. Target: TARGET_READS_PER_GET.
 *   zs-server runs twice on the same database, each in its own process: with ZS_AUDIT=off (the
 *   one compared with the bare route) and with ZS_AUDIT=required (the default: every GET waits
 *   for its audit event's group commit, batches at most every 5 ms). Both are measured in those
 *   rounds, and again in interleaved rounds at AUDIT_CONNECTIONS connections (the concurrency of
 *   operations.md's latency target; group commit trades a few ms of latency for throughput, so
 *   with few connections each waiting its turn the ratio shows the latency, not the throughput).
 *   Target: required at least TARGET_AUDIT_RATIO of off at AUDIT_CONNECTIONS; p99 at
 *   AUDIT_CONNECTIONS at most TARGET_P99_MS (SQLite, ZS_AUDIT=off; required printed too).
 * - At the end of each database, operations.md's table: each figure, its target, PASS / MISS.
 * - `GET /api/v1/secrets/{name}` one at a time while FLOOD_WAVES waves of LOGIN_FLOOD concurrent wrong logins
 *   keep password hashing busy, against the same GETs just before without them. Target: p99 <
 *   TARGET_FLOOD_P99_MS (issue 12).
 * - the server's resident memory (VmRSS, and its peak VmHWM, from /proc) after the run.
 * zs-server runs as shipped: default settings, its JSON request log (level info) going to a file.
 * The secrets are seeded directly in SQL, with a values row and a history entry each. PostgreSQL runs when ZS_TEST_POSTGRES_URL is set, in a
 * throwaway database on that server. Builds dist/zs-server.js first (esbuild, about
 * a second). Linux: CPU time and memory are read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, open, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { readConfig } from "@zs/core";
import { SqlDatabase } from "@zs/store-sql";
import { createLogger } from "../src/logger.js";
import { startServer } from "../src/server.js";
import { createPostgresDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { request } from "../test/support/http-client.js";

const SECRETS = 100_000;
const LIST_RUNS = 200;
const CONNECTIONS = 10;
const AUDIT_CONNECTIONS = 50;
const WARMUP_SECONDS = 5;
const ROUNDS = 5;
const ROUND_SECONDS = 4;
const TARGET_RATIO = 0.5;
const TARGET_RATIO_POSTGRES = 0.4;
const TARGET_FLOOR_RATIO = 0.8;
const TARGET_AUDIT_RATIO = 0.8;
const TARGET_P99_MS = 20;
const TARGET_READS_PER_GET = 1;
const COUNTED_GETS = 200;
const TARGET_LIST_P50_MS = 25;
const LOGIN_FLOOD = 40;
const FLOOD_GETS = 300;
const FLOOD_WAVES = 3;
const TARGET_FLOOD_P99_MS = 100;

const SERVER_DIR = fileURLToPath(new URL("..", import.meta.url));
const SERVER_BIN = path.join(SERVER_DIR, "dist", "zs-server.js");
const BARE_EXPRESS = path.join(SERVER_DIR, "bench", "bare-express.mjs");
const SERVICES_ROUTE = path.join(SERVER_DIR, "bench", "services-route.ts");
/** How the bench runs TypeScript sources in a child process: as it runs itself. */
const FROM_SOURCE = ["--conditions=source", "--import", "tsx"];
const POSTGRES_URL = process.env.ZS_TEST_POSTGRES_URL || undefined;
const ADMIN_PASSWORD = randomBytes(12).toString("base64url");
/** The secret the throughput rounds read; the bare route answers the same path. */
const SECRET_PATH = "/api/v1/secrets/prod-billing-db-password";

// `contains` needles of differing selectivity over the seeded name mix (names are case-sensitive).
const NEEDLES = ["billing", "db-password", "PROD_PAYMENTS", "staging-search", "Token_eu", "-4217"];

const ENVIRONMENTS = ["prod", "staging", "dev", "qa", "ci"];
const SERVICES = [
  "billing", "payments", "auth", "search", "checkout", "inventory", "orders", "accounts", "notifications", "email",
  "sms", "analytics", "reporting", "gateway", "cdn", "metrics", "logging", "backup", "etl", "crm",
  "erp", "ledger", "fraud", "pricing", "catalog", "shipping", "returns", "support", "chat", "media",
  "uploads", "thumbnails", "recommendations", "ml-training", "feature-flags", "scheduler", "webhooks", "partners", "sso", "audit",
];
const KINDS = ["db-password", "api-key", "oauth-client-secret", "tls-key", "webhook-secret", "smtp-password", "redis-url", "jwt-signing-key", "s3-access-key", "service-token"];
const REGIONS = ["eu", "us", "ap"];

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
const camel = (words: string) => words.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());

/**
 * A realistic mix of secret names, unique per `i`: kebab-case (`prod-billing-db-password-17`),
 * environment-variable style (`PROD_BILLING_DB_PASSWORD_17`) and camelCase with a region
 * (`billingDbPassword_eu_17`), spread over environments, services and kinds.
 */
function secretName(i: number): string {
  const environment = pick(ENVIRONMENTS, i);
  const service = pick(SERVICES, Math.floor(i / 7));
  const kind = pick(KINDS, Math.floor(i / 3));
  switch (i % 3) {
    case 0:
      return `${environment}-${service}-${kind}-${i}`;
    case 1:
      return `${environment}_${service}_${kind}_${i}`.replaceAll("-", "_").toUpperCase();
    default:
      return `${camel(`${service}-${kind}`)}_${pick(REGIONS, Math.floor(i / 11))}_${i}`;
  }
}

/** Writes `count` secrets owned by `owner` into workspace `default` directly in SQL, in one transaction. */
async function seedSecrets(databaseUrl: string, owner: string, count: number): Promise<number> {
  const start = performance.now();
  const database = await SqlDatabase.open(databaseUrl);
  try {
    const { knex } = database;
    const workspace = await knex("workspaces").where({ name: "default" }).first("id");
    const user = await knex("users").where({ name: owner }).first("id");
    const since = Date.now() - count * 1000;
    await knex.transaction(async (trx) => {
      // 250 rows a statement: knex writes a SQLite multi-row insert as a compound select (500 terms at most).
      for (let offset = 0; offset < count; offset += 250) {
        const rows = Array.from({ length: Math.min(250, count - offset) }, (_, j) => {
          const i = offset + j;
          return {
            id: randomUUID(),
            workspace_id: workspace.id,
            owner_id: user.id,
            name: secretName(i),
            scope: i % 10 === 0 ? "user" : "workspace",
            keys: JSON.stringify(i % 4 === 0 ? ["value"] : ["password", "username"]),
            version: 1 + (i % 5),
            created: since + i * 1000,
            updated: since + i * 1000 + (i % 5) * 60_000,
          };
        });
        await trx("secrets").insert(rows);
        // As a server that wrote them would have: each secret's values (never read here, so
        // any text) and the history entry of its current version, which lists join.
        await trx("secret_values").insert(rows.map((row) => ({ secret_id: row.id, ciphertext: "seeded" })));
        await trx("secret_history").insert(
          rows.map((row) => ({ secret_id: row.id, version: row.version, time: row.updated, actor: owner, action: "update", keys_added: "[]", keys_removed: "[]", keys_changed: "[]", values_written: true })),
        );
      }
    });
    // What autovacuum does shortly after a bulk load: statistics for the planner, and the trigram
    // index's pending list (GIN's fast-update buffer, searched linearly) merged into the index.
    if (database.dialect === "postgres") await knex.raw("vacuum analyze secrets");
  } finally {
    await database.close();
  }
  return performance.now() - start;
}

interface RunningProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node [nodeOptions] script` (its stdout and stderr into `logFile`) and waits for its `listening on URL` line. */
async function startProcess(script: string, env: NodeJS.ProcessEnv, logFile: string, nodeOptions: string[] = []): Promise<RunningProcess> {
  const log = await open(logFile, "a");
  const child = spawn(process.execPath, [...nodeOptions, script], { cwd: SERVER_DIR, env, stdio: ["ignore", "pipe", log.fd] });
  await log.close();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stdout = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then(async () => reject(new Error(`${path.basename(script)} exited before listening:\n${stdout}${await readFile(logFile, "utf8")}`)));
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** zs-server's settings in the bench; only these count: none of the developer's ZS_* variables. */
function zsServerEnv(dir: string, databaseUrl: string, audit: "required" | "off"): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, ZS_DATA_DIR: dir, ZS_DATABASE_URL: databaseUrl, ZS_PORT: "0", ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ZS_AUDIT: audit };
}

/** A zs-server process on `databaseUrl` with the admin logged in, an API key, and the secret SECRET_PATH reads. */
async function startZsServer(dir: string, databaseUrl: string, audit: "required" | "off"): Promise<{ server: RunningProcess; apiKey: string }> {
  const server = await startProcess(SERVER_BIN, zsServerEnv(dir, databaseUrl, audit), path.join(dir, `zs-server-audit-${audit}.log`));
  try {
    const login = await request(server.url, "POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } });
    const created = await request(server.url, "POST", "/api/v1/api-keys", { token: login.json?.access_token, body: { name: "bench" } });
    const apiKey: string = created.json?.key;
    const secret = await request(server.url, "POST", "/api/v1/secrets", {
      token: apiKey,
      body: { name: path.basename(SECRET_PATH), values: { username: "billing", password: randomBytes(16).toString("hex") } },
    });
    // The second server on a database finds the secret the first one created.
    if (secret.status !== 201 && secret.status !== 409) throw new Error(`Setting up zs-server failed: login ${login.status}, API key ${created.status}, secret ${secret.status}.`);
    return { server, apiKey };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

interface LoadResult {
  requestsPerSecond: number;
  p99: number;
  /** CPU time the server process spent per request (all its threads, user and system). */
  cpuMicrosPerRequest: number;
}

/** CPU time a process has used so far, in µs, from /proc (Linux); NaN elsewhere. */
async function cpuMicros(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100 a second).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** One autocannon run; any error or non-2xx answer stops the bench (its numbers would mean nothing). */
async function load(target: RunningProcess, apiKey: string, seconds: number, connections = CONNECTIONS): Promise<LoadResult> {
  const cpuBefore = await cpuMicros(target.child.pid);
  const result = await autocannon({ url: target.url + SECRET_PATH, connections, duration: seconds, headers: { authorization: `Bearer ${apiKey}` } });
  const cpu = (await cpuMicros(target.child.pid)) - cpuBefore;
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`Load on ${target.url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers.`);
  }
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, cpuMicrosPerRequest: cpu / result.requests.total };
}

/** Resident memory of a process now and at its peak, in MiB, from /proc (Linux). */
async function residentMemory(pid: number | undefined): Promise<string> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const mib = (field: string) => {
    const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
    return kib ? `${(Number(kib) / 1024).toFixed(0)} MiB` : "n/a";
  };
  return `RSS ${mib("VmRSS")} (peak ${mib("VmHWM")})`;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const median = (samples: number[]) => percentile(samples, 50);
const ms = (n: number) => `${n.toFixed(2)} ms`;
const micros = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} µs` : "n/a");
const verdict = (met: boolean) => (met ? "PASS" : "MISS");

/** Latencies of `runs` requests one after another; each must answer 200. */
async function sequentialLatencies(url: string, apiKey: string, runs: number, pathOf: (i: number) => string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const answer = await request(url, "GET", pathOf(i), { token: apiKey });
    samples.push(performance.now() - start);
    if (answer.status !== 200) throw new Error(`GET ${pathOf(i)}: ${answer.status} ${answer.text}`);
  }
  return samples;
}

/**
 * GET latencies one at a time, quiet and then for as long as FLOOD_WAVES waves of LOGIN_FLOOD
 * wrong logins (each wave sent at once, the next when all are answered) keep the password
 * hashing queue full.
 */
async function latenciesDuringLoginFlood(url: string, apiKey: string) {
  const quiet = await sequentialLatencies(url, apiKey, FLOOD_GETS, () => SECRET_PATH);
  const statuses = new Map<number, number>();
  let flooding = true;
  const flood = (async () => {
    for (let wave = 0; wave < FLOOD_WAVES; wave++) {
      const answers = await Promise.all(
        Array.from({ length: LOGIN_FLOOD }, (_, i) => request(url, "POST", "/api/v1/login", { body: { username: `intruder-${wave}-${i}`, password: "wrong-guess" } })),
      );
      for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    flooding = false;
  })();
  const flooded: number[] = [];
  while (flooding) flooded.push(...(await sequentialLatencies(url, apiKey, 1, () => SECRET_PATH)));
  await flood;
  return { quiet, flooded, statuses };
}

/**
 * Database statements per `GET SECRET_PATH` with a warm authentication cache, counted in a
 * zs-server started in this process on `databaseUrl` (its key in `dir`, as the processes'):
 * request reads, and the SQLite revocation epoch's timer reads (once a second) apart.
 */
async function readsPerGet(databaseUrl: string, dir: string): Promise<{ reads: number; epochChecks: number; seconds: number }> {
  const config = readConfig({ env: { ZS_DATA_DIR: dir, ZS_DATABASE_URL: databaseUrl, ZS_PORT: "0", ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ZS_AUDIT: "off" } });
  const server = await startServer({ config, logger: createLogger("silent"), version: "bench" });
  try {
    const token = (await request(server.url, "POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } })).json?.access_token;
    await sequentialLatencies(server.url, token, 2, () => SECRET_PATH);
    const statements: string[] = [];
    const stop = server.services.database.onStatement((sql) => statements.push(sql));
    const started = performance.now();
    try {
      await sequentialLatencies(server.url, token, COUNTED_GETS, () => SECRET_PATH);
    } finally {
      stop();
    }
    const epochChecks = statements.filter((sql) => sql.includes("auth_revocation")).length;
    return { reads: (statements.length - epochChecks) / COUNTED_GETS, epochChecks, seconds: (performance.now() - started) / 1000 };
  } finally {
    await server.close();
  }
}

const listPath = (needle: string) => `/api/v1/secrets?name=${encodeURIComponent(`contains:${needle}`)}&size=50`;

/** One zs-server on `databaseUrl`, its data dir and log in `dir`; true when it met every target. */
async function benchDatabase(label: string, databaseUrl: string, dir: string, bare: RunningProcess): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  const { server, apiKey } = await startZsServer(dir, databaseUrl, "off");
  let floor: RunningProcess | undefined;
  let uncachedFloor: RunningProcess | undefined;
  let audited: RunningProcess | undefined;
  let servicesRoute: RunningProcess | undefined;
  let servicesRouteWithMiddleware: RunningProcess | undefined;
  try {
    const required = await startZsServer(dir, databaseUrl, "required");
    audited = required.server;
    const auditedKey = required.apiKey;
    floor = await startProcess(BARE_EXPRESS, { PATH: process.env.PATH, BARE_DATABASE_URL: databaseUrl, BARE_READS: "secret" }, path.join(dir, "bare-floor.log"));
    uncachedFloor = await startProcess(BARE_EXPRESS, { PATH: process.env.PATH, BARE_DATABASE_URL: databaseUrl }, path.join(dir, "bare-reads.log"));
    servicesRoute = await startProcess(SERVICES_ROUTE, zsServerEnv(dir, databaseUrl, "off"), path.join(dir, "services-route.log"), FROM_SOURCE);
    servicesRouteWithMiddleware = await startProcess(
      SERVICES_ROUTE,
      { ...zsServerEnv(dir, databaseUrl, "off"), BENCH_MIDDLEWARE: "on" },
      path.join(dir, "services-route-middleware.log"),
      FROM_SOURCE,
    );
    const seeding = await seedSecrets(databaseUrl, "admin", SECRETS);
    console.log(`\n${label}: zs-server ${server.url}, ${SECRETS.toLocaleString("en")} secrets seeded in ${(seeding / 1000).toFixed(1)} s`);

    // One request of each needle first: it warms the caches, and its total says how selective it is.
    const totals: number[] = [];
    for (const needle of NEEDLES) totals.push((await request(server.url, "GET", listPath(needle), { token: apiKey })).json?.total);
    const lists = await sequentialLatencies(server.url, apiKey, LIST_RUNS, (i) => listPath(pick(NEEDLES, i)));
    const byNeedle = NEEDLES.map((needle, n) => `'${needle}' ${ms(median(lists.filter((_, i) => i % NEEDLES.length === n)))} (${totals[n]})`);
    const bareGets = await sequentialLatencies(bare.url, apiKey, LIST_RUNS, () => SECRET_PATH);
    const listP50 = median(lists);
    const listMet = listP50 < TARGET_LIST_P50_MS;
    console.log(`  GET /api/v1/secrets?name=contains:…&size=50, one at a time:`);
    console.log(`    p50 ${ms(listP50)}  p95 ${ms(percentile(lists, 95))}  target p50 < ${TARGET_LIST_P50_MS} ms: ${verdict(listMet)}`);
    console.log(`    p50 by needle (matches): ${byNeedle.join(", ")}`);
    console.log(`    baseline bare express GET, one at a time: p50 ${ms(median(bareGets))}  ratio ${(listP50 / median(bareGets)).toFixed(1)}x`);

    await load(bare, apiKey, WARMUP_SECONDS);
    await load(floor, apiKey, WARMUP_SECONDS);
    await load(uncachedFloor, apiKey, WARMUP_SECONDS);
    await load(servicesRoute, apiKey, WARMUP_SECONDS);
    await load(servicesRouteWithMiddleware, apiKey, WARMUP_SECONDS);
    await load(server, apiKey, WARMUP_SECONDS);
    await load(audited, auditedKey, WARMUP_SECONDS);
    const bareRounds: LoadResult[] = [];
    const floorRounds: LoadResult[] = [];
    const uncachedFloorRounds: LoadResult[] = [];
    const zsRounds: LoadResult[] = [];
    const auditedRounds: LoadResult[] = [];
    const servicesRounds: LoadResult[] = [];
    const middlewareRounds: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRounds.push(await load(bare, apiKey, ROUND_SECONDS));
      floorRounds.push(await load(floor, apiKey, ROUND_SECONDS));
      uncachedFloorRounds.push(await load(uncachedFloor, apiKey, ROUND_SECONDS));
      zsRounds.push(await load(server, apiKey, ROUND_SECONDS));
      auditedRounds.push(await load(audited, auditedKey, ROUND_SECONDS));
      servicesRounds.push(await load(servicesRoute, apiKey, ROUND_SECONDS));
      middlewareRounds.push(await load(servicesRouteWithMiddleware, apiKey, ROUND_SECONDS));
    }
    const auditedRps = median(auditedRounds.map((r) => r.requestsPerSecond));
    const offAt50: LoadResult[] = [];
    const requiredAt50: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      offAt50.push(await load(server, apiKey, ROUND_SECONDS, AUDIT_CONNECTIONS));
      requiredAt50.push(await load(audited, auditedKey, ROUND_SECONDS, AUDIT_CONNECTIONS));
    }
    const offAt50Rps = median(offAt50.map((r) => r.requestsPerSecond));
    const requiredAt50Rps = median(requiredAt50.map((r) => r.requestsPerSecond));
    const auditRatio = requiredAt50Rps / offAt50Rps;
    const auditMet = auditRatio >= TARGET_AUDIT_RATIO;
    const bareRps = median(bareRounds.map((r) => r.requestsPerSecond));
    const floorRps = median(floorRounds.map((r) => r.requestsPerSecond));
    const uncachedFloorRps = median(uncachedFloorRounds.map((r) => r.requestsPerSecond));
    const zsRps = median(zsRounds.map((r) => r.requestsPerSecond));
    const servicesRps = median(servicesRounds.map((r) => r.requestsPerSecond));
    const middlewareRps = median(middlewareRounds.map((r) => r.requestsPerSecond));
    const ratio = zsRps / bareRps;
    const targetRatio = label === "PostgreSQL" ? TARGET_RATIO_POSTGRES : TARGET_RATIO;
    const loadMet = ratio >= targetRatio;
    const floorRatio = zsRps / floorRps;
    const floorMet = floorRatio >= TARGET_FLOOR_RATIO;
    const line = (name: string, rounds: LoadResult[], rps: number) =>
      `    ${name.padEnd(40)} ${Math.round(rps).toLocaleString("en").padStart(6)} req/s  p99 ${String(median(rounds.map((r) => r.p99))).padStart(3)} ms  ` +
      `server CPU ${micros(median(rounds.map((r) => r.cpuMicrosPerRequest)))}/request  (rounds: ${rounds.map((r) => Math.round(r.requestsPerSecond)).join(", ")} req/s)`;
    console.log(`  GET ${SECRET_PATH} with an API key, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${ROUND_SECONDS} s rounds:`);
    console.log(line("zs-server, ZS_AUDIT=off", zsRounds, zsRps));
    console.log(line("zs-server, ZS_AUDIT=required", auditedRounds, auditedRps));
    console.log(line("baseline bare express, constant JSON", bareRounds, bareRps));
    console.log(line("floor: bare express + the warm-cache read", floorRounds, floorRps));
    console.log(line("bare express + the 2 uncached reads", uncachedFloorRounds, uncachedFloorRps));
    console.log(line("one express route on zs-server's services", servicesRounds, servicesRps));
    console.log(line("the same + zs-server's 2 middlewares", middlewareRounds, middlewareRps));
    console.log(`    ratio ${ratio.toFixed(2)} of the bare route; target >= ${targetRatio}: ${verdict(loadMet)}`);
    console.log(`    ratio ${floorRatio.toFixed(2)} of the floor (itself ${(floorRps / bareRps).toFixed(2)} of the bare route); target >= ${TARGET_FLOOR_RATIO}: ${verdict(floorMet)}`);
    console.log(`    (zs-server: ${(zsRps / uncachedFloorRps).toFixed(2)} of the bare route making both uncached reads)`);
    console.log(
      `    (in parts, of the floor: one route on zs-server's services ${(servicesRps / floorRps).toFixed(2)}, ` +
        `with its middlewares ${(middlewareRps / floorRps).toFixed(2)}, zs-server ${floorRatio.toFixed(2)})`,
    );
    console.log(`    (ZS_AUDIT=required at ${CONNECTIONS} connections: ${(auditedRps / zsRps).toFixed(2)} of ZS_AUDIT=off, p99 ${median(auditedRounds.map((r) => r.p99))} ms)`);
    console.log(`  The same GET, ${AUDIT_CONNECTIONS} connections, median of ${ROUNDS} interleaved ${ROUND_SECONDS} s rounds:`);
    console.log(line("zs-server, ZS_AUDIT=off", offAt50, offAt50Rps));
    console.log(line("zs-server, ZS_AUDIT=required", requiredAt50, requiredAt50Rps));
    console.log(
      `    ZS_AUDIT=required: ${auditRatio.toFixed(2)} of ZS_AUDIT=off, p99 ${median(requiredAt50.map((r) => r.p99))} ms; ` +
        `target >= ${TARGET_AUDIT_RATIO}: ${verdict(auditMet)}`,
    );

    const { quiet, flooded, statuses } = await latenciesDuringLoginFlood(server.url, apiKey);
    const floodMet = percentile(flooded, 99) < TARGET_FLOOD_P99_MS;
    const answered = [...statuses].map(([status, count]) => `${count} × ${status}`).join(", ");
    console.log(`  GET ${SECRET_PATH} one at a time during ${FLOOD_WAVES} waves of ${LOGIN_FLOOD} concurrent wrong logins (${answered}; ${flooded.length} GETs):`);
    console.log(`    p50 ${ms(median(flooded))}  p99 ${ms(percentile(flooded, 99))}  target p99 < ${TARGET_FLOOD_P99_MS} ms: ${verdict(floodMet)}`);
    console.log(`    baseline, the same GETs just before without logins: p50 ${ms(median(quiet))}  p99 ${ms(percentile(quiet, 99))}`);
    console.log(`  zs-server memory after the run: ${await residentMemory(server.child.pid)}`);

    const counted = await readsPerGet(databaseUrl, dir);
    const readsMet = counted.reads === TARGET_READS_PER_GET;
    const p99Off = median(offAt50.map((r) => r.p99));
    const p99Required = median(requiredAt50.map((r) => r.p99));
    const p99Met = label !== "SQLite" || p99Off <= TARGET_P99_MS;
    const epochNote = counted.epochChecks > 0 ? `; besides, ${counted.epochChecks} revocation epoch checks by the timer in ${counted.seconds.toFixed(1)} s` : "";
    console.log(`  operations.md's performance table, ${label} (ratios of this run; p99 from autocannon, whole ms):`);
    console.log(`    GET vs bare express, ZS_AUDIT=off          ${ratio.toFixed(2)}  target >= ${targetRatio}  ${verdict(loadMet)}`);
    console.log(`    GET vs the floor (warm-cache reads)        ${floorRatio.toFixed(2)}  target >= ${TARGET_FLOOR_RATIO}  ${verdict(floorMet)}`);
    console.log(`    ZS_AUDIT=required vs off (${AUDIT_CONNECTIONS} conns)       ${auditRatio.toFixed(2)}  target >= ${TARGET_AUDIT_RATIO}  ${verdict(auditMet)}`);
    console.log(
      `    p99 at ${AUDIT_CONNECTIONS} concurrent clients                ${p99Off} ms (required: ${p99Required} ms)  ` +
        (label === "SQLite" ? `target <= ${TARGET_P99_MS} ms  ${verdict(p99Met)}` : "no target"),
    );
    console.log(`    database reads per GET, warm cache         ${counted.reads.toFixed(2)}  target ${TARGET_READS_PER_GET}  ${verdict(readsMet)}${epochNote}`);
    return listMet && loadMet && floorMet && auditMet && p99Met && readsMet && floodMet;
  } finally {
    await audited?.stop();
    await floor?.stop();
    await uncachedFloor?.stop();
    await servicesRoute?.stop();
    await servicesRouteWithMiddleware?.stop();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const build = spawnSync(process.execPath, [path.join(SERVER_DIR, "build.mjs")], { cwd: SERVER_DIR, stdio: "inherit" });
  if (build.status !== 0) throw new Error(`build.mjs failed (exit ${build.status}).`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-server-bench-"));
  const bare = await startProcess(BARE_EXPRESS, { PATH: process.env.PATH }, path.join(dir, "bare-express.log"));
  const outcomes: boolean[] = [];
  try {
    outcomes.push(await benchDatabase("SQLite", `sqlite:${path.join(dir, "sqlite", "zs.db")}`, path.join(dir, "sqlite"), bare));
    const postgres = POSTGRES_URL
      ? await createPostgresDatabase(POSTGRES_URL).catch((error: unknown) => {
          console.log(`\nPostgreSQL: skipped (${(error as Error).message})`);
        })
      : console.log("\nPostgreSQL: skipped (ZS_TEST_POSTGRES_URL is not set)");
    if (postgres) {
      try {
        outcomes.push(await benchDatabase("PostgreSQL", postgres.url, path.join(dir, "postgres"), bare));
      } finally {
        await postgres.drop();
      }
    }
    console.log(`\nbare express memory after the run: ${await residentMemory(bare.child.pid)}`);
  } finally {
    await bare.stop();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`server bench: ${outcomes.every(Boolean) ? "every target met" : "a target MISSED"} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
