import { ZsError } from "@zs/core";
import { UsageError } from "./usage-error.js";

/** How `zs run` names the variables it adds to the command's environment. */
export interface InjectionOptions {
  /** Put before every added name: `--prefix S_` turns `PATH` into `S_PATH`. */
  prefix?: string;
  /** Let a derived variable replace one the command would inherit (`PATH`, `USER`, …). @default false */
  override?: boolean;
}

const PREFIX_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `--prefix P`: the start of a variable name (a letter or `_`, then letters, digits or `_`). */
export function parsePrefix(prefix: string): string {
  if (!PREFIX_PATTERN.test(prefix) || prefix.length > 200) throw new UsageError("--prefix must be a letter or '_', then letters, digits or '_' (e.g. S_).");
  return prefix;
}

/**
 * The variables `zs run` adds, each name prefixed. A variable derived from a secret key or a
 * component attribute that would replace one the command inherits is refused, all such names
 * listed (never a value), unless `override`: a secret key `path` must not silently become the
 * command's `PATH`. An `--env VAR=…` (in `explicit`) names its variable on purpose, so it may.
 */
export function injectedVariables(
  added: Readonly<Record<string, string>>,
  explicit: ReadonlySet<string>,
  inherited: Readonly<Record<string, string | undefined>>,
  options: InjectionOptions,
): Record<string, string> {
  const prefix = options.prefix ?? "";
  const renamed = Object.entries(added).map(([name, value]) => ({ name: `${prefix}${name}`, value, derived: !explicit.has(name) }));
  if (!options.override) {
    const clashes = renamed.filter(({ name, derived }) => derived && inherited[name] !== undefined).map(({ name }) => name).sort();
    if (clashes.length > 0) {
      throw new ZsError(
        "VALIDATION_ERROR",
        `zs run would override ${clashes.join(", ")}, already set in the environment: pass --override to replace ${clashes.length === 1 ? "it" : "them"}, or --prefix P_ to add P_<NAME> instead.`,
      );
    }
  }
  return Object.fromEntries(renamed.map(({ name, value }) => [name, value]));
}
