import * as z from "zod";
import { LIMITS } from "../limits.js";
import { keyRuleSchema, nameSchema } from "../names.js";
import { recordWithoutProtoKey } from "../secrets/secret-schema.js";
import { textValueSchema } from "../unicode-text.js";

const LABEL_PATTERN = /^[A-Za-z0-9_.-]+$/;
const LABEL_RULE = `must be 1-${LIMITS.maxNameLength} characters of A-Z a-z 0-9 . _ -`;
const ATTRIBUTE_RULE = `must be 1-${LIMITS.maxNameLength} characters, start with a letter or '_', then letters, digits, '_', '-' or '.' (and not __proto__)`;

/**
 * A component's `type` (`experiment-tracker`) or `flavor` (`mlflow`): no spaces or braces, so
 * never a reference.
 */
export const componentLabelSchema = z
  .string()
  .max(LIMITS.maxNameLength, { error: LABEL_RULE, abort: true })
  .regex(LABEL_PATTERN, { error: LABEL_RULE });

/** An attribute of a component's configuration: the rule of a secret's keys. */
export const attributeNameSchema = keyRuleSchema((input) => `invalid attribute name '${input}': ${ATTRIBUTE_RULE}`);

/** A component's configuration: attribute → string, references such as `{{db.password}}` kept verbatim. */
export const configurationSchema = recordWithoutProtoKey(z.record(attributeNameSchema, textValueSchema));
export type Configuration = z.infer<typeof configurationSchema>;

/** A merge patch of a configuration: a string sets an attribute, `null` removes it. */
export const configurationPatchSchema = recordWithoutProtoKey(z.record(attributeNameSchema, textValueSchema.nullable()));
export type ConfigurationPatch = z.infer<typeof configurationPatchSchema>;

/** A component as stored: its configuration is never resolved here. */
export const componentSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.string(),
  flavor: z.string(),
  workspace: z.string(),
  /** Who registered it; `null` once that user is deleted (the component stays: it is the workspace's). */
  user: z.string().nullable(),
  configuration: z.record(z.string(), z.string()),
  created: z.iso.datetime(),
  updated: z.iso.datetime(),
});
export type Component = z.infer<typeof componentSchema>;

/** The input of component registration. */
export const componentCreateSchema = z.strictObject({
  name: nameSchema,
  type: componentLabelSchema,
  flavor: componentLabelSchema,
  /** @default {} */
  configuration: configurationSchema.optional(),
  /** @default the caller's active workspace */
  workspace: nameSchema.optional(),
});
export type ComponentCreate = z.infer<typeof componentCreateSchema>;

/** The input of component update: `configuration` merges (`null` removes an attribute). */
export const componentUpdateSchema = z.strictObject({
  type: componentLabelSchema.optional(),
  flavor: componentLabelSchema.optional(),
  configuration: configurationPatchSchema.optional(),
});
export type ComponentUpdate = z.infer<typeof componentUpdateSchema>;

/** Where a component or stack is looked up. */
export const componentLookupSchema = z.strictObject({
  /** @default the caller's active workspace */
  workspace: nameSchema.optional(),
});
export type ComponentLookup = z.infer<typeof componentLookupSchema>;
