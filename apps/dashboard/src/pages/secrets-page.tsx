import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { SearchField, Input, Label, Button } from "react-aria-components";
import { Link, useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import type { SecretListQuery, SortBy } from "../api/types";
import { useWorkspaces } from "../api/workspaces";
import { FormAlert } from "../components/form-alert";
import { Pager } from "../components/pager";
import { SelectInput, type Choice } from "../components/select-input";
import { TimeText } from "../components/time-text";

const PAGE_SIZE = 20;
type ScopeFilter = "all" | "user" | "workspace";
const SCOPES: Choice<ScopeFilter>[] = [
  { id: "all", label: "All scopes" },
  { id: "workspace", label: "Workspace" },
  { id: "user", label: "User (private)" },
];
const SORTS: Choice<SortBy>[] = [
  { id: "asc:name", label: "Name, A to Z" },
  { id: "desc:name", label: "Name, Z to A" },
  { id: "desc:updated", label: "Recently updated" },
  { id: "asc:updated", label: "Least recently updated" },
  { id: "desc:created", label: "Newest" },
  { id: "asc:created", label: "Oldest" },
  { id: "asc:scope", label: "Scope" },
];

/** The list of secrets: names, scope, workspace, key count, last update — never values. */
export function SecretsPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const scope = (params.get("scope") ?? "all") as ScopeFilter;
  const workspace = params.get("workspace") ?? "*";
  const sort = (params.get("sort") ?? "asc:name") as SortBy;
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined || value === "") next.delete(name);
      else next.set(name, value);
    }
    // A new filter starts at its first page.
    if (!("page" in changes)) next.delete("page");
    setParams(next, { replace: true });
  };

  const workspaces = useWorkspaces();
  const query: SecretListQuery = {
    workspace,
    sort_by: sort,
    page: String(page),
    size: String(PAGE_SIZE),
    ...(search ? { name: `contains:${search}` } : {}),
    ...(scope !== "all" ? { scope } : {}),
  };
  const secrets = useQuery({
    queryKey: ["secrets", query],
    queryFn: () => unwrap(api.GET("/api/v1/secrets", { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const workspaceChoices: Choice<string>[] = [{ id: "*", label: "All workspaces" }, ...(workspaces.data ?? []).map((w) => ({ id: w.name, label: w.name }))];
  if (!workspaceChoices.some((choice) => choice.id === workspace)) workspaceChoices.push({ id: workspace, label: workspace });

  return (
    <section>
      <div className="page-heading">
        <h1>Secrets</h1>
        <Link className="button primary" to="/secrets/new">
          New secret
        </Link>
      </div>
      <div className="filters" role="search" aria-label="Filter secrets">
        <SearchField className="field" value={search} onChange={(value) => update({ q: value })}>
          <Label>Name contains</Label>
          <div className="search-row">
            <Input />
            <Button className="button secondary small" aria-label="Clear search">
              ✕
            </Button>
          </div>
        </SearchField>
        <SelectInput label="Scope" choices={SCOPES} value={scope} onChange={(value) => update({ scope: value === "all" ? undefined : value })} />
        <SelectInput label="Workspace" choices={workspaceChoices} value={workspace} onChange={(value) => update({ workspace: value === "*" ? undefined : value })} />
        <SelectInput label="Sort by" choices={SORTS} value={sort} onChange={(value) => update({ sort: value })} />
      </div>
      <FormAlert message={secrets.error?.message ?? workspaces.error?.message} />
      {secrets.isPending && <p role="status">Loading secrets…</p>}
      {secrets.data && (
        <>
          {secrets.data.items.length === 0 ? (
            <p role="status">{search || scope !== "all" ? "No secret matches these filters." : "No secrets yet."}</p>
          ) : (
            <table className="data-table" aria-busy={secrets.isPlaceholderData}>
              <caption className="visually-hidden">Secrets, page {secrets.data.index}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Workspace</th>
                  <th scope="col">Keys</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Updated by</th>
                </tr>
              </thead>
              <tbody>
                {secrets.data.items.map((secret) => (
                  <tr key={secret.id}>
                    <th scope="row">
                      <Link to={`/secrets/${secret.id}`}>{secret.name}</Link>
                    </th>
                    <td>{secret.scope === "user" ? `user (${secret.user})` : "workspace"}</td>
                    <td>{secret.workspace}</td>
                    <td>{secret.keys.length}</td>
                    <td>
                      <TimeText iso={secret.updated} />
                    </td>
                    <td>{secret.updated_by ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager page={secrets.data.index} totalPages={secrets.data.total_pages} total={secrets.data.total} onPage={(next) => update({ page: String(next) })} />
        </>
      )}
    </section>
  );
}
