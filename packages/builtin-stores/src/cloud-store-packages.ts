import { ZsError } from "@zs/core";

/**
 * Imports a cloud store's package, an optional peer dependency: a service installs only the
 * stores it uses (`npm install @zs/client @zs/store-aws`). When the package itself is not
 * installed, the error names it and the command that installs it; any other failure (one of
 * its own dependencies missing, say) is the package's and passes through unchanged.
 *
 * `load` is the literal `() => import("@zs/store-…")`, so bundlers still see the import.
 */
export async function importStorePackage<M>(type: string, packageName: string, load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (error) {
    if (isPackageNotFound(error, packageName)) {
      throw new ZsError("CONFIGURATION_ERROR", `Values store '${type}' needs the package ${packageName}, which is not installed: npm install ${packageName}`, {
        reason: "not_installed",
        package: packageName,
      });
    }
    throw error;
  }
}

/** Node's ESM loader says "Cannot find package 'P'", its CommonJS loader "Cannot find module 'P'". */
function isPackageNotFound(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    new RegExp(`^Cannot find (package|module) '${packageName.replace(/[/.]/g, "\\$&")}(/[^']*)?'`).test(message)
  );
}

/**
 * The cloud stores' packages, optional peer dependencies of this package and of `@zs/client`
 * (`@zs/cli` and `@zs/server` bundle all four): each imported only when asked for, a missing
 * one an error naming the package to install. Kept out of the barrel, so no declaration a
 * user's type-check reads names a package they may not have installed.
 */
export const importCloudStore = {
  aws: () => importStorePackage("aws", "@zs/store-aws", () => import("@zs/store-aws")),
  gcp: () => importStorePackage("gcp", "@zs/store-gcp", () => import("@zs/store-gcp")),
  azure: () => importStorePackage("azure", "@zs/store-azure", () => import("@zs/store-azure")),
  vault: () => importStorePackage("vault", "@zs/store-vault", () => import("@zs/store-vault")),
};
