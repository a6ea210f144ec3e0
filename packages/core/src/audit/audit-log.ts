import type { Caller } from "../accounts/caller.js";
import { ZsError } from "../errors.js";
import type { Page } from "../secrets/secret-query.js";
import { parseInput } from "../validation.js";
import type { ChainedAuditEvent } from "./audit-event.js";
import type { AuditLogRepository } from "./audit-log-repository.js";
import { auditQuerySchema, parseAuditQuery, type AuditQuery } from "./audit-query.js";
import { verifyAuditChain, type AuditVerification } from "./audit-verification.js";

const DAY_MS = 86_400_000;

/** Reading, verifying and pruning the audit log; reading and verifying are for admins only. */
export class AuditLog {
  constructor(
    private readonly chain: AuditLogRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** One page of events, newest first (oldest first after `after`); `INVALID_FILTER`, `PAGE_OUT_OF_RANGE`, `FORBIDDEN`. */
  async listEvents(caller: Caller, query: AuditQuery = {}): Promise<Page<ChainedAuditEvent>> {
    assertAdmin(caller, "read the audit log");
    const parsed = parseAuditQuery(parseInput(auditQuerySchema, query, "audit query", "INVALID_FILTER"));
    const { items, total } = await this.chain.listAuditEvents(parsed);
    const totalPages = Math.max(1, Math.ceil(total / parsed.size));
    if (parsed.page > totalPages) {
      throw new ZsError("PAGE_OUT_OF_RANGE", `Page ${parsed.page} is out of range: the last page is ${totalPages}.`, { totalPages });
    }
    return { index: parsed.page, maxSize: parsed.size, totalPages, total, items };
  }

  /** Recomputes the hash chain; names the first event that does not match. */
  async verify(caller: Caller): Promise<AuditVerification> {
    assertAdmin(caller, "verify the audit log");
    return verifyAuditChain(this.chain);
  }

  /** `ZS_AUDIT_RETENTION_DAYS`: deletes older events (0 keeps all); returns how many. */
  async prune(retentionDays: number): Promise<number> {
    if (retentionDays <= 0) return 0;
    return this.chain.pruneAuditEvents(new Date(this.now() - retentionDays * DAY_MS).toISOString());
  }
}

function assertAdmin(caller: Caller, action: string): void {
  if (!caller.isAdmin) throw new ZsError("FORBIDDEN", `Only admins may ${action}.`);
}
