import { Button, FieldError, Input, Label, TextArea, TextField } from "react-aria-components";
import { newRow, type KeyValueRow } from "./key-value-row";

/** Editable key/value rows with add and remove, each showing its own error. */
export function KeyValueRows({
  rows,
  onChange,
  errors,
  keyErrors,
  legend,
}: {
  rows: readonly KeyValueRow[];
  onChange(rows: KeyValueRow[]): void;
  /** Errors by row id (found here). */
  errors: Record<number, string>;
  /** The server's errors by key name. */
  keyErrors: Record<string, string>;
  legend: string;
}) {
  const change = (id: number, patch: Partial<KeyValueRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  return (
    <fieldset className="kv-rows">
      <legend>{legend}</legend>
      {rows.map((row, index) => {
        const error = errors[row.id] ?? keyErrors[`key:${row.key}`];
        return (
          <div className="kv-row" key={row.id}>
            <TextField className="field" value={row.key} onChange={(key) => change(row.id, { key })} isInvalid={error !== undefined}>
              <Label>Key {index + 1}</Label>
              <Input autoComplete="off" spellCheck={false} />
              <FieldError className="field-error">{error}</FieldError>
            </TextField>
            <TextField className="field grow" value={row.value} onChange={(value) => change(row.id, { value })}>
              <Label>Value {index + 1}</Label>
              <TextArea rows={1} autoComplete="off" spellCheck={false} />
            </TextField>
            <Button className="button secondary small" aria-label={`Remove key ${index + 1}${row.key ? ` (${row.key})` : ""}`} onPress={() => onChange(rows.filter((other) => other.id !== row.id))}>
              Remove
            </Button>
          </div>
        );
      })}
      <Button className="button secondary" onPress={() => onChange([...rows, newRow()])}>
        Add a key
      </Button>
    </fieldset>
  );
}
