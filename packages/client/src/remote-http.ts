import { request as httpRequest, type IncomingMessage } from "node:http";
import { readFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import { ERROR_CODES, ZsError, detailsFromWire, redactUrl, type ErrorCode } from "@zs/core";

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
function exchange(
  target: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  ca: string[] | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const onAnswer = (incoming: IncomingMessage) => {
      let text = "";
      incoming.setEncoding("utf8");
      incoming.on("data", (chunk: string) => (text += chunk));
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, text }));
      incoming.on("error", reject);
    };
    const outgoing =
      target.protocol === "https:" ? httpsRequest(target, { method, headers, ...(ca && { ca }) }, onAnswer) : httpRequest(target, { method, headers }, onAnswer);
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** The certificate errors of an HTTPS server this process does not trust (Node's codes from OpenSSL). */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const caFiles = new Map<string, Promise<string[]>>();

/** `ZS_CA_FILE`'s certificates after Node's bundled roots, read once per process. */
function trustedCertificates(caFile: string): Promise<string[]> {
  let loading = caFiles.get(caFile);
  if (!loading) {
    loading = readFile(caFile, "utf8").then(
      (pem) => {
        if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new ZsError("CONFIGURATION_ERROR", `ZS_CA_FILE ${caFile} holds no PEM certificate.`);
        return [...rootCertificates, pem];
      },
      (error: NodeJS.ErrnoException) => {
        throw new ZsError("CONFIGURATION_ERROR", `Cannot read ZS_CA_FILE ${caFile} (${error.code ?? "unreadable"}).`);
      },
    );
    loading.catch(() => caFiles.delete(caFile));
    caFiles.set(caFile, loading);
  }
  return loading;
}

/** How requests reach the server besides its URL. */
export interface RemoteHttpOptions {
  /**
   * A PEM file of CA certificates trusted for an `https://` server besides Node's bundled roots
   * (and `NODE_EXTRA_CA_CERTS`' when unset). @default `$ZS_CA_FILE`, else none
   */
  caFile?: string;
}

/**
 * Requests to one zs server with one bearer token. Every error answer becomes the `ZsError`
 * the server described (same code, message and details as in local mode: the wire's snake_case
 * detail keys back in camelCase), with the HTTP status in `details.httpStatus`.
 */
export class RemoteHttp {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
    private readonly options: RemoteHttpOptions = {},
  ) {}

  /** A copy that presents `token`. */
  withToken(token: string): RemoteHttp {
    return new RemoteHttp(this.url, token, this.options);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer> {
    const target = new URL(this.url + path);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) target.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const ca = this.options.caFile && target.protocol === "https:" ? await trustedCertificates(this.options.caFile) : undefined;
    let response: { status: number; text: string };
    try {
      response = await exchange(target, method, headers, options.body === undefined ? undefined : JSON.stringify(options.body), ca);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && UNTRUSTED_CERTIFICATE_CODES.has(code)) {
        const advice =
          code === "ERR_TLS_CERT_ALTNAME_INVALID" || code.startsWith("CERT_")
            ? "check the certificate's names and dates"
            : "if a private CA issued it, set ZS_CA_FILE (or NODE_EXTRA_CA_CERTS) to that CA's PEM certificate";
        throw new ZsError("BACKEND_UNAVAILABLE", `Cannot reach the zs server at ${redactUrl(this.url)} (${code}): its TLS certificate is not trusted here; ${advice}.`);
      }
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
      throw new ZsError(described.code, described.message, { ...detailsFromWire(described.details ?? {}), httpStatus: response.status });
    }
    throw new ZsError("INTERNAL", `The zs server at ${redactUrl(this.url)} answered ${method} ${path} with HTTP ${response.status} and no zs error.`, {
      httpStatus: response.status,
    });
  }
}
