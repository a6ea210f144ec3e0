import { ZsError, type BackendErrorClassifier } from "@zs/core";

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "LimitExceededException",
  "SlowDown",
]);
const AUTH = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "CredentialsProviderError",
]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ECONNABORTED"]);

function shape(error: unknown): SdkErrorShape {
  return typeof error === "object" && error !== null ? (error as SdkErrorShape) : {};
}

/** The service's error name (`ResourceNotFoundException`, …), or the JS error's. */
export function awsErrorName(error: unknown): string {
  return shape(error).name ?? "Error";
}

/** A secret that does not exist, or is already on its way out after a deletion. */
export function isAbsent(error: unknown): boolean {
  const { name, message = "" } = shape(error);
  return name === "ResourceNotFoundException" || (name === "InvalidRequestException" && /marked for deletion/i.test(message));
}

/** Worth another attempt: throttling, 5xx, a lost connection or timeout, a name still being freed. */
export function isTransient(error: unknown): boolean {
  const { name = "", code, message = "", $metadata } = shape(error);
  if (THROTTLING.has(name)) return true;
  if (($metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (name === "InternalServiceError" || name === "ServiceUnavailable" || name === "TimeoutError") return true;
  if (code && NETWORK_CODES.has(code)) return true;
  if (/socket hang up|ECONNRESET|ECONNREFUSED/i.test(message)) return true;
  // After ForceDeleteWithoutRecovery the name stays reserved for a few seconds.
  return name === "InvalidRequestException" && /scheduled for deletion/i.test(message);
}

/** Turns a failure the store does not handle itself into the `ZsError` callers get. */
export function toZsError(error: unknown, operation: string, secretName: string, attempts: number): ZsError {
  const { name = "Error", message = "" } = shape(error);
  if (AUTH.has(name)) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `aws: Secrets Manager rejected the credentials (${name}) on ${operation}; check access_key_id/secret_access_key ` +
        "or the AWS default credential chain, and the region.",
      { reason: "aws_auth", awsError: name },
    );
  }
  if (name === "AccessDeniedException") {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `aws: access denied for secretsmanager:${operation} on '${secretName}'; the IAM policy must allow it.`,
      { reason: "aws_access_denied", awsError: name },
    );
  }
  const tried = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new ZsError("BACKEND_UNAVAILABLE", `aws: ${operation} of '${secretName}' failed${tried}: ${name}: ${message}`, {
    awsError: name,
  });
}

/**
 * Secrets Manager's failures as core's `backendCaller` needs them told apart: absent secrets
 * go back to the caller, throttling, 5xx and lost connections are retried, everything else
 * becomes a `ZsError`.
 */
export const awsErrors: BackendErrorClassifier = { store: "aws", isTransient, isAbsent, toZsError, describeError: awsErrorName };
