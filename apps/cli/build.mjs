// Bundles `zs` into dist/zs.js (see tools/bundle-app.mjs): one file to load at start-up, so
// `zs` starts quickly; commands load their code on demand.
import { bundleApp } from "../../tools/bundle-app.mjs";

await bundleApp(new URL("./", import.meta.url), { zs: "src/main.ts" });
