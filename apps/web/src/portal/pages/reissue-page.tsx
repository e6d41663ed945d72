/**
 * The replacement after a block: the old card is dead, the new one is on its way, the disputed
 * charges are ours to handle, and these merchants are told the new number (the rest are listed
 * for the cardholder to update).
 */
import type { ReissueView } from "@mimamori/contracts";
import { useEffect, useState } from "react";
import { formatMoney, formatTime } from "../../shared/i18n.ts";
import { CardStateLabel } from "../components/card-state-label.tsx";
import { LoadStatus } from "../components/load-status.tsx";
import { labelOf } from "../messages.ts";
import { portal } from "../portal-api.ts";
import { usePortal } from "../portal-context.ts";
import { useLoad } from "../use-load.ts";

// The new card is issued a moment after the block; asking again every few seconds for a minute
// shows it without a manual refresh, and stops before it costs anything when nobody is looking.
const reissuePollIntervalMs = 3_000;
const reissuePollsMax = 20;

export function ReissuePage() {
  const { text } = usePortal();
  const { loaded, reload } = useLoad("reissues", portal.reissues);
  const [pollCount, setPollCount] = useState(0);
  useEffect(() => {
    if (loaded.kind !== "ready" || !isBeingPrepared(loaded.value.reissues) || pollCount >= reissuePollsMax) {
      return;
    }
    const timer = setTimeout(() => {
      setPollCount((count) => count + 1);
      reload();
    }, reissuePollIntervalMs);
    return () => clearTimeout(timer);
  }, [loaded, pollCount, reload]);

  return (
    <section className="reissue-page" data-testid="reissue-page" aria-labelledby="reissue-heading">
      <h2 id="reissue-heading">{text.reissueTitle}</h2>
      <LoadStatus loaded={loaded} onRetry={reload}>
        {({ reissues }) => {
          const [newest, ...earlier] = newestFirst(reissues);
          if (newest === undefined) {
            return <p>{text.reissueEmpty}</p>;
          }
          return (
            <>
              <ReissueDetail reissue={newest} />
              {earlier.length === 0 ? null : <EarlierReissues reissues={earlier} />}
            </>
          );
        }}
      </LoadStatus>
      <button type="button" className="secondary" onClick={reload}>
        {text.refresh}
      </button>
    </section>
  );
}

function newestFirst(reissues: ReissueView[]): ReissueView[] {
  return [...reissues].sort((left, right) => Date.parse(right.openedAt) - Date.parse(left.openedAt));
}

/** Nothing yet (the answer was just given) or no new card yet: worth asking again soon. */
function isBeingPrepared(reissues: ReissueView[]): boolean {
  const newest = newestFirst(reissues)[0];
  return newest === undefined || newest.newCard === null;
}

function ReissueDetail({ reissue }: { reissue: ReissueView }) {
  const { text, lang, me } = usePortal();
  const timeZone = me?.cardholder.timeZone;
  const reason = labelOf(text.reissueReason, reissue.reason);
  return (
    <div className="reissue">
      <p>
        {reason === reissue.reason ? null : `${reason} `}
        <span className="muted">{text.reissueStarted(formatTime(reissue.openedAt, lang, timeZone))}</span>
      </p>

      <section className="panel" aria-labelledby="old-card-heading">
        <h3 id="old-card-heading">{text.oldCardHeading}</h3>
        <p>{text.oldCardBlocked(reissue.oldCard.last4)}</p>
        <p>
          {text.cardStateLabel}: <CardStateLabel cardId={reissue.oldCard.id} state={reissue.oldCard.state} />
        </p>
      </section>

      <section className="panel new-card" aria-labelledby="new-card-heading">
        <h3 id="new-card-heading">{text.newCardHeading}</h3>
        <div data-testid="reissue-new-card" data-state={reissue.newCard?.state ?? "preparing"} role="status">
          {reissue.newCard === null ? (
            <p>{text.newCardPreparing}</p>
          ) : (
            <>
              <p className="card-pan">{text.newCardEnding(reissue.newCard.last4)}</p>
              <p>
                {text.cardStateLabel}:{" "}
                <CardStateLabel cardId={reissue.newCard.id} state={reissue.newCard.state} />
              </p>
              <p className="muted">{text.newCardExpiry(reissue.newCard.expiry)}</p>
            </>
          )}
        </div>
      </section>

      <section aria-labelledby="disputed-heading">
        <h3 id="disputed-heading">{text.disputedHeading}</h3>
        {reissue.disputedCharges.length === 0 ? (
          <p className="muted">{text.disputedEmpty}</p>
        ) : (
          <>
            <p>{text.disputedIntro}</p>
            <ul className="plain-list">
              {reissue.disputedCharges.map((charge) => (
                <li key={charge.authorizationId} className="row">
                  <span>
                    {charge.merchantName} · {formatMoney(charge.amount, lang)}
                  </span>
                  <span className="badge">{labelOf(text.disputeState, charge.state)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="card-on-file-heading">
        <h3 id="card-on-file-heading">{text.cardOnFileHeading}</h3>
        {reissue.cardOnFile.length === 0 ? null : <p>{text.cardOnFileIntro}</p>}
        <ul className="plain-list" data-testid="card-on-file-list">
          {reissue.cardOnFile.length === 0 ? <li className="muted">{text.cardOnFileEmpty}</li> : null}
          {reissue.cardOnFile.map((merchant) => (
            <li key={merchant.merchantName} className="row" data-state={merchant.state}>
              <span>{merchant.merchantName}</span>
              <span className="badge">{labelOf(text.cardOnFileState, merchant.state)}</span>
            </li>
          ))}
        </ul>
        <h4>{text.cardOnFileAdviceHeading}</h4>
        <ul className="checklist">
          {text.cardOnFileAdvice.map((advice) => (
            <li key={advice}>{advice}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function EarlierReissues({ reissues }: { reissues: ReissueView[] }) {
  const { text, lang, me } = usePortal();
  return (
    <section aria-labelledby="earlier-reissues-heading">
      <h3 id="earlier-reissues-heading">{text.earlierReissuesHeading}</h3>
      <ul className="plain-list">
        {reissues.map((reissue) => (
          <li key={reissue.caseId}>
            {formatTime(reissue.openedAt, lang, me?.cardholder.timeZone)}:{" "}
            {text.cardEnding(reissue.oldCard.last4)}
            {reissue.newCard === null ? "" : ` → ${text.cardEnding(reissue.newCard.last4)}`}
          </li>
        ))}
      </ul>
    </section>
  );
}
