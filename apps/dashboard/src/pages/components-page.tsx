import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import { FormAlert } from "../components/form-alert";
import { TimeText } from "../components/time-text";
import { WorkspaceSelect } from "../components/workspace-select";

/** One component: its type, flavor and configuration (references kept verbatim, never resolved here). */
function ComponentDetails({ name, workspace }: { name: string; workspace: string }) {
  const component = useQuery({
    queryKey: ["component", workspace, name],
    queryFn: () => unwrap(api.GET("/api/v1/components/{name}", { params: { path: { name }, query: { workspace } } })),
  });
  if (component.isPending) return <p role="status">Loading {name}…</p>;
  if (component.isError) return <FormAlert message={component.error.message} />;
  const { data } = component;
  return (
    <section aria-labelledby="component-heading" className="details">
      <h2 id="component-heading">
        Component <span className="mono">{data.name}</span>
      </h2>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{data.type}</dd>
        <dt>Flavor</dt>
        <dd>{data.flavor}</dd>
        <dt>Owner</dt>
        <dd>{data.user ?? "—"}</dd>
        <dt>Updated</dt>
        <dd>
          <TimeText iso={data.updated} />
        </dd>
      </dl>
      <table className="data-table">
        <caption>Configuration</caption>
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Value or reference</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(data.configuration).map(([attribute, value]) => (
            <tr key={attribute}>
              <th scope="row" className="mono">
                {attribute}
              </th>
              <td className="mono">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The components of a workspace; pick one to see its configuration. */
export function ComponentsPage() {
  const [params, setParams] = useSearchParams();
  const workspace = params.get("workspace") ?? "default";
  const selected = params.get("name");
  const components = useQuery({
    queryKey: ["components", workspace],
    queryFn: () => unwrap(api.GET("/api/v1/components", { params: { query: { workspace } } })),
  });
  return (
    <section>
      <h1>Components</h1>
      <div className="filters">
        <WorkspaceSelect value={workspace} onChange={(next) => setParams(next === "default" ? {} : { workspace: next })} />
      </div>
      <FormAlert message={components.error?.message} />
      {components.data &&
        (components.data.length === 0 ? (
          <p>No components in workspace {workspace}.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Flavor</th>
                <th scope="col">Attributes</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {components.data.map((component) => (
                <tr key={component.id} aria-current={component.name === selected ? "true" : undefined}>
                  <th scope="row">
                    <Link to={`?${new URLSearchParams({ ...(workspace === "default" ? {} : { workspace }), name: component.name })}`}>{component.name}</Link>
                  </th>
                  <td>{component.type}</td>
                  <td>{component.flavor}</td>
                  <td>{Object.keys(component.configuration).length}</td>
                  <td>
                    <TimeText iso={component.updated} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {selected && <ComponentDetails name={selected} workspace={workspace} />}
    </section>
  );
}
