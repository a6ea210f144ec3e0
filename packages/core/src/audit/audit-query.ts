import * as z from "zod";
import { ZsError } from "../errors.js";
import { LIMITS } from "../limits.js";
import { pagingFields } from "../secrets/secret-query.js";
import { parseDatePeriod } from "../secrets/filter-grammar.js";
import { AUDIT_OUTCOMES, type AuditOutcome } from "./audit-event.js";

/**
 * The audit list's query (lifecycle.md): each filter an exact value. `action` also takes a
 * prefix ending in `.*` (`secret.*`); `actor` matches the user name or id, `target` the
 * target's name or id; `since` (inclusive) and `until` (exclusive) are dates as in list
 * filters. With `after` (an event's `seq`), the events after it come oldest first, for
 * following the log; otherwise newest first.
 */
export const auditQuerySchema = z.strictObject({
  actor: z.string().min(1, { error: "must not be empty" }).optional(),
  action: z.string().min(1, { error: "must not be empty" }).optional(),
  target: z.string().min(1, { error: "must not be empty" }).optional(),
  outcome: z.enum(AUDIT_OUTCOMES, { error: `must be one of ${AUDIT_OUTCOMES.join(", ")}` }).optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  after: z.number().int().min(0, { error: "must be 0 or more" }).optional(),
  ...pagingFields,
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** An audit query ready for the SQL layer. */
export interface ParsedAuditQuery {
  actor?: string;
  /** Exact, or with `prefix` a prefix (`secret.` from `secret.*`). */
  action?: { value: string; prefix: boolean };
  target?: string;
  outcome?: AuditOutcome;
  /** ISO-8601 bounds: `time >= since`, `time < until`. */
  since?: string;
  until?: string;
  after?: number;
  page: number;
  size: number;
}

function parseBound(field: "since" | "until", text: string): string {
  const period = parseDatePeriod(text);
  if (!period) {
    throw new ZsError(
      "INVALID_FILTER",
      `Invalid '${field}' date '${text}': use ISO-8601 (2026-01-01T00:00:00Z) or 'YYYY-MM-DD[ HH:MM[:SS]]' (UTC).`,
    );
  }
  // `until=2026-01-01` ends with that whole day, as `lte` does in list filters.
  return new Date(field === "since" ? period.start : period.end).toISOString();
}

/** Turns a validated `AuditQuery` into bounds; throws `INVALID_FILTER` on a bad date or an empty range. */
export function parseAuditQuery(query: AuditQuery): ParsedAuditQuery {
  const parsed: ParsedAuditQuery = { page: query.page ?? 1, size: query.size ?? LIMITS.defaultPageSize };
  if (query.actor !== undefined) parsed.actor = query.actor;
  if (query.target !== undefined) parsed.target = query.target;
  if (query.outcome !== undefined) parsed.outcome = query.outcome;
  if (query.after !== undefined) parsed.after = query.after;
  if (query.action !== undefined) {
    const prefix = query.action.endsWith(".*");
    parsed.action = { value: prefix ? query.action.slice(0, -1) : query.action, prefix };
  }
  if (query.since !== undefined) parsed.since = parseBound("since", query.since);
  if (query.until !== undefined) parsed.until = parseBound("until", query.until);
  if (parsed.since !== undefined && parsed.until !== undefined && parsed.since >= parsed.until) {
    throw new ZsError("INVALID_FILTER", `'since' (${query.since}) must be before 'until' (${query.until}).`);
  }
  return parsed;
}
