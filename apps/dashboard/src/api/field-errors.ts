import { ApiError } from "./api-error";

/**
 * Where a refusal belongs in a form: `fields` by field (`name`, `scope`, `workspace`,
 * `values`, or `key:<key name>` for one key), `form` for what names no field.
 */
export interface FieldErrors {
  form?: string;
  fields: Record<string, string>;
}

/** Error codes that are about one field whatever their message. */
const FIELD_OF_CODE: Record<string, string> = {
  SECRET_EXISTS: "name",
  SECRET_TOO_LARGE: "values",
  WORKSPACE_NOT_FOUND: "workspace",
  USER_EXISTS: "name",
  WORKSPACE_EXISTS: "name",
};

/** A list filter the server refused names itself first, quoted: `Invalid 'since' date …`. */
const FILTER_NAME = /'(\w+)'/;

/** `name: rule` or `values.<key>: rule`, at the start of a problem or after its label ("Invalid secret: "). */
const PROBLEM = /(?:^|: )(name|password|scope|workspace|values(?:\.([^\s:]*))?): (.+)$/;

/**
 * Sorts a server's refusal onto the fields it is about (a form shows what it has no field for
 * with the form). The server names them in its message
 * (`Invalid secret: name: must be …; values.1a: invalid key …`: paths and rules, never values);
 * a problem that names no known field goes to the form, so every refusal is shown somewhere.
 */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return { form: error instanceof Error ? error.message : String(error), fields: {} };
  const byCode = FIELD_OF_CODE[error.code];
  if (byCode) return { fields: { [byCode]: error.message } };
  if (error.code === "INVALID_FILTER") {
    const filter = FILTER_NAME.exec(error.message)?.[1];
    return filter ? { fields: { [filter]: error.message } } : { form: error.message, fields: {} };
  }
  if (error.code !== "VALIDATION_ERROR") return { form: error.message, fields: {} };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const problem of error.message.replace(/\.$/, "").split("; ")) {
    const match = PROBLEM.exec(problem);
    if (!match) {
      unplaced.push(problem);
      continue;
    }
    const [, path, key, rule] = match;
    const field = key !== undefined ? `key:${key}` : path!;
    fields[field] = fields[field] ? `${fields[field]}; ${rule}` : rule!;
  }
  return unplaced.length > 0 ? { form: unplaced.join("; "), fields } : { fields };
}
