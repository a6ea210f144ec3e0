import { ZsError } from "@zs/core";

/** Prepended to the secret id to name the GCP secret. */
const SECRET_ID_PREFIX = "zs-";

/** The label naming the zs deployment that owns a secret. */
export const DEPLOYMENT_LABEL = "zs-deployment";
/** The label naming the zs secret id a secret holds. */
export const SECRET_ID_LABEL = "zs-secret-id";

/** Longest label value GCP accepts. */
const MAX_LABEL_VALUE = 63;

/**
 * A label value GCP accepts: lower-cased, every character outside `a-z 0-9 _ -` replaced by
 * `_`, at most 63 characters. Deployment and secret ids are UUIDs (36 characters, case-
 * insensitive by definition), which this keeps intact apart from case, so the `zs-deployment`
 * label names the owner exactly: writes and deletes compare it with this deployment's.
 */
export function toLabelValue(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "_")
    .slice(0, MAX_LABEL_VALUE);
}

/** The GCP secret id of a zs secret id: `zs-<secretId>`. */
export function gcpSecretId(secretId: string): string {
  return `${SECRET_ID_PREFIX}${secretId}`;
}

/** `projects/<project>/secrets/zs-<secretId>`, the project as configured (id or number). */
export function secretResourceName(project: string, secretId: string): string {
  return `projects/${project}/secrets/${gcpSecretId(secretId)}`;
}

/** A version of a secret, by number. */
export function versionResourceName(secretName: string, version: number): string {
  return `${secretName}/versions/${version}`;
}

/**
 * The version number at the end of a version's resource name. The service answers with the
 * project *number* where the request named the project id, so only the tail is trusted.
 */
export function versionNumberOf(versionName: string): number {
  const match = /\/versions\/(\d+)$/.exec(versionName);
  if (!match) throw new ZsError("BACKEND_UNAVAILABLE", `gcp: the service answered with '${versionName}', which is not a secret version name.`);
  return Number(match[1]);
}
