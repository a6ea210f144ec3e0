import type { ChainedAuditEvent } from "./audit-event.js";
import type { ParsedAuditQuery } from "./audit-query.js";
import type { ChainHead } from "./hash-chain.js";

/** Where the chain starts (after pruning, the hash of the last pruned event) and where it ends. */
export interface AuditChainState {
  anchor: ChainHead;
  head: ChainHead;
}

/**
 * The database's audit log: the events of one hash chain that every server instance on the
 * database appends to. Core links and hashes; the repository only stores, under the chain
 * head's lock, so two instances never link to the same head.
 */
export interface AuditLogRepository {
  /**
   * In one transaction: reads (and locks) the chain head, stores what `link(head)` returns,
   * moves the head to its last event, then runs `beforeCommit` (the other sinks) so that a
   * sink that fails leaves nothing stored. Returns the stored events.
   */
  appendAuditEvents(
    link: (head: ChainHead) => ChainedAuditEvent[],
    beforeCommit?: (events: readonly ChainedAuditEvent[]) => Promise<void>,
  ): Promise<ChainedAuditEvent[]>;
  /** One page of events matching `query`, and how many match in all. */
  listAuditEvents(query: ParsedAuditQuery): Promise<{ items: ChainedAuditEvent[]; total: number }>;
  /** Up to `limit` events with `seq > afterSeq` and `seq <= throughSeq`, by `seq`. */
  readAuditChain(afterSeq: number, throughSeq: number, limit: number): Promise<ChainedAuditEvent[]>;
  auditChainState(): Promise<AuditChainState>;
  /**
   * Deletes the events recorded before `before` (ISO-8601), oldest first and without gaps, and
   * moves the anchor to the last one deleted, so the chain verifies from the first kept event.
   * Returns how many were deleted.
   */
  pruneAuditEvents(before: string): Promise<number>;
}

/**
 * Another place events go besides the database (Vault's audit devices): a JSON lines file for
 * log shippers, say. `write` gets each batch once the chain has linked it, before the
 * database commits; when it throws, the batch is not committed.
 */
export interface AuditSink {
  /** For messages: `file:/var/log/zs/audit.jsonl`. */
  readonly name: string;
  write(events: readonly ChainedAuditEvent[]): Promise<void>;
  /** Readiness: throws when the sink could not take a write now (e.g. its file cannot be opened). */
  check?(): Promise<void>;
  close?(): Promise<void>;
}
