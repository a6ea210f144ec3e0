// Fails the build when the dashboard's JavaScript, gzipped, is over its budget (served on every first visit).
const { readdir, readFile } = require("node:fs/promises");
const path = require("node:path");
const { gzipSync } = require("node:zlib");

/** The budget: all of dist/assets/*.js together, gzipped. */
const LIMIT_BYTES = 250 * 1024;

/** The gzipped size of each JS file of an assets directory. */
async function gzippedScriptSizes(assetsDir) {
  const files = (await readdir(assetsDir)).filter((name) => name.endsWith(".js"));
  return Promise.all(files.map(async (name) => ({ name, bytes: gzipSync(await readFile(path.join(assetsDir, name)), { level: 9 }).length })));
}

module.exports = { LIMIT_BYTES, gzippedScriptSizes };

if (require.main === module) {
  void (async () => {
    const sizes = await gzippedScriptSizes(path.join(__dirname, "..", "dist", "assets"));
    const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
    const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(`dashboard JS, gzipped: ${kb(total)} in ${sizes.length} files (limit ${kb(LIMIT_BYTES)})`);
    if (sizes.length === 0 || total > LIMIT_BYTES) {
      console.error(sizes.length === 0 ? "no JS in dist/assets" : `over the limit by ${kb(total - LIMIT_BYTES)}`);
      process.exit(1);
    }
  })();
}
