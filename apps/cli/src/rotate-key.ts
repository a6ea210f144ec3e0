import { withClient } from "./client-session.js";
import type { Io } from "./output.js";

/** `zs secret rotate-key`: the rotation with a progress bar on a terminal. */
export async function rotateWithProgress(io: Io): Promise<void> {
  const { SingleBar, Presets } = await import("cli-progress");
  const bar = process.stderr.isTTY ? new SingleBar({ format: "Re-encrypting [{bar}] {value}/{total}", hideCursor: true }, Presets.shades_classic) : undefined;
  let started = false;
  try {
    const result = await withClient({}, (client) =>
      client.rotateEncryptionKey((progress) => {
        if (!started) bar?.start(progress.total, 0);
        started = true;
        bar?.update(progress.done);
      }),
    );
    bar?.stop();
    io.out(`Re-encrypted ${result.done} secret${result.done === 1 ? "" : "s"} under key '${result.keyId}'; the old key is no longer needed.\n`);
  } catch (error) {
    bar?.stop();
    throw error;
  }
}
