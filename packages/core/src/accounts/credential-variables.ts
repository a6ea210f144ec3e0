/**
 * The environment variables that hold zs's own credentials: each grants access to every
 * secret zs can reach, not just the ones a command was meant to see. `zs run` keeps them
 * from the command it starts (security.md) unless asked to pass them on.
 *
 * - `ZS_URL`, `ZS_API_KEY`: a server and an API key for it (they go together).
 * - `ZS_PASSWORD`: a user's password (`zs connect`, `zs user create`).
 * - `ZS_ENCRYPTION_KEY`, `ZS_ENCRYPTION_KEYS`: the keys every stored value is encrypted with.
 * - `ZS_ADMIN_PASSWORD`: the server's first admin's password.
 * - `ZS_DATABASE_URL`: the database of every secret (a PostgreSQL URL may carry a password).
 */
export const ZS_CREDENTIAL_VARIABLES: readonly string[] = Object.freeze([
  "ZS_URL",
  "ZS_API_KEY",
  "ZS_PASSWORD",
  "ZS_ENCRYPTION_KEY",
  "ZS_ENCRYPTION_KEYS",
  "ZS_ADMIN_PASSWORD",
  "ZS_DATABASE_URL",
]);

/**
 * Every variable of these prefixes is a zs credential too: the options of the values store and
 * of the backup store, which carry their credentials (`ZS_SECRETS_STORE_VAULT_TOKEN`,
 * `…_SECRET_ACCESS_KEY`, `…_CLIENT_SECRET`).
 */
export const ZS_CREDENTIAL_PREFIXES: readonly string[] = Object.freeze(["ZS_SECRETS_STORE_", "ZS_BACKUP_SECRETS_STORE_"]);

/** True when `name` is one of zs's credential variables (`ZS_CREDENTIAL_VARIABLES` or a `ZS_CREDENTIAL_PREFIXES` one). */
export function isZsCredentialVariable(name: string): boolean {
  return ZS_CREDENTIAL_VARIABLES.includes(name) || ZS_CREDENTIAL_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** A copy of `env` without zs's credential variables. */
export function withoutZsCredentials(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isZsCredentialVariable(name)));
}
