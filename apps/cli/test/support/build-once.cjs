const { execFileSync } = require("node:child_process");
const path = require("node:path");

const ROOT = path.join(__dirname, "..", "..", "..", "..");

/**
 * Builds dist/zs.js (esbuild, under a second) so the tests run the real binary, the server's
 * bundle (remote mode runs the same tests against a real zs-server process), and, through
 * turbo (a cache hit when nothing changed), the dist/ of the custom store example (with
 * @zs/core's, which it imports as an installed package would: the CLI loads it at run time)
 * and of the library packages packaging.test.ts packs and installs.
 */
module.exports = async function buildOnce() {
  execFileSync(process.execPath, [path.join(__dirname, "..", "..", "build.mjs")], {
    cwd: path.join(__dirname, "..", ".."),
    stdio: "inherit",
  });
  execFileSync(process.execPath, [path.join(ROOT, "apps", "server", "build.mjs")], { cwd: path.join(ROOT, "apps", "server"), stdio: "inherit" });
  execFileSync(path.join(ROOT, "node_modules", ".bin", "turbo"), ["run", "build", "--filter=@zs-examples/file-store", "--filter=@zs/client...", "--filter=@zs/store-aws...", "--output-logs=errors-only"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
};
