import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button, Checkbox, Form } from "react-aria-components";
import { api, unwrap } from "../api/client";
import { useFormSubmission } from "../api/use-form-submission";
import { FormAlert } from "../components/form-alert";
import { TextInput } from "../components/text-input";
import { TimeText } from "../components/time-text";
import { AdminTabs } from "./admin-tabs";
import { ConfirmDeleteDialog } from "./confirm-delete-dialog";

/** Users: list, create, delete (optionally with their secrets). */
export function UsersPage() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ["users"], queryFn: () => unwrap(api.GET("/api/v1/users")) });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [isAdmin, setIsAdmin] = useState(false);
  const { pending, errors, submit } = useFormSubmission();
  const [cascade, setCascade] = useState(false);

  const create = (event: FormEvent) => {
    event.preventDefault();
    void submit(async () => {
      await unwrap(api.POST("/api/v1/users", { body: { name, password, is_admin: isAdmin } }));
      setName("");
      setPassword("");
      setIsAdmin(false);
      void queryClient.invalidateQueries({ queryKey: ["users"] });
    });
  };

  return (
    <section>
      <h1>Administration</h1>
      <AdminTabs />
      <h2>Users</h2>
      <FormAlert message={users.error?.message} />
      {users.data && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((user) => (
              <tr key={user.id}>
                <th scope="row">{user.name}</th>
                <td>{user.is_admin ? "admin" : "user"}</td>
                <td>
                  <TimeText iso={user.created} />
                </td>
                <td>
                  <ConfirmDeleteDialog
                    label={`Delete user ${user.name}`}
                    name={user.name}
                    title={`Delete user ${user.name}?`}
                    onConfirm={async () => {
                      await unwrap(api.DELETE("/api/v1/users/{name}", { params: { path: { name: user.name }, query: { cascade: cascade ? "true" : "false" } } }));
                      await queryClient.invalidateQueries({ queryKey: ["users"] });
                    }}
                  >
                    <Checkbox className="checkbox" isSelected={cascade} onChange={setCascade}>
                      <span className="checkbox-box" aria-hidden="true" />
                      Also delete the secrets this user owns
                    </Checkbox>
                  </ConfirmDeleteDialog>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Form validationBehavior="aria" className="form inline-form" onSubmit={(event) => void create(event)} aria-label="Create a user">
        <h3>New user</h3>
        <TextInput label="User name" value={name} onChange={setName} error={errors.fields.name} autoComplete="off" />
        <TextInput label="Initial password" type="password" value={password} onChange={setPassword} error={errors.fields.password} autoComplete="new-password" />
        <Checkbox className="checkbox" isSelected={isAdmin} onChange={setIsAdmin}>
          <span className="checkbox-box" aria-hidden="true" />
          Administrator
        </Checkbox>
        <FormAlert message={errors.form} />
        <Button type="submit" className="button primary" isPending={pending}>
          Create user
        </Button>
      </Form>
    </section>
  );
}
