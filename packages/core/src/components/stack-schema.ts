import * as z from "zod";
import { nameSchema } from "../names.js";

/** A stack: a named, ordered set of components of one workspace. */
export const stackSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  workspace: z.string(),
  /** Who registered it; `null` once that user is deleted. */
  user: z.string().nullable(),
  /** The components' names, in the order given at registration. */
  components: z.array(z.string()),
  created: z.iso.datetime(),
  updated: z.iso.datetime(),
});
export type Stack = z.infer<typeof stackSchema>;

/** The input of stack registration: at least one component, each named once. */
export const stackCreateSchema = z.strictObject({
  name: nameSchema,
  components: z
    .array(nameSchema)
    .min(1, { error: "a stack needs at least one component" })
    .superRefine((names, context) => {
      const seen = new Set<string>();
      for (const name of names) {
        if (seen.has(name)) context.addIssue({ code: "custom", message: `component '${name}' is listed more than once` });
        seen.add(name);
      }
    })
    .meta({ uniqueItems: true }),
  /** @default the caller's active workspace */
  workspace: nameSchema.optional(),
});
export type StackCreate = z.infer<typeof stackCreateSchema>;
