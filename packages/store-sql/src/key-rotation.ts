import { ZsError, createKeySentinel, type KeyRing } from "@zs/core";
import type { SqlDatabase } from "./sql-database.js";
import { KEY_SENTINEL } from "./sql-values-store.js";

/** Progress of a rotation, reported after every batch. */
export interface RotationProgress {
  /** Rows re-encrypted so far in this run. */
  done: number;
  /** Rows that were not under the primary key when this run started. */
  total: number;
}

/** Options of `rotateEncryptionKey`. */
export interface RotationOptions {
  /** Rows per transaction. @default 200 */
  batchSize?: number;
  onProgress?: (progress: RotationProgress) => void;
}

/**
 * Re-encrypts every stored value under the key ring's primary key, in batches, online: each
 * row is rewritten only if unchanged since it was read. Interrupted, it resumes where it
 * stopped (rows already under the primary key are skipped). Afterwards the old keys can be removed.
 */
export async function rotateEncryptionKey(database: SqlDatabase, keyRing: KeyRing, options: RotationOptions = {}): Promise<RotationProgress> {
  const batchSize = options.batchSize ?? 200;
  const prefix = `v1.${keyRing.primaryKeyId}.`;
  const stale = () =>
    database.knex("secret_values").whereRaw("substr(ciphertext, 1, ?) <> ?", [prefix.length, prefix]);
  const total = Number((await stale().count({ n: "*" }).first())?.n ?? 0);
  const progress: RotationProgress = { done: 0, total };
  let after = "";
  for (;;) {
    const rows: { secret_id: string; ciphertext: string }[] = await stale()
      .where("secret_id", ">", after)
      .orderBy("secret_id")
      .limit(batchSize)
      .select("secret_id", "ciphertext");
    if (rows.length === 0) break;
    await database.transaction(async (trx) => {
      for (const row of rows) {
        const plaintext = await keyRing.decrypt(row.ciphertext, row.secret_id);
        const rewritten = await keyRing.encrypt(plaintext, row.secret_id);
        await trx("secret_values").where({ secret_id: row.secret_id, ciphertext: row.ciphertext }).update({ ciphertext: rewritten });
      }
    });
    progress.done += rows.length;
    after = rows[rows.length - 1]!.secret_id;
    options.onProgress?.({ ...progress });
  }
  const sentinel = await database.getMeta(KEY_SENTINEL);
  if (sentinel === undefined) throw new ZsError("INTERNAL", "The key sentinel is missing; open the sql values store before rotating.");
  if (!keyRing.isCurrent(sentinel)) await database.setMeta(KEY_SENTINEL, await createKeySentinel(keyRing));
  return progress;
}
