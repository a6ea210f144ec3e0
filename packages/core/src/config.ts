import os from "node:os";
import path from "node:path";
import { parseEncryptionKeys, type EncryptionKey } from "./encryption/encryption.js";
import { AUDIT_MODES, type AuditMode } from "./audit/audit-recorder.js";
import { ZsError } from "./errors.js";
import { DEFAULT_HISTORY_MAX_VERSIONS, MAX_HISTORY_MAX_VERSIONS } from "./history/retention.js";
import { isValidName } from "./names.js";
import { parseTrustProxy, TRUST_PROXY_FORMS, type TrustProxy } from "./trust-proxy.js";

/** How strictly references are checked before use (references.md). */
export const VALIDATION_LEVELS = ["NONE", "SECRET_EXISTS", "SECRET_AND_KEY_EXISTS"] as const;
export type ValidationLevel = (typeof VALIDATION_LEVELS)[number];

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The settings of stores.md, read once at start. */
export interface ZsConfig {
  /** Where the SQLite file and the generated key live. */
  dataDir: string;
  /** `sqlite:PATH`, `sqlite::memory:` or `postgres://…`. @default `sqlite:<dataDir>/zs.db` */
  databaseUrl: string;
  /** Explicit keys, the encrypting one first; `undefined` means the key file in `dataDir`. */
  encryptionKeys: EncryptionKey[] | undefined;
  /** The values store: a built-in type or a module specifier, and its options. */
  secretsStore: StoreSetting;
  /** A second values store every value is copied to (stores.md, "Backup store"); unset: none. */
  backupStore: StoreSetting | undefined;
  /** How often the backup repair pass runs, in ms. @default 60000 */
  backupRepairIntervalMs: number;
  /**
   * How many earlier value versions per secret stay readable (lifecycle.md); older ones are
   * pruned from the values store in the write that makes them older. 0 keeps none.
   * @default 10
   */
  historyMaxVersions: number;
  /** @default "127.0.0.1" */
  host: string;
  /** @default 8237 */
  port: number;
  /** @default "admin" */
  adminUsername: string;
  /** Unset: a password is generated and printed once. */
  adminPassword: string | undefined;
  /** @default "SECRET_AND_KEY_EXISTS" */
  secretValidationLevel: ValidationLevel;
  /** @default "info" */
  logLevel: LogLevel;
  /**
   * `ZS_RECOVERY_WINDOW_DAYS`: how long a deleted secret stays recoverable before the sweeper
   * purges it (lifecycle.md); 0 deletes at once. @default 7
   */
  recoveryWindowDays: number;
  /** Which proxies in front of the server are trusted to name the client (`X-Forwarded-For`). @default false */
  trustProxy: TrustProxy;
  /** Relative paths (custom store modules) resolve from here. */
  configDir: string;
  /** The audit log (lifecycle.md "Audit log"). */
  audit: AuditSettings;
  /** Each instance's cache of verified tokens (operations.md "Authentication cache and revocation"). */
  authCache: AuthCacheSettings;
  /** `GET /metrics` (operations.md "Metrics"). */
  metrics: MetricsSettings;
  /**
   * `ZS_SHUTDOWN_TIMEOUT`: how long in-flight requests get to finish after SIGTERM/SIGINT
   * before the server gives up and exits 1 (operations.md). @default 10000
   */
  shutdownTimeoutMs: number;
  /** `ZS_TLS_CERT_FILE` + `ZS_TLS_KEY_FILE`: the server speaks HTTPS with these PEM files; unset: plain HTTP. */
  tls: TlsFiles | undefined;
  /** The web dashboard (dashboard.md). */
  dashboard: DashboardSettings;
}

/** `ZS_DASHBOARD`, `ZS_DASHBOARD_IDLE_MINUTES`. */
export interface DashboardSettings {
  /** `ZS_DASHBOARD=false` turns it off: its routes answer 404. @default true */
  enabled: boolean;
  /** A browser session with no activity for this long locks. @default 15 */
  idleMinutes: number;
}

/** The PEM files of the server's own HTTPS listener, absolute paths; re-read on SIGHUP. */
export interface TlsFiles {
  /** The certificate chain, the server's certificate first. */
  certFile: string;
  /** Its private key. */
  keyFile: string;
}

/** `ZS_AUTH_CACHE_TTL`, `ZS_AUTH_CACHE_SIZE`. */
export interface AuthCacheSettings {
  /** How long a verified token is trusted without asking the database, in ms; 0 turns the cache off. @default 30000 */
  ttlMs: number;
  /** Most tokens kept; the least recently used one goes first. @default 10000 */
  size: number;
}

/**
 * `ZS_METRICS_TOKEN`, `ZS_METRICS_PORT`. With neither, `/metrics` is not served at all; with a
 * port, it is served there and not on the main port; with a token, only to `Bearer <token>`.
 */
export interface MetricsSettings {
  /** The bearer token a scrape must send; unset: none asked. */
  token: string | undefined;
  /** A listener of its own for `/metrics` (on `host`; 0 picks a free port); unset: the main port. */
  port: number | undefined;
}

/** `ZS_AUDIT`, `ZS_AUDIT_FLUSH_MS`, `ZS_AUDIT_FILE`, `ZS_AUDIT_RETENTION_DAYS`. */
export interface AuditSettings {
  /** @default "required" */
  mode: AuditMode;
  /** Group commit interval. @default 5 */
  flushMs: number;
  /** A JSON lines file every event is also appended to; unset: none. */
  file: string | undefined;
  /** Events older than this many days are pruned; 0 keeps them forever. @default 365 */
  retentionDays: number;
}

/** A values store as configured: a built-in type or a module specifier, and its options. */
export interface StoreSetting {
  type: string;
  options: Record<string, string>;
}

/** Where configuration comes from besides the environment. */
export interface ConfigSources {
  /** Usually `process.env`; it wins over the file. Empty variables are ignored. */
  env: Record<string, string | undefined>;
  /** A parsed config file: keys are the variable names without `ZS_`, lower-cased (`database_url`). */
  file?: Record<string, unknown>;
  /** The directory of the config file. @default the working directory */
  configDir?: string;
  /** @default the server's `<XDG data dir>/zs/server` */
  defaultDataDir?: string;
}

const SETTINGS = [
  "DATA_DIR",
  "DATABASE_URL",
  "ENCRYPTION_KEY",
  "ENCRYPTION_KEYS",
  "SECRETS_STORE_TYPE",
  "BACKUP_SECRETS_STORE_TYPE",
  "BACKUP_REPAIR_INTERVAL",
  "HISTORY_MAX_VERSIONS",
  "HOST",
  "PORT",
  "ADMIN_USERNAME",
  "ADMIN_PASSWORD",
  "SECRET_VALIDATION_LEVEL",
  "LOG_LEVEL",
  "RECOVERY_WINDOW_DAYS",
  "AUDIT",
  "AUDIT_FLUSH_MS",
  "AUDIT_FILE",
  "AUDIT_RETENTION_DAYS",
  "TRUST_PROXY",
  "SHUTDOWN_TIMEOUT",
  "TLS_CERT_FILE",
  "TLS_KEY_FILE",
  "AUTH_CACHE_TTL",
  "AUTH_CACHE_SIZE",
  "METRICS_TOKEN",
  "METRICS_PORT",
  "DASHBOARD",
  "DASHBOARD_IDLE_MINUTES",
] as const;
const STORE_OPTION_PREFIX = "SECRETS_STORE_";
const BACKUP_STORE_OPTION_PREFIX = "BACKUP_SECRETS_STORE_";
const OPTION_NAME_PATTERN = /^[A-Z0-9_]+$/;

/** `$XDG_DATA_HOME`, else `~/.local/share`. */
export function xdgDataHome(env: Record<string, string | undefined>): string {
  return env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
}

function collectSettings(sources: ConfigSources, problems: string[]): Map<string, string> {
  const settings = new Map<string, string>();
  for (const [key, value] of Object.entries(sources.file ?? {})) {
    const name = key.toUpperCase();
    const known =
      (SETTINGS as readonly string[]).includes(name) ||
      ((name.startsWith(STORE_OPTION_PREFIX) || name.startsWith(BACKUP_STORE_OPTION_PREFIX)) && OPTION_NAME_PATTERN.test(name));
    if (!known) problems.push(`config file: unknown setting '${key}'`);
    else if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      problems.push(`config file: '${key}' must be a string, number or boolean`);
    } else settings.set(name, String(value));
  }
  for (const [key, value] of Object.entries(sources.env)) {
    if (key.startsWith("ZS_") && value !== undefined && value !== "") settings.set(key.slice(3), value);
  }
  return settings;
}

function isDatabaseUrl(url: string): boolean {
  return url.startsWith("sqlite:") ? url.length > "sqlite:".length : /^postgres(ql)?:\/\/.+/.test(url);
}

/**
 * Reads the `ZS_*` settings (stores.md) from the environment over an optional config file.
 * Every problem is collected and reported in one `CONFIGURATION_ERROR`.
 */
export function readConfig(sources: ConfigSources): ZsConfig {
  const problems: string[] = [];
  const settings = collectSettings(sources, problems);
  const configDir = sources.configDir ?? process.cwd();
  const dataDir = path.resolve(
    configDir,
    settings.get("DATA_DIR") ?? sources.defaultDataDir ?? path.join(xdgDataHome(sources.env), "zs", "server"),
  );

  const databaseUrl = settings.get("DATABASE_URL") ?? `sqlite:${path.join(dataDir, "zs.db")}`;
  if (!isDatabaseUrl(databaseUrl)) problems.push("ZS_DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://…");

  const keyInput = { key: settings.get("ENCRYPTION_KEY"), keys: settings.get("ENCRYPTION_KEYS") };
  const keys = parseEncryptionKeys(keyInput, problems);

  const portText = settings.get("PORT") ?? "8237";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`ZS_PORT must be a port number 0-65535 (0: any free port), not '${portText}'`);

  const adminUsername = settings.get("ADMIN_USERNAME") ?? "admin";
  if (!isValidName(adminUsername)) problems.push("ZS_ADMIN_USERNAME must be 1-255 characters of A-Z a-z 0-9 _ -");

  const level = settings.get("SECRET_VALIDATION_LEVEL") ?? "SECRET_AND_KEY_EXISTS";
  if (!(VALIDATION_LEVELS as readonly string[]).includes(level)) {
    problems.push(`ZS_SECRET_VALIDATION_LEVEL must be one of ${VALIDATION_LEVELS.join(", ")}, not '${level}'`);
  }
  const logLevel = settings.get("LOG_LEVEL") ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`ZS_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not '${logLevel}'`);
  }

  const recoveryWindowText = settings.get("RECOVERY_WINDOW_DAYS") ?? String(DEFAULT_RECOVERY_WINDOW_DAYS);
  const recoveryWindowDays = parseRecoveryWindowDays(recoveryWindowText);
  if (recoveryWindowDays === undefined) {
    problems.push(
      `ZS_RECOVERY_WINDOW_DAYS must be a whole number of days from 0 (delete at once) to ${MAX_RECOVERY_WINDOW_DAYS}, not '${recoveryWindowText}'`,
    );
  }

  const backupType = settings.get("BACKUP_SECRETS_STORE_TYPE");
  const backupOptions = storeOptionsOf(settings, BACKUP_STORE_OPTION_PREFIX);
  if (!backupType && Object.keys(backupOptions).length > 0) {
    problems.push("ZS_BACKUP_SECRETS_STORE_<OPTION> is set without ZS_BACKUP_SECRETS_STORE_TYPE");
  }
  const backupRepairIntervalMs = parseInterval(settings.get("BACKUP_REPAIR_INTERVAL") ?? "60s");
  if (backupRepairIntervalMs === undefined) {
    problems.push("ZS_BACKUP_REPAIR_INTERVAL must be a duration such as 30s, 5m or 1h (1s to 24h), or a number of seconds");
  }

  const historyText = settings.get("HISTORY_MAX_VERSIONS") ?? String(DEFAULT_HISTORY_MAX_VERSIONS);
  const historyMaxVersions = Number(historyText);
  if (!/^\d{1,6}$/.test(historyText) || historyMaxVersions > MAX_HISTORY_MAX_VERSIONS) {
    problems.push(`ZS_HISTORY_MAX_VERSIONS must be a whole number 0-${MAX_HISTORY_MAX_VERSIONS} (0: keep no earlier values), not '${historyText}'`);
  }
  const audit = readAuditSettings(settings, configDir, problems);
  const metrics = readMetricsSettings(settings, port, problems);

  const authCache = readAuthCacheSettings(settings, problems);

  const trustProxy = parseTrustProxy(settings.get("TRUST_PROXY") ?? "false");
  if (trustProxy === undefined) problems.push(`ZS_TRUST_PROXY must be ${TRUST_PROXY_FORMS}; not '${settings.get("TRUST_PROXY")!.slice(0, 200)}'`);

  const shutdownTimeoutMs = parseInterval(settings.get("SHUTDOWN_TIMEOUT") ?? "10s", MAX_SHUTDOWN_TIMEOUT_MS);
  if (shutdownTimeoutMs === undefined) {
    problems.push(`ZS_SHUTDOWN_TIMEOUT must be a duration such as 10s, 2m (1s to 1h), or a number of seconds, not '${settings.get("SHUTDOWN_TIMEOUT")!.slice(0, 100)}'`);
  }
  const tls = readTlsFiles(settings, configDir, problems);
  const dashboard = readDashboardSettings(settings, problems);

  if (problems.length > 0) {
    throw new ZsError("CONFIGURATION_ERROR", `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`, {
      problems,
    });
  }
  return {
    dataDir,
    databaseUrl,
    encryptionKeys: keyInput.key || keyInput.keys ? keys : undefined,
    secretsStore: { type: settings.get("SECRETS_STORE_TYPE") ?? "sql", options: storeOptionsOf(settings, STORE_OPTION_PREFIX) },
    backupStore: backupType ? { type: backupType, options: backupOptions } : undefined,
    backupRepairIntervalMs: backupRepairIntervalMs ?? 0,
    historyMaxVersions,
    host: settings.get("HOST") ?? "127.0.0.1",
    port,
    adminUsername,
    adminPassword: settings.get("ADMIN_PASSWORD"),
    secretValidationLevel: level as ValidationLevel,
    logLevel: logLevel as LogLevel,
    recoveryWindowDays: recoveryWindowDays ?? DEFAULT_RECOVERY_WINDOW_DAYS,
    trustProxy: trustProxy ?? false,
    configDir,
    audit,
    authCache,
    metrics,
    shutdownTimeoutMs: shutdownTimeoutMs ?? 0,
    tls,
    dashboard,
  };
}

const MAX_DASHBOARD_IDLE_MINUTES = 24 * 60;

function readDashboardSettings(settings: Map<string, string>, problems: string[]): DashboardSettings {
  const enabledText = settings.get("DASHBOARD") ?? "true";
  if (enabledText !== "true" && enabledText !== "false") problems.push(`ZS_DASHBOARD must be true or false, not '${enabledText.slice(0, 100)}'`);
  const idleText = settings.get("DASHBOARD_IDLE_MINUTES") ?? "15";
  const idleMinutes = Number(idleText);
  if (!/^\d{1,4}$/.test(idleText) || idleMinutes < 1 || idleMinutes > MAX_DASHBOARD_IDLE_MINUTES) {
    problems.push(`ZS_DASHBOARD_IDLE_MINUTES must be a whole number of minutes, 1-${MAX_DASHBOARD_IDLE_MINUTES}, not '${idleText.slice(0, 100)}'`);
  }
  return { enabled: enabledText !== "false", idleMinutes };
}

/** Both TLS files or neither: one alone is a mistake, never a silent fallback to plain HTTP. */
function readTlsFiles(settings: Map<string, string>, configDir: string, problems: string[]): TlsFiles | undefined {
  const certFile = settings.get("TLS_CERT_FILE");
  const keyFile = settings.get("TLS_KEY_FILE");
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    problems.push(`ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE go together: ${certFile === undefined ? "ZS_TLS_KEY_FILE" : "ZS_TLS_CERT_FILE"} is set without the other`);
    return undefined;
  }
  return { certFile: path.resolve(configDir, certFile), keyFile: path.resolve(configDir, keyFile) };
}

/** The longest an authentication may be cached: revocation does not depend on it, but a bound keeps surprises small. */
const MAX_AUTH_CACHE_TTL_MS = 3_600_000;
const MAX_AUTH_CACHE_SIZE = 10_000_000;

function readAuthCacheSettings(settings: Map<string, string>, problems: string[]): AuthCacheSettings {
  const ttlText = settings.get("AUTH_CACHE_TTL") ?? "30s";
  const ttlMs = ttlText.trim() === "0" ? 0 : parseInterval(ttlText);
  if (ttlMs === undefined || ttlMs > MAX_AUTH_CACHE_TTL_MS) {
    problems.push(`ZS_AUTH_CACHE_TTL must be 0 (no cache) or a duration such as 30s, 5m or 1h (1s to 1h), or a number of seconds, not '${ttlText.slice(0, 100)}'`);
  }
  const sizeText = settings.get("AUTH_CACHE_SIZE") ?? "10000";
  const size = Number(sizeText.trim());
  if (!/^\d{1,8}$/.test(sizeText.trim()) || size < 1 || size > MAX_AUTH_CACHE_SIZE) {
    problems.push(`ZS_AUTH_CACHE_SIZE must be a whole number of tokens 1-${MAX_AUTH_CACHE_SIZE}, not '${sizeText.slice(0, 100)}'`);
  }
  return { ttlMs: ttlMs ?? 0, size };
}

/** A metrics token: 16 or more printable ASCII characters (shorter is too easily guessed; it is all that guards the endpoint). */
const METRICS_TOKEN_PATTERN = /^[\x21-\x7e]{16,4096}$/;

function readMetricsSettings(settings: Map<string, string>, mainPort: number, problems: string[]): MetricsSettings {
  const token = settings.get("METRICS_TOKEN");
  // Never quoted: it is a credential.
  if (token !== undefined && !METRICS_TOKEN_PATTERN.test(token)) {
    problems.push("ZS_METRICS_TOKEN must be 16-4096 printable ASCII characters without spaces (e.g. openssl rand -hex 32)");
  }
  const portText = settings.get("METRICS_PORT");
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port > 65535) problems.push(`ZS_METRICS_PORT must be a port number 0-65535 (0: any free port), not '${portText.slice(0, 200)}'`);
    else if (port !== 0 && port === mainPort) problems.push(`ZS_METRICS_PORT must differ from ZS_PORT (${mainPort}): /metrics is served on a listener of its own`);
  }
  return { token, port };
}

function readAuditSettings(settings: Map<string, string>, configDir: string, problems: string[]): AuditSettings {
  const mode = settings.get("AUDIT") ?? "required";
  if (!(AUDIT_MODES as readonly string[]).includes(mode)) problems.push(`ZS_AUDIT must be one of ${AUDIT_MODES.join(", ")}, not '${mode}'`);
  const flushText = settings.get("AUDIT_FLUSH_MS") ?? "5";
  if (!/^\d{1,4}$/.test(flushText) || Number(flushText) > 1000) problems.push(`ZS_AUDIT_FLUSH_MS must be a whole number of milliseconds 0-1000, not '${flushText}'`);
  const retentionText = settings.get("AUDIT_RETENTION_DAYS") ?? "365";
  if (!/^\d{1,6}$/.test(retentionText)) problems.push(`ZS_AUDIT_RETENTION_DAYS must be a whole number of days (0: keep forever), not '${retentionText}'`);
  const file = settings.get("AUDIT_FILE");
  return {
    mode: mode as AuditMode,
    flushMs: Number(flushText),
    file: file === undefined ? undefined : path.resolve(configDir, file),
    retentionDays: Number(retentionText),
  };
}

/** The `<prefix><OPTION>` settings as lower-cased option names, the prefix's `TYPE` aside. */
function storeOptionsOf(settings: Map<string, string>, prefix: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [name, value] of settings) {
    if (name.startsWith(prefix) && name !== `${prefix}TYPE`) options[name.slice(prefix.length).toLowerCase()] = value;
  }
  return options;
}

/** `ZS_RECOVERY_WINDOW_DAYS` when unset. */
export const DEFAULT_RECOVERY_WINDOW_DAYS = 7;
/** The longest recovery window: ten years keeps every date far inside what JavaScript and both databases hold. */
const MAX_RECOVERY_WINDOW_DAYS = 3650;

/** A whole number of days, 0 to the maximum; `undefined` otherwise. */
function parseRecoveryWindowDays(text: string): number | undefined {
  if (!/^\d{1,4}$/.test(text.trim())) return undefined;
  const days = Number(text.trim());
  return days <= MAX_RECOVERY_WINDOW_DAYS ? days : undefined;
}

const INTERVAL_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** The longest `ZS_SHUTDOWN_TIMEOUT`: past an hour an orchestrator has long since killed the process. */
const MAX_SHUTDOWN_TIMEOUT_MS = 3_600_000;

/** `30s`, `5m`, `1h` or bare seconds, within 1 s to `maxMs` (24 h), in ms; `undefined` otherwise. */
function parseInterval(text: string, maxMs = 86_400_000): number | undefined {
  const match = /^(\d{1,6})([smh]?)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * INTERVAL_UNITS_MS[match[2] || "s"]!;
  return ms >= 1000 && ms <= maxMs ? ms : undefined;
}
