import type { Caller } from "../accounts/caller.js";
import type { Component, ComponentLookup } from "../components/component-schema.js";
import { ZsError } from "../errors.js";
import { assertReferenceLimit, countReferences } from "./reference-limit.js";
import { assertWellFormedReferences } from "./reference-parser.js";
import type { ReferenceSecrets } from "./reference-lookup.js";
import { ReferenceResolver, settledInOrder } from "./reference-resolver.js";
import { componentSites, describeMissingReferences, parseValidationLevel, validateReferences } from "./reference-validation.js";
import { buildRunEnvironment, runRequestSchema, type RunRequest } from "./run-environment.js";
import { parseInput } from "../validation.js";

/**
 * Where a run's components and secrets come from: the store itself in local mode, a zs
 * server's routes in the client's remote mode. Either way the run is validated and resolved
 * by `resolveRunEnvironment` alone.
 */
export interface RunSources {
  /** The components of stack `name`, in the stack's order; `NOT_FOUND` when there is no such stack. */
  stackComponents(caller: Caller, name: string, lookup: ComponentLookup): Promise<Component[]>;
  /** One component as stored; `NOT_FOUND` when there is none. */
  getComponent(caller: Caller, name: string, lookup: ComponentLookup): Promise<Component>;
  /** Metadata lookups for validation; values only for the resolution after it. */
  secrets: ReferenceSecrets;
}

/**
 * The variables `zs run` adds (references.md): validated at `level` first — a failure lists
 * every missing reference (`SECRET_NOT_FOUND`, or `SECRET_KEY_NOT_FOUND` when only keys are
 * missing) before any value is read — then resolved in one resolution, each secret read once.
 * More than 1,000 references and `--secret`s together are `LIMIT_EXCEEDED`, before any lookup.
 */
export async function resolveRunEnvironment(sources: RunSources, caller: Caller, input: RunRequest, level: string): Promise<Record<string, string>> {
  const parsedLevel = parseValidationLevel(level);
  const request = parseInput(runRequestSchema, input, "run request");
  const workspace = request.workspace ?? caller.workspace;
  const components: Component[] = [];
  if (request.stack) components.push(...(await sources.stackComponents(caller, request.stack, { workspace })));
  for (const name of request.components ?? []) {
    if (!components.some((c) => c.name === name)) components.push(await sources.getComponent(caller, name, { workspace }));
  }
  const env = request.env ?? {};
  for (const [variable, template] of Object.entries(env)) assertWellFormedReferences(template, `--env ${variable}`);
  const sites = [
    ...components.flatMap(componentSites),
    ...Object.entries(env).map(([variable, text]) => ({ component: null, attribute: variable, text })),
  ];
  // Each --secret is one lookup, like a reference; the whole run is checked before the first.
  assertReferenceLimit(countReferences(sites.map((site) => site.text)) + (request.secrets?.length ?? 0), "the run");
  const validation = await validateReferences(sources.secrets, caller, workspace, sites, parsedLevel);
  if (!validation.valid) {
    const secretMissing = validation.missing.some((m) => m.problem === "secret_missing");
    const fix = request.stack ? `; register them with: zs stack register-secrets ${request.stack}` : "";
    throw new ZsError(
      secretMissing ? "SECRET_NOT_FOUND" : "SECRET_KEY_NOT_FOUND",
      `Missing references (validation level ${parsedLevel})${fix}:\n${describeMissingReferences(validation.missing)}`,
      { missing: validation.missing },
    );
  }
  const resolver = new ReferenceResolver(sources.secrets, caller, workspace);
  const resolvedComponents = await settledInOrder(components.map((component) => resolver.renderComponent(component)));
  const secrets = await settledInOrder((request.secrets ?? []).map(async (name) => ({ name, values: await resolver.secretValues(name, `--secret ${name}`) })));
  const resolvedEnv = await resolver.renderAll(env, (variable) => `--env ${variable}`);
  return buildRunEnvironment({ components: resolvedComponents, secrets, env: resolvedEnv });
}
