import * as z from "zod";
import type { Caller } from "../accounts/caller.js";
import { VALIDATION_LEVELS, type ValidationLevel } from "../config.js";
import { ZsError } from "../errors.js";
import { assertReferenceLimit } from "./reference-limit.js";
import { findReferencedSecret, type ReferenceSecrets } from "./reference-lookup.js";
import { findReferences } from "./reference-parser.js";

const LEVEL_RULE = `use one of ${VALIDATION_LEVELS.join(", ")}`;

/** `ZS_SECRET_VALIDATION_LEVEL` / `--level`: how strictly references are checked (references.md). */
export const validationLevelSchema = z.enum(VALIDATION_LEVELS, {
  error: (issue) => `'${String(issue.input).slice(0, 80)}' is not a validation level; ${LEVEL_RULE}`,
});

/** One reference that does not hold at the level asked, and who wants it. */
export const missingReferenceSchema = z.object({
  /** The component whose attribute holds the reference; `null` outside any component (a `zs run --env` template). */
  component: z.string().nullable(),
  /** The attribute (or, for `--env`, the variable) holding the reference. */
  attribute: z.string(),
  secret: z.string(),
  key: z.string(),
  problem: z.enum(["secret_missing", "key_missing"]),
});
export type MissingReference = z.infer<typeof missingReferenceSchema>;

/** The outcome of a validation: every missing reference at once, not just the first. */
export const referenceValidationSchema = z.object({
  level: validationLevelSchema,
  valid: z.boolean(),
  missing: z.array(missingReferenceSchema),
});
export type ReferenceValidation = z.infer<typeof referenceValidationSchema>;

/** A string that may hold references, and where it sits. */
export interface ReferenceSite {
  component: string | null;
  attribute: string;
  text: string;
}

/** Every attribute of a component as a place that may hold references. */
export function componentSites(component: { name: string; configuration: Readonly<Record<string, string>> }): ReferenceSite[] {
  return Object.entries(component.configuration).map(([attribute, text]) => ({ component: component.name, attribute, text }));
}

/** Parses a validation level; anything else is a `VALIDATION_ERROR` naming the three allowed. */
export function parseValidationLevel(level: unknown): ValidationLevel {
  const parsed = validationLevelSchema.safeParse(level);
  if (parsed.success) return parsed.data;
  throw new ZsError("VALIDATION_ERROR", `Invalid validation level: ${parsed.error.issues[0]?.message ?? LEVEL_RULE}.`);
}

/**
 * Checks every reference of `sites` at `level` in `workspace`, looking each secret up once
 * and reading metadata only (key names are metadata): no secret value is read. More than
 * 1,000 references are `LIMIT_EXCEEDED`, before any lookup.
 */
export async function validateReferences(
  secrets: ReferenceSecrets,
  caller: Caller,
  workspace: string,
  sites: readonly ReferenceSite[],
  level: ValidationLevel,
): Promise<ReferenceValidation> {
  const uses = sites.flatMap((site) => findReferences(site.text).map((reference) => ({ site, ...reference })));
  assertReferenceLimit(uses.length, "the validation");
  if (level === "NONE") return { level, valid: true, missing: [] };
  const names = [...new Set(uses.map((use) => use.name))];
  const found = new Map(await Promise.all(names.map(async (name) => [name, await findReferencedSecret(secrets, caller, workspace, name)] as const)));
  const missing: MissingReference[] = [];
  const listed = new Set<string>();
  for (const { site, name, key } of uses) {
    const secret = found.get(name);
    const problem = !secret ? "secret_missing" : level === "SECRET_AND_KEY_EXISTS" && !secret.keys.includes(key) ? "key_missing" : undefined;
    const entry = JSON.stringify([site.component, site.attribute, name, key]);
    if (problem && !listed.has(entry)) {
      listed.add(entry);
      missing.push({ component: site.component, attribute: site.attribute, secret: name, key, problem });
    }
  }
  return { level, valid: missing.length === 0, missing };
}

/** `name.key`, wanted by component 'c' attribute 'a' (or by `--env VAR`): one line per missing reference. */
export function describeMissingReferences(missing: readonly MissingReference[]): string {
  return missing
    .map((m) => {
      const wantedBy = m.component === null ? `--env ${m.attribute}` : `component '${m.component}' attribute '${m.attribute}'`;
      const why = m.problem === "secret_missing" ? `no secret '${m.secret}'` : `secret '${m.secret}' has no key '${m.key}'`;
      return `  - ${m.secret}.${m.key} (wanted by ${wantedBy}): ${why}`;
    })
    .join("\n");
}
