import * as z from "zod";

/** How the actor was authenticated (lifecycle.md "Audit log"). */
export const AUDIT_VIAS = ["session", "api_key", "local"] as const;
export type AuditVia = (typeof AUDIT_VIAS)[number];

/** `denied`: 401/403, and 404 on another user's private secret. `error`: any other failure. */
export const AUDIT_OUTCOMES = ["ok", "denied", "error"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Who acted. `user_id`/`user_name` are `null` when nobody was authenticated (a request
 * without valid credentials); a failed login names the user name that was tried.
 */
export const auditActorSchema = z.object({
  user_id: z.string().nullable(),
  user_name: z.string().nullable(),
  via: z.enum(AUDIT_VIAS).nullable(),
  api_key_id: z.string().optional(),
});
export type AuditActor = z.infer<typeof auditActorSchema>;

/** What was acted on; fields that do not apply are `null`. */
export const auditTargetSchema = z.object({
  type: z.string(),
  id: z.string().nullable(),
  name: z.string().nullable(),
  workspace: z.string().nullable(),
});
export type AuditTarget = z.infer<typeof auditTargetSchema>;

/** A detail: key names, versions, counts, flags — never a value, password, token or API key. */
export const auditDetailSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export type AuditDetail = z.infer<typeof auditDetailSchema>;

/**
 * One audit event, exactly the shape of lifecycle.md: snake_case, because this is also the
 * form that is hashed, stored, written to the JSON lines file and served.
 */
export const auditEventSchema = z.object({
  id: z.uuid(),
  time: z.iso.datetime(),
  actor: auditActorSchema,
  action: z.string(),
  target: auditTargetSchema,
  outcome: z.enum(AUDIT_OUTCOMES),
  error_code: z.string().optional(),
  request_id: z.string().nullable(),
  client_ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  details: z.record(z.string(), auditDetailSchema),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** An event as the chain holds it: its position and the hashes that link it to the one before. */
export const chainedAuditEventSchema = auditEventSchema.extend({
  /** 1, 2, 3, … across every instance writing the chain. */
  seq: z.number().int(),
  /** The hash of the event before (the chain's anchor for the first one kept). */
  prev_hash: z.string(),
  /** SHA-256(prev_hash ‖ canonical JSON of the event), hex. */
  hash: z.string(),
});
export type ChainedAuditEvent = z.infer<typeof chainedAuditEventSchema>;

/** What the caller of `AuditRecorder.record` gives: the recorder adds `id` and `time`. */
export type AuditEventInput = Omit<AuditEvent, "id" | "time" | "error_code" | "details"> & {
  error_code?: string | undefined;
  details?: Record<string, AuditDetail>;
};

/** The actions zs records today; other parts add theirs (`secret.rollback`, …) as plain strings. */
export const AUDIT_ACTIONS = {
  login: "auth.login",
  logout: "auth.logout",
  apiKeyCreate: "api_key.create",
  apiKeyDelete: "api_key.delete",
  secretCreate: "secret.create",
  secretRead: "secret.read",
  secretList: "secret.list",
  secretUpdate: "secret.update",
  secretRename: "secret.rename",
  secretDelete: "secret.delete",
  referenceResolve: "reference.resolve",
  userCreate: "user.create",
  userDelete: "user.delete",
  userUpdate: "user.update",
  userPasswordChange: "user.password_change",
  userPasswordReset: "user.password_reset",
  workspaceCreate: "workspace.create",
  workspaceDelete: "workspace.delete",
  backup: "store.backup",
  restore: "store.restore",
  migrate: "store.migrate",
  rotateKey: "store.rotate_key",
  auditVerify: "audit.verify",
  // For the history and recovery routes (lifecycle.md), recorded the same way.
  secretHistoryRead: "secret.history_read",
  secretVersionRead: "secret.version_read",
  secretRollback: "secret.rollback",
  secretRecover: "secret.recover",
  secretPurge: "secret.purge",
  /** A denied request on a route that records nothing else. */
  request: "http.request",
} as const;
