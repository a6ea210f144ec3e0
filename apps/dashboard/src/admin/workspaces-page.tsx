import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button, Form } from "react-aria-components";
import { api, unwrap } from "../api/client";
import { useFormSubmission } from "../api/use-form-submission";
import { useWorkspaces } from "../api/workspaces";
import { FormAlert } from "../components/form-alert";
import { TextInput } from "../components/text-input";
import { TimeText } from "../components/time-text";
import { AdminTabs } from "./admin-tabs";
import { ConfirmDeleteDialog } from "./confirm-delete-dialog";

/** Workspaces: list, create, delete (with every secret in it). */
export function WorkspacesPage() {
  const queryClient = useQueryClient();
  const workspaces = useWorkspaces();
  const [name, setName] = useState("");
  const { pending, errors, submit } = useFormSubmission();

  const create = (event: FormEvent) => {
    event.preventDefault();
    void submit(async () => {
      await unwrap(api.POST("/api/v1/workspaces", { body: { name } }));
      setName("");
      void queryClient.invalidateQueries({ queryKey: ["workspaces"] });
    });
  };

  return (
    <section>
      <h1>Administration</h1>
      <AdminTabs />
      <h2>Workspaces</h2>
      <FormAlert message={workspaces.error?.message} />
      {workspaces.data && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {workspaces.data.map((workspace) => (
              <tr key={workspace.id}>
                <th scope="row">{workspace.name}</th>
                <td>
                  <TimeText iso={workspace.created} />
                </td>
                <td>
                  <ConfirmDeleteDialog
                    label={`Delete workspace ${workspace.name}`}
                    name={workspace.name}
                    title={`Delete workspace ${workspace.name}?`}
                    onConfirm={async () => {
                      await unwrap(api.DELETE("/api/v1/workspaces/{name}", { params: { path: { name: workspace.name } } }));
                      await queryClient.invalidateQueries({ queryKey: ["workspaces"] });
                      await queryClient.invalidateQueries({ queryKey: ["secrets"] });
                    }}
                  >
                    <p>Every secret in this workspace is deleted with it, values included.</p>
                  </ConfirmDeleteDialog>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Form validationBehavior="aria" className="form inline-form" onSubmit={(event) => void create(event)} aria-label="Create a workspace">
        <TextInput label="New workspace name" value={name} onChange={setName} error={errors.fields.name} autoComplete="off" />
        <FormAlert message={errors.form} />
        <Button type="submit" className="button primary" isPending={pending}>
          Create workspace
        </Button>
      </Form>
    </section>
  );
}
