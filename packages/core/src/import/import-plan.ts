import { isValidName } from "../names.js";
import { secretNameFor } from "./external-names.js";
import type { ExternalEntry } from "./import-source.js";

/** What the import will do with one external secret. */
export type PlannedImport =
  /** Create secret `name`; `renamedFrom` is the name it would have had, taken by an existing secret. */
  | { externalName: string; action: "import"; name: string; renamedFrom?: string }
  /** Leave it: created by zs, or its name is taken. */
  | { externalName: string; action: "skip"; reason: string }
  /** It cannot be imported: its name has no zs form, or another secret of the import takes it. */
  | { externalName: string; action: "fail"; reason: string };

/** What a plan is made from besides the listed secrets. */
export interface ImportPlanOptions {
  /** Only secrets whose external names start with it are imported, without it. @default "" */
  prefix?: string;
  /** Secrets whose names are taken are imported under this prefix + their name instead of being skipped. */
  renamePrefix?: string;
  /** Names of the secrets the target workspace has. */
  existingNames: ReadonlySet<string>;
  /** The target workspace, for messages. */
  workspace: string;
}

/**
 * The import plan: one entry per listed secret under the prefix, in external name order.
 * A secret whose name is taken is skipped (or, with `renamePrefix`, renamed); two external
 * names that map to one secret name: the first is imported, the second fails. Nothing is read.
 */
export function planImport(entries: readonly ExternalEntry[], options: ImportPlanOptions): PlannedImport[] {
  const prefix = options.prefix ?? "";
  const claimedBy = new Map<string, string>();
  const planOne = (entry: ExternalEntry): PlannedImport => {
    const { externalName } = entry;
    if (entry.skipReason !== undefined) return { externalName, action: "skip", reason: entry.skipReason };
    const mapping = secretNameFor(externalName, prefix);
    if ("problem" in mapping) return { externalName, action: "fail", reason: `no secret name for it: ${mapping.problem}` };
    const taken = `a secret named '${mapping.name}' already exists in workspace '${options.workspace}'`;
    let name = mapping.name;
    if (options.existingNames.has(name)) {
      if (options.renamePrefix === undefined) return { externalName, action: "skip", reason: taken };
      name = `${options.renamePrefix}${mapping.name}`;
      if (!isValidName(name)) return { externalName, action: "fail", reason: `${taken}, and '${name}' cannot be a secret name` };
      if (options.existingNames.has(name)) return { externalName, action: "skip", reason: `${taken}, and so does '${name}'` };
    }
    const other = claimedBy.get(name);
    if (other !== undefined) return { externalName, action: "fail", reason: `'${other}' is imported as '${name}' too` };
    claimedBy.set(name, externalName);
    return name === mapping.name ? { externalName, action: "import", name } : { externalName, action: "import", name, renamedFrom: mapping.name };
  };
  return entries
    .filter((entry) => entry.externalName.startsWith(prefix))
    .sort((a, b) => (a.externalName < b.externalName ? -1 : a.externalName > b.externalName ? 1 : 0))
    .map(planOne);
}
