import { realpathSync } from "node:fs";
import { availableParallelism, constants as osConstants } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { AUDIT_ACTIONS, ZsError, isZsError } from "@zs/core";
import { createLogger } from "./logger.js";
import type { MigrateCommandOptions } from "./migrate-command.js";
import { openServices } from "./open-services.js";
import { readServerConfig } from "./server-config.js";
import { startServer } from "./server.js";

// libuv's pool runs password hashing and the database driver's queries: room for a hash per
// core and two threads more (security.md). Read when the pool first starts, which is later.
process.env.UV_THREADPOOL_SIZE ??= String(availableParallelism() + 2);

/** How long an exit waits for the log's last batch to be written. */
const EXIT_LOG_FLUSH_MS = 1000;
/** After the drain (ended or cut at ZS_SHUTDOWN_TIMEOUT), how long flushing audit events and closing pools may take. */
const CLOSE_AFTER_DRAIN_MS = 5000;

declare const ZS_VERSION: string | undefined;
const version = typeof ZS_VERSION === "string" ? ZS_VERSION : "0.0.0";

const SETTINGS_HELP = `
Settings (environment variables win over the --config file, whose keys drop the ZS_ prefix):
  ZS_DATA_DIR                 where the SQLite file and the generated key live (default: <XDG data dir>/zs/server)
  ZS_DATABASE_URL             sqlite:PATH, sqlite::memory: or postgres://… (default: sqlite:<data dir>/zs.db)
  ZS_ENCRYPTION_KEY           32 random bytes, base64, for the sql values store (default: generated into <data dir>/encryption.key)
  ZS_ENCRYPTION_KEYS          id1:key1,id2:key2 during a key rotation; the first encrypts
  ZS_SECRETS_STORE_TYPE       sql (default), aws, gcp, azure, vault, none, or a custom store's module
  ZS_SECRETS_STORE_<OPTION>   an option of the values store, e.g. ZS_SECRETS_STORE_REGION=eu-west-1
  ZS_BACKUP_SECRETS_STORE_TYPE      a second values store every value is copied to (any type above; default: none)
  ZS_BACKUP_SECRETS_STORE_<OPTION>  an option of the backup store
  ZS_BACKUP_REPAIR_INTERVAL   how often writes the backup missed are retried, e.g. 60s (default), 5m
  ZS_HISTORY_MAX_VERSIONS     earlier value versions kept per secret (default: 10; 0 keeps none; history entries are always kept)
  ZS_HOST, ZS_PORT            address to listen on (default: 127.0.0.1, 8237; port 0 picks a free one); a non-loopback
                              address without TLS is warned about at start
  ZS_TLS_CERT_FILE            PEM certificate chain (server certificate first): with ZS_TLS_KEY_FILE the server speaks
                              HTTPS itself; both files are re-read on SIGHUP (open connections kept; a bad file keeps the old)
  ZS_TLS_KEY_FILE             PEM private key of that certificate (unencrypted)
  ZS_SHUTDOWN_TIMEOUT         on SIGTERM/SIGINT, how long in-flight requests get to finish, e.g. 10s (default), 1m (1s to 1h);
                              past it they are cut and the exit code is 1; a second signal exits at once
  ZS_TRUST_PROXY              proxies whose X-Forwarded-For names the client (throttling, audit): false (default),
                              true (any), a number of hops, or addresses/CIDR subnets/loopback,linklocal,uniquelocal
  ZS_ADMIN_USERNAME           the admin created on first start (default: admin)
  ZS_ADMIN_PASSWORD           that admin's password (default: generated and printed once)
  ZS_SECRET_VALIDATION_LEVEL  NONE, SECRET_EXISTS or SECRET_AND_KEY_EXISTS (default)
  ZS_LOG_LEVEL                trace, debug, info (default), warn, error, fatal, silent; JSON on stderr
  ZS_RECOVERY_WINDOW_DAYS     days a deleted secret stays recoverable before it is purged (default: 7; 0 deletes at once)
  ZS_AUDIT                    required (default: a response waits for its audit event; 503 AUDIT_UNAVAILABLE
                              when the log cannot be written), best-effort (never waits; losses counted), off
  ZS_AUDIT_FLUSH_MS           audit events are written in batches this often (default: 5)
  ZS_AUDIT_FILE               also append every audit event as a JSON line to this file (fsynced per batch)
  ZS_AUDIT_RETENTION_DAYS     audit events older than this are pruned, hourly (default: 365; 0 keeps all)
  ZS_AUTH_CACHE_TTL           how long a verified token is trusted without asking the database, e.g. 30s (default), 5m,
                              at most 1h; 0 turns the cache off. Revocations reach every instance within a second anyway
  ZS_AUTH_CACHE_SIZE          most tokens each instance caches, least recently used dropped first (default: 10000)
  ZS_DASHBOARD                serve the web dashboard at / (default: true); false: its pages answer 404
  ZS_DASHBOARD_IDLE_MINUTES   a dashboard session with no activity for this long locks (default: 15)
  ZS_METRICS_TOKEN            serve GET /metrics (Prometheus text format) to 'Authorization: Bearer <token>' only
                              (16+ printable characters, e.g. openssl rand -hex 32)
  ZS_METRICS_PORT             serve GET /metrics on this port of ZS_HOST instead of the main port (0: any free one);
                              with ZS_METRICS_TOKEN too, the token is still required
                              (default: neither set, metrics off: nothing measured, /metrics answers 404)`;

function fail(error: unknown): never {
  process.stderr.write(`Error: ${isZsError(error) ? error.message : String(error)}\n`);
  process.exit(1);
}

/** The built dashboard ships beside this bundle, in `dist/dashboard` (apps/server/build.mjs copies it there). */
function bundledDashboardDir(): string {
  return path.join(path.dirname(realpathSync(process.argv[1]!)), "dashboard");
}

async function start(options: { config?: string }): Promise<void> {
  const config = await readServerConfig(options.config, process.env);
  const logger = createLogger(config.logLevel);
  const server = await startServer({ config, logger, version, dashboardDir: bundledDashboardDir() });
  /** Exits once the log's last batch is written: an exit during a batched write would lose it. */
  const exitAfterLog = (code: number) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_LOG_FLUSH_MS).unref();
    logger.flush(() => process.exit(code));
  };
  // The signal handlers go in before the "listening" line: whoever reads that line may signal at once, and
  // a signal without its handler would kill the process before its log is written.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting at once");
      process.exit(128 + (osConstants.signals[signal] ?? 0));
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    // Past the timeout the drain cuts what still runs; flushing and closing after that get a little longer, never forever.
    setTimeout(() => {
      logger.error("shutdown did not complete: exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs + CLOSE_AFTER_DRAIN_MS).unref();
    server.close().then(
      ({ finished }) => {
        if (finished) return exitAfterLog(0);
        logger.error({ timeoutMs: config.shutdownTimeoutMs }, "ZS_SHUTDOWN_TIMEOUT reached: requests still running were cut");
        exitAfterLog(1);
      },
      (error: unknown) => fail(error),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", () => {
    server.reloadTls().then(
      (reloaded) => {
        if (!reloaded) logger.info("SIGHUP: no TLS files to reload");
      },
      (error: unknown) => logger.error({ err: isZsError(error) ? error.message : String(error) }, "TLS files not reloaded: the previous certificate stays in use"),
    );
  });

  const backup = server.services.secrets.placement.backup;
  const stores = `values store: ${server.services.secrets.valuesStoreType}${backup ? `, backup store: ${backup.type}` : ""}`;
  const lines = [`zs-server ${version} listening on ${server.url} (${stores})`];
  if (server.dashboardUrl) lines.push(`Dashboard: ${server.dashboardUrl}`);
  if (server.metricsUrl) lines.push(`Metrics: ${server.metricsUrl}${config.metrics.token === undefined ? "" : " (bearer token: ZS_METRICS_TOKEN)"}`);
  if (server.bootstrap?.generatedPassword) {
    lines.push(
      `Created the admin '${server.bootstrap.adminName}' with the generated password: ${server.bootstrap.generatedPassword}`,
      "It is shown only this once; keep it somewhere safe.",
    );
  } else if (server.bootstrap) {
    lines.push(`Created the admin '${server.bootstrap.adminName}' with the password from ZS_ADMIN_PASSWORD.`);
  }
  lines.push(`Log in: zs connect ${server.url} --username ${server.bootstrap?.adminName ?? config.adminUsername}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function rotateKey(options: { config?: string; settle: string }): Promise<void> {
  const settleMs = Number(options.settle);
  if (!Number.isInteger(settleMs) || settleMs < 0) throw new ZsError("VALIDATION_ERROR", "--settle must be a whole number of milliseconds.");
  const config = await readServerConfig(options.config, process.env);
  const { openConfiguredStore } = await import("@zs/builtin-stores");
  const { rotateConfiguredKey } = await import("@zs/store-sql");
  // Opening the store checks the configured key against the database before anything changes.
  const { database, service } = await openConfiguredStore(config, createLogger(config.logLevel));
  try {
    const { auditedCommand } = await import("./audit/command-audit.js");
    const rotate = () =>
      rotateConfiguredKey(database, config, {
        settleMs,
        onProgress: (progress) => process.stderr.write(`Re-encrypted ${progress.done}/${progress.total}\n`),
      });
    const result = await auditedCommand(config, database, AUDIT_ACTIONS.rotateKey, { type: "store", id: null, name: null, workspace: null }, rotate, (done) => ({
      key_id: done.keyId,
      secrets: done.done,
    }));
    process.stdout.write(`Re-encrypted ${describeRotated(result)} under key '${result.keyId}'; the old key is no longer needed.\n`);
  } finally {
    await service.close();
  }
}

async function resetAdmin(options: { config?: string; username?: string }): Promise<void> {
  const config = await readServerConfig(options.config, process.env);
  const name = options.username ?? config.adminUsername;
  const services = await openServices(config, createLogger(config.logLevel), { version, sweep: false, authCache: false });
  try {
    const outcome = await services.auth.resetAdmin(name, config.adminPassword);
    const lines = [
      `${outcome.created ? "Created" : "Reset"} the admin '${name}': its sessions are revoked and every login delay is lifted.`,
      outcome.generatedPassword
        ? `Its new generated password: ${outcome.generatedPassword}\nIt is shown only this once; keep it somewhere safe.`
        : "Its new password is the one in ZS_ADMIN_PASSWORD.",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await services.close();
  }
}

const program = new Command("zs-server")
  .description("The zs server: users, API keys, workspaces and secrets over a REST API (http-api.md).")
  .version(version)
  .option("-c, --config <file>", "a YAML file of settings (see below)")
  .addHelpText("after", SETTINGS_HELP)
  .action((options: { config?: string }) => start(options));

program
  .command("rotate-key")
  .description(
    "re-encrypt every value of the sql store under a new key, in batches, while servers keep running; resumable. " +
      "With the generated key file the new key is written into it (running servers follow it); with ZS_ENCRYPTION_KEYS, " +
      "values move to the first key listed.",
  )
  .option("-c, --config <file>", "a YAML file of settings")
  .option("--settle <ms>", "how long running servers get to notice the rewritten key file (at least 2000: they look every second)", "2000")
  .action((options: { config?: string; settle: string }) => rotateKey(options));

program
  .command("reset-admin")
  .description(
    "recover a server whose admins are all locked out: run on the server's host, with its settings. Makes the user an admin " +
      "(creating it if absent) with the password from ZS_ADMIN_PASSWORD, else a generated one printed once; revokes its sessions " +
      "and lifts every login delay. Servers may keep running.",
  )
  .option("-c, --config <file>", "a YAML file of settings")
  .option("--username <name>", "the admin to reset (default: ZS_ADMIN_USERNAME, else admin)")
  .action((options: { config?: string; username?: string }) => resetAdmin(options));

program
  .command("migrate")
  .description(
    "move every secret's values to another values store: copy, read back and compare, record progress in the database, then " +
      "switch the store the database says holds the values. Resumable (--resume) or abandoned (--abort: the old store keeps " +
      "everything). Servers running elsewhere keep serving reads; after the switch they refuse writes until restarted with the " +
      "new ZS_SECRETS_STORE_* settings — POST /api/v1/admin/migrations migrates inside a running server instead.",
  )
  .option("-c, --config <file>", "a YAML file of settings")
  .option("--to <type>", "the store to move the values to: sql, aws, gcp, azure, vault or a custom store's module")
  .option("--to-option <name=value>", "an option of that store (repeatable), e.g. --to-option region=eu-west-1", (value: string, all: string[]) => [...all, value], [])
  .option("--resume", "go on with the migration in progress")
  .option("--abort", "abandon the migration in progress")
  .option("--delete-source", "after the switch, delete every secret's values from the old store")
  .option("--rewrite", "rewrite every object of the current store in the current format (--to its own type)")
  .option("--concurrency <n>", "secrets copied at once", "8")
  .action(async (options: MigrateCommandOptions & { config?: string }) => {
    const config = await readServerConfig(options.config, process.env);
    const { migrateCommand } = await import("./migrate-command.js");
    await migrateCommand(config, createLogger(config.logLevel), options);
  });

await program.parseAsync(process.argv).catch(fail);

/** `3 secrets`, or `3 secrets and 12 earlier versions` when history's kept versions were re-encrypted too. */
function describeRotated({ done, versions }: { done: number; versions: number }): string {
  const secrets = done - versions;
  const counted = `${secrets} secret${secrets === 1 ? "" : "s"}`;
  return versions === 0 ? counted : `${counted} and ${versions} earlier version${versions === 1 ? "" : "s"}`;
}
