import { describe, expect, it } from "@jest/globals";
import { isZsError } from "@zs/core";
import { GRPC_CODE, isTransient, toZsError } from "../src/backend-errors.js";

// The shapes below are what google-gax and grpc-js hand over: a numeric gRPC `code` and the
// server's `details`; a failure to produce call credentials is grpc-js's "Getting metadata
// from plugin failed with error: …" with code UNKNOWN; a failure to set the client up at all
// is google-auth-library's plain Error.
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} X: ${details}`), { code, details });
const NO_ADC = "Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.";

describe("gcp backend errors", () => {
  it("throttling, UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED and ABORTED are transient; NOT_FOUND, PERMISSION_DENIED, INVALID_ARGUMENT and UNAUTHENTICATED are not", () => {
    for (const code of [GRPC_CODE.RESOURCE_EXHAUSTED, GRPC_CODE.UNAVAILABLE, GRPC_CODE.INTERNAL, GRPC_CODE.DEADLINE_EXCEEDED, GRPC_CODE.ABORTED]) {
      expect(isTransient(grpcError(code, "x"))).toBe(true);
    }
    for (const code of [GRPC_CODE.NOT_FOUND, GRPC_CODE.PERMISSION_DENIED, GRPC_CODE.INVALID_ARGUMENT, GRPC_CODE.UNAUTHENTICATED]) {
      expect(isTransient(grpcError(code, "x"))).toBe(false);
    }
  });

  it("UNAUTHENTICATED, credentials that cannot be produced, and a client that finds none are CONFIGURATION_ERRORs naming credentials_file", () => {
    const failures = [
      grpcError(GRPC_CODE.UNAUTHENTICATED, "Request had invalid authentication credentials."),
      grpcError(GRPC_CODE.UNKNOWN, "Getting metadata from plugin failed with error: error:1E08010C:DECODER routines::unsupported"),
      new Error(NO_ADC),
    ];
    for (const failure of failures) {
      expect(isTransient(failure)).toBe(false);
      const error = toZsError(failure, "GetSecret", "projects/p/secrets/zs-x", 1);
      expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
      expect(error.message).toMatch(/^gcp: Secret Manager could not authenticate GetSecret.*Check credentials_file/);
    }
  });

  it("a token fetch the network interrupted is transient, not a configuration error", () => {
    const failure = grpcError(GRPC_CODE.UNKNOWN, "Getting metadata from plugin failed with error: request to https://oauth2.googleapis.com/token failed, reason: getaddrinfo EAI_AGAIN oauth2.googleapis.com");
    expect(isTransient(failure)).toBe(true);
    expect(toZsError(failure, "GetSecret", "projects/p/secrets/zs-x", 4).code).toBe("BACKEND_UNAVAILABLE");
  });

  it("anything else is BACKEND_UNAVAILABLE with the gRPC code name, the service's words and the attempts", () => {
    const error = toZsError(grpcError(GRPC_CODE.INVALID_ARGUMENT, "Secret Payload cannot be larger than 64KiB."), "AddSecretVersion", "projects/p/secrets/zs-x", 1);
    expect(error.code).toBe("BACKEND_UNAVAILABLE");
    expect(error.message).toBe("gcp: AddSecretVersion of 'projects/p/secrets/zs-x' failed: INVALID_ARGUMENT: Secret Payload cannot be larger than 64KiB");
    expect(toZsError(grpcError(GRPC_CODE.INTERNAL, "boom"), "GetSecret", "s", 4).message).toBe("gcp: GetSecret of 's' failed after 4 attempts: INTERNAL: boom");
  });
});
