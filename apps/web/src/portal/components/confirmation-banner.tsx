/**
 * The red banner for payments held until the cardholder says whether they made them. It comes
 * first on the home page and is announced, because an unanswered hold declines the payment when
 * it expires and the cardholder may be waiting at a till.
 */
import type { PortalCardView } from "@mimamori/contracts";
import { useState } from "react";
import { formatMoney, formatTime } from "../../shared/i18n.ts";
import { errorTextOf } from "../messages.ts";
import type { Answer, HoldView } from "../portal-api.ts";
import { usePortal } from "../portal-context.ts";
import type { Failure } from "../use-load.ts";

/** The two answers, in the order they are offered; "not mine" is styled as the serious one. */
const answerButtons = [
  { answer: "mine", className: "answer", testId: "answer-mine", label: "answerMine" },
  { answer: "not_mine", className: "answer danger", testId: "answer-not-mine", label: "answerNotMine" },
] as const satisfies readonly { answer: Answer; className: string; testId: string; label: string }[];

type ConfirmationBannerProps = {
  holds: HoldView[];
  cards: PortalCardView[];
  /** Sends the answer; resolves with the failure to show, or null once it is done. */
  onAnswer: (hold: HoldView, answer: Answer) => Promise<Failure | null>;
};

export function ConfirmationBanner({ holds, cards, onAnswer }: ConfirmationBannerProps) {
  const { text } = usePortal();
  return (
    <section
      className="confirmation-banner"
      role="alert"
      aria-labelledby="confirmation-heading"
      data-testid="confirmation-banner"
    >
      <h2 id="confirmation-heading">{text.confirmationHeading}</h2>
      <p>{text.confirmationIntro}</p>
      <ul className="held-list">
        {holds.map((hold) => (
          <HeldPayment
            key={hold.id}
            hold={hold}
            last4={cards.find((card) => card.id === hold.cardId)?.last4 ?? null}
            onAnswer={onAnswer}
          />
        ))}
      </ul>
    </section>
  );
}

function HeldPayment({
  hold,
  last4,
  onAnswer,
}: {
  hold: HoldView;
  last4: string | null;
  onAnswer: ConfirmationBannerProps["onAnswer"];
}) {
  const { text, lang, me } = usePortal();
  const [isSending, setSending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const timeZone = me?.cardholder.timeZone;
  const answer = async (value: Answer) => {
    setSending(true);
    setFailure(null);
    const answered = await onAnswer(hold, value);
    setSending(false);
    setFailure(answered);
  };
  return (
    <li className="held-payment">
      {hold.authorizations.map((held) => (
        <dl key={held.authorizationId} className="held-authorization">
          <div>
            <dt>{text.heldAmount}</dt>
            <dd className="held-amount">{formatMoney(held.amount, lang)}</dd>
          </div>
          <div>
            <dt>{text.heldMerchant}</dt>
            <dd>{held.merchant.name}</dd>
          </div>
          <div>
            <dt>{text.heldWhen}</dt>
            <dd>{formatTime(held.occurredAt, lang, timeZone)}</dd>
          </div>
          {last4 === null ? null : (
            <div>
              <dt>{text.heldCard}</dt>
              <dd>{text.cardEnding(last4)}</dd>
            </div>
          )}
        </dl>
      ))}
      <p className="held-deadline">{text.answerBy(formatTime(hold.expiresAt, lang, timeZone))}</p>
      <div className="answer-buttons">
        {answerButtons.map((button) => (
          <button
            key={button.answer}
            type="button"
            className={button.className}
            data-testid={button.testId}
            data-hold-id={hold.id}
            disabled={isSending}
            onClick={() => void answer(button.answer)}
          >
            {text[button.label]}
          </button>
        ))}
      </div>
      <p className="held-note">{text.answerNotMineNote}</p>
      {isSending ? <p role="status">{text.answerSending}</p> : null}
      {failure === null ? null : <p className="error">{errorTextOf(text, failure)}</p>}
    </li>
  );
}
