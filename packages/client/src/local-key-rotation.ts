import { KeyRing, ZsError, generateEncryptionKey, loadEncryptionKeys, readKeyFile, writeKeyFile, type ZsConfig } from "@zs/core";
import { rotateEncryptionKey, type RotationProgress, type SqlDatabase } from "@zs/store-sql";

/**
 * Local mode's key rotation. With the generated key file: a new key is written first in the
 * file (the old one kept after it), every value is re-encrypted under it, then the old key is
 * dropped. Interrupted, the next run finds both keys in the file and finishes the job. With
 * `ZS_ENCRYPTION_KEY(S)`, values are re-encrypted under the first configured key.
 */
export async function rotateLocalKey(
  database: SqlDatabase,
  config: ZsConfig,
  onProgress?: (progress: RotationProgress) => void,
): Promise<RotationProgress & { keyId: string }> {
  if (config.secretsStore.type !== "sql") {
    throw new ZsError("VALIDATION_ERROR", `Key rotation applies to the sql values store; this store is '${config.secretsStore.type}'.`);
  }
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
  const progress = await rotateEncryptionKey(database, ring, { onProgress });
  await writeKeyFile(config.dataDir, [keys[0]!]);
  return { ...progress, keyId: ring.primaryKeyId };
}
