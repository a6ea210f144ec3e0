import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { request } from "./support/http-client.js";
import { SERVER_BIN, startServerProcess, type ServerProcess } from "./support/server-process.js";

const execFileAsync = promisify(execFile);

/** `zs-server reset-admin` with `env` over a clean environment; its exit code and output. */
async function resetAdmin(env: Record<string, string>, args: string[] = []) {
  return execFileAsync(process.execPath, [SERVER_BIN, "reset-admin", ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe("zs-server reset-admin", () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-reset-admin-"));
  });
  afterEach(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
    server = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  const login = (username: string, password: string) => request(server!.url, "POST", "/api/v1/login", { body: { username, password } });

  it("restores a server whose only admin lost its password and is delayed by failed logins, while it keeps running", async () => {
    server = await startServerProcess({ ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: "forgotten-password-1" });
    const token = (await login("admin", "forgotten-password-1")).json.access_token as string;
    for (let i = 0; i < 10; i++) expect((await login("admin", `guess-${i}`)).status).toBe(401);
    expect((await login("admin", "forgotten-password-1")).status).toBe(429);

    const reset = await resetAdmin({ ZS_DATA_DIR: dataDir });
    expect(reset.code).toBe(0);
    const generated = /generated password: (\S+)/.exec(reset.stdout)?.[1];
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(reset.stdout).toContain("Reset the admin 'admin'");

    // The running server sees it at once: the old session is gone, no delay remains, the new password works.
    expect((await request(server.url, "GET", "/api/v1/current-user", { token })).status).toBe(401);
    expect((await login("admin", "forgotten-password-1")).status).toBe(401);
    const fresh = await login("admin", generated!);
    expect(fresh.status).toBe(200);
    expect((await request(server.url, "GET", "/api/v1/current-user", { token: fresh.json.access_token })).json.is_admin).toBe(true);
  });

  it("--username makes that user an admin again (created if absent), with the password from ZS_ADMIN_PASSWORD", async () => {
    server = await startServerProcess({ ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: "first-admin-password" });
    const reset = await resetAdmin({ ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: "rescue-password-1" }, ["--username", "rescuer"]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain("Created the admin 'rescuer'");
    expect(reset.stdout).not.toContain("rescue-password-1");
    const token = (await login("rescuer", "rescue-password-1")).json.access_token as string;
    expect((await request(server.url, "GET", "/api/v1/users", { token })).status).toBe(200);
  });

  it.each([
    ["an invalid user name", { }, ["--username", "not a name"], /user name/],
    ["a password under 8 characters", { ZS_ADMIN_PASSWORD: "short" }, [], /ZS_ADMIN_PASSWORD/],
  ])("%s: exit 1 with a clear error, nothing changed", async (_label, env, args, message) => {
    server = await startServerProcess({ ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: "kept-password-1" });
    const reset = await resetAdmin({ ZS_DATA_DIR: dataDir, ...env }, args);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toMatch(message);
    expect((await login("admin", "kept-password-1")).status).toBe(200);
  });
});
