import { ZsError, redactUrl, type User } from "@zs/core";
import type { LocalStore } from "./local-store.js";
import { RemoteHttp } from "./remote-http.js";
import { RemoteComponentsApi } from "./remote-components-api.js";
import { RemoteSecretsApi } from "./remote-secrets-api.js";
import type { ComponentsApi } from "./components-api.js";
import type { SecretsApi } from "./secrets-api.js";

/** The values store behind a session: its type and declared capabilities. */
export interface StoreInfo {
  type: string;
  capabilities: Record<string, unknown>;
}

/** Where a client's calls go, once opened: the embedded store or a server. */
export type Session =
  | { mode: "local"; api: SecretsApi; components: ComponentsApi; user: User; local: LocalStore; store(): Promise<StoreInfo>; close(): Promise<void> }
  | {
      mode: "remote";
      api: RemoteSecretsApi;
      components: ComponentsApi;
      user: User;
      http: RemoteHttp;
      store(): Promise<StoreInfo>;
      close(): Promise<void>;
    };

/** A server to talk to and the token to present. */
export interface Connection {
  url: string;
  token: string;
  /** Trusted for an `https://` server besides the bundled roots (`ZS_CA_FILE`). */
  caFile?: string;
}

/**
 * Opens the embedded store. Its code (the SQL store, knex, sqlite3) is imported only now, so a
 * client in remote mode never loads it.
 */
export async function openLocalSession(home: string, env: Record<string, string | undefined>): Promise<Session> {
  const { openLocalStore } = await import("./local-store.js");
  const { auditedLocalApis } = await import("./local-audit.js");
  const local = await openLocalStore(home, env);
  const audited = auditedLocalApis(local.service, local.components, local.audit);
  return {
    mode: "local",
    api: audited.api,
    components: audited.components,
    user: local.user,
    local,
    store: async () => local.store,
    close: () => local.close(),
  };
}

/** The user a token belongs to, as the server says. */
export async function currentUser(http: RemoteHttp): Promise<User> {
  const body = (await http.request("GET", "/api/v1/current-user")).body as { id: string; name: string; is_admin: boolean; created: string };
  return { id: body.id, name: body.name, isAdmin: body.is_admin, created: body.created };
}

export async function openRemoteSession(connection: Connection): Promise<Session> {
  const http = new RemoteHttp(connection.url, connection.token, { caFile: connection.caFile });
  const user = await currentUser(http);
  const api = new RemoteSecretsApi(http);
  return {
    mode: "remote",
    api,
    components: new RemoteComponentsApi(http, api),
    user,
    http,
    store: async () => ((await http.request("GET", "/api/v1/server-info")).body as { store: StoreInfo }).store,
    close: async () => undefined,
  };
}

/** A server URL as saved: `http(s)://host[:port][/path]`, without a trailing slash. */
export function normalizeServerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ZsError("VALIDATION_ERROR", `'${redactUrl(url)}' is not a URL; give the server's address, e.g. http://127.0.0.1:8237.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ZsError("VALIDATION_ERROR", `The server URL must start with http:// or https://, not '${parsed.protocol}'.`);
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new ZsError("VALIDATION_ERROR", "The server URL must not carry credentials, a query or a fragment.");
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}
