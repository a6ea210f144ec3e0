import { useState, type ReactNode } from "react";
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from "react-aria-components";
import { FormAlert } from "../components/form-alert";
import { TextInput } from "../components/text-input";

/** A delete button whose dialog asks to type `name` and shows the server's refusal. */
export function ConfirmDeleteDialog({
  label,
  name,
  title,
  children,
  onConfirm,
}: {
  /** The button's accessible name, e.g. "Delete user bob". */
  label: string;
  name: string;
  title: string;
  children?: ReactNode;
  /** Does the deletion; throws to show the server's message. */
  onConfirm(): Promise<void>;
}) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const confirm = async (close: () => void) => {
    setPending(true);
    setError(undefined);
    try {
      await onConfirm();
      close();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPending(false);
    }
  };
  return (
    <DialogTrigger
      onOpenChange={() => {
        setTyped("");
        setError(undefined);
      }}
    >
      <Button className="button danger small" aria-label={label}>
        Delete…
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog" role="alertdialog">
            {({ close }) => (
              <>
                <Heading slot="title">{title}</Heading>
                {children}
                <TextInput label={`Type ${name} to confirm`} value={typed} onChange={setTyped} autoFocus autoComplete="off" />
                <FormAlert message={error} />
                <div className="form-actions">
                  <Button className="button danger" isDisabled={typed !== name} isPending={pending} onPress={() => void confirm(close)}>
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
