import { ZsError, type BackendErrorClassifier } from "@zs/core";

/** The gRPC status codes (`google.rpc.Code`) the store tells apart; stable wire numbers. */
export const GRPC_CODE = {
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const CODE_NAMES = new Map<number, string>(Object.entries(GRPC_CODE).map(([name, code]) => [code, name]));

// Throttling, a server hiccup, a lost connection or an expired deadline: worth another attempt.
const TRANSIENT = new Set<number>([
  GRPC_CODE.RESOURCE_EXHAUSTED,
  GRPC_CODE.UNAVAILABLE,
  GRPC_CODE.INTERNAL,
  GRPC_CODE.DEADLINE_EXCEEDED,
  GRPC_CODE.ABORTED,
]);

interface GrpcErrorShape {
  code?: unknown;
  details?: unknown;
  message?: unknown;
}

function shape(error: unknown): GrpcErrorShape {
  return typeof error === "object" && error !== null ? (error as GrpcErrorShape) : {};
}

/** The gRPC status code of an SDK error, or `undefined` for an error that never reached the wire. */
export function grpcCode(error: unknown): number | undefined {
  const { code } = shape(error);
  return typeof code === "number" ? code : undefined;
}

/** `NOT_FOUND`, `UNAVAILABLE`, … or `Error` when the failure carries no gRPC status. */
export function grpcCodeName(error: unknown): string {
  const code = grpcCode(error);
  return code === undefined ? "Error" : (CODE_NAMES.get(code) ?? `code ${code}`);
}

/** The service's explanation without the SDK's `"5 NOT_FOUND: "` prefix or a final full stop. */
function detailsOf(error: unknown): string {
  const { details, message } = shape(error);
  const text = typeof details === "string" && details ? details : typeof message === "string" ? message.replace(/^\d+ [A-Z_]+: /, "") : String(error);
  return text.replace(/\.+$/, "");
}

/** A secret, or the version asked for, that does not exist. */
export function isAbsent(error: unknown): boolean {
  return grpcCode(error) === GRPC_CODE.NOT_FOUND;
}

/** `CreateSecret` lost a race: the name is taken. */
export function isAlreadyExists(error: unknown): boolean {
  return grpcCode(error) === GRPC_CODE.ALREADY_EXISTS;
}

/** A version that exists but is disabled or already destroyed. */
export function isNotEnabled(error: unknown): boolean {
  return grpcCode(error) === GRPC_CODE.FAILED_PRECONDITION;
}

// grpc-js reports a failure to produce the call's credentials (load the key file, find
// Application Default Credentials, fetch a token) with this text and no useful code.
const CREDENTIALS_PLUGIN_FAILURE = /Getting metadata from plugin failed/;
// …which is only a network hiccup when fetching the token failed on the way.
const NETWORK_FAILURE = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|socket hang up|network|timed? ?out|\b5\d\d\b/i;

function textOf(error: unknown): string {
  const { details, message } = shape(error);
  return `${typeof details === "string" ? details : ""} ${typeof message === "string" ? message : ""}`;
}

// Before the first call google-gax asks google-auth-library for a client; when that fails
// ("Could not load the default credentials", an unreadable key) the error has no gRPC code.
const CREDENTIALS_SETUP_FAILURE = /credential|private key|universe domain/i;

/** The call's credentials could not be produced for a reason other than the network. */
function isCredentialsFailure(error: unknown): boolean {
  const text = textOf(error);
  if (grpcCode(error) === undefined) return CREDENTIALS_SETUP_FAILURE.test(text);
  return CREDENTIALS_PLUGIN_FAILURE.test(text) && !NETWORK_FAILURE.test(text);
}

/**
 * Worth another attempt: throttling (`RESOURCE_EXHAUSTED`), `UNAVAILABLE`, `INTERNAL`, a
 * deadline, an abort, or a token fetch the network interrupted.
 */
export function isTransient(error: unknown): boolean {
  const code = grpcCode(error);
  if (code === undefined) return false;
  const text = textOf(error);
  if (CREDENTIALS_PLUGIN_FAILURE.test(text)) return NETWORK_FAILURE.test(text);
  return TRANSIENT.has(code);
}

/** Turns a failure the store does not handle itself into the `ZsError` callers get. */
export function toZsError(error: unknown, operation: string, resource: string, attempts: number): ZsError {
  const code = grpcCode(error);
  const codeName = grpcCodeName(error);
  if (code === GRPC_CODE.UNAUTHENTICATED || isCredentialsFailure(error)) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `gcp: Secret Manager could not authenticate ${operation}${code === undefined ? "" : ` (${codeName})`}: ${detailsOf(error)}. Check credentials_file, ` +
        "or the Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login, the attached service account).",
      { reason: "gcp_auth", grpcCode: codeName },
    );
  }
  if (code === GRPC_CODE.PERMISSION_DENIED) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `gcp: permission denied for ${operation} on '${resource}': ${detailsOf(error)}. Check project_id, and that the ` +
        "credentials hold the Secret Manager permissions the store needs (see the README of @zs/store-gcp).",
      { reason: "gcp_permission_denied", grpcCode: codeName },
    );
  }
  const tried = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new ZsError("BACKEND_UNAVAILABLE", `gcp: ${operation} of '${resource}' failed${tried}: ${codeName}: ${detailsOf(error)}`, {
    grpcCode: codeName,
  });
}

/**
 * Secret Manager's failures as core's `backendCaller` needs them told apart: absent secrets
 * go back to the caller, throttling, UNAVAILABLE, INTERNAL and expired deadlines are retried,
 * everything else becomes a `ZsError`. The SDK's own retries are switched off, so this is the
 * only retry policy; each attempt still has the client's deadline.
 */
export const gcpErrors: BackendErrorClassifier = { store: "gcp", isTransient, isAbsent, toZsError, describeError: grpcCodeName };
