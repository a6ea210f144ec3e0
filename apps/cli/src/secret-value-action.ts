import type { Command } from "commander";
import { ZsError, type Lookup, type Scope, type SecretValues } from "@zs/core";
import { withClient, type CommonOptions } from "./client-session.js";
import type { Io } from "./output.js";
import { UsageError } from "./usage-error.js";

/** Options of `zs secret get NAME -k KEY`. */
export interface SecretValueOptions extends CommonOptions {
  key?: string;
  newline?: boolean;
  scope?: Scope;
  version?: number;
}

/** Refuses options that make no sense with (or without) `-k`, before anything is read. */
export function checkSecretValueOptions(options: SecretValueOptions, command: Command): void {
  if (options.key === undefined) {
    if (options.newline) throw new UsageError("--newline goes with -k/--key KEY (the value alone).");
    return;
  }
  if (command.getOptionValueSource("output") === "cli") throw new UsageError("-k/--key prints the value alone: it cannot be combined with -o/--output.");
}

/**
 * `zs secret get NAME -k KEY [--version N]`: that value alone, for `$(…)` and pipes. A newline
 * follows only on a terminal or with `--newline`, so `| od -c` shows exactly the value. A
 * missing key is `SECRET_KEY_NOT_FOUND` naming it and the keys there are (never a value).
 */
export async function printSecretValue(io: Io, nameOrId: string, options: SecretValueOptions & { key: string }): Promise<void> {
  const lookup: Lookup = options.scope ? { scope: options.scope } : {};
  const found: { name: string; values: SecretValues } = await withClient(options, async (client) =>
    options.version === undefined ? client.getSecret(nameOrId, lookup) : client.getSecretVersion(nameOrId, options.version, lookup),
  );
  if (!Object.hasOwn(found.values, options.key)) {
    const keys = Object.keys(found.values).sort();
    const version = options.version === undefined ? "" : ` (version ${options.version})`;
    throw new ZsError(
      "SECRET_KEY_NOT_FOUND",
      `Secret '${found.name}'${version} has no key '${options.key}'; ${keys.length > 0 ? `its keys are: ${keys.join(", ")}` : "it has no keys"}.`,
      { secret: found.name, key: options.key, availableKeys: keys },
    );
  }
  const value = found.values[options.key]!;
  io.out(options.newline || process.stdout.isTTY ? `${value}\n` : value);
}
