import type { SecretValues } from "@zs/core";

/** The field naming the zs deployment that wrote a file. */
export const DEPLOYMENT_FIELD = "zs-deployment";

/** What one file holds: the owning deployment, the secret id (for people reading the directory) and the values. */
export interface StoredSecret {
  [DEPLOYMENT_FIELD]: string;
  "secret-id": string;
  values: SecretValues;
}

/** The file's text for a values map. */
export function encodeStoredSecret(deploymentId: string, secretId: string, values: SecretValues): string {
  const document: StoredSecret = { [DEPLOYMENT_FIELD]: deploymentId, "secret-id": secretId, values };
  return `${JSON.stringify(document)}\n`;
}

/**
 * The deployment a file belongs to, and its values when they are well-formed: `undefined`
 * for a file that is not a zs document at all (not JSON, or no deployment field).
 */
export function decodeStoredSecret(text: string): { deploymentId: string; values: SecretValues | undefined } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const document = parsed as Record<string, unknown>;
  const deploymentId = document[DEPLOYMENT_FIELD];
  if (typeof deploymentId !== "string") return undefined;
  const values = document.values;
  const wellFormed =
    typeof values === "object" && values !== null && !Array.isArray(values) && Object.values(values).every((v) => typeof v === "string");
  return { deploymentId, values: wellFormed ? (values as SecretValues) : undefined };
}
