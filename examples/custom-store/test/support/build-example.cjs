const { execFileSync } = require("node:child_process");
const path = require("node:path");

const ROOT = path.join(__dirname, "..", "..", "..", "..");

/**
 * Builds the example's dist/, and @zs/core's which it imports the way an installed package
 * would, through turbo: an unchanged tree is a cache hit (well under a second). Runs as jest's
 * globalSetup, before any test reads those files.
 */
module.exports = async function buildExample() {
  execFileSync(path.join(ROOT, "node_modules", ".bin", "turbo"), ["run", "build", "--filter=@zs-examples/file-store", "--output-logs=errors-only"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
};
