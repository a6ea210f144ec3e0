import { StoreRegistry, type StoreLoader } from "@zs/core";
import { importCloudStore } from "./cloud-store-packages.js";

/**
 * The stores zs ships that need nothing from the app: each is imported only when its
 * loader runs, so a bundle keeps it in a chunk of its own and a process that does not
 * configure it never loads its SDK.
 *
 * THE place a cloud store joins zs: one line here and one in `importCloudStore`, plus its
 * package as an optional peer (and a dev) dependency of this package and of `@zs/client`
 * (and, when it has an import source, one line in `builtin-import-sources.ts`).
 */
export const CLOUD_STORE_LOADERS: Readonly<Record<string, StoreLoader>> = Object.freeze({
  aws: async () => (await importCloudStore.aws()).default,
  gcp: async () => (await importCloudStore.gcp()).default,
  azure: async () => (await importCloudStore.azure()).default,
  vault: async () => (await importCloudStore.vault()).default,
});

/** What only the app can provide: the `sql` store needs the app's open database and key ring. */
export interface AppStoreLoaders {
  sql: StoreLoader;
}

/** Every built-in type: `none`, `sql` and the cloud stores. */
export const BUILTIN_STORE_TYPES: readonly string[] = Object.freeze(["none", "sql", ...Object.keys(CLOUD_STORE_LOADERS)]);

/**
 * The registry the CLI (through `@zs/client`) and the server create values stores with: the
 * built-in types, each loaded on demand; any other type is a custom store's module specifier.
 */
export function createBuiltinStoreRegistry(app: AppStoreLoaders): StoreRegistry {
  return new StoreRegistry({ sql: app.sql, ...CLOUD_STORE_LOADERS });
}
