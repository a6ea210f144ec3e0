import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { readConfig } from "@zs/core";
import { DEFAULT_LOGIN_LIMITS, type LoginThrottleLimits } from "../../src/auth/login-throttle.js";
import { createLogger } from "../../src/logger.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { request, type HttpResult, type RequestOptions } from "./http-client.js";

/** The first admin's password in tests (never a fixed default in the product: it comes from ZS_ADMIN_PASSWORD). */
export const ADMIN_PASSWORD = "admin-password-for-tests";

export interface TestServerOptions {
  /** @default a SQLite file in a temp dir */
  databaseUrl?: string;
  /** Extra `ZS_*` settings. */
  env?: Record<string, string>;
  loginLimits?: LoginThrottleLimits;
}

/**
 * A real zs server on a free port of 127.0.0.1, in this process, with its log lines
 * captured, and every credential and secret value the test handled remembered, so the test
 * can check the logs never contained any.
 */
export class TestServer {
  readonly sensitive = new Set<string>([ADMIN_PASSWORD]);
  private constructor(
    readonly running: RunningServer,
    private readonly logLines: string[],
    private readonly dataDir: string,
  ) {}

  static async start(options: TestServerOptions = {}): Promise<TestServer> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-server-test-"));
    const config = readConfig({
      env: {
        ZS_DATA_DIR: dataDir,
        ZS_PORT: "0",
        ZS_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ...(options.databaseUrl ? { ZS_DATABASE_URL: options.databaseUrl } : {}),
        ...options.env,
      },
    });
    const logLines: string[] = [];
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString("utf8"));
        done();
      },
    });
    const logger = createLogger("debug", capture);
    const running = await startServer({ config, logger, version: "test", loginLimits: options.loginLimits ?? { ...DEFAULT_LOGIN_LIMITS, perAddress: 10_000 } });
    return new TestServer(running, logLines, dataDir);
  }

  get url(): string {
    return this.running.url;
  }

  /** Everything the server logged so far. */
  get logs(): string {
    return this.logLines.join("");
  }

  /** A request; string values of `values` and `password` fields in the body are remembered as sensitive. */
  async call(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    this.remember(options.body);
    if (options.token) this.sensitive.add(options.token);
    const result = await request(this.url, method, path, options);
    this.remember(result.json);
    return result;
  }

  /** Logs in; the token. */
  async login(username: string, password: string): Promise<string> {
    const result = await this.call("POST", "/api/v1/login", { body: { username, password } });
    if (result.status !== 200) throw new Error(`login as ${username} failed: ${result.status} ${result.text}`);
    return result.json.access_token as string;
  }

  /** Creates a user (as `adminToken`) and logs them in; their token. */
  async createUser(adminToken: string, name: string, options: { isAdmin?: boolean } = {}): Promise<string> {
    const password = `password-of-${name}-${Math.random().toString(36).slice(2)}`;
    const created = await this.call("POST", "/api/v1/users", { token: adminToken, body: { name, password, is_admin: options.isAdmin ?? false } });
    if (created.status !== 201) throw new Error(`creating user ${name} failed: ${created.status} ${created.text}`);
    return this.login(name, password);
  }

  /** The sensitive strings that appear in the captured logs (should be none). */
  leakedIntoLogs(): string[] {
    const logs = this.logs;
    return [...this.sensitive].filter((value) => value.length >= 6 && logs.includes(value));
  }

  async stop(): Promise<void> {
    await this.running.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private remember(body: unknown): void {
    if (typeof body !== "object" || body === null) return;
    for (const [key, value] of Object.entries(body)) {
      if ((key === "password" || key === "access_token" || key === "key") && typeof value === "string") this.sensitive.add(value);
      else if (key === "values" && typeof value === "object" && value !== null) {
        for (const item of Object.values(value)) if (typeof item === "string") this.sensitive.add(item);
      } else if (typeof value === "object") this.remember(value);
    }
  }
}
