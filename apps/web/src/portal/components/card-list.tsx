/**
 * The cardholder's cards with what they can do to each themselves: lock and unlock (reversible),
 * and report it lost or stolen (not reversible, so it asks which and confirms first).
 */
import type { PortalCardView } from "@mimamori/contracts";
import { useState } from "react";
import { navigate } from "../../shared/route.ts";
import { errorTextOf } from "../messages.ts";
import { portal } from "../portal-api.ts";
import { usePortal } from "../portal-context.ts";
import type { Failure } from "../use-load.ts";
import { CardStateLabel } from "./card-state-label.tsx";

export function CardList({ cards }: { cards: PortalCardView[] }) {
  const { text } = usePortal();
  if (cards.length === 0) {
    return <p className="muted">{text.cardsEmpty}</p>;
  }
  return (
    <ul className="card-list">
      {cards.map((card) => (
        <CardItem key={card.id} card={card} />
      ))}
    </ul>
  );
}

type LostKind = "lost" | "stolen";

function CardItem({ card }: { card: PortalCardView }) {
  const { text, reloadMe } = usePortal();
  const [isBusy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [isReporting, setReporting] = useState(false);
  const [lostKind, setLostKind] = useState<LostKind>("lost");
  // Only these two states are the cardholder's to switch; the others belong to a hold or a block.
  const isLockable = card.state === "active" || card.state === "locked";
  const isReportable = card.state !== "blocked" && card.state !== "replaced";

  const run = async (action: () => Promise<{ ok: true } | ({ ok: false } & Failure)>, after: () => void) => {
    setBusy(true);
    setFailure(null);
    const result = await action();
    if (result.ok) {
      await reloadMe();
      after();
    } else {
      setFailure(result);
    }
    setBusy(false);
  };
  const toggleLock = () =>
    void run(
      () => portal.setLocked(card.id, card.state === "active"),
      () => {},
    );
  const reportLost = () =>
    void run(
      () => portal.reportLost(card.id, lostKind),
      () => navigate("reissue"),
    );

  const reportId = `report-${card.id}`;
  return (
    <li className="card-item">
      <p className="card-pan">{card.panMasked}</p>
      <p>
        {text.cardStateLabel}: <CardStateLabel cardId={card.id} state={card.state} />
      </p>
      <p className="muted">{text.cardExpiry(card.expiry)}</p>
      <div className="card-actions">
        {isLockable ? (
          <button type="button" className="secondary" disabled={isBusy} onClick={toggleLock}>
            {card.state === "active" ? text.lockCard : text.unlockCard}
          </button>
        ) : null}
        {isReportable && !isReporting ? (
          <button type="button" className="secondary" disabled={isBusy} onClick={() => setReporting(true)}>
            {text.reportLost}
          </button>
        ) : null}
      </div>
      {isLockable ? <p className="muted">{text.lockHint}</p> : null}
      {isReporting ? (
        <fieldset className="report-lost" aria-describedby={`${reportId}-warning`}>
          <legend>{text.reportLostQuestion}</legend>
          {(["lost", "stolen"] as const).map((kind) => (
            <div key={kind} className="choice">
              <input
                type="radio"
                id={`${reportId}-${kind}`}
                name={reportId}
                value={kind}
                checked={lostKind === kind}
                onChange={() => setLostKind(kind)}
              />
              <label htmlFor={`${reportId}-${kind}`}>
                {kind === "lost" ? text.reportKindLost : text.reportKindStolen}
              </label>
            </div>
          ))}
          <p id={`${reportId}-warning`} className="warning">
            {text.reportLostWarning}
          </p>
          <div className="card-actions">
            <button type="button" className="danger" disabled={isBusy} onClick={reportLost}>
              {text.reportLostConfirm}
            </button>
            <button type="button" className="secondary" disabled={isBusy} onClick={() => setReporting(false)}>
              {text.cancel}
            </button>
          </div>
        </fieldset>
      ) : null}
      {failure === null ? null : (
        <p className="error" role="alert">
          {errorTextOf(text, failure)}
        </p>
      )}
    </li>
  );
}
