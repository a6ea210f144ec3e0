import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { setUnauthenticatedHandler } from "../api/client";
import { deleteSession, fetchSession, type Session } from "./session-api";
import { useIdleTimer } from "./use-idle-timer";

/** Where the browser session stands. */
export type SessionState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "signed-out"; notice?: string }
  | { status: "signed-in"; session: Session };

interface SessionContextValue {
  state: SessionState;
  /** After a successful sign-in. */
  signedIn(session: Session): void;
  /** Signs out (revoking the session on the server) and shows `notice` on the sign-in page. */
  signOut(notice?: string): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

/** Holds the session, drops everything cached when it ends, and locks it after the idle time. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: "loading" });

  useEffect(() => {
    let current = true;
    fetchSession().then(
      (session) => current && setState(session ? { status: "signed-in", session } : { status: "signed-out" }),
      (error: unknown) => current && setState({ status: "error", message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, []);

  const signOut = useCallback(
    async (notice?: string) => {
      queryClient.clear();
      setState(notice === undefined ? { status: "signed-out" } : { status: "signed-out", notice });
      // Already signed out locally; the server may consider the session gone too (401): nothing left to revoke.
      await deleteSession().catch(() => undefined);
    },
    [queryClient],
  );

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      queryClient.clear();
      setState({ status: "signed-out", notice: "Your session has ended. Sign in again." });
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [queryClient]);

  const idleMinutes = state.status === "signed-in" ? state.session.idle_minutes : undefined;
  useIdleTimer(idleMinutes, () => void signOut(`The session locked after ${idleMinutes} minutes without activity. Sign in again.`));

  const value = useMemo<SessionContextValue>(
    () => ({ state, signedIn: (session) => setState({ status: "signed-in", session }), signOut }),
    [state, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session and what to do with it. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The signed-in session (only inside the signed-in app). */
export function useSignedInSession(): Session {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useSignedInSession while not signed in");
  return state.session;
}
