import { randomUUID } from "node:crypto";
import {
  KeyRing,
  LIMITS,
  ZsError,
  createKeySentinel,
  secretSizeInBytes,
  verifyKeySentinel,
  type GetValuesOptions,
  type PutValuesHint,
  type PutValuesResult,
  type SecretValues,
  type SecretValuesStore,
  type KeyRingSource,
  type ValuesStoreCapabilities,
  type VersionedWrite,
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

/** The additional data of an earlier version's ciphertext: the secret id and the version, so no row can pass for another. */
export function versionContext(secretId: string, version: number): string {
  return `${secretId}#v${version}`;
}

/**
 * The `sql` values store: each secret's values as one JSON object, AES-256-GCM encrypted with
 * the secret id as additional data, in the metadata database. Inside a metadata transaction it
 * writes in that same transaction. It is `versioned`: a write given a `VersionedWrite` also
 * keeps the values in `secret_value_versions` under that version (additional data: id and
 * version), its `backendVersion` `<version>:<write id>` (random per write, so an id written again never reads an earlier write), and prunes the versions beyond the retention.
 */
export class SqlValuesStore implements SecretValuesStore {
  readonly type = "sql";
  readonly capabilities: ValuesStoreCapabilities = { maxValueBytes: LIMITS.maxSecretBytes, storedWithMetadata: true, versioned: true };
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

  async putValues(secretId: string, values: SecretValues, _hint?: PutValuesHint, versioned?: VersionedWrite): Promise<PutValuesResult> {
    const bytes = secretSizeInBytes(values);
    if (bytes > this.capabilities.maxValueBytes) {
      throw new ZsError("SECRET_TOO_LARGE", `The sql values store holds at most ${this.capabilities.maxValueBytes} bytes per secret, not ${bytes}.`);
    }
    const ring = await this.keyRing();
    const plaintext = JSON.stringify(values);
    const ciphertext = await ring.encrypt(plaintext, secretId);
    if (!versioned) {
      await this.database.executor("secret_values").insert({ secret_id: secretId, ciphertext }).onConflict("secret_id").merge();
      return {};
    }
    const versionCiphertext = await ring.encrypt(plaintext, versionContext(secretId, versioned.version));
    const writeId = randomUUID();
    // One transaction (the caller's, when it has one): current values, the version and the pruning commit together.
    await this.database.transaction(async (trx) => {
      await trx("secret_values").insert({ secret_id: secretId, ciphertext }).onConflict("secret_id").merge();
      await trx("secret_value_versions")
        .insert({ secret_id: secretId, version: versioned.version, write_id: writeId, ciphertext: versionCiphertext })
        .onConflict(["secret_id", "version"])
        .merge();
      const oldestKept = await trx("secret_value_versions")
        .where({ secret_id: secretId })
        .orderBy("version", "desc")
        .offset(versioned.keep)
        .first("version");
      if (oldestKept) await trx("secret_value_versions").where({ secret_id: secretId }).where("version", "<", Number(oldestKept.version)).delete();
    });
    return { backendVersion: `${versioned.version}:${writeId}` };
  }

  /**
   * With a hint, decrypts the ciphertext the lookup read in its own query (`storedWithMetadata`);
   * with a backend version, the values kept under it (`undefined` once pruned).
   */
  async getValues(secretId: string, options?: GetValuesOptions): Promise<SecretValues | undefined> {
    if (options && "backendVersion" in options) return this.getVersion(secretId, options.backendVersion);
    const ciphertext = options ? options.stored : (await this.database.read(this.ciphertextById, { secretId }))[0]?.ciphertext;
    if (ciphertext == null) return undefined;
    return JSON.parse(await this.decrypt(ciphertext, secretId)) as SecretValues;
  }

  /** Deletes the current values and every kept version. */
  async deleteValues(secretId: string): Promise<boolean> {
    return this.database.transaction(async (trx) => {
      await trx("secret_value_versions").where({ secret_id: secretId }).delete();
      return (await trx("secret_values").where({ secret_id: secretId }).delete()) > 0;
    });
  }

  private async getVersion(secretId: string, backendVersion: string): Promise<SecretValues | undefined> {
    // Only versions this store wrote: `<version>:<write id>`. Anything else (another store's id) was never kept here.
    const match = /^([1-9]\d{0,14}):([0-9a-f-]{36})$/.exec(backendVersion);
    if (!match) return undefined;
    const version = Number(match[1]);
    const row = await this.database.executor("secret_value_versions").where({ secret_id: secretId, version, write_id: match[2] }).first("ciphertext");
    if (!row) return undefined;
    return JSON.parse(await this.decrypt(String(row.ciphertext), versionContext(secretId, version))) as SecretValues;
  }

  private async decrypt(ciphertext: string, context: string): Promise<string> {
    const ring = await this.keyRing();
    // A key this process has not loaded yet: another process rotated the key file meanwhile.
    const current = ring.knows(ciphertext) ? ring : await this.keyRing({ refresh: true });
    return current.decrypt(ciphertext, context);
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
