import { ZsError } from "../errors.js";
import { LIMITS } from "../limits.js";
import { findReferences } from "./reference-parser.js";

const LIMIT = LIMITS.maxReferencesPerResolution;

/** How many references `texts` hold together, each occurrence counted. */
export function countReferences(texts: Iterable<string>): number {
  let count = 0;
  for (const text of texts) count += findReferences(text).length;
  return count;
}

/**
 * Refuses, with `LIMIT_EXCEEDED`, a resolution of more than 1,000 references (operations.md):
 * `count` references (and `--secret`s, each one lookup) wanted by `what` ("the request",
 * "stack 'web'"). Called before anything is looked up, so an oversized request costs no
 * database read.
 */
export function assertReferenceLimit(count: number, what: string): void {
  if (count <= LIMIT) return;
  throw new ZsError(
    "LIMIT_EXCEEDED",
    `${capitalize(what)} holds ${count.toLocaleString("en-US")} references; one resolution may hold at most ${LIMIT.toLocaleString("en-US")}: split it into smaller ones.`,
    { limit: LIMIT, count },
  );
}

/** Refuses more than 1,000 texts in one resolve request (each may be one reference), with `LIMIT_EXCEEDED`. */
export function assertTextLimit(count: number): void {
  if (count <= LIMIT) return;
  throw new ZsError(
    "LIMIT_EXCEEDED",
    `The request holds ${count.toLocaleString("en-US")} texts to resolve; one request may hold at most ${LIMIT.toLocaleString("en-US")}: split it into smaller ones.`,
    { limit: LIMIT, count },
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
