const { execFileSync } = require("node:child_process");
const path = require("node:path");

/** Builds dist/zs-server.js (esbuild, under a second) so the tests run the real binary. */
module.exports = async function buildOnce() {
  execFileSync(process.execPath, [path.join(__dirname, "..", "..", "build.mjs")], {
    cwd: path.join(__dirname, "..", ".."),
    stdio: "inherit",
  });
};
