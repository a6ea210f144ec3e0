import { componentCreateSchema, componentLookupSchema, componentSchema, componentUpdateSchema } from "@zs/core";
import * as z from "zod";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";

const COMPONENT_ERRORS = ["VALIDATION_ERROR", "UNAUTHENTICATED", "NOT_FOUND", "WORKSPACE_NOT_FOUND"] as const;

/**
 * Components (references.md): a component is described exactly as stored — references such
 * as `{{db.password}}` verbatim, never resolved here (resolution is `POST /references/resolve`).
 */
export function componentRoutes({ components }: ServerServices) {
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/components",
      operationId: "createComponent",
      summary: "Register a component; references in its configuration are kept verbatim",
      body: componentCreateSchema,
      bodyLabel: "component",
      responses: { 201: { description: "The new component, references verbatim", schema: componentSchema } },
      errors: ["VALIDATION_ERROR", "INVALID_REFERENCE", "UNAUTHENTICATED", "WORKSPACE_NOT_FOUND", "COMPONENT_EXISTS"],
      async handle({ caller, body }) {
        return { status: 201, body: await components.registerComponent(caller, body) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/components",
      operationId: "listComponents",
      summary: "A workspace's components by name, references verbatim",
      query: componentLookupSchema,
      queryLabel: "lookup",
      responses: { 200: { description: "The components", schema: z.array(componentSchema) } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "WORKSPACE_NOT_FOUND"],
      async handle({ caller, query }) {
        return { status: 200, body: await components.listComponents(caller, query) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/components/:name",
      operationId: "getComponent",
      summary: "A component as stored, references verbatim",
      query: componentLookupSchema,
      queryLabel: "lookup",
      responses: { 200: { description: "The component", schema: componentSchema } },
      errors: [...COMPONENT_ERRORS],
      async handle({ caller, params, query }) {
        return { status: 200, body: await components.getComponent(caller, params.name!, query) };
      },
    }),
    defineRoute({
      method: "patch",
      path: "/api/v1/components/:name",
      operationId: "updateComponent",
      summary: "Change a component's type or flavor, or merge its configuration (null removes an attribute)",
      query: componentLookupSchema,
      queryLabel: "lookup",
      body: componentUpdateSchema,
      bodyLabel: "component update",
      responses: { 200: { description: "The updated component, references verbatim", schema: componentSchema } },
      errors: [...COMPONENT_ERRORS, "INVALID_REFERENCE"],
      async handle({ caller, params, query, body }) {
        return { status: 200, body: await components.updateComponent(caller, params.name!, body, query) };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/api/v1/components/:name",
      operationId: "deleteComponent",
      summary: "Delete a component no stack holds",
      query: componentLookupSchema,
      queryLabel: "lookup",
      responses: { 204: { description: "Deleted" } },
      errors: [...COMPONENT_ERRORS, "COMPONENT_IN_USE"],
      async handle({ caller, params, query }) {
        await components.deleteComponent(caller, params.name!, query);
        return { status: 204 };
      },
    }),
  ];
}
