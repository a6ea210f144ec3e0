/** Limits of the data model (model.md); one place, so every layer refuses the same inputs. */
export const LIMITS = {
  /** Longest secret, workspace or user name, and longest key. */
  maxNameLength: 255,
  /** Most keys one secret may hold. */
  maxKeys: 1000,
  /** Keys plus values of one secret, in UTF-8 bytes (AWS Secrets Manager's 64 KiB). */
  maxSecretBytes: 65536,
  /** Default and largest page size of a list. */
  defaultPageSize: 20,
  maxPageSize: 1000,
  /**
   * Most references one resolution may hold (a resolve request, a component or stack resolved,
   * a `zs run`), counted where they are written, however often one repeats (operations.md).
   */
  maxReferencesPerResolution: 1000,
  /** Shortest id prefix a lookup accepts. */
  minIdPrefixLength: 8,
} as const;
