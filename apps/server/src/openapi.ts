import * as z from "zod";
import type { RouteDefinition } from "./route.js";

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  return z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });
}

/** `/api/v1/secrets/:nameOrId` → `/api/v1/secrets/{nameOrId}` and its parameter names. */
function openApiPath(path: string): { path: string; parameters: string[] } {
  const parameters: string[] = [];
  const converted = path.replace(/:(\w+)/g, (_match, name: string) => {
    parameters.push(name);
    return `{${name}}`;
  });
  return { path: converted, parameters };
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const described = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(described.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: described.required?.includes(name) ?? false,
    schema: property,
  }));
}

/**
 * The OpenAPI 3.1 document of the routes, generated from the very zod schemas that validate
 * their requests (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect).
 */
export function buildOpenApiDocument(routes: RouteDefinition[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const { path, parameters } = openApiPath(route.path);
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = response.schema
        ? { description: response.description, content: { "application/json": { schema: jsonSchema(response.schema, "output") } } }
        : { description: response.description };
    }
    responses.default = {
      description: `An error: ${(route.errors ?? []).join(", ") || "see model.md"}`,
      content: { "application/json": { schema: jsonSchema(errorSchema, "output") } },
    };
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      ...(route.access === "public" ? { security: [] } : {}),
      parameters: [
        ...parameters.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
        ...queryParameters(route.query),
      ],
      ...(route.body ? { requestBody: { required: route.bodyOptional !== true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "zs server", version },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A session token from login, or an API key" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
