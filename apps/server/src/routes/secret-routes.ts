import {
  AUDIT_ACTIONS,
  ZsError,
  lookupSchema,
  secretCreateSchema,
  secretMetadataSchema,
  secretRecoverSchema,
  secretSchema,
  secretUsageSchema,
  secretUpdateSchema,
  secretValuesSchema,
  type Secret,
  type SecretMetadata,
} from "@zs/core";
import * as z from "zod";
import { noteSecret, type AuditNote } from "../audit/request-audit.js";
import { defineRoute, type RouteResult } from "../route.js";
import type { ServerServices } from "../server-services.js";
import {
  booleanParameter,
  deletedSecretWireSchema,
  listedSecretWireSchema,
  deletionToWire,
  pageToWire,
  pageWireSchema,
  secretDeletionWireSchema,
  secretListItemToWire,
  secretListQuerySchema,
  secretWarningWireSchema,
  warningsToWire,
} from "../wire.js";

export const SECRET_ERRORS = ["VALIDATION_ERROR", "UNAUTHENTICATED", "SECRET_NOT_FOUND", "SECRET_AMBIGUOUS", "WORKSPACE_NOT_FOUND", "BACKEND_UNAVAILABLE", "SECRETS_STORE_DISABLED"] as const;
const patchBodySchema = secretUpdateSchema.omit({ expectedVersion: true });
/** PATCH's query: the lookup, and whether a rename rewrites the references components hold. */
const patchQuerySchema = lookupSchema.extend({ update_references: booleanParameter.optional() });
/** DELETE's query: the lookup, and whether to purge at once instead of keeping the secret recoverable. */
const deleteQuerySchema = lookupSchema.extend({ purge: booleanParameter.optional() });
/** A secret an update returned, with the warnings of a rename that left references behind. */
const updatedSecretSchema = secretSchema.extend({ warnings: z.array(secretWarningWireSchema).optional() });
const replaceBodySchema = z.strictObject({ values: secretValuesSchema });

/** A secret with its values: never cached, tagged with its version. */
export function secretResult(status: number, secret: Secret): RouteResult {
  return { status, body: secret, headers: { ETag: `"${secret.version}"`, "Cache-Control": "no-store" } };
}

/** An update's key names: set (a string value) and removed (`null`); never the values. */
function noteUpdate(audit: AuditNote, values: Record<string, string | null> | undefined, replace = false): void {
  if (values === undefined) return;
  const entries = Object.entries(values);
  audit.details[replace ? "keys_replaced" : "keys_set"] = entries.filter(([, value]) => value !== null).map(([key]) => key).sort();
  if (!replace) audit.details.keys_removed = entries.filter(([, value]) => value === null).map(([key]) => key).sort();
}

/** What an `If-Match` header asks: any current version (`*`), or one of these versions. */
type IfMatch = { any: true } | { any: false; versions: number[] };

/** One element of an `If-Match` list (RFC 9110 entity-tag), with the list's separator. */
const ENTITY_TAG = /[\t ]*(?:(W\/)?"([\x21\x23-\x7E\x80-\xFF]*)")?[\t ]*(?:,|$)/y;
/** The opaque part of an ETag this server sends: a version. */
const VERSION_TAG = /^[1-9]\d{0,14}$/;

/**
 * Parses `If-Match` (RFC 9110 §13.1.1): `*`, or a list of entity tags compared strongly, so a
 * weak tag (`W/"3"`) never matches, and a tag that is not a version this server could send
 * (`"0"`, `"abc"`, `"03"`) never matches either; neither is an error. Only a header that is not
 * entity tags at all is `VALIDATION_ERROR`.
 */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === "*") return { any: true };
  const versions: number[] = [];
  let tags = 0;
  for (let index = 0; index < header.length; ) {
    ENTITY_TAG.lastIndex = index;
    const element = ENTITY_TAG.exec(header);
    if (!element || element[0].length === 0) {
      throw new ZsError("VALIDATION_ERROR", 'If-Match must be * or secret versions as entity tags in quotes, e.g. If-Match: "3".');
    }
    const [, weak, opaque] = element;
    if (opaque !== undefined) {
      tags++;
      if (weak === undefined && VERSION_TAG.test(opaque)) versions.push(Number(opaque));
    }
    index = ENTITY_TAG.lastIndex;
  }
  if (tags === 0) throw new ZsError("VALIDATION_ERROR", 'If-Match must be * or secret versions as entity tags in quotes, e.g. If-Match: "3".');
  return { any: false, versions };
}

/**
 * The version an update must find for `If-Match` to hold. A single version goes to the
 * service's compare-and-set; with none or several, the secret's current version is read
 * first: none can match (412), or the one that matches is then checked atomically.
 */
export async function expectedVersionFor(
  ifMatch: IfMatch | undefined,
  current: () => Promise<SecretMetadata>,
): Promise<number | undefined> {
  if (ifMatch === undefined || ifMatch.any) return undefined;
  if (ifMatch.versions.length === 1) return ifMatch.versions[0];
  const secret = await current();
  if (ifMatch.versions.includes(secret.version)) return secret.version;
  throw new ZsError(
    "VERSION_MISMATCH",
    `Secret '${secret.name}' is at version ${secret.version}, and If-Match does not name it strongly (only "${secret.version}" matches); reload it and try again.`,
    { version: secret.version },
  );
}

export function secretRoutes({ secrets }: ServerServices) {
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/secrets",
      operationId: "createSecret",
      summary: "Create a secret",
      body: secretCreateSchema,
      bodyLabel: "secret",
      responses: { 201: { description: "The new secret, with its values", schema: secretSchema, headers: ["ETag", "Cache-Control"] } },
      errors: [...SECRET_ERRORS, "SECRET_EXISTS", "SECRET_TOO_LARGE", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretCreate, target: "secret" },
      async handle({ caller, body, audit }) {
        audit.target = { name: body.name, workspace: body.workspace ?? caller.workspace };
        const secret = await secrets.createSecret(caller, body);
        noteSecret(audit, secret);
        return secretResult(201, secret);
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/secrets",
      operationId: "listSecrets",
      summary: "List secrets (never their values), filtered, sorted and paged as model.md describes",
      query: secretListQuerySchema,
      queryLabel: "list query",
      queryErrorCode: "INVALID_FILTER",
      responses: {
        200: {
          description: "One page; with deleted=true, of the deleted secrets, each with `deleted` and `purge_after`",
          schema: pageWireSchema(z.union([listedSecretWireSchema, deletedSecretWireSchema])),
        },
      },
      errors: ["INVALID_FILTER", "PAGE_OUT_OF_RANGE", "UNAUTHENTICATED", "WORKSPACE_NOT_FOUND", "SECRETS_STORE_DISABLED", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretList, target: "secret" },
      async handle({ caller, query, audit }) {
        const listed = await secrets.listSecrets(caller, query);
        audit.details = { page: listed.index, returned: listed.items.length, total: listed.total };
        const page = pageToWire(listed);
        return { status: 200, body: { ...page, items: page.items.map(secretListItemToWire) } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/secrets/:nameOrId",
      operationId: "getSecret",
      summary: "Get a secret with its values, by name (your user-scoped one first), id or id prefix",
      query: lookupSchema,
      queryLabel: "lookup",
      responses: { 200: { description: "The secret, with its values", schema: secretSchema, headers: ["ETag", "Cache-Control"] } },
      errors: [...SECRET_ERRORS, "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretRead, target: "secret", privateSecret: true },
      async handle({ caller, params, query, audit }) {
        const secret = await secrets.getSecret(caller, params.nameOrId!, query);
        noteSecret(audit, secret);
        return secretResult(200, secret);
      },
    }),
    defineRoute({
      method: "patch",
      path: "/api/v1/secrets/:nameOrId",
      operationId: "updateSecret",
      summary:
        "Rename, rescope or merge values into a secret (null removes a key); If-Match guards the version. A rename of a secret " +
        "components reference carries `warnings`, unless update_references=true rewrites those references in the same transaction",
      query: patchQuerySchema,
      queryLabel: "lookup",
      body: patchBodySchema,
      bodyLabel: "update",
      responses: { 200: { description: "The updated secret, with its values (and `warnings`, see above)", schema: updatedSecretSchema, headers: ["ETag", "Cache-Control"] } },
      errors: [...SECRET_ERRORS, "SECRET_EXISTS", "SECRET_TOO_LARGE", "VERSION_MISMATCH", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretUpdate, target: "secret", privateSecret: true },
      async handle({ caller, params, query, body, request, audit }) {
        // A new name makes it a rename (with whatever else the same request changes).
        if (body.name !== undefined) audit.action = AUDIT_ACTIONS.secretRename;
        noteUpdate(audit, body.values);
        const expectedVersion = await expectedVersionFor(parseIfMatch(request.get("If-Match")), () =>
          secrets.findSecret(caller, params.nameOrId!, query),
        );
        const update = expectedVersion === undefined ? body : { ...body, expectedVersion };
        const { update_references: updateReferences, ...lookup } = query;
        const { warnings, ...secret } = await secrets.updateSecret(caller, params.nameOrId!, update, lookup, { updateReferences });
        noteSecret(audit, secret, body.name !== undefined ? { new_name: secret.name } : {});
        const result = secretResult(200, secret);
        return warnings ? { ...result, body: { ...secret, warnings: warningsToWire(warnings) } } : result;
      },
    }),
    defineRoute({
      method: "put",
      path: "/api/v1/secrets/:nameOrId/values",
      operationId: "replaceSecretValues",
      summary: "Replace a secret's whole values map",
      query: lookupSchema,
      queryLabel: "lookup",
      body: replaceBodySchema,
      responses: { 200: { description: "The secret, with its new values", schema: secretSchema, headers: ["ETag", "Cache-Control"] } },
      errors: [...SECRET_ERRORS, "SECRET_TOO_LARGE", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretUpdate, target: "secret", privateSecret: true },
      async handle({ caller, params, query, body, audit }) {
        noteUpdate(audit, body.values, true);
        const secret = await secrets.replaceSecretValues(caller, params.nameOrId!, body.values, query);
        noteSecret(audit, secret);
        return secretResult(200, secret);
      },
    }),
    defineRoute({
      method: "delete",
      path: "/api/v1/secrets/:nameOrId",
      operationId: "deleteSecret",
      summary:
        "Delete a secret: recoverable until purge_after (ZS_RECOVERY_WINDOW_DAYS), its name free at once; purge=true (or a window of 0) " +
        "deletes it and its values at once. `warnings` list the components that reference it",
      query: deleteQuerySchema,
      queryLabel: "lookup",
      responses: { 200: { description: "What the delete did", schema: secretDeletionWireSchema } },
      errors: [...SECRET_ERRORS, "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretDelete, target: "secret", privateSecret: true },
      async handle({ caller, params, query, audit }) {
        const { purge, ...lookup } = query;
        // Which secret it was (id, keys, version), for the record; the delete looks it up again.
        noteSecret(audit, await secrets.findSecret(caller, params.nameOrId!, lookup));
        const deletion = await secrets.deleteSecret(caller, params.nameOrId!, lookup, { purge });
        if (deletion.purged) audit.action = AUDIT_ACTIONS.secretPurge;
        return { status: 200, body: deletionToWire(deletion) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/secrets/:nameOrId/recover",
      operationId: "recoverSecret",
      summary:
        "Recover a deleted secret, values and all, by id, id prefix or name (among deleted secrets), under its name or `name`; " +
        "SECRET_EXISTS when a live secret took the name meanwhile",
      query: lookupSchema,
      queryLabel: "lookup",
      body: secretRecoverSchema,
      bodyOptional: true,
      bodyLabel: "recover",
      responses: { 200: { description: "The recovered secret (no values)", schema: secretMetadataSchema } },
      errors: [...SECRET_ERRORS, "SECRET_EXISTS", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.secretRecover, target: "secret", privateSecret: true },
      async handle({ caller, params, query, body, audit }) {
        const recovered = await secrets.recoverSecret(caller, params.nameOrId!, body, query);
        noteSecret(audit, recovered);
        return { status: 200, body: recovered };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/secrets/:nameOrId/usages",
      operationId: "listSecretUsages",
      summary: "Every component attribute that references the secret, with the key and the stacks holding the component",
      query: lookupSchema,
      queryLabel: "lookup",
      responses: {
        200: {
          description: "The secret and its usages",
          schema: z.object({ id: z.uuid(), name: z.string(), usages: z.array(secretUsageSchema) }),
        },
      },
      errors: [...SECRET_ERRORS],
      async handle({ caller, params, query }) {
        const secret = await secrets.findSecret(caller, params.nameOrId!, query);
        return { status: 200, body: { id: secret.id, name: secret.name, usages: await secrets.secretUsages(caller, secret.id, query) } };
      },
    }),
  ];
}
