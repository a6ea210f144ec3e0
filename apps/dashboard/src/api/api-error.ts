/** The error body every zs route answers with (http-api.md). */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** A refused request: the server's code and message (shown as is), and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** From a response and its parsed body: the server's error when it sent one, else what the status says. */
  static from(response: Response, body: unknown): ApiError {
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    if (error && typeof error.code === "string" && typeof error.message === "string") {
      return new ApiError(response.status, error.code, error.message, error.details ?? {});
    }
    return new ApiError(response.status, "HTTP_" + response.status, `The server answered ${response.status} ${response.statusText || ""}`.trim() + ".");
  }
}

/** True for an ApiError with that code. */
export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
