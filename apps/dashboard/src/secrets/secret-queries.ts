import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../api/api-error";
import { api, unwrap } from "../api/client";
import type { SecretListItem, SecretWithValues } from "../api/types";

/** The query key of one secret's metadata (key names, version; never values). */
export const secretMetaKey = (id: string) => ["secret-meta", id] as const;

/**
 * A secret's metadata without reading its values: the list endpoint filtered to its id
 * returns its key names but no values, so opening the page is not an audited read.
 */
export function useSecretMeta(id: string) {
  return useQuery({
    queryKey: secretMetaKey(id),
    queryFn: async (): Promise<SecretListItem> => {
      const page = await unwrap(api.GET("/api/v1/secrets", { params: { query: { id: `equals:${id}`, workspace: "*", size: "1" } } }));
      const secret = page.items[0];
      if (!secret) throw new ApiError(404, "SECRET_NOT_FOUND", `No secret with id '${id}' (it may have been deleted or renamed away from your view).`);
      return secret;
    },
  });
}

/**
 * Reads a secret's values: an audited read, done only when a person asks to reveal or copy.
 * The result goes to component state, never to the query cache.
 */
export function readSecretValues(secret: Pick<SecretListItem, "id" | "workspace">): Promise<SecretWithValues> {
  return unwrap(api.GET("/api/v1/secrets/{nameOrId}", { params: { path: { nameOrId: secret.id }, query: { workspace: secret.workspace } } }));
}

/** The `If-Match` header for a secret's version. */
export function ifMatch(version: number): { "If-Match": string } {
  return { "If-Match": `"${version}"` };
}

/** The component attributes that reference a secret (key names and references only, no values). */
export function useSecretUsages(secret: Pick<SecretListItem, "id" | "workspace">, enabled = true) {
  return useQuery({
    queryKey: ["secret-usages", secret.id],
    enabled,
    queryFn: () => unwrap(api.GET("/api/v1/secrets/{nameOrId}/usages", { params: { path: { nameOrId: secret.id }, query: { workspace: secret.workspace } } })),
  });
}
