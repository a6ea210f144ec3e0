import { AUDIT_ACTIONS, ZsError, type MigrationReport } from "@zs/core";
import * as z from "zod";
import { defineRoute } from "../route.js";
import { ADMIN_ERRORS, copySummarySchema, summaryToWire } from "./copy-summary-wire.js";
import type { ServerServices } from "../server-services.js";

const migrationSchema = copySummarySchema.extend({
  id: z.string(),
  source_type: z.string(),
  target_type: z.string(),
  status: z.enum(["running", "completed", "aborted"]),
  started: z.string(),
  finished: z.string().nullable(),
  total: z.number().int(),
  done: z.number().int(),
  active: z.boolean(),
  error: z.string().nullable(),
});

const requestSchema = z.strictObject({
  to: z.string().min(1).optional(),
  options: z.record(z.string(), z.string()).optional(),
  resume: z.boolean().optional(),
  delete_source: z.boolean().optional(),
  rewrite: z.boolean().optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
  abort: z.literal(true).optional(),
});

function migrationToWire(status: MigrationReport): z.infer<typeof migrationSchema> {
  return {
    ...summaryToWire(status),
    id: status.id,
    source_type: status.sourceType,
    target_type: status.targetType,
    status: status.status,
    started: status.started,
    finished: status.finished,
    total: status.total,
    done: status.done,
    active: status.active,
    error: status.error,
  };
}

/** Migrations of the values to another store (stores.md); admins only. */
export function migrationRoutes({ migrations }: ServerServices) {
  return [
    defineRoute({
      method: "get",
      path: "/api/v1/admin/migrations",
      operationId: "getMigration",
      summary: "The migration in progress, else the latest one: its progress and this server's run of it",
      responses: { 200: { description: "The migration, or null when there never was one", schema: z.object({ migration: migrationSchema.nullable() }) } },
      errors: [...ADMIN_ERRORS],
      async handle({ caller }) {
        const status = await migrations.status(caller);
        return { status: 200, body: { migration: status ? migrationToWire(status) : null } };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/admin/migrations",
      operationId: "startMigration",
      summary:
        "Starts (or with resume, goes on with) moving every secret's values to the store `to` with `options`, in the background: " +
        "poll GET for progress. `{abort: true}` abandons the migration in progress instead.",
      body: requestSchema,
      responses: {
        200: { description: "The migration, aborted", schema: z.object({ migration: migrationSchema }) },
        202: { description: "The migration, under way", schema: z.object({ migration: migrationSchema }) },
      },
      errors: [...ADMIN_ERRORS, "VALIDATION_ERROR", "MIGRATION_IN_PROGRESS", "BACKEND_UNAVAILABLE", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.migrate, target: "store" },
      async handle({ caller, body, audit }) {
        const { abort, to, ...flags } = body;
        // The target store's type and flags; its options may hold credentials and are not recorded.
        audit.target = { name: to ?? null };
        audit.details = { abort: abort ?? false, resume: body.resume ?? false, delete_source: body.delete_source ?? false };
        if (abort) {
          if (to !== undefined || Object.keys(flags).length > 0) throw new ZsError("VALIDATION_ERROR", "'abort' takes no other field: it abandons the migration in progress.");
          return { status: 200, body: { migration: migrationToWire(await migrations.abort(caller)) } };
        }
        if (to === undefined) throw new ZsError("VALIDATION_ERROR", "Give 'to' (the store to move the values to), or 'abort: true'.");
        const status = await migrations.start(caller, {
          target: { type: to, options: body.options ?? {} },
          resume: body.resume ?? false,
          deleteSource: body.delete_source ?? false,
          rewrite: body.rewrite ?? false,
          concurrency: body.concurrency,
        });
        return { status: 202, body: { migration: migrationToWire(status) } };
      },
    }),
  ];
}
