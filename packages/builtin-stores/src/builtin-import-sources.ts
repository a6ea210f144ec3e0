import { importCloudStore } from "./cloud-store-packages.js";
import { ZsError, openImportSource, type ImportSource, type ImportSourceContext, type ImportSourceDefinition, type StoreDefinition } from "@zs/core";

/** Opens an import source from `--option K=V` options, checked by its store's schema. */
type ImportSourceOpener = (options: Readonly<Record<string, string>>, context: ImportSourceContext) => Promise<ImportSource>;

/** Pairs a store with its import source, whose options are the store's. */
const opener =
  <O>(store: StoreDefinition<O>, source: ImportSourceDefinition<O>): ImportSourceOpener =>
  (options, context) =>
    openImportSource(store, source, options, context);

/**
 * The sources `zs secret import --from TYPE` reads: each cloud store's, its package imported
 * only when its loader runs (as `CLOUD_STORE_LOADERS`), so no SDK loads until an import asks.
 */
export const IMPORT_SOURCE_LOADERS: Readonly<Record<string, () => Promise<ImportSourceOpener>>> = Object.freeze({
  aws: async () => {
    const aws = await importCloudStore.aws();
    return opener(aws.default, aws.awsImportSource);
  },
  gcp: async () => {
    const gcp = await importCloudStore.gcp();
    return opener(gcp.default, gcp.gcpImportSource);
  },
  azure: async () => {
    const azure = await importCloudStore.azure();
    return opener(azure.default, azure.azureImportSource);
  },
  vault: async () => {
    const vault = await importCloudStore.vault();
    return opener(vault.default, vault.vaultImportSource);
  },
});

/** The `--from` types. */
export const IMPORT_SOURCE_TYPES: readonly string[] = Object.freeze(Object.keys(IMPORT_SOURCE_LOADERS));

/**
 * Opens the import source of `type` with `options` (`--option K=V`): unknown options are
 * refused naming the allowed ones, the rest checked by the store's schema.
 */
export async function openBuiltinImportSource(
  type: string,
  options: Readonly<Record<string, string>>,
  context: ImportSourceContext,
): Promise<ImportSource> {
  const loader = IMPORT_SOURCE_LOADERS[type];
  if (!loader) throw new ZsError("VALIDATION_ERROR", `Cannot import from '${type}': the sources are ${IMPORT_SOURCE_TYPES.join(", ")}.`);
  return (await loader())(options, context);
}
