import { text as readStream } from "node:stream/consumers";
import { childEnvironment, parseEnvAssignments } from "@zs/core";
import { ChildExit } from "./child-exit.js";
import { injectedVariables, type InjectionOptions } from "./injected-variables.js";
import { withClient, type CommonOptions } from "./client-session.js";
import type { Io } from "./output.js";
import { writePrivateFile } from "./private-file.js";
import { runChild } from "./run-child.js";
import { UsageError } from "./usage-error.js";
import { readTextFile } from "./values-input.js";
import { formatOfFile, resolveByFormat, type ResolveFormat } from "./resolve-format.js";

/** Options of `zs run`. */
export interface RunOptions extends CommonOptions, InjectionOptions {
  stack?: string;
  component: string[];
  secret: string[];
  env: string[];
  level?: string;
  /** Also give the command zs's own credentials (`ZS_API_KEY`, `ZS_ENCRYPTION_KEY`, …). */
  passZsCredentials?: boolean;
}

/** `--env VAR=TEMPLATE` options as a map; a malformed one is a usage error (only the part before `=` is shown). */
function envTemplates(assignments: readonly string[]): Record<string, string> {
  try {
    return parseEnvAssignments(assignments);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * `zs run`: validates every reference at the level asked before anything starts (a failure
 * lists them all and the command never runs), resolves them, then runs the command with the
 * variables added to zs's environment (`--prefix`ed; replacing an inherited variable only with
 * `--override`), from which zs's own credentials are removed unless `--pass-zs-credentials`. Resolved values go only into that environment: never to a file,
 * never to zs's output. zs ends with the command's exit status.
 */
export async function runWithReferences(commandLine: string[], options: RunOptions): Promise<void> {
  if (commandLine.length === 0) throw new UsageError("Missing the command to run: zs run [--stack S] [--component C] [--secret N] [--env VAR=TEMPLATE] -- CMD [ARGS...].");
  const env = envTemplates(options.env);
  if (options.stack === undefined && options.component.length === 0 && options.secret.length === 0 && Object.keys(env).length === 0) {
    throw new UsageError("Nothing to add to the environment: give --stack, --component, --secret or --env.");
  }
  // A repeated --secret or --component means it once, not a clash with itself.
  const [components, secrets] = [[...new Set(options.component)], [...new Set(options.secret)]];
  const variables = await withClient(options, (client) =>
    client.runEnvironment(
      {
        ...(options.stack !== undefined && { stack: options.stack }),
        ...(components.length > 0 && { components }),
        ...(secrets.length > 0 && { secrets }),
        ...(Object.keys(env).length > 0 && { env }),
      },
      options.level,
    ),
  );
  const credentials = { passZsCredentials: options.passZsCredentials ?? false };
  const added = injectedVariables(variables, new Set(Object.keys(env)), childEnvironment(process.env, {}, credentials), options);
  const status = await runChild(commandLine, childEnvironment(process.env, added, credentials));
  if (status !== 0) throw new ChildExit(status);
}

/**
 * `zs resolve FILE [-o OUT] [--format F]`: the file with its references resolved — in a JSON,
 * YAML or .env file (by `--format`, else FILE's extension) each escaped for where it sits — to
 * stdout or to OUT (0600). A file its format's parser refuses is an error, and nothing is written.
 */
export async function resolveFile(io: Io, file: string, options: CommonOptions & { output?: string; format?: ResolveFormat }): Promise<void> {
  const text = file === "-" ? await readStream(process.stdin) : await readTextFile(file);
  const format = options.format ?? (file === "-" ? "text" : formatOfFile(file));
  const source = file === "-" ? "stdin" : `'${file}'`;
  const resolved = await withClient(options, (client) => resolveByFormat(text, format, source, (templates) => client.resolveTexts(templates)));
  if (options.output === undefined) {
    io.out(resolved);
    return;
  }
  await writePrivateFile(options.output, resolved);
  io.out(`Resolved ${file === "-" ? "stdin" : `'${file}'`} into '${options.output}'.\n`);
}
