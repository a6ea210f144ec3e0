import { withClient } from "./client-session.js";
import type { Io } from "./output.js";
import { withProgressBar } from "./progress-bar.js";

/** `zs secret rotate-key`: the rotation with a progress bar on a terminal. */
export async function rotateWithProgress(io: Io): Promise<void> {
  const result = await withProgressBar("Re-encrypting", (report) =>
    withClient({}, (client) => client.rotateEncryptionKey((progress) => report(progress.done, progress.total))),
  );
  io.out(`Re-encrypted ${result.done} secret${result.done === 1 ? "" : "s"} under key '${result.keyId}'; the old key is no longer needed.\n`);
}
