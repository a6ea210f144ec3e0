import type { AuditLogRepository } from "./audit-log-repository.js";
import { ChainVerifier, type ChainBreak } from "./hash-chain.js";

/** The result of `verifyAuditChain`: where the chain starts and ends, and the first event that does not match. */
export interface AuditVerification {
  valid: boolean;
  /** How many events were checked. */
  checked: number;
  /** The `seq` of the first event kept (after retention pruning), or `null` with none. */
  firstSeq: number | null;
  lastSeq: number;
  firstInvalid?: { seq: number; id: string | null; reason: ChainBreak };
}

const READ_BATCH = 1000;

/** Recomputes the chain from its anchor to its head, in batches, and names the first event that does not match. */
export async function verifyAuditChain(chain: AuditLogRepository): Promise<AuditVerification> {
  const { anchor, head } = await chain.auditChainState();
  const verifier = new ChainVerifier(anchor);
  let firstSeq: number | null = null;
  for (let after = anchor.seq; ; ) {
    const events = await chain.readAuditChain(after, head.seq, READ_BATCH);
    if (events.length === 0) break;
    for (const event of events) {
      firstSeq ??= event.seq;
      const reason = verifier.check(event);
      if (reason) return { valid: false, checked: verifier.checked, firstSeq, lastSeq: head.seq, firstInvalid: { seq: event.seq, id: event.id, reason } };
    }
    after = events[events.length - 1]!.seq;
  }
  if (verifier.last.seq !== head.seq || verifier.last.hash !== head.hash) {
    // Events at the end are missing: name the position the head expects.
    const seq = verifier.last.seq + 1;
    return { valid: false, checked: verifier.checked, firstSeq, lastSeq: head.seq, firstInvalid: { seq, id: null, reason: "head_mismatch" } };
  }
  return { valid: true, checked: verifier.checked, firstSeq, lastSeq: head.seq };
}
