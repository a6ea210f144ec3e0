import { Button } from "react-aria-components";
import { NavLink, Outlet } from "react-router";
import { useSession, useSignedInSession } from "../session/session-context";

const LINKS = [
  { to: "/secrets", label: "Secrets" },
  { to: "/secrets/new", label: "New secret" },
  { to: "/deleted", label: "Deleted" },
  { to: "/components", label: "Components" },
  { to: "/stacks", label: "Stacks" },
  { to: "/api-keys", label: "API keys" },
];
const ADMIN_LINK = { to: "/admin", label: "Admin" };

/** The frame of every signed-in page: navigation, who is signed in, sign out. */
export function AppShell() {
  const session = useSignedInSession();
  const { signOut } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <span className="brand">zs</span>
        <nav aria-label="Main">
          <ul className="nav-list">
            {(session.user.is_admin ? [...LINKS, ADMIN_LINK] : LINKS).map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.to !== "/admin"}>
                  {link.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <span className="whoami">
          Signed in as <strong>{session.user.name}</strong>
          {session.user.is_admin ? " (admin)" : ""}
        </span>
        <Button className="button secondary" onPress={() => void signOut()}>
          Sign out
        </Button>
      </header>
      <main id="main" className="shell-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
