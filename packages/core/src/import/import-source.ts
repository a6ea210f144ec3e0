import { ZsError } from "../errors.js";
import { inputExcerpt } from "../input-excerpt.js";
import { describeIssues } from "../validation.js";
import type { Logger, StoreDefinition } from "../stores/values-store.js";

/** The skip reason of a secret a zs deployment wrote (its tag, label or custom metadata says so). */
export const CREATED_BY_ZS = "created by zs";

/** One secret an import source lists, before anything of it is read. */
export interface ExternalEntry {
  /**
   * The source's own name for it: an AWS secret name, a GCP secret id, a Key Vault secret name,
   * a Vault path under the mount, a file's top-level key.
   */
  externalName: string;
  /** Set when it is not imported whatever its name (e.g. `CREATED_BY_ZS`): reported as skipped, never read. */
  skipReason?: string;
}

/** What reading one external secret gave. */
export type ExternalValue =
  /** Text (AWS SecretString, a GCP payload, a Key Vault value): a JSON object becomes keys, anything else the key `value`. */
  | { kind: "text"; text: string }
  /** Structured data (Vault KV v2 data, a file's map): each entry becomes a key. */
  | { kind: "map"; map: Record<string, unknown> }
  /** Bytes that are not text, never imported; `description` says what they are, never what they hold. */
  | { kind: "binary"; description: string }
  /** Found to be skipped only on reading (e.g. Vault's custom metadata names a zs deployment). */
  | { kind: "skip"; reason: string };

/**
 * Where `zs secret import` reads secrets that zs did not create: a cloud secret manager, or a
 * file. Errors are `ZsError`s whose messages never quote a value.
 */
export interface ImportSource {
  /**
   * Every secret whose external name starts with `prefix` (`""`: every one). A source may list
   * more (when its backend cannot filter so): the import filters again.
   */
  list(prefix: string): Promise<ExternalEntry[]>;
  /** The current value of one listed secret. */
  read(externalName: string): Promise<ExternalValue>;
  /** Releases connections; calling it twice is harmless. */
  close(): Promise<void>;
}

/** What an import source's `open` is given besides its options. */
export interface ImportSourceContext {
  /** Gets a debug entry per retried call. Never pass it a value. */
  logger: Logger;
  /** Directory relative paths in options are resolved against (the CLI's working directory). */
  configDir: string;
}

/**
 * An import source of a store package: it reads the store's backend with the store's own
 * options (validated by the store's schema), but lists and reads secrets other tools wrote.
 */
export interface ImportSourceDefinition<O> {
  /** The `--from` name, the store's type: `aws`. */
  type: string;
  /**
   * The store options that reading takes, in the order messages list them; those about zs's
   * own objects (the aws `prefix`, azure `purge_on_delete`) are left out.
   */
  optionNames: readonly string[];
  open(options: O, context: ImportSourceContext): Promise<ImportSource>;
}

/** Declares an import source; returns the definition unchanged, typed. */
export function defineImportSource<O>(definition: ImportSourceDefinition<O>): ImportSourceDefinition<O> {
  return definition;
}

/**
 * Opens `source` with options as given on the command line (`--option K=V`): names it does
 * not take are refused, listing those it does; then the store's own schema validates them
 * (every problem listed, never a value).
 */
export async function openImportSource<O>(
  store: StoreDefinition<O>,
  source: ImportSourceDefinition<O>,
  options: Readonly<Record<string, string>>,
  context: ImportSourceContext,
): Promise<ImportSource> {
  const allowed = `Allowed options: ${source.optionNames.join(", ")}.`;
  const unknown = Object.keys(options).filter((name) => !source.optionNames.includes(name));
  if (unknown.length > 0) {
    const names = unknown.map((name) => `'${inputExcerpt(name)}'`).join(", ");
    throw new ZsError("VALIDATION_ERROR", `Unknown option${unknown.length > 1 ? "s" : ""} for import from '${source.type}': ${names}. ${allowed}`);
  }
  const parsed = store.optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ZsError("VALIDATION_ERROR", `Invalid options for import from '${source.type}': ${describeIssues(parsed.error.issues)}. ${allowed}`);
  }
  return source.open(parsed.data, context);
}
