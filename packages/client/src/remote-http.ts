import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { ERROR_CODES, ZsError, redactUrl, type ErrorCode } from "@zs/core";

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
 * One request and its whole answer, through `node:http(s)`. Not `fetch`: on Node 20 a
 * process's first `fetch` loads undici and compiles its WebAssembly HTTP parser, and the process
 * cannot exit before that compilation ends: about 250 ms here, more than a `zs` command's work.
 */
function exchange(target: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const outgoing = send(target, { method, headers }, (incoming) => {
      let text = "";
      incoming.setEncoding("utf8");
      incoming.on("data", (chunk: string) => (text += chunk));
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, text }));
      incoming.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
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
    let response: { status: number; text: string };
    try {
      response = await exchange(target, method, headers, options.body === undefined ? undefined : JSON.stringify(options.body));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new ZsError("BACKEND_UNAVAILABLE", `Cannot reach the zs server at ${redactUrl(this.url)}${typeof code === "string" ? ` (${code})` : ""}.`);
    }
    const { text } = response;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status >= 200 && response.status < 300) return { status: response.status, body };
    const described = (body as { error?: { code?: unknown; message?: unknown; details?: Record<string, unknown> } } | undefined)?.error;
    if (described && isErrorCode(described.code) && typeof described.message === "string") {
      throw new ZsError(described.code, described.message, { ...described.details, httpStatus: response.status });
    }
    throw new ZsError("INTERNAL", `The zs server at ${redactUrl(this.url)} answered ${method} ${path} with HTTP ${response.status} and no zs error.`, {
      httpStatus: response.status,
    });
  }
}
