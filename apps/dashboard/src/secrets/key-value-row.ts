import { parse as parseDotenv } from "dotenv";

/** One key/value row being written. `id` only tells rows apart while editing. */
export interface KeyValueRow {
  id: number;
  key: string;
  value: string;
}

let nextRowId = 1;
/** A new row, empty unless given. */
export function newRow(key = "", value = ""): KeyValueRow {
  return { id: nextRowId++, key, value };
}

/**
 * Problems found before asking the server: an empty key, or a key given twice (a JSON object
 * cannot carry both, so the server could not say). Keyed by row id.
 */
export function localRowErrors(rows: readonly KeyValueRow[], existingKeys: readonly string[] = []): Record<number, string> {
  const errors: Record<number, string> = {};
  const seen = new Set(existingKeys);
  for (const row of rows) {
    if (row.key === "") errors[row.id] = "Enter a key name.";
    else if (seen.has(row.key)) errors[row.id] = `Key '${row.key}' is given more than once.`;
    seen.add(row.key);
  }
  return errors;
}

/** Fills rows from a `.env` block: its keys replace rows of the same key, empty rows go, the rest stay. */
export function rowsWithDotenv(rows: readonly KeyValueRow[], text: string): KeyValueRow[] {
  const parsed = parseDotenv(text);
  const kept = rows.filter((row) => !(row.key in parsed) && !(row.key === "" && row.value === ""));
  return [...kept, ...Object.entries(parsed).map(([key, value]) => newRow(key, value))];
}
