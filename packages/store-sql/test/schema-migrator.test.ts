import { execFile, spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "@jest/globals";
import sqlite3 from "sqlite3";
import { SqlDatabase } from "../src/index.js";
import { LATEST_MIGRATION } from "../src/migrations.js";
import { createSqliteDatabase, type TestDatabase, testDatabases } from "./support/test-databases.js";

const require = createRequire(__filename);
const execFileAsync = promisify(execFile);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opens the database in a process of its own, as a CLI or server would; its deployment id, all it printed. */
async function openInProcess(url: string): Promise<string> {
  const script = path.join(__dirname, "support/open-database.ts");
  const { stdout } = await execFileAsync(process.execPath, ["--conditions=source", "--import", "tsx", script, url]);
  expect(stdout).toMatch(UUID);
  return stdout;
}

describe.each(testDatabases)("migrating a fresh %s database", (_label, createDatabase) => {
  let db: TestDatabase;
  afterEach(() => db.drop());

  it("four processes opening it at once all succeed and agree on one deployment", async () => {
    db = await createDatabase();
    const deploymentIds = await Promise.all(Array.from({ length: 4 }, () => openInProcess(db.url)));
    expect(new Set(deploymentIds).size).toBe(1);
    const database = await SqlDatabase.open(db.url);
    try {
      expect(database.deploymentId).toBe(deploymentIds[0]);
      expect(await database.knex("workspaces").pluck("name")).toEqual(["default"]);
    } finally {
      await database.close();
    }
  });

  it("a database whose schema is newer than this zs is refused with a clear error", async () => {
    db = await createDatabase();
    const database = await SqlDatabase.open(db.url);
    await database.setMeta("schema", "999_from_the_future");
    await database.close();
    await expect(SqlDatabase.open(db.url)).rejects.toMatchObject({
      code: "CONFIGURATION_ERROR",
      message: expect.stringContaining("999_from_the_future"),
    });
  });
});

describe("a new SQLite file another process is switching to WAL", () => {
  it("is waited for, within the busy timeout: the open succeeds and prints nothing but the deployment id", async () => {
    const db = await createSqliteDatabase();
    // An empty file, as prepareSqliteFile leaves it; the holder takes the write lock in rollback
    // mode, as a process switching the file to WAL does while it writes the header. SQLite
    // answers the switch of a second connection meanwhile with SQLITE_BUSY at once, busy
    // timeout or not (zs once failed here, and knex printed 'Acquire connection error' on stdout).
    await writeFile(db.file!, "");
    const holder = new sqlite3.Database(db.file!);
    try {
      await new Promise<void>((resolve, reject) => holder.exec("begin immediate", (error) => (error ? reject(error) : resolve())));
      const opening = openInProcess(db.url);
      // Held until the child has certainly tried (its start-up alone takes a while), then released.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await new Promise<void>((resolve, reject) => holder.exec("rollback", (error) => (error ? reject(error) : resolve())));
      const deploymentId = await opening;
      const database = await SqlDatabase.open(db.url);
      try {
        expect(database.deploymentId).toBe(deploymentId);
      } finally {
        await database.close();
      }
    } finally {
      await new Promise((resolve) => holder.close(resolve));
      await db.drop();
    }
  }, 20_000);
});

describe("a process killed while migrating SQLite", () => {
  it("leaves no lock behind: the next open migrates", async () => {
    const db = await createSqliteDatabase();
    try {
      // A child takes the write lock, half-migrates and dies by SIGKILL before committing.
      const child = spawnSync(
        process.execPath,
        [
          "-e",
          `const sqlite3 = require(${JSON.stringify(require.resolve("sqlite3"))});
           const db = new sqlite3.Database(${JSON.stringify(db.file)});
           db.exec("pragma journal_mode = wal; begin immediate; create table zs_meta (key text primary key, value text);",
             (error) => { if (error) throw error; process.kill(process.pid, "SIGKILL"); });`,
        ],
        { encoding: "utf8" },
      );
      expect(child.signal).toBe("SIGKILL");
      const database = await SqlDatabase.open(db.url);
      try {
        expect(await database.getMeta("schema")).toBe(LATEST_MIGRATION);
        expect(await database.knex("workspaces").pluck("name")).toEqual(["default"]);
      } finally {
        await database.close();
      }
    } finally {
      await db.drop();
    }
  });
});
