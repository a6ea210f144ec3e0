import * as z from "zod";
import { pagingFields } from "../secrets/secret-query.js";
import { secretValuesSchema } from "../secrets/secret-schema.js";

/**
 * What changed a secret (lifecycle.md "Versions and history"). `merge` is an update that set or
 * removed values (with a rename or scope change in the same call, if any); `rename` and
 * `scope_change` changed no value.
 */
export const HISTORY_ACTIONS = ["create", "merge", "replace", "rename", "scope_change", "rollback", "recover"] as const;
export const historyActionSchema = z.enum(HISTORY_ACTIONS);
export type HistoryAction = z.infer<typeof historyActionSchema>;

/** One version of a secret in its history: who made it, how, and which keys it touched. Key names only, never values. */
export const historyEntrySchema = z.object({
  /** The secret's version counter once this change was made (the one `ETag`/`If-Match` use). */
  version: z.number().int().positive(),
  /** ISO-8601 UTC with milliseconds: the secret's `updated` time of this version. */
  time: z.iso.datetime(),
  /** The user name that made the change. */
  actor: z.string(),
  action: historyActionSchema,
  /** Sorted key names this version added. */
  keysAdded: z.array(z.string()),
  /** Sorted key names this version removed. */
  keysRemoved: z.array(z.string()),
  /** Sorted key names whose values this version changed. */
  keysChanged: z.array(z.string()),
  /** On a `rollback`: the version whose values it restored. */
  restoredVersion: z.number().int().positive().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** A version number as given by a person or a URL: a whole number from 1. */
export const versionNumberSchema = z
  .number({ error: "must be a whole number from 1" })
  .int({ error: "must be a whole number from 1" })
  .min(1, { error: "must be a whole number from 1" })
  .max(Number.MAX_SAFE_INTEGER, { error: "is too large" });

/** Which page of a secret's history, newest first (model.md's pages). */
export const historyQuerySchema = z.strictObject({
  ...pagingFields,
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/** The values a secret had at one of its versions (`GET …/versions/{n}`, `zs secret get --version N`). */
export const secretVersionValuesSchema = z.object({
  /** The secret's id. */
  id: z.uuid(),
  /** The secret's current name. */
  name: z.string(),
  /** The version read. */
  version: z.number().int().positive(),
  /** The secret's current version. */
  currentVersion: z.number().int().positive(),
  /** Sorted key names of that version. */
  keys: z.array(z.string()),
  values: secretValuesSchema,
});
export type SecretVersionValues = z.infer<typeof secretVersionValuesSchema>;

/** The input of a rollback. */
export const rollbackRequestSchema = z.strictObject({
  /** The version whose values become the secret's values again (as a new version). */
  version: versionNumberSchema,
  /** When given and the stored version differs: `VERSION_MISMATCH`, nothing changes. */
  expectedVersion: z.number().int().positive().optional(),
});
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;
