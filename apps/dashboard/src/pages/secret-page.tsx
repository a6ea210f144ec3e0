import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "react-aria-components";
import { Link, useNavigate, useParams } from "react-router";
import { FormAlert } from "../components/form-alert";
import { TimeText } from "../components/time-text";
import { DeleteSecretDialog } from "../secrets/delete-secret-dialog";
import { EditSecretForm } from "../secrets/edit-secret-form";
import { RenameSecretForm } from "../secrets/rename-secret-form";
import { secretMetaKey, useSecretMeta } from "../secrets/secret-queries";
import { SecretTabs } from "../secrets/secret-tabs";
import { SecretValues } from "../secrets/secret-values";

type Mode = "view" | "edit" | "rename";

/**
 * One secret: its keys (values masked until revealed), edit, rename, delete. Revealed values
 * are state of this page only: leaving it drops them.
 */
export function SecretPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const meta = useSecretMeta(id);
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const [mode, setMode] = useState<Mode>("view");

  const reload = () => {
    setValues(null);
    setMode("view");
    void queryClient.invalidateQueries({ queryKey: secretMetaKey(id) });
  };
  const changed = () => {
    reload();
    void queryClient.invalidateQueries({ queryKey: ["secrets"] });
  };

  if (meta.isPending) return <p role="status">Loading the secret…</p>;
  if (meta.isError) {
    return (
      <section>
        <h1>Secret</h1>
        <FormAlert message={meta.error.message} />
        <Link to="/secrets">Back to the secrets</Link>
      </section>
    );
  }
  const secret = meta.data;
  return (
    <section>
      <p>
        <Link to="/secrets">← Secrets</Link>
      </p>
      <div className="page-heading">
        <h1 className="mono">{secret.name}</h1>
        <div className="toolbar">
          <Button className="button secondary" onPress={() => setMode(mode === "edit" ? "view" : "edit")}>
            {mode === "edit" ? "Stop editing" : "Edit values"}
          </Button>
          <Button className="button secondary" onPress={() => setMode(mode === "rename" ? "view" : "rename")}>
            Rename…
          </Button>
          <DeleteSecretDialog secret={secret} onDeleted={() => {
            setValues(null);
            queryClient.removeQueries({ queryKey: secretMetaKey(id) });
            void queryClient.invalidateQueries({ queryKey: ["secrets"] });
            navigate("/secrets");
          }} />
        </div>
      </div>
      <SecretTabs id={id} />
      <dl className="facts">
        <dt>Scope</dt>
        <dd>{secret.scope === "user" ? `user (private to ${secret.user})` : "workspace"}</dd>
        <dt>Workspace</dt>
        <dd>{secret.workspace}</dd>
        <dt>Owner</dt>
        <dd>{secret.user}</dd>
        <dt>Version</dt>
        <dd>{secret.version}</dd>
        <dt>Updated</dt>
        <dd>
          <TimeText iso={secret.updated} />
        </dd>
        <dt>Created</dt>
        <dd>
          <TimeText iso={secret.created} />
        </dd>
        <dt>Id</dt>
        <dd className="mono">{secret.id}</dd>
      </dl>
      {mode === "rename" && <RenameSecretForm secret={secret} onDone={changed} onReload={reload} />}
      {mode === "edit" ? (
        <EditSecretForm secret={secret} values={values} onSaved={changed} onCancel={() => setMode("view")} onReload={reload} />
      ) : (
        <SecretValues secret={secret} values={values} onValues={setValues} />
      )}
    </section>
  );
}
