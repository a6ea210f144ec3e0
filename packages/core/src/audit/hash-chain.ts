import { createHash } from "node:crypto";
import type { AuditEvent, ChainedAuditEvent } from "./audit-event.js";
import { canonicalJson } from "./canonical-json.js";

/** The `prev_hash` of the very first event of a chain. */
export const GENESIS_HASH = "0".repeat(64);

/** Where a chain ends: the last event's position and hash (`0` and `GENESIS_HASH` when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The event part of a chained event: what its hash covers. */
export function eventOf(chained: ChainedAuditEvent): AuditEvent {
  const { seq: _seq, prev_hash: _prev, hash: _hash, ...event } = chained;
  return event;
}

/** `hash = SHA-256(previous hash ‖ canonical JSON of the event)`: the previous hash's 32 bytes, then the JSON's UTF-8. */
export function eventHash(previousHash: string, event: AuditEvent): string {
  return createHash("sha256").update(Buffer.from(previousHash, "hex")).update(canonicalJson(event), "utf8").digest("hex");
}

/** Appends `events` to the chain ending at `head`: the chained events, in order. */
export function linkEvents(head: ChainHead, events: readonly AuditEvent[]): ChainedAuditEvent[] {
  let { seq, hash } = head;
  return events.map((event) => {
    const prev = hash;
    seq += 1;
    hash = eventHash(prev, event);
    return { ...event, seq, prev_hash: prev, hash };
  });
}

/** Why an event does not match the chain. */
export type ChainBreak = "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap" | "head_mismatch";

/**
 * Checks events one at a time, in `seq` order, from an anchor: each must follow the one
 * before (its `prev_hash` is that one's hash, its `seq` the next) and its hash must be
 * recomputed from its content.
 */
export class ChainVerifier {
  private previous: ChainHead;
  checked = 0;

  constructor(anchor: ChainHead) {
    this.previous = anchor;
  }

  /** `undefined` when `event` fits; else why not. */
  check(event: ChainedAuditEvent): ChainBreak | undefined {
    this.checked += 1;
    const expectedPrev = this.previous;
    this.previous = { seq: event.seq, hash: event.hash };
    if (event.seq !== expectedPrev.seq + 1) return "sequence_gap";
    if (event.prev_hash !== expectedPrev.hash) return "prev_hash_mismatch";
    if (eventHash(event.prev_hash, eventOf(event)) !== event.hash) return "hash_mismatch";
    return undefined;
  }

  /** The last event checked (the anchor if none). */
  get last(): ChainHead {
    return this.previous;
  }
}
