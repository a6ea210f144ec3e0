import {
  AUDIT_ACTIONS,
  ZsError,
  historyEntrySchema,
  lookupSchema,
  secretSchema,
  secretValuesSchema,
  versionNumberSchema,
  type HistoryEntry,
  type SecretVersionValues,
} from "@zs/core";
import * as z from "zod";
import { noteSecret } from "../audit/request-audit.js";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { pageParameter, pageToWire, pageWireSchema, sizeParameter } from "../wire.js";
import { SECRET_ERRORS, expectedVersionFor, parseIfMatch, secretResult } from "./secret-routes.js";

/** A history entry on the wire (lifecycle.md): snake_case, key names only. */
export const historyEntryWireSchema = z.object({
  version: z.number().int().positive(),
  time: z.iso.datetime(),
  actor: z.string(),
  action: historyEntrySchema.shape.action,
  keys_added: z.array(z.string()),
  keys_removed: z.array(z.string()),
  keys_changed: z.array(z.string()),
  restored_version: z.number().int().positive().optional(),
});

function historyEntryToWire(entry: HistoryEntry): z.infer<typeof historyEntryWireSchema> {
  return {
    version: entry.version,
    time: entry.time,
    actor: entry.actor,
    action: entry.action,
    keys_added: entry.keysAdded,
    keys_removed: entry.keysRemoved,
    keys_changed: entry.keysChanged,
    ...(entry.restoredVersion !== undefined ? { restored_version: entry.restoredVersion } : {}),
  };
}

/** The values of one version on the wire. */
export const secretVersionWireSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.number().int().positive(),
  current_version: z.number().int().positive(),
  keys: z.array(z.string()),
  values: secretValuesSchema,
});

function secretVersionToWire(version: SecretVersionValues): z.infer<typeof secretVersionWireSchema> {
  return { id: version.id, name: version.name, version: version.version, current_version: version.currentVersion, keys: version.keys, values: version.values };
}

/** `?page=&size=` with the lookup's `workspace` and `scope`. */
const historyQuerySchema = lookupSchema.extend({ page: pageParameter.optional(), size: sizeParameter.optional() });

const rollbackBodySchema = z.strictObject({ version: versionNumberSchema });

/** `{version}` of a path: a whole number from 1, or `VALIDATION_ERROR` saying so. */
function versionParameter(text: string): number {
  if (!/^[1-9]\d{0,14}$/.test(text)) throw new ZsError("VALIDATION_ERROR", "Invalid version: must be a whole number from 1.");
  return Number(text);
}

const HISTORY_ERRORS = [...SECRET_ERRORS, "NOT_FOUND", "HISTORY_UNAVAILABLE"] as const;

/** Versions, history and rollback of a secret (lifecycle.md "Versions and history"). */
export function historyRoutes({ secrets }: ServerServices) {
  return [
    defineRoute({
      method: "get",
      path: "/api/v1/secrets/:nameOrId/versions",
      operationId: "listSecretVersions",
      summary: "A secret's history, newest first: who changed it, how, and which keys (never a value)",
      query: historyQuerySchema,
      queryLabel: "history query",
      responses: { 200: { description: "One page of history entries", schema: pageWireSchema(historyEntryWireSchema) } },
      errors: [...SECRET_ERRORS, "PAGE_OUT_OF_RANGE", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretHistoryRead, target: "secret", privateSecret: true },
      async handle({ caller, params, query, audit }) {
        const { page, size, ...lookup } = query;
        const history = await secrets.listSecretHistory(caller, params.nameOrId!, { page, size }, lookup);
        audit.details = { page: history.index, returned: history.items.length };
        return { status: 200, body: pageToWire({ ...history, items: history.items.map(historyEntryToWire) }) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/secrets/:nameOrId/versions/:version",
      operationId: "getSecretVersion",
      summary: "The values a secret had at one of its versions",
      query: lookupSchema,
      queryLabel: "lookup",
      responses: { 200: { description: "That version's values", schema: secretVersionWireSchema, headers: ["Cache-Control"] } },
      errors: [...HISTORY_ERRORS, "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretVersionRead, target: "secret", privateSecret: true },
      async handle({ caller, params, query, audit }) {
        const version = await secrets.getSecretVersion(caller, params.nameOrId!, versionParameter(params.version!), query);
        audit.target = { id: version.id, name: version.name };
        audit.details = { version: version.version, current_version: version.currentVersion, keys: version.keys };
        return { status: 200, body: secretVersionToWire(version), headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/secrets/:nameOrId/rollback",
      operationId: "rollbackSecret",
      summary: "Write the values of an earlier version as a new version (name and scope unchanged); If-Match guards the version",
      query: lookupSchema,
      queryLabel: "lookup",
      body: rollbackBodySchema,
      bodyLabel: "rollback",
      responses: { 200: { description: "The secret at its new version, with the restored values", schema: secretSchema, headers: ["ETag", "Cache-Control"] } },
      errors: [...HISTORY_ERRORS, "VERSION_MISMATCH", "SECRET_TOO_LARGE", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretRollback, target: "secret", privateSecret: true },
      async handle({ caller, params, query, body, request, audit }) {
        const expectedVersion = await expectedVersionFor(parseIfMatch(request.get("If-Match")), () => secrets.findSecret(caller, params.nameOrId!, query));
        const rollback = expectedVersion === undefined ? body : { ...body, expectedVersion };
        const secret = await secrets.rollbackSecret(caller, params.nameOrId!, rollback, query);
        noteSecret(audit, secret, { restored_version: body.version });
        return secretResult(200, secret);
      },
    }),
  ];
}
