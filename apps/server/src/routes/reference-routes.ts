import { AUDIT_ACTIONS, LIMITS, componentSchema, nameSchema, referencedKeys, type Component, type ComponentsService, type Caller } from "@zs/core";
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
    references: z.array(z.string()).min(1).meta({ maxItems: LIMITS.maxReferencesPerResolution }).optional(),
    /** A stack: each of its components with its configuration resolved. */
    stack: nameSchema.optional(),
    /** A component, with its configuration resolved. */
    component: nameSchema.optional(),
    /** @default the caller's active workspace */
    workspace: nameSchema.optional(),
  })
  .refine((request) => FORMS.filter((form) => request[form] !== undefined).length === 1, {
    error: "give exactly one of references, stack or component",
  })
  .meta({ oneOf: FORMS.map((form) => ({ required: [form] })) });

const resolvedSchema = z.union([
  z.object({ values: z.array(z.string()).describe("The texts resolved, in the order given") }),
  z.object({ components: z.array(componentSchema).describe("The stack's components, in order, configurations resolved") }),
  z.object({ component: componentSchema.describe("The component, configuration resolved") }),
]);


/** The references of a stack's or a component's configuration (the stored ones, never the resolved values). */
async function configuredReferences(components: ComponentsService, caller: Caller, request: { stack?: string; component?: string; workspace?: string }): Promise<string[]> {
  const lookup = { workspace: request.workspace };
  const members: Component[] = request.stack
    ? await Promise.all((await components.getStack(caller, request.stack, lookup)).components.map((name) => components.getComponent(caller, name, lookup)))
    : [await components.getComponent(caller, request.component!, lookup)];
  return referencedKeys(members.flatMap((member) => Object.values(member.configuration)));
}

/**
 * Resolution (references.md): the caller's own user-scoped secret before the workspace one,
 * each secret read once per request. Resolved values are answered, never stored or logged.
 */
export function referenceRoutes({ components }: ServerServices) {
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/references/resolve",
      operationId: "resolveReferences",
      summary: "Resolve references for the caller: {references: [texts]}, {stack} or {component}; at most 1,000 references",
      body: resolveRequestSchema,
      bodyLabel: "resolve request",
      responses: { 200: { description: "The resolved values", schema: resolvedSchema, headers: ["Cache-Control"] } },
      errors: ["VALIDATION_ERROR", "INVALID_REFERENCE", "LIMIT_EXCEEDED", "UNAUTHENTICATED", "NOT_FOUND", "SECRET_NOT_FOUND", "SECRET_KEY_NOT_FOUND", "BACKEND_UNAVAILABLE", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.referenceResolve, target: "references" },
      async handle({ caller, body: { references, stack, component, workspace }, audit }) {
        const lookup = { workspace };
        audit.target = { type: references ? "references" : stack ? "stack" : "component", name: stack ?? component ?? null, workspace: workspace ?? caller.workspace };
        if (references) audit.details = { references: referencedKeys(references) };
        const body = references
          ? { values: await components.resolveTexts(caller, references, lookup) }
          : stack
            ? { components: await components.resolveStack(caller, stack, lookup) }
            : { component: await components.resolveComponent(caller, component!, lookup) };
        if (!references) audit.details = { references: await configuredReferences(components, caller, { stack, component, workspace }) };
        return { status: 200, body, headers: { "Cache-Control": "no-store" } };
      },
    }),
  ];
}
