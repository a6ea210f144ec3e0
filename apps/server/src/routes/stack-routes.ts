import { VALIDATION_LEVELS, componentLookupSchema, referenceValidationSchema, stackCreateSchema, stackSchema } from "@zs/core";
import * as z from "zod";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";

const STACK_ERRORS = ["VALIDATION_ERROR", "UNAUTHENTICATED", "NOT_FOUND", "WORKSPACE_NOT_FOUND"] as const;

/**
 * `level` stays a plain string here so that a wrong one gets the service's own message
 * ("Invalid validation level: … use one of …"); the document still lists the allowed values.
 */
const validationQuerySchema = componentLookupSchema.extend({
  level: z
    .string()
    .optional()
    .meta({ enum: [...VALIDATION_LEVELS], description: "How strictly to check; default the server's ZS_SECRET_VALIDATION_LEVEL" }),
});

/** Stacks and their validation (references.md); validation reads no secret value. */
export function stackRoutes({ components, secretValidationLevel }: ServerServices) {
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/stacks",
      operationId: "createStack",
      summary: "Register a stack of existing components, in order",
      body: stackCreateSchema,
      bodyLabel: "stack",
      responses: { 201: { description: "The new stack", schema: stackSchema } },
      errors: [...STACK_ERRORS, "STACK_EXISTS"],
      async handle({ caller, body }) {
        return { status: 201, body: await components.registerStack(caller, body) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/stacks",
      operationId: "listStacks",
      summary: "A workspace's stacks by name, with their components' names",
      query: componentLookupSchema,
      queryLabel: "lookup",
      responses: { 200: { description: "The stacks", schema: z.array(stackSchema) } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "WORKSPACE_NOT_FOUND"],
      async handle({ caller, query }) {
        return { status: 200, body: await components.listStacks(caller, query) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/stacks/:name",
      operationId: "getStack",
      summary: "A stack with its components' names",
      query: componentLookupSchema,
      queryLabel: "lookup",
      responses: { 200: { description: "The stack", schema: stackSchema } },
      errors: [...STACK_ERRORS],
      async handle({ caller, params, query }) {
        return { status: 200, body: await components.getStack(caller, params.name!, query) };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/api/v1/stacks/:name",
      operationId: "deleteStack",
      summary: "Delete a stack; its components stay",
      query: componentLookupSchema,
      queryLabel: "lookup",
      responses: { 204: { description: "Deleted" } },
      errors: [...STACK_ERRORS],
      async handle({ caller, params, query }) {
        await components.deleteStack(caller, params.name!, query);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/stacks/:name/validation",
      operationId: "validateStack",
      summary: "Check every reference of the stack's components at a level, listing every missing one; reads no secret value",
      query: validationQuerySchema,
      queryLabel: "lookup",
      responses: { 200: { description: "The outcome, valid or not", schema: referenceValidationSchema } },
      errors: [...STACK_ERRORS, "LIMIT_EXCEEDED"],
      async handle({ caller, params, query: { level, ...lookup } }) {
        return { status: 200, body: await components.validateStack(caller, params.name!, level ?? secretValidationLevel, lookup) };
      },
    }),
  ];
}
