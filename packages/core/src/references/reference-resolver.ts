import type { Caller } from "../accounts/caller.js";
import { ZsError } from "../errors.js";
import { assertReferenceLimit } from "./reference-limit.js";
import { findReferencedSecret, type ReferenceSecrets } from "./reference-lookup.js";
import { assertWellFormedReferences, parseTemplate, renderTemplate, type SecretReference } from "./reference-parser.js";
import type { SecretValues } from "../secrets/secret-schema.js";

/**
 * One resolution (a `resolve`, a component, a stack, a `zs run`): references are looked up as
 * model.md says (exact name, the caller's user scope before the workspace's) and each secret's
 * values are read at most once, however many of its keys are referenced. Resolved values are
 * returned, never stored or logged.
 */
export class ReferenceResolver {
  private readonly reads = new Map<string, Promise<{ name: string; values: SecretValues } | undefined>>();
  /** References rendered so far: however a resolution is put together, it stays within the limit. */
  private referencesRendered = 0;

  constructor(
    private readonly secrets: ReferenceSecrets,
    private readonly caller: Caller,
    private readonly workspace: string,
  ) {}

  /** The values of secret `name`; `SECRET_NOT_FOUND` naming `wantedBy` when there is none. */
  async secretValues(name: string, wantedBy: string): Promise<SecretValues> {
    const secret = await this.read(name);
    if (!secret) {
      throw new ZsError("SECRET_NOT_FOUND", `No secret named '${name}' in workspace '${this.workspace}' (wanted by ${wantedBy}).`, {
        secret: name,
        workspace: this.workspace,
      });
    }
    return secret.values;
  }

  /**
   * `text` with every reference replaced by its value and `\{{` by `{{`. A malformed reference
   * is `INVALID_REFERENCE`; a missing secret `SECRET_NOT_FOUND`; a missing key
   * `SECRET_KEY_NOT_FOUND` naming the secret, the key and the keys it has; more than 1,000
   * references rendered by this resolver `LIMIT_EXCEEDED`, before this text's lookups (callers
   * check the whole resolution first, so that nothing at all is looked up).
   */
  async render(text: string, wantedBy: string): Promise<string> {
    assertWellFormedReferences(text, capitalize(wantedBy));
    const segments = parseTemplate(text);
    const references = segments.filter((segment) => segment.kind === "reference").length;
    assertReferenceLimit(this.referencesRendered + references, "this resolution");
    this.referencesRendered += references;
    const names = [...new Set(segments.flatMap((s) => (s.kind === "reference" ? [s.name] : [])))];
    const values = new Map(await settledInOrder(names.map(async (name) => [name, await this.secretValues(name, wantedBy)] as const)));
    return renderTemplate(segments, (reference) => valueOf(values.get(reference.name)!, reference, wantedBy));
  }

  /** Every value of `templates` rendered; `wantedBy(name)` says where each sits. */
  async renderAll(templates: Readonly<Record<string, string>>, wantedBy: (name: string) => string): Promise<Record<string, string>> {
    const entries = Object.entries(templates);
    const rendered = await settledInOrder(entries.map(([name, text]) => this.render(text, wantedBy(name))));
    return Object.fromEntries(entries.map(([name], i) => [name, rendered[i]!]));
  }

  /** `component` with every attribute of its configuration rendered. */
  async renderComponent<C extends { name: string; configuration: Readonly<Record<string, string>> }>(component: C): Promise<C> {
    const configuration = await this.renderAll(component.configuration, (attribute) => `component '${component.name}' attribute '${attribute}'`);
    return { ...component, configuration };
  }

  private read(name: string): Promise<{ name: string; values: SecretValues } | undefined> {
    let read = this.reads.get(name);
    if (!read) {
      read = (async () => {
        const found = await findReferencedSecret(this.secrets, this.caller, this.workspace, name);
        // By id: the secret found is the one read, even if another of that name appears meanwhile.
        return found && { name, values: (await this.secrets.getSecret(this.caller, found.id, { workspace: this.workspace })).values };
      })();
      this.reads.set(name, read);
    }
    return read;
  }
}

/**
 * Like `Promise.all`, but once all have settled, the failure reported is the first in order,
 * not the first in time: the same problem is named on every run.
 */
export async function settledInOrder<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}

function valueOf(values: SecretValues, reference: SecretReference, wantedBy: string): string {
  if (Object.hasOwn(values, reference.key)) return values[reference.key]!;
  const keys = Object.keys(values).sort();
  throw new ZsError(
    "SECRET_KEY_NOT_FOUND",
    `Secret '${reference.name}' has no key '${reference.key}' (${reference.raw}, wanted by ${wantedBy}); ${
      keys.length > 0 ? `its keys are: ${keys.join(", ")}` : "it has no keys"
    }.`,
    { secret: reference.name, key: reference.key, availableKeys: keys },
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
