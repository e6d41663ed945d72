/**
 * Hot state is memory only: at start-up it is rebuilt by replaying the stored decisions in the
 * order they happened, exactly as they were counted and learned live.
 */
import { limits } from "../config/limits.ts";
import type { DecisionRecord, Store } from "../storage/index.ts";
import type { Authorization, CardContext } from "./authorization.ts";
import type { FeatureState } from "./features/index.ts";
import type { IdempotencyIndex } from "./idempotency-index.ts";

export async function rebuildHotState(deps: {
  store: Pick<Store, "listDecisions">;
  features: Pick<FeatureState, "record" | "learn">;
  idempotency: Pick<IdempotencyIndex, "restore">;
  context: (cardId: string) => CardContext | undefined;
  nowMs: number;
  onProgress?: (decisions: number) => void;
}): Promise<{ decisions: number }> {
  const fromMs = deps.nowMs - limits.stateRebuildLookbackMs;
  const idempotencyFromMs = deps.nowMs - limits.idempotencyWindowMs;
  let cursor: string | null = null;
  let decisions = 0;
  do {
    const page: { rows: readonly DecisionRecord[]; nextCursor: string | null } =
      await deps.store.listDecisions(fromMs, cursor, limits.rebuildPageRows);
    for (const record of page.rows) {
      const card = deps.context(record.cardId);
      if (card !== undefined) {
        const authorization = record.authorization as Authorization;
        deps.features.record(authorization, card, record.outcome);
        if (record.outcome === "approve") {
          deps.features.learn(authorization, card);
        }
      }
      if (record.decidedAtMs >= idempotencyFromMs) {
        deps.idempotency.restore(record.externalId, record.requestHash, record.decidedAtMs);
      }
      decisions += 1;
    }
    deps.onProgress?.(decisions);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { decisions };
}
