import { text } from "node:stream/consumers";
import { UsageError } from "./usage-error.js";

// Standard input belongs to the whole process and can be read once, so which option read it
// is process state too: one zs process runs one command.
let readBy: string | undefined;

/**
 * Standard input as one value, exactly as given (`printf 's3cret\n'` keeps its newline, as
 * `@file` keeps a file's): `--KEY=@-`, `-v @-`. A second `@-` in the same command is a usage
 * error naming both options, raised before anything is changed.
 */
export async function readStdinValue(option: string): Promise<string> {
  if (readBy !== undefined) {
    throw new UsageError(`Only one value can come from standard input: ${readBy}=@- already reads it, so ${option}=@- cannot (use @FILE for the other).`);
  }
  readBy = option;
  return text(process.stdin);
}
