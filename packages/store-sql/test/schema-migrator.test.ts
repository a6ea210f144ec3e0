import { execFile, spawnSync } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "@jest/globals";
import { SqlDatabase } from "../src/index.js";
import { LATEST_MIGRATION } from "../src/migrations.js";
import { createSqliteDatabase, type TestDatabase, testDatabases } from "./support/test-databases.js";

const require = createRequire(__filename);
const execFileAsync = promisify(execFile);

/** Opens the database in a process of its own, as a CLI or server would; its deployment id. */
async function openInProcess(url: string): Promise<string> {
  const script = path.join(__dirname, "support/open-database.ts");
  const { stdout } = await execFileAsync(process.execPath, ["--conditions=source", "--import", "tsx", script, url]);
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
