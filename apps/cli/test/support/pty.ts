import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";

/**
 * Runs a program on a real pseudo-terminal without a native module: a small host process
 * opens the pty, runs the program on its slave side (stdin, stdout and stderr are the
 * terminal, so `isTTY`, raw mode and echo behave as for a person), and relays bytes between
 * its own stdin/stdout pipes and the master side.
 *
 * Two hosts, both present wherever this repository installs on Debian:
 * - `python3` (its `pty` module): node-gyp needs python3 to build sqlite3, so an install of
 *   this repository cannot have succeeded without it. The default.
 * - util-linux `script` (package bsdutils, which Debian marks Essential): the fallback.
 * `ZS_TEST_PTY=python3|script` picks one.
 */
export type PtyHost = "python3" | "script";

// Runs argv[3:] on a new pty of argv[1] columns and argv[2] rows; exits with its exit code
// (128+N for a signal). Reading the master fails with EIO once the program has exited.
const PYTHON_HOST = `
import errno, fcntl, os, pty, select, struct, sys, termios
cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, master = pty.fork()
if pid == 0:
    try:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]
sources = [master, 0]
while True:
    ready = select.select(sources, [], [])[0]
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError as error:
            if error.errno != errno.EIO:
                raise
            data = b""
        if not data:
            break
        write_all(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            write_all(master, data)
        else:
            sources.remove(0)
status = os.waitpid(pid, 0)[1]
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
`;

const works = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { stdio: "ignore", timeout: 10_000 });
  return result.error === undefined && result.status === 0;
};

let hostsFound: PtyHost[] | undefined;

/** The pty hosts this machine has, the preferred first. */
export function availablePtyHosts(): PtyHost[] {
  hostsFound ??= [
    ...(works("python3", ["-c", "import pty, termios, fcntl"]) ? (["python3"] as const) : []),
    ...(works("script", ["--version"]) ? (["script"] as const) : []),
  ];
  return hostsFound;
}

function defaultHost(): PtyHost {
  const chosen = process.env.ZS_TEST_PTY;
  if (chosen === "python3" || chosen === "script") return chosen;
  const host = availablePtyHosts()[0];
  if (!host) throw new Error("Neither python3 nor util-linux `script` is available to run programs on a pseudo-terminal.");
  return host;
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** The host process's command line for `argv` on a `cols`×`rows` terminal. */
function hostCommand(host: PtyHost, argv: string[], cols: number, rows: number): [string, string[]] {
  if (host === "python3") return ["python3", ["-c", PYTHON_HOST, String(cols), String(rows), ...argv]];
  // `script` sizes the pty from its own stdin, a pipe here: size it from inside.
  const inner = `stty cols ${cols} rows ${rows} && exec ${argv.map(shellQuote).join(" ")}`;
  return ["script", ["--quiet", "--flush", "--return", "--command", inner, "/dev/null"]];
}

// CSI (colours, cursor moves, erase), OSC, and two-byte escapes: what inquirer and the tables print.
const ESCAPES = /\u001b\[[0-9;?<=>]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][0-9A-Za-z]|\u001b[78=>DEHMc]/g;

/** `text` without terminal escape sequences. */
export const stripEscapes = (text: string) => text.replace(ESCAPES, "");

/** Options of `spawnInPty`. */
export interface PtyOptions {
  /** The program's whole environment (the pty host gets it too). */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** @default 100 */
  cols?: number;
  /** @default 30 */
  rows?: number;
  /** @default python3 when it is there, else script (or `ZS_TEST_PTY`) */
  host?: PtyHost;
}

/** A program running on a pseudo-terminal, typed at and read like a person would. */
export class PtySession {
  /** Resolves to the program's exit code once it has ended and its output is all read. */
  readonly exitCode: Promise<number>;
  private readonly child: ChildProcessWithoutNullStreams;
  private raw = "";
  private hostErrors = "";
  private cursor = 0;
  private ended = false;
  private waiter: (() => void) | undefined;

  constructor(argv: string[], options: PtyOptions) {
    const host = options.host ?? defaultHost();
    const [command, args] = hostCommand(host, argv, options.cols ?? 100, options.rows ?? 30);
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: host === "script" ? { ...options.env, SHELL: "/bin/sh" } : options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => {
      this.raw += chunk;
      this.waiter?.();
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => {
      this.hostErrors += chunk;
    });
    // The program may end before reading all that was typed (a usage error): not our error.
    this.child.stdin.on("error", () => undefined);
    this.exitCode = new Promise((resolve, reject) => {
      this.child.on("error", reject);
      this.child.on("close", (code, signal) => {
        this.ended = true;
        this.waiter?.();
        resolve(code ?? 128 + (signal === "SIGKILL" ? 9 : 15));
      });
    });
  }

  /** Everything the terminal showed so far, escape sequences included. */
  get output(): string {
    return this.raw;
  }

  /** Everything the terminal showed so far, escape sequences removed. */
  get text(): string {
    return stripEscapes(this.raw);
  }

  /** Sends keystrokes as a terminal does (Enter is `\r`). */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /**
   * Waits until the terminal shows `pattern` after what earlier calls matched, and moves
   * past it, so a prompt shown again later is waited for anew.
   */
  async waitFor(pattern: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const find = (): number | undefined => {
      const rest = this.text.slice(this.cursor);
      if (typeof pattern === "string") {
        const at = rest.indexOf(pattern);
        return at === -1 ? undefined : at + pattern.length;
      }
      const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(rest);
      return match ? match.index + match[0].length : undefined;
    };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail("timed out"), timeoutMs);
      const fail = (why: string) => {
        clearTimeout(timer);
        this.waiter = undefined;
        reject(new Error(`${why} waiting for ${String(pattern)} on the terminal; it showed:\n${this.text}${this.hostErrors ? `\n(pty host: ${this.hostErrors})` : ""}`));
      };
      const check = () => {
        const end = find();
        if (end !== undefined) {
          clearTimeout(timer);
          this.waiter = undefined;
          this.cursor += end;
          resolve();
        } else if (this.ended) {
          fail("the program ended");
        }
      };
      this.waiter = check;
      check();
    });
  }

  /** Waits for the program to end (killing it after `timeoutMs`) and returns its exit code. */
  async exit(timeoutMs = 15_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`The program did not end within ${timeoutMs} ms; the terminal showed:\n${this.text}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exitCode, timedOut]);
    } finally {
      clearTimeout(timer);
      this.child.stdin.end();
    }
  }

  /** Ends the host (the program then gets SIGHUP from its closed terminal); harmless once ended. */
  kill(): void {
    if (!this.ended) this.child.kill("SIGKILL");
  }
}

/** Starts `argv` on a new pseudo-terminal. */
export function spawnInPty(argv: string[], options: PtyOptions): PtySession {
  return new PtySession(argv, options);
}
