import { open } from "node:fs/promises";

/**
 * Writes `text` to `file`, readable by its owner only (0600) — also when the file already
 * exists with a wider mode, which `writeFile`'s `mode` leaves as it was. The mode is set
 * before anything is written.
 */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const handle = await open(file, "w", 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, "utf8");
  } finally {
    await handle.close();
  }
}
