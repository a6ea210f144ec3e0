// Bundles `zs-server` into dist/zs-server.js (see tools/bundle-app.mjs).
import { bundleApp } from "../../tools/bundle-app.mjs";

await bundleApp(new URL("./", import.meta.url), { "zs-server": "src/main.ts" });
