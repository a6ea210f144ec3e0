const { execFileSync } = require("node:child_process");
const path = require("node:path");

/**
 * Builds what the tests run: the bundled zs-server (esbuild, about a second) and this
 * dashboard's dist/ (vite), both through turbo so an unchanged build is a cache hit.
 */
module.exports = async function globalSetup() {
  const root = path.join(__dirname, "..", "..", "..", "..");
  execFileSync(process.execPath, [path.join(root, "node_modules", "turbo", "bin", "turbo"), "run", "build", "--filter=@zs/server", "--filter=@zs/dashboard", "--output-logs=errors-only"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
};
