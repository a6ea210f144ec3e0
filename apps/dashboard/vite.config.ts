import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// zs-server serves dist/ at `/` under `script-src 'self'; style-src 'self'`: every script and
// stylesheet must be a file of its own, never inlined (no data: URLs, no inline tags).
export default defineConfig({
  base: "/",
  plugins: [react()],
  // `pnpm --filter @zs/dashboard dev`: the app from Vite, the API from a zs-server (ZS_SERVER_URL, default the
  // server's default address), same origin for the browser so the session cookie works.
  server: {
    proxy: Object.fromEntries(["/api", "/health", "/openapi.json"].map((path) => [path, process.env.ZS_SERVER_URL ?? "http://127.0.0.1:8237"])),
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Vite's module preload polyfill is an inline-free module script, but it is not needed by the browsers we target.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    // The whole app is one chunk on purpose (it is small; the budget is checked by scripts/check-bundle-size.mjs).
    chunkSizeWarningLimit: 800,
    sourcemap: false,
  },
});
