import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ADMIN_PASSWORD, ServerUnderTest } from "./server-under-test.js";
import { startServerProcess, type ServerProcess } from "./server-process.js";

export interface SpawnedTestServerOptions {
  /** Variables of the process besides the data dir, admin password and log level. */
  env?: Record<string, string>;
  /** The settings of the YAML file the server is started with (`--config`): `ZS_*` names without the prefix, lower-cased. */
  config?: Record<string, string>;
  /** Prepares the config file's directory before the start, e.g. installs a store module there. */
  prepare?(configDir: string): Promise<void>;
}

/**
 * A process of the bundled `zs-server` (the jest globalSetup builds it), started with
 * `--config` in a temp directory of its own — where relative paths and custom store
 * modules resolve from, as in a deployment — and logging at debug level, so the test can
 * check everything it printed.
 */
export class SpawnedTestServer extends ServerUnderTest {
  private constructor(
    private readonly serverProcess: ServerProcess,
    private readonly configDir: string,
  ) {
    super();
  }

  static async start(options: SpawnedTestServerOptions = {}): Promise<SpawnedTestServer> {
    const configDir = await mkdtemp(path.join(os.tmpdir(), "zs-server-spawned-"));
    try {
      await options.prepare?.(configDir);
      const configFile = path.join(configDir, "zs-server.yaml");
      // JSON is YAML.
      await writeFile(configFile, JSON.stringify({ data_dir: "data", ...options.config }, null, 2));
      const serverProcess = await startServerProcess({ ZS_ADMIN_PASSWORD: ADMIN_PASSWORD, ZS_LOG_LEVEL: "debug", ...options.env }, ["--config", configFile]);
      return new SpawnedTestServer(serverProcess, configDir);
    } catch (error) {
      await rm(configDir, { recursive: true, force: true });
      throw error;
    }
  }

  get url(): string {
    return this.serverProcess.url;
  }

  get logs(): string {
    return this.serverProcess.stdout() + this.serverProcess.stderr();
  }

  /** The directory of the server's config file. */
  get directory(): string {
    return this.configDir;
  }

  async stop(): Promise<void> {
    this.serverProcess.child.kill("SIGTERM");
    await this.serverProcess.exited;
    await rm(this.configDir, { recursive: true, force: true });
  }
}
