import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button, Form } from "react-aria-components";
import { useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import { fieldErrorsOf } from "../api/field-errors";
import type { AuditQuery, AuditVerification } from "../api/types";
import { FormAlert } from "../components/form-alert";
import { Pager } from "../components/pager";
import { SelectInput, type Choice } from "../components/select-input";
import { TextInput } from "../components/text-input";
import { TimeText } from "../components/time-text";
import { AdminTabs } from "./admin-tabs";

const TEXT_FILTERS = [
  { name: "actor", label: "Actor (user name)" },
  { name: "action", label: "Action (e.g. secret.read)" },
  { name: "target", label: "Target (name)" },
  { name: "since", label: "Since (YYYY-MM-DD, UTC)" },
  { name: "until", label: "Until (YYYY-MM-DD, UTC)" },
] as const;
type Outcome = "any" | "ok" | "denied" | "error";
const OUTCOMES: Choice<Outcome>[] = [
  { id: "any", label: "Any outcome" },
  { id: "ok", label: "ok" },
  { id: "denied", label: "denied" },
  { id: "error", label: "error" },
];

/** What the chain check found, in words. */
function verificationText(result: AuditVerification): string {
  if (result.valid) return `The audit chain is intact: ${result.checked} events checked${result.first_seq === null ? "" : ` (sequence ${result.first_seq} to ${result.last_seq})`}.`;
  const invalid = result.first_invalid;
  return `The audit chain is broken${invalid ? ` at event ${invalid.seq}${invalid.id ? ` (${invalid.id})` : ""}: ${invalid.reason.replace(/_/g, " ")}` : ""}. ${result.checked} events checked.`;
}

/** The audit log with filters, and the hash chain's verification. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(params) as Record<string, string>;
  const [draft, setDraft] = useState<Record<string, string>>(applied);
  const [verification, setVerification] = useState<{ text: string; valid: boolean }>();
  const [verifying, setVerifying] = useState(false);
  const page = Number(applied.page ?? "1") || 1;

  const query: AuditQuery = { size: "25", page: String(page) };
  for (const { name } of TEXT_FILTERS) if (applied[name]) query[name] = applied[name];
  if (applied.outcome && applied.outcome !== "any") query.outcome = applied.outcome as AuditQuery["outcome"];
  const events = useQuery({
    queryKey: ["audit", query],
    queryFn: () => unwrap(api.GET("/api/v1/audit", { params: { query } })),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const errors = events.error ? fieldErrorsOf(events.error) : { fields: {} as Record<string, string> };
  const unplaced = [errors.form, ...Object.entries(errors.fields).filter(([field]) => !TEXT_FILTERS.some(({ name }) => name === field)).map(([, message]) => message)].filter(Boolean).join("; ");

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setParams(Object.fromEntries(Object.entries(draft).filter(([name, value]) => value !== "" && value !== "any" && name !== "page")));
  };
  const verify = async () => {
    setVerifying(true);
    try {
      const result = await unwrap(api.GET("/api/v1/audit/verify"));
      setVerification({ text: verificationText(result), valid: result.valid });
    } catch (failure) {
      setVerification({ text: failure instanceof Error ? failure.message : String(failure), valid: false });
    } finally {
      setVerifying(false);
    }
  };

  return (
    <section>
      <h1>Administration</h1>
      <AdminTabs />
      <div className="section-heading">
        <h2>Audit log</h2>
        <Button className="button secondary" isPending={verifying} onPress={() => void verify()}>
          Verify the audit chain
        </Button>
      </div>
      {verification && (
        <p className={verification.valid ? "notice" : "alert"} role="status">
          {verification.text}
        </p>
      )}
      <Form validationBehavior="aria" className="filters" onSubmit={apply} aria-label="Filter the audit log">
        {TEXT_FILTERS.map(({ name, label }) => (
          <TextInput key={name} label={label} value={draft[name] ?? ""} onChange={(value) => setDraft({ ...draft, [name]: value })} error={errors.fields[name]} autoComplete="off" />
        ))}
        <SelectInput label="Outcome" choices={OUTCOMES} value={(draft.outcome ?? "any") as Outcome} onChange={(outcome) => setDraft({ ...draft, outcome })} />
        <Button type="submit" className="button primary">
          Apply filters
        </Button>
      </Form>
      <FormAlert message={unplaced || undefined} />
      {events.data && (
        <>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Client</th>
              </tr>
            </thead>
            <tbody>
              {events.data.items.map((event) => (
                <tr key={event.id}>
                  <th scope="row">
                    <TimeText iso={event.time} />
                  </th>
                  <td>
                    {event.actor.user_name ?? "anonymous"}
                    {event.actor.via ? ` (${event.actor.via.replace("_", " ")})` : ""}
                  </td>
                  <td className="mono">{event.action}</td>
                  <td>
                    {event.target.type}
                    {event.target.name ? ` ${event.target.name}` : ""}
                    {event.target.workspace ? ` in ${event.target.workspace}` : ""}
                  </td>
                  <td>
                    {event.outcome}
                    {event.error_code ? ` (${event.error_code})` : ""}
                  </td>
                  <td>{event.client_ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            page={events.data.index}
            totalPages={events.data.total_pages}
            total={events.data.total}
            onPage={(next) => setParams({ ...applied, page: String(next) })}
          />
        </>
      )}
    </section>
  );
}
