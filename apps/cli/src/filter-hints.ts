import { DATE_OPERATORS, STRING_OPERATORS } from "@zs/core";

/** The list options that take an `OP:VALUE` filter, and the operators each accepts (model.md "Listing"). */
const FILTER_OPERATORS: Readonly<Record<string, readonly string[]>> = {
  name: STRING_OPERATORS,
  scope: STRING_OPERATORS,
  user: STRING_OPERATORS,
  id: STRING_OPERATORS,
  workspace: STRING_OPERATORS,
  created: DATE_OPERATORS,
  updated: DATE_OPERATORS,
};
const ALL_OPERATORS: ReadonlySet<string> = new Set([...STRING_OPERATORS, ...DATE_OPERATORS]);

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from `a` to `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The operator `prefix` most likely misspells, if any: within one edit of a short operator
 * (`gt`, `lte`), two of a longer one, case aside.
 */
function misspeltOperator(prefix: string, operators: readonly string[]): string | undefined {
  const lower = prefix.toLowerCase();
  let best: { operator: string; distance: number } | undefined;
  for (const operator of operators) {
    const distance = editDistance(lower, operator);
    if (distance <= (operator.length <= 3 ? 1 : 2) && (!best || distance < best.distance)) best = { operator, distance };
  }
  return best?.operator;
}

/**
 * Hints (for stderr) about list filters whose prefix looks like a misspelt operator
 * (`--name contans:db`). Such a filter still means its literal value (model.md: the string is
 * split only on a known operator); a typo would otherwise silently match nothing.
 */
export function misspeltOperatorHints(filters: Readonly<Record<string, unknown>>): string[] {
  const hints: string[] = [];
  for (const [option, operators] of Object.entries(FILTER_OPERATORS)) {
    const raw = filters[option];
    if (typeof raw !== "string") continue;
    const prefix = /^([A-Za-z]+):/.exec(raw)?.[1];
    if (prefix === undefined || ALL_OPERATORS.has(prefix)) continue;
    const meant = misspeltOperator(prefix, operators);
    if (meant) hints.push(`Hint: --${option}: '${prefix}' is not an operator; did you mean '${meant}:'? Matching the literal value.\n`);
  }
  return hints;
}
