/**
 * The case's contact log, kept the way a card company's call centre keeps one (seed 002): when,
 * by which channel, with which number or address, who handled it, what was said, what was done,
 * and the receipt number read back to the cardholder, which the server issues on saving.
 */
import {
  type ContactChannel,
  type ContactRecordBody,
  type ContactRecordView,
  contactChannelValues,
} from "@mimamori/contracts";
import { type FormEvent, useId, useState } from "react";
import { formatTime } from "../../shared/i18n.ts";
import { type ApiFailure, useConsole } from "../console-context.ts";
import { localInputToIso, toLocalInputValue } from "../format.ts";
import { ErrorNotice } from "./notice.tsx";
import { TableScroll } from "./table-scroll.tsx";

export function ContactLog({
  caseId,
  records,
  onAdded,
}: {
  caseId: string;
  records: ContactRecordView[];
  onAdded: (record: ContactRecordView) => void;
}) {
  const { t, lang } = useConsole();
  const id = useId();
  const columns = t.contactColumns;
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t.contactLogTitle}</h2>
      <TableScroll label={t.contactLogTitle}>
        <table data-testid="contact-log" className="contact-log">
          <thead>
            <tr>
              <th scope="col">{columns.occurredAt}</th>
              <th scope="col">{columns.channel}</th>
              <th scope="col">{columns.counterpart}</th>
              <th scope="col">{columns.operator}</th>
              <th scope="col">{columns.summary}</th>
              <th scope="col">{columns.response}</th>
              <th scope="col">{columns.receiptNumber}</th>
            </tr>
          </thead>
          <tbody>
            {records.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  {t.noContactRecords}
                </td>
              </tr>
            ) : null}
            {records.map((record) => (
              <tr key={record.id} data-testid="contact-record-row">
                <td className="nowrap">
                  <time dateTime={record.occurredAt}>{formatTime(record.occurredAt, lang)}</time>
                </td>
                <td className="nowrap">{t.channels[record.channel] ?? record.channel}</td>
                <td className="nowrap">{record.counterpart}</td>
                <td className="nowrap">{record.operator.name}</td>
                <td className="prose">{record.summary}</td>
                <td className="prose">{record.response}</td>
                <td className="nowrap">
                  <code>{record.receiptNumber}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <ContactRecordForm caseId={caseId} onAdded={onAdded} />
    </section>
  );
}

function ContactRecordForm({
  caseId,
  onAdded,
}: {
  caseId: string;
  onAdded: (record: ContactRecordView) => void;
}) {
  const { api, t } = useConsole();
  const id = useId();
  const [occurredAt, setOccurredAt] = useState(() => toLocalInputValue(new Date()));
  const [channel, setChannel] = useState<ContactChannel>("phone_inbound");
  const [counterpart, setCounterpart] = useState("");
  const [summary, setSummary] = useState("");
  const [response, setResponse] = useState("");
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [savedReceipt, setSavedReceipt] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const occurredAtIso = localInputToIso(occurredAt);
    if (occurredAtIso === null) {
      return;
    }
    const body: ContactRecordBody = { occurredAt: occurredAtIso, channel, counterpart, summary, response };
    setIsBusy(true);
    setError(null);
    setSavedReceipt(null);
    const result = await api.post<ContactRecordView>(
      `/v1/console/cases/${encodeURIComponent(caseId)}/contact-records`,
      body,
    );
    setIsBusy(false);
    if (!result.ok) {
      setError(result);
      return;
    }
    onAdded(result.value);
    setSavedReceipt(result.value.receiptNumber);
    setOccurredAt(toLocalInputValue(new Date()));
    setCounterpart("");
    setSummary("");
    setResponse("");
  };

  return (
    <form
      className="subform"
      data-testid="contact-record-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={`${id}-title`}>{t.addContactRecord}</h3>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-at`}>{t.contactColumns.occurredAt}</label>
          <input
            id={`${id}-at`}
            name="occurredAt"
            type="datetime-local"
            required
            value={occurredAt}
            onChange={(event) => setOccurredAt(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-channel`}>{t.contactColumns.channel}</label>
          <select
            id={`${id}-channel`}
            name="channel"
            value={channel}
            onChange={(event) => {
              const next = contactChannelValues.find((value) => value === event.target.value);
              if (next !== undefined) {
                setChannel(next);
              }
            }}
          >
            {contactChannelValues.map((value) => (
              <option key={value} value={value}>
                {t.channels[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-counterpart`}>{t.contactColumns.counterpart}</label>
          <input
            id={`${id}-counterpart`}
            name="counterpart"
            maxLength={254}
            autoComplete="off"
            value={counterpart}
            onChange={(event) => setCounterpart(event.target.value)}
          />
        </div>
      </div>
      <label htmlFor={`${id}-summary`}>{t.contactColumns.summary}</label>
      <textarea
        id={`${id}-summary`}
        name="summary"
        required
        maxLength={2000}
        rows={3}
        value={summary}
        onChange={(event) => setSummary(event.target.value)}
      />
      <label htmlFor={`${id}-response`}>{t.contactColumns.response}</label>
      <textarea
        id={`${id}-response`}
        name="response"
        maxLength={2000}
        rows={2}
        value={response}
        onChange={(event) => setResponse(event.target.value)}
      />
      {error === null ? null : <ErrorNotice error={error} />}
      {savedReceipt === null ? null : (
        <p className="notice notice-ok" role="status">
          <span aria-hidden="true">✓ </span>
          {t.contactSaved(savedReceipt)}
        </p>
      )}
      <button type="submit" disabled={isBusy}>
        {isBusy ? t.saving : t.saveContactRecord}
      </button>
    </form>
  );
}
