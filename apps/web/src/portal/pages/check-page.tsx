/**
 * "Is this really us?": the cardholder pastes what they received and sees a verdict in words and
 * a symbol as well as a colour, with the signals behind it and what to do next.
 */
import { useState } from "react";
import { FailureMessage } from "../components/load-status.tsx";
import type { Messages } from "../messages.ts";
import { type ContactCheckRequest, type ContactCheckResultView, portal } from "../portal-api.ts";
import { usePortal } from "../portal-context.ts";
import type { Failure } from "../use-load.ts";

type ContactChannel = NonNullable<ContactCheckRequest["channel"]>;

const contactChannels = ["phone", "sms", "email", "push"] as const satisfies readonly ContactChannel[];

export function CheckPage() {
  const { text, lang } = usePortal();
  const [input, setInput] = useState("");
  const [from, setFrom] = useState("");
  const [channel, setChannel] = useState<ContactChannel | "">("");
  const [receivedAtLocal, setReceivedAtLocal] = useState("");
  const [isEmpty, setEmpty] = useState(false);
  const [isChecking, setChecking] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [result, setResult] = useState<ContactCheckResultView | null>(null);

  const check = async () => {
    const trimmed = input.trim();
    setEmpty(trimmed === "");
    if (trimmed === "") {
      return;
    }
    setChecking(true);
    setFailure(null);
    // The datetime field is in the browser's zone; the server wants an instant, so send UTC.
    const receivedAtMs = receivedAtLocal === "" ? Number.NaN : new Date(receivedAtLocal).getTime();
    const answered = await portal.checkContact({
      input: trimmed,
      language: lang,
      ...(from.trim() === "" ? {} : { from: from.trim() }),
      ...(channel === "" ? {} : { channel }),
      ...(Number.isNaN(receivedAtMs) ? {} : { receivedAt: new Date(receivedAtMs).toISOString() }),
    });
    setChecking(false);
    if (answered.ok) {
      setResult(answered.value);
    } else {
      setResult(null);
      setFailure(answered);
    }
  };

  return (
    <section aria-labelledby="check-heading">
      <h2 id="check-heading">{text.checkTitle}</h2>
      <p>{text.checkIntro}</p>
      <form
        className="check-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void check();
        }}
      >
        <label htmlFor="check-input">{text.checkInputLabel}</label>
        <textarea
          id="check-input"
          rows={5}
          value={input}
          maxLength={10_000}
          aria-invalid={isEmpty}
          aria-describedby={isEmpty ? "check-input-error" : undefined}
          onChange={(event) => setInput(event.target.value)}
        />
        {isEmpty ? (
          <p id="check-input-error" className="error">
            {text.checkEmpty}
          </p>
        ) : null}
        <label htmlFor="check-from">{text.checkFromLabel}</label>
        <input
          id="check-from"
          type="text"
          value={from}
          maxLength={320}
          autoComplete="off"
          onChange={(event) => setFrom(event.target.value)}
        />
        <label htmlFor="check-channel">{text.checkChannelLabel}</label>
        <select
          id="check-channel"
          value={channel}
          onChange={(event) => setChannel(asContactChannel(event.target.value))}
        >
          <option value="">{text.checkChannelUnknown}</option>
          {contactChannels.map((value) => (
            <option key={value} value={value}>
              {text.checkChannel[value]}
            </option>
          ))}
        </select>
        <label htmlFor="check-received-at">{text.checkReceivedAtLabel}</label>
        <input
          id="check-received-at"
          type="datetime-local"
          value={receivedAtLocal}
          onChange={(event) => setReceivedAtLocal(event.target.value)}
        />
        <button type="submit" className="submit" disabled={isChecking}>
          {isChecking ? text.checking : text.checkSubmit}
        </button>
      </form>
      {failure === null ? null : <FailureMessage failure={failure} />}
      {result === null ? null : <CheckResult result={result} text={text} />}
    </section>
  );
}

function asContactChannel(value: string): ContactChannel | "" {
  return contactChannels.find((known) => known === value) ?? "";
}

function CheckResult({ result, text }: { result: ContactCheckResultView; text: Messages }) {
  const verdict = text.verdict[result.verdict];
  return (
    <section className="check-result" aria-labelledby="verdict-heading">
      <div className={`verdict verdict-${result.verdict}`} role="status" data-verdict={result.verdict}>
        <span className="verdict-symbol" aria-hidden="true">
          {verdict.symbol}
        </span>
        <h3 id="verdict-heading">{verdict.title}</h3>
      </div>
      {result.reasons.length === 0 ? null : (
        <>
          <h4>{text.reasonsHeading}</h4>
          <ul className="plain-list reasons">
            {result.reasons.map((reason) => (
              <li key={`${reason.code}:${reason.excerpt}`} className={`reason severity-${reason.severity}`}>
                <span className="badge">{text.severity[reason.severity]}</span> {reason.message}
                {reason.excerpt === "" ? null : <q className="excerpt">{reason.excerpt}</q>}
              </li>
            ))}
          </ul>
        </>
      )}
      {result.advice.length === 0 ? null : (
        <>
          <h4>{text.adviceHeading}</h4>
          <ul>
            {result.advice.map((advice) => (
              <li key={advice}>{advice}</li>
            ))}
          </ul>
        </>
      )}
      {result.situation === null ? null : (
        <p>
          <a href={`#/help/${result.situation}`}>{text.checkFakeSiteLink}</a>
        </p>
      )}
    </section>
  );
}
