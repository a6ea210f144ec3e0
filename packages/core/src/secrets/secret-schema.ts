import * as z from "zod";
import { ZsError } from "../errors.js";
import { LIMITS } from "../limits.js";
import { keySchema, nameSchema } from "../names.js";
import { textValueSchema } from "../unicode-text.js";

/** Who may see a secret: everyone in its workspace, or its owner alone. */
export const scopeSchema = z.enum(["workspace", "user"], {
  error: "must be 'workspace' or 'user'",
});
export type Scope = z.infer<typeof scopeSchema>;

/** An own `__proto__` key: zod's records would drop it silently, so it is refused instead of lost. */
function hasProtoKey(input: unknown): boolean {
  return typeof input === "object" && input !== null && Object.hasOwn(input, "__proto__");
}

/**
 * `record`, refusing an own `__proto__` key first, and with `maxEntries` a map of more entries
 * than any secret can take (`SECRET_TOO_LARGE`, thrown so the parse stops there: tens of
 * thousands of keys in a 1 MiB body would hold the event loop for half a second checking them
 * one by one). A preprocess step, so the JSON Schema of the input is the record's own.
 */
export function recordWithoutProtoKey<T extends z.ZodType>(record: T, maxEntries?: number) {
  return z.preprocess((input, context) => {
    if (hasProtoKey(input)) context.addIssue({ code: "custom", message: "invalid key '__proto__': JavaScript objects cannot hold it", input });
    const entries = typeof input === "object" && input !== null ? Object.keys(input).length : 0;
    if (maxEntries !== undefined && entries > maxEntries) {
      throw new ZsError("SECRET_TOO_LARGE", `A secret holds at most ${LIMITS.maxKeys} keys; these values have ${entries}.`);
    }
    return input;
  }, record);
}

/** More entries than any values map or patch can hold: a patch may remove every key and set as many new ones. */
const MAX_ENTRIES = 2 * LIMITS.maxKeys;

/** A secret's values: key → valid Unicode string (`""` included). */
export const secretValuesSchema = recordWithoutProtoKey(z.record(keySchema, textValueSchema).meta({ maxProperties: LIMITS.maxKeys }), MAX_ENTRIES);
export type SecretValues = z.infer<typeof secretValuesSchema>;

/** A merge patch of values: a string sets a key, `null` removes it. */
export const secretValuesPatchSchema = recordWithoutProtoKey(z.record(keySchema, textValueSchema.nullable()).meta({ maxProperties: MAX_ENTRIES }), MAX_ENTRIES);
export type SecretValuesPatch = z.infer<typeof secretValuesPatchSchema>;

/** What a list shows of a secret: everything but its values. */
export const secretMetadataSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scope: scopeSchema,
  workspace: z.string(),
  user: z.string(),
  keys: z.array(z.string()),
  version: z.number().int().positive(),
  created: z.iso.datetime(),
  updated: z.iso.datetime(),
});
export type SecretMetadata = z.infer<typeof secretMetadataSchema>;

/**
 * A secret as a list shows it: its metadata and who made its current version (the history
 * entry's actor; null when no entry says, as for secrets written before history was kept).
 */
export const listedSecretSchema = secretMetadataSchema.extend({ updatedBy: z.string().nullable() });
export type ListedSecret = z.infer<typeof listedSecretSchema>;

/** A deleted secret, as a list of deleted secrets shows it (lifecycle.md "Soft delete"). */
export const deletedSecretSchema = secretMetadataSchema.extend({
  /** When it was deleted. */
  deleted: z.iso.datetime(),
  /** When the sweeper purges it, values and all. */
  purgeAfter: z.iso.datetime(),
});
export type DeletedSecret = z.infer<typeof deletedSecretSchema>;

/** The input of recover: the name to bring it back under. @default its name when deleted */
export const secretRecoverSchema = z.strictObject({ name: nameSchema.optional() });
export type SecretRecover = z.infer<typeof secretRecoverSchema>;

/** A secret with its values, as get, create and update return it. */
export const secretSchema = secretMetadataSchema.extend({ values: secretValuesSchema });
export type Secret = z.infer<typeof secretSchema>;

/** The input of create. */
export const secretCreateSchema = z.strictObject({
  name: nameSchema,
  values: secretValuesSchema,
  /** @default "workspace" */
  scope: scopeSchema.optional(),
  /** @default the caller's active workspace */
  workspace: nameSchema.optional(),
});
export type SecretCreate = z.infer<typeof secretCreateSchema>;

/** The input of update: merge semantics (model.md "Update"). */
export const secretUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  scope: scopeSchema.optional(),
  values: secretValuesPatchSchema.optional(),
  /** When given and the stored version differs: `VERSION_MISMATCH`, nothing changes. */
  expectedVersion: z.number().int().positive().optional(),
});
export type SecretUpdate = z.infer<typeof secretUpdateSchema>;

/** The workspace selector that means every workspace the caller can see. */
export const ALL_WORKSPACES = "*";

/** A workspace name, or `*` for every workspace the caller can see. */
export const workspaceSelectorSchema = z.union([z.literal(ALL_WORKSPACES), nameSchema], {
  error: "must be a workspace name (1-255 characters of A-Z a-z 0-9 _ -) or '*' for every workspace",
});

/** Narrows a name-or-id lookup (model.md "Lookup"). */
export const lookupSchema = z.strictObject({
  scope: scopeSchema.optional(),
  /**
   * Where names, ids and id prefixes are looked up; `*` searches every workspace the caller
   * can see. @default the caller's active workspace
   */
  workspace: workspaceSelectorSchema.optional(),
});
export type Lookup = z.infer<typeof lookupSchema>;
