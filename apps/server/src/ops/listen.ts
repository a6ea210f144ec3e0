import type { Server } from "node:http";
import type { Server as HttpsServer } from "node:https";
import { ZsError } from "@zs/core";

/** Why a listen failed, as an operator can act on it. */
const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: "the port is already in use",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "the address is not one of this host's",
};

/**
 * Starts `server` listening on `host:port`. A port that cannot be had is a
 * `CONFIGURATION_ERROR` saying why, worded by `describe` (given the reason and the errno code), which names the setting to change.
 */
export async function listenOn(server: Server | HttpsServer, host: string, port: number, describe: (problem: string, code: string) => string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new ZsError("CONFIGURATION_ERROR", describe(LISTEN_PROBLEMS[code] ?? (code || "listen failed"), code));
  }
}
