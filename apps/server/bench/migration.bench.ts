/**
 * `pnpm bench` (server): migration throughput (secrets/s) of SECRETS secrets out of the sql
 * store on SQLite, as `zs-server migrate` runs it (`ValuesMigrationService` over the configured
 * store), into
 * - another local store: the custom store example (one JSON file per secret) in another
 *   directory — the sql store has no options, so "sql on another file" is this;
 * - AWS Secrets Manager: the real SDK against the emulator, which runs in a process of its own.
 * Each next to its baseline measured in the same run: the same number of secrets written and
 * read back straight through the store with the same concurrency and the same create-first hint
 * — the copy without zs's reading of the source, digests and progress records. Target: ≥ TARGET_AWS secrets/s to the
 * emulator (issue 13).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { openConfiguredStore, type ConfiguredStore } from "@zs/builtin-stores";
import { DEFAULT_WORKSPACE, readConfig, silentLogger, type Caller, type SecretValuesStore, type StoreSetting } from "@zs/core";

const SECRETS = 2_000;
const CONCURRENCY = 8;
const TARGET_AWS = 200;

const SERVER_DIR = fileURLToPath(new URL("..", import.meta.url));
const FILE_STORE = path.resolve(SERVER_DIR, "..", "..", "examples", "custom-store", "dist", "index.js");

/** The AWS emulator in a child process, so that it does not share the migration's event loop. */
async function startAwsEmulatorProcess(): Promise<{ endpoint: string; stop(): void }> {
  const script = `import { startAwsSecretsManagerEmulator } from "@zs/emulators";
const emulator = await startAwsSecretsManagerEmulator();
process.stdout.write(emulator.endpoint + "\\n");`;
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", script], { cwd: SERVER_DIR, stdio: ["ignore", "pipe", "inherit"] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString("utf8").trim()));
    child.once("exit", (code) => reject(new Error(`the AWS emulator exited (${code})`)));
  });
  return { endpoint, stop: () => child.kill() };
}

async function seed(store: ConfiguredStore, operator: Caller): Promise<void> {
  for (let i = 0; i < SECRETS; i++) {
    await store.service.createSecret(operator, { name: `bench-${i}`, values: { user: `user-${i}`, password: randomBytes(16).toString("hex") } });
  }
}

/** Seconds to move every secret to `target`, then back to sql (not timed). */
async function migrate(store: ConfiguredStore, operator: Caller, target: StoreSetting): Promise<number> {
  const opened = await store.openMigrationTarget(target, "--to-option ");
  const started = performance.now();
  const outcome = await store.migrations.migrate(operator, { targetSetting: opened.setting, target: opened.store, concurrency: CONCURRENCY });
  const seconds = (performance.now() - started) / 1000;
  if (outcome.status !== "completed" || outcome.verified !== SECRETS) throw new Error(`the migration to ${target.type} did not complete: ${JSON.stringify(outcome)}`);
  const back = await store.openMigrationTarget({ type: "sql", options: {} }, "--to-option ");
  await store.migrations.migrate(operator, { targetSetting: back.setting, target: back.store, concurrency: CONCURRENCY, deleteSource: true });
  return seconds;
}

/** Seconds to write SECRETS values straight into `store` and read each back, CONCURRENCY at a time. */
async function bareCopy(store: SecretValuesStore): Promise<number> {
  const ids = Array.from({ length: SECRETS }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        await store.putValues(id, { user: "bench", password: randomBytes(16).toString("hex") }, { isNew: true });
        if (!(await store.getValues(id))) throw new Error("the bare copy read nothing back");
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const id of ids) await store.deleteValues(id);
  return seconds;
}

const rate = (seconds: number) => Math.round(SECRETS / seconds);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-migration-bench-"));
  const aws = await startAwsEmulatorProcess();
  const store = await openConfiguredStore(readConfig({ env: { ZS_DATA_DIR: dataDir } }), silentLogger);
  try {
    const user = await store.service.ensureUser("bench", { isAdmin: true });
    const operator: Caller = { userId: user.id, userName: user.name, isAdmin: true, workspace: DEFAULT_WORKSPACE };
    await seed(store, operator);
    const targets: [string, StoreSetting][] = [
      ["file store, another directory", { type: FILE_STORE, options: { directory: path.join(dataDir, "files") } }],
      [
        "aws emulator",
        // The emulator has no quota: the real service's default of 40 writes a second is lifted.
        {
          type: "aws",
          options: { region: "eu-west-1", endpoint: aws.endpoint, access_key_id: "AKIAZSMIGRATIONBENCH", secret_access_key: "zs-migration-bench-secret", max_writes_per_second: "100000" },
        },
      ],
    ];
    console.log(`migration of ${SECRETS} secrets from sql (SQLite), concurrency ${CONCURRENCY}`);
    for (const [label, target] of targets) {
      const seconds = await migrate(store, operator, target);
      const bare = await store.openMigrationTarget(target, "--to-option ");
      const bareSeconds = await bareCopy(bare.store);
      await bare.store.close?.();
      const verdict = target.type === "aws" ? (rate(seconds) >= TARGET_AWS ? ` — target ≥ ${TARGET_AWS}/s met` : ` — target ≥ ${TARGET_AWS}/s MISSED`) : "";
      console.log(
        `  sql → ${label}: ${rate(seconds)} secrets/s (${seconds.toFixed(2)} s); bare put + get: ${rate(bareSeconds)}/s; ratio ${(bareSeconds / seconds).toFixed(2)}${verdict}`,
      );
    }
  } finally {
    await store.service.close();
    aws.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
