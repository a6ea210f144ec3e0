import { hasErrorCode, isZsError } from "../errors.js";
import { failureKind } from "../replication/store-call.js";
import { forEachConcurrently } from "../run-concurrently.js";
import type { SecretValues } from "../secrets/secret-schema.js";
import { secretValuesOf } from "./external-values.js";
import type { ExternalValue } from "./import-source.js";
import type { PlannedImport } from "./import-plan.js";

type PlannedForImport = Extract<PlannedImport, { action: "import" }>;

/** How many secrets an import reads and creates at once unless told otherwise. */
export const DEFAULT_IMPORT_CONCURRENCY = 8;

/** What became of one external secret. Reasons never quote a value. */
export type ImportOutcome =
  | { externalName: string; status: "imported"; name: string; renamedFrom?: string }
  | { externalName: string; status: "skipped" | "failed"; reason: string };

/** What an import did: `N imported, N skipped, N failed`, and each secret's outcome in plan order. */
export interface ImportSummary {
  imported: number;
  skipped: number;
  failed: number;
  outcomes: ImportOutcome[];
}

/** How an import reaches the source and the target. */
export interface ImportRunOptions {
  /** Reads one external secret (`ImportSource.read`). */
  read(externalName: string): Promise<ExternalValue>;
  /** Creates the zs secret; `SECRET_EXISTS` (a secret created meanwhile) makes it a skip, not a failure. */
  create(name: string, values: SecretValues): Promise<void>;
  /** @default DEFAULT_IMPORT_CONCURRENCY */
  concurrency?: number;
  /** Called after each secret to import, imported or not. */
  onProgress?(done: number, total: number): void;
}

/**
 * Carries out a plan: each secret to import is read, converted and created; one that fails is
 * counted and reported, and the others go on. The plan's skips and failures are counted as
 * they are.
 */
export async function importSecrets(plan: readonly PlannedImport[], options: ImportRunOptions): Promise<ImportSummary> {
  const outcomes = new Map<PlannedImport, ImportOutcome>();
  const toImport = plan.filter((item): item is PlannedForImport => item.action === "import");
  let done = 0;
  const importOne = async (item: PlannedForImport): Promise<ImportOutcome> => {
    const { externalName, name } = item;
    let value: ExternalValue;
    try {
      value = await options.read(externalName);
    } catch (error) {
      return { externalName, status: "failed", reason: `cannot be read: ${describeFailure(error)}` };
    }
    if (value.kind === "skip") return { externalName, status: "skipped", reason: value.reason };
    const converted = secretValuesOf(value);
    if ("problem" in converted) return { externalName, status: "failed", reason: converted.problem };
    try {
      await options.create(name, converted.values);
    } catch (error) {
      if (hasErrorCode(error, "SECRET_EXISTS")) return { externalName, status: "skipped", reason: `a secret named '${name}' was created meanwhile` };
      return { externalName, status: "failed", reason: describeFailure(error) };
    }
    return item.renamedFrom === undefined ? { externalName, status: "imported", name } : { externalName, status: "imported", name, renamedFrom: item.renamedFrom };
  };
  await forEachConcurrently(toImport, options.concurrency ?? DEFAULT_IMPORT_CONCURRENCY, async (item) => {
    outcomes.set(item, await importOne(item));
    options.onProgress?.(++done, toImport.length);
  });
  const summary: ImportSummary = { imported: 0, skipped: 0, failed: 0, outcomes: [] };
  for (const item of plan) {
    const outcome = outcomes.get(item) ?? planned(item);
    summary[outcome.status]++;
    summary.outcomes.push(outcome);
  }
  return summary;
}

/** The outcome of a plan entry that is not imported. */
function planned(item: PlannedImport): ImportOutcome {
  if (item.action === "import") throw new Error(`'${item.externalName}' was planned for import but not attempted`);
  return { externalName: item.externalName, status: item.action === "skip" ? "skipped" : "failed", reason: item.reason };
}

/** A `ZsError`'s message never carries a value; anything else is named by its class only. */
function describeFailure(error: unknown): string {
  return isZsError(error) ? error.message : failureKind(error);
}

/** `N imported, N skipped, N failed`. */
export function describeImportSummary(summary: Pick<ImportSummary, "imported" | "skipped" | "failed">): string {
  return `${summary.imported} imported, ${summary.skipped} skipped, ${summary.failed} failed`;
}
