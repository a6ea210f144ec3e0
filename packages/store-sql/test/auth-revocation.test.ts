import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import type { Caller, SecretsService, User } from "@zs/core";
import pg from "pg";
import { KnexAuthRevocationRepository, KnexCredentialRepository, type SqlDatabase } from "../src/index.js";
import { createPostgresDatabase, createSqliteDatabase, openSqlService, postgresUrl, type TestDatabase } from "./support/test-databases.js";

const ADMIN: Caller = { userId: "", userName: "test", isAdmin: true, workspace: "default" };

/** What every revoking change looks like to a cache: the epoch moving (SQLite) or the notices sent (PostgreSQL). */
interface Announcements {
  /** Runs `change` and returns what was announced (SQLite: how far the epoch moved, as many "epoch" entries). */
  during(change: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

async function sqliteAnnouncements(database: SqlDatabase): Promise<Announcements> {
  const epochs = new KnexAuthRevocationRepository(database);
  return {
    async during(change) {
      const before = await epochs.readEpoch();
      await change();
      return Array((await epochs.readEpoch()) - before).fill("epoch") as string[];
    },
    close: async () => undefined,
  };
}

async function postgresAnnouncements(url: string): Promise<Announcements> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("LISTEN zs_auth");
  const heard: string[] = [];
  client.on("notification", (message) => heard.push(message.payload ?? ""));
  return {
    async during(change) {
      heard.length = 0;
      await change();
      // Notices arrive after commit, on the listening connection: a round trip there gets them in.
      await client.query("select 1");
      return [...heard];
    },
    close: () => client.end(),
  };
}

type Target = [string, () => Promise<TestDatabase>, (db: TestDatabase, database: SqlDatabase) => Promise<Announcements>];
const sqlite: Target = ["SQLite", createSqliteDatabase, (_db, database) => sqliteAnnouncements(database)];
const postgres: Target = ["PostgreSQL", () => createPostgresDatabase(), (db) => postgresAnnouncements(db.url)];
const targets: Target[] = postgresUrl ? [sqlite, postgres] : [sqlite];

describe.each(targets)("revocations announced by the database on %s (008_auth_revocation)", (label, createDatabase, announce) => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let service: SecretsService;
  let credentials: KnexCredentialRepository;
  let announcements: Announcements;

  beforeAll(async () => {
    db = await createDatabase();
    ({ database, service } = await openSqlService(db.url));
    credentials = new KnexCredentialRepository(database);
    announcements = await announce(db, database);
  });
  afterAll(async () => {
    await announcements.close();
    await service.close();
    await db.drop();
  });

  const userWithSession = async (): Promise<{ user: User; tokenHash: string; id: string }> => {
    const user = await service.ensureUser(`user-${randomBytes(4).toString("hex")}`);
    const tokenHash = randomBytes(32).toString("hex");
    const id = randomUUID();
    await credentials.insertCredential({ id, userId: user.id, kind: "session", name: null, tokenHash, created: Date.now(), expires: Date.now() + 60_000, lastUsed: null });
    return { user, tokenHash, id };
  };
  const expected = (...notices: string[]) => (label === "SQLite" ? notices.map(() => "epoch") : notices);

  it("a deleted credential is announced by its token hash", async () => {
    const { user, tokenHash, id } = await userWithSession();
    expect(await announcements.during(() => credentials.deleteCredential(user.id, id))).toEqual(expected(tokenHash));
  });

  it("a deleted user is announced, with each credential that went with it", async () => {
    const { user, tokenHash } = await userWithSession();
    expect((await announcements.during(() => service.deleteUser(ADMIN, user.name))).sort()).toEqual(expected(tokenHash, user.id).sort());
  });

  it("a changed password or admin flag is announced by the user id; a last-use write is not", async () => {
    const { user, id } = await userWithSession();
    expect(await announcements.during(() => credentials.setPasswordHash(user.id, "first-hash"))).toEqual(expected(user.id));
    expect(await announcements.during(() => credentials.setPasswordHash(user.id, "second-hash"))).toEqual(expected(user.id));
    expect(await announcements.during(() => service.setUserAdmin(ADMIN, user.name, true))).toEqual(expected(user.id));
    expect(await announcements.during(() => credentials.touchCredential(id, Date.now()))).toEqual([]);
  });
});
