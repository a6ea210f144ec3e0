import { ZsError, type Caller, type MigrationReport } from "@zs/core";
import type { LocalStore } from "./local-store.js";
import type { RemoteHttp } from "./remote-http.js";

/** What `Client.migrate` asks for (stores.md, `zs secret migrate`). */
export interface MigrationOptions {
  /** The store to move the values to: `sql`, `aws`, `gcp`, `azure`, `vault` or a custom store's module. */
  to: string;
  /** That store's options, named as in `ZS_SECRETS_STORE_<OPTION>` (lowercase). */
  options?: Record<string, string>;
  resume?: boolean;
  deleteSource?: boolean;
  rewrite?: boolean;
  /** Secrets copied at once. @default 8 */
  concurrency?: number;
  onProgress?(done: number, total: number): void;
}

/** How often a remote migration's progress is asked for. */
const POLL_INTERVAL_MS = 250;

/** Runs the migration in this process, on the local store. */
export async function migrateLocally(local: LocalStore, caller: Caller, options: MigrationOptions): Promise<MigrationReport> {
  const request = {
    targetSetting: { type: options.to, options: options.options ?? {} },
    resume: options.resume,
    deleteSource: options.deleteSource,
    rewrite: options.rewrite,
  };
  await local.migrations.check(caller, request);
  const target = await local.openMigrationTarget(request.targetSetting, "--to-option ");
  let outcome;
  try {
    outcome = await local.migrations.migrate(caller, {
      ...request,
      targetSetting: target.setting,
      target: target.store,
      concurrency: options.concurrency,
      onProgress: options.onProgress,
    });
  } finally {
    // A completed migration's target is the values store now; the store's close closes it.
    if (local.service.placement.primary !== target.store) await target.store.close?.();
  }
  const status = (await local.migrations.status(caller))!;
  const { migrationId: _id, status: _status, deletedFromSource: _deleted, ...counts } = outcome;
  return { ...status, ...counts, active: false, error: null };
}

/** Starts the migration on the server, then follows it until the server's run stops. */
export async function migrateRemotely(http: RemoteHttp, options: MigrationOptions): Promise<MigrationReport> {
  const body = {
    to: options.to,
    options: options.options ?? {},
    resume: options.resume ?? false,
    delete_source: options.deleteSource ?? false,
    rewrite: options.rewrite ?? false,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  };
  let report = fromWireMigration(((await http.request("POST", "/api/v1/admin/migrations", { body })).body as WireMigrationBody).migration!);
  const migrationId = report.id;
  while (report.active) {
    options.onProgress?.(report.done, report.total);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    const current = (await remoteMigrationStatus(http))!;
    if (current.id !== migrationId) throw new ZsError("BACKEND_UNAVAILABLE", "The server no longer reports the migration it started.");
    report = current;
  }
  options.onProgress?.(report.done, report.total);
  return report;
}

export async function remoteMigrationStatus(http: RemoteHttp): Promise<MigrationReport | undefined> {
  const { migration } = (await http.request("GET", "/api/v1/admin/migrations")).body as WireMigrationBody;
  return migration ? fromWireMigration(migration) : undefined;
}

export async function abortRemoteMigration(http: RemoteHttp): Promise<MigrationReport> {
  const { migration } = (await http.request("POST", "/api/v1/admin/migrations", { body: { abort: true } })).body as WireMigrationBody;
  return fromWireMigration(migration!);
}

/** A local migration's status, with no run of this process to report. */
export async function localMigrationStatus(local: LocalStore, caller: Caller): Promise<MigrationReport | undefined> {
  const status = await local.migrations.status(caller);
  return status && { ...status, ...NO_RUN };
}

export async function abortLocalMigration(local: LocalStore, caller: Caller): Promise<MigrationReport> {
  return { ...(await local.migrations.abort(caller)), ...NO_RUN };
}

const NO_RUN = { active: false, copied: 0, verified: 0, skipped: 0, failed: 0, failures: [], error: null };

interface WireMigration {
  id: string;
  source_type: string;
  target_type: string;
  status: MigrationReport["status"];
  started: string;
  finished: string | null;
  total: number;
  done: number;
  active: boolean;
  copied: number;
  verified: number;
  skipped: number;
  failed: number;
  failures: { secret_id: string; reason: string }[];
  error: string | null;
}

interface WireMigrationBody {
  migration: WireMigration | null;
}

function fromWireMigration(wire: WireMigration): MigrationReport {
  const { source_type, target_type, failures, ...rest } = wire;
  return {
    ...rest,
    sourceType: source_type,
    targetType: target_type,
    failures: failures.map((failure) => ({ secretId: failure.secret_id, reason: failure.reason })),
  };
}
