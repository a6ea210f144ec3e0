import express, { type Express, type RequestHandler } from "express";
import { DEFAULT_WORKSPACE, ZsError, type TrustProxy } from "@zs/core";
import type { Logger } from "pino";
import { presentedToken } from "./browser-session.js";
import { dashboardHandler, type DashboardFiles } from "./dashboard-files.js";
import { errorHandler } from "./http-errors.js";
import { requestLog, securityHeaders } from "./http-middleware.js";
import { requestLogger } from "./logger.js";
import { methodNotAllowed } from "./method-not-allowed.js";
import { METRICS_PATH } from "./ops/metrics-endpoint.js";
import { mountRoute, type Authenticator, type RouteDefinition } from "./route.js";
import { accountRoutes } from "./routes/account-routes.js";
import { auditRoutes } from "./routes/audit-routes.js";
import { authRoutes } from "./routes/auth-routes.js";
import { backupRoutes } from "./routes/backup-routes.js";
import { componentRoutes } from "./routes/component-routes.js";
import { historyRoutes } from "./routes/history-routes.js";
import { migrationRoutes } from "./routes/migration-routes.js";
import { referenceRoutes } from "./routes/reference-routes.js";
import { secretRoutes } from "./routes/secret-routes.js";
import { sessionRoutes } from "./routes/session-routes.js";
import { stackRoutes } from "./routes/stack-routes.js";
import { systemRoutes } from "./routes/system-routes.js";
import type { ServerServices } from "./server-services.js";

/** Request bodies over this are refused with 413 (http-api.md). */
const BODY_LIMIT = "1mb";

/** Every route of the server, in the order they are matched. */
export function serverRoutes(services: ServerServices): RouteDefinition[] {
  // Express tries routes in this order, each a pattern match: the most requested (secrets) first.
  const routes: RouteDefinition[] = [
    ...secretRoutes(services),
    ...historyRoutes(services),
    ...systemRoutes(services, () => routes),
    ...authRoutes(services),
    ...sessionRoutes(services),
    ...accountRoutes(services),
    ...componentRoutes(services),
    ...stackRoutes(services),
    ...referenceRoutes(services),
    ...backupRoutes(services),
    ...migrationRoutes(services),
    ...auditRoutes(services),
  ];
  return routes;
}

/** What the app takes from the configuration. */
export interface AppOptions {
  /**
   * `ZS_TRUST_PROXY`: which proxies may name the client in `X-Forwarded-For`; the address
   * `request.ip` gives login throttling and the audit log. @default false (the peer's address)
   */
  trustProxy?: TrustProxy;
  /**
   * Metrics, when on (`ZS_METRICS_TOKEN` or `ZS_METRICS_PORT`): `requests` measures every
   * request; `endpoint`, when given, serves `GET /metrics` on this app (not with a metrics port).
   * @default off: nothing measured, `/metrics` unknown
   */
  metrics?: { requests: RequestHandler; endpoint?: RequestHandler };
  /** The built dashboard, served at `/` (dashboard.md); unset: not served (`ZS_DASHBOARD=false`, or not built). */
  dashboard?: DashboardFiles;
}

/** Who sends a request, from its bearer token or session cookie, in the default workspace. */
export function authenticator(services: Pick<ServerServices, "auth">): Authenticator {
  return async (request) => {
    const authenticated = await services.auth.authenticate(presentedToken(request));
    const { user } = authenticated;
    return { authenticated, caller: { userId: user.id, userName: user.name, isAdmin: user.isAdmin, workspace: DEFAULT_WORKSPACE } };
  };
}

/** The express application of the zs server (http-api.md). */
export function createApp(services: ServerServices, logger: Logger, options: AppOptions = {}): Express {
  const app = express();
  app.set("trust proxy", options.trustProxy ?? false);
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  if (options.metrics) app.use(options.metrics.requests);
  app.use(securityHeaders, requestLog(requestLogger(logger)));
  const parseJson = express.json({ limit: BODY_LIMIT });

  const authenticate = authenticator(services);
  const methodsByPath = new Map<string, string[]>();
  const allow = (path: string, method: string) => methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method]);
  // On the application's own router: a nested one would add a second routing pass per request.
  for (const route of serverRoutes(services)) {
    mountRoute(app, route, authenticate, parseJson, services.audit);
    allow(route.path, route.method);
  }
  if (options.metrics?.endpoint) {
    app.get(METRICS_PATH, options.metrics.endpoint);
    allow(METRICS_PATH, "get");
  }
  // After every route: a known path reached here was asked with a method it does not take.
  for (const [path, methods] of methodsByPath) app.all(path, methodNotAllowed(methods));
  if (options.dashboard) app.use(dashboardHandler(options.dashboard));
  app.use((request) => {
    throw new ZsError("NOT_FOUND", `No route ${request.method} ${request.path}.`);
  });
  app.use(errorHandler(logger));
  return app;
}
