/** Output formats of read commands (cli.md): human tables, or the HTTP API's JSON, or YAML. */
export const READ_FORMATS = ["table", "json", "yaml"] as const;
export type ReadFormat = (typeof READ_FORMATS)[number];

/** File formats of `secret export`, each read back exactly by `create -v @FILE`. */
export const EXPORT_FORMATS = ["yaml", "json", "env"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
