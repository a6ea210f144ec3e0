import { randomUUID } from "node:crypto";
import os from "node:os";
import { AuditRecorder, JsonLinesAuditSink, isZsError, type AuditDetail, type AuditTarget, type ZsConfig } from "@zs/core";
import { KnexAuditLogRepository, type SqlDatabase } from "@zs/store-sql";

/**
 * Runs a `zs-server` command on the server's host (`rotate-key`, `migrate`) and records its
 * event, actor `via: "local"` named after the operating-system user who ran it. In
 * `required` mode a command whose event cannot be written fails with `AUDIT_UNAVAILABLE`.
 */
export async function auditedCommand<T>(
  config: ZsConfig,
  database: SqlDatabase,
  action: string,
  target: AuditTarget,
  work: () => Promise<T>,
  describe: (result: T) => Record<string, AuditDetail> = () => ({}),
): Promise<T> {
  const recorder = new AuditRecorder({
    mode: config.audit.mode,
    flushMs: 0,
    chain: new KnexAuditLogRepository(database),
    sinks: config.audit.file ? [new JsonLinesAuditSink(config.audit.file)] : [],
  });
  const event = (outcome: "ok" | "error", details: Record<string, AuditDetail>, error?: unknown) => ({
    actor: { user_id: null, user_name: operatorName(), via: "local" as const },
    action,
    target,
    outcome,
    error_code: error === undefined ? undefined : isZsError(error) ? error.code : "INTERNAL",
    request_id: randomUUID(),
    client_ip: null,
    user_agent: "zs-server",
    details,
  });
  try {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await recorder.record(event("error", {}, error)).catch(() => undefined);
      throw error;
    }
    await recorder.record(event("ok", describe(result)));
    return result;
  } finally {
    await recorder.close();
  }
}

function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "zs-server";
  }
}
