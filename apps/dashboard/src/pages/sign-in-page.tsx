import { useState, type FormEvent } from "react";
import { Button, Form } from "react-aria-components";
import { isApiError } from "../api/api-error";
import { FormAlert } from "../components/form-alert";
import { TextInput } from "../components/text-input";
import { useSession } from "../session/session-context";
import { createSession } from "../session/session-api";

/** The server's refusal of a sign-in, with when to try again if it is throttling. */
function signInError(error: unknown): string {
  if (isApiError(error, "RATE_LIMITED")) {
    const seconds = Number(error.details.retry_after_seconds);
    if (Number.isFinite(seconds)) {
      const at = new Date(Date.now() + seconds * 1000).toLocaleTimeString();
      return `${error.message} (You can try again at ${at}.)`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/** User name and password; the server answers with an HttpOnly session cookie. */
export function SignInPage({ notice }: { notice?: string | undefined }) {
  const { signedIn } = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      signedIn(await createSession(username, password));
    } catch (failure) {
      setError(signInError(failure));
      setPassword("");
    } finally {
      setPending(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <h1>Sign in to zs</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Form validationBehavior="aria" onSubmit={(event) => void submit(event)} className="form">
        <TextInput label="User name" name="username" autoComplete="username" value={username} onChange={setUsername} isRequired autoFocus />
        <TextInput label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={setPassword} isRequired />
        <FormAlert message={error} />
        <Button type="submit" className="button primary" isPending={pending}>
          Sign in
        </Button>
      </Form>
    </main>
  );
}
