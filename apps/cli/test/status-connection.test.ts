import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startServerProcess, type ServerProcess } from "../../server/test/support/server-process.js";
import { cells } from "./support/fixtures.js";
import { useZsHarness } from "./support/zs-process.js";

const ADMIN_PASSWORD = "status-admin-password-4c2e";

/** `zs status` as label → value. */
function statusRows(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.split("\n").filter(Boolean).map((line) => cells(line) as [string, string]));
}

describe("zs status with a saved server that cannot answer; login, logout and whoami", () => {
  const zs = useZsHarness();
  let server: ServerProcess;
  let dataDir: string;
  /** A second settings directory: a connection made with an API key that is then deleted. */
  let keyConfig: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-cli-status-"));
    keyConfig = path.join(dataDir, "key-config");
    server = await startServerProcess({ ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ZS_LOG_LEVEL: "warn", ZS_AUTH_CACHE_TTL: "0" });
  });
  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await server.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it("login and whoami are connect and status; a token the server refuses: the saved server and user, why, exit 1", async () => {
    expect((await zs.ok(["login", server.url, "--username", "admin", "--password-stdin"], { input: `${ADMIN_PASSWORD}\n` })).stdout).toBe(
      `Connected to ${server.url} as 'admin'.\n`,
    );
    expect(statusRows((await zs.ok(["whoami"])).stdout)).toMatchObject({ Mode: `remote (${server.url})`, User: "admin", Workspace: "default" });

    const key = JSON.parse((await zs.ok(["api-key", "create", "soon-gone", "-o", "json"])).stdout) as { id: string; key: string };
    await zs.ok(["connect", server.url, "--api-key-stdin"], { input: key.key, env: { XDG_CONFIG_HOME: keyConfig } });
    await zs.ok(["api-key", "delete", key.id]);
    const refused = await zs.run(["status"], { env: { XDG_CONFIG_HOME: keyConfig } });
    expect(refused.code).toBe(1);
    expect(statusRows(refused.stdout)).toEqual({
      Mode: `remote (${server.url})`,
      User: "admin",
      Workspace: "default",
      Connection: "token invalid or expired (zs connect again)",
    });
    expect(refused.stderr).toMatch(/^Error: .+\n$/);
    expect(refused.stderr + refused.stdout).not.toContain(key.key);

    const unknownKey = await zs.run(["status"], { env: { ZS_URL: server.url, ZS_API_KEY: "zs_not-a-key-9d3f" } });
    expect(unknownKey.code).toBe(1);
    expect(statusRows(unknownKey.stdout)).toMatchObject({ User: "unknown (ZS_API_KEY)", Connection: "token invalid or expired (zs connect again)" });
  });

  it("with the server stopped: the saved URL and user, 'server unreachable', exit 1 (also -o json); logout still works", async () => {
    server.child.kill("SIGTERM");
    await server.exited;
    const down = await zs.run(["status"]);
    expect(down.code).toBe(1);
    expect(statusRows(down.stdout)).toEqual({ Mode: `remote (${server.url})`, User: "admin", Workspace: "default", Connection: "server unreachable" });
    expect(down.stderr).toBe(`Error: Cannot reach the zs server at ${server.url} (ECONNREFUSED).\n`);

    const json = await zs.run(["whoami", "-o", "json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      mode: "remote",
      server: server.url,
      user: "admin",
      workspace: "default",
      connection: "server unreachable",
      error: "BACKEND_UNAVAILABLE",
    });

    expect((await zs.ok(["logout"])).stdout).toBe(`Disconnected from ${server.url}.\n`);
    expect(statusRows((await zs.ok(["status"])).stdout)).toMatchObject({ Mode: `local (${zs.home})`, User: "default" });
  });
});
