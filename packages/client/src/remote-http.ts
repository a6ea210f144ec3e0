import { ERROR_CODES, ZsError, type ErrorCode } from "@zs/core";

/** A query string's parameters; `undefined` ones are left out. */
export type QueryParameters = Record<string, string | number | undefined>;

interface RequestOptions {
  query?: QueryParameters;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the server answered: status and parsed JSON body. */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && (ERROR_CODES as readonly string[]).includes(code);
}

/**
 * Requests to one zs server with one bearer token. Every error answer becomes the `ZsError`
 * the server described (same code and message as in local mode), with the HTTP status in
 * `details.httpStatus`.
 */
export class RemoteHttp {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  /** A copy that presents `token`. */
  withToken(token: string): RemoteHttp {
    return new RemoteHttp(this.url, token);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer> {
    const target = new URL(this.url + path);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) target.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(target, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new ZsError("BACKEND_UNAVAILABLE", `Cannot reach the zs server at ${this.url}${cause ? ` (${cause})` : ""}.`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return { status: response.status, body };
    const described = (body as { error?: { code?: unknown; message?: unknown; details?: Record<string, unknown> } } | undefined)?.error;
    if (described && isErrorCode(described.code) && typeof described.message === "string") {
      throw new ZsError(described.code, described.message, { ...described.details, httpStatus: response.status });
    }
    throw new ZsError("INTERNAL", `The zs server at ${this.url} answered ${method} ${path} with HTTP ${response.status} and no zs error.`, {
      httpStatus: response.status,
    });
  }
}
