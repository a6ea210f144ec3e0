import type { LoginCounterDecision, LoginCounterRepository, LoginCounterState } from "@zs/core";
import type { SqlDatabase } from "./sql-database.js";

interface LoginCounterRecord {
  key: string;
  failures: number | string;
  last_failure: number | string;
  blocked_until: number | string;
}

const ZERO: LoginCounterState = { failures: 0, lastFailure: 0, blockedUntil: 0 };

/** The knex `LoginCounterRepository`: the `login_counters` table. */
export class KnexLoginCounterRepository implements LoginCounterRepository {
  constructor(private readonly database: SqlDatabase) {}

  updateLoginCounters<T>(keys: readonly string[], decide: (states: ReadonlyMap<string, LoginCounterState>) => LoginCounterDecision<T>): Promise<T> {
    // Sorted, so two transactions locking the same counters take them in the same order.
    const sorted = [...new Set(keys)].sort();
    return this.database.transaction(async (trx) => {
      // Rows must exist to be locked: a counter seen for the first time by two instances at
      // once is created once, and the second waits for the first's transaction. On SQLite the
      // insert takes the database's write lock, which serialises the rest the same way.
      await trx("login_counters")
        .insert(sorted.map((key) => ({ key, ...toRecord(ZERO) })))
        .onConflict("key")
        .ignore();
      const select = trx("login_counters").whereIn("key", sorted).select("key", "failures", "last_failure", "blocked_until");
      const records = (await (this.database.dialect === "postgres" ? select.forUpdate() : select)) as LoginCounterRecord[];
      const states = new Map(sorted.map((key) => [key, ZERO]));
      for (const record of records) states.set(record.key, fromRecord(record));
      const { result, updates } = decide(states);
      for (const key of sorted) {
        const update = updates.get(key);
        if (update === null || (update === undefined && isZero(states.get(key)!))) await trx("login_counters").where({ key }).delete();
        else if (update !== undefined) await trx("login_counters").where({ key }).update(toRecord(update));
      }
      return result;
    });
  }

  async deleteStaleLoginCounters(before: number): Promise<number> {
    return this.database.executor("login_counters").where("last_failure", "<", before).andWhere("blocked_until", "<", before).delete();
  }

  async deleteAllLoginCounters(): Promise<number> {
    return this.database.executor("login_counters").delete();
  }
}

function isZero(state: LoginCounterState): boolean {
  return state.failures === 0 && state.lastFailure === 0 && state.blockedUntil === 0;
}

function fromRecord(record: LoginCounterRecord): LoginCounterState {
  return { failures: Number(record.failures), lastFailure: Number(record.last_failure), blockedUntil: Number(record.blocked_until) };
}

function toRecord(state: LoginCounterState) {
  return { failures: state.failures, last_failure: state.lastFailure, blocked_until: state.blockedUntil };
}
