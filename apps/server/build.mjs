// Bundles `zs-server` into dist/zs-server.js (see tools/bundle-app.mjs), with the built dashboard beside it.
import { cp, rm, stat } from "node:fs/promises";
import { bundleApp } from "../../tools/bundle-app.mjs";

await bundleApp(new URL("./", import.meta.url), { "zs-server": "src/main.ts" });

// apps/dashboard builds first (a dependency of this package): its files ship in dist/dashboard.
const dashboard = new URL("../dashboard/dist/", import.meta.url);
const shipped = new URL("./dist/dashboard/", import.meta.url);
await rm(shipped, { recursive: true, force: true });
if (await stat(new URL("index.html", dashboard)).catch(() => undefined)) await cp(dashboard, shipped, { recursive: true });
