import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { LOG_LEVELS, VALIDATION_LEVELS, generateEncryptionKey, keyFingerprint, readConfig, xdgDataHome, type ConfigSources } from "../src/index.js";
import { thrown } from "./support/thrown.js";

const configError = (sources: ConfigSources) => thrown(() => readConfig(sources));

const DATA_DIR = path.join(os.tmpdir(), "zs-config-test-data");

describe("readConfig defaults", () => {
  it("with nothing set: the XDG data dir, sqlite under it, sql store, no backup, 127.0.0.1:8237, admin, SECRET_AND_KEY_EXISTS, info, a 7-day recovery window", () => {
    const xdg = path.join(os.tmpdir(), "zs-xdg");
    const config = readConfig({ env: { XDG_DATA_HOME: xdg }, configDir: "/etc/zs" });
    expect(config).toEqual({
      dataDir: path.join(xdg, "zs", "server"),
      databaseUrl: `sqlite:${path.join(xdg, "zs", "server", "zs.db")}`,
      encryptionKeys: undefined,
      secretsStore: { type: "sql", options: {} },
      backupStore: undefined,
      backupRepairIntervalMs: 60_000,
      historyMaxVersions: 10,
      host: "127.0.0.1",
      port: 8237,
      adminUsername: "admin",
      adminPassword: undefined,
      secretValidationLevel: "SECRET_AND_KEY_EXISTS",
      logLevel: "info",
      recoveryWindowDays: 7,
      trustProxy: false,
      configDir: "/etc/zs",
      audit: { mode: "required", flushMs: 5, file: undefined, retentionDays: 365 },
      authCache: { ttlMs: 30_000, size: 10_000 },
      metrics: { token: undefined, port: undefined },
      shutdownTimeoutMs: 10_000,
      tls: undefined,
      dashboard: { enabled: true, idleMinutes: 15 },
    });
  });

  it("the sqlite file lives under the data dir given", () => {
    const config = readConfig({ env: { ZS_DATA_DIR: DATA_DIR } });
    expect(config.dataDir).toBe(DATA_DIR);
    expect(config.databaseUrl).toBe(`sqlite:${path.join(DATA_DIR, "zs.db")}`);
  });

  it("a caller's default data dir (the CLI's ZS_HOME) is used when ZS_DATA_DIR is unset", () => {
    expect(readConfig({ env: {}, defaultDataDir: DATA_DIR }).dataDir).toBe(DATA_DIR);
    expect(readConfig({ env: { ZS_DATA_DIR: "/srv/zs" }, defaultDataDir: DATA_DIR }).dataDir).toBe("/srv/zs");
  });

  it("a relative data dir resolves from the config's directory", () => {
    expect(readConfig({ env: {}, file: { data_dir: "data" }, configDir: "/etc/zs" }).dataDir).toBe("/etc/zs/data");
  });

  it("the config dir defaults to the working directory", () => {
    expect(readConfig({ env: {}, defaultDataDir: DATA_DIR }).configDir).toBe(process.cwd());
  });

  it("xdgDataHome is $XDG_DATA_HOME, else ~/.local/share", () => {
    expect(xdgDataHome({ XDG_DATA_HOME: "/x" })).toBe("/x");
    expect(xdgDataHome({})).toBe(path.join(os.homedir(), ".local", "share"));
    expect(xdgDataHome({ XDG_DATA_HOME: "" })).toBe(path.join(os.homedir(), ".local", "share"));
  });
});

describe("readConfig sources", () => {
  it("reads every setting from the environment", () => {
    const key = generateEncryptionKey();
    const config = readConfig({
      env: {
        ZS_DATA_DIR: DATA_DIR,
        ZS_DATABASE_URL: "postgres://zs@localhost/zs",
        ZS_ENCRYPTION_KEY: key,
        ZS_SECRETS_STORE_TYPE: "aws",
        ZS_HOST: "0.0.0.0",
        ZS_PORT: "9000",
        ZS_ADMIN_USERNAME: "root",
        ZS_ADMIN_PASSWORD: "pw",
        ZS_SECRET_VALIDATION_LEVEL: "NONE",
        ZS_LOG_LEVEL: "debug",
      },
    });
    expect(config).toMatchObject({
      dataDir: DATA_DIR,
      databaseUrl: "postgres://zs@localhost/zs",
      secretsStore: { type: "aws", options: {} },
      host: "0.0.0.0",
      port: 9000,
      adminUsername: "root",
      adminPassword: "pw",
      secretValidationLevel: "NONE",
      logLevel: "debug",
    });
    expect(config.encryptionKeys).toEqual([{ id: keyFingerprint(Buffer.from(key, "base64")), key: Buffer.from(key, "base64") }]);
  });

  it("reads settings from the file, keys being the variable names without ZS_ in lower case", () => {
    const config = readConfig({
      env: {},
      file: { data_dir: DATA_DIR, port: 9100, host: "::1", secret_validation_level: "SECRET_EXISTS", secrets_store_type: "vault", secrets_store_mount_point: "kv" },
    });
    expect(config).toMatchObject({
      dataDir: DATA_DIR,
      port: 9100,
      host: "::1",
      secretValidationLevel: "SECRET_EXISTS",
      secretsStore: { type: "vault", options: { mount_point: "kv" } },
    });
  });

  it("the environment wins over the file", () => {
    const config = readConfig({
      env: { ZS_PORT: "9200", ZS_HOST: "10.0.0.1", ZS_SECRETS_STORE_REGION: "eu-west-1" },
      file: { data_dir: DATA_DIR, port: 9100, host: "::1", secrets_store_region: "us-east-1", log_level: "warn" },
    });
    expect(config.port).toBe(9200);
    expect(config.host).toBe("10.0.0.1");
    expect(config.secretsStore.options).toEqual({ region: "eu-west-1" });
    expect(config.logLevel).toBe("warn");
  });

  it("empty environment variables are ignored: the file or the default applies", () => {
    const config = readConfig({
      env: { ZS_PORT: "", ZS_HOST: "", ZS_DATA_DIR: "", ZS_ENCRYPTION_KEY: "", ZS_SECRETS_STORE_TYPE: "", ZS_SECRETS_STORE_REGION: "" },
      file: { port: 9100 },
      defaultDataDir: DATA_DIR,
    });
    expect(config.port).toBe(9100);
    expect(config.host).toBe("127.0.0.1");
    expect(config.dataDir).toBe(DATA_DIR);
    expect(config.encryptionKeys).toBeUndefined();
    expect(config.secretsStore).toEqual({ type: "sql", options: {} });
  });

  it("ZS_SECRETS_STORE_<OPTION> becomes the lower-cased option <option> of the values store", () => {
    const config = readConfig({
      env: { ZS_SECRETS_STORE_TYPE: "aws", ZS_SECRETS_STORE_REGION: "eu", ZS_SECRETS_STORE_ACCESS_KEY_ID: "AKIA" },
      defaultDataDir: DATA_DIR,
    });
    expect(config.secretsStore).toEqual({ type: "aws", options: { region: "eu", access_key_id: "AKIA" } });
  });

  it("ZS_ENCRYPTION_KEYS gives every key, the first one encrypting", () => {
    const [a, b] = [generateEncryptionKey(), generateEncryptionKey()];
    const config = readConfig({ env: { ZS_ENCRYPTION_KEYS: `new:${a},old:${b}` }, defaultDataDir: DATA_DIR });
    expect(config.encryptionKeys?.map((k) => k.id)).toEqual(["new", "old"]);
  });

  it("accepts sqlite::memory:, sqlite:PATH, postgres:// and postgresql://", () => {
    for (const url of ["sqlite::memory:", "sqlite:/tmp/zs.db", "postgres://u:p@h:5432/db", "postgresql://h/db"]) {
      expect(readConfig({ env: { ZS_DATABASE_URL: url }, defaultDataDir: DATA_DIR }).databaseUrl).toBe(url);
    }
  });

  it("environment variables not starting with ZS_ are not settings", () => {
    const config = readConfig({ env: { PORT: "1", HOST: "h", SECRETS_STORE_REGION: "x" }, defaultDataDir: DATA_DIR });
    expect(config.port).toBe(8237);
    expect(config.host).toBe("127.0.0.1");
    expect(config.secretsStore.options).toEqual({});
  });
});

describe("readConfig problems", () => {
  it("several problems at once are all listed in one CONFIGURATION_ERROR", () => {
    const error = configError({
      env: {
        ZS_PORT: "http",
        ZS_SECRET_VALIDATION_LEVEL: "STRICT",
        ZS_ENCRYPTION_KEY: "short",
        ZS_DATABASE_URL: "mysql://localhost/zs",
        ZS_LOG_LEVEL: "loud",
        ZS_ADMIN_USERNAME: "root user",
      },
      defaultDataDir: DATA_DIR,
    });
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toMatch(/^Invalid configuration:\n/);
    expect(error.message).toContain("ZS_PORT must be a port number 0-65535 (0: any free port), not 'http'");
    expect(error.message).toContain("ZS_SECRET_VALIDATION_LEVEL");
    expect(error.message).toContain("ZS_ENCRYPTION_KEY must be 32 random bytes");
    expect(error.message).toContain("ZS_DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://");
    expect(error.message).toContain("ZS_LOG_LEVEL must be one of");
    expect(error.message).toContain("ZS_ADMIN_USERNAME");
    expect(error.details?.problems).toHaveLength(6);
  });

  it("the invalid-level message names the three allowed levels", () => {
    const error = configError({ env: { ZS_SECRET_VALIDATION_LEVEL: "ALL" }, defaultDataDir: DATA_DIR });
    expect(VALIDATION_LEVELS).toEqual(["NONE", "SECRET_EXISTS", "SECRET_AND_KEY_EXISTS"]);
    for (const level of VALIDATION_LEVELS) expect(error.message).toContain(level);
    expect(error.message).toContain("'ALL'");
  });

  it("levels are case-sensitive: lower case is refused", () => {
    expect(configError({ env: { ZS_SECRET_VALIDATION_LEVEL: "none" }, defaultDataDir: DATA_DIR }).message).toContain("ZS_SECRET_VALIDATION_LEVEL");
  });

  it("ZS_RECOVERY_WINDOW_DAYS defaults to 7, takes 0 (delete at once) to 3650 days, and refuses anything else naming the setting", () => {
    expect(readConfig({ env: {}, defaultDataDir: DATA_DIR }).recoveryWindowDays).toBe(7);
    expect(readConfig({ env: { ZS_RECOVERY_WINDOW_DAYS: "0" }, defaultDataDir: DATA_DIR }).recoveryWindowDays).toBe(0);
    expect(readConfig({ env: { ZS_RECOVERY_WINDOW_DAYS: "30" }, defaultDataDir: DATA_DIR }).recoveryWindowDays).toBe(30);
    expect(readConfig({ env: {}, file: { recovery_window_days: 14 }, defaultDataDir: DATA_DIR }).recoveryWindowDays).toBe(14);
    for (const bad of ["-1", "7d", "1.5", "3651", "seven", "1e3"]) {
      const error = configError({ env: { ZS_RECOVERY_WINDOW_DAYS: bad }, defaultDataDir: DATA_DIR });
      expect(error.message).toContain(`ZS_RECOVERY_WINDOW_DAYS must be a whole number of days from 0 (delete at once) to 3650, not '${bad}'`);
    }
  });

  it("every log level is accepted", () => {
    for (const level of LOG_LEVELS) expect(readConfig({ env: { ZS_LOG_LEVEL: level }, defaultDataDir: DATA_DIR }).logLevel).toBe(level);
  });

  it.each(["65536", "-1", "80.5", "1e3", " 80"])("port '%s' is refused", (port) => {
    expect(configError({ env: { ZS_PORT: port }, defaultDataDir: DATA_DIR }).message).toContain("ZS_PORT");
  });

  it("ports 0 (any free port), 1 and 65535 are accepted", () => {
    expect(readConfig({ env: { ZS_PORT: "0" }, defaultDataDir: DATA_DIR }).port).toBe(0);
    expect(readConfig({ env: { ZS_PORT: "1" }, defaultDataDir: DATA_DIR }).port).toBe(1);
    expect(readConfig({ env: { ZS_PORT: "65535" }, defaultDataDir: DATA_DIR }).port).toBe(65535);
  });

  it.each(["sqlite:", "postgres://", "mysql://h/db", "/var/zs.db", "http://h"])("database url '%s' is refused", (url) => {
    expect(configError({ env: { ZS_DATABASE_URL: url }, defaultDataDir: DATA_DIR }).message).toContain("ZS_DATABASE_URL");
  });

  it("an unknown file setting is reported by its name", () => {
    const error = configError({ env: {}, file: { prot: 8080, host: "h" }, defaultDataDir: DATA_DIR });
    expect(error.message).toContain("config file: unknown setting 'prot'");
    expect(error.details?.problems).toHaveLength(1);
  });

  it("a file setting that is an object or a list is reported", () => {
    const error = configError({ env: {}, file: { host: { name: "h" }, port: [1] }, defaultDataDir: DATA_DIR });
    expect(error.message).toContain("'host' must be a string, number or boolean");
    expect(error.message).toContain("'port' must be a string, number or boolean");
  });

  it("both ZS_ENCRYPTION_KEY and ZS_ENCRYPTION_KEYS is refused", () => {
    const error = configError({
      env: { ZS_ENCRYPTION_KEY: generateEncryptionKey(), ZS_ENCRYPTION_KEYS: `k:${generateEncryptionKey()}` },
      defaultDataDir: DATA_DIR,
    });
    expect(error.message).toContain("not both");
  });

  it("the error never contains the encryption key, the admin password or the database password", () => {
    const key = `${generateEncryptionKey().slice(0, 40)}`;
    const error = configError({
      env: { ZS_ENCRYPTION_KEY: key, ZS_ADMIN_PASSWORD: "admin-pw-xyz", ZS_DATABASE_URL: "mysql://u:db-pw-xyz@h/db", ZS_PORT: "x" },
      defaultDataDir: DATA_DIR,
    });
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain("admin-pw-xyz");
    expect(error.message).not.toContain("db-pw-xyz");
    expect(JSON.stringify(error.details)).not.toContain("db-pw-xyz");
  });
});

describe("readConfig authentication cache settings", () => {
  it("ZS_AUTH_CACHE_TTL takes a duration or bare seconds, and 0 turns the cache off", () => {
    expect(readConfig({ env: { ZS_AUTH_CACHE_TTL: "5m", ZS_AUTH_CACHE_SIZE: "50" } }).authCache).toEqual({ ttlMs: 300_000, size: 50 });
    expect(readConfig({ env: { ZS_AUTH_CACHE_TTL: "10" } }).authCache.ttlMs).toBe(10_000);
    expect(readConfig({ env: { ZS_AUTH_CACHE_TTL: "0" } }).authCache.ttlMs).toBe(0);
  });

  it.each(["30 seconds", "-1", "2h", "1.5s", "abc"])("ZS_AUTH_CACHE_TTL=%s is a configuration error", (ttl) => {
    expect(configError({ env: { ZS_AUTH_CACHE_TTL: ttl } })).toMatchObject({ code: "CONFIGURATION_ERROR", message: expect.stringContaining("ZS_AUTH_CACHE_TTL must be") });
  });

  it.each(["0", "ten", "1e4", "-5", "100000000"])("ZS_AUTH_CACHE_SIZE=%s is a configuration error", (size) => {
    expect(configError({ env: { ZS_AUTH_CACHE_SIZE: size } })).toMatchObject({ code: "CONFIGURATION_ERROR", message: expect.stringContaining("ZS_AUTH_CACHE_SIZE must be") });
  });
});

describe("readConfig metrics settings", () => {
  const TOKEN = "0123456789abcdef0123";

  it("ZS_METRICS_TOKEN and ZS_METRICS_PORT are read from the environment or the file", () => {
    expect(readConfig({ env: { ZS_METRICS_TOKEN: TOKEN, ZS_METRICS_PORT: "9464" }, defaultDataDir: DATA_DIR }).metrics).toEqual({ token: TOKEN, port: 9464 });
    expect(readConfig({ env: {}, file: { metrics_port: 0 }, defaultDataDir: DATA_DIR }).metrics).toEqual({ token: undefined, port: 0 });
  });

  it("an unparseable or out-of-range ZS_METRICS_PORT is refused naming the setting", () => {
    for (const bad of ["metrics", "-1", "65536", "94 64", "1e3", "8080x"]) {
      const error = configError({ env: { ZS_METRICS_PORT: bad }, defaultDataDir: DATA_DIR });
      expect(error.code).toBe("CONFIGURATION_ERROR");
      expect(error.message).toContain("ZS_METRICS_PORT must be a port number 0-65535");
    }
  });

  it("ZS_METRICS_PORT equal to ZS_PORT is refused; both 0 (two free ports) is fine", () => {
    expect(configError({ env: { ZS_PORT: "8300", ZS_METRICS_PORT: "8300" }, defaultDataDir: DATA_DIR }).message).toContain("ZS_METRICS_PORT must differ from ZS_PORT");
    expect(readConfig({ env: { ZS_PORT: "0", ZS_METRICS_PORT: "0" }, defaultDataDir: DATA_DIR }).metrics.port).toBe(0);
  });

  it("a short or spaced ZS_METRICS_TOKEN is refused without quoting it", () => {
    for (const bad of ["short-token", "a token with spaces in it"]) {
      const error = configError({ env: { ZS_METRICS_TOKEN: bad }, defaultDataDir: DATA_DIR });
      expect(error.message).toContain("ZS_METRICS_TOKEN must be 16-4096 printable ASCII characters");
      expect(error.message).not.toContain(bad);
    }
  });
});

describe("readConfig backup store settings", () => {
  it("ZS_BACKUP_SECRETS_STORE_TYPE and its options make the backup store, apart from the values store's options", () => {
    const config = readConfig({
      env: {
        ZS_SECRETS_STORE_TYPE: "aws",
        ZS_SECRETS_STORE_REGION: "eu-west-1",
        ZS_BACKUP_SECRETS_STORE_TYPE: "vault",
        ZS_BACKUP_SECRETS_STORE_VAULT_ADDR: "http://127.0.0.1:8200",
      },
    });
    expect(config.secretsStore).toEqual({ type: "aws", options: { region: "eu-west-1" } });
    expect(config.backupStore).toEqual({ type: "vault", options: { vault_addr: "http://127.0.0.1:8200" } });
  });

  it("the config file takes backup settings like the environment", () => {
    const config = readConfig({ env: {}, file: { backup_secrets_store_type: "gcp", backup_secrets_store_project_id: "p1", backup_repair_interval: "5m" } });
    expect(config.backupStore).toEqual({ type: "gcp", options: { project_id: "p1" } });
    expect(config.backupRepairIntervalMs).toBe(300_000);
  });

  it.each([
    ["30s", 30_000],
    ["90", 90_000],
    ["1h", 3_600_000],
    ["24h", 86_400_000],
  ])("ZS_BACKUP_REPAIR_INTERVAL=%s is %d ms", (text, ms) => {
    expect(readConfig({ env: { ZS_BACKUP_REPAIR_INTERVAL: text } }).backupRepairIntervalMs).toBe(ms);
  });

  it.each(["0", "0s", "25h", "1d", "-5s", "soon", "1.5m"])("ZS_BACKUP_REPAIR_INTERVAL=%s is refused", (text) => {
    expect(() => readConfig({ env: { ZS_BACKUP_REPAIR_INTERVAL: text } })).toThrow(/ZS_BACKUP_REPAIR_INTERVAL must be a duration/);
  });

  it("backup options without a backup type are refused", () => {
    expect(() => readConfig({ env: { ZS_BACKUP_SECRETS_STORE_REGION: "eu-west-1" } })).toThrow(/without ZS_BACKUP_SECRETS_STORE_TYPE/);
  });

  it("ZS_HISTORY_MAX_VERSIONS defaults to 10, takes 0 (keep no earlier values) and the config file's number", () => {
    expect(readConfig({ env: {} }).historyMaxVersions).toBe(10);
    expect(readConfig({ env: { ZS_HISTORY_MAX_VERSIONS: "0" } }).historyMaxVersions).toBe(0);
    expect(readConfig({ env: {}, file: { history_max_versions: 25 } }).historyMaxVersions).toBe(25);
  });

  it.each(["-1", "ten", "1.5", "1001", "1e3"])("ZS_HISTORY_MAX_VERSIONS=%s is refused, naming the setting and what it takes", (text) => {
    expect(() => readConfig({ env: { ZS_HISTORY_MAX_VERSIONS: text } })).toThrow(
      `ZS_HISTORY_MAX_VERSIONS must be a whole number 0-1000 (0: keep no earlier values), not '${text}'`,
    );
  });

  it("ZS_SHUTDOWN_TIMEOUT takes 10s, 2m, 1h or bare seconds; the default is 10 s", () => {
    expect(readConfig({ env: {} }).shutdownTimeoutMs).toBe(10_000);
    expect(readConfig({ env: { ZS_SHUTDOWN_TIMEOUT: "2m" } }).shutdownTimeoutMs).toBe(120_000);
    expect(readConfig({ env: { ZS_SHUTDOWN_TIMEOUT: "3" } }).shutdownTimeoutMs).toBe(3000);
    expect(readConfig({ env: {}, file: { shutdown_timeout: "1h" } }).shutdownTimeoutMs).toBe(3_600_000);
  });

  it.each(["0", "0s", "soon", "1.5s", "-5", "10ms", "2h"])("ZS_SHUTDOWN_TIMEOUT=%s is refused, naming the setting", (text) => {
    expect(() => readConfig({ env: { ZS_SHUTDOWN_TIMEOUT: text } })).toThrow(/ZS_SHUTDOWN_TIMEOUT must be a duration such as 10s, 2m \(1s to 1h\)/);
  });

  it("ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE together make the TLS files, relative ones from the config's directory", () => {
    expect(readConfig({ env: {}, configDir: "/etc/zs", file: { tls_cert_file: "tls/cert.pem", tls_key_file: "/keys/key.pem" } }).tls).toEqual({
      certFile: "/etc/zs/tls/cert.pem",
      keyFile: "/keys/key.pem",
    });
  });

  it("only one of ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE is refused, naming the one that is set", () => {
    expect(() => readConfig({ env: { ZS_TLS_CERT_FILE: "/c.pem" } })).toThrow("ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE go together: ZS_TLS_CERT_FILE is set without the other");
    expect(() => readConfig({ env: { ZS_TLS_KEY_FILE: "/k.pem" } })).toThrow("ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE go together: ZS_TLS_KEY_FILE is set without the other");
  });
});
