// Loader hooks for record-loads.mjs (they run on the loader thread): each module loaded
// through the ESM loader is appended to the file by URL once it has loaded.
import { appendFileSync } from "node:fs";

let file;

export function initialize(data) {
  file = data.file;
}

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  appendFileSync(file, `${url}\n`);
  return loaded;
}
