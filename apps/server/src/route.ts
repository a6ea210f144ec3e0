import type { Request, RequestHandler, Response, Router } from "express";
import { LIMITS, ZsError, isZsError, nameSchema, parseInput, type AuditEventInput, type Caller, type ErrorCode } from "@zs/core";
import * as z from "zod";
import { outcomeOf, requestEvent, requestIdOf, type AuditNote, type RouteAudit } from "./audit/request-audit.js";
import type { Authenticated } from "./auth/auth-service.js";

/** Routes without query parameters refuse any. */
const EMPTY_QUERY = z.strictObject({});

/**
 * The path parameters routes use, by name: what each must be, as the service that reads it
 * checks it (for the OpenAPI document; the services validate them and word the errors).
 */
export const PATH_PARAMETERS = {
  /** A secret: its name, its id, or an id prefix of at least 8 hex characters (model.md "Lookup"). */
  nameOrId: z.string().min(1).max(LIMITS.maxNameLength).regex(/^[A-Za-z0-9_-]+$/).describe("A secret's name, id, or id prefix of at least 8 hex characters"),
  /** A user, workspace, component or stack name. */
  name: nameSchema,
  /** An API key's id. */
  id: z.uuid(),
  /** A secret's version. */
  version: z.string().regex(/^[1-9]\d{0,14}$/).describe("A version of the secret, from 1"),
} satisfies Record<string, z.ZodType>;

/** Headers success responses send, as the OpenAPI document declares them. */
export const RESPONSE_HEADERS = {
  ETag: { description: 'The secret\'s version as a strong entity tag, `"3"`: send it back in `If-Match`', schema: { type: "string", pattern: '^"[1-9][0-9]*"$' } },
  "Cache-Control": { description: "`no-store`: the response carries secret values or credentials", schema: { type: "string", const: "no-store" } },
  "Set-Cookie": { description: "The browser session cookie `zs_session` (HttpOnly, SameSite=Strict, Path=/; Secure over HTTPS), or its removal", schema: { type: "string" } },
} as const;

/** What a handler gets: the validated body and query, the path parameters, and who asks. */
export interface RouteContext<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
  /** Unset on public routes. */
  caller: Caller;
  authenticated: Authenticated;
  request: Request;
  /** What the handler adds to the route's audit event (target found, key names, versions). */
  audit: AuditNote;
}

/** What a handler answers: a status, an optional JSON body, extra headers. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One route of http-api.md: the schemas that validate its input are the ones the OpenAPI
 * document describes, so the two cannot drift apart.
 */
export interface RouteDefinition<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: "get" | "post" | "patch" | "put" | "delete";
  /** An express path, e.g. `/api/v1/secrets/:nameOrId`; each parameter is one of `PATH_PARAMETERS`. */
  path: string;
  /** The OpenAPI `operationId`: stable, camelCase (`getSecret`); generated clients name their methods after it. */
  operationId: string;
  summary: string;
  /** `public` routes need no bearer token. @default "user" */
  access?: "public" | "user";
  body?: B;
  /** A request without a body (no Content-Type, no length) gets `{}` instead of `VALIDATION_ERROR`. @default false */
  bodyOptional?: boolean;
  /** How errors name the body, as the service would: `Invalid secret: …`. @default "request body" */
  bodyLabel?: string;
  query?: Q;
  /** How errors name the query. @default "query" */
  queryLabel?: string;
  /** The error code a query that fails its schema gets. @default "VALIDATION_ERROR" */
  queryErrorCode?: ErrorCode;
  /** Success responses, for the OpenAPI document, with the headers each sends (`RESPONSE_HEADERS`). */
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: (keyof typeof RESPONSE_HEADERS)[] }>;
  /** Error codes the route can answer with, for the OpenAPI document. */
  errors?: ErrorCode[];
  /** The audit event each request records; without it only denied requests are recorded. */
  audit?: RouteAudit;
  handle(context: RouteContext<z.output<B>, z.output<Q>>): Promise<RouteResult>;
}

/** Keeps each route's schemas and handler types together. */
export function defineRoute<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType>(
  route: RouteDefinition<B, Q>,
): RouteDefinition {
  return route as unknown as RouteDefinition;
}

/** What the authentication middleware leaves on a request. */
export interface AuthenticatedLocals {
  authenticated?: Authenticated;
  caller?: Caller;
}

/**
 * What `mountRoute` leaves on a response for metrics: the route's audit action (`secret.read`,
 * or the handler's more precise one, `secret.rename`), a name, never a value.
 */
export interface OperationLocals {
  operation?: string;
}

/** Establishes who sends a request, from its bearer token; throws `UNAUTHENTICATED`. */
export type Authenticator = (request: Request) => Promise<Required<AuthenticatedLocals>>;

/**
 * Records requests' audit events. In `required` mode `record` resolves once the event is
 * committed and rejects with `AUDIT_UNAVAILABLE` otherwise, so a response is sent only after
 * its event is stored.
 */
export interface RequestAuditor {
  /** False with `ZS_AUDIT=off`: nothing is built or recorded. */
  readonly enabled: boolean;
  record(event: AuditEventInput): Promise<void>;
  /** Throws `AUDIT_UNAVAILABLE` while the log is known to be failing (`required` mode), before any work. */
  assertAvailable(): void;
  /** Whether `nameOrId` names a user-scoped secret of another user (a 404 that is really a denial). */
  isOthersPrivateSecret(caller: Caller, nameOrId: string, workspace: string | undefined): Promise<boolean>;
}

/**
 * Registers `route` on `router`: authenticate, then read a JSON body (`parseJson`, only on
 * routes that take one), validate the input, run the handler, record its audit event, send
 * its result.
 */
export function mountRoute(
  router: Pick<Router, RouteDefinition["method"]>,
  route: RouteDefinition,
  authenticate: Authenticator,
  parseJson: RequestHandler,
  auditor: RequestAuditor,
): void {
  const isPublic = route.access === "public";
  // An anonymous client learns nothing back from what it sent: no unknown field is named to it.
  const describe = { quoteInput: !isPublic };
  router[route.method](route.path, async (request: Request, response: Response) => {
    const requestId = requestIdOf(request);
    response.setHeader("X-Request-Id", requestId);
    const note: AuditNote = { details: {} };
    const locals = response.locals as AuthenticatedLocals & OperationLocals;
    if (route.audit) locals.operation = route.audit.action;
    const audited = (outcome: ReturnType<typeof outcomeOf>, error?: unknown) =>
      requestEvent({ request, requestId, routePath: route.path, audit: route.audit, note, caller: locals.caller, authenticated: locals.authenticated, outcome, error });
    let result: RouteResult;
    // An action whose event could not be written is refused before it is carried out.
    if (route.audit && auditor.enabled) auditor.assertAvailable();
    try {
      // Authentication comes first: an unauthenticated client's body is never read or parsed (security.md "Input").
      if (!isPublic) Object.assign(response.locals, await authenticate(request));
      if (route.body) await readBody(parseJson, request, response);
      const sent = route.bodyOptional && isEmptyRequest(request) ? {} : route.body ? requireJsonBody(request) : undefined;
      const body = route.body ? parseInput(route.body, sent, route.bodyLabel ?? "request body", "VALIDATION_ERROR", describe) : undefined;
      const query = parseInput(route.query ?? EMPTY_QUERY, request.query, route.queryLabel ?? "query", route.queryErrorCode, describe);
      result = await route.handle({
        body,
        query,
        params: request.params as Record<string, string>,
        caller: locals.caller!,
        authenticated: locals.authenticated!,
        request,
        audit: note,
      });
    } catch (error) {
      if (note.action) locals.operation = note.action;
      if (auditor.enabled) {
        const hidden = await isHiddenPrivateSecret(auditor, route, request, locals.caller, error);
        const outcome = outcomeOf(error, hidden);
        // Failed actions are recorded as such; on other routes only denials are.
        if (route.audit || outcome === "denied") await auditor.record(audited(outcome, error));
      }
      throw error;
    }
    if (note.action) locals.operation = note.action;
    if (route.audit && auditor.enabled) await auditor.record(audited("ok"));
    sendResult(response, result);
  });
}

/** Sends a handler's result: its headers, its status, its body as JSON. */
export function sendResult(response: Response, result: RouteResult): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
  response.statusCode = result.status;
  if (result.body === undefined) {
    response.end();
  } else {
    // What express's `json()` ends with, minus its content negotiation and freshness checks, which no route uses.
    response.setHeader("Content-Type", "application/json; charset=utf-8");
    response.end(JSON.stringify(result.body));
  }
}

/** A `SECRET_NOT_FOUND` for a secret that exists, private to another user: recorded as denied. */
async function isHiddenPrivateSecret(auditor: RequestAuditor, route: RouteDefinition, request: Request, caller: Caller | undefined, error: unknown): Promise<boolean> {
  if (!route.audit?.privateSecret || !caller || !isZsError(error) || error.code !== "SECRET_NOT_FOUND") return false;
  const nameOrId = Object.values(request.params as Record<string, string>)[0];
  if (nameOrId === undefined) return false;
  const workspace = typeof request.query.workspace === "string" ? request.query.workspace : undefined;
  return auditor.isOthersPrivateSecret(caller, nameOrId, workspace).catch(() => false);
}

/** Runs the body parser as a step of the handler, so it runs only once the caller is known. */
function readBody(parseJson: RequestHandler, request: Request, response: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void parseJson(request, response, (error?: unknown) => (error ? reject(error as Error) : resolve()));
  });
}

/** No body at all: neither a Content-Type nor any length (`curl -X POST` without `-d`). */
function isEmptyRequest(request: Request): boolean {
  const length = request.headers["content-length"];
  return request.headers["content-type"] === undefined && request.headers["transfer-encoding"] === undefined && (length === undefined || length === "0");
}

function requireJsonBody(request: Request): unknown {
  if (!request.is("application/json")) {
    throw new ZsError("VALIDATION_ERROR", "The request body must be JSON with Content-Type: application/json.");
  }
  return request.body;
}
