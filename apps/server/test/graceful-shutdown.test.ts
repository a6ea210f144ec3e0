import { execFileSync } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { startAwsSecretsManagerEmulator, type AwsSecretsManagerEmulator } from "@zs/emulators";
import { request } from "./support/http-client.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";

const ADMIN_PASSWORD = "shutdown-admin-password-1";
const SECRET_VALUE = "shutdown-fixture-value-7f3a";
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Answer = { status: number; connection: string | undefined; body: string } | { error: string };

/** A GET over `agent`: `sent` once the request is written to the socket; `answer`, its status, `Connection` header and body, or the socket error it died of. */
function get(url: string, agent: http.Agent, token: string): { sent: Promise<void>; answer: Promise<Answer> } {
  let sent!: Promise<void>;
  const answer = new Promise<Answer>((resolve) => {
    const request = http
      .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }));
        response.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      })
      .on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    sent = new Promise((resolveSent) => request.once("finish", () => resolveSent()));
  });
  return { sent, answer };
}

/**
 * Bytes the server has not read yet on its connections at `port` (the kernel's receive queues, from `ss`):
 * 0 once every request written to it is in the server's hands.
 */
function unreadBytes(port: number): number {
  const lines = execFileSync("ss", ["-Htn", "state", "established", `( sport = :${port} )`], { encoding: "utf8" }).trim().split("\n");
  return lines.filter(Boolean).reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[0]), 0);
}

/** Waits until `condition` holds, checking every 20 ms; fails after 20 s. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 20_000; !(await condition()); await wait(20)) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
  }
}

/** Whether a new TCP connection to the server's port is accepted. */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

// Every value read waits on the values store's emulator, answering slowly: requests stay in flight.
describe("SIGTERM and SIGINT", () => {
  let dir: string;
  let aws: AwsSecretsManagerEmulator;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    aws = await startAwsSecretsManagerEmulator();
  });
  /** When the emulator's last delayed answer is due: its timer must not outlive the tests. */
  let slowUntil = 0;
  const slowStore = (latencyMs: number) => {
    aws.faults.latencyMs = latencyMs;
    slowUntil = Date.now() + latencyMs;
  };
  afterAll(async () => {
    await wait(Math.max(0, slowUntil - Date.now()));
    await aws.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-shutdown-"));
    aws.reset();
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}): Promise<{ url: string; token: string }> {
    server = await startServerProcess({
      ZS_DATA_DIR: dir,
      ZS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ZS_AUDIT_FILE: path.join(dir, "audit.jsonl"),
      ZS_SECRETS_STORE_TYPE: "aws",
      ZS_SECRETS_STORE_REGION: "eu-west-1",
      ZS_SECRETS_STORE_ENDPOINT: aws.endpoint,
      ZS_SECRETS_STORE_ACCESS_KEY_ID: "AKIAZSSHUTDOWNTEST01",
      ZS_SECRETS_STORE_SECRET_ACCESS_KEY: "zs-shutdown-test-aws-secret-access-key",
      ...env,
    });
    const url = server.url;
    const token = (await request(url, "POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } })).json.access_token as string;
    expect((await request(url, "POST", "/api/v1/secrets", { token, body: { name: "slow", values: { v: SECRET_VALUE } } })).status).toBe(201);
    return { url, token };
  }

  it("200 requests in flight on keep-alive connections all get their answer; readiness is 503 once the listener is closed; exit 0 within the timeout", async () => {
    const { url, token } = await start({ ZS_SHUTDOWN_TIMEOUT: "30s" });
    slowStore(1500);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
    // A readiness probe on a connection of its own, its request begun (so the connection is not idle) but not ended.
    const probe = net.connect(Number(new URL(url).port), "127.0.0.1");
    await new Promise((resolve) => probe.once("connect", resolve));
    let probeAnswer = "";
    probe.setEncoding("utf8");
    probe.on("data", (chunk: string) => (probeAnswer += chunk));
    probe.write("GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n");

    const inFlight = Array.from({ length: 200 }, () => get(`${url}/api/v1/secrets/slow`, agent, token));
    // Every request is written, then read by the server: all are in its hands.
    await Promise.all(inFlight.map((request) => request.sent));
    await until(() => unreadBytes(Number(new URL(url).port)) === 0);
    const signalled = Date.now();
    server!.child.kill("SIGTERM");
    await until(async () => !(await accepts(url)));
    probe.write("\r\n");
    const answers = await Promise.all(inFlight.map((request) => request.answer));
    const exit = await server!.exited;
    const elapsed = Date.now() - signalled;
    agent.destroy();
    probe.destroy();

    expect(answers.filter((answer) => "error" in answer)).toEqual([]);
    expect(answers.map((answer) => ("status" in answer ? answer.status : 0))).toEqual(Array(200).fill(200));
    expect(answers.every((answer) => "body" in answer && JSON.parse(answer.body).values.v === SECRET_VALUE)).toBe(true);
    // Each keep-alive connection was closed after its answer, not reset.
    expect(answers.every((answer) => "connection" in answer && answer.connection === "close")).toBe(true);
    expect(probeAnswer).toMatch(/^HTTP\/1\.1 503 /);
    expect(probeAnswer.toLowerCase()).toContain("connection: close");
    expect(probeAnswer).toContain('"status":"draining"');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(30_000);
    // The log is written in batches, flushed at exit: its last bytes may come after the exit event.
    for (let i = 0; i < 40 && !server!.stderr().includes('"msg":"stopped"'); i++) await wait(50);
    const logs = server!.stderr();
    expect(logs).toMatch(/"inFlight":2\d\d,/);
    expect(logs).toContain('"finished":true');
    // Every read's audit event was flushed to the file before the exit.
    const events = (await readFile(path.join(dir, "audit.jsonl"), "utf8")).trim().split("\n").map((line) => JSON.parse(line));
    expect(events.filter((event) => event.action === "secret.read").length).toBeGreaterThanOrEqual(200);
    expect(logs + server!.stdout()).not.toContain(SECRET_VALUE);
    expect(logs + server!.stdout()).not.toContain(token);
  });

  it("a second signal exits at once, non-zero, without waiting for requests in flight", async () => {
    const { url, token } = await start({ ZS_SHUTDOWN_TIMEOUT: "60s" });
    slowStore(3000);
    const agent = new http.Agent({ keepAlive: true });
    const pending = get(`${url}/api/v1/secrets/slow`, agent, token).answer;
    await until(() => aws.waiting === 1);
    server!.child.kill("SIGTERM");
    await until(() => server!.stderr().includes("draining"));
    const signalled = Date.now();
    server!.child.kill("SIGINT");
    const exit = await server!.exited;
    expect(Date.now() - signalled).toBeLessThan(2000);
    expect(exit.code).toBe(130);
    expect(await pending).toHaveProperty("error");
    agent.destroy();
  });

  it("past ZS_SHUTDOWN_TIMEOUT the requests still running are cut, the timeout is logged and the exit code is 1", async () => {
    const { url, token } = await start({ ZS_SHUTDOWN_TIMEOUT: "1s" });
    slowStore(3000);
    const agent = new http.Agent({ keepAlive: true });
    const pending = get(`${url}/api/v1/secrets/slow`, agent, token).answer;
    await until(() => aws.waiting === 1);
    const signalled = Date.now();
    server!.child.kill("SIGTERM");
    const exit = await server!.exited;
    const elapsed = Date.now() - signalled;
    expect(exit).toEqual({ code: 1, signal: null });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2900);
    for (let i = 0; i < 40 && !server!.stderr().includes("ZS_SHUTDOWN_TIMEOUT reached"); i++) await wait(50);
    expect(server!.stderr()).toContain("ZS_SHUTDOWN_TIMEOUT reached");
    expect(await pending).toHaveProperty("error");
    agent.destroy();
  });
});
