/** One failed-login counter (e.g. of a user name from an address) as stored. */
export interface LoginCounterState {
  /** Failed attempts counted so far. */
  failures: number;
  /** Epoch milliseconds of the last counted failure; 0 when none. */
  lastFailure: number;
  /** Epoch milliseconds until which attempts are refused; 0 when not blocked. */
  blockedUntil: number;
}

/** What a decision over counters returns: its result, and each counter's new state (`null` deletes it). */
export interface LoginCounterDecision<T> {
  result: T;
  updates: ReadonlyMap<string, LoginCounterState | null>;
}

/**
 * Failed-login counters in the database, so that every server instance on it counts
 * together (`@zs/store-sql`). The server owns what the counts mean; the repository makes
 * reading and updating them atomic.
 */
export interface LoginCounterRepository {
  /**
   * Reads the counters `keys` (a missing one reads as all zeros), locked against every
   * concurrent update of them, runs `decide` on them, stores its updates, and returns its
   * result — all in one transaction, so concurrent callers see each other's counts.
   */
  updateLoginCounters<T>(keys: readonly string[], decide: (states: ReadonlyMap<string, LoginCounterState>) => LoginCounterDecision<T>): Promise<T>;
  /** Deletes counters whose last failure and block both ended before `before`; how many. */
  deleteStaleLoginCounters(before: number): Promise<number>;
  /** Deletes every counter (an administrator's recovery); how many. */
  deleteAllLoginCounters(): Promise<number>;
}
