import { NavLink } from "react-router";

/** The admin pages. */
export function AdminTabs() {
  return (
    <nav aria-label="Administration" className="secret-tabs">
      <NavLink to="/admin/users">Users</NavLink>
      <NavLink to="/admin/workspaces">Workspaces</NavLink>
      <NavLink to="/admin/audit">Audit log</NavLink>
    </nav>
  );
}
