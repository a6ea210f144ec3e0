import * as z from "zod";
import type { Configuration } from "../components/component-schema.js";
import { findReferences, renameReferences } from "./reference-parser.js";

/** One component attribute that references a secret (lifecycle.md "Usages"). */
export const secretUsageSchema = z.object({
  component: z.string(),
  attribute: z.string(),
  /** The secret's key the reference names. */
  key: z.string(),
  /** The reference as written, e.g. `{{ db.password }}`. */
  reference: z.string(),
  /** The stacks that hold the component, sorted. */
  stacks: z.array(z.string()),
});
export type SecretUsage = z.infer<typeof secretUsageSchema>;

/** A warning a change carries: it went through, but something depends on what changed. */
export const secretWarningSchema = z.object({
  /** `SECRET_REFERENCED`: components reference the secret deleted or renamed. */
  code: z.literal("SECRET_REFERENCED"),
  message: z.string(),
  usages: z.array(secretUsageSchema),
});
export type SecretWarning = z.infer<typeof secretWarningSchema>;

/**
 * A component of the secret's workspace whose configuration may mention the secret's name (the
 * store's query narrows by text; `usagesIn` decides), with the stacks holding it.
 */
export interface ReferencingComponent {
  id: string;
  name: string;
  configuration: Configuration;
  stacks: string[];
}

/**
 * Every attribute of `components` that references secret `name`, one entry per reference, by
 * component, then attribute. A reference means a secret by its name in the component's
 * workspace (references.md), so both a workspace-scoped secret and a user-scoped one of that
 * name are used by it: the one it resolves to depends on who resolves it.
 */
export function usagesIn(name: string, components: readonly ReferencingComponent[]): SecretUsage[] {
  const usages: SecretUsage[] = [];
  const byName = [...components].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const component of byName) {
    for (const attribute of Object.keys(component.configuration).sort()) {
      for (const reference of findReferences(component.configuration[attribute]!)) {
        if (reference.name !== name) continue;
        usages.push({ component: component.name, attribute, key: reference.key, reference: reference.raw, stacks: [...component.stacks].sort() });
      }
    }
  }
  return usages;
}

/** `configuration` with its references to `from` naming `to`; `undefined` when none referenced `from`. */
export function renameInConfiguration(configuration: Configuration, from: string, to: string): Configuration | undefined {
  let changed = false;
  const renamed: Configuration = {};
  for (const [attribute, value] of Object.entries(configuration)) {
    const rewritten = renameReferences(value, from, to);
    if (rewritten !== value) changed = true;
    renamed[attribute] = rewritten;
  }
  return changed ? renamed : undefined;
}

/** The warning of a change to secret `name` that `usages` depend on; `[]` when nothing does. */
export function referencedWarnings(name: string, usages: readonly SecretUsage[], change: "deleted" | "renamed"): SecretWarning[] {
  if (usages.length === 0) return [];
  const sites = usages.map((usage) => `${usage.component}.${usage.attribute} (${usage.reference})`);
  const consequence =
    change === "deleted" ? "they no longer resolve" : "they still name the old name and no longer resolve; rename with update_references to rewrite them";
  return [
    {
      code: "SECRET_REFERENCED",
      message: `Secret '${name}' is ${change}, but ${usages.length} component attribute reference${usages.length === 1 ? "" : "s"} use${usages.length === 1 ? "s" : ""} it: ${sites.join(", ")}; ${consequence}.`,
      usages: [...usages],
    },
  ];
}
