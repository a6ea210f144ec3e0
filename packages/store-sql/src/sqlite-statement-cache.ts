import type { Database, Statement } from "sqlite3";

/**
 * Statements prepared once on the pool's SQLite connection, for writes run many times with
 * fresh bindings (`SqlDatabase.write`): preparing a statement again on every run costs about
 * as much CPU as running it. Bounded: past `capacity` distinct texts, a statement is prepared
 * for one run and finalized. `finalizeAll` must run before the connection closes (SQLite
 * refuses to close a connection with live statements).
 */
export class SqliteStatementCache {
  private readonly statements = new Map<string, Promise<Statement>>();
  private connection: Database | undefined;

  constructor(private readonly capacity: number) {}

  /** Runs `sql` with `bindings` on `connection`. */
  async run(connection: Database, sql: string, bindings: unknown[]): Promise<void> {
    if (this.connection !== connection) {
      // The pool replaced its connection: the statements of the old one went with it.
      await this.finalizeAll();
      this.connection = connection;
    }
    let statement = this.statements.get(sql);
    const cached = statement !== undefined || this.statements.size < this.capacity;
    if (!statement) {
      statement = prepare(connection, sql);
      if (cached) {
        const pending = statement;
        this.statements.set(sql, pending);
        // One that fails to prepare is not kept: the next run tries again.
        pending.catch(() => this.statements.get(sql) === pending && this.statements.delete(sql));
      }
    }
    const prepared = await statement;
    try {
      await new Promise<void>((resolve, reject) => prepared.run(bindings, (error: Error | null) => (error ? reject(error) : resolve())));
    } finally {
      if (!cached) await finalize(prepared);
    }
  }

  async finalizeAll(): Promise<void> {
    const statements = await Promise.allSettled(this.statements.values());
    this.statements.clear();
    this.connection = undefined;
    await Promise.all(statements.map((outcome) => outcome.status === "fulfilled" && finalize(outcome.value)));
  }
}

function prepare(connection: Database, sql: string): Promise<Statement> {
  return new Promise<Statement>((resolve, reject) => {
    const statement: Statement = connection.prepare(sql, (error) => (error ? reject(error) : resolve(statement)));
  });
}

function finalize(statement: Statement): Promise<void> {
  return new Promise<void>((resolve) => statement.finalize(() => resolve()));
}
