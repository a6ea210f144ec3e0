import { ZsError, type BackendErrorClassifier } from "@zs/core";

/** What the SDKs' errors carry: `RestError` (core-rest-pipeline) and the identity errors. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get?(name: string): string | undefined } };
}

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ECONNABORTED", "ENOTFOUND"]);
const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
/** `@azure/identity`'s errors: the credential could not get a token. */
const IDENTITY_ERRORS = new Set([
  "AuthenticationError",
  "AuthenticationRequiredError",
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
]);
/**
 * A token request that failed for a passing reason: Entra ID's OAuth error codes for it, its
 * "transient error" text (which MSAL repeats, without the code, while it holds back retries of
 * a 5xx/429 for the answer's Retry-After or 60 s), or a network failure.
 */
const TRANSIENT_IDENTITY =
  /temporarily_unavailable|service_unavailable|server_error|transient error|too many requests|throttl|network_error|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up/i;

function shape(error: unknown): SdkErrorShape {
  return typeof error === "object" && error !== null ? (error as SdkErrorShape) : {};
}

/** Key Vault's error code (`SecretNotFound`, `Throttled`, …), else the JS error's name. */
export function azureErrorName(error: unknown): string {
  const { name, code } = shape(error);
  return code ?? name ?? "Error";
}

/** A secret that does not exist (or is soft-deleted): Key Vault's 404 `SecretNotFound`. */
export function isAbsent(error: unknown): boolean {
  const { statusCode, code } = shape(error);
  return statusCode === 404 && code === "SecretNotFound";
}

/**
 * A read of a disabled version: Key Vault's 403 `Forbidden` with the inner code `SecretDisabled`
 * ("Operation get is not allowed on a disabled secret."), not a permissions problem.
 */
export function isDisabledVersion(error: unknown): boolean {
  const { statusCode, message = "" } = shape(error);
  if (statusCode !== 403) return false;
  // The SDK hands Key Vault's `innererror` over as `details.error.innerError`.
  const details = (error as { details?: { error?: { innerError?: { code?: unknown } } } }).details;
  return details?.error?.innerError?.code === "SecretDisabled" || /not allowed on a disabled secret/i.test(message);
}

/** The name is held by a soft-deleted secret that must be purged or recovered before reuse. */
export function isDeletedButRecoverable(error: unknown): boolean {
  const { statusCode, message = "" } = shape(error);
  return statusCode === 409 && /deleted but recoverable/i.test(message);
}

/** Worth another attempt: throttling, 5xx, a lost connection or timeout, a name still being freed, a token endpoint hiccup. */
export function isTransient(error: unknown): boolean {
  const { name = "", code, statusCode, message = "" } = shape(error);
  if (statusCode === 429 || (statusCode ?? 0) >= 500) return true;
  if (name === "AbortError") return true;
  if (code && NETWORK_CODES.has(code)) return true;
  if (IDENTITY_ERRORS.has(name)) return TRANSIENT_IDENTITY.test(message);
  // Delete, purge and recovery finish in the background; the name is busy meanwhile.
  return statusCode === 409 && /being (deleted|recovered|purged)/i.test(message);
}

/** The `Retry-After` (in seconds) of a throttled answer, in ms; core waits at least that, up to the policy's `maxDelayMs`. */
function retryAfterMs(error: unknown): number | undefined {
  const header = shape(error).response?.headers?.get?.("retry-after");
  const value = header === undefined ? NaN : Number(header);
  return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

/** Turns a failure the store does not handle itself into the `ZsError` callers get. */
export function toZsError(error: unknown, operation: string, secretName: string, attempts: number): ZsError {
  const { name = "Error", code, statusCode, message = "" } = shape(error);
  const azureError = azureErrorName(error);
  if (IDENTITY_ERRORS.has(name) && !isTransient(error)) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `azure: no token for Key Vault (${name}): ${message} Check tenant_id, client_id and client_secret (or the ` +
        "DefaultAzureCredential environment) and authority_host.",
      { reason: "azure_auth", azureError },
    );
  }
  if (statusCode === 401) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `azure: Key Vault rejected the token on ${operation} (${azureError}); check tenant_id, client_id, client_secret ` +
        "and authority_host: the token must come from the vault's tenant.",
      { reason: "azure_auth", azureError },
    );
  }
  if (statusCode === 403) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `azure: access denied for ${operation} on '${secretName}' (${azureError}); the identity needs the secret ` +
        "permissions get, set, delete, recover and purge (e.g. the 'Key Vault Secrets Officer' role).",
      { reason: "azure_access_denied", azureError },
    );
  }
  if (code && TLS_CODES.has(code)) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `azure: the TLS certificate of the vault or authority is not trusted (${code}); add its CA to NODE_EXTRA_CA_CERTS.`,
      { reason: "azure_tls", azureError },
    );
  }
  if (/challenge resource .* does not match/i.test(message)) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `azure: ${message.split(". ")[0]}; for a vault outside *.vault.azure.net set disable_challenge_resource_verification=true.`,
      { reason: "azure_challenge", azureError },
    );
  }
  if (statusCode === 404) {
    return new ZsError("CONFIGURATION_ERROR", `azure: ${operation} answered 404 ${azureError}; is vault_url a Key Vault URL?`, {
      reason: "azure_not_a_vault",
      azureError,
    });
  }
  const tried = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new ZsError("BACKEND_UNAVAILABLE", `azure: ${operation} of '${secretName}' failed${tried}: ${azureError}: ${message}`, {
    azureError,
  });
}

/**
 * Key Vault's failures as core's `backendCaller` needs them told apart: absent secrets go
 * back to the caller, throttling, 5xx, lost connections and names still being freed are
 * retried (never sooner than a `Retry-After`, never longer than the policy's `maxDelayMs`),
 * everything else becomes a `ZsError`.
 */
export const azureErrors: BackendErrorClassifier = {
  store: "azure",
  isTransient,
  isAbsent,
  toZsError,
  describeError: azureErrorName,
  retryAfterMs,
};
