import { createHash } from "node:crypto";
import type { Knex } from "knex";

const PARAMETER_MARK = "\u0000zs-parameter:";

/** Stands for the parameter `name` where a prepared read's builder needs a value. */
export type ParameterOf<P> = (name: keyof P & string) => string;

/**
 * A read query compiled once from a knex builder and run many times with fresh parameters.
 * Knex builds each query anew (and the pool hands out a connection) on every call: a few
 * hundred µs of CPU, several times what SQLite needs to answer a lookup by key. The
 * request path's lookups (token, secret, values) are prepared once instead; see
 * `SqlDatabase.read`.
 */
export interface PreparedRead<P, R> {
  /** Only carries the row type `R` a run answers with. */
  readonly rowType?: R;
  /** The SQL in knex's own placeholder syntax, for `knex.raw` inside a transaction. */
  readonly knexSql: string;
  /** The SQL in the driver's syntax (`?` or `$1`), for a prepared statement. */
  readonly nativeSql: string;
  /** A name for the statement that stays the same for the same SQL (PostgreSQL's named statements). */
  readonly statementName: string;
  /** The bindings of one run, in placeholder order. */
  bindings(parameters: P): Knex.RawBinding[];
}

/**
 * Compiles the builder `build` returns; each `parameter(name)` it used becomes a placeholder
 * bound to `parameters[name]` on every run.
 */
export function prepareRead<P extends Record<string, unknown>, R>(build: (parameter: ParameterOf<P>) => Knex.QueryBuilder): PreparedRead<P, R> {
  const compiled = build((name) => PARAMETER_MARK + name).toSQL();
  const { sql: nativeSql, bindings } = compiled.toNative();
  // Both texts have their placeholders in the same order: one list of slots serves either.
  const slots = bindings.map((binding): { parameter: keyof P } | { constant: Knex.RawBinding } =>
    typeof binding === "string" && binding.startsWith(PARAMETER_MARK) ? { parameter: binding.slice(PARAMETER_MARK.length) } : { constant: binding },
  );
  return {
    knexSql: compiled.sql,
    nativeSql,
    statementName: `zs_${createHash("sha256").update(nativeSql).digest("hex").slice(0, 16)}`,
    bindings: (parameters) => slots.map((slot) => ("parameter" in slot ? parameters[slot.parameter] : slot.constant) as Knex.RawBinding),
  };
}
