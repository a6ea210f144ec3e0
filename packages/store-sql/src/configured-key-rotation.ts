import { setTimeout as sleep } from "node:timers/promises";
import { KEY_FILE_RECHECK_MS, KeyRing, ZsError, generateEncryptionKey, loadEncryptionKeys, readKeyFile, writeKeyFile, type ZsConfig } from "@zs/core";
import { rotateEncryptionKey, type RotationProgress } from "./key-rotation.js";
import type { SqlDatabase } from "./sql-database.js";

/** Options of `rotateConfiguredKey`. */
export interface ConfiguredRotationOptions {
  onProgress?: (progress: RotationProgress) => void;
  /**
   * How long other processes get to notice a rewritten key file before and after the sweep
   * (they look at it every `KEY_FILE_RECHECK_MS`; any wait is at least twice that).
   * @default 0: no other process uses the store
   */
  settleMs?: number;
}

/**
 * Key rotation of the `sql` values store as configured. With `ZS_ENCRYPTION_KEY(S)`, values
 * are re-encrypted under the first configured key. With the generated key file: a new key is
 * written first in the file (the old one kept after it), every value is re-encrypted under it,
 * then the old key is dropped and a last sweep catches values a running process wrote under
 * the old key meanwhile. Interrupted, the next run finds both keys in the file and finishes.
 */
export async function rotateConfiguredKey(
  database: SqlDatabase,
  config: ZsConfig,
  options: ConfiguredRotationOptions = {},
): Promise<RotationProgress & { keyId: string }> {
  if (config.secretsStore.type !== "sql") {
    throw new ZsError("VALIDATION_ERROR", `Key rotation applies to the sql values store; this store is '${config.secretsStore.type}'.`);
  }
  const { onProgress } = options;
  // Never shorter than two looks at the key file: a process must have seen each rewrite.
  const settleMs = options.settleMs ? Math.max(options.settleMs, 2 * KEY_FILE_RECHECK_MS) : 0;
  if (config.encryptionKeys) {
    const ring = new KeyRing(config.encryptionKeys);
    return { ...(await rotateEncryptionKey(database, ring, { onProgress })), keyId: ring.primaryKeyId };
  }
  await loadEncryptionKeys(undefined, config.dataDir);
  let keys = await readKeyFile(config.dataDir);
  if (keys.length === 1) {
    keys = [generateEncryptionKey(), keys[0]!];
    await writeKeyFile(config.dataDir, keys);
  }
  const ring = new KeyRing(await loadEncryptionKeys(undefined, config.dataDir));
  await sleep(settleMs);
  const progress = await rotateEncryptionKey(database, ring, { onProgress });
  await writeKeyFile(config.dataDir, [keys[0]!]);
  await sleep(settleMs);
  // This process still holds the old keys: anything written under them in the meantime moves now.
  const stragglers = await rotateEncryptionKey(database, ring, {});
  return {
    done: progress.done + stragglers.done,
    total: progress.total + stragglers.total,
    versions: progress.versions + stragglers.versions,
    keyId: ring.primaryKeyId,
  };
}
