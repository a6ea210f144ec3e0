import type { Caller } from "../accounts/caller.js";
import { ZsError } from "../errors.js";
import { LIMITS } from "../limits.js";
import { isUuid, isValidName } from "../names.js";
import type { LockedDeletedSecret, MetadataTransaction } from "./metadata-repository.js";
import { ALL_WORKSPACES, type Lookup } from "./secret-schema.js";

const ID_PREFIX_PATTERN = /^[0-9a-f-]+$/i;
const MAX_LISTED = 10;

/**
 * The one deleted secret `nameOrId` means to `caller`, locked until commit, in the order of
 * model.md's lookup: a full UUID; an exact name (a name deleted several times is ambiguous:
 * give the id); an id prefix of 8+ hex characters. Only deleted secrets the caller could see
 * while they were live are found. Not found: `SECRET_NOT_FOUND`, saying when the name or id
 * belongs to a live secret (nothing to recover).
 */
export async function lockDeletedSecret(tx: MetadataTransaction, caller: Caller, nameOrId: string, lookup: Lookup): Promise<LockedDeletedSecret> {
  const workspace = lookup.workspace ?? caller.workspace;
  const confinedTo = workspace === ALL_WORKSPACES ? undefined : workspace;
  const matches = (secret: LockedDeletedSecret) => lookup.scope === undefined || secret.scope === lookup.scope;
  if (isUuid(nameOrId)) {
    const [secret] = (await tx.lockDeletedSecrets(caller.userId, confinedTo, { by: "id", value: nameOrId.toLowerCase() }, 1)).filter(matches);
    if (secret) return secret;
  } else if (isValidName(nameOrId)) {
    const named = (await tx.lockDeletedSecrets(caller.userId, confinedTo, { by: "name", value: nameOrId }, MAX_LISTED + 1)).filter(matches);
    if (named.length === 1) return named[0]!;
    if (named.length > 1) throw ambiguous(`Several deleted secrets are named '${nameOrId}'`, named);
  }
  if (nameOrId.length >= LIMITS.minIdPrefixLength && ID_PREFIX_PATTERN.test(nameOrId) && !isUuid(nameOrId)) {
    const candidates = (await tx.lockDeletedSecrets(caller.userId, confinedTo, { by: "idPrefix", value: nameOrId.toLowerCase() }, MAX_LISTED + 1)).filter(matches);
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1) throw ambiguous(`Id prefix '${nameOrId}' matches several deleted secrets`, candidates);
  }
  const where = confinedTo === undefined ? "in any workspace" : `in workspace '${confinedTo}'`;
  const shown = nameOrId.length > 80 ? `${nameOrId.slice(0, 80)}…` : nameOrId;
  let live: { name: string } | undefined;
  if (isUuid(nameOrId)) live = await tx.findSecretById(caller.userId, nameOrId.toLowerCase());
  else if (isValidName(nameOrId)) [live] = await tx.findSecretsByName(caller.userId, confinedTo, nameOrId);
  if (live) {
    throw new ZsError(
      "SECRET_NOT_FOUND",
      `Secret '${live.name}' ${where} is not deleted: there is nothing to recover. 'zs secret list --deleted' lists the deleted ones.`,
    );
  }
  throw new ZsError(
    "SECRET_NOT_FOUND",
    `No deleted secret with name, id or id prefix '${shown}' ${where}; it may have been purged (its recovery window ended). 'zs secret list --deleted' lists the deleted ones.`,
  );
}

function ambiguous(what: string, candidates: readonly LockedDeletedSecret[]): ZsError {
  const listed = candidates.slice(0, MAX_LISTED).map((s) => `${s.id} (deleted ${s.deleted})`);
  return new ZsError("SECRET_AMBIGUOUS", `${what}: ${listed.join(", ")}${candidates.length > MAX_LISTED ? ", …" : ""}. Give the id.`, {
    candidates: candidates.slice(0, MAX_LISTED).map((s) => s.id),
  });
}
