import { componentSchema, nameSchema } from "@zs/core";
import * as z from "zod";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";

const FORMS = ["references", "stack", "component"] as const;

/** What to resolve: exactly one of a list of texts, a stack or a component. */
export const resolveRequestSchema = z
  .strictObject({
    /**
     * References (`{{db.password}}`), or texts with references embedded (`\{{` is a literal `{{`):
     * at most 1,000 texts and 1,000 references in all (more: `LIMIT_EXCEEDED`, nothing looked up).
     */
    references: z.array(z.string()).min(1).optional(),
    /** A stack: each of its components with its configuration resolved. */
    stack: nameSchema.optional(),
    /** A component, with its configuration resolved. */
    component: nameSchema.optional(),
    /** @default the caller's active workspace */
    workspace: nameSchema.optional(),
  })
  .refine((request) => FORMS.filter((form) => request[form] !== undefined).length === 1, {
    error: "give exactly one of references, stack or component",
  });

const resolvedSchema = z.union([
  z.object({ values: z.array(z.string()).describe("The texts resolved, in the order given") }),
  z.object({ components: z.array(componentSchema).describe("The stack's components, in order, configurations resolved") }),
  z.object({ component: componentSchema.describe("The component, configuration resolved") }),
]);

/**
 * Resolution (references.md): the caller's own user-scoped secret before the workspace one,
 * each secret read once per request. Resolved values are answered, never stored or logged.
 */
export function referenceRoutes({ components }: ServerServices) {
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/references/resolve",
      summary: "Resolve references for the caller: {references: [texts]}, {stack} or {component}; at most 1,000 references",
      body: resolveRequestSchema,
      bodyLabel: "resolve request",
      responses: { 200: { description: "The resolved values (Cache-Control: no-store)", schema: resolvedSchema } },
      errors: ["VALIDATION_ERROR", "INVALID_REFERENCE", "LIMIT_EXCEEDED", "UNAUTHENTICATED", "NOT_FOUND", "SECRET_NOT_FOUND", "SECRET_KEY_NOT_FOUND", "BACKEND_UNAVAILABLE"],
      async handle({ caller, body: { references, stack, component, workspace } }) {
        const lookup = { workspace };
        const body = references
          ? { values: await components.resolveTexts(caller, references, lookup) }
          : stack
            ? { components: await components.resolveStack(caller, stack, lookup) }
            : { component: await components.resolveComponent(caller, component!, lookup) };
        return { status: 200, body, headers: { "Cache-Control": "no-store" } };
      },
    }),
  ];
}
