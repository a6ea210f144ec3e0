// The baselines of server.bench.ts: express 5 (the version zs-server bundles) with one route
// answering a constant JSON shaped like a secret. Plain JavaScript, run by plain `node`, as
// zs-server's bundle is.
// - Without BARE_DATABASE_URL: nothing else; no middleware, no database, no logging.
// - With BARE_DATABASE_URL (a zs database: sqlite:PATH or postgres://…): before answering, the
//   route makes the two reads a zs-server GET needs (the bearer token's credential with its user,
//   the secret by name with its values), each a statement prepared once, through the bare driver
//   zs-server uses (sqlite3, pg): no knex, no checks, no decryption. The floor of any server that
//   looks its token up in the database on every request, on this machine.
// - With BARE_READS=secret as well: the token is hashed but not looked up, only the secret is
//   read — the one read zs-server makes with its authentication cache warm: the floor of a
//   server with such a cache.
import { createHash } from "node:crypto";
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

const CREDENTIAL_SQL = "select c.id, c.expires, u.name from credentials c join users u on u.id = c.user_id where c.token_hash = $1";
const SECRET_SQL =
  "select s.id, s.version, v.ciphertext from secrets s join workspaces w on w.id = s.workspace_id " +
  "left join secret_values v on v.secret_id = s.id where w.name = 'default' and s.name = $1";

/** `read(index, parameter)`: runs statement `index` (0 the credential, 1 the secret) and resolves its rows. */
async function openReads(databaseUrl) {
  if (databaseUrl.startsWith("sqlite:")) {
    const { default: sqlite3 } = await import("sqlite3");
    const db = new sqlite3.Database(databaseUrl.slice("sqlite:".length), sqlite3.OPEN_READONLY);
    const statements = [CREDENTIAL_SQL, SECRET_SQL].map((sql) => db.prepare(sql.replace("$1", "?")));
    return (index, parameter) => new Promise((resolve, reject) => statements[index].all([parameter], (error, rows) => (error ? reject(error) : resolve(rows))));
  }
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const statements = [CREDENTIAL_SQL, SECRET_SQL];
  return async (index, parameter) => (await pool.query({ name: `bare_${index}`, text: statements[index], values: [parameter] })).rows;
}

const read = process.env.BARE_DATABASE_URL ? await openReads(process.env.BARE_DATABASE_URL) : undefined;
const readsCredential = process.env.BARE_READS !== "secret";
const app = express();
app.get("/api/v1/secrets/:nameOrId", async (request, response) => {
  if (read) {
    const token = (request.headers.authorization ?? "").slice("Bearer ".length);
    const tokenHash = createHash("sha256").update(token).digest("hex");
    const [credential] = readsCredential ? await read(0, tokenHash) : [tokenHash];
    const [secret] = await read(1, request.params.nameOrId);
    if (!credential || !secret) return response.status(404).end();
  }
  response.type("application/json").send(SECRET);
});
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(`bare express listening on http://127.0.0.1:${server.address().port}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
