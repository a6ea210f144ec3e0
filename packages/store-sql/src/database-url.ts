import type { Knex } from "knex";
import { ZsError, isZsError, redactUrl, redactUrlIn } from "@zs/core";

/** The two databases zs runs on. */
export type SqlDialect = "sqlite" | "postgres";

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
        useNullAsDefault: true,
        // One connection: SQLite serialises writers anyway, and a single connection keeps an
        // in-memory database alive and every transaction strictly ordered.
        pool: {
          min: 1,
          max: 1,
          idleTimeoutMillis: Number.MAX_SAFE_INTEGER,
          afterCreate(connection: { exec(sql: string, done: (error: Error | null) => void): void }, done: (error: Error | null, connection: unknown) => void) {
            connection.exec(
              // The busy timeout first, so that even switching to WAL waits for another process; WAL for
              // concurrent readers; FULL sync so an acknowledged write survives a crash;
              // case-sensitive LIKE as model.md requires on every database; a 32 MiB page cache
              // so filtered counts over large tables stay in memory.
              "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; " +
                "PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON; PRAGMA cache_size = -32768;",
              (error) => done(error, connection),
            );
          },
        },
      },
    };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return { dialect: "postgres", config: { client: "pg", connection: databaseUrl, pool: { min: 0, max: 10 } } };
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
