import { useEffect, useState } from "react";
import { Button } from "react-aria-components";
import type { SecretListItem } from "../api/types";
import { FormAlert } from "../components/form-alert";
import { readSecretValues } from "./secret-queries";

/**
 * The keys of a secret with their values masked; reveal one or all (one audited read each
 * time), hide again, copy one. Revealed values live only in this component's state and are
 * dropped when it unmounts or the secret changes.
 */
export function SecretValues({ secret, values, onValues }: { secret: SecretListItem; values: Record<string, string> | null; onValues(values: Record<string, string> | null): void }) {
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState<string>();
  const [pending, setPending] = useState(false);

  useEffect(() => setShown(new Set()), [secret.id, secret.version]);

  const read = async (): Promise<Record<string, string> | null> => {
    if (values) return values;
    setPending(true);
    setError(undefined);
    try {
      const read = (await readSecretValues(secret)).values;
      onValues(read);
      return read;
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      return null;
    } finally {
      setPending(false);
    }
  };
  const reveal = async (keys: readonly string[]) => {
    if (await read()) setShown(new Set([...shown, ...keys]));
  };
  const hide = (key: string) => setShown(new Set([...shown].filter((other) => other !== key)));
  const copy = async (key: string) => {
    const read_ = await read();
    const value = read_?.[key];
    if (value === undefined) return;
    try {
      await navigator.clipboard.writeText(value);
      setCopied(key);
    } catch (failure) {
      setError(`Could not copy to the clipboard: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  };
  const allShown = secret.keys.every((key) => shown.has(key));

  return (
    <section aria-labelledby="values-heading">
      <div className="section-heading">
        <h2 id="values-heading">Keys</h2>
        {secret.keys.length > 0 &&
          (allShown ? (
            <Button className="button secondary" onPress={() => setShown(new Set())}>
              Hide all values
            </Button>
          ) : (
            <Button className="button secondary" isPending={pending} onPress={() => void reveal(secret.keys)}>
              Reveal all values
            </Button>
          ))}
      </div>
      <FormAlert message={error} />
      {secret.keys.length === 0 ? (
        <p>This secret has no keys.</p>
      ) : (
        <table className="data-table values-table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {secret.keys.map((key) => {
              const visible = shown.has(key) && values?.[key] !== undefined;
              return (
                <tr key={key}>
                  <th scope="row" className="mono">
                    {key}
                  </th>
                  <td className="mono value-cell">
                    {visible ? <span className="secret-value">{values![key]}</span> : <span aria-label="hidden value">••••••••</span>}
                  </td>
                  <td className="actions">
                    {visible ? (
                      <Button className="button secondary small" aria-label={`Hide ${key}`} onPress={() => hide(key)}>
                        Hide
                      </Button>
                    ) : (
                      <Button className="button secondary small" aria-label={`Reveal ${key}`} onPress={() => void reveal([key])}>
                        Reveal
                      </Button>
                    )}
                    <Button className="button secondary small" aria-label={`Copy ${key}`} onPress={() => void copy(key)}>
                      {copied === key ? "Copied" : "Copy"}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="visually-hidden" role="status">
        {copied ? `Copied the value of ${copied}.` : ""}
      </p>
    </section>
  );
}
