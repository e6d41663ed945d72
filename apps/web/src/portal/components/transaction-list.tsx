/**
 * Recent transactions as a two-line list rather than a table: a table with five columns does not
 * fit 360 px without scrolling sideways.
 */
import type { PortalTransactionView } from "@mimamori/contracts";
import { formatMoney, formatTime } from "../../shared/i18n.ts";
import { labelOf } from "../messages.ts";
import { usePortal } from "../portal-context.ts";

export function TransactionList({ transactions }: { transactions: PortalTransactionView[] }) {
  const { text, lang, me } = usePortal();
  if (transactions.length === 0) {
    return <p className="muted">{text.transactionsEmpty}</p>;
  }
  const timeZone = me?.cardholder.timeZone;
  return (
    <ul className="transaction-list">
      {transactions.map((transaction) => (
        <li key={transaction.authorizationId} className={`transaction outcome-${transaction.outcome}`}>
          <div className="transaction-line">
            <span className="transaction-merchant">{transaction.merchant.name}</span>
            <span className="transaction-amount">{formatMoney(transaction.amount, lang)}</span>
          </div>
          <div className="transaction-line muted">
            <span>
              {formatTime(transaction.occurredAt, lang, timeZone)} ·{" "}
              {labelOf(text.paymentChannel, transaction.channel)} · {text.cardEnding(transaction.last4)}
            </span>
            <span className="transaction-outcome">{labelOf(text.outcome, transaction.outcome)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}
