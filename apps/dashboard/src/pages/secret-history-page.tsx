import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "react-aria-components";
import { Link, useParams } from "react-router";
import { isApiError } from "../api/api-error";
import { api, unwrap } from "../api/client";
import type { SecretListItem, SecretVersion } from "../api/types";
import { FormAlert } from "../components/form-alert";
import { Pager } from "../components/pager";
import { TimeText } from "../components/time-text";
import { ifMatch, secretMetaKey, useSecretMeta } from "../secrets/secret-queries";
import { SecretTabs } from "../secrets/secret-tabs";

const KEY_LISTS = [
  ["added", "keys_added"],
  ["removed", "keys_removed"],
  ["changed", "keys_changed"],
] as const;

/** Which keys a version touched, by kind (key names only). */
function KeysTouched({ version }: { version: SecretVersion }) {
  const parts = KEY_LISTS.filter(([, field]) => version[field].length > 0);
  if (parts.length === 0) return <span>no keys</span>;
  return (
    <ul className="plain-list">
      {parts.map(([label, field]) => (
        <li key={field}>
          {label}: <span className="mono">{version[field].join(", ")}</span>
        </li>
      ))}
    </ul>
  );
}

/** An old version's values, read (an audited read) only when asked; kept in this component only. */
function OldValues({ secret, version }: { secret: SecretListItem; version: number }) {
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<string>();
  const read = async () => {
    setError(undefined);
    try {
      const read = await unwrap(
        api.GET("/api/v1/secrets/{nameOrId}/versions/{version}", { params: { path: { nameOrId: secret.id, version: String(version) }, query: { workspace: secret.workspace } } }),
      );
      setValues(read.values);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  if (values) {
    return (
      <div>
        <dl className="facts mono" aria-label={`Values of version ${version}`}>
          {Object.entries(values).map(([key, value]) => (
            <div key={key} className="fact-pair">
              <dt>{key}</dt>
              <dd className="secret-value">{value}</dd>
            </div>
          ))}
        </dl>
        <Button className="button secondary small" onPress={() => setValues(null)}>
          Hide values of version {version}
        </Button>
      </div>
    );
  }
  return (
    <>
      <Button className="button secondary small" onPress={() => void read()}>
        Reveal values of version {version}
      </Button>
      <FormAlert message={error} />
    </>
  );
}

/** A secret's versions, newest first: who, when, which keys; an old version's values on request; roll back. */
export function SecretHistoryPage() {
  const { id = "" } = useParams();
  const queryClient = useQueryClient();
  const meta = useSecretMeta(id);
  const [page, setPage] = useState(1);
  const [rollbackError, setRollbackError] = useState<string>();
  const [rolledBack, setRolledBack] = useState<string>();
  const secret = meta.data;
  const versions = useQuery({
    queryKey: ["secret-versions", id, page],
    enabled: secret !== undefined,
    queryFn: () =>
      unwrap(api.GET("/api/v1/secrets/{nameOrId}/versions", { params: { path: { nameOrId: id }, query: { workspace: secret!.workspace, page: String(page), size: "20" } } })),
    placeholderData: keepPreviousData,
  });

  const rollBack = async (version: number) => {
    if (!secret) return;
    setRollbackError(undefined);
    setRolledBack(undefined);
    try {
      // The answer carries the values: only the new version number is kept.
      const { version: now } = await unwrap(
        api.POST("/api/v1/secrets/{nameOrId}/rollback", {
          params: { path: { nameOrId: secret.id }, query: { workspace: secret.workspace } },
          headers: ifMatch(secret.version),
          body: { version },
        }),
      );
      setRolledBack(`Rolled back to the values of version ${version}; the secret is now at version ${now}.`);
      setPage(1);
      await queryClient.invalidateQueries({ queryKey: secretMetaKey(id) });
      await queryClient.invalidateQueries({ queryKey: ["secret-versions", id] });
    } catch (failure) {
      setRollbackError(
        isApiError(failure, "VERSION_MISMATCH") ? `Someone else changed this secret meanwhile (${failure.message}). The list is reloaded; try again.` : failure instanceof Error ? failure.message : String(failure),
      );
      if (isApiError(failure, "VERSION_MISMATCH")) {
        await queryClient.invalidateQueries({ queryKey: secretMetaKey(id) });
        await queryClient.invalidateQueries({ queryKey: ["secret-versions", id] });
      }
    }
  };

  if (meta.isPending) return <p role="status">Loading…</p>;
  if (meta.isError) return <FormAlert message={meta.error.message} />;
  return (
    <section>
      <p>
        <Link to="/secrets">← Secrets</Link>
      </p>
      <h1>
        History of <span className="mono">{secret!.name}</span>
      </h1>
      <SecretTabs id={id} />
      <FormAlert message={rollbackError ?? versions.error?.message} />
      {rolledBack && (
        <p className="notice" role="status">
          {rolledBack}
        </p>
      )}
      {versions.data && (
        <>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Keys</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.data.items.map((version) => (
                <tr key={version.version}>
                  <th scope="row">
                    {version.version}
                    {version.version === secret!.version ? " (current)" : ""}
                  </th>
                  <td>
                    <TimeText iso={version.time} />
                  </td>
                  <td>{version.actor}</td>
                  <td>
                    {version.action.replace("_", " ")}
                    {version.restored_version !== undefined ? ` of version ${version.restored_version}` : ""}
                  </td>
                  <td>
                    <KeysTouched version={version} />
                  </td>
                  <td className="actions-column">
                    <OldValues secret={secret!} version={version.version} />
                    {version.version !== secret!.version && (
                      <Button className="button secondary small" onPress={() => void rollBack(version.version)}>
                        Roll back to version {version.version}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={versions.data.index} totalPages={versions.data.total_pages} total={versions.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
