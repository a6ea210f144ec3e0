/** What `prepareSqliteConnection` needs of a node-sqlite3 connection. */
export interface SqliteConnection {
  exec(sql: string, done: (error: Error | null) => void): void;
  close(done: (error: Error | null) => void): void;
}

/** How long a statement waits for another connection's lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

function exec(connection: SqliteConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => connection.exec(sql, (error) => (error ? reject(error) : resolve())));
}

function isBusy(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === "SQLITE_BUSY";
}

/**
 * The settings of every pool connection to a SQLite database: the busy timeout first; WAL for
 * concurrent readers; FULL sync so an acknowledged write survives a crash; case-sensitive LIKE
 * as model.md requires on every database; a 32 MiB page cache so filtered counts over large
 * tables stay in memory.
 *
 * Switching a new database to WAL writes its header in a rollback-mode transaction that
 * upgrades a read lock to a write lock, and SQLite answers SQLITE_BUSY at once, without
 * calling the busy handler, when another connection holds the write lock meanwhile (e.g.
 * another process switching the same new file). So the switch is retried here, within the
 * busy timeout; otherwise processes opening one new database together fail at random.
 */
export async function prepareSqliteConnection(connection: SqliteConnection, busyTimeoutMs = SQLITE_BUSY_TIMEOUT_MS): Promise<void> {
  await exec(connection, `PRAGMA busy_timeout = ${busyTimeoutMs}`);
  const deadline = Date.now() + busyTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await exec(connection, "PRAGMA journal_mode = WAL");
      break;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, 2 * attempt) * (0.5 + Math.random())));
    }
  }
  await exec(connection, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON; PRAGMA cache_size = -32768;");
}
