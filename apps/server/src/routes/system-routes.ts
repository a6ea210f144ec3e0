import * as z from "zod";
import { defineRoute, type RouteDefinition } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { buildOpenApiDocument } from "../openapi.js";
import { READINESS_PARTS, type ReadinessPart } from "../ops/readiness.js";

const healthSchema = z.object({ status: z.enum(["ok", "unavailable"]), version: z.string() });

const liveSchema = z.object({ status: z.literal("ok") });

const checkStatus = z.enum(["ok", "failing"]);

const readySchema = z.object({
  status: z.enum(["ready", "starting", "draining", "degraded"]),
  version: z.string(),
  // Every part, each named as a property (a record of enum keys would be `required` names without `properties`).
  checks: z.object(Object.fromEntries(READINESS_PARTS.map((part) => [part, checkStatus])) as Record<ReadinessPart, typeof checkStatus>).optional(),
  failing: z.array(z.enum(READINESS_PARTS)).optional(),
});

const serverInfoSchema = z.object({
  version: z.string(),
  store: z.object({ type: z.string(), capabilities: z.record(z.string(), z.unknown()) }),
});

/** Health, the server's own description and the API's; only server-info needs a token. */
export function systemRoutes(services: ServerServices, allRoutes: () => RouteDefinition[]) {
  let document: Record<string, unknown> | undefined;
  return [
    defineRoute({
      method: "get",
      path: "/health",
      operationId: "getHealth",
      summary: "Whether the database and the values store answer",
      access: "public",
      responses: { 200: { description: "Healthy", schema: healthSchema }, 503: { description: "A dependency is unreachable", schema: healthSchema } },
      async handle() {
        try {
          await services.checkHealth();
          return { status: 200, body: { status: "ok", version: services.version } };
        } catch {
          return { status: 503, body: { status: "unavailable", version: services.version } };
        }
      },
    }),
    defineRoute({
      method: "get",
      path: "/health/live",
      operationId: "getLiveness",
      summary: "Liveness: 200 while the process runs (operations.md)",
      access: "public",
      responses: { 200: { description: "The process runs", schema: liveSchema } },
      async handle() {
        return { status: 200, body: { status: "ok" } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/health/ready",
      operationId: "getReadiness",
      summary: "Readiness: 200 when the database, the values store and the audit sink answer; 503 naming what fails, or while starting or draining",
      access: "public",
      responses: { 200: { description: "Ready for traffic", schema: readySchema }, 503: { description: "Starting, draining, or a part failing", schema: readySchema } },
      async handle() {
        const report = await services.readiness.report();
        return { status: report.status === "ready" ? 200 : 503, body: { ...report, version: services.version } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/server-info",
      operationId: "getServerInfo",
      summary: "The server's version and values store (type and capabilities), for `zs status`",
      responses: { 200: { description: "About this server", schema: serverInfoSchema } },
      errors: ["UNAUTHENTICATED"],
      async handle() {
        return { status: 200, body: { version: services.version, store: services.store } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/openapi.json",
      operationId: "getOpenApiDocument",
      summary: "This API's OpenAPI 3.1 document",
      access: "public",
      responses: { 200: { description: "The OpenAPI document" } },
      async handle() {
        document ??= buildOpenApiDocument(allRoutes(), services.version);
        return { status: 200, body: document };
      },
    }),
  ];
}
