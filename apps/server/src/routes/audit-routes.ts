import { AUDIT_ACTIONS, auditQuerySchema, chainedAuditEventSchema, type AuditQuery } from "@zs/core";
import * as z from "zod";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { pageToWire, pageWireSchema } from "../wire.js";

/** A query parameter holding a whole number. */
const wholeNumber = z
  .string()
  .regex(/^\d{1,15}$/, { error: "must be a whole number" })
  .transform(Number);

/** The audit list's query on the wire: core's filters, with `after`, `page` and `size` as query strings. */
export const auditListQuerySchema = auditQuerySchema
  .pick({ actor: true, action: true, target: true, outcome: true, since: true, until: true })
  .extend({ after: wholeNumber.optional(), page: wholeNumber.optional(), size: wholeNumber.optional() })
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
      summary:
        "Audit events, newest first (oldest first after `after`, an event's seq, to follow the log), filtered by actor (user name or id), " +
        "action (exact, or a prefix such as secret.*), target (name or id), outcome, since and until (admins only)",
      query: auditListQuerySchema,
      queryLabel: "audit query",
      queryErrorCode: "INVALID_FILTER",
      responses: { 200: { description: "One page", schema: pageWireSchema(chainedAuditEventSchema) } },
      errors: ["INVALID_FILTER", "PAGE_OUT_OF_RANGE", "UNAUTHENTICATED", "FORBIDDEN"],
      async handle({ caller, query }) {
        return { status: 200, body: pageToWire(await audit.log.listEvents(caller, query)), headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/audit/verify",
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
