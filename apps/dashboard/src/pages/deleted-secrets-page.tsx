import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button, Dialog, DialogTrigger, Form, Heading, Modal, ModalOverlay } from "react-aria-components";
import { Link } from "react-router";
import { api, unwrap } from "../api/client";
import type { DeletedSecret } from "../api/types";
import { useFormSubmission } from "../api/use-form-submission";
import { FormAlert } from "../components/form-alert";
import { Pager } from "../components/pager";
import { TextInput } from "../components/text-input";
import { TimeText } from "../components/time-text";

/** Brings a deleted secret back, under its name or a new one. */
function RecoverDialog({ secret, onRecovered }: { secret: DeletedSecret; onRecovered(id: string, name: string): void }) {
  const [name, setName] = useState("");
  const { pending, errors, setErrors, submit } = useFormSubmission();
  const recover = (event: FormEvent, close: () => void) => {
    event.preventDefault();
    void submit(async () => {
      const recovered = await unwrap(
        api.POST("/api/v1/secrets/{nameOrId}/recover", {
          params: { path: { nameOrId: secret.id }, query: { workspace: secret.workspace } },
          body: name === "" ? {} : { name },
        }),
      );
      close();
      onRecovered(recovered.id, recovered.name);
    });
  };
  return (
    <DialogTrigger
      onOpenChange={() => {
        setName("");
        setErrors({ fields: {} });
      }}
    >
      <Button className="button secondary small" aria-label={`Recover ${secret.name}`}>
        Recover…
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog">
            {({ close }) => (
              <Form validationBehavior="aria" className="form" onSubmit={(event) => void recover(event, close)}>
                <Heading slot="title">
                  Recover <span className="mono">{secret.name}</span>
                </Heading>
                <TextInput label="New name (optional)" value={name} onChange={setName} error={errors.fields.name} autoFocus autoComplete="off" description="Leave empty to keep its name" />
                <FormAlert message={errors.form} />
                <div className="form-actions">
                  <Button type="submit" className="button primary" isPending={pending}>
                    Recover
                  </Button>
                  <Button className="button secondary" onPress={close}>
                    Cancel
                  </Button>
                </div>
              </Form>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

/** Recently deleted secrets, with when they will be purged; recover one. */
export function DeletedSecretsPage() {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [recovered, setRecovered] = useState<{ id: string; name: string }>();
  const deleted = useQuery({
    queryKey: ["secrets", "deleted", page],
    queryFn: () => unwrap(api.GET("/api/v1/secrets", { params: { query: { deleted: "true", workspace: "*", sort_by: "desc:updated", page: String(page), size: "20" } } })),
    placeholderData: keepPreviousData,
  });
  const items = (deleted.data?.items ?? []).filter((item): item is DeletedSecret => "deleted" in item);
  return (
    <section>
      <h1>Deleted secrets</h1>
      <p>Deleted secrets can be recovered until their purge date; then they are gone for good.</p>
      {recovered && (
        <p className="notice" role="status">
          Recovered <Link to={`/secrets/${recovered.id}`}>{recovered.name}</Link>.
        </p>
      )}
      <FormAlert message={deleted.error?.message} />
      {deleted.data &&
        (items.length === 0 ? (
          <p>No deleted secrets.</p>
        ) : (
          <>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Workspace</th>
                  <th scope="col">Keys</th>
                  <th scope="col">Deleted</th>
                  <th scope="col">Purged after</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((secret) => (
                  <tr key={secret.id}>
                    <th scope="row" className="mono">
                      {secret.name}
                    </th>
                    <td>{secret.scope}</td>
                    <td>{secret.workspace}</td>
                    <td>{secret.keys.length}</td>
                    <td>
                      <TimeText iso={secret.deleted} />
                    </td>
                    <td>
                      <TimeText iso={secret.purge_after} />
                    </td>
                    <td>
                      <RecoverDialog
                        secret={secret}
                        onRecovered={(id, name) => {
                          setRecovered({ id, name });
                          void queryClient.invalidateQueries({ queryKey: ["secrets"] });
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager page={deleted.data.index} totalPages={deleted.data.total_pages} total={deleted.data.total} onPage={setPage} />
          </>
        ))}
    </section>
  );
}
