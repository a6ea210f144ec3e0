import { randomUUID } from "node:crypto";
import type { Request } from "express";
import { isZsError, type AuditDetail, type AuditEventInput, type AuditOutcome, type AuditTarget, type Caller, type Secret, type SecretMetadata } from "@zs/core";
import type { Authenticated } from "../auth/auth-service.js";

/**
 * What a route records (lifecycle.md "Audit log"): its action and the type of what it acts
 * on. Routes without one record only denied requests (as `http.request`).
 */
export interface RouteAudit {
  /** `secret.read`, `user.create`, … (`AUDIT_ACTIONS` of `@zs/core` for today's). */
  action: string;
  /** The target's type; its name defaults to the route's first path parameter. @default "route" */
  target?: string;
  /**
   * `SECRET_NOT_FOUND` on this route is checked against other users' private secrets: a
   * request for one is recorded as `denied` (its owner's privacy stays intact in the response).
   */
  privateSecret?: boolean;
}

/**
 * What a handler adds to its route's event: the target as found (its id, its workspace) and
 * details — key names, versions, counts, flags; never a value, password, token or API key.
 */
export interface AuditNote {
  /** A more precise action than the route's (a PATCH that renames: `secret.rename`). */
  action?: string;
  target?: Partial<AuditTarget>;
  details: Record<string, AuditDetail>;
  /** Set by the authentication step, or by login for the user it identified. */
  actor?: { userId: string | null; userName: string | null };
}

/** Fills `note` from a secret the route acted on: its id, name and workspace, key names and version. */
export function noteSecret(note: AuditNote, secret: Secret | SecretMetadata, details: Record<string, AuditDetail> = {}): void {
  note.target = { id: secret.id, name: secret.name, workspace: secret.workspace };
  note.details = { ...note.details, scope: secret.scope, keys: [...secret.keys], version: secret.version, ...details };
}

/** Free-form request fields are cut to this length before they are recorded and hashed. */
const MAX_FIELD = 512;

function clip(text: string | undefined | null): string | null {
  if (text === undefined || text === null) return null;
  return text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text;
}

/** The request id: a client's `X-Request-Id` when it is a plain token, else a new UUID. */
export function requestIdOf(request: Request): string {
  const given = request.get("X-Request-Id");
  return given && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** 401 and 403 (`CSRF_REJECTED` once the dashboard's sessions bring it). */
const DENIED_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "CSRF_REJECTED"]);

/** `denied` for 401/403 (and 404 on another user's private secret, decided by the caller), else `error`. */
export function outcomeOf(error: unknown, hiddenPrivateSecret: boolean): AuditOutcome {
  if (hiddenPrivateSecret) return "denied";
  const code: string = isZsError(error) ? error.code : "INTERNAL";
  return DENIED_CODES.has(code) ? "denied" : "error";
}

/** Everything one request's event is made from. */
export interface RequestAuditFacts {
  request: Request;
  requestId: string;
  routePath: string;
  audit: RouteAudit | undefined;
  note: AuditNote;
  caller: Caller | undefined;
  authenticated: Authenticated | undefined;
  outcome: AuditOutcome;
  error?: unknown;
}

/** The event of one request. */
export function requestEvent(facts: RequestAuditFacts): AuditEventInput {
  const { request, audit, note, caller, authenticated } = facts;
  const targetType = audit?.target ?? "route";
  const firstParam = Object.values(request.params as Record<string, string>)[0];
  const defaultName = audit ? (firstParam ?? null) : `${request.method} ${facts.routePath}`;
  const workspace = typeof request.query.workspace === "string" ? request.query.workspace : (caller?.workspace ?? null);
  const target: AuditTarget = {
    type: note.target?.type ?? targetType,
    id: note.target?.id ?? null,
    name: clip(note.target?.name ?? defaultName),
    workspace: clip(note.target?.workspace ?? (targetType === "secret" || targetType === "component" || targetType === "stack" ? workspace : null)),
  };
  const code = facts.error === undefined ? undefined : isZsError(facts.error) ? facts.error.code : "INTERNAL";
  return {
    actor: {
      user_id: caller?.userId ?? note.actor?.userId ?? null,
      user_name: clip(caller?.userName ?? note.actor?.userName ?? null),
      via: authenticated ? authenticated.kind : null,
      ...(authenticated?.kind === "api_key" ? { api_key_id: authenticated.credentialId } : {}),
    },
    action: note.action ?? audit?.action ?? "http.request",
    target,
    outcome: facts.outcome,
    error_code: code,
    request_id: facts.requestId,
    client_ip: clip(request.ip ?? request.socket.remoteAddress ?? null),
    user_agent: clip(request.get("User-Agent")),
    details: audit ? note.details : { ...note.details, method: request.method, route: facts.routePath },
  };
}
