import type { Logger } from "pino";
import { runRepeatedly, type RepeatingTask } from "../repeating-task.js";
import type { AuthCache } from "./auth-cache.js";

/** The SQLite revocation epoch is read this often (operations.md: at most once a second). */
export const EPOCH_CHECK_MS = 1_000;

/** Reads the revocation epoch (store-sql's `KnexAuthRevocationRepository`). */
export interface RevocationEpochSource {
  readEpoch(): Promise<number>;
}

/**
 * SQLite: another process on the same file (`zs-server reset-admin`) revokes access without
 * telling this one; the database's triggers move the revocation epoch instead, read here once
 * a second. A changed epoch empties the cache. The cache is bypassed until the first read
 * succeeds, and again while reads fail, so a revocation is never missed for longer than a
 * check's interval.
 */
export async function watchRevocationEpoch(source: RevocationEpochSource, cache: AuthCache, logger: Logger): Promise<RepeatingTask> {
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
  // The first read before the server answers anyone: the cache starts trusted or bypassed.
  await check();
  return runRepeatedly(check, EPOCH_CHECK_MS);
}
