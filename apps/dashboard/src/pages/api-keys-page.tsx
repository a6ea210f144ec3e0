import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button, Form } from "react-aria-components";
import { api, unwrap } from "../api/client";
import type { CreatedApiKey } from "../api/types";
import { useFormSubmission } from "../api/use-form-submission";
import { FormAlert } from "../components/form-alert";
import { TextInput } from "../components/text-input";
import { TimeText } from "../components/time-text";

/** The new key, shown once: it is not kept anywhere but here, and gone when the page closes. */
function NewKey({ created, onDismiss }: { created: CreatedApiKey; onDismiss(): void }) {
  const [copied, setCopied] = useState<string>();
  return (
    <div className="notice" role="status">
      <p>
        API key <strong>{created.name}</strong> created. Copy it now: it is shown only once.
      </p>
      <p className="mono secret-value" aria-label="The new API key">
        {created.key}
      </p>
      <div className="form-actions">
        <Button
          className="button primary"
          onPress={() =>
            navigator.clipboard.writeText(created.key).then(
              () => setCopied("Copied."),
              (error: unknown) => setCopied(`Could not copy: ${error instanceof Error ? error.message : String(error)}`),
            )
          }
        >
          Copy the key
        </Button>
        <Button className="button secondary" onPress={onDismiss}>
          Done
        </Button>
        <span aria-live="polite">{copied}</span>
      </div>
    </div>
  );
}

/** The caller's API keys: create (shown once), list, delete. */
export function ApiKeysPage() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => unwrap(api.GET("/api/v1/api-keys")) });
  const [name, setName] = useState("");
  const [created, setCreated] = useState<CreatedApiKey>();
  const { pending, errors, submit } = useFormSubmission();
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/api-keys/{id}", { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["api-keys"] }),
  });

  const create = (event: FormEvent) => {
    event.preventDefault();
    void submit(async () => {
      setCreated(await unwrap(api.POST("/api/v1/api-keys", { body: { name } })));
      setName("");
      void queryClient.invalidateQueries({ queryKey: ["api-keys"] });
    });
  };

  return (
    <section>
      <h1>API keys</h1>
      <p>An API key lets a script or the zs CLI act as you (send it as a bearer token).</p>
      {created && <NewKey created={created} onDismiss={() => setCreated(undefined)} />}
      <Form validationBehavior="aria" className="form inline-form" onSubmit={(event) => void create(event)} aria-label="Create an API key">
        <TextInput label="Name of the new key" value={name} onChange={setName} error={errors.fields.name} isRequired autoComplete="off" />
        <FormAlert message={errors.form} />
        <Button type="submit" className="button primary" isPending={pending}>
          Create API key
        </Button>
      </Form>
      <FormAlert message={keys.error?.message ?? remove.error?.message} />
      {keys.data &&
        (keys.data.length === 0 ? (
          <p>You have no API keys.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <TimeText iso={key.created} />
                  </td>
                  <td>{key.last_used ? <TimeText iso={key.last_used} /> : "never"}</td>
                  <td>{key.expires ? <TimeText iso={key.expires} /> : "never"}</td>
                  <td>
                    <Button className="button danger small" aria-label={`Delete API key ${key.name}`} isPending={remove.isPending && remove.variables === key.id} onPress={() => remove.mutate(key.id)}>
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
