import { isZsError } from "../errors.js";
import { forEachConcurrently } from "../run-concurrently.js";
import type { SecretValues } from "../secrets/secret-schema.js";
import type { PutValuesHint, SecretValuesStore } from "../stores/values-store.js";
import type { CopiedSecret, SecretVersion, ValuesWrite } from "./replication-repository.js";
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
  onVerified?(secret: CopiedSecret, digest: string): Promise<void>;
  /** Into a target declaring `versioned`: write history versions, not just the current values. @default current values only */
  versions?: VersionsToCopy;
  /** Passed to every put into the target (`PutValuesHint`): `{ isNew: true }` when the target is a store new to these secrets. */
  putHint?: PutValuesHint;
  /** Once aborted, no further secret is started; those under way finish. */
  signal?: AbortSignal;
}

/**
 * Which history versions a copy writes into a versioned target (lifecycle.md: history survives
 * a migration), each as a `VersionedWrite` so the target keeps it readable.
 */
export interface VersionsToCopy {
  /**
   * The history versions to write, oldest first; the last is the one that wrote the current
   * values, which are written under it. An earlier one is read from the source by its
   * `backendVersion` (skipped when it has none, or the source pruned it). Empty: the secret has
   * no history; its current values are copied as without `versions`.
   */
  plan(secretId: string): Promise<ValuesWrite[]>;
  /** `VersionedWrite.keep`: the earlier versions the target keeps (`ZS_HISTORY_MAX_VERSIONS`). */
  keep: number;
}

const MAX_REPORTED_FAILURES = 100;
/** Copies of one secret made before a read back that differs counts as its failure. */
const READ_BACK_ATTEMPTS = 3;

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
  /** Writes the secret's values (and versions) into the target and reads them back. */
  const writeAndReadBack = async (secret: SecretVersion): Promise<{ equal: boolean; digest: string; writtenVersions: ValuesWrite[] }> => {
    const plan = options.versions && target.capabilities.versioned ? await options.versions.plan(secret.id) : [];
    const writtenVersions = await copyEarlierVersions(source, target, secret.id, plan.slice(0, -1), options);
    const values = await callStore(source, () => source.getValues(secret.id));
    if (values === undefined) throw new CopyRefused(`the '${source.type}' store has no values for it`);
    const current = plan.at(-1);
    const hint = writtenVersions.length === 0 ? options.putHint : undefined;
    const put = await callStore(target, () =>
      current ? target.putValues(secret.id, values, hint, { version: current.version, keep: options.versions!.keep }) : target.putValues(secret.id, values, hint),
    );
    if (current && put?.backendVersion) writtenVersions.push({ version: current.version, backendVersion: put.backendVersion });
    const digest = valuesDigest(values);
    const readBack: SecretValues | undefined = await callStore(target, () => target.getValues(secret.id));
    return { equal: readBack !== undefined && valuesDigest(readBack) === digest, digest, writtenVersions };
  };
  const copyOne = async (secret: SecretVersion): Promise<void> => {
    if (options.mode === "missing" && (await callStore(target, () => target.getValues(secret.id))) !== undefined) {
      summary.skipped++;
      return;
    }
    let copy = await writeAndReadBack(secret);
    summary.copied++;
    // A write made meanwhile (a migration's writers also write to its target) may land between
    // the put and the read back: copy again before calling the copy a failure.
    for (let attempt = 2; !copy.equal && attempt <= READ_BACK_ATTEMPTS; attempt++) copy = await writeAndReadBack(secret);
    if (!copy.equal) throw new CopyRefused(`what the '${target.type}' store gave back differs from what was written`);
    summary.verified++;
    await options.onVerified?.(options.versions ? { ...secret, writtenVersions: copy.writtenVersions } : secret, copy.digest);
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

/**
 * Writes the earlier values the source kept into the target, oldest first, each under its
 * history version; the target's backend version of each. One the source pruned is skipped.
 */
async function copyEarlierVersions(
  source: SecretValuesStore,
  target: SecretValuesStore,
  secretId: string,
  earlier: readonly ValuesWrite[],
  options: ValuesCopyOptions,
): Promise<ValuesWrite[]> {
  const written: ValuesWrite[] = [];
  if (source.capabilities.versioned !== true) return written;
  for (const { version, backendVersion } of earlier) {
    if (backendVersion === undefined) continue;
    const values = await callStore(source, () => source.getValues(secretId, { backendVersion }));
    if (values === undefined) continue;
    const hint = written.length === 0 ? options.putHint : undefined;
    const put = await callStore(target, () => target.putValues(secretId, values, hint, { version, keep: options.versions!.keep }));
    if (put?.backendVersion) written.push({ version, backendVersion: put.backendVersion });
  }
  return written;
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
