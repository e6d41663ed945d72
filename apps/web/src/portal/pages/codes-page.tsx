/**
 * One-time codes we sent for online payments. A code the cardholder did not ask for means
 * someone has the card number, so reporting it is one button: the server opens a case and locks
 * the card.
 */
import { useState } from "react";
import { formatMoney, formatTime } from "../../shared/i18n.ts";
import { LoadStatus } from "../components/load-status.tsx";
import { errorTextOf, labelOf } from "../messages.ts";
import { portal, type StepUpChallengeView, type UnrequestedReportView } from "../portal-api.ts";
import { usePortal } from "../portal-context.ts";
import { type Failure, useLoad } from "../use-load.ts";

export function CodesPage() {
  const { text } = usePortal();
  const { loaded, reload } = useLoad("challenges", portal.challenges);
  return (
    <section aria-labelledby="codes-heading">
      <h2 id="codes-heading">{text.codesTitle}</h2>
      <p>{text.codesIntro}</p>
      <p className="panel never-ask">
        <strong>{text.codesNeverAsk}</strong>
      </p>
      <LoadStatus loaded={loaded} onRetry={reload}>
        {({ challenges }) =>
          challenges.length === 0 ? (
            <p className="muted">{text.codesEmpty}</p>
          ) : (
            <ul className="plain-list challenge-list">
              {challenges.map((challenge) => (
                <ChallengeItem key={challenge.challengeId} challenge={challenge} onReported={reload} />
              ))}
            </ul>
          )
        }
      </LoadStatus>
    </section>
  );
}

function ChallengeItem({
  challenge,
  onReported,
}: {
  challenge: StepUpChallengeView;
  onReported: () => void;
}) {
  const { text, lang, me, reloadMe } = usePortal();
  const [isSending, setSending] = useState(false);
  const [report, setReport] = useState<UnrequestedReportView | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const timeZone = me?.cardholder.timeZone;
  const last4 = me?.cards.find((card) => card.id === challenge.cardId)?.last4;

  const reportUnrequested = async () => {
    setSending(true);
    setFailure(null);
    const result = await portal.reportUnrequested(challenge.challengeId);
    setSending(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setReport(result.value);
    void reloadMe();
    onReported();
  };

  return (
    <li className="panel challenge">
      {challenge.payment === null ? (
        <p className="muted">{text.codePaymentUnknown}</p>
      ) : (
        <p className="challenge-payment">
          <strong>{formatMoney(challenge.payment.amount, lang)}</strong> · {challenge.payment.merchant.name} (
          {challenge.payment.merchant.country})
        </p>
      )}
      <p className="muted">
        {text.codeSent(formatTime(challenge.createdAt, lang, timeZone))}{" "}
        {labelOf(text.codeChannel, challenge.channel)}
        {last4 === undefined ? "" : ` · ${text.cardEnding(last4)}`} ·{" "}
        {labelOf(text.codeState, challenge.state)}
      </p>
      {report !== null ? (
        <div className="report-result" role="status">
          <p>
            <strong>
              {report.caseId === null
                ? text.reportUnrequestedDoneNoCase
                : text.reportUnrequestedDone(report.caseId)}
            </strong>
          </p>
          {report.nextSteps.length === 0 ? null : (
            <ul>
              {report.nextSteps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ul>
          )}
        </div>
      ) : challenge.reportedUnrequestedAt !== null ? (
        <p className="report-result">
          {text.reportUnrequestedAlready(formatTime(challenge.reportedUnrequestedAt, lang, timeZone))}
        </p>
      ) : (
        <button
          type="button"
          className="danger"
          disabled={isSending}
          onClick={() => void reportUnrequested()}
        >
          {isSending ? text.reportingUnrequested : text.reportUnrequested}
        </button>
      )}
      {failure === null ? null : (
        <p className="error" role="alert">
          {errorTextOf(text, failure)}
        </p>
      )}
    </li>
  );
}
