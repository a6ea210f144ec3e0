import {
  KeyRing,
  LIMITS,
  ZsError,
  createKeySentinel,
  secretSizeInBytes,
  verifyKeySentinel,
  type GetValuesHint,
  type SecretValues,
  type SecretValuesStore,
  type KeyRingSource,
  type ValuesStoreCapabilities,
} from "@zs/core";
import { prepareRead, type PreparedRead } from "./prepared-read.js";
import type { SqlDatabase } from "./sql-database.js";

/** The `zs_meta` key of the value that proves the configured key is the database's key. */
export const KEY_SENTINEL = "key_sentinel";

/**
 * The keys of the store: a fixed ring (configured keys), or a function giving the current one
 * (the key file, re-read when a rotation rewrites it, so running servers follow it).
 */
export type KeySource = KeyRing | KeyRingSource;

/**
 * The `sql` values store: each secret's values as one JSON object, AES-256-GCM encrypted with
 * the secret id as additional data, in the metadata database. Inside a metadata transaction it
 * writes in that same transaction.
 */
export class SqlValuesStore implements SecretValuesStore {
  readonly type = "sql";
  readonly capabilities: ValuesStoreCapabilities = { maxValueBytes: LIMITS.maxSecretBytes, storedWithMetadata: true };
  private readonly ciphertextById: PreparedRead<{ secretId: string }, { ciphertext: string }>;

  private constructor(
    private readonly database: SqlDatabase,
    private readonly keyRing: KeyRingSource,
  ) {
    this.ciphertextById = prepareRead((parameter) => database.knex("secret_values").where({ secret_id: parameter("secretId") }).first("ciphertext"));
  }

  /**
   * Opens the store, checking the key against the database's sentinel (written on first use),
   * so a wrong key fails here, not later with garbage.
   */
  static async open(database: SqlDatabase, keys: KeySource): Promise<SqlValuesStore> {
    const current = keys instanceof KeyRing ? async () => keys : keys;
    const keyRing = await current();
    // Read first: only a new database pays a write (every CLI command opens the store).
    let sentinel = await database.getMeta(KEY_SENTINEL);
    if (sentinel === undefined) {
      await database.setMeta(KEY_SENTINEL, await createKeySentinel(keyRing), { onlyIfAbsent: true });
      sentinel = (await database.getMeta(KEY_SENTINEL))!;
    }
    await verifyKeySentinel(keyRing, sentinel);
    return new SqlValuesStore(database, current);
  }

  async putValues(secretId: string, values: SecretValues): Promise<void> {
    const bytes = secretSizeInBytes(values);
    if (bytes > this.capabilities.maxValueBytes) {
      throw new ZsError("SECRET_TOO_LARGE", `The sql values store holds at most ${this.capabilities.maxValueBytes} bytes per secret, not ${bytes}.`);
    }
    const ciphertext = await (await this.keyRing()).encrypt(JSON.stringify(values), secretId);
    await this.database.executor("secret_values").insert({ secret_id: secretId, ciphertext }).onConflict("secret_id").merge();
  }

  /** With a hint, decrypts the ciphertext the lookup read in its own query (`storedWithMetadata`). */
  async getValues(secretId: string, hint?: GetValuesHint): Promise<SecretValues | undefined> {
    const ciphertext = hint ? hint.stored : (await this.database.read(this.ciphertextById, { secretId }))[0]?.ciphertext;
    if (ciphertext == null) return undefined;
    const ring = await this.keyRing();
    // A key this process has not loaded yet: another process rotated the key file meanwhile.
    const current = ring.knows(ciphertext) ? ring : await this.keyRing({ refresh: true });
    return JSON.parse(await current.decrypt(ciphertext, secretId)) as SecretValues;
  }

  async deleteValues(secretId: string): Promise<boolean> {
    return (await this.database.executor("secret_values").where({ secret_id: secretId }).delete()) > 0;
  }

  async check(): Promise<void> {
    try {
      await this.database.executor.raw("select 1");
    } catch (error) {
      throw new ZsError("BACKEND_UNAVAILABLE", `The metadata database does not answer: ${(error as Error).message}`);
    }
  }

  /** The database belongs to whoever opened it; closing the store leaves it open. */
  async close(): Promise<void> {}
}
