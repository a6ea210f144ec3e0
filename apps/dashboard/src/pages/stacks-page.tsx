import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import type { ValidationLevel } from "../api/types";
import { FormAlert } from "../components/form-alert";
import { SelectInput, type Choice } from "../components/select-input";
import { TimeText } from "../components/time-text";
import { WorkspaceSelect } from "../components/workspace-select";

const LEVELS: Choice<ValidationLevel>[] = [
  { id: "SECRET_AND_KEY_EXISTS", label: "Secrets and keys exist" },
  { id: "SECRET_EXISTS", label: "Secrets exist" },
  { id: "NONE", label: "No check" },
];

/** Whether every reference of a stack's components resolves, at the chosen level. */
function StackValidation({ name, workspace, level }: { name: string; workspace: string; level: ValidationLevel }) {
  const validation = useQuery({
    queryKey: ["stack-validation", workspace, name, level],
    queryFn: () => unwrap(api.GET("/api/v1/stacks/{name}/validation", { params: { path: { name }, query: { workspace, level } } })),
  });
  if (validation.isPending) return <p role="status">Validating…</p>;
  if (validation.isError) return <FormAlert message={validation.error.message} />;
  const { data } = validation;
  return (
    <div aria-live="polite">
      <p className={data.valid ? "notice" : "alert"}>
        {data.valid ? "Valid: every reference resolves at this level." : `Not valid: ${data.missing.length} reference${data.missing.length === 1 ? "" : "s"} do not resolve.`}
      </p>
      {data.missing.length > 0 && (
        <table className="data-table">
          <caption>Missing</caption>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Attribute</th>
              <th scope="col">Secret</th>
              <th scope="col">Key</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {data.missing.map((missing) => (
              <tr key={`${missing.component}/${missing.attribute}/${missing.secret}/${missing.key}`}>
                <th scope="row">{missing.component ?? "—"}</th>
                <td className="mono">{missing.attribute}</td>
                <td className="mono">{missing.secret}</td>
                <td className="mono">{missing.key}</td>
                <td>{missing.problem === "secret_missing" ? "no such secret" : "no such key"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** One stack: its components and its validation at a chosen level. */
function StackDetails({ name, workspace, level, onLevel }: { name: string; workspace: string; level: ValidationLevel; onLevel(level: ValidationLevel): void }) {
  const stack = useQuery({
    queryKey: ["stack", workspace, name],
    queryFn: () => unwrap(api.GET("/api/v1/stacks/{name}", { params: { path: { name }, query: { workspace } } })),
  });
  if (stack.isPending) return <p role="status">Loading {name}…</p>;
  if (stack.isError) return <FormAlert message={stack.error.message} />;
  return (
    <section aria-labelledby="stack-heading" className="details">
      <h2 id="stack-heading">
        Stack <span className="mono">{stack.data.name}</span>
      </h2>
      <p>
        Components:{" "}
        {stack.data.components.map((component, index) => (
          <span key={component}>
            {index > 0 && ", "}
            <Link to={`/components?${new URLSearchParams({ ...(workspace === "default" ? {} : { workspace }), name: component })}`}>{component}</Link>
          </span>
        ))}
      </p>
      <SelectInput label="Validation level" choices={LEVELS} value={level} onChange={onLevel} />
      <StackValidation name={name} workspace={workspace} level={level} />
    </section>
  );
}

/** The stacks of a workspace; pick one to see its components and validate it. */
export function StacksPage() {
  const [params, setParams] = useSearchParams();
  const workspace = params.get("workspace") ?? "default";
  const selected = params.get("name");
  const level = (params.get("level") ?? "SECRET_AND_KEY_EXISTS") as ValidationLevel;
  const stacks = useQuery({ queryKey: ["stacks", workspace], queryFn: () => unwrap(api.GET("/api/v1/stacks", { params: { query: { workspace } } })) });
  const link = (name: string) => `?${new URLSearchParams({ ...(workspace === "default" ? {} : { workspace }), name })}`;
  return (
    <section>
      <h1>Stacks</h1>
      <div className="filters">
        <WorkspaceSelect value={workspace} onChange={(next) => setParams(next === "default" ? {} : { workspace: next })} />
      </div>
      <FormAlert message={stacks.error?.message} />
      {stacks.data &&
        (stacks.data.length === 0 ? (
          <p>No stacks in workspace {workspace}.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Components</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {stacks.data.map((stack) => (
                <tr key={stack.id}>
                  <th scope="row">
                    <Link to={link(stack.name)}>{stack.name}</Link>
                  </th>
                  <td>{stack.components.join(", ")}</td>
                  <td>
                    <TimeText iso={stack.updated} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {selected && (
        <StackDetails
          name={selected}
          workspace={workspace}
          level={level}
          onLevel={(next) => {
            const nextParams = new URLSearchParams(params);
            nextParams.set("level", next);
            setParams(nextParams, { replace: true });
          }}
        />
      )}
    </section>
  );
}
