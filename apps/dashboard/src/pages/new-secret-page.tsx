import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button, Form, Label, TextArea, TextField } from "react-aria-components";
import { useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { fieldErrorsOf, type FieldErrors } from "../api/field-errors";
import { useWorkspaces } from "../api/workspaces";
import { FormAlert } from "../components/form-alert";
import { SelectInput, type Choice } from "../components/select-input";
import { TextInput } from "../components/text-input";
import { localRowErrors, newRow, rowsWithDotenv, type KeyValueRow } from "../secrets/key-value-row";
import { KeyValueRows } from "../secrets/key-value-rows";

type Scope = "workspace" | "user";
const SCOPES: Choice<Scope>[] = [
  { id: "workspace", label: "Workspace (shared)" },
  { id: "user", label: "User (private to me)" },
];

/** Creates a secret: name, scope, workspace and its key/value rows (or a pasted `.env` block). */
export function NewSecretPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const workspaces = useWorkspaces();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<Scope>("workspace");
  const [workspace, setWorkspace] = useState("default");
  const [rows, setRows] = useState<KeyValueRow[]>(() => [newRow()]);
  const [dotenv, setDotenv] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({ fields: {} });
  const [localErrors, setLocalErrors] = useState<Record<number, string>>({});
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const rowErrors = localRowErrors(rows);
    setLocalErrors(rowErrors);
    if (Object.keys(rowErrors).length > 0) return;
    setPending(true);
    setErrors({ fields: {} });
    try {
      // The answer carries the values: only the id is kept.
      const { id } = await unwrap(api.POST("/api/v1/secrets", { body: { name, scope, workspace, values: Object.fromEntries(rows.map((row) => [row.key, row.value])) } }));
      void queryClient.invalidateQueries({ queryKey: ["secrets"] });
      navigate(`/secrets/${id}`);
    } catch (failure) {
      setErrors(fieldErrorsOf(failure));
    } finally {
      setPending(false);
    }
  };

  const workspaceChoices: Choice<string>[] = (workspaces.data ?? [{ name: "default" }]).map((w) => ({ id: w.name, label: w.name }));
  return (
    <section>
      <h1>New secret</h1>
      <Form validationBehavior="aria" className="form" onSubmit={(event) => void submit(event)} aria-label="New secret">
        <TextInput label="Name" value={name} onChange={setName} error={errors.fields.name} isRequired autoComplete="off" description="Letters, digits, _ and -" />
        <div className="form-row">
          <SelectInput label="Scope" choices={SCOPES} value={scope} onChange={(value) => setScope(value)} />
          <SelectInput label="Workspace" choices={workspaceChoices} value={workspace} onChange={setWorkspace} />
        </div>
        {errors.fields.scope && <FormAlert message={`Scope: ${errors.fields.scope}`} />}
        {errors.fields.workspace && <FormAlert message={`Workspace: ${errors.fields.workspace}`} />}
        <KeyValueRows legend="Keys and values" rows={rows} onChange={setRows} errors={localErrors} keyErrors={errors.fields} />
        {errors.fields.values && <FormAlert message={errors.fields.values} />}
        <details className="dotenv">
          <summary>Paste a .env block</summary>
          <TextField className="field" value={dotenv} onChange={setDotenv}>
            <Label>.env lines (KEY=value)</Label>
            <TextArea rows={5} autoComplete="off" spellCheck={false} />
          </TextField>
          <Button
            className="button secondary"
            onPress={() => {
              setRows(rowsWithDotenv(rows, dotenv));
              setDotenv("");
            }}
          >
            Fill the rows
          </Button>
        </details>
        <FormAlert message={errors.form} />
        <div className="form-actions">
          <Button type="submit" className="button primary" isPending={pending}>
            Create secret
          </Button>
        </div>
      </Form>
    </section>
  );
}
