const SAFE_UNQUOTED = /^[A-Za-z0-9_./:@%+,=-]+$/;
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Quotes a value for a POSIX shell: bare when safe, else single-quoted (`'\''` for a quote). */
function quote(value: string): string {
  if (SAFE_UNQUOTED.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `export KEY='value'` lines for `eval "$(zs secret get N -o shell)"`. A key that is not a
 * shell variable name (`db.password`, `api-key`) is refused by name rather than written as a
 * line the shell would reject.
 */
export function formatShellExports(values: Record<string, string>): string {
  const invalid = Object.keys(values).filter((key) => !SHELL_NAME.test(key));
  if (invalid.length > 0) {
    throw new Error(
      `${invalid.length === 1 ? "Key" : "Keys"} ${invalid.map((key) => `'${key}'`).join(", ")} ${invalid.length === 1 ? "is not a shell variable name" : "are not shell variable names"}; use -o env, -o json or -o yaml.`,
    );
  }
  return Object.entries(values)
    .map(([key, value]) => `export ${key}=${quote(value)}\n`)
    .join("");
}
