import { chmod, mkdir, open, stat } from "node:fs/promises";

/** The permission bits of the group and of others. */
const SHARED_BITS = 0o077;
const STICKY_BIT = 0o1000;

/**
 * Takes the group's and others' permissions off `target` (a file becomes 0600, a directory
 * 0700, as a rule), when it is ours: owned by this process's user. A directory with the sticky
 * bit is a shared one (`/tmp`) and left as it is; so is anything on a system without POSIX
 * owners (Windows), and a missing `target`.
 */
export async function tightenToOwnerOnly(target: string): Promise<void> {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (info.uid !== uid || (info.mode & SHARED_BITS) === 0) return;
  if (info.isDirectory() && (info.mode & STICKY_BIT) !== 0) return;
  await chmod(target, info.mode & 0o700);
}

/**
 * Makes `dir` an owner-only directory: created 0700 when missing (missing parents too),
 * tightened to owner-only when it exists (`tightenToOwnerOnly`).
 */
export async function ensureOwnerOnlyDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await tightenToOwnerOnly(dir);
}

/**
 * Makes `file` an owner-only file: created empty with mode 0600 when missing (whatever the
 * umask), tightened to owner-only when it exists (`tightenToOwnerOnly`). Its contents are
 * never touched; its directory must exist.
 */
export async function ensureOwnerOnlyFile(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    await tightenToOwnerOnly(file);
    return;
  }
  try {
    // The umask may have taken bits off the owner's too; SQLite needs read and write.
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
}
