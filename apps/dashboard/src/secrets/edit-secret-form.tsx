import { useState, type FormEvent } from "react";
import { Button, Checkbox, FieldError, Form, Label, TextArea, TextField } from "react-aria-components";
import { isApiError } from "../api/api-error";
import { api, unwrap } from "../api/client";
import { fieldErrorsOf, type FieldErrors } from "../api/field-errors";
import type { SecretListItem } from "../api/types";
import { FormAlert } from "../components/form-alert";
import { localRowErrors, type KeyValueRow } from "./key-value-row";
import { KeyValueRows } from "./key-value-rows";
import { ifMatch } from "./secret-queries";

/**
 * Edits a secret's values with merge semantics: only changed keys are sent, removed keys as
 * `null`, under `If-Match` of the version the edit started from. A 412 means someone else
 * changed the secret meanwhile: nothing was written, and the page offers a reload.
 */
export function EditSecretForm({
  secret,
  values,
  onSaved,
  onCancel,
  onReload,
}: {
  secret: SecretListItem;
  /** The revealed values, if any: changed values start from them. */
  values: Record<string, string> | null;
  onSaved(): void;
  onCancel(): void;
  onReload(): void;
}) {
  const [baseVersion] = useState(secret.version);
  const [changes, setChanges] = useState<Record<string, string>>({});
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [added, setAdded] = useState<KeyValueRow[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({ fields: {} });
  const [localErrors, setLocalErrors] = useState<Record<number, string>>({});
  const [conflict, setConflict] = useState<string>();
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const rowErrors = localRowErrors(added, secret.keys);
    setLocalErrors(rowErrors);
    if (Object.keys(rowErrors).length > 0) return;
    const patch: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(changes)) if (!removed.has(key) && value !== values?.[key]) patch[key] = value;
    for (const key of removed) patch[key] = null;
    for (const row of added) patch[row.key] = row.value;
    if (Object.keys(patch).length === 0) {
      setErrors({ form: "Nothing changed: change, add or remove a key first.", fields: {} });
      return;
    }
    setPending(true);
    setErrors({ fields: {} });
    try {
      await unwrap(
        api.PATCH("/api/v1/secrets/{nameOrId}", {
          params: { path: { nameOrId: secret.id }, query: { workspace: secret.workspace } },
          headers: ifMatch(baseVersion),
          body: { values: patch },
        }),
      );
      onSaved();
    } catch (failure) {
      if (isApiError(failure, "VERSION_MISMATCH")) {
        setConflict(`Someone else changed this secret since you started editing (${failure.message}). Nothing was saved.`);
      } else {
        setErrors(fieldErrorsOf(failure));
      }
    } finally {
      setPending(false);
    }
  };

  return (
    <Form validationBehavior="aria" className="form" onSubmit={(event) => void submit(event)} aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit values</h2>
      {conflict && (
        <div className="alert" role="alert">
          <p>{conflict}</p>
          <Button className="button primary" onPress={onReload}>
            Reload the secret
          </Button>
        </div>
      )}
      {secret.keys.length > 0 && (
        <fieldset className="kv-rows">
          <legend>Existing keys</legend>
          {secret.keys.map((key) => {
            const error = errors.fields[`key:${key}`];
            return (
              <div className="kv-row" key={key}>
                <span className="mono kv-key">{key}</span>
                {key in changes && !removed.has(key) ? (
                  <TextField className="field grow" value={changes[key]} onChange={(value) => setChanges({ ...changes, [key]: value })} isInvalid={error !== undefined}>
                    <Label>New value of {key}</Label>
                    <TextArea rows={1} autoComplete="off" spellCheck={false} />
                    <FieldError className="field-error">{error}</FieldError>
                  </TextField>
                ) : (
                  <Button className="button secondary small" isDisabled={removed.has(key)} aria-label={`Change value of ${key}`} onPress={() => setChanges({ ...changes, [key]: values?.[key] ?? "" })}>
                    Change value
                  </Button>
                )}
                <Checkbox
                  className="checkbox"
                  isSelected={removed.has(key)}
                  onChange={(remove) => setRemoved(new Set(remove ? [...removed, key] : [...removed].filter((other) => other !== key)))}
                >
                  <span className="checkbox-box" aria-hidden="true" />
                  Remove {key}
                </Checkbox>
              </div>
            );
          })}
        </fieldset>
      )}
      <KeyValueRows legend="New keys" rows={added} onChange={setAdded} errors={localErrors} keyErrors={errors.fields} />
      <FormAlert message={errors.form ?? errors.fields.values} />
      <div className="form-actions">
        <Button type="submit" className="button primary" isPending={pending} isDisabled={conflict !== undefined}>
          Save changes
        </Button>
        <Button className="button secondary" onPress={onCancel}>
          Cancel
        </Button>
      </div>
    </Form>
  );
}
