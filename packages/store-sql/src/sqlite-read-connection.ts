import type { Database, Statement } from "sqlite3";

/**
 * A second connection to a SQLite file, for reads only, with its statements prepared once.
 * In WAL mode a reader neither waits for the writer nor blocks it, so lookups go on while
 * the pool's single connection is inside a write transaction; each statement runs to its
 * end, so it never holds a read snapshot between calls.
 */
export class SqliteReadConnection {
  private readonly statements = new Map<string, Promise<Statement>>();

  private constructor(private readonly db: Database) {}

  /** Opens `filename`, which must exist already (the pool's connection created it). */
  static async open(filename: string): Promise<SqliteReadConnection> {
    const { default: sqlite3 } = await import("sqlite3");
    const db = await new Promise<Database>((resolve, reject) => {
      const opened: Database = new sqlite3.Database(filename, sqlite3.OPEN_READWRITE, (error) => (error ? reject(error) : resolve(opened)));
    });
    const connection = new SqliteReadConnection(db);
    try {
      // The pool connection's settings that matter to reads (database-url.ts); query_only so this one never writes.
      await connection.exec("PRAGMA busy_timeout = 10000; PRAGMA query_only = ON; PRAGMA case_sensitive_like = ON; PRAGMA cache_size = -32768;");
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  }

  /** The rows of `sql`, prepared on first use. */
  async all(sql: string, bindings: unknown[]): Promise<unknown[]> {
    const statement = await this.prepare(sql);
    return new Promise((resolve, reject) => {
      statement.all(bindings, (error: Error | null, rows: unknown[]) => (error ? reject(error) : resolve(rows)));
    });
  }

  async close(): Promise<void> {
    const statements = await Promise.allSettled(this.statements.values());
    this.statements.clear();
    await Promise.all(
      statements.map((outcome) => outcome.status === "fulfilled" && new Promise<void>((resolve) => outcome.value.finalize(() => resolve()))),
    );
    await new Promise<void>((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }

  /** `sql` prepared once; one that fails to prepare is not kept, so the next call tries again. */
  private prepare(sql: string): Promise<Statement> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = new Promise<Statement>((resolve, reject) => {
        const prepared: Statement = this.db.prepare(sql, (error) => (error ? reject(error) : resolve(prepared)));
      });
      const pending = statement;
      this.statements.set(sql, pending);
      pending.catch(() => {
        if (this.statements.get(sql) === pending) this.statements.delete(sql);
      });
    }
    return statement;
  }

  private exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (error) => (error ? reject(error) : resolve())));
  }
}
