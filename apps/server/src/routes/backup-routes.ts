import { AUDIT_ACTIONS } from "@zs/core";
import * as z from "zod";
import { defineRoute } from "../route.js";
import { ADMIN_ERRORS, copySummarySchema, summaryToWire } from "./copy-summary-wire.js";
import type { ServerServices } from "../server-services.js";

const backupStatusSchema = z.object({ type: z.string().nullable(), pending: z.number().int() });
const restoreSchema = z.strictObject({ overwrite: z.boolean().optional() });

/** The backup store (stores.md): status, a full backup, a restore into the primary; admins only. */
export function backupRoutes({ backups }: ServerServices) {
  return [
    defineRoute({
      method: "get",
      path: "/api/v1/admin/backup",
      operationId: "getBackupStatus",
      summary: "The backup store's type and how many secrets it still has to receive or lose",
      responses: { 200: { description: "Backup status", schema: backupStatusSchema } },
      errors: [...ADMIN_ERRORS],
      async handle({ caller }) {
        return { status: 200, body: await backups.status(caller) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/admin/backup",
      operationId: "runBackup",
      summary: "Copies every secret's values to the backup store, each read back and compared",
      body: z.strictObject({}),
      responses: { 200: { description: "What was copied", schema: copySummarySchema } },
      errors: [...ADMIN_ERRORS, "VALIDATION_ERROR", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.backup, target: "store" },
      async handle({ caller }) {
        return { status: 200, body: summaryToWire(await backups.backup(caller)) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/admin/restore",
      operationId: "restoreFromBackup",
      summary: "Copies values from the backup store into the values store: where it lacks them, or all with overwrite",
      body: restoreSchema,
      responses: { 200: { description: "What was copied", schema: copySummarySchema } },
      errors: [...ADMIN_ERRORS, "VALIDATION_ERROR", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.restore, target: "store" },
      async handle({ caller, body, audit }) {
        audit.details = { overwrite: body.overwrite ?? false };
        return { status: 200, body: summaryToWire(await backups.restore(caller, { overwrite: body.overwrite ?? false })) };
      },
    }),
  ];
}
