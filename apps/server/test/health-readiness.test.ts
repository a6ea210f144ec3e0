import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startVaultEmulator } from "@zs/emulators";
import { request } from "./support/http-client.js";
import { TestServer } from "./support/test-server.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Readiness reuses a round of checks this long. */
const READINESS_CACHE_MS = 1000;

describe("liveness and readiness", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-health-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("GET /health/live and /health/ready answer 200 without a token, naming each part; GET /health is unchanged", async () => {
    const server = await TestServer.start({ env: { ZS_AUDIT_FILE: path.join(dir, "audit.jsonl") } });
    try {
      const live = await request(server.url, "GET", "/health/live");
      expect(live.status).toBe(200);
      expect(live.json).toEqual({ status: "ok" });
      const ready = await request(server.url, "GET", "/health/ready");
      expect(ready.status).toBe(200);
      expect(ready.json).toEqual({ status: "ready", version: "test", checks: { database: "ok", values_store: "ok", audit: "ok" } });
      expect(await request(server.url, "GET", "/health")).toMatchObject({ status: 200, json: { status: "ok", version: "test" } });
    } finally {
      await server.stop();
    }
  });

  it("an unwritable ZS_AUDIT_FILE makes /health/ready 503 naming the audit sink, while /health/live stays 200", async () => {
    // A directory where the file should be: no process, root included, can append to it.
    const server = await TestServer.start({ env: { ZS_AUDIT_FILE: dir } });
    try {
      const ready = await request(server.url, "GET", "/health/ready");
      expect(ready.status).toBe(503);
      expect(ready.json).toEqual({
        status: "degraded",
        version: "test",
        checks: { database: "ok", values_store: "ok", audit: "failing" },
        failing: ["audit"],
      });
      expect((await request(server.url, "GET", "/health/live")).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("a stopped values store (its emulator closed) makes /health/ready 503 naming the values store; 21 probes cost at most two backend calls (a round of checks serves a second)", async () => {
    const vault = await startVaultEmulator();
    const server = await TestServer.start({
      env: { ZS_SECRETS_STORE_TYPE: "vault", ZS_SECRETS_STORE_VAULT_ADDR: vault.address, ZS_SECRETS_STORE_VAULT_TOKEN: vault.token },
    });
    try {
      const before = vault.calls.readData;
      const probes = await Promise.all(Array.from({ length: 20 }, () => request(server.url, "GET", "/health/ready")));
      expect(probes.map((probe) => probe.status)).toEqual(Array(20).fill(200));
      expect((await request(server.url, "GET", "/health/ready")).status).toBe(200);
      // One round for all of them; two if a slow machine let the cached round expire in between.
      expect(vault.calls.readData - before).toBeLessThanOrEqual(2);

      await vault.close();
      await wait(READINESS_CACHE_MS + 50);
      const ready = await request(server.url, "GET", "/health/ready");
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ status: "degraded", failing: ["values_store"], checks: { database: "ok", values_store: "failing", audit: "ok" } });
      expect(server.logs).not.toContain(vault.token);
    } finally {
      await server.stop();
      await vault.close().catch(() => undefined);
    }
  });
});
