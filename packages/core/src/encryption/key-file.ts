import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { KeyRing, generateEncryptionKey, parseEncryptionKeys, type EncryptionKey } from "./encryption.js";
import { ZsError } from "../errors.js";

/** Name of the generated key file in the data directory. */
export const KEY_FILE_NAME = "encryption.key";

/**
 * The configured keys, or else the key in `<dataDir>/encryption.key`, generated (mode 0600)
 * on first start. Creation is exclusive, so two processes starting at once agree on one key.
 */
export async function loadEncryptionKeys(configured: EncryptionKey[] | undefined, dataDir: string): Promise<EncryptionKey[]> {
  if (configured) return configured;
  const file = path.join(dataDir, KEY_FILE_NAME);
  const text = (await readFile(file, "utf8").catch(() => undefined)) ?? (await createKeyFile(file, dataDir));
  const problems: string[] = [];
  // One key per line; during a rotation the new key comes first, the old one after it.
  const lines = text.split("\n").map((line) => line.trim()).filter(Boolean);
  const keys = parseEncryptionKeys({ keys: lines.join(",") }, problems);
  if (keys.length === 0 && problems.length === 0) problems.push("it holds no key");
  if (problems.length > 0) {
    throw new ZsError("CONFIGURATION_ERROR", `The key file ${file} is damaged: ${problems.join("; ")}.`);
  }
  return keys;
}

async function createKeyFile(file: string, dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // Written aside, then linked into place: readers never see a half-written key.
  // The random part keeps concurrent callers in one process off each other's drafts.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(draft, `${generateEncryptionKey()}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(draft);
  }
  return readFile(file, "utf8");
}

/**
 * Replaces the key file with `keys` (base64, the encrypting one first), atomically and with
 * mode 0600: a reader sees the old file or the new one, never a mix.
 */
export async function writeKeyFile(dataDir: string, keys: readonly string[]): Promise<void> {
  const file = path.join(dataDir, KEY_FILE_NAME);
  const draft = `${file}.${randomBytes(8).toString("hex")}.tmp`;
  await writeFile(draft, `${keys.join("\n")}\n`, { mode: 0o600, flag: "wx" });
  await rename(draft, file);
}

/** The keys of the key file as written there (base64, one per line). */
export async function readKeyFile(dataDir: string): Promise<string[]> {
  const text = await readFile(path.join(dataDir, KEY_FILE_NAME), "utf8");
  return text.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** The current key ring; `refresh` re-reads the key file now (e.g. after meeting an unknown key id). */
export type KeyRingSource = (options?: { refresh?: boolean }) => Promise<KeyRing>;

/** How often a key file ring looks at its file: a rotation waits longer than this before and after its sweep. */
export const KEY_FILE_RECHECK_MS = 1000;

/**
 * The key ring of the key file in `dataDir` (created on first use), re-read when the file has
 * been replaced: a key rotation run by another process (`zs-server rotate-key`) puts the new
 * key first, and every running process encrypts with it within `KEY_FILE_RECHECK_MS`.
 */
export function keyFileRing(dataDir: string): KeyRingSource {
  const file = path.join(dataDir, KEY_FILE_NAME);
  let loaded: { stamp: string; ring: KeyRing; checked: number } | undefined;
  return async (options = {}) => {
    if (loaded && !options.refresh && Date.now() - loaded.checked < KEY_FILE_RECHECK_MS) return loaded.ring;
    const info = await stat(file).catch(() => undefined);
    const stamp = info ? `${info.ino}:${info.size}:${info.mtimeMs}` : "absent";
    if (loaded?.stamp !== stamp) loaded = { stamp, ring: new KeyRing(await loadEncryptionKeys(undefined, dataDir)), checked: 0 };
    loaded.checked = Date.now();
    return loaded.ring;
  };
}
