import { readFile } from "node:fs/promises";
import path from "node:path";
import express, { type RequestHandler } from "express";

/** The dashboard's Content-Security-Policy (dashboard.md): its own files only, no inline script or style. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Paths the dashboard never answers: the API's and the server's own (an unknown one stays a JSON 404). */
const SERVER_PATHS = /^\/(?:api|health|metrics|openapi\.json)(?:\/|$)/;

/** The built dashboard (apps/dashboard's `dist`, shipped in `@zs/server`'s `dist/dashboard`). */
export interface DashboardFiles {
  dir: string;
  /** `index.html`, read once: every page of the app is this file. */
  indexHtml: Buffer;
}

/** The dashboard's files in `dir`; undefined when it holds no `index.html` (the dashboard was not built). */
export async function readDashboardFiles(dir: string): Promise<DashboardFiles | undefined> {
  try {
    return { dir, indexHtml: await readFile(path.join(dir, "index.html")) };
  } catch {
    return undefined;
  }
}

/**
 * Serves the dashboard at `/` under its strict CSP: the hashed files of `assets/` cached for a
 * year, and `index.html` for every other GET outside the server's own paths (the app's routes
 * are client-side), never cached so a new version is picked up at once.
 */
export function dashboardHandler(files: DashboardFiles): RequestHandler {
  const assets = express.static(path.join(files.dir, "assets"), { index: false, immutable: true, maxAge: "365d", redirect: false });
  return (request, response, next) => {
    if ((request.method !== "GET" && request.method !== "HEAD") || SERVER_PATHS.test(request.path)) return next();
    response.setHeader("Content-Security-Policy", DASHBOARD_CSP);
    if (request.path.startsWith("/assets/")) {
      // A missing asset is the server's JSON 404, not the app's page.
      const url = request.url;
      request.url = url.slice("/assets".length);
      return assets(request, response, (error?: unknown) => {
        request.url = url;
        next(error);
      });
    }
    response.setHeader("Content-Type", "text/html; charset=utf-8");
    response.setHeader("Cache-Control", "no-cache");
    response.end(request.method === "HEAD" ? undefined : files.indexHtml);
  };
}
