import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";

/**
 * Writes `text` to `file` so that a reader (or a crash) sees the old content or the new,
 * never a part: a temp file beside it (same file system, so the rename is atomic), created
 * with `mode`, flushed to disk, renamed over the target, and the directory flushed so the
 * rename itself survives a power loss.
 */
export async function writeFileAtomically(file: string, text: string, mode: number): Promise<void> {
  const directory = path.dirname(file);
  const temp = path.join(directory, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  // "wx": never follow or reuse a file someone else put at the temp name.
  const handle = await open(temp, "wx", mode);
  try {
    try {
      // The umask can only narrow the mode given to open; chmod makes it exact either way.
      await handle.chmod(mode);
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Removes `file`; `false` when it was already gone. The directory is flushed after. */
export async function removeFile(file: string): Promise<boolean> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  await syncDirectory(path.dirname(file));
  return true;
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
