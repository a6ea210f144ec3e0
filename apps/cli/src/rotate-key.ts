import { withClient } from "./client-session.js";
import type { Io } from "./output.js";
import { withProgressBar } from "./progress-bar.js";

/** `zs secret rotate-key`: the rotation with a progress bar on a terminal. */
export async function rotateWithProgress(io: Io): Promise<void> {
  const result = await withProgressBar("Re-encrypting", (report) =>
    withClient({}, (client) => client.rotateEncryptionKey((progress) => report(progress.done, progress.total))),
  );
  io.out(`Re-encrypted ${describeRotated(result)} under key '${result.keyId}'; the old key is no longer needed.\n`);
}

/** `3 secrets`, or `3 secrets and 12 earlier versions` when history's kept versions were re-encrypted too. */
function describeRotated({ done, versions }: { done: number; versions: number }): string {
  const secrets = done - versions;
  const counted = `${secrets} secret${secrets === 1 ? "" : "s"}`;
  return versions === 0 ? counted : `${counted} and ${versions} earlier version${versions === 1 ? "" : "s"}`;
}
