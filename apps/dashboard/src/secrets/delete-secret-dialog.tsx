import { useState } from "react";
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from "react-aria-components";
import { api, unwrap } from "../api/client";
import type { SecretListItem } from "../api/types";
import { FormAlert } from "../components/form-alert";
import { TextInput } from "../components/text-input";
import { useSecretUsages } from "./secret-queries";
import { UsageWarning } from "./usage-warning";

/** Deletes a secret once its name is typed to confirm. */
export function DeleteSecretDialog({ secret, onDeleted }: { secret: SecretListItem; onDeleted(): void }) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [open, setOpen] = useState(false);
  const usages = useSecretUsages(secret, open);

  const remove = async (close: () => void) => {
    setPending(true);
    setError(undefined);
    try {
      await unwrap(api.DELETE("/api/v1/secrets/{nameOrId}", { params: { path: { nameOrId: secret.id }, query: { workspace: secret.workspace } } }));
      close();
      onDeleted();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <DialogTrigger
      onOpenChange={(isOpen) => {
        setTyped("");
        setOpen(isOpen);
      }}
    >
      <Button className="button danger">Delete…</Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog" role="alertdialog">
            {({ close }) => (
              <>
                <Heading slot="title">Delete this secret?</Heading>
                <p>
                  Deleting <strong className="mono">{secret.name}</strong> moves it to Deleted, where it can be recovered until it is purged. Type its name to
                  confirm.
                </p>
                <UsageWarning usages={usages.data?.usages} consequence="their references will not resolve while it is deleted." />
                <TextInput label="Name of the secret" value={typed} onChange={setTyped} autoFocus autoComplete="off" />
                <FormAlert message={error} />
                <div className="form-actions">
                  <Button className="button danger" isDisabled={typed !== secret.name} isPending={pending} onPress={() => void remove(close)}>
                    Delete
                  </Button>
                  <Button className="button secondary" onPress={close}>
                    Cancel
                  </Button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
