import type { Logger } from "pino";
import type { AuthCache } from "./auth-cache.js";

/** The SQLite revocation epoch is read this often (operations.md: at most once a second). */
export const EPOCH_CHECK_MS = 1_000;

/** Reads the revocation epoch (store-sql's `KnexAuthRevocationRepository`). */
export interface RevocationEpochSource {
  readEpoch(): Promise<number>;
}

/** A running watch; `stop` waits for a check in progress. */
export interface RevocationEpochWatch {
  stop(): Promise<void>;
}

/**
 * SQLite: another process on the same file (`zs-server reset-admin`) revokes access without
 * telling this one; the database's triggers move the revocation epoch instead, read here once
 * a second. A changed epoch empties the cache. The cache is bypassed until the first read
 * succeeds, and again while reads fail, so a revocation is never missed for longer than a
 * check's interval.
 */
export async function watchRevocationEpoch(source: RevocationEpochSource, cache: AuthCache, logger: Logger): Promise<RevocationEpochWatch> {
  cache.suspend();
  let known: number | undefined;
  let failing = false;
  const check = async () => {
    try {
      const epoch = await source.readEpoch();
      if (known === undefined || failing) cache.resume();
      else if (epoch !== known) cache.clear();
      known = epoch;
      failing = false;
    } catch (error) {
      if (!failing) logger.warn({ error: error instanceof Error ? error.message : String(error) }, "cannot read the revocation epoch; authentications are not cached until it can");
      failing = true;
      cache.suspend();
    }
  };
  let running: Promise<void> = check();
  await running;
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? undefined : check()));
  }, EPOCH_CHECK_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
