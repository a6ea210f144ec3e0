import { isZsError } from "../errors.js";
import { forEachConcurrently } from "../run-concurrently.js";
import type { SecretValues } from "../secrets/secret-schema.js";
import type { PutValuesHint, SecretValuesStore } from "../stores/values-store.js";
import type { SecretVersion } from "./replication-repository.js";
import { callStore, failureKind } from "./store-call.js";
import { valuesDigest } from "./values-digest.js";

/** How many secrets a copy works on at once unless told otherwise. */
export const DEFAULT_COPY_CONCURRENCY = 8;

/** Why one secret was not copied; never a value. */
export interface CopyFailure {
  secretId: string;
  reason: string;
}

/** What a copy did: `N copied, N verified, N skipped, N failed` (stores.md). */
export interface CopySummary {
  copied: number;
  verified: number;
  skipped: number;
  failed: number;
  /** The first failures (at most 100), for the report. */
  failures: CopyFailure[];
}

/** A copy's options besides the stores. */
export interface ValuesCopyOptions {
  /** `overwrite` copies every secret; `missing` only those the target has no values for. */
  mode: "overwrite" | "missing";
  /** @default DEFAULT_COPY_CONCURRENCY */
  concurrency?: number;
  /** Called after each secret, copied or not. */
  onProgress?(done: number, total: number): void;
  /** Called once a secret's copy has been read back and found equal: record it, clear a mark. */
  onVerified?(secret: SecretVersion, digest: string): Promise<void>;
  /** Passed to every put into the target (`PutValuesHint`): `{ isNew: true }` when the target is a store new to these secrets. */
  putHint?: PutValuesHint;
  /** Once aborted, no further secret is started; those under way finish. */
  signal?: AbortSignal;
}

const MAX_REPORTED_FAILURES = 100;

/**
 * Copies the values of `secrets` from `source` to `target`, each one read back from the target
 * and compared with what was read from the source (SHA-256 of the canonical values JSON). A
 * failing secret is counted and reported; the others go on.
 */
export async function copySecretValues(
  source: SecretValuesStore,
  target: SecretValuesStore,
  secrets: readonly SecretVersion[],
  options: ValuesCopyOptions,
): Promise<CopySummary> {
  const summary: CopySummary = { copied: 0, verified: 0, skipped: 0, failed: 0, failures: [] };
  let done = 0;
  const copyOne = async (secret: SecretVersion): Promise<void> => {
    if (options.mode === "missing" && (await callStore(target, () => target.getValues(secret.id))) !== undefined) {
      summary.skipped++;
      return;
    }
    const values = await callStore(source, () => source.getValues(secret.id));
    if (values === undefined) throw new CopyRefused(`the '${source.type}' store has no values for it`);
    await callStore(target, () => target.putValues(secret.id, values, options.putHint));
    summary.copied++;
    const digest = valuesDigest(values);
    const readBack: SecretValues | undefined = await callStore(target, () => target.getValues(secret.id));
    if (readBack === undefined || valuesDigest(readBack) !== digest) {
      throw new CopyRefused(`what the '${target.type}' store gave back differs from what was written`);
    }
    summary.verified++;
    await options.onVerified?.(secret, digest);
  };
  const copyCounted = async (secret: SecretVersion): Promise<void> => {
    try {
      await copyOne(secret);
    } catch (error) {
      summary.failed++;
      if (summary.failures.length < MAX_REPORTED_FAILURES) summary.failures.push({ secretId: secret.id, reason: describeFailure(error) });
    }
    options.onProgress?.(++done, secrets.length);
  };
  await forEachConcurrently(secrets, options.concurrency ?? DEFAULT_COPY_CONCURRENCY, copyCounted, options.signal);
  return summary;
}

/** A copy that completed its calls but must not count: the message says why. */
class CopyRefused extends Error {}

/** A `ZsError`'s message never carries a value; anything else is named by its class only. */
function describeFailure(error: unknown): string {
  if (error instanceof CopyRefused || isZsError(error)) return error.message;
  return failureKind(error);
}

/** `N copied, N verified, N skipped, N failed`. */
export function describeCopySummary(summary: CopySummary): string {
  return `${summary.copied} copied, ${summary.verified} verified, ${summary.skipped} skipped, ${summary.failed} failed`;
}
