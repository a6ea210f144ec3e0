import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { promisify } from "node:util";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { request } from "./support/http-client.js";
import { startServerProcess } from "./support/server-process.js";
import { spawnSync } from "node:child_process";
import { SERVER_BIN } from "./support/server-process.js";
import { holdPort } from "./support/held-port.js";

const execFileAsync = promisify(execFile);

describe("the zs-server process", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-server-process-"));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("first start: creates the admin with a generated password printed once; a restart prints none", async () => {
    const first = await startServerProcess({ ZS_DATA_DIR: dataDir });
    const password = /generated password: (\S+)/.exec(first.stdout())?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.stdout()).toContain(`Log in: zs connect ${first.url} --username admin`);
    const login = await request(first.url, "POST", "/api/v1/login", { body: { username: "admin", password } });
    expect(login.status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.stderr()).not.toContain(password!);

    const second = await startServerProcess({ ZS_DATA_DIR: dataDir });
    expect(second.stdout()).not.toContain("password");
    expect((await request(second.url, "POST", "/api/v1/login", { body: { username: "admin", password } })).status).toBe(200);
    second.child.kill("SIGTERM");
    await second.exited;
  });

  it("SIGKILL during a stream of writes loses no acknowledged write and leaves the database intact", async () => {
    const env = { ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: "admin-password-2" };
    const server = await startServerProcess(env);
    const token = (await request(server.url, "POST", "/api/v1/login", { body: { username: "admin", password: "admin-password-2" } })).json.access_token;
    await request(server.url, "POST", "/api/v1/secrets", { token, body: { name: "counter", values: {} } });
    const acknowledged: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      for (let i = 0; !stop; i++) {
        const name = `w${writer}-${i}`;
        try {
          const created = await request(server.url, "POST", "/api/v1/secrets", { token, body: { name, values: { n: `value-${name}` } } });
          if (created.status === 201) acknowledged.push(name);
          const patched = await request(server.url, "PATCH", "/api/v1/secrets/counter", { token, body: { values: { [`k_${writer}_${i}`]: name } } });
          if (patched.status === 200) acknowledged.push(`counter:k_${writer}_${i}`);
        } catch {
          return; // the connection died with the server
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.child.kill("SIGKILL");
    stop = true;
    await Promise.all(writers);
    expect((await server.exited).signal).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThan(10);

    const restarted = await startServerProcess(env);
    try {
      const again = (await request(restarted.url, "POST", "/api/v1/login", { body: { username: "admin", password: "admin-password-2" } })).json.access_token;
      const counter = (await request(restarted.url, "GET", "/api/v1/secrets/counter", { token: again })).json;
      for (const entry of acknowledged) {
        if (entry.startsWith("counter:")) expect(counter.values).toHaveProperty(entry.slice("counter:".length));
        else expect((await request(restarted.url, "GET", `/api/v1/secrets/${entry}`, { token: again })).json.values).toEqual({ n: `value-${entry}` });
      }
      // Keys and values agree for every secret: no half-written row.
      expect(counter.keys).toEqual(Object.keys(counter.values).sort());
      const listed = (await request(restarted.url, "GET", "/api/v1/secrets?size=1000", { token: again })).json;
      for (const item of listed.items) {
        const secret = (await request(restarted.url, "GET", `/api/v1/secrets/${item.id}`, { token: again })).json;
        expect(secret.keys).toEqual(Object.keys(secret.values).sort());
      }
    } finally {
      restarted.child.kill("SIGTERM");
      await restarted.exited;
    }
  });

  it("rotate-key re-encrypts online: the running server follows the new key file, also for writes during the rotation", async () => {
    const env = { ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: "admin-password-3" };
    const server = await startServerProcess(env);
    try {
      const token = (await request(server.url, "POST", "/api/v1/login", { body: { username: "admin", password: "admin-password-3" } })).json.access_token;
      for (let i = 0; i < 30; i++) await request(server.url, "POST", "/api/v1/secrets", { token, body: { name: `before-${i}`, values: { v: `before-value-${i}` } } });
      const keyFile = path.join(dataDir, "encryption.key");
      const oldKey = (await readFile(keyFile, "utf8")).trim();

      let writing = true;
      let written = 0;
      const writer = (async () => {
        for (; writing; written++) {
          const created = await request(server.url, "POST", "/api/v1/secrets", { token, body: { name: `during-${written}`, values: { v: `during-value-${written}` } } });
          expect(created.status).toBe(201);
        }
      })();
      const rotation = await execFileAsync(process.execPath, [SERVER_BIN, "rotate-key", "--settle", "300"], {
        env: { PATH: process.env.PATH ?? "", ...env, ZS_LOG_LEVEL: "warn" },
      });
      writing = false;
      await writer;
      expect(rotation.stdout).toMatch(/^Re-encrypted \d+ secrets( and \d+ earlier versions?)? under key '[0-9a-f]{8}'; the old key is no longer needed\.\n$/);
      const newKey = (await readFile(keyFile, "utf8")).trim();
      expect(newKey.split("\n")).toHaveLength(1);
      expect(newKey).not.toBe(oldKey);

      // Every value reads back through the server that ran all along, then after a restart with only the new key.
      const check = async (url: string, bearer: string) => {
        for (let i = 0; i < 30; i++) expect((await request(url, "GET", `/api/v1/secrets/before-${i}`, { token: bearer })).json.values).toEqual({ v: `before-value-${i}` });
        for (let i = 0; i < written; i++) expect((await request(url, "GET", `/api/v1/secrets/during-${i}`, { token: bearer })).json.values).toEqual({ v: `during-value-${i}` });
      };
      await check(server.url, token);
      server.child.kill("SIGTERM");
      await server.exited;
      const restarted = await startServerProcess(env);
      try {
        await check(restarted.url, token);
        // The rotation is in the audit log, done by the host's operator (via local).
        const rotations = await request(restarted.url, "GET", "/api/v1/audit?action=store.rotate_key", { token });
        expect(rotations.json.items).toEqual([expect.objectContaining({ outcome: "ok", actor: expect.objectContaining({ via: "local" }), target: expect.objectContaining({ type: "store" }) })]);
        expect((await request(restarted.url, "GET", "/api/v1/audit/verify", { token })).json).toMatchObject({ valid: true });
      } finally {
        restarted.child.kill("SIGTERM");
        await restarted.exited;
      }
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("a bad configuration stops it at start with every problem listed, exit 1", () => {
    const result = spawnSync(process.execPath, [SERVER_BIN], {
      env: { PATH: process.env.PATH ?? "", ZS_DATA_DIR: dataDir, ZS_PORT: "http", ZS_ENCRYPTION_KEY: "short", ZS_LOG_LEVEL: "loud" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Error: Invalid configuration/);
    for (const setting of ["ZS_PORT", "ZS_ENCRYPTION_KEY", "ZS_LOG_LEVEL"]) expect(result.stderr).toContain(setting);
    expect(result.stderr).not.toContain("short");
  });

  it("a port in use: exit 1 saying so and naming ZS_PORT, nothing listening", async () => {
    const held = await holdPort();
    try {
      const result = await execFileAsync(process.execPath, [SERVER_BIN], {
        env: { PATH: process.env.PATH ?? "", ZS_DATA_DIR: dataDir, ZS_PORT: String(held.port), ZS_ADMIN_PASSWORD: "port-test-password-1" },
        encoding: "utf8",
      }).catch((error: { code: number; stdout: string; stderr: string }) => error);
      expect(result).toMatchObject({ code: 1, stdout: "" });
      expect(result.stderr).toBe(
        `Error: Cannot listen on 127.0.0.1:${held.port}: the port is already in use; stop what holds it, or set ZS_PORT to another port (0 picks a free one).\n`,
      );
    } finally {
      await held.close();
    }
  });

  it("--help lists the settings", () => {
    const result = spawnSync(process.execPath, [SERVER_BIN, "--help"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    for (const setting of ["ZS_DATABASE_URL", "ZS_SECRETS_STORE_TYPE", "ZS_ADMIN_PASSWORD", "ZS_PORT"]) expect(result.stdout).toContain(setting);
  });
});
