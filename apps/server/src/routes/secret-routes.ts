import {
  ZsError,
  lookupSchema,
  secretCreateSchema,
  secretMetadataSchema,
  secretSchema,
  secretUpdateSchema,
  secretValuesSchema,
  type Secret,
} from "@zs/core";
import * as z from "zod";
import { defineRoute, type RouteResult } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { pageToWire, pageWireSchema, secretListQuerySchema } from "../wire.js";

const SECRET_ERRORS = ["VALIDATION_ERROR", "UNAUTHENTICATED", "SECRET_NOT_FOUND", "SECRET_AMBIGUOUS", "WORKSPACE_NOT_FOUND", "BACKEND_UNAVAILABLE", "SECRETS_STORE_DISABLED"] as const;
const patchBodySchema = secretUpdateSchema.omit({ expectedVersion: true });
const replaceBodySchema = z.strictObject({ values: secretValuesSchema });

/** A secret with its values: never cached, tagged with its version. */
function secretResult(status: number, secret: Secret): RouteResult {
  return { status, body: secret, headers: { ETag: `"${secret.version}"`, "Cache-Control": "no-store" } };
}

/** `If-Match: "<version>"` (or `*`, meaning any) → the version the update expects. */
function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(ifMatch);
  if (!match) throw new ZsError("VALIDATION_ERROR", 'If-Match must be a secret version in quotes, e.g. If-Match: "3".');
  return Number(match[1]);
}

export function secretRoutes({ secrets }: ServerServices) {
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/secrets",
      summary: "Create a secret",
      body: secretCreateSchema,
      bodyLabel: "secret",
      responses: { 201: { description: "The new secret, with its values", schema: secretSchema } },
      errors: [...SECRET_ERRORS, "SECRET_EXISTS", "SECRET_TOO_LARGE"],
      async handle({ caller, body }) {
        return secretResult(201, await secrets.createSecret(caller, body));
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/secrets",
      summary: "List secrets (never their values), filtered, sorted and paged as model.md describes",
      query: secretListQuerySchema,
      queryLabel: "list query",
      queryErrorCode: "INVALID_FILTER",
      responses: { 200: { description: "One page", schema: pageWireSchema(secretMetadataSchema) } },
      errors: ["INVALID_FILTER", "PAGE_OUT_OF_RANGE", "UNAUTHENTICATED", "SECRETS_STORE_DISABLED"],
      async handle({ caller, query }) {
        return { status: 200, body: pageToWire(await secrets.listSecrets(caller, query)) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/secrets/:nameOrId",
      summary: "Get a secret with its values, by name (your user-scoped one first), id or id prefix",
      query: lookupSchema,
      queryLabel: "lookup",
      responses: { 200: { description: "The secret, with its values", schema: secretSchema } },
      errors: [...SECRET_ERRORS],
      async handle({ caller, params, query }) {
        return secretResult(200, await secrets.getSecret(caller, params.nameOrId!, query));
      },
    }),
    defineRoute({
      method: "patch",
      path: "/api/v1/secrets/:nameOrId",
      summary: "Rename, rescope or merge values into a secret (null removes a key); If-Match guards the version",
      query: lookupSchema,
      queryLabel: "lookup",
      body: patchBodySchema,
      bodyLabel: "update",
      responses: { 200: { description: "The updated secret, with its values", schema: secretSchema } },
      errors: [...SECRET_ERRORS, "SECRET_EXISTS", "SECRET_TOO_LARGE", "VERSION_MISMATCH"],
      async handle({ caller, params, query, body, request }) {
        const expectedVersion = expectedVersionOf(request.get("If-Match"));
        const update = expectedVersion === undefined ? body : { ...body, expectedVersion };
        return secretResult(200, await secrets.updateSecret(caller, params.nameOrId!, update, query));
      },
    }),
    defineRoute({
      method: "put",
      path: "/api/v1/secrets/:nameOrId/values",
      summary: "Replace a secret's whole values map",
      query: lookupSchema,
      queryLabel: "lookup",
      body: replaceBodySchema,
      responses: { 200: { description: "The secret, with its new values", schema: secretSchema } },
      errors: [...SECRET_ERRORS, "SECRET_TOO_LARGE"],
      async handle({ caller, params, query, body }) {
        return secretResult(200, await secrets.replaceSecretValues(caller, params.nameOrId!, body.values, query));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/api/v1/secrets/:nameOrId",
      summary: "Delete a secret and its values",
      query: lookupSchema,
      queryLabel: "lookup",
      responses: { 204: { description: "Deleted" } },
      errors: [...SECRET_ERRORS],
      async handle({ caller, params, query }) {
        await secrets.deleteSecret(caller, params.nameOrId!, query);
        return { status: 204 };
      },
    }),
  ];
}
