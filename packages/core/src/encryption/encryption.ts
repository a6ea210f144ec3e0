import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { ZsError } from "../errors.js";

const FORMAT_VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_HINT = "32 random bytes, base64-encoded (generate one with: openssl rand -base64 32)";

/** One AES-256 key and the id its ciphertexts name. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The id of a key given without one: the first 8 hex digits of its SHA-256. */
export function keyFingerprint(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

function decodeKey(text: string, label: string, problems: string[]): Buffer | undefined {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  // Buffer.from ignores junk silently, so re-encode to prove the text really was base64.
  if (key.length !== KEY_BYTES || key.toString("base64").replace(/=+$/, "") !== trimmed.replace(/=+$/, "")) {
    problems.push(`${label} must be ${KEY_HINT}`);
    return undefined;
  }
  return key;
}

/**
 * Parses `ZS_ENCRYPTION_KEY` (one key) or `ZS_ENCRYPTION_KEYS` (`id1:key1,id2:key2`; the
 * first encrypts, all decrypt). Problems are appended to `problems`, never thrown, so a
 * configuration reader can report them all at once.
 */
export function parseEncryptionKeys(
  input: { key?: string | undefined; keys?: string | undefined },
  problems: string[],
): EncryptionKey[] {
  const found: EncryptionKey[] = [];
  if (input.keys) {
    for (const [index, entry] of input.keys.split(",").entries()) {
      const colon = entry.indexOf(":");
      const id = colon > 0 ? entry.slice(0, colon).trim() : undefined;
      const label = `ZS_ENCRYPTION_KEYS entry ${index + 1}`;
      if (id !== undefined && !KEY_ID_PATTERN.test(id)) {
        problems.push(`${label}: key id '${id}' must be 1-64 characters of A-Z a-z 0-9 _ -`);
        continue;
      }
      const key = decodeKey(colon > 0 ? entry.slice(colon + 1) : entry, label, problems);
      if (key) found.push({ id: id ?? keyFingerprint(key), key });
    }
    const ids = found.map((k) => k.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length > 0) problems.push(`ZS_ENCRYPTION_KEYS repeats key id(s): ${[...new Set(repeated)].join(", ")}`);
  }
  if (input.key) {
    const key = decodeKey(input.key, "ZS_ENCRYPTION_KEY", problems);
    if (key) {
      if (input.keys) problems.push("set ZS_ENCRYPTION_KEY or ZS_ENCRYPTION_KEYS, not both");
      else found.push({ id: keyFingerprint(key), key });
    }
  }
  return found;
}

/** Generates a new random key in the form `ZS_ENCRYPTION_KEY` takes. */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/**
 * AES-256-GCM with a fresh 96-bit nonce per write and the caller's context (the secret's id)
 * bound as additional authenticated data. Stored form: `v1.<key id>.<base64url(nonce‖ciphertext‖tag)>`.
 * The first key encrypts; every key decrypts, which is what makes rotation possible.
 */
export class KeyRing {
  readonly primaryKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: readonly EncryptionKey[]) {
    const first = keys[0];
    if (!first) throw new ZsError("CONFIGURATION_ERROR", `No encryption key configured; ZS_ENCRYPTION_KEY must be ${KEY_HINT}.`);
    this.primaryKeyId = first.id;
    for (const { id, key } of keys) {
      this.keys.set(id, Buffer.from(key));
    }
  }

  /** The ids of every key, the encrypting one first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Encrypts `plaintext` bound to `context` under the primary key. */
  async encrypt(plaintext: string, context: string): Promise<string> {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.primaryKeyId)!, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, "utf8"));
    const sealed = Buffer.concat([nonce, cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT_VERSION}.${this.primaryKeyId}.${sealed.toString("base64url")}`;
  }

  /**
   * Decrypts a stored form bound to `context`. Throws `INTERNAL` when the data was changed or
   * belongs to another context, `CONFIGURATION_ERROR` when its key is not configured.
   */
  async decrypt(stored: string, context: string): Promise<string> {
    const [version, keyId, payload] = stored.split(".");
    if (version !== FORMAT_VERSION || keyId === undefined || payload === undefined) {
      throw new ZsError("INTERNAL", `Stored ciphertext for '${context}' is not in the ${FORMAT_VERSION} format.`);
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new ZsError(
        "CONFIGURATION_ERROR",
        `Data for '${context}' is encrypted with key '${keyId}', which is not configured; add it to ZS_ENCRYPTION_KEYS (configured: ${this.keyIds.join(", ")}).`,
      );
    }
    const bytes = Buffer.from(payload, "base64url");
    try {
      if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error("too short");
      const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new ZsError(
        "INTERNAL",
        `Stored ciphertext for '${context}' failed authentication with key '${keyId}': it was altered or belongs to another record.`,
      );
    }
  }

  /** True when `stored` names a key of this ring. */
  knows(stored: string): boolean {
    return this.keys.has(stored.split(".", 2)[1] ?? "");
  }

  /** True when `stored` is encrypted under the primary key, i.e. needs no rotation. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${FORMAT_VERSION}.${this.primaryKeyId}.`);
  }
}

const SENTINEL_CONTEXT = "zs:key-sentinel";
const SENTINEL_PLAINTEXT = "zs key sentinel";

/** A value to keep beside encrypted data so a wrong key is caught at start, not later as garbage. */
export function createKeySentinel(ring: KeyRing): Promise<string> {
  return ring.encrypt(SENTINEL_PLAINTEXT, SENTINEL_CONTEXT);
}

/** Throws a `CONFIGURATION_ERROR` a person can act on when `ring` cannot open `sentinel`. */
export async function verifyKeySentinel(ring: KeyRing, sentinel: string): Promise<void> {
  const keyId = sentinel.split(".")[1] ?? "?";
  let plain: string | undefined;
  try {
    plain = await ring.decrypt(sentinel, SENTINEL_CONTEXT);
  } catch {
    plain = undefined;
  }
  if (plain !== SENTINEL_PLAINTEXT) {
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `The encryption key does not match this database: its data is encrypted with key '${keyId}', ` +
        `but the configured key${ring.keyIds.length > 1 ? "s are" : " is"} ${ring.keyIds.map((id) => `'${id}'`).join(", ")}. ` +
        "Set ZS_ENCRYPTION_KEY (or ZS_ENCRYPTION_KEYS) to the key this database was created with.",
    );
  }
}
