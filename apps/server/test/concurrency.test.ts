import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { generateEncryptionKey } from "@zs/core";
import { request } from "./support/http-client.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";
import { createPostgresDatabase, postgresUrl, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";

async function loginAt(url: string): Promise<string> {
  const result = await request(url, "POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } });
  return result.json.access_token as string;
}

/** 50 concurrent PATCHes, each adding its own key, spread over `urls`; the secret's final state. */
async function fiftyConcurrentPatches(urls: string[], tokens: string[], name: string) {
  await request(urls[0]!, "POST", "/api/v1/secrets", { token: tokens[0], body: { name, values: {} } });
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      request(urls[i % urls.length]!, "PATCH", `/api/v1/secrets/${name}`, { token: tokens[i % urls.length], body: { values: { [`key_${i}`]: `value-${i}` } } }),
    ),
  );
  expect(results.map((result) => result.status)).toEqual(Array(50).fill(200));
  return (await request(urls[0]!, "GET", `/api/v1/secrets/${name}`, { token: tokens[0] })).json;
}

/** 20 concurrent creates of one name spread over `urls`: the statuses, sorted. */
async function twentyConcurrentCreates(urls: string[], tokens: string[], name: string) {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => request(urls[i % urls.length]!, "POST", "/api/v1/secrets", { token: tokens[i % urls.length], body: { name, values: { i: `create-${i}` } } })),
  );
  return results.map((result) => result.status).sort();
}

const databases: [string, () => Promise<TestDatabase | undefined>][] = [
  ["SQLite", async () => undefined],
  ...(postgresUrl ? [["PostgreSQL", createPostgresDatabase] as [string, () => Promise<TestDatabase>]] : []),
];

describe.each(databases)("concurrent writes through one server on %s", (_label, createDatabase) => {
  let database: TestDatabase | undefined;
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    database = await createDatabase();
    server = await TestServer.start({ databaseUrl: database?.url });
    admin = await server.login("admin", ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server.stop();
    await database?.drop();
  });

  it("50 concurrent PATCHes adding distinct keys keep all 50", async () => {
    const secret = await fiftyConcurrentPatches([server.url], [admin], "shared");
    expect(secret.keys).toHaveLength(50);
    expect(secret.version).toBe(51);
    expect(secret.values.key_37).toBe("value-37");
  });

  it("concurrent creates of one name: exactly one 201, the rest 409", async () => {
    expect(await twentyConcurrentCreates([server.url], [admin], "racy")).toEqual([201, ...Array(19).fill(409)]);
  });
});

(postgresUrl ? describe : describe.skip)("two server processes sharing one PostgreSQL database", () => {
  let database: TestDatabase;
  let servers: ServerProcess[];
  let tokens: string[];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const env = { ZS_DATABASE_URL: database.url, ZS_ENCRYPTION_KEY: generateEncryptionKey(), ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ZS_LOG_LEVEL: "warn" };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    tokens = await Promise.all(servers.map((server) => loginAt(server.url)));
  });
  afterAll(async () => {
    for (const server of servers ?? []) server.child.kill("SIGTERM");
    await Promise.all((servers ?? []).map((server) => server.exited));
    await database.drop();
  });

  it("both started; the admin was created once", () => {
    expect(servers.filter((server) => server.stdout().includes("Created the admin"))).toHaveLength(1);
  });

  it("50 concurrent PATCHes, half to each, keep all 50 keys", async () => {
    const secret = await fiftyConcurrentPatches(servers.map((server) => server.url), tokens, "shared");
    expect(secret.keys).toHaveLength(50);
    expect(secret.version).toBe(51);
  });

  it("concurrent creates of one name across both: exactly one 201", async () => {
    expect(await twentyConcurrentCreates(servers.map((server) => server.url), tokens, "racy")).toEqual([201, ...Array(19).fill(409)]);
  });
});
