import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { LIMITS, ZsError, defineStore } from "@zs/core";
import { z } from "zod";
import { FileValuesStore } from "./file-values-store.js";

/**
 * Options of the `file` store. zs hands every option over as a string, from
 * `ZS_SECRETS_STORE_<OPTION>` or the config file, so numbers are parsed here.
 */
export const fileStoreOptionsSchema = z.strictObject({
  /** Directory holding one JSON file per secret; relative to the config's directory. Created (0700) if missing. */
  directory: z.string().min(1, "must name a directory"),
  /** Largest values map accepted, in UTF-8 bytes of keys plus values. @default 65536 (zs's own limit) */
  max_value_bytes: z
    .string()
    .regex(/^[1-9][0-9]*$/, "must be a whole number of bytes")
    .transform(Number)
    .pipe(z.number().max(LIMITS.maxSecretBytes, `must be at most ${LIMITS.maxSecretBytes}, zs's own limit`))
    .default(LIMITS.maxSecretBytes),
});

/** The `file` store's options after validation. */
export type FileStoreOptions = z.output<typeof fileStoreOptionsSchema>;

/** The absolute directory of `options.directory`, created if missing; a clear error when it cannot be one. */
async function prepareDirectory(directory: string): Promise<string> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    if (!(await stat(directory)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `file: cannot use '${directory}' as the values directory (${code}); set ZS_SECRETS_STORE_DIRECTORY to a directory zs may write.`,
    );
  }
  return directory;
}

/** The `file` values store: one JSON file per secret in a directory. */
export const fileStore = defineStore<FileStoreOptions>({
  apiVersion: 1,
  type: "file",
  optionsSchema: fileStoreOptionsSchema,
  async create(options, context) {
    const directory = await prepareDirectory(path.resolve(context.configDir, options.directory));
    return new FileValuesStore({ directory, deploymentId: context.deploymentId, maxValueBytes: options.max_value_bytes });
  },
});

export default fileStore;
