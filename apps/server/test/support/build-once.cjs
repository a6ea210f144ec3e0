const { execFileSync } = require("node:child_process");
const path = require("node:path");
// The example's own globalSetup: its dist/ (and @zs/core's, which it imports as an installed
// package would) through turbo, a cache hit when nothing changed.
const buildCustomStoreExample = require("../../../../examples/custom-store/test/support/build-example.cjs");

/**
 * Builds dist/zs-server.js (esbuild, under a second) so the tests run the real binary, and the
 * custom store example's dist/, which that binary loads at run time.
 */
module.exports = async function buildOnce() {
  execFileSync(process.execPath, [path.join(__dirname, "..", "..", "build.mjs")], {
    cwd: path.join(__dirname, "..", ".."),
    stdio: "inherit",
  });
  await buildCustomStoreExample();
};
