import type { Knex } from "knex";
import { ZsError, isZsError, redactUrl, redactUrlIn } from "@zs/core";
import { prepareSqliteConnection, type SqliteConnection } from "./sqlite-connection-settings.js";

/** The two databases zs runs on. */
export type SqlDialect = "sqlite" | "postgres";

function toStderr(message: unknown): void {
  process.stderr.write(`knex: ${String(message)}\n`);
}

/**
 * knex prints its warnings with `console.log`, onto stdout, where they would mix with what a
 * command prints (`zs secret get -o json`, a deployment id read by another process); they go
 * to stderr instead.
 */
const knexLog: Knex.Logger = {
  warn: toStderr,
  error: toStderr,
  debug: toStderr,
  deprecate: (method, alternative) => toStderr(`${method} is deprecated, use ${alternative}`),
};

/** Turns a `ZS_DATABASE_URL` (`sqlite:PATH`, `sqlite::memory:`, `postgres://…`) into a knex configuration. */
export function knexConfigFor(databaseUrl: string): { dialect: SqlDialect; config: Knex.Config; filename?: string } {
  if (databaseUrl.startsWith("sqlite:")) {
    const filename = databaseUrl.slice("sqlite:".length);
    if (!filename) throw new ZsError("CONFIGURATION_ERROR", "ZS_DATABASE_URL 'sqlite:' needs a path, e.g. sqlite:/var/lib/zs/zs.db.");
    return {
      dialect: "sqlite",
      filename,
      config: {
        client: "sqlite3",
        connection: { filename },
        log: knexLog,
        useNullAsDefault: true,
        // One connection: SQLite serialises writers anyway, and a single connection keeps an
        // in-memory database alive and every transaction strictly ordered.
        pool: {
          min: 1,
          max: 1,
          idleTimeoutMillis: Number.MAX_SAFE_INTEGER,
          afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: unknown) => void) {
            prepareSqliteConnection(connection).then(
              () => done(null, connection),
              // knex drops a connection whose set-up failed without closing it.
              (error: Error) => connection.close(() => done(error, connection)),
            );
          },
        },
      },
    };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return { dialect: "postgres", config: { client: "pg", connection: databaseUrl, log: knexLog, pool: { min: 0, max: 10 } } };
  }
  throw new ZsError("CONFIGURATION_ERROR", "ZS_DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://…");
}

/**
 * A failure to open the PostgreSQL database at `databaseUrl` as the error callers get:
 * `BACKEND_UNAVAILABLE` naming the database without the URL's user-info, with the driver's
 * reason (also redacted: drivers may quote their connection string). The driver's error is
 * not attached, so nothing it holds can reach a log line.
 */
export function cannotConnect(databaseUrl: string, error: unknown): ZsError {
  if (isZsError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ZsError("BACKEND_UNAVAILABLE", `Cannot open the database at ${redactUrl(databaseUrl)}: ${redactUrlIn(reason, databaseUrl)}`);
}
