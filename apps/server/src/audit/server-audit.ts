import { ALL_WORKSPACES, AuditLog, AuditRecorder, JsonLinesAuditSink, type AuditSettings, type AuditSink, type Caller } from "@zs/core";
import { KnexAuditLogRepository, type SqlDatabase } from "@zs/store-sql";
import type { Logger } from "pino";
import type { RequestAuditor } from "../route.js";

/** How often retention pruning runs (and once at start). */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** The server's audit log: the recorder every request goes through, reading and verifying, pruning. */
export interface ServerAudit extends RequestAuditor {
  recorder: AuditRecorder;
  log: AuditLog;
  /** Flushes what waits and stops pruning. */
  close(): Promise<void>;
}

/** Opens the audit log of `ZS_AUDIT*` over the server's database. */
export function openServerAudit(settings: AuditSettings, database: SqlDatabase, logger: Logger): ServerAudit {
  const repository = new KnexAuditLogRepository(database);
  const sinks: AuditSink[] = settings.file ? [new JsonLinesAuditSink(settings.file)] : [];
  const recorder = new AuditRecorder({
    mode: settings.mode,
    flushMs: settings.flushMs,
    chain: repository,
    sinks,
    onFailure: ({ error, events, mode, lostTotal }) =>
      // The error names the sink's problem (a path, a database error), never an event's contents.
      logger.error({ err: error, events, mode, lostTotal }, mode === "required" ? "audit log unavailable: requests refused" : "audit events lost"),
  });
  const log = new AuditLog(repository);
  const prune = async () => {
    try {
      const pruned = await log.prune(settings.retentionDays);
      if (pruned > 0) logger.info({ pruned, retentionDays: settings.retentionDays }, "audit events pruned");
    } catch (error) {
      logger.warn({ err: error }, "could not prune the audit log");
    }
  };
  const pruning = settings.mode === "off" || settings.retentionDays === 0 ? undefined : setInterval(() => void prune(), PRUNE_INTERVAL_MS);
  pruning?.unref();
  if (pruning) void prune();
  return {
    enabled: recorder.enabled,
    recorder,
    log,
    record: (event) => recorder.record(event),
    assertAvailable: () => recorder.assertAvailable(),
    isOthersPrivateSecret: (caller: Caller, nameOrId: string, workspace: string | undefined) => {
      const where = workspace ?? caller.workspace;
      return repository.othersPrivateSecretExists(caller.userId, where === ALL_WORKSPACES ? undefined : where, nameOrId);
    },
    async close() {
      if (pruning) clearInterval(pruning);
      await recorder.close();
    },
  };
}
