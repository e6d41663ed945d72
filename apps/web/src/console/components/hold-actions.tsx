/**
 * The case's holds, and for one still open (awaiting the cardholder, or unanswered after the
 * window ran out) the analyst's decision: release the payment or block the card. A reason is
 * required because it goes into the audit trail and the cardholder's history.
 */
import type { CaseDetailView } from "@mimamori/contracts";
import { type FormEvent, useId, useState } from "react";
import { formatTime } from "../../shared/i18n.ts";
import { type ApiFailure, useConsole } from "../console-context.ts";
import { nameOf } from "../messages.ts";
import { ErrorNotice } from "./notice.tsx";

type CaseHold = CaseDetailView["holds"][number];

const actionableStates = new Set(["pending", "expired"]);

export function HoldActions({
  holds,
  onChanged,
}: {
  holds: CaseHold[];
  onChanged: (hold: CaseHold) => void;
}) {
  const { t, lang } = useConsole();
  const id = useId();
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t.holdsTitle}</h2>
      {holds.length === 0 ? <p className="muted">{t.empty}</p> : null}
      <ul className="plain-list">
        {holds.map((hold) => (
          <li key={hold.id} className="hold-item">
            <p>
              <code>{hold.id}</code> — <strong>{nameOf(t.holdStates, hold.state)}</strong>
              <span className="muted block">
                {t.colExpires}: {formatTime(hold.expiresAt, lang)}
              </span>
            </p>
            {actionableStates.has(hold.state) ? <HoldDecisionForm hold={hold} onChanged={onChanged} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Release or block one hold, with the reason; also offered in the queue for a hold with no case yet. */
export function HoldDecisionForm({
  hold,
  onChanged,
}: {
  hold: CaseHold;
  onChanged: (hold: CaseHold) => void;
}) {
  const { api, t } = useConsole();
  const id = useId();
  const [reason, setReason] = useState("");
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const action = submitter?.getAttribute("value");
    if ((action !== "release" && action !== "block") || reason.trim() === "") {
      return;
    }
    setIsBusy(true);
    setError(null);
    const result = await api.post<{ hold: CaseHold }>(
      `/v1/console/holds/${encodeURIComponent(hold.id)}/${action}`,
      { reason: reason.trim() },
    );
    setIsBusy(false);
    if (!result.ok) {
      setError(result);
      return;
    }
    onChanged(result.value.hold);
  };

  return (
    <form
      className="subform"
      data-testid="hold-form"
      data-hold-id={hold.id}
      onSubmit={(event) => void submit(event)}
    >
      <label htmlFor={`${id}-reason`}>{t.reason}</label>
      <textarea
        id={`${id}-reason`}
        name="reason"
        required
        rows={2}
        maxLength={2000}
        aria-describedby={`${id}-hint`}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <p id={`${id}-hint`} className="muted hint">
        {t.reasonHint}
      </p>
      {error === null ? null : <ErrorNotice error={error} />}
      <div className="button-row">
        <button type="submit" name="action" value="release" disabled={isBusy}>
          {t.release}
        </button>
        <button type="submit" name="action" value="block" className="danger" disabled={isBusy}>
          {t.block}
        </button>
      </div>
    </form>
  );
}
