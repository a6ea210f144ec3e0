import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** The bundled server the process tests run (built by the jest globalSetup). */
export const SERVER_BIN = path.join(__dirname, "..", "..", "dist", "zs-server.js");

/** A `zs-server` process: its URL once it listens, and everything it printed. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** How to start the process besides its environment and arguments. */
export interface ServerProcessOptions {
  /** The process's umask, e.g. `"000"`, set by a shell that then becomes the server. @default the test runner's */
  umask?: string;
}

/** Starts `zs-server` with `env` (over a clean environment) and waits until it listens. */
export async function startServerProcess(env: Record<string, string>, args: string[] = [], options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const argv = [SERVER_BIN, ...args];
  const [command, commandArgs] =
    options.umask === undefined ? [process.execPath, argv] : ["/bin/sh", ["-c", `umask ${options.umask} && exec "$0" "$@"`, process.execPath, ...argv]];
  const child = spawn(command, commandArgs, {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ZS_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /listening on (https?:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", check);
    void exited.then(({ code, signal }) => reject(new Error(`zs-server exited (${code ?? signal}) before listening:\n${stderr}${stdout}`)));
  });
  return { url, child, stdout: () => stdout, stderr: () => stderr, exited };
}
