// A reference point of server.bench.ts, not a server: one express route,
// `GET /api/v1/secrets/:nameOrId`, answered as zs-server answers it, from zs-server's own code
// (its authenticator with the token cache, the secrets service with its store and decryption,
// the route's result), and nothing else of zs-server's request handling: no middleware, no
// route wrapper (request id, input validation, audit hooks), no other routes.
// - BENCH_MIDDLEWARE=on puts zs-server's two middlewares in front, as it runs them: the
//   security headers and the request log line, which http-api.md requires of every request.
// Its settings are zs-server's (ZS_DATA_DIR, ZS_DATABASE_URL, ZS_AUDIT, …): it opens the same
// database with the same key. The bench runs it from source (tsx, esbuild's output as in the bundle).
import express from "express";
import { readConfig } from "@zs/core";
import { authenticator } from "../src/app.js";
import { requestLog, securityHeaders } from "../src/http-middleware.js";
import { createLogger, requestLogger } from "../src/logger.js";
import { openServices } from "../src/open-services.js";
import { sendResult } from "../src/route.js";
import { secretResult } from "../src/routes/secret-routes.js";

const config = readConfig({ env: process.env });
const logger = createLogger(config.logLevel);
const services = await openServices(config, logger, { version: "bench", sweep: false });
const authenticate = authenticator(services);

const app = express();
// zs-server's settings (app.ts).
app.disable("x-powered-by");
app.set("etag", false);
app.set("query parser", "simple");
if (process.env.BENCH_MIDDLEWARE === "on") app.use(securityHeaders, requestLog(requestLogger(logger)));
app.get("/api/v1/secrets/:nameOrId", async (request, response) => {
  const { caller } = await authenticate(request);
  sendResult(response, secretResult(200, await services.secrets.getSecret(caller, request.params.nameOrId!, {})));
});
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(`services route listening on http://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});
process.once("SIGTERM", () => server.close(() => void services.close().then(() => process.exit(0))));
