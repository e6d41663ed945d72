/**
 * Scoring on hot state shared by several processes: prefetch the rows, score them with the same
 * code as the embedded engine, and count by compare-and-set (shared-hot-state.ts). The local
 * FeatureState is only the scratch space the rows are scored in: every authorization imports the
 * current rows first, so what this process counted earlier never stands in for what another
 * process counted since.
 *
 * In one respect the order differs from the embedded engine: an approval teaches the profile in
 * the same count, before the decision is durable, because a second round trip after the commit
 * would cost every approval a third. When the commit then fails, the count is taken back out and
 * the card's row is put back as it was, profile included, unless another authorization of the
 * card came in between; then only the windows are taken back (the profile keeps one approval that
 * was never recorded, which a rebuild from the store corrects).
 */
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Authorization, CardContext } from "./authorization.ts";
import type { EntityKeys, FeatureState } from "./features/index.ts";
import type { Scored, ScoringEngine } from "./scoring-engine.ts";
import type { CardStateChange, EntityRows, RingMove, SharedHotState } from "./shared-hot-state.ts";

export type SharedCountResult =
  | {
      readonly kind: "counted";
      readonly scored: Scored;
      /** The card as scored: its state is the latest any process published. */
      readonly card: CardContext;
      readonly uncount: () => Promise<void>;
    }
  /** The id was decided already (perhaps by another process): answer with the stored decision. */
  | { readonly kind: "decided_before" }
  | { readonly kind: "conflict" };

export type SharedCounting = {
  scoreAndCount(input: {
    authorization: Authorization;
    card: CardContext;
    /** When this process's copy of the card last changed: a newer published state replaces it. */
    cardStateAtMs: number;
    requestDigest: string;
    /** The authorization id this attempt would be recorded under. */
    owner: string;
  }): Promise<SharedCountResult>;
  /** Teaches the card's shared profile an authorization confirmed later ("mine"). */
  learn(authorization: Authorization, card: CardContext): Promise<void>;
};

export function createSharedCounting(deps: {
  shared: SharedHotState;
  features: FeatureState;
  engine: Pick<ScoringEngine, "score">;
  /** Whether the store already holds a decision for this external id. */
  isDecided: (externalId: string) => Promise<boolean>;
  /** Rebuilds the shared state from the store (or waits for the process rebuilding it). */
  rebuild: () => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  /** Told when another process's published card state is newer than this process's copy. */
  onNewerCardState: (change: CardStateChange) => void;
}): SharedCounting {
  const { shared, features, engine } = deps;

  const importRows = (keys: EntityKeys, rows: EntityRows): void => {
    features.importEntity("card", keys.card, rows.card);
    features.importEntity("merchant", keys.merchant, rows.merchant);
    if (keys.terminal !== null) {
      features.importEntity("terminal", keys.terminal, rows.terminal);
    }
    if (keys.device !== null) {
      features.importEntity("device", keys.device, rows.device);
    }
  };
  const exportCard = (cardId: string): Uint8Array => {
    const row = features.exportEntity("card", cardId);
    assert(row !== null, "an imported card has a row");
    return row;
  };
  const moveOf = (authorization: Authorization): RingMove => ({
    keys: features.entitiesOf(authorization),
    timeMs: authorization.occurredAtMs,
    amount: authorization.amountBaseMinor,
  });

  return {
    async scoreAndCount({ authorization, card: known, cardStateAtMs, requestDigest, owner }) {
      const externalId = authorization.externalId;
      const add = moveOf(authorization);
      const { keys } = add;
      // A lease is never renewed, so a live one ends within this many polls.
      let pollsLeft = Math.ceil(limits.hotStateLeaseMs / limits.hotStateWaitPollMs) + 1;
      let lostRaces = 0;
      while (lostRaces < limits.hotStateCountAttemptsMax) {
        const prefetched = await shared.prefetch(keys, externalId);
        if (!prefetched.isBuilt) {
          await deps.rebuild();
          continue;
        }
        const reservation = prefetched.reservation;
        if (reservation !== null) {
          if (reservation.requestDigest !== requestDigest) {
            return { kind: "conflict" };
          }
          if (await deps.isDecided(externalId)) {
            return { kind: "decided_before" };
          }
          if (reservation.isLeaseLive) {
            // Another process is deciding this id: its answer is the answer.
            pollsLeft -= 1;
            if (pollsLeft < 0) {
              throw new Error("hot_state_contention: a reservation's lease outlived its bound");
            }
            await deps.sleep(limits.hotStateWaitPollMs);
            continue;
          }
        }
        // Blocked, suspended or released by another process a moment ago: the prefetch says so.
        const published = prefetched.cardState;
        const isStateNewer =
          published !== null && published.atMs > cardStateAtMs && published.state !== known.state;
        if (isStateNewer) {
          deps.onNewerCardState({ cardId: known.cardId, ...published });
        }
        // An allow window another process opened ("mine") counts here at once.
        const window = prefetched.allowWindow;
        const isWindowNewer =
          window !== null &&
          window.untilMs >= authorization.occurredAtMs &&
          window.untilMs > (known.allowWindow?.untilMs ?? -1);
        const card =
          isStateNewer || isWindowNewer
            ? {
                ...known,
                ...(isStateNewer && published !== null ? { state: published.state } : {}),
                ...(isWindowNewer ? { allowWindow: window } : {}),
              }
            : known;
        importRows(keys, prefetched.rows);
        // A dead owner's count is taken out before this attempt scores, so it is never counted twice.
        const dead = reservation?.attempt ?? null;
        if (dead !== null) {
          features.unrecord(dead.authorization, dead.card, dead.outcome);
        }
        const before = exportCard(keys.card);
        const scored = engine.score(authorization, card);
        const outcome = scored.decision.outcome;
        if (outcome === "approve") {
          features.learn(authorization, card);
        }
        const counted = await shared.count({
          externalId,
          requestDigest,
          attempt: { owner, authorization, card, outcome },
          keys,
          expectedCardVersion: prefetched.cardVersion,
          cardRow: exportCard(keys.card),
          add,
          takeOver: dead === null ? null : { owner: dead.owner, remove: moveOf(dead.authorization) },
        });
        if (counted !== "ok") {
          lostRaces += 1;
          continue;
        }
        const uncount = async (): Promise<void> => {
          let remove: RingMove | null = add;
          let expectedCardVersion = prefetched.cardVersion + 1;
          let cardRow = before;
          for (let attempt = 0; attempt < limits.hotStateCountAttemptsMax; attempt++) {
            const result = await shared.uncount({
              externalId,
              owner,
              keys,
              expectedCardVersion,
              cardRow,
              remove,
            });
            if (result === "ok") {
              return;
            }
            remove = null;
            const again = await shared.prefetch(keys, externalId);
            features.importEntity("card", keys.card, again.rows.card);
            features.unrecord(authorization, card, outcome);
            cardRow = exportCard(keys.card);
            expectedCardVersion = again.cardVersion;
          }
          throw new Error(
            "hot_state_contention: an uncounted authorization could not be taken out of its card's row",
          );
        };
        return { kind: "counted", scored, card, uncount };
      }
      throw new Error(
        `hot_state_contention: ${lostRaces} concurrent authorizations of one card kept winning`,
      );
    },

    async learn(authorization, card) {
      const keys = features.entitiesOf(authorization);
      for (let attempt = 0; attempt < limits.hotStateCountAttemptsMax; attempt++) {
        const prefetched = await shared.prefetch(keys, authorization.externalId);
        features.importEntity("card", keys.card, prefetched.rows.card);
        features.learn(authorization, card);
        if ((await shared.putCard(keys.card, prefetched.cardVersion, exportCard(keys.card))) === "ok") {
          return;
        }
      }
      throw new Error("hot_state_contention: a confirmed authorization could not be learned");
    },
  };
}
