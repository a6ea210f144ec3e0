import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { readConfig } from "@zs/core";
import { DEFAULT_LOGIN_LIMITS } from "../../src/auth/login-throttle.js";
import { createLogger } from "../../src/logger.js";
import type { ServiceOptions } from "../../src/open-services.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { ADMIN_PASSWORD, ServerUnderTest } from "./server-under-test.js";

export { ADMIN_PASSWORD };

export interface TestServerOptions extends Omit<ServiceOptions, "version"> {
  /** @default a SQLite file in a temp dir */
  databaseUrl?: string;
  /** Extra `ZS_*` settings. */
  env?: Record<string, string>;
  /** A built dashboard to serve. @default none */
  dashboardDir?: string;
}

/**
 * A real zs server on a free port of 127.0.0.1, in this process, with its log lines
 * captured, and every credential and secret value the test handled remembered, so the test
 * can check the logs never contained any.
 */
export class TestServer extends ServerUnderTest {
  private constructor(
    readonly running: RunningServer,
    private readonly logLines: string[],
    private readonly dataDir: string,
  ) {
    super();
  }

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
    const { databaseUrl: _databaseUrl, env: _env, ...serviceOptions } = options;
    const running = await startServer({
      config,
      logger,
      version: "test",
      ...serviceOptions,
      loginLimits: options.loginLimits ?? { ...DEFAULT_LOGIN_LIMITS, perAddress: 10_000 },
    });
    return new TestServer(running, logLines, dataDir);
  }

  get url(): string {
    return this.running.url;
  }

  get logs(): string {
    return this.logLines.join("");
  }

  async stop(): Promise<void> {
    await this.running.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
