import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** The bundled server (the jest globalSetup builds it). */
export const SERVER_BIN = path.join(path.dirname(__filename), "..", "..", "..", "server", "dist", "zs-server.js");
/** The first admin's password in every test server. */
export const ADMIN_PASSWORD = "dashboard-admin-password";

/** A `zs-server` process on a temporary SQLite database, listening on a free port. */
export interface ZsServer {
  url: string;
  logs(): string;
  stop(): Promise<void>;
}

/** Starts `zs-server` with a temp `ZS_DATA_DIR` and waits until it prints its URL. */
export async function startZsServer(env: Record<string, string> = {}): Promise<ZsServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-dashboard-"));
  const child: ChildProcess = spawn(process.execPath, [SERVER_BIN], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ZS_PORT: "0", ZS_DATA_DIR: dataDir, ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => reject(new Error(`zs-server exited before listening:\n${output}`)));
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url,
    logs: () => output,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
