import { chmod, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { request } from "./support/http-client.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";

const ADMIN_PASSWORD = "owner-only-admin-password";

/** The permission bits of each path, as `stat` shows them (`"600"`), keyed by the path's name. */
async function modes(...paths: string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(paths.map(async (p) => [path.basename(p), ((await stat(p)).mode & 0o7777).toString(8)] as const));
  return Object.fromEntries(entries);
}

/** Starts a server, logs in (a write: the WAL has content) and returns it running. */
async function startAndLogIn(env: Record<string, string>, umask?: string): Promise<ServerProcess> {
  const server = await startServerProcess({ ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ZS_LOG_LEVEL: "warn", ...env }, [], umask === undefined ? {} : { umask });
  expect((await request(server.url, "POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } })).status).toBe(200);
  return server;
}

async function stop(server: ServerProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  server.child.kill(signal);
  await server.exited;
}

describe("the server's database files and data directory are owner-only", () => {
  let root: string;
  let dataDir: string;
  const files = () => ["zs.db", "zs.db-wal", "zs.db-shm", "encryption.key"].map((name) => path.join(dataDir, name));

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "zs-owner-only-"));
    dataDir = path.join(root, "data");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it.each([
    ["the test runner's umask", undefined],
    ["umask 000", "000"],
    ["umask 022", "022"],
  ])("a new data directory is 0700 and zs.db, -wal, -shm and the key file 0600 while the server runs (%s)", async (_how, umask) => {
    const server = await startAndLogIn({ ZS_DATA_DIR: dataDir }, umask);
    try {
      expect(await modes(dataDir, ...files())).toEqual({ data: "700", "zs.db": "600", "zs.db-wal": "600", "zs.db-shm": "600", "encryption.key": "600" });
    } finally {
      await stop(server);
    }
  });

  it("a data directory and database files an older zs left 0755/0644 (after a crash, -wal and -shm too) are tightened to 0700/0600 at start", async () => {
    // SIGKILL leaves -wal and -shm behind, as a crash would.
    await stop(await startAndLogIn({ ZS_DATA_DIR: dataDir }), "SIGKILL");
    await chmod(dataDir, 0o755);
    for (const file of files().slice(0, 3)) await chmod(file, 0o644);
    expect(await modes(dataDir, ...files())).toEqual({ data: "755", "zs.db": "644", "zs.db-wal": "644", "zs.db-shm": "644", "encryption.key": "600" });

    const server = await startAndLogIn({ ZS_DATA_DIR: dataDir }, "000");
    try {
      expect(await modes(dataDir, ...files())).toEqual({ data: "700", "zs.db": "600", "zs.db-wal": "600", "zs.db-shm": "600", "encryption.key": "600" });
    } finally {
      await stop(server);
    }
  });

  it("a database outside the data directory is 0600, its missing directory is created 0700, and an existing one of the user's is left as it is", async () => {
    const shared = path.join(root, "shared");
    await mkdir(shared, { mode: 0o755 });
    await chmod(shared, 0o755);
    const nested = path.join(root, "new", "db");
    for (const [dir, expected] of [
      [shared, { shared: "755" }],
      [nested, { db: "700", new: "700" }],
    ] as const) {
      const database = path.join(dir, "zs.db");
      const server = await startAndLogIn({ ZS_DATA_DIR: dataDir, ZS_DATABASE_URL: `sqlite:${database}` }, "000");
      try {
        const dirs = dir === shared ? [shared] : [nested, path.dirname(nested)];
        expect(await modes(...dirs)).toEqual(expected);
        expect(await modes(database, `${database}-wal`, `${database}-shm`)).toEqual({ "zs.db": "600", "zs.db-wal": "600", "zs.db-shm": "600" });
      } finally {
        await stop(server);
      }
    }
  });
});
