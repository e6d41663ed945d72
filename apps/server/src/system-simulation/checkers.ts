/**
 * The whole-system invariants (STYLE.md §6.8), each a named checker run after every step. A
 * checker looks at what the step did (the observations the simulator made while driving the
 * platform) and at the system of record (the store, read without faults), never at the
 * platform's own memory alone: a platform that is wrong and agrees with itself must still fail.
 * Each checker reads only what the step touched, so a check costs O(step), not O(history).
 */
import { limits } from "../config/limits.ts";
import { type HoldState, holdFromDocument } from "../holds/index.ts";
import {
  decodeSnapshot,
  type FeatureSnapshot,
  type LoadedRuleset,
  replayRecordedDecision,
} from "../scoring/index.ts";
import type { DecisionRecord, Store } from "../storage/index.ts";

export const invariantNames = [
  "noApprovalOnBlockedCard",
  "holdResolvesExactlyOnce",
  "otpNeverAcceptedAfterBudget",
  "reissueBlocksOldBeforeActivatingNew",
  "velocityMatchesEventLog",
  "decisionReplaysIdentically",
  "smsWithinCardholderBudget",
  "retryAnswersIdentically",
  "operationsFailCleanly",
] as const;
export type InvariantName = (typeof invariantNames)[number];

export type Violation = { readonly invariant: InvariantName; readonly message: string };

/** An authorization the acquirer sent and the platform decided afresh (not a replay). */
export type DecidedAuthorization = {
  readonly externalId: string;
  readonly cardId: string;
  /** The card's state in the store just before the request. */
  readonly cardStateBefore: string;
  readonly outcome: string;
  readonly score: number;
  readonly reasonCodes: readonly string[];
  /** The card's acknowledged authorizations before this one, oldest first: the oracle's log. */
  readonly earlier: readonly { readonly atMs: number; readonly amount: number }[];
  /**
   * A retry whose time is older than an event the card's rings already saw. The rings then count
   * only what they still hold (velocity-slab.ts), which depends on buckets already forgotten, so
   * the recount is checked for in-order authorizations only; the next one checks the late event.
   */
  readonly isLate: boolean;
};

export function checkNoApprovalOnBlockedCard(decided: DecidedAuthorization): Violation | null {
  // Every state but active is a gate in decide(): blocked, replaced, locked and on hold.
  if (decided.cardStateBefore !== "active" && decided.outcome === "approve") {
    return {
      invariant: "noApprovalOnBlockedCard",
      message: `${decided.externalId} approved on card ${decided.cardId} in state ${decided.cardStateBefore}`,
    };
  }
  return null;
}

export function checkDecisionReplays(
  decided: DecidedAuthorization,
  record: DecisionRecord | null,
  ruleset: LoadedRuleset,
): Violation | null {
  const fail = (message: string): Violation => ({ invariant: "decisionReplaysIdentically", message });
  if (record === null) {
    return fail(`${decided.externalId} was answered but no decision is stored`);
  }
  if (record.rulesetId !== ruleset.id || record.rulesetVersion !== ruleset.version) {
    return fail(`${decided.externalId} was decided by ruleset ${record.rulesetId}, not the active one`);
  }
  // The model verdict recorded with the snapshot is an input too (none: the simulator runs no model).
  const replayed = replayRecordedDecision(record, ruleset);
  const replayedCodes = replayed.reasons.map((reason) => reason.code).join(",");
  const storedCodes = decided.reasonCodes.join(",");
  if (
    replayed.outcome !== record.outcome ||
    replayed.outcome !== decided.outcome ||
    replayed.score !== record.score ||
    replayed.score !== decided.score ||
    replayedCodes !== storedCodes
  ) {
    return fail(
      `${decided.externalId}: answered ${decided.outcome}/${decided.score}/[${storedCodes}], ` +
        `replayed ${replayed.outcome}/${replayed.score}/[${replayedCodes}]`,
    );
  }
  return null;
}

/**
 * The card velocity rings' documented semantics (velocity-slab.ts): B buckets of W ms; at time t
 * with q = ⌊t / W⌋ the window counts the events whose bucket is in (q − B, q]. The simulator's
 * clock only moves forward, so every authorization is at or after the card's newest event.
 */
const cardWindows = [
  { count: "card.count1m", sum: "card.sum1m", bucketMs: 10_000, buckets: 6 },
  { count: "card.count1h", sum: "card.sum1h", bucketMs: 5 * 60_000, buckets: 12 },
  { count: "card.count24h", sum: "card.sum24h", bucketMs: 3_600_000, buckets: 24 },
  { count: "card.count7d", sum: "card.sum7d", bucketMs: 12 * 3_600_000, buckets: 14 },
  { count: "card.count30d", sum: "card.sum30d", bucketMs: 2 * 86_400_000, buckets: 15 },
] as const satisfies readonly {
  count: keyof FeatureSnapshot;
  sum: keyof FeatureSnapshot;
  bucketMs: number;
  buckets: number;
}[];

export function checkVelocity(
  decided: DecidedAuthorization,
  record: DecisionRecord,
  atMs: number,
): Violation | null {
  if (decided.isLate) {
    return null;
  }
  const snapshot = decodeSnapshot(record.snapshot);
  for (const window of cardWindows) {
    const q = Math.floor(atMs / window.bucketMs);
    let count = 0;
    let sum = 0;
    for (const event of decided.earlier) {
      const bucket = Math.floor(event.atMs / window.bucketMs);
      if (bucket > q - window.buckets && bucket <= q) {
        count += 1;
        sum += event.amount;
      }
    }
    if (snapshot[window.count] !== count || snapshot[window.sum] !== sum) {
      return {
        invariant: "velocityMatchesEventLog",
        message:
          `${decided.externalId} on ${decided.cardId}: ${window.count}=${snapshot[window.count]} ` +
          `${window.sum}=${snapshot[window.sum]}, the log recounts ${count} and ${sum}`,
      };
    }
  }
  return null;
}

const terminalHoldStates: readonly HoldState[] = [
  "confirmed_mine",
  "denied",
  "released_by_analyst",
  "blocked_by_analyst",
];

/** What the checker saw of a hold last time: the state and who resolved it when. */
export type SeenHold = { readonly state: HoldState; readonly resolution: string | null };

/**
 * A terminal hold never changes again; an expired one moves only to an analyst's resolution.
 * `seen` holds the last observation of every hold the checker has read, and is updated here.
 */
export async function checkHoldsOfCard(
  store: Store,
  cardId: string,
  seen: Map<string, SeenHold>,
): Promise<Violation | null> {
  const documents = await store.listDocuments("hold", { cardId }, null, limits.storePageRowsMax);
  for (const document of documents) {
    const hold = holdFromDocument(document);
    const resolution =
      hold.resolution === null
        ? null
        : `${hold.resolution.state}@${hold.resolution.atMs} by ${hold.resolution.actor}`;
    const before = seen.get(hold.id);
    seen.set(hold.id, { state: hold.state, resolution });
    if (before === undefined || (before.state === hold.state && before.resolution === resolution)) {
      continue;
    }
    const isLeavingTerminal = terminalHoldStates.includes(before.state);
    const isLeavingExpired =
      before.state === "expired" &&
      hold.state !== "released_by_analyst" &&
      hold.state !== "blocked_by_analyst";
    const isUnresolved = before.state !== "pending" && hold.state === "pending";
    if (isLeavingTerminal || isLeavingExpired || isUnresolved) {
      return {
        invariant: "holdResolvesExactlyOnce",
        message: `hold ${hold.id} moved from ${before.state} (${before.resolution}) to ${hold.state} (${resolution})`,
      };
    }
  }
  return null;
}

/**
 * A replacement card exists only beside a blocked (or replaced) original, in the store and in
 * the platform's memory: the new card is never live while the old one can still pay.
 */
export async function checkReissue(
  store: Store,
  cardsInMemory: readonly {
    readonly id: string;
    readonly state: string;
    readonly replacesCardId: string | null;
  }[],
  memoryStateOf: (cardId: string) => string | undefined,
): Promise<Violation | null> {
  for (const card of cardsInMemory) {
    if (card.replacesCardId === null) {
      continue;
    }
    const stored = await store.getCard(card.id);
    const old = await store.getCard(card.replacesCardId);
    const oldInMemory = memoryStateOf(card.replacesCardId);
    const isOldClosed = (state: string | undefined) => state === "blocked" || state === "replaced";
    if (stored === null || old === null || !isOldClosed(old.state) || !isOldClosed(oldInMemory)) {
      return {
        invariant: "reissueBlocksOldBeforeActivatingNew",
        message:
          `replacement ${card.id} (${stored?.state ?? "not stored"}) beside ${card.replacesCardId} ` +
          `(stored ${old?.state ?? "missing"}, in memory ${oldInMemory ?? "missing"})`,
      };
    }
  }
  return null;
}

/** What the simulator knew of a challenge when its code was accepted. */
export type AcceptedCode = {
  readonly challengeId: string;
  readonly code: string;
  readonly atMs: number;
  /** Codes entered for this challenge before this one. */
  readonly earlierAttempts: number;
  /** Every code sent for the challenge as the phone received it, with the time it was issued. */
  readonly codesIssued: readonly { readonly code: string; readonly issuedAtMs: number }[];
  readonly codeTtlMs: number;
};

export function checkAcceptedCode(accepted: AcceptedCode): Violation | null {
  const fail = (message: string): Violation => ({
    invariant: "otpNeverAcceptedAfterBudget",
    message: `challenge ${accepted.challengeId}: ${message}`,
  });
  if (accepted.earlierAttempts >= limits.challengeAttemptsMax) {
    return fail(`a code was accepted after ${accepted.earlierAttempts} attempts`);
  }
  const newest = accepted.codesIssued.reduce<{ code: string; issuedAtMs: number } | null>(
    (latest, code) => (latest === null || code.issuedAtMs >= latest.issuedAtMs ? code : latest),
    null,
  );
  if (newest === null) {
    // The phone never received a code: the accepted one was guessed. Not a budget breach by
    // itself, and the budget check above still holds.
    return null;
  }
  if (newest.code !== accepted.code && accepted.codesIssued.some((code) => code.code === accepted.code)) {
    return fail("a code replaced by a resend was accepted");
  }
  const issued = accepted.codesIssued.find((code) => code.code === accepted.code);
  if (issued !== undefined && accepted.atMs >= issued.issuedAtMs + accepted.codeTtlMs) {
    return fail(`a code issued at ${issued.issuedAtMs} was accepted at ${accepted.atMs}, after its expiry`);
  }
  return null;
}

export function checkSmsBudget(
  cardholderId: string,
  acceptedAtMs: readonly number[],
  nowMs: number,
): Violation | null {
  const sinceMs = nowMs - 3_600_000;
  const inLastHour = acceptedAtMs.filter((atMs) => atMs > sinceMs).length;
  if (inLastHour > limits.smsPerCardholderPerHourMax) {
    return {
      invariant: "smsWithinCardholderBudget",
      message: `cardholder ${cardholderId} was sent ${inLastHour} SMS in the last hour (budget ${limits.smsPerCardholderPerHourMax})`,
    };
  }
  return null;
}
