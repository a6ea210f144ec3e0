import { ZsError } from "../errors.js";

/**
 * Store options given on a command line as `K=V` (`--to-option region=eu-west-1`): names are
 * matched like `ZS_SECRETS_STORE_<OPTION>`, case-insensitively; a value may contain `=`.
 */
export function parseOptionAssignments(assignments: readonly string[], flag: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const assignment of assignments) {
    const separator = assignment.indexOf("=");
    if (separator <= 0) throw new ZsError("VALIDATION_ERROR", `${flag} takes NAME=VALUE, e.g. ${flag} region=eu-west-1 (the value given is not shown: it may be a credential).`);
    const name = assignment.slice(0, separator).toLowerCase();
    if (name in options) throw new ZsError("VALIDATION_ERROR", `${flag} ${name} is given twice.`);
    options[name] = assignment.slice(separator + 1);
  }
  return options;
}
