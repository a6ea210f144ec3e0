import { isValuesMap, type SecretValues } from "@zs/core";
import type { VaultKvDocument } from "./vault-kv-client.js";

/** The `custom_metadata` key naming the zs deployment that owns a path. */
export const DEPLOYMENT_TAG = "zs-deployment";
/** The `custom_metadata` key naming the zs secret id a path holds. */
export const SECRET_ID_TAG = "zs-secret-id";
/**
 * The `custom_metadata` key recording the `max_versions` zs last set on a path's metadata: data
 * reads answer `custom_metadata` but not `max_versions`, so a write sees without another call
 * whether the path's retention must be set first.
 */
export const MAX_VERSIONS_TAG = "zs-max-versions";
/** The legacy data field that held the whole values map as one JSON string. */
const LEGACY_VALUES_FIELD = "values";

/**
 * The values a path holds. zs writes the values map as the KV data itself, one field per key
 * (`vault kv get -field=password` works), and tags the path through `custom_metadata`.
 * Earlier versions wrote `{"values": "<JSON of the map>", "zs-deployment": "<id>"}` and no
 * `custom_metadata`; that legacy envelope is still read (see `legacyValues`). Anything else
 * that is not a map of strings reads as absent.
 */
export function valuesOf(document: VaultKvDocument): SecretValues | undefined {
  const legacy = legacyValues(document);
  if (legacy) return legacy;
  return isValuesMap(document.data) ? { ...document.data } : undefined;
}

/**
 * The deployment that owns a path: its `custom_metadata` tag, else the deployment named in a
 * legacy envelope; `undefined` when neither names one.
 */
export function ownerOf(document: VaultKvDocument): string | undefined {
  const tagged = document.customMetadata?.[DEPLOYMENT_TAG];
  if (tagged !== undefined) return tagged;
  const data = document.data;
  return data && legacyValues(document) ? (data[DEPLOYMENT_TAG] as string) : undefined;
}

/** `custom_metadata` tagging a path for `deploymentId`, keeping whatever else someone keeps there. */
export function ownerTags(existing: Record<string, string> | null, deploymentId: string, secretId: string): Record<string, string> {
  return { ...existing, [DEPLOYMENT_TAG]: deploymentId, [SECRET_ID_TAG]: secretId };
}

/**
 * The values of a legacy envelope, or `undefined` when the document is not one. A document is
 * taken for the envelope only when (1) its `custom_metadata` has no `zs-deployment` — zs tags
 * every path it writes in the current format, and never tagged one in the envelope's days —
 * and (2) its data is exactly the two string fields `values` and `zs-deployment`, `values`
 * holding a JSON object of strings. A secret whose own keys are `values` and
 * `zs-deployment` is therefore read as itself once its path carries the tag.
 */
function legacyValues(document: VaultKvDocument): SecretValues | undefined {
  const data = document.data;
  if (!data || document.customMetadata?.[DEPLOYMENT_TAG] !== undefined) return undefined;
  const fields = Object.keys(data);
  const packed = data[LEGACY_VALUES_FIELD];
  if (fields.length !== 2 || typeof data[DEPLOYMENT_TAG] !== "string" || typeof packed !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(packed);
    return isValuesMap(parsed) ? { ...parsed } : undefined;
  } catch {
    return undefined;
  }
}
