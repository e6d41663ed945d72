/**
 * A card's state in words, with the raw state beside it for styling and for tests. One label per
 * card per page: the test id must name a single element.
 */
import { labelOf } from "../messages.ts";
import { usePortal } from "../portal-context.ts";

export function CardStateLabel({ cardId, state }: { cardId: string; state: string }) {
  const { text } = usePortal();
  return (
    <span
      className={`card-state card-state-${state}`}
      data-testid={`card-state-${cardId}`}
      data-state={state}
    >
      {labelOf(text.cardState, state)}
    </span>
  );
}
