/**
 * `pnpm bench` (store-sql): SecretsService on SQLite and PostgreSQL.
 * - list with `name=contains:…`, size 50, over 100,000 secrets: p50 / p95 (target p50 < 25 ms),
 *   next to a bare `select … limit 50` on the same table as the baseline;
 * - create and get throughput, next to a bare primary-key select.
 * PostgreSQL runs when ZS_TEST_POSTGRES_URL (or the local default) answers.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import knexFactory from "knex";
import { KeyRing, SecretsService, generateEncryptionKey, parseEncryptionKeys, type Caller } from "@zs/core";
import { KnexMetadataRepository, SqlDatabase, SqlValuesStore } from "@zs/store-sql";

const SECRETS = 100_000;
const LIST_RUNS = 200;
const CREATES = 1_000;
const GETS = 2_000;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(runs: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const perSecond = (runs: number, samples: number[]) => Math.round((runs * 1000) / samples.reduce((a, b) => a + b, 0));

async function seed(database: SqlDatabase, ownerId: string, count: number): Promise<void> {
  const workspace = await database.knex("workspaces").where({ name: "default" }).first("id");
  const start = Date.now() - count;
  for (let offset = 0; offset < count; offset += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - offset) }, (_, j) => {
      const i = offset + j;
      return {
        id: randomUUID(),
        workspace_id: workspace.id,
        owner_id: ownerId,
        name: `svc${i % 997}-${["db", "api", "cache", "queue"][i % 4]}-${i}`,
        scope: i % 10 === 0 ? "user" : "workspace",
        keys: JSON.stringify(["password", "user"]),
        version: 1,
        created: start + i,
        updated: start + i,
      };
    });
    await database.knex.batchInsert("secrets", rows, 250);
  }
}

async function benchDatabase(label: string, databaseUrl: string): Promise<void> {
  const problems: string[] = [];
  const keyRing = new KeyRing(parseEncryptionKeys({ key: generateEncryptionKey() }, problems));
  const database = await SqlDatabase.open(databaseUrl);
  const service = new SecretsService(new KnexMetadataRepository(database), await SqlValuesStore.open(database, keyRing));
  const user = await service.ensureUser("bench", { isAdmin: true });
  const caller: Caller = { userId: user.id, userName: user.name, isAdmin: true, workspace: "default" };

  const creates = await time(CREATES, (i) =>
    service.createSecret(caller, { name: `bench-${i}`, values: { password: randomBytes(16).toString("hex"), user: "app" } }),
  );
  const gets = await time(GETS, (i) => service.getSecret(caller, `bench-${i % CREATES}`));
  const rawGets = await time(GETS, (i) =>
    database.knex("secrets").where({ name: `bench-${i % CREATES}`, scope: "workspace" }).first("id", "keys"),
  );

  await seed(database, user.id, SECRETS - CREATES);
  if (database.dialect === "postgres") await database.knex.raw("analyze");
  const needles = ["-db-1", "svc42-", "cache-99", "-queue-5", "svc7"];
  const lists = await time(LIST_RUNS, (i) => service.listSecrets(caller, { name: `contains:${needles[i % needles.length]}`, size: 50 }));
  const workspaceId = (await database.knex("workspaces").where({ name: "default" }).first("id")).id;
  // Baseline: the cheapest page of 50 the table can give (an index walk, no filter, no join).
  const rawLists = await time(LIST_RUNS, () =>
    database.knex("secrets").where({ workspace_id: workspaceId }).orderBy(["created", "id"]).limit(50).select("*"),
  );
  const sample = await service.listSecrets(caller, { name: `contains:${needles[0]}`, size: 50 });

  const p50 = percentile(lists, 50);
  console.log(`\n${label}: ${SECRETS.toLocaleString("en")} secrets`);
  console.log(`  list name=contains:…, size=50 (${sample.total} matches for '${needles[0]}'):`);
  console.log(`    p50 ${ms(p50)}  p95 ${ms(percentile(lists, 95))}  target p50 < 25 ms: ${p50 < 25 ? "met" : "MISSED"}`);
  console.log(`    baseline bare select limit 50: p50 ${ms(percentile(rawLists, 50))}  ratio ${(p50 / percentile(rawLists, 50)).toFixed(1)}x`);
  console.log(`  create: ${perSecond(CREATES, creates)}/s (p50 ${ms(percentile(creates, 50))})`);
  console.log(
    `  get:    ${perSecond(GETS, gets)}/s (p50 ${ms(percentile(gets, 50))}); baseline bare select by name ${perSecond(GETS, rawGets)}/s, ratio ${(percentile(gets, 50) / percentile(rawGets, 50)).toFixed(1)}x`,
  );
  await service.close();
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-bench-"));
  try {
    await benchDatabase("SQLite", `sqlite:${path.join(dir, "zs.db")}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const adminUrl = process.env.ZS_TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/test";
  const admin = knexFactory({ client: "pg", connection: adminUrl, pool: { min: 0, max: 1 } });
  const name = `zs_bench_${randomBytes(4).toString("hex")}`;
  try {
    await admin.raw(`create database ${name}`);
  } catch (error) {
    console.log(`\nPostgreSQL: skipped (${(error as Error).message})`);
    await admin.destroy();
    return;
  }
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await benchDatabase("PostgreSQL", url.toString());
  } finally {
    await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
