/**
 * Home: held payments to confirm come first, then how to recognise us, the cards and the recent
 * transactions.
 */
import { useState } from "react";
import { navigate } from "../../shared/route.ts";
import { CardList } from "../components/card-list.tsx";
import { ConfirmationBanner } from "../components/confirmation-banner.tsx";
import { LoadStatus } from "../components/load-status.tsx";
import { SecurityPhrasePanel } from "../components/security-phrase-panel.tsx";
import { TransactionList } from "../components/transaction-list.tsx";
import { labelOf } from "../messages.ts";
import { type Answer, type HoldView, portal } from "../portal-api.ts";
import { usePortal } from "../portal-context.ts";
import { type Failure, useLoad } from "../use-load.ts";

export function HomePage() {
  const { text, me, reloadMe } = usePortal();
  const confirmations = useLoad("confirmations", portal.confirmations);
  const transactions = useLoad("transactions", portal.transactions);
  // The card a "mine" answer released; its state is read from the refreshed cards, not guessed.
  const [releasedCardId, setReleasedCardId] = useState<string | null>(null);
  const cards = me?.cards ?? [];

  const answer = async (hold: HoldView, value: Answer): Promise<Failure | null> => {
    const result = await portal.answer(hold.id, value);
    if (!result.ok) {
      if (result.code === "hold_already_resolved" || result.code === "hold_not_found") {
        confirmations.reload();
      }
      return result;
    }
    if (value === "not_mine") {
      void reloadMe();
      navigate("reissue");
      return null;
    }
    await reloadMe();
    setReleasedCardId(hold.cardId);
    confirmations.reload();
    transactions.reload();
    return null;
  };

  const releasedCard = cards.find((card) => card.id === releasedCardId);
  return (
    <div className="home">
      <LoadStatus loaded={confirmations.loaded} onRetry={confirmations.reload}>
        {({ confirmations: holds }) =>
          holds.length === 0 ? null : <ConfirmationBanner holds={holds} cards={cards} onAnswer={answer} />
        }
      </LoadStatus>
      {releasedCardId === null ? null : (
        <p className="answer-result" role="status" data-testid="answer-result">
          {releasedCard === undefined
            ? text.answerMineDoneNoCard
            : text.answerMineDone(releasedCard.last4, labelOf(text.cardState, releasedCard.state))}
        </p>
      )}
      {me === null ? null : <SecurityPhrasePanel phrase={me.cardholder.securityPhrase} />}
      <section aria-labelledby="cards-heading">
        <h2 id="cards-heading">{text.cardsHeading}</h2>
        <CardList cards={cards} />
      </section>
      <section aria-labelledby="transactions-heading">
        <h2 id="transactions-heading">{text.transactionsHeading}</h2>
        <LoadStatus loaded={transactions.loaded} onRetry={transactions.reload}>
          {(value) => <TransactionList transactions={value.transactions} />}
        </LoadStatus>
      </section>
    </div>
  );
}
