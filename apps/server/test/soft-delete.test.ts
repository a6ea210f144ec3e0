import { access, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SqlDatabase } from "@zs/store-sql";
import { CLOUD_BACKENDS, storeOptionsOf, type CloudBackend } from "./support/cloud-backends.js";
import { SpawnedTestServer } from "./support/spawned-test-server.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

const CUSTOM_STORE = path.resolve(__dirname, "..", "..", "..", "examples", "custom-store", "dist", "index.js");

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the sweeper purges expired deleted secrets from the values store (custom file store)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-sweeper-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("a deleted secret keeps its backend object until its window ends; the sweep at start removes the object, then the row", async () => {
    const databaseUrl = `sqlite:${path.join(dir, "zs.db")}`;
    // A process of the bundled server: it loads the example's ES module as a deployment does.
    const env = { ZS_DATABASE_URL: databaseUrl, ZS_SECRETS_STORE_TYPE: CUSTOM_STORE, ZS_SECRETS_STORE_DIRECTORY: path.join(dir, "values") };
    let server = await SpawnedTestServer.start({ env });
    let admin = await server.login("admin", ADMIN_PASSWORD);
    const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "swept", values: { k: "swept-value-1" } } });
    const keeper = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "kept", values: { k: "kept-value-1" } } });
    const object = path.join(dir, "values", `${created.json.id}.json`);
    const keptObject = path.join(dir, "values", `${keeper.json.id}.json`);
    expect((await server.call("DELETE", "/api/v1/secrets/swept", { token: admin })).json.purged).toBe(false);
    expect((await server.call("DELETE", "/api/v1/secrets/kept", { token: admin })).json.purged).toBe(false);
    expect(await exists(object)).toBe(true);
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();

    // The window of one of them ends (as if 7 days passed).
    const database = await SqlDatabase.open(databaseUrl);
    await database.knex("secrets").where({ id: created.json.id }).update({ purge_after: Date.now() - 1000 });
    await database.close();

    server = await SpawnedTestServer.start({ env });
    try {
      await eventually(async () => !(await exists(object)));
      admin = await server.login("admin", ADMIN_PASSWORD);
      await eventually(async () => (await server.call("GET", "/api/v1/secrets?deleted=true&name=swept", { token: admin })).json.total === 0);
      expect(await exists(keptObject)).toBe(true);
      const recover = await server.call("POST", `/api/v1/secrets/${created.json.id}/recover`, { token: admin, body: {} });
      expect(recover.status).toBe(404);
      const kept = await server.call("POST", "/api/v1/secrets/kept/recover", { token: admin, body: {} });
      expect(kept.status).toBe(200);
      expect((await server.call("GET", "/api/v1/secrets/kept", { token: admin })).json.values).toEqual({ k: "kept-value-1" });
      expect(server.leakedIntoLogs()).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe("recovery, usages and their bad input over HTTP", () => {
  let server: TestServer;
  let admin: string;
  let bob: string;
  const call = (method: string, url: string, body?: unknown, token = admin) => server.call(method, url, { token, ...(body === undefined ? {} : { body }) });
  const deletedTotal = async (name: string) => (await call("GET", `/api/v1/secrets?deleted=true&name=${name}`)).json.total as number;

  beforeAll(async () => {
    server = await TestServer.start();
    admin = await server.login("admin", ADMIN_PASSWORD);
    bob = await server.createUser(admin, "bob");
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  it("recover under a taken name is 409 SECRET_EXISTS; with a new name it comes back under that name", async () => {
    const created = await call("POST", "/api/v1/secrets", { name: "taken", values: { k: "taken-value-1" } });
    await call("DELETE", "/api/v1/secrets/taken");
    await call("POST", "/api/v1/secrets", { name: "taken", values: { k: "taker-value-1" } }, bob);
    const refused = await call("POST", `/api/v1/secrets/${created.json.id}/recover`, {});
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("SECRET_EXISTS");
    expect(refused.json.error.message).toContain("another name");
    expect(await deletedTotal("taken")).toBe(1);
    const recovered = await call("POST", `/api/v1/secrets/${created.json.id}/recover`, { name: "taken-2" });
    expect(recovered.json).toMatchObject({ id: created.json.id, name: "taken-2" });
    expect((await call("GET", "/api/v1/secrets/taken-2")).json.values).toEqual({ k: "taken-value-1" });
    expect((await call("GET", "/api/v1/secrets/taken")).json.values).toEqual({ k: "taker-value-1" });
  });

  it("a deleted secret is listed with who made its last version (updated_by) and when it is purged (purge_after)", async () => {
    await call("POST", "/api/v1/secrets", { name: "changed-then-deleted", values: { k: "deleted-value-1" } });
    await call("PATCH", "/api/v1/secrets/changed-then-deleted", { values: { k: "deleted-value-2" } }, bob);
    await call("DELETE", "/api/v1/secrets/changed-then-deleted");
    const [item] = (await call("GET", "/api/v1/secrets?deleted=true&name=changed-then-deleted")).json.items;
    expect(Object.keys(item).sort()).toEqual(["created", "deleted", "id", "keys", "name", "purge_after", "scope", "updated", "updated_by", "user", "version", "workspace"]);
    expect(item).toMatchObject({ name: "changed-then-deleted", version: 2, updated_by: "bob" });
  });

  it("bad input is a clear 4xx and changes nothing", async () => {
    const created = await call("POST", "/api/v1/secrets", { name: "target", values: { k: "target-value-1" } });
    const id = created.json.id as string;

    const badDeleted = await call("GET", "/api/v1/secrets?deleted=yes");
    expect(badDeleted.status).toBe(400);
    expect(badDeleted.json.error.code).toBe("INVALID_FILTER");
    expect(badDeleted.json.error.message).toContain("deleted");

    const badPurge = await call("DELETE", "/api/v1/secrets/target?purge=1");
    expect(badPurge.status).toBe(400);
    expect(badPurge.json.error.code).toBe("VALIDATION_ERROR");
    expect((await call("GET", "/api/v1/secrets/target")).status).toBe(200);

    const live = await call("POST", `/api/v1/secrets/${id}/recover`, {});
    expect(live.status).toBe(404);
    expect(live.json.error.message).toContain("is not deleted");

    await call("DELETE", "/api/v1/secrets/target");
    for (const body of [{ name: "bad name" }, { name: "" }, { nom: "x" }]) {
      const refused = await call("POST", `/api/v1/secrets/${id}/recover`, body);
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe("VALIDATION_ERROR");
    }
    expect(await deletedTotal("target")).toBe(1);
    expect((await call("POST", "/api/v1/secrets/no-such-secret/recover", {})).status).toBe(404);
    // A POST without any body (curl -X POST) recovers too.
    expect((await server.call("POST", `/api/v1/secrets/${id}/recover`, { token: bob })).status).toBe(200);

    const badUpdateReferences = await call("PATCH", "/api/v1/secrets/target?update_references=maybe", { name: "renamed-target" });
    expect(badUpdateReferences.status).toBe(400);
    expect((await call("GET", "/api/v1/secrets/target")).json.name).toBe("target");
    expect((await call("GET", "/api/v1/secrets/no-such-secret/usages")).status).toBe(404);
  });

  it("usages list the component attributes referencing a secret; delete and rename warn; update_references rewrites", async () => {
    await call("POST", "/api/v1/secrets", { name: "db", values: { password: "db-value-1" } });
    await call("POST", "/api/v1/components", { name: "app", type: "t", flavor: "f", configuration: { url: "pg://u:{{ db.password }}@h", other: "x" } });
    await call("POST", "/api/v1/stacks", { name: "prod", components: ["app"] });

    const usages = await call("GET", "/api/v1/secrets/db/usages");
    expect(usages.status).toBe(200);
    expect(usages.json).toMatchObject({ name: "db", usages: [{ component: "app", attribute: "url", key: "password", reference: "{{ db.password }}", stacks: ["prod"] }] });

    const warned = await call("PATCH", "/api/v1/secrets/db", { name: "db2" });
    expect(warned.status).toBe(200);
    expect(warned.json.warnings).toEqual([expect.objectContaining({ code: "SECRET_REFERENCED", usages: [expect.objectContaining({ component: "app" })] })]);
    expect((await call("GET", "/api/v1/components/app")).json.configuration.url).toBe("pg://u:{{ db.password }}@h");

    await call("PATCH", "/api/v1/secrets/db2", { name: "db" });
    const rewritten = await call("PATCH", "/api/v1/secrets/db?update_references=true", { name: "db-main" });
    expect(rewritten.status).toBe(200);
    expect(rewritten.json.warnings).toBeUndefined();
    expect((await call("GET", "/api/v1/components/app")).json.configuration).toEqual({ url: "pg://u:{{ db-main.password }}@h", other: "x" });
    expect((await call("GET", "/api/v1/stacks/prod/validation")).json.valid).toBe(true);

    const deleted = await call("DELETE", "/api/v1/secrets/db-main");
    expect(deleted.json.warnings).toEqual([expect.objectContaining({ code: "SECRET_REFERENCED", message: expect.stringContaining("app.url") })]);
    expect((await call("GET", "/api/v1/stacks/prod/validation")).json.valid).toBe(false);
  });

  it("the OpenAPI document describes recover, usages and the new query parameters", async () => {
    const document = (await server.call("GET", "/openapi.json")).json;
    expect(document.paths["/api/v1/secrets/{nameOrId}/recover"].post.requestBody.required).toBe(false);
    expect(document.paths["/api/v1/secrets/{nameOrId}/usages"].get).toBeDefined();
    const names = (operation: { parameters: { name: string }[] }) => operation.parameters.map((p) => p.name);
    expect(names(document.paths["/api/v1/secrets"].get)).toContain("deleted");
    expect(names(document.paths["/api/v1/secrets/{nameOrId}"].delete)).toContain("purge");
    expect(names(document.paths["/api/v1/secrets/{nameOrId}"].patch)).toContain("update_references");
  });
});

describe("deleted secrets' values move with migrations and backups (vault emulator)", () => {
  let vault: CloudBackend;
  beforeAll(async () => {
    vault = await CLOUD_BACKENDS.find(([type]) => type === "vault")![1]();
  });
  afterAll(() => vault?.close());

  it("a secret deleted before a migration recovers afterwards with its values from the new store", async () => {
    const server = await TestServer.start();
    for (const credential of vault.credentials) server.sensitive.add(credential);
    try {
      const admin = await server.login("admin", ADMIN_PASSWORD);
      const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "moved", values: { k: "moved-value-1" } } });
      await server.call("DELETE", "/api/v1/secrets/moved", { token: admin });
      const started = await server.call("POST", "/api/v1/admin/migrations", { token: admin, body: { to: "vault", options: storeOptionsOf(vault.env) } });
      expect(started.status).toBe(202);
      await eventually(async () => (await server.call("GET", "/api/v1/admin/migrations", { token: admin })).json.migration?.active === false, 30_000);
      const done = (await server.call("GET", "/api/v1/admin/migrations", { token: admin })).json.migration;
      expect(done).toMatchObject({ status: "completed", failed: 0 });
      expect(server.running.services.store.type).toBe("vault");

      expect((await server.call("POST", `/api/v1/secrets/${created.json.id}/recover`, { token: admin, body: {} })).status).toBe(200);
      expect((await server.call("GET", "/api/v1/secrets/moved", { token: admin })).json.values).toEqual({ k: "moved-value-1" });
    } finally {
      expect(server.leakedIntoLogs()).toEqual([]);
      await server.stop();
    }
  });

  it("a backup copies deleted secrets' values too", async () => {
    const backupEnv = Object.fromEntries(Object.entries(storeOptionsOf(vault.env)).map(([name, value]) => [`ZS_BACKUP_SECRETS_STORE_${name.toUpperCase()}`, value]));
    const server = await TestServer.start({ env: { ZS_BACKUP_SECRETS_STORE_TYPE: "vault", ...backupEnv } });
    for (const credential of vault.credentials) server.sensitive.add(credential);
    try {
      const admin = await server.login("admin", ADMIN_PASSWORD);
      await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "live-one", values: { k: "live-value-1" } } });
      await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "deleted-one", values: { k: "deleted-value-1" } } });
      await server.call("DELETE", "/api/v1/secrets/deleted-one", { token: admin });
      const backedUp = await server.call("POST", "/api/v1/admin/backup", { token: admin, body: {} });
      expect(backedUp.json).toMatchObject({ copied: 2, verified: 2, failed: 0 });
    } finally {
      expect(server.leakedIntoLogs()).toEqual([]);
      await server.stop();
    }
  });
});

describe("ZS_RECOVERY_WINDOW_DAYS=0", () => {
  it("deletes at once, as before soft delete", async () => {
    const server = await TestServer.start({ env: { ZS_RECOVERY_WINDOW_DAYS: "0" } });
    try {
      const admin = await server.login("admin", ADMIN_PASSWORD);
      await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "instant", values: { k: "instant-value-1" } } });
      expect((await server.call("DELETE", "/api/v1/secrets/instant", { token: admin })).json).toMatchObject({ purged: true });
      expect((await server.call("GET", "/api/v1/secrets?deleted=true", { token: admin })).json.total).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
