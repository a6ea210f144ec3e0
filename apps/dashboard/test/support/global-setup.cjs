const { execFileSync } = require("node:child_process");
const path = require("node:path");

/**
 * Builds what the tests run: this dashboard's dist/ (vite, through turbo so an unchanged build
 * is a cache hit), then the bundled zs-server, which copies that dist/ beside itself. The
 * server's build runs directly, never from turbo's cache: a cached server output would bring
 * back whatever dashboard was built with it.
 */
module.exports = async function globalSetup() {
  const root = path.join(__dirname, "..", "..", "..", "..");
  execFileSync(process.execPath, [path.join(root, "node_modules", "turbo", "bin", "turbo"), "run", "build", "--filter=@zs/dashboard...", "--output-logs=errors-only"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  execFileSync(process.execPath, [path.join(root, "apps", "server", "build.mjs")], { cwd: path.join(root, "apps", "server"), stdio: "inherit" });
};
