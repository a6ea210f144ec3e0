import type { Caller } from "../accounts/caller.js";
import { hasErrorCode } from "../errors.js";
import type { SecretsService } from "../secrets/secrets-service.js";
import type { SecretMetadata } from "../secrets/secret-schema.js";

/** What references need of the secrets store: metadata lookup, and values for resolution only. */
export type ReferenceSecrets = Pick<SecretsService, "findSecret" | "getSecret">;

/**
 * The secret a reference's name means to `caller` in `workspace`, metadata only: the lookup of
 * model.md (the caller's user-scoped secret before the workspace one), by exact name alone.
 * A reference never means a secret by id or id prefix, so those matches count as absent.
 */
export async function findReferencedSecret(
  secrets: ReferenceSecrets,
  caller: Caller,
  workspace: string,
  name: string,
): Promise<SecretMetadata | undefined> {
  try {
    const found = await secrets.findSecret(caller, name, { workspace });
    return found.name === name ? found : undefined;
  } catch (error) {
    if (hasErrorCode(error, "SECRET_NOT_FOUND") || hasErrorCode(error, "SECRET_AMBIGUOUS")) return undefined;
    throw error;
  }
}
