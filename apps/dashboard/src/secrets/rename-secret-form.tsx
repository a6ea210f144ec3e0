import { useState, type FormEvent } from "react";
import { Button, Checkbox, Form } from "react-aria-components";
import { isApiError } from "../api/api-error";
import { api, unwrap } from "../api/client";
import type { SecretListItem } from "../api/types";
import { useFormSubmission } from "../api/use-form-submission";
import { FormAlert } from "../components/form-alert";
import { TextInput } from "../components/text-input";
import { ifMatch, useSecretUsages } from "./secret-queries";
import { UsageWarning } from "./usage-warning";

/** Renames a secret (under `If-Match`, like every edit). */
export function RenameSecretForm({ secret, onDone, onReload }: { secret: SecretListItem; onDone(): void; onReload(): void }) {
  const [name, setName] = useState(secret.name);
  const [conflict, setConflict] = useState(false);
  const { pending, errors, submit: run } = useFormSubmission();
  const [updateReferences, setUpdateReferences] = useState(true);
  const usages = useSecretUsages(secret);
  const referenced = (usages.data?.usages.length ?? 0) > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await unwrap(
        api.PATCH("/api/v1/secrets/{nameOrId}", {
          params: { path: { nameOrId: secret.id }, query: { workspace: secret.workspace, ...(referenced ? { update_references: updateReferences ? "true" : "false" } : {}) } },
          headers: ifMatch(secret.version),
          body: { name },
        }),
      );
      onDone();
    }, (failure) => {
      if (isApiError(failure, "VERSION_MISMATCH")) setConflict(true);
    });
  };

  return (
    <Form validationBehavior="aria" className="form inline-form" onSubmit={(event) => void submit(event)} aria-label="Rename the secret">
      <TextInput label="New name" value={name} onChange={setName} error={errors.fields.name} isRequired autoFocus />
      <UsageWarning usages={usages.data?.usages} consequence="a rename breaks those references unless they are rewritten with it." />
      {referenced && (
        <Checkbox className="checkbox" isSelected={updateReferences} onChange={setUpdateReferences}>
          <span className="checkbox-box" aria-hidden="true" />
          Rewrite those references to the new name
        </Checkbox>
      )}
      <FormAlert message={errors.form} />
      <div className="form-actions">
        <Button type="submit" className="button primary" isPending={pending}>
          Rename
        </Button>
        {conflict && (
          <Button className="button secondary" onPress={onReload}>
            Reload the secret
          </Button>
        )}
      </div>
    </Form>
  );
}
