import { z } from "zod";
import { defineRoute, type RouteDefinition } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { buildOpenApiDocument } from "../openapi.js";

const healthSchema = z.object({ status: z.enum(["ok", "unavailable"]), version: z.string() });

/** Health and the API's own description; no authentication. */
export function systemRoutes({ checkHealth, version }: ServerServices, allRoutes: () => RouteDefinition[]) {
  let document: Record<string, unknown> | undefined;
  return [
    defineRoute({
      method: "get",
      path: "/health",
      summary: "Whether the database and the values store answer",
      access: "public",
      responses: { 200: { description: "Healthy", schema: healthSchema }, 503: { description: "A dependency is unreachable", schema: healthSchema } },
      async handle() {
        try {
          await checkHealth();
          return { status: 200, body: { status: "ok", version } };
        } catch {
          return { status: 503, body: { status: "unavailable", version } };
        }
      },
    }),
    defineRoute({
      method: "get",
      path: "/openapi.json",
      summary: "This API's OpenAPI 3.1 document",
      access: "public",
      responses: { 200: { description: "The OpenAPI document" } },
      async handle() {
        document ??= buildOpenApiDocument(allRoutes(), version);
        return { status: 200, body: document };
      },
    }),
  ];
}
