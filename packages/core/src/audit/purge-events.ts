import type { PurgeOutcome } from "../secrets/secrets-service.js";
import { AUDIT_ACTIONS, type AuditActor, type AuditEventInput } from "./audit-event.js";

/**
 * The events of a sweep: one `secret.purge` per expired secret it purged (`ok`) or failed to
 * purge (`error`, tried again on the next sweep), with `details.reason` telling it from a
 * `--purge` somebody asked for.
 */
export function purgeEvents(outcome: PurgeOutcome, actor: AuditActor, userAgent: string | null): AuditEventInput[] {
  const event = (secret: PurgeOutcome["purged"][number], ok: boolean): AuditEventInput => ({
    actor,
    action: AUDIT_ACTIONS.secretPurge,
    target: { type: "secret", id: secret.id, name: secret.name, workspace: secret.workspace },
    outcome: ok ? "ok" : "error",
    request_id: null,
    client_ip: null,
    user_agent: userAgent,
    details: { reason: "recovery_window_ended" },
  });
  return [...outcome.purged.map((secret) => event(secret, true)), ...outcome.failed.map((secret) => event(secret, false))];
}
