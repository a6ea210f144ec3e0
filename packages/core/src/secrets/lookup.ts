import type { Caller } from "../accounts/caller.js";
import { ZsError } from "../errors.js";
import { LIMITS } from "../limits.js";
import type { FoundSecret, SecretReadOptions, SecretReader } from "./metadata-repository.js";
import { isUuid, isValidName } from "../names.js";
import { ALL_WORKSPACES, type Lookup } from "./secret-schema.js";

const ID_PREFIX_PATTERN = /^[0-9a-f-]+$/i;
const MAX_AMBIGUOUS_LISTED = 10;

/**
 * Finds the one secret `nameOrId` means to `caller` (model.md "Lookup"), in this order:
 * a full UUID; an exact name in the workspace, the caller's user-scoped secret before the
 * workspace-scoped one; an id prefix of 8+ hex characters matching one secret. No substring
 * matching. Every step is confined to the lookup's workspace (the caller's active one by
 * default; `*` means every workspace the caller can see), so an id cannot reach past the
 * workspace a name could not. Serves get, update, delete, validation and resolution alike.
 * `options` go to every read it makes.
 */
export async function findSecret(
  reader: SecretReader,
  caller: Caller,
  nameOrId: string,
  lookup: Lookup = {},
  options: SecretReadOptions = {},
): Promise<FoundSecret> {
  const workspace = lookup.workspace ?? caller.workspace;
  const confinedTo = workspace === ALL_WORKSPACES ? undefined : workspace;
  // Readers are asked for the workspace too; checking again here keeps a reader that ignores it
  // (a custom one, an older server) from widening the lookup.
  const matches = (secret: FoundSecret) =>
    (lookup.scope === undefined || secret.scope === lookup.scope) && (confinedTo === undefined || secret.workspace === confinedTo);

  if (isUuid(nameOrId)) {
    const secret = await reader.findSecretById(caller.userId, nameOrId.toLowerCase(), options);
    if (secret && matches(secret)) return secret;
  } else if (isValidName(nameOrId)) {
    const named = (await reader.findSecretsByName(caller.userId, confinedTo, nameOrId, options)).filter(matches);
    const workspaces = new Set(named.map((s) => s.workspace));
    if (workspaces.size > 1) throw ambiguous(`Name '${nameOrId}' names secrets in several workspaces`, named, "Give the workspace.");
    const chosen = named.find((s) => s.scope === "user") ?? named[0];
    if (chosen) return chosen;
  }
  if (nameOrId.length >= LIMITS.minIdPrefixLength && ID_PREFIX_PATTERN.test(nameOrId) && !isUuid(nameOrId)) {
    const found = await reader.findSecretsByIdPrefix(caller.userId, confinedTo, nameOrId.toLowerCase(), MAX_AMBIGUOUS_LISTED + 1, options);
    const candidates = found.filter(matches);
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1) throw ambiguous(`Id prefix '${nameOrId}' matches several secrets`, candidates, "Give more characters.");
  }
  throw secretNotFound(nameOrId, workspace, lookup.scope);
}

/** `SECRET_AMBIGUOUS`, listing (some of) the candidates' ids. */
function ambiguous(what: string, candidates: readonly FoundSecret[], hint: string): ZsError {
  const ids = candidates.slice(0, MAX_AMBIGUOUS_LISTED).map((s) => s.id);
  return new ZsError("SECRET_AMBIGUOUS", `${what}: ${ids.join(", ")}${candidates.length > MAX_AMBIGUOUS_LISTED ? ", …" : ""}. ${hint}`, {
    candidates: ids,
  });
}

/** The `SECRET_NOT_FOUND` error of model.md; workspace `*` reads "in any workspace". */
export function secretNotFound(nameOrId: string, workspace: string, scope?: string): ZsError {
  const shown = nameOrId.length > 80 ? `${nameOrId.slice(0, 80)}…` : nameOrId;
  const where = workspace === ALL_WORKSPACES ? "in any workspace" : `in workspace '${workspace}'`;
  return new ZsError("SECRET_NOT_FOUND", `No secret with name, id or id prefix '${shown}' ${where}${scope ? ` (scope ${scope})` : ""}.`);
}
