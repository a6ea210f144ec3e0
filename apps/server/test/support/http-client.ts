import http from "node:http";

/** A response as the tests look at it. */
export interface HttpResult {
  status: number;
  headers: Headers;
  /** The parsed JSON body; `undefined` for an empty one. */
  json: any;
  text: string;
}

export interface RequestOptions {
  token?: string;
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
  /** The local address to send from (any of 127.0.0.0/8 reaches the server), e.g. to be another client to the login throttle. */
  fromAddress?: string;
}

/** One HTTP request over a real socket. */
export async function request(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const { status, headers: responseHeaders, text } = options.fromAddress
    ? await requestFrom(options.fromAddress, baseUrl + path, method, headers, body)
    : await fetch(baseUrl + path, { method, headers, body }).then(async (response) => ({ status: response.status, headers: response.headers, text: await response.text() }));
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers: responseHeaders, json, text };
}

/** `fetch` cannot choose its local address; node:http can. */
function requestFrom(localAddress: string, url: string, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined) {
  return new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
    const outgoing = http.request(url, { method, headers, localAddress }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const received = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === "string") received.set(name, value);
        resolve({ status: response.statusCode ?? 0, headers: received, text: Buffer.concat(chunks).toString("utf8") });
      });
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}
