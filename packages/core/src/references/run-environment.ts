import * as z from "zod";
import { withoutZsCredentials } from "../accounts/credential-variables.js";
import { ZsError } from "../errors.js";
import { nameSchema } from "../names.js";
import { recordWithoutProtoKey } from "../secrets/secret-schema.js";

const VARIABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIABLE_RULE = "a letter or '_', then letters, digits or '_' (and not __proto__)";

function isValidVariable(name: string): boolean {
  return name.length <= 255 && VARIABLE_PATTERN.test(name) && name !== "__proto__";
}

/** The name of an environment variable `--env` sets: a letter or `_`, then letters, digits, `_`. */
export const environmentVariableSchema = z.string().refine(isValidVariable, {
  error: (issue) => `invalid variable name '${String(issue.input).slice(0, 80)}': ${VARIABLE_RULE}`,
});

/** What `zs run` puts into the environment (references.md "Using references"). */
export const runRequestSchema = z.strictObject({
  /** Each attribute of each of its components, as `<COMPONENT>_<ATTRIBUTE>`. */
  stack: nameSchema.optional(),
  /** More components, after the stack's (one already in the stack is not repeated). */
  components: z.array(nameSchema).optional(),
  /** Secrets (by exact name) whose every key becomes `<KEY>`. */
  secrets: z.array(nameSchema).optional(),
  /** Variable → template, references resolved; these win over every other source. */
  env: recordWithoutProtoKey(z.record(environmentVariableSchema, z.string())).optional(),
  /** @default the caller's active workspace */
  workspace: nameSchema.optional(),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

/** Resolved sources of a run environment. */
export interface RunEnvironmentSources {
  /** Components with their configurations already resolved, in order. */
  components: readonly { name: string; configuration: Readonly<Record<string, string>> }[];
  /** Secrets with their values. */
  secrets: readonly { name: string; values: Readonly<Record<string, string>> }[];
  /** `--env` variables, already resolved. */
  env: Readonly<Record<string, string>>;
}

/** `parts` joined by `_`, upper-cased, every character but `A-Z 0-9` turned into `_`. */
export function environmentVariableName(...parts: string[]): string {
  return parts.join("_").toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/**
 * The variables `zs run` adds: `<COMPONENT>_<ATTRIBUTE>` for each component attribute, `<KEY>`
 * for each key of each secret, then the `--env` ones, which override. Two derived variables of
 * the same name (`a-b`/`a_b`) are a `VALIDATION_ERROR` naming both, never a silent choice,
 * unless an `--env` variable of that name settles it.
 */
export function buildRunEnvironment(sources: RunEnvironmentSources): Record<string, string> {
  const environment = new Map<string, { value: string; from: string }>();
  const add = (variable: string, value: string, from: string) => {
    // An --env variable of that name replaces whatever is derived: no clash to report.
    if (Object.hasOwn(sources.env, variable)) return;
    const earlier = environment.get(variable);
    if (earlier) {
      throw new ZsError(
        "VALIDATION_ERROR",
        `${earlier.from} and ${from} would both set ${variable}; leave one out, or set ${variable} with --env.`,
      );
    }
    environment.set(variable, { value, from });
  };
  for (const component of sources.components) {
    for (const [attribute, value] of Object.entries(component.configuration)) {
      add(environmentVariableName(component.name, attribute), value, `component '${component.name}' attribute '${attribute}'`);
    }
  }
  for (const secret of sources.secrets) {
    for (const [key, value] of Object.entries(secret.values)) add(environmentVariableName(key), value, `secret '${secret.name}' key '${key}'`);
  }
  const result = Object.fromEntries([...environment].map(([variable, { value }]) => [variable, value]));
  return { ...result, ...sources.env };
}

/** Options of `childEnvironment`. */
export interface ChildEnvironmentOptions {
  /** Let the command see zs's own credentials (`ZS_CREDENTIAL_VARIABLES`) too. @default false */
  passZsCredentials?: boolean;
}

/**
 * The whole environment of the command `zs run` starts: zs's own environment without zs's
 * credentials (a command meant to see one secret must not get a key to all of them), unless
 * `passZsCredentials`, then the `added` variables over it.
 */
export function childEnvironment(
  inherited: Readonly<Record<string, string | undefined>>,
  added: Readonly<Record<string, string>>,
  options: ChildEnvironmentOptions = {},
): Record<string, string | undefined> {
  return { ...(options.passZsCredentials ? inherited : withoutZsCredentials(inherited)), ...added };
}

/** `VAR=TEMPLATE` options (split on the first `=`) as a map; a bad or repeated variable is a `VALIDATION_ERROR`. */
export function parseEnvAssignments(assignments: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const assignment of assignments) {
    const split = assignment.indexOf("=");
    // Only the part before '=' is ever shown: a template may hold a literal value.
    if (split === -1) throw new ZsError("VALIDATION_ERROR", "--env wants VAR=TEMPLATE; one of them has no '='.");
    const variable = assignment.slice(0, split);
    if (!isValidVariable(variable)) {
      throw new ZsError("VALIDATION_ERROR", `--env ${variable.slice(0, 80)}=…: the variable must be ${VARIABLE_RULE}.`);
    }
    if (Object.hasOwn(env, variable)) throw new ZsError("VALIDATION_ERROR", `--env ${variable} is given more than once.`);
    env[variable] = assignment.slice(split + 1);
  }
  return env;
}
