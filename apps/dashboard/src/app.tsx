import { RouterProvider } from "react-aria-components";
import { Navigate, Route, Routes, useHref, useNavigate } from "react-router";
import { AuditPage } from "./admin/audit-page";
import { UsersPage } from "./admin/users-page";
import { WorkspacesPage } from "./admin/workspaces-page";
import { AppShell } from "./components/app-shell";
import { ApiKeysPage } from "./pages/api-keys-page";
import { ComponentsPage } from "./pages/components-page";
import { DeletedSecretsPage } from "./pages/deleted-secrets-page";
import { NewSecretPage } from "./pages/new-secret-page";
import { NotFoundPage } from "./pages/not-found-page";
import { SecretHistoryPage } from "./pages/secret-history-page";
import { SecretPage } from "./pages/secret-page";
import { SecretUsagesPage } from "./pages/secret-usages-page";
import { SecretsPage } from "./pages/secrets-page";
import { SignInPage } from "./pages/sign-in-page";
import { StacksPage } from "./pages/stacks-page";
import { useSession } from "./session/session-context";

/** The routes: the sign-in page until a session exists, then the app. */
export function App() {
  const navigate = useNavigate();
  const { state } = useSession();
  return (
    <RouterProvider navigate={navigate} useHref={useHref}>
      {state.status === "loading" ? (
        <p className="page-status" role="status">
          Loading…
        </p>
      ) : state.status === "error" ? (
        <p className="page-status" role="alert">
          The server could not be reached: {state.message}
        </p>
      ) : state.status === "signed-out" ? (
        <SignInPage notice={state.notice} />
      ) : (
        <Routes>
          <Route element={<AppShell />}>
            <Route index element={<Navigate to="/secrets" replace />} />
            <Route path="secrets" element={<SecretsPage />} />
            <Route path="secrets/new" element={<NewSecretPage />} />
            <Route path="secrets/:id" element={<SecretPage />} />
            <Route path="secrets/:id/history" element={<SecretHistoryPage />} />
            <Route path="secrets/:id/usages" element={<SecretUsagesPage />} />
            <Route path="deleted" element={<DeletedSecretsPage />} />
            <Route path="components" element={<ComponentsPage />} />
            <Route path="stacks" element={<StacksPage />} />
            <Route path="api-keys" element={<ApiKeysPage />} />
            {state.session.user.is_admin && (
              <>
                <Route path="admin" element={<Navigate to="/admin/users" replace />} />
                <Route path="admin/users" element={<UsersPage />} />
                <Route path="admin/workspaces" element={<WorkspacesPage />} />
                <Route path="admin/audit" element={<AuditPage />} />
              </>
            )}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      )}
    </RouterProvider>
  );
}
