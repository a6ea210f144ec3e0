/** Output formats of read commands (cli.md): human tables, or the HTTP API's JSON, or YAML. */
export const READ_FORMATS = ["table", "json", "yaml"] as const;
export type ReadFormat = (typeof READ_FORMATS)[number];

/** Output formats of `secret get`: the read formats, dotenv lines, or `export` lines for a shell's `eval`. */
export const SECRET_VALUE_FORMATS = [...READ_FORMATS, "env", "shell"] as const;
export type SecretValueFormat = (typeof SECRET_VALUE_FORMATS)[number];

/** File formats of `secret export`, each read back exactly by `create -v @FILE`. */
export const EXPORT_FORMATS = ["yaml", "json", "env"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
