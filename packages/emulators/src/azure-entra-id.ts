import { randomBytes, randomUUID } from "node:crypto";

/** An app registration the token endpoint accepts (client credentials). */
export interface EntraIdClient {
  clientId: string;
  clientSecret: string;
}

/** What the token service counts. */
export interface EntraIdCalls {
  /** `GET /<tenant>/v2.0/.well-known/openid-configuration`. */
  openIdConfiguration: number;
  /** `POST /<tenant>/oauth2/v2.0/token`, refused ones included. */
  token: number;
}

/** An HTTP answer: status, headers and a JSON body. */
export interface JsonAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

interface IssuedToken {
  tenantId: string;
  clientId: string;
  /** The resource the token was asked for, e.g. `https://vault.azure.net`. */
  audience: string;
  expiresAt: number;
}

const TOKEN_LIFETIME_SECONDS = 3599;

/**
 * The two Entra ID (v2.0) endpoints MSAL's client-credentials flow uses when instance
 * discovery is off: the tenant's OpenID configuration and its token endpoint. Access tokens
 * are opaque random strings remembered here, so the resource server can check them.
 */
export class EntraIdTokenService {
  readonly calls: EntraIdCalls = { openIdConfiguration: 0, token: 0 };
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    /** `https://host:port`, with no trailing slash. */
    private readonly authorityHost: string,
    readonly tenantId: string,
    private readonly clients: readonly EntraIdClient[],
    /** Asked once per token request: `true` answers it 503 `temporarily_unavailable`. */
    private readonly failToken: () => boolean = () => false,
  ) {}

  /** Answers the request if it is one of the identity endpoints; `undefined` otherwise. */
  handle(method: string, pathname: string, body: string): JsonAnswer | undefined {
    const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(pathname);
    if (!match) return undefined;
    const [, tenant = "", endpoint] = match;
    const isToken = endpoint === "oauth2/v2.0/token";
    if (isToken) this.calls.token += 1;
    else this.calls.openIdConfiguration += 1;
    if (tenant.toLowerCase() !== this.tenantId.toLowerCase()) {
      return oauthError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
    }
    if (!isToken) {
      return method === "GET" ? { status: 200, body: this.openIdConfiguration() } : oauthError(405, "invalid_request", 900561, "The endpoint only accepts GET requests.");
    }
    if (method !== "POST") return oauthError(405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
    if (this.failToken()) return oauthError(503, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again.");
    return this.token(new URLSearchParams(body));
  }

  /** Whether `bearer` is a live token of this tenant for `audience`. */
  isValid(bearer: string, audience: string): boolean {
    const token = this.tokens.get(bearer);
    return token !== undefined && token.audience === audience && token.expiresAt > Date.now();
  }

  /** Forgets the tokens issued to `clientId` (all when omitted): the next call presenting one is refused. */
  revokeTokens(clientId?: string): void {
    for (const [bearer, token] of this.tokens) if (clientId === undefined || token.clientId === clientId) this.tokens.delete(bearer);
  }

  resetCalls(): void {
    Object.assign(this.calls, { openIdConfiguration: 0, token: 0 });
  }

  private openIdConfiguration(): Record<string, unknown> {
    const base = `${this.authorityHost}/${this.tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: null,
      cloud_instance_name: "emulator",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
    };
  }

  private token(form: URLSearchParams): JsonAnswer {
    if (form.get("grant_type") !== "client_credentials") {
      return oauthError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type; only client_credentials is emulated.");
    }
    const clientId = form.get("client_id") ?? "";
    const client = this.clients.find((c) => c.clientId === clientId);
    if (!client) {
      return oauthError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'.`);
    }
    if (form.get("client_secret") !== client.clientSecret) {
      return oauthError(401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
    const resourceScope = scopes.find((scope) => scope.endsWith("/.default"));
    if (!resourceScope || scopes.some((scope) => scope !== resourceScope && !["openid", "profile", "offline_access"].includes(scope))) {
      return oauthError(400, "invalid_scope", 1002012, `The provided value for scope '${form.get("scope") ?? ""}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`);
    }
    const accessToken = randomBytes(32).toString("base64url");
    this.tokens.set(accessToken, {
      tenantId: this.tenantId,
      clientId,
      audience: resourceScope.slice(0, -"/.default".length),
      expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000,
    });
    return {
      status: 200,
      body: { token_type: "Bearer", expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: accessToken },
    };
  }
}

function oauthError(status: number, error: string, code: number, description: string): JsonAnswer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: correlationId,
    },
  };
}
