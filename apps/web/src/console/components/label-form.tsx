/**
 * The analyst's verdict on a case: fraud or genuine, with the network's dispute reason when the
 * charges are disputed. Labels feed the stats and, later, the models, so each one is kept with
 * who gave it; a new label supersedes the last rather than editing it.
 */
import { type CaseLabelBody, type LabelValue, type LabelView, labelValues } from "@mimamori/contracts";
import { type FormEvent, useId, useState } from "react";
import { formatTime } from "../../shared/i18n.ts";
import { type ApiFailure, useConsole } from "../console-context.ts";
import { ErrorNotice } from "./notice.tsx";

export function LabelPanel({
  caseId,
  labels,
  onLabelled,
}: {
  caseId: string;
  labels: LabelView[];
  onLabelled: (label: LabelView) => void;
}) {
  const { t, lang } = useConsole();
  const id = useId();
  const history = [...labels].sort((left, right) => Date.parse(right.at) - Date.parse(left.at));
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t.labelTitle}</h2>
      <LabelForm caseId={caseId} onLabelled={onLabelled} />
      {history.length === 0 ? null : (
        <>
          <h3>{t.labelHistory}</h3>
          <ul className="plain-list">
            {history.map((label) => (
              <li key={label.id}>
                {t.labelBy(t.labels[label.label], label.operator.name, formatTime(label.at, lang))}
                {label.disputeReason === null ? null : (
                  <span className="block muted">
                    {t.disputeReason}: {label.disputeReason}
                  </span>
                )}
                {label.note === null || label.note === "" ? null : (
                  <span className="block">{label.note}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function LabelForm({ caseId, onLabelled }: { caseId: string; onLabelled: (label: LabelView) => void }) {
  const { api, t } = useConsole();
  const id = useId();
  const [label, setLabel] = useState<LabelValue | null>(null);
  const [disputeReason, setDisputeReason] = useState("");
  const [note, setNote] = useState("");
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (label === null) {
      return;
    }
    const body: CaseLabelBody = {
      label,
      ...(disputeReason.trim() === "" ? {} : { disputeReason: disputeReason.trim() }),
      ...(note.trim() === "" ? {} : { note: note.trim() }),
    };
    setIsBusy(true);
    setError(null);
    const result = await api.post<LabelView>(`/v1/console/cases/${encodeURIComponent(caseId)}/labels`, body);
    setIsBusy(false);
    if (!result.ok) {
      setError(result);
      return;
    }
    onLabelled(result.value);
    setDisputeReason("");
    setNote("");
  };

  return (
    <form className="subform" data-testid="label-form" onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend>{t.labelLegend}</legend>
        <div className="radio-row">
          {labelValues.map((value) => (
            <label key={value} className="radio">
              <input
                type="radio"
                name="label"
                value={value}
                required
                checked={label === value}
                onChange={() => setLabel(value)}
              />
              {t.labels[value]}
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor={`${id}-dispute`}>{t.disputeReason}</label>
      <input
        id={`${id}-dispute`}
        name="disputeReason"
        maxLength={200}
        aria-describedby={`${id}-dispute-hint`}
        value={disputeReason}
        onChange={(event) => setDisputeReason(event.target.value)}
      />
      <p id={`${id}-dispute-hint`} className="muted hint">
        {t.disputeReasonHint}
      </p>
      <label htmlFor={`${id}-note`}>{t.note}</label>
      <textarea
        id={`${id}-note`}
        name="note"
        rows={2}
        maxLength={2000}
        value={note}
        onChange={(event) => setNote(event.target.value)}
      />
      {error === null ? null : <ErrorNotice error={error} />}
      <button type="submit" disabled={isBusy || label === null}>
        {isBusy ? t.saving : t.saveLabel}
      </button>
    </form>
  );
}
