import type { Command } from "commander";
import type { SecretValues } from "@zs/core";
import { UsageError } from "./usage-error.js";
import { pairForm, valuesFromArguments, valuesFromData, type PairKind } from "./values-input.js";

/**
 * The operands of `secret create|update` (or `component register|update`) and their
 * `--KEY=VALUE` (`--ATTR=VALUE`) pairs, told apart.
 */
export function splitOperands(command: Command, kind: PairKind = "key"): { nameOrId: string; pairs: string[] } {
  const pairs = command.args.filter((arg) => arg.startsWith("--"));
  const operands = command.args.filter((arg) => !arg.startsWith("--"));
  const form = pairForm(kind);
  const noun = command.parent?.name() ?? "secret";
  if (operands.length === 0) throw new UsageError(`Missing the ${noun}'s name: zs ${noun} ${command.name()} NAME [${form} ...].`);
  if (operands.length > 1) {
    // A stray operand is often a value (`--password hunter2`, `password=hunter2`): never echo it.
    const keyWithoutValue = pairs.find((arg) => !arg.includes("="));
    if (keyWithoutValue) throw new UsageError(`Unexpected argument '${keyWithoutValue.slice(0, 60)}': give values as ${form}.`);
    const stray = operands[1]!;
    const shown = stray.includes("=") ? ` '${stray.split("=")[0]!.slice(0, 60)}=…'` : "";
    throw new UsageError(`Unexpected ${shown ? `argument${shown}` : "extra argument"}: one NAME, then values as ${form}.`);
  }
  return { nameOrId: operands[0]!, pairs };
}

/** How values were given on the command line. */
export interface ValueSources {
  pairs: string[];
  values?: string;
  interactive?: boolean;
}

/**
 * The values of `create`/`update`: `--KEY=VALUE` pairs, then `--values` merged over them, or
 * the interactive prompts (`-i`, which cannot be combined with the others).
 */
export async function collectValues(sources: ValueSources, ask: () => Promise<SecretValues>): Promise<SecretValues> {
  if (sources.interactive) {
    if (sources.pairs.length > 0 || sources.values !== undefined) {
      throw new UsageError("-i/--interactive cannot be combined with --KEY=VALUE or --values.");
    }
    return ask();
  }
  const fromPairs = await valuesFromArguments(sources.pairs);
  const fromData = sources.values === undefined ? {} : await valuesFromData(sources.values);
  return Object.fromEntries([...Object.entries(fromPairs), ...Object.entries(fromData)]);
}
