import { AUDIT_ACTIONS, DATE_VALUE_PATTERN, auditQuerySchema, chainedAuditEventSchema, type AuditQuery } from "@zs/core";
import * as z from "zod";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { pageParameter, pageToWire, pageWireSchema, sizeParameter, wholeNumber } from "../wire.js";

/** The audit list's query on the wire: core's filters, with `after`, `page` and `size` as query strings. */
export const auditListQuerySchema = auditQuerySchema
  .pick({ actor: true, action: true, target: true, outcome: true, since: true, until: true })
  .extend({
    since: auditQuerySchema.shape.since.meta({ pattern: DATE_VALUE_PATTERN, description: "Events at or after this time: ISO-8601 or `YYYY-MM-DD HH:MM:SS` (UTC)" }),
    until: auditQuerySchema.shape.until.meta({ pattern: DATE_VALUE_PATTERN, description: "Events before this time, as for since; must be after since" }),
    after: wholeNumber.optional(),
    page: pageParameter.optional(),
    size: sizeParameter.optional(),
  })
  .transform((query): AuditQuery => query);

const verificationSchema = z.object({
  valid: z.boolean(),
  checked: z.number().int(),
  first_seq: z.number().int().nullable(),
  last_seq: z.number().int(),
  first_invalid: z
    .object({
      seq: z.number().int(),
      id: z.string().nullable(),
      reason: z.enum(["hash_mismatch", "prev_hash_mismatch", "sequence_gap", "head_mismatch"]),
    })
    .optional(),
});

/** The audit log (lifecycle.md "Audit log"): reading and verifying it, admins only. */
export function auditRoutes({ audit }: ServerServices) {
  return [
    defineRoute({
      method: "get",
      path: "/api/v1/audit",
      operationId: "listAuditEvents",
      summary:
        "Audit events, newest first (oldest first after `after`, an event's seq, to follow the log), filtered by actor (user name or id), " +
        "action (exact, or a prefix such as secret.*), target (name or id), outcome, since and until (admins only)",
      query: auditListQuerySchema,
      queryLabel: "audit query",
      queryErrorCode: "INVALID_FILTER",
      responses: { 200: { description: "One page", schema: pageWireSchema(chainedAuditEventSchema), headers: ["Cache-Control"] } },
      errors: ["INVALID_FILTER", "PAGE_OUT_OF_RANGE", "UNAUTHENTICATED", "FORBIDDEN"],
      async handle({ caller, query }) {
        return { status: 200, body: pageToWire(await audit.log.listEvents(caller, query)), headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/audit/verify",
      operationId: "verifyAuditLog",
      summary: "Recomputes the audit log's hash chain and names the first event that does not match (admins only)",
      responses: { 200: { description: "The result; `valid: false` names the first event that does not match", schema: verificationSchema } },
      errors: ["UNAUTHENTICATED", "FORBIDDEN", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.auditVerify, target: "audit_log" },
      async handle({ caller, audit: note }) {
        const result = await audit.log.verify(caller);
        note.target = { name: null };
        note.details = { valid: result.valid, checked: result.checked, ...(result.firstInvalid ? { first_invalid_seq: result.firstInvalid.seq } : {}) };
        const body: z.infer<typeof verificationSchema> = {
          valid: result.valid,
          checked: result.checked,
          first_seq: result.firstSeq,
          last_seq: result.lastSeq,
          ...(result.firstInvalid ? { first_invalid: result.firstInvalid } : {}),
        };
        return { status: 200, body };
      },
    }),
  ];
}
