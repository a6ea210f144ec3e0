// The baseline of server.bench.ts: express 5 (the version zs-server bundles) with one route
// answering a constant JSON shaped like a secret, and nothing else: no middleware, no
// database, no logging. Plain JavaScript, run by plain `node`, as zs-server's bundle is.
import express from "express";

const SECRET = JSON.stringify({
  id: "6f1c2a4e-8d3b-4f5a-9c7e-1b2d3e4f5a6b",
  name: "prod-billing-db-password",
  scope: "workspace",
  workspace: "default",
  user: "admin",
  keys: ["password", "username"],
  version: 1,
  created: "2026-01-01T00:00:00.000Z",
  updated: "2026-01-01T00:00:00.000Z",
  values: { password: "0123456789abcdef0123456789abcdef", username: "billing" },
});

const app = express();
app.get("/api/v1/secrets/:nameOrId", (_request, response) => {
  response.type("application/json").send(SECRET);
});
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(`bare express listening on http://127.0.0.1:${server.address().port}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
