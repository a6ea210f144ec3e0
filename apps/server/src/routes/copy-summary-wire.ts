import type { CopySummary } from "@zs/core";
import * as z from "zod";

/** `N copied, N verified, N skipped, N failed` and the first failures, as backup, restore and migrations answer them. */
export const copySummarySchema = z.object({
  copied: z.number().int(),
  verified: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  failures: z.array(z.object({ secret_id: z.string(), reason: z.string() })),
});

export function summaryToWire(summary: CopySummary): z.infer<typeof copySummarySchema> {
  return {
    copied: summary.copied,
    verified: summary.verified,
    skipped: summary.skipped,
    failed: summary.failed,
    failures: summary.failures.map((failure) => ({ secret_id: failure.secretId, reason: failure.reason })),
  };
}

/** What every admin route may answer besides its own errors. */
export const ADMIN_ERRORS = ["UNAUTHENTICATED", "FORBIDDEN"] as const;
