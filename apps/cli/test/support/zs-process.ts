import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect } from "@jest/globals";
import { startServerProcess } from "../../../server/test/support/server-process.js";

/** The bundled binary the tests drive; jest's globalSetup (build-once.cjs) builds it first. */
export const ZS_BIN = path.resolve(__dirname, "..", "..", "dist", "zs.js");

/** What one run of `zs` did. */
export interface ZsResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How to run one command. */
export interface ZsRunOptions {
  /** Added to the harness's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** @default the harness's work directory */
  cwd?: string;
  /** Written to stdin, which is a pipe, never a terminal. @default nothing (stdin closed) */
  input?: string;
}

/** Where the CLI keeps its state: the same tests run against the local store or, later, a server. */
export type ZsMode = "local" | "remote";

/**
 * One isolated `zs` installation: its own temp home, config dir and work directory. Every
 * command runs the real binary as a subprocess with stdin not a terminal.
 */
export interface ZsHarness {
  readonly mode: ZsMode;
  /** A temp directory for the test's files; the working directory of every run by default. */
  readonly workDir: string;
  /** Local mode's `ZS_HOME` (database and key file); `undefined` in remote mode. */
  readonly home: string | undefined;
  /** The user every command acts as: `default` locally, the server's admin remotely. */
  readonly user: string;
  /** The environment every run gets (before `ZsRunOptions.env`). */
  readonly env: Readonly<Record<string, string>>;
  /** Runs `zs ARGS`, resolving with its exit code and output whatever the outcome. */
  run(args: readonly string[], options?: ZsRunOptions): Promise<ZsResult>;
  /** Runs `sh -c SCRIPT` with a `zs` command on the PATH and the harness's environment. */
  shell(script: string, options?: ZsRunOptions): Promise<ZsResult>;
  /** Removes every temp directory. */
  close(): Promise<void>;
}

/** Makes harnesses of one mode; test files take one and run their cases against it. */
export interface ZsHarnessFactory {
  readonly mode: ZsMode;
  create(): Promise<ZsHarness>;
}

// Settings of the developer's own environment that would change what the CLI does.
const INHERITED_OUT = /^(ZS_|XDG_|NO_COLOR$|FORCE_COLOR$|HOME$)/;

/** The environment of a child: the parent's, minus anything that points at a real zs. */
function baseEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !INHERITED_OUT.test(entry[0])));
}

function mergeEnv(base: Readonly<Record<string, string>>, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function runProcess(command: string, args: readonly string[], env: Record<string, string>, options: ZsRunOptions, cwd: string): Promise<ZsResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Local mode: an embedded store in a temp `ZS_HOME`, settings in a temp `XDG_CONFIG_HOME`,
 * and a temp `HOME` (so `@~/file` and the XDG defaults never touch the real home).
 */
export const localHarness: ZsHarnessFactory = {
  mode: "local",
  async create() {
    const root = await mkdtemp(path.join(os.tmpdir(), "zs-cli-"));
    const dirs = { home: path.join(root, "zs-home"), config: path.join(root, "config"), user: path.join(root, "user-home"), work: path.join(root, "work"), bin: path.join(root, "bin") };
    await Promise.all([dirs.user, dirs.work, dirs.bin].map((dir) => mkdir(dir, { recursive: true })));
    // `zs` on the PATH for shell scripts, the way a user would call it.
    const wrapper = path.join(dirs.bin, "zs");
    await writeFile(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${ZS_BIN}' "$@"\n`);
    await chmod(wrapper, 0o755);
    const env = mergeEnv(baseEnvironment(), {
      ZS_HOME: dirs.home,
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: path.join(dirs.user, ".local", "share"),
      HOME: dirs.user,
    });
    return {
      mode: "local",
      user: "default",
      workDir: dirs.work,
      home: dirs.home,
      env,
      run: (args, options = {}) => runProcess(process.execPath, [ZS_BIN, ...args], mergeEnv(env, options.env), options, dirs.work),
      shell: (script, options = {}) =>
        runProcess("/bin/sh", ["-c", script], mergeEnv(env, { PATH: `${dirs.bin}${path.delimiter}${env.PATH ?? ""}`, ...options.env }), options, dirs.work),
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
};

/**
 * Remote mode: a real `zs-server` process per harness (its own SQLite in a temp dir), and
 * `zs connect` as its admin, so every command of the harness goes over HTTP.
 */
export const remoteHarness: ZsHarnessFactory = {
  mode: "remote",
  async create() {
    const local = await localHarness.create();
    const password = `admin-${randomBytes(12).toString("hex")}`;
    const root = await mkdtemp(path.join(os.tmpdir(), "zs-cli-server-"));
    const server = await startServerProcess({ ZS_DATA_DIR: root, ZS_ADMIN_PASSWORD: password, ZS_LOG_LEVEL: "warn" });
    const stop = async () => {
      server.child.kill("SIGTERM");
      await server.exited;
      await rm(root, { recursive: true, force: true });
      await local.close();
    };
    const connected = await local.run(["connect", server.url, "--username", "admin", "--password", password]);
    if (connected.code !== 0) {
      await stop();
      throw new Error(`zs connect failed: ${connected.stderr}`);
    }
    return { ...local, mode: "remote", home: undefined, user: "admin", close: stop };
  },
};

/** The modes every mode-independent test file runs in: the same tests, locally and against a server. */
export const HARNESS_FACTORIES: readonly ZsHarnessFactory[] = [localHarness, remoteHarness];

/**
 * A harness for the enclosing `describe`: created in `beforeAll`, removed in `afterAll`, with
 * helpers that assert on the outcome.
 */
export class DescribeHarness implements ZsHarness {
  private current: ZsHarness | undefined;

  constructor(readonly factory: ZsHarnessFactory) {
    beforeAll(async () => {
      this.current = await factory.create();
    });
    afterAll(async () => {
      await this.current?.close();
      this.current = undefined;
    });
  }

  private get inner(): ZsHarness {
    if (!this.current) throw new Error("The zs harness is used outside a test (it exists from beforeAll to afterAll).");
    return this.current;
  }

  get mode(): ZsMode {
    return this.factory.mode;
  }
  get workDir(): string {
    return this.inner.workDir;
  }
  get home(): string | undefined {
    return this.inner.home;
  }
  get user(): string {
    return this.inner.user;
  }
  get env(): Readonly<Record<string, string>> {
    return this.inner.env;
  }

  run(args: readonly string[], options?: ZsRunOptions): Promise<ZsResult> {
    return this.inner.run(args, options);
  }

  shell(script: string, options?: ZsRunOptions): Promise<ZsResult> {
    return this.inner.shell(script, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Runs `zs ARGS` and fails the test, showing stderr, unless it exits with 0. */
  async ok(args: readonly string[], options?: ZsRunOptions): Promise<ZsResult> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`zs ${args.join(" ")} exited with ${result.code}:\n${result.stderr}${result.stdout}`);
    return result;
  }

  /** Runs `zs ARGS -o json` and parses what it printed. */
  async json<T = unknown>(args: readonly string[], options?: ZsRunOptions): Promise<T> {
    return JSON.parse((await this.ok([...args, "-o", "json"], options)).stdout) as T;
  }

  /** The values of a secret, read back with `zs secret get -o json`. */
  async values(nameOrId: string, ...extra: string[]): Promise<Record<string, string>> {
    return (await this.json<WireSecret>(["secret", "get", nameOrId, ...extra])).values;
  }

  /** Creates a secret from a values map (given as `--values` JSON): one `zs` process, for fixtures not read back. */
  async addSecret(name: string, values: Record<string, string>, scope?: "workspace" | "user"): Promise<void> {
    const scoped = scope ? ["-s", scope] : [];
    await this.ok(["secret", "create", name, "--values", JSON.stringify(values), ...scoped]);
  }

  /** Creates a secret as `addSecret` does; returns it as `get -o json` reads it back. */
  async createSecret(name: string, values: Record<string, string>, scope?: "workspace" | "user"): Promise<WireSecret> {
    await this.addSecret(name, values, scope);
    return this.json<WireSecret>(["secret", "get", name, ...(scope ? ["-s", scope] : [])]);
  }

  /** Writes a file in the work directory; returns its absolute path. */
  async writeFile(name: string, content: string | Uint8Array): Promise<string> {
    const file = path.resolve(this.workDir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return file;
  }

  /** Reads a file of the work directory as UTF-8. */
  readFile(name: string): Promise<string> {
    return readFile(path.resolve(this.workDir, name), "utf8");
  }
}

/** Registers a harness of `factory` for the enclosing `describe`. */
export function useZsHarness(factory: ZsHarnessFactory = localHarness): DescribeHarness {
  return new DescribeHarness(factory);
}

/** A secret as `get -o json` prints it: the HTTP API's shape. */
export interface WireSecret {
  id: string;
  name: string;
  scope: "workspace" | "user";
  workspace: string;
  user: string;
  keys: string[];
  version: number;
  created: string;
  updated: string;
  values: Record<string, string>;
}

/** A component as `component describe -o json` prints it: the HTTP API's shape. */
export interface WireComponent {
  id: string;
  name: string;
  type: string;
  flavor: string;
  workspace: string;
  user: string | null;
  configuration: Record<string, string>;
  created: string;
  updated: string;
}

/** A stack as `stack describe -o json` prints it. */
export interface WireStack {
  id: string;
  name: string;
  workspace: string;
  user: string | null;
  components: string[];
  created: string;
  updated: string;
}

/** A list page as `list -o json` prints it. */
export interface WirePage<T> {
  index: number;
  max_size: number;
  total_pages: number;
  total: number;
  items: T[];
}

/** A fresh secret (or workspace) name, so tests sharing a store never collide. */
export function uniqueName(prefix = "s"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Asserts a failed run: exit `code`, nothing on stdout, exactly `Error: MESSAGE` on stderr. */
export function expectError(result: ZsResult, message: string, code = 1): void {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code, stdout: "", stderr: `Error: ${message}\n` });
}

/** Asserts a usage error (exit 2) whose stderr mentions `fragment`. */
export function expectUsageError(result: ZsResult, fragment: string | RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  if (typeof fragment === "string") expect(result.stderr).toContain(fragment);
  else expect(result.stderr).toMatch(fragment);
}

/** The not-found message of model.md. */
export function notFound(nameOrId: string, workspace = "default"): string {
  return `No secret with name, id or id prefix '${nameOrId}' in workspace '${workspace}'.`;
}
