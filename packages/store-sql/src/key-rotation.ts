import { ZsError, createKeySentinel, type KeyRing } from "@zs/core";
import type { SqlDatabase } from "./sql-database.js";
import { KEY_SENTINEL, versionContext } from "./sql-values-store.js";

/** Progress of a rotation, reported after every batch. */
export interface RotationProgress {
  /** Rows re-encrypted so far in this run. */
  done: number;
  /** Rows that were not under the primary key when this run started. */
  total: number;
  /** Of `done`, the earlier versions history keeps (the rest are secrets' current values). */
  versions: number;
}

/** Options of `rotateEncryptionKey`. */
export interface RotationOptions {
  /** Rows per transaction. @default 200 */
  batchSize?: number;
  onProgress?: (progress: RotationProgress) => void;
}

/**
 * Re-encrypts every stored value (current values and the earlier versions history keeps) under the key ring's primary key, in batches, online: each
 * row is rewritten only if unchanged since it was read. Interrupted, it resumes where it
 * stopped (rows already under the primary key are skipped). Afterwards the old keys can be removed.
 */
export async function rotateEncryptionKey(database: SqlDatabase, keyRing: KeyRing, options: RotationOptions = {}): Promise<RotationProgress> {
  const batchSize = options.batchSize ?? 200;
  const prefix = `v1.${keyRing.primaryKeyId}.`;
  const stale = (table: string) => database.knex(table).whereRaw("substr(ciphertext, 1, ?) <> ?", [prefix.length, prefix]);
  const count = async (table: string) => Number((await stale(table).count({ n: "*" }).first())?.n ?? 0);
  const total = (await count("secret_values")) + (await count("secret_value_versions"));
  const progress: RotationProgress = { done: 0, total, versions: 0 };
  const report = (rows: number, versions = 0) => {
    progress.done += rows;
    progress.versions += versions;
    options.onProgress?.({ ...progress });
  };
  let after = "";
  for (;;) {
    const rows: { secret_id: string; ciphertext: string }[] = await stale("secret_values")
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
    after = rows[rows.length - 1]!.secret_id;
    report(rows.length);
  }
  // The earlier values history keeps (lifecycle.md), under their own additional data.
  let afterVersion: [string, number] = ["", 0];
  for (;;) {
    const [afterId, afterNumber] = afterVersion;
    const rows: { secret_id: string; version: number | string; ciphertext: string }[] = await stale("secret_value_versions")
      .where((next) => next.where("secret_id", ">", afterId).orWhere((same) => same.where("secret_id", afterId).where("version", ">", afterNumber)))
      .orderBy([{ column: "secret_id" }, { column: "version" }])
      .limit(batchSize)
      .select("secret_id", "version", "ciphertext");
    if (rows.length === 0) break;
    await database.transaction(async (trx) => {
      for (const row of rows) {
        const context = versionContext(row.secret_id, Number(row.version));
        const rewritten = await keyRing.encrypt(await keyRing.decrypt(row.ciphertext, context), context);
        await trx("secret_value_versions")
          .where({ secret_id: row.secret_id, version: Number(row.version), ciphertext: row.ciphertext })
          .update({ ciphertext: rewritten });
      }
    });
    const last = rows[rows.length - 1]!;
    afterVersion = [last.secret_id, Number(last.version)];
    report(rows.length, rows.length);
  }
  const sentinel = await database.getMeta(KEY_SENTINEL);
  if (sentinel === undefined) throw new ZsError("INTERNAL", "The key sentinel is missing; open the sql values store before rotating.");
  if (!keyRing.isCurrent(sentinel)) await database.setMeta(KEY_SENTINEL, await createKeySentinel(keyRing));
  return progress;
}
