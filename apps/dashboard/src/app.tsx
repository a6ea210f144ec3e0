import { RouterProvider } from "react-aria-components";
import { Navigate, Route, Routes, useHref, useNavigate } from "react-router";
import { AppShell } from "./components/app-shell";
import { ApiKeysPage } from "./pages/api-keys-page";
import { DeletedSecretsPage } from "./pages/deleted-secrets-page";
import { NewSecretPage } from "./pages/new-secret-page";
import { NotFoundPage } from "./pages/not-found-page";
import { SecretHistoryPage } from "./pages/secret-history-page";
import { SecretPage } from "./pages/secret-page";
import { SecretUsagesPage } from "./pages/secret-usages-page";
import { SecretsPage } from "./pages/secrets-page";
import { SignInPage } from "./pages/sign-in-page";
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
            <Route path="api-keys" element={<ApiKeysPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      )}
    </RouterProvider>
  );
}
