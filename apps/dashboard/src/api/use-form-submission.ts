import { useState } from "react";
import { fieldErrorsOf, type FieldErrors } from "./field-errors";

const NO_ERRORS: FieldErrors = { fields: {} };

/**
 * A form's submission as every form of the dashboard runs it: `pending` while the action runs,
 * and what it throws sorted onto the form's fields (`fieldErrorsOf`). Not a `useMutation`: its
 * variables and result (values, a new API key) would stay in the mutation cache.
 */
export function useFormSubmission() {
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  /** Runs `action`; `onFailure` sees what it threw before the errors are shown. */
  const submit = async (action: () => Promise<void>, onFailure?: (failure: unknown) => void): Promise<void> => {
    setPending(true);
    setErrors(NO_ERRORS);
    try {
      await action();
    } catch (failure) {
      onFailure?.(failure);
      setErrors(fieldErrorsOf(failure));
    } finally {
      setPending(false);
    }
  };
  return { pending, errors, setErrors, submit };
}
