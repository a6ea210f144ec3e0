import { access, constants, readFile } from "node:fs/promises";
import path from "node:path";
import { ZsError, secretSizeInBytes, type SecretValues, type SecretValuesStore, type ValuesStoreCapabilities } from "@zs/core";
import { removeFile, writeFileAtomically } from "./atomic-file.js";
import { toFileStoreError } from "./file-errors.js";
import { DEPLOYMENT_FIELD, decodeStoredSecret, encodeStoredSecret } from "./stored-secret.js";

/** Settings of a `FileValuesStore`. */
export interface FileValuesStoreSettings {
  /** Absolute path of an existing directory. */
  directory: string;
  /** Written into every file; files carrying another deployment's id are someone else's. */
  deploymentId: string;
  maxValueBytes: number;
}

/** zs gives UUIDs; anything else that could climb out of the directory or hide as a dotfile is refused. */
const FILE_SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Only its owner may read a file of secrets. */
const FILE_MODE = 0o600;

/**
 * Values kept as one JSON file per secret, `<directory>/<secret id>.json`, holding
 * `{ "zs-deployment", "secret-id", "values" }`. Writes are atomic (temp file, fsync, rename);
 * a file carrying another deployment's id reads as absent and is never overwritten or removed.
 * Operations: get reads one file; put reads it (ownership), then writes; delete reads, then unlinks.
 */
export class FileValuesStore implements SecretValuesStore {
  readonly type = "file";
  readonly capabilities: ValuesStoreCapabilities;
  private closed = false;

  constructor(private readonly settings: FileValuesStoreSettings) {
    this.capabilities = { maxValueBytes: settings.maxValueBytes };
  }

  /** The file holding `secretId`'s values. */
  fileOf(secretId: string): string {
    if (!FILE_SAFE_ID.test(secretId)) {
      throw new ZsError("INTERNAL", `file: secret id '${secretId}' cannot name a file (letters, digits, '-' and '_' only).`);
    }
    return path.join(this.settings.directory, `${secretId}.json`);
  }

  async putValues(secretId: string, values: SecretValues): Promise<void> {
    this.assertOpen();
    const bytes = secretSizeInBytes(values);
    if (bytes > this.capabilities.maxValueBytes) {
      throw new ZsError(
        "SECRET_TOO_LARGE",
        `file: the values are ${bytes} bytes (keys and values, UTF-8); this store holds at most ${this.capabilities.maxValueBytes} (max_value_bytes).`,
      );
    }
    const file = this.fileOf(secretId);
    const current = await this.read(file);
    if (current && current.deploymentId !== this.settings.deploymentId) {
      throw new ZsError(
        "CONFIGURATION_ERROR",
        `file: '${file}' belongs to zs deployment ${current.deploymentId}, not this one (${this.settings.deploymentId}); refusing to overwrite it. ` +
          "Give each deployment its own directory.",
        { reason: "file_foreign_secret" },
      );
    }
    try {
      await writeFileAtomically(file, encodeStoredSecret(this.settings.deploymentId, secretId, values), FILE_MODE);
    } catch (error) {
      throw toFileStoreError(error, "write", file);
    }
  }

  async getValues(secretId: string): Promise<SecretValues | undefined> {
    this.assertOpen();
    const file = this.fileOf(secretId);
    const current = await this.read(file);
    if (!current || current.deploymentId !== this.settings.deploymentId) return undefined;
    if (!current.values) {
      throw new ZsError("INTERNAL", `file: '${file}' carries this deployment's '${DEPLOYMENT_FIELD}' but its values are not a JSON object of strings.`);
    }
    return current.values;
  }

  async deleteValues(secretId: string): Promise<boolean> {
    this.assertOpen();
    const file = this.fileOf(secretId);
    const current = await this.read(file);
    if (!current || current.deploymentId !== this.settings.deploymentId) return false;
    try {
      return await removeFile(file);
    } catch (error) {
      throw toFileStoreError(error, "delete", file);
    }
  }

  /** The directory is there and zs may read and write it. */
  async check(): Promise<void> {
    this.assertOpen();
    try {
      await access(this.settings.directory, constants.R_OK | constants.W_OK | constants.X_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
      throw new ZsError("BACKEND_UNAVAILABLE", `file: the values directory '${this.settings.directory}' is not usable (${code}).`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The decoded file, or `undefined` when there is none (or it is not a zs document). */
  private async read(file: string): Promise<ReturnType<typeof decodeStoredSecret>> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw toFileStoreError(error, "read", file);
    }
    return decodeStoredSecret(text);
  }

  private assertOpen(): void {
    if (this.closed) throw new ZsError("INTERNAL", "file: the store is closed.");
  }
}
