import type { ErrorCode } from "@zs/core";
import * as z from "zod";
import { httpStatusOf } from "./http-errors.js";
import { PATH_PARAMETERS, RESPONSE_HEADERS, type RouteDefinition } from "./route.js";

/** The JSON Schema of a zod schema, as a request (`input`) or a response (`output`) shows it. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...described } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });
  return described;
}

/** `/api/v1/secrets/:nameOrId` → `/api/v1/secrets/{nameOrId}` and its parameter names. */
function openApiPath(path: string): { path: string; parameters: (keyof typeof PATH_PARAMETERS)[] } {
  const parameters: (keyof typeof PATH_PARAMETERS)[] = [];
  const converted = path.replace(/:(\w+)/g, (_match, name: string) => {
    if (!(name in PATH_PARAMETERS)) throw new Error(`Path parameter ':${name}' of ${path} is not in PATH_PARAMETERS.`);
    parameters.push(name as keyof typeof PATH_PARAMETERS);
    return `{${name}}`;
  });
  return { path: converted, parameters };
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const described = jsonSchema(schema, "input") as { properties?: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(described.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: "query",
    required: described.required?.includes(name) ?? false,
    ...(description ? { description } : {}),
    schema: property,
  }));
}

/**
 * Every error code a route can answer: the ones it declares, and those every route of its kind
 * can (a bad token, a malformed body or query, a body over 1 MiB, an audit log that cannot be
 * written, a bug).
 */
function errorCodesOf(route: RouteDefinition): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  if (route.access !== "public") codes.add("UNAUTHENTICATED");
  // A change made with the browser session cookie but without `X-ZS-Request: 1` (dashboard.md).
  if (route.access !== "public" && route.method !== "get") codes.add("CSRF_REJECTED");
  // Every route refuses unknown query parameters; a route with a body also a malformed one.
  codes.add(route.queryErrorCode ?? "VALIDATION_ERROR");
  if (route.body) codes.add("VALIDATION_ERROR").add("REQUEST_TOO_LARGE");
  if (route.audit) codes.add("AUDIT_UNAVAILABLE");
  codes.add("INTERNAL");
  return [...codes];
}

/** The error body (http-api.md) with the codes one status can carry. */
function errorSchema(codes: ErrorCode[]) {
  return {
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: {
          code: { type: "string", enum: codes },
          message: { type: "string" },
          details: { type: "object", description: "Facts about the error, snake_case (e.g. `retry_after_seconds`, `version`)", additionalProperties: {} },
        },
        required: ["code", "message"],
        additionalProperties: false,
      },
    },
    required: ["error"],
    additionalProperties: false,
  };
}

/** Headers an error status sends besides the body. */
const ERROR_HEADERS: Partial<Record<number, Record<string, unknown>>> = {
  401: { "WWW-Authenticate": { description: 'The scheme to use: `Bearer realm="zs"`', schema: { type: "string" } } },
  429: { "Retry-After": { description: "Seconds to wait before trying again (also `details.retry_after_seconds`)", schema: { type: "integer", minimum: 0 } } },
};

/** One response per error status the route can answer, each naming its codes. */
function errorResponses(route: RouteDefinition): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: `An error: ${codes.join(", ")}`,
      ...(ERROR_HEADERS[status] ? { headers: ERROR_HEADERS[status] } : {}),
      content: { "application/json": { schema: errorSchema(codes) } },
    };
  }
  return responses;
}

function successResponse(response: RouteDefinition["responses"][number]): Record<string, unknown> {
  return {
    description: response.description,
    ...(response.headers ? { headers: Object.fromEntries(response.headers.map((name) => [name, RESPONSE_HEADERS[name]])) } : {}),
    ...(response.schema ? { content: { "application/json": { schema: jsonSchema(response.schema, "output") } } } : {}),
  };
}

/**
 * The OpenAPI 3.1 document of the routes, generated from the very zod schemas that validate
 * their requests (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect). `servers` is `/`: the
 * document is served by the server it describes, so clients resolve it against where they
 * fetched it (behind a proxy, too).
 */
export function buildOpenApiDocument(routes: RouteDefinition[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    if (operationIds.has(route.operationId)) throw new Error(`operationId '${route.operationId}' is used twice.`);
    operationIds.add(route.operationId);
    const { path, parameters } = openApiPath(route.path);
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) responses[status] = successResponse(response);
    (paths[path] ??= {})[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.access === "public" ? { security: [] } : {}),
      parameters: [
        ...parameters.map((name) => ({ name, in: "path", required: true, schema: jsonSchema(PATH_PARAMETERS[name], "input") })),
        ...queryParameters(route.query),
      ],
      ...(route.body ? { requestBody: { required: route.bodyOptional !== true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } } } : {}),
      responses: { ...responses, ...errorResponses(route) },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "zs server",
      version,
      description: "The zs secrets store's REST API. A known path asked with a method it does not take answers 405 with `Allow`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "The server that serves this document" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A session token from login, or an API key" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "zs_session",
          description: "A browser session from POST /api/v1/session; a change made with it must carry the header `X-ZS-Request: 1`",
        },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
