import type { Caller } from "./caller.js";
import { ZsError } from "./errors.js";
import { LIMITS } from "./limits.js";
import type { FoundSecret, SecretReadOptions, SecretReader } from "./metadata-repository.js";
import { isUuid, isValidName } from "./names.js";
import type { Lookup } from "./secret-schema.js";

const ID_PREFIX_PATTERN = /^[0-9a-f-]+$/i;
const MAX_AMBIGUOUS_LISTED = 10;

/**
 * Finds the one secret `nameOrId` means to `caller` (model.md "Lookup"), in this order:
 * a full UUID; an exact name in the workspace, the caller's user-scoped secret before the
 * workspace-scoped one; an id prefix of 8+ hex characters matching one secret. No substring
 * matching. Serves get, update, delete, validation and resolution alike. `options` go to every
 * read it makes.
 */
export async function findSecret(
  reader: SecretReader,
  caller: Caller,
  nameOrId: string,
  lookup: Lookup = {},
  options: SecretReadOptions = {},
): Promise<FoundSecret> {
  const workspace = lookup.workspace ?? caller.workspace;
  const inScope = (secret: FoundSecret) => lookup.scope === undefined || secret.scope === lookup.scope;

  if (isUuid(nameOrId)) {
    const secret = await reader.findSecretById(caller.userId, nameOrId.toLowerCase(), options);
    if (secret && inScope(secret)) return secret;
  } else if (isValidName(nameOrId)) {
    const named = (await reader.findSecretsByName(caller.userId, workspace, nameOrId, options)).filter(inScope);
    const chosen = named.find((s) => s.scope === "user") ?? named[0];
    if (chosen) return chosen;
  }
  if (nameOrId.length >= LIMITS.minIdPrefixLength && ID_PREFIX_PATTERN.test(nameOrId) && !isUuid(nameOrId)) {
    const matches = (await reader.findSecretsByIdPrefix(caller.userId, nameOrId.toLowerCase(), MAX_AMBIGUOUS_LISTED + 1, options)).filter(inScope);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const ids = matches.slice(0, MAX_AMBIGUOUS_LISTED).map((s) => s.id);
      throw new ZsError(
        "SECRET_AMBIGUOUS",
        `Id prefix '${nameOrId}' matches several secrets: ${ids.join(", ")}${matches.length > MAX_AMBIGUOUS_LISTED ? ", …" : ""}. Give more characters.`,
        { candidates: ids },
      );
    }
  }
  throw secretNotFound(nameOrId, workspace, lookup.scope);
}

/** The `SECRET_NOT_FOUND` error of model.md. */
export function secretNotFound(nameOrId: string, workspace: string, scope?: string): ZsError {
  const shown = nameOrId.length > 80 ? `${nameOrId.slice(0, 80)}…` : nameOrId;
  return new ZsError(
    "SECRET_NOT_FOUND",
    `No secret with name, id or id prefix '${shown}' in workspace '${workspace}'${scope ? ` (scope ${scope})` : ""}.`,
  );
}
