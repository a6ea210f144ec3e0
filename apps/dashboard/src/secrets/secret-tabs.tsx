import { NavLink } from "react-router";

/** The views of one secret: its keys, its history, where it is used. */
export function SecretTabs({ id }: { id: string }) {
  return (
    <nav aria-label="This secret" className="secret-tabs">
      <NavLink to={`/secrets/${id}`} end>
        Keys
      </NavLink>
      <NavLink to={`/secrets/${id}/history`}>History</NavLink>
      <NavLink to={`/secrets/${id}/usages`}>Usages</NavLink>
    </nav>
  );
}
