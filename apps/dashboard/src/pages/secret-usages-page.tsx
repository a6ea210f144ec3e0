import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { api, unwrap } from "../api/client";
import { FormAlert } from "../components/form-alert";
import { useSecretMeta } from "../secrets/secret-queries";
import { SecretTabs } from "../secrets/secret-tabs";

/** The component attributes (and their stacks) that reference a secret. */
export function SecretUsagesPage() {
  const { id = "" } = useParams();
  const meta = useSecretMeta(id);
  const secret = meta.data;
  const usages = useQuery({
    queryKey: ["secret-usages", id],
    enabled: secret !== undefined,
    queryFn: () => unwrap(api.GET("/api/v1/secrets/{nameOrId}/usages", { params: { path: { nameOrId: id }, query: { workspace: secret!.workspace } } })),
  });
  if (meta.isPending) return <p role="status">Loading…</p>;
  if (meta.isError) return <FormAlert message={meta.error.message} />;
  return (
    <section>
      <p>
        <Link to="/secrets">← Secrets</Link>
      </p>
      <h1>
        Usages of <span className="mono">{secret!.name}</span>
      </h1>
      <SecretTabs id={id} />
      <FormAlert message={usages.error?.message} />
      {usages.data &&
        (usages.data.usages.length === 0 ? (
          <p>No component references this secret.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Attribute</th>
                <th scope="col">Key</th>
                <th scope="col">Reference</th>
                <th scope="col">Stacks</th>
              </tr>
            </thead>
            <tbody>
              {usages.data.usages.map((usage) => (
                <tr key={`${usage.component}/${usage.attribute}/${usage.key}`}>
                  <th scope="row">
                    <Link to={`/components?name=${encodeURIComponent(usage.component)}`}>{usage.component}</Link>
                  </th>
                  <td className="mono">{usage.attribute}</td>
                  <td className="mono">{usage.key}</td>
                  <td className="mono">{usage.reference}</td>
                  <td>{usage.stacks.length > 0 ? usage.stacks.join(", ") : "none"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
