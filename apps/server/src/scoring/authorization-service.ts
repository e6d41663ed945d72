/**
 * POST /v1/authorizations behind the HTTP edge: idempotency, card resolution, scoring, and the
 * durable record. A response leaves only after its decision and audit entry are committed.
 */
import type { AuthorizationBody } from "@mimamori/contracts";
import type { CardService } from "../cards/index.ts";
import { limits } from "../config/limits.ts";
import { isKnownCurrency, toBaseMinor } from "../money/index.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import type { CardId, IdGenerator } from "../platform/ids.ts";
import type { AuditDraft, DecisionRecord, GroupCommitter, WriteOp } from "../storage/index.ts";
import type { AllowWindow, Authorization, CardContext, ThreeDsStatus } from "./authorization.ts";
import type { Reason } from "./decision.ts";
import type { FeatureState } from "./features/index.ts";
import type { IdempotencyIndex } from "./idempotency-index.ts";
import type { Scored, ScoringEngine } from "./scoring-engine.ts";
import type { SharedCounting } from "./shared-counting.ts";
import { encodeSnapshot } from "./snapshot-codec.ts";

export type AuthorizationResponse = {
  authorizationId: string;
  externalId: string;
  cardId: string;
  outcome: DecisionRecord["outcome"];
  score: number;
  reasons: readonly Reason[];
  explanation: unknown;
  rulesetVersion: number;
  decidedAt: string;
  holdId?: string;
};

/** Why a payment request (an authorization, or its 3-D Secure authentication) is refused as input. */
export type PaymentRequestRefusal = {
  ok: false;
  code:
    | "idempotency_conflict"
    | "card_not_found"
    | "invalid_pan"
    | "unknown_currency"
    | "invalid_occurred_at";
  message: string;
};

export type AuthorizeResult = { ok: true; body: string; isReplay: boolean } | PaymentRequestRefusal;

type ParsedTime = { ms: number; offsetMinutes: number };

/**
 * The confirmation loop's part in an authorization (the holds module implements it): the allow
 * window the card has, and the hold writes a decision brings, committed with the decision.
 */
export type HoldHooks = {
  allowWindowFor(cardId: string, atMs: number): AllowWindow | null;
  /** On a shared store: reads what another process changed of the card's hold (see holds). */
  syncCard?(cardId: string, cardState: CardContext["state"]): Promise<void>;
  onDecision(input: {
    authorizationId: string;
    authorization: Authorization;
    card: CardContext;
    outcome: DecisionRecord["outcome"];
    nowMs: number;
  }): { ops: readonly WriteOp[]; audit: readonly AuditDraft[]; holdId: string | null; undo: () => void };
};

/**
 * Step-up's part in an authorization (the stepup module implements it): what a 3-D Secure
 * authentication value proves for this payment, and spending it with the approving decision.
 */
export type AuthenticationHooks = {
  /** Synchronous and read-only: an unknown, spent or mismatched value is `invalid`. */
  check(
    authenticationValue: string,
    payment: { cardId: string; amountMinor: number; currency: string; merchantId: string; atMs: number },
  ): { status: ThreeDsStatus; authenticationId: string | null };
  /** On a shared store: makes sure a value another process just issued is known before `check`. */
  sync?(authenticationValue: string): Promise<void>;
  /** Marks the value spent at once (a second use is then invalid) and returns its writes and an undo. */
  spend(
    authenticationId: string,
    authorizationId: string,
    nowMs: number,
  ): { ops: readonly WriteOp[]; audit: readonly AuditDraft[]; undo: () => void };
};

const noAuthentications: AuthenticationHooks = {
  check: () => ({ status: "invalid", authenticationId: null }),
  spend: () => ({ ops: [], audit: [], undo: () => {} }),
};

const noHolds: HoldHooks = {
  allowWindowFor: () => null,
  onDecision: () => ({ ops: [], audit: [], holdId: null, undo: () => {} }),
};

/** `occurredAt` passed the edge's pattern; this reads its instant and the merchant's UTC offset. */
export function parseOccurredAt(text: string): ParsedTime | null {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || !isCalendarTime(text)) {
    return null;
  }
  const offset = /([+-])([0-9]{2}):([0-9]{2})$/.exec(text);
  if (offset === null) {
    return { ms, offsetMinutes: 0 };
  }
  const minutes = Number(offset[2]) * 60 + Number(offset[3]);
  if (minutes > 14 * 60) {
    return null;
  }
  return { ms, offsetMinutes: offset[1] === "-" ? -minutes : minutes };
}

/**
 * Date.parse rolls an impossible date over (30 February becomes 2 March) and V8 accepts 24:00; a
 * time the sender's calendar does not have is a malformed field, not a day later.
 */
function isCalendarTime(text: string): boolean {
  const parts = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})/.exec(text);
  if (parts === null) {
    return false;
  }
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day));
  const isRealDay = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isRealDay && hour < 24 && minute < 60 && second < 60;
}

export function createAuthorizationService(deps: {
  cards: Pick<CardService, "resolveCard" | "refresh">;
  engine: ScoringEngine;
  features: Pick<FeatureState, "learn" | "unrecord">;
  committer: Pick<GroupCommitter, "submit">;
  idempotency: IdempotencyIndex;
  /** Keyed digest of the request's canonical form: the body holds a PAN, so never a plain hash. */
  digestRequest: (body: AuthorizationBody) => string;
  getStoredDecision: (externalId: string) => Promise<DecisionRecord | null>;
  ids: IdGenerator;
  clock: Clock;
  /** Absent in tools that score without the loop (replay); then holds are only outcomes. */
  holds?: HoldHooks;
  /** Absent in tools without step-up; then every authentication value is invalid. */
  authentications?: AuthenticationHooks;
  /** Present when several processes share the hot state (Redis); absent, it is this process's. */
  shared?: SharedCounting;
}) {
  const { cards, engine, features, committer, idempotency, ids, clock } = deps;
  const holds = deps.holds ?? noHolds;
  const authentications = deps.authentications ?? noAuthentications;

  const replayStored = async (externalId: string, requestDigest: string): Promise<AuthorizeResult> => {
    const stored = await deps.getStoredDecision(externalId);
    assert(stored !== null, "a conflicting external id is in the store");
    if (stored.requestHash !== requestDigest) {
      return conflict;
    }
    return { ok: true, body: JSON.stringify(stored.response), isReplay: true };
  };

  const decideAndRecord = async (
    body: AuthorizationBody,
    requestDigest: string,
  ): Promise<AuthorizeResult> => {
    if (!isKnownCurrency(body.amount.currency)) {
      return { ok: false, code: "unknown_currency", message: `Unknown currency ${body.amount.currency}.` };
    }
    const occurredAt = parseOccurredAt(body.occurredAt);
    const nowMs = clock.nowMs();
    if (occurredAt === null || Math.abs(occurredAt.ms - nowMs) > limits.occurredAtSkewMaxMs) {
      return {
        ok: false,
        code: "invalid_occurred_at",
        message: "occurredAt is not a valid, plausible time.",
      };
    }
    let resolved = cards.resolveCard(body.card);
    if (!resolved.ok && resolved.code === "card_not_found" && deps.shared !== undefined) {
      // Issued on another process a moment ago, perhaps: the store says.
      await cards.refresh(body.card);
      resolved = cards.resolveCard(body.card);
    }
    if (!resolved.ok) {
      return resolved;
    }
    if (deps.shared !== undefined && body.threeDs !== undefined) {
      await authentications.sync?.(body.threeDs.authenticationValue);
    }
    const allowWindow = holds.allowWindowFor(resolved.context.cardId, occurredAt.ms);
    let card = allowWindow === null ? resolved.context : { ...resolved.context, allowWindow };
    const threeDs =
      body.threeDs === undefined
        ? null
        : authentications.check(body.threeDs.authenticationValue, {
            cardId: card.cardId,
            amountMinor: body.amount.minor,
            currency: body.amount.currency,
            merchantId: body.merchant.id,
            atMs: nowMs,
          });
    const authorization = toAuthorization(body, card, occurredAt, threeDs?.status ?? null);
    const authorizationId = ids.next("auth");
    let scored: Scored;
    let uncount: () => Promise<void>;
    if (deps.shared === undefined) {
      scored = engine.score(authorization, card);
      uncount = async () => features.unrecord(authorization, card, scored.decision.outcome);
    } else {
      const counted = await deps.shared.scoreAndCount({
        authorization,
        card,
        cardStateAtMs: resolved.stateAtMs,
        requestDigest,
        owner: authorizationId,
      });
      if (counted.kind === "conflict") {
        return conflict;
      }
      if (counted.kind === "decided_before") {
        return replayStored(body.id, requestDigest);
      }
      scored = counted.scored;
      uncount = counted.uncount;
      // Its state as every process published it; its hold as the store has it (when it has one).
      card = counted.card;
      await holds.syncCard?.(card.cardId, card.state);
    }
    const { decision, snapshot, ruleset, shadow } = scored;

    // Synchronous with scoring: the next authorization of this card already sees the hold.
    const hold = holds.onDecision({ authorizationId, authorization, card, outcome: decision.outcome, nowMs });
    // Spent only by an approval: a payment declined for another reason may be retried with it.
    const spent =
      threeDs?.authenticationId != null &&
      threeDs.status === "authenticated" &&
      decision.outcome === "approve"
        ? authentications.spend(threeDs.authenticationId, authorizationId, nowMs)
        : null;
    const response: AuthorizationResponse = {
      authorizationId,
      externalId: body.id,
      cardId: card.cardId,
      outcome: decision.outcome,
      score: decision.score,
      reasons: decision.reasons,
      explanation: decision.explanation,
      rulesetVersion: ruleset.version,
      decidedAt: new Date(nowMs).toISOString(),
      ...(hold.holdId === null ? {} : { holdId: hold.holdId }),
    };
    const record: DecisionRecord = {
      authorizationId,
      externalId: body.id,
      requestHash: requestDigest,
      cardId: card.cardId,
      occurredAtMs: authorization.occurredAtMs,
      decidedAtMs: nowMs,
      outcome: decision.outcome,
      score: decision.score,
      rulesetId: ruleset.id,
      rulesetVersion: ruleset.version,
      authorization,
      snapshot: encodeSnapshot(snapshot),
      response,
      shadow,
    };
    let result: Awaited<ReturnType<GroupCommitter["submit"]>>;
    try {
      result = await committer.submit({
        ops: [{ kind: "insertDecision", decision: record }, ...hold.ops, ...(spent?.ops ?? [])],
        audit: [
          ...hold.audit,
          ...(spent?.audit ?? []),
          {
            actor: "api_key",
            action: "decision.recorded",
            subjectId: authorizationId,
            payload: {
              externalId: body.id,
              cardId: card.cardId,
              outcome: decision.outcome,
              score: decision.score,
              rulesetVersion: ruleset.version,
            },
            atMs: nowMs,
          },
        ],
      });
    } catch (error) {
      // Not durable, so not decided: take it out of the windows and let the retry decide afresh.
      hold.undo();
      spent?.undo();
      try {
        await uncount();
      } catch (uncountError) {
        throw new AggregateError(
          [error, uncountError],
          "decision not recorded, and its count not taken back",
        );
      }
      throw error;
    }
    if (!result.ok) {
      await uncount();
      hold.undo();
      spent?.undo();
      if (result.code !== "duplicate_external_id") {
        // The hold moved under us (another process, or a failed batch); not decided, so the
        // caller retries with the same id and is scored afresh.
        throw new Error(`decision not recorded: ${result.code}`);
      }
      return replayStored(body.id, requestDigest);
    }
    // The shared counting taught the profile in its count already.
    if (decision.outcome === "approve" && deps.shared === undefined) {
      features.learn(authorization, card);
    }
    return { ok: true, body: JSON.stringify(response), isReplay: false };
  };

  return {
    async authorize(body: AuthorizationBody): Promise<AuthorizeResult> {
      const requestDigest = deps.digestRequest(body);
      const entry = idempotency.get(body.id);
      if (entry !== undefined) {
        if (entry.requestDigest !== requestDigest) {
          return conflict;
        }
        if (entry.pending !== null) {
          const first = (await entry.pending) as AuthorizeResult;
          return first.ok ? { ...first, isReplay: true } : first;
        }
        if (entry.body !== null) {
          return { ok: true, body: entry.body, isReplay: true };
        }
        return replayStored(body.id, requestDigest);
      }
      const pending = decideAndRecord(body, requestDigest);
      idempotency.begin(body.id, requestDigest, clock.nowMs(), pending);
      try {
        const result = await pending;
        if (result.ok) {
          idempotency.complete(body.id, result.body);
        } else {
          // Rejected input is not a decision: nothing was written, so the id stays free.
          idempotency.abort(body.id);
        }
        return result;
      } catch (error) {
        idempotency.abort(body.id);
        throw error;
      }
    },
  };
}

const conflict: AuthorizeResult = {
  ok: false,
  code: "idempotency_conflict",
  message: "This id was already used with a different request body.",
};

function toAuthorization(
  body: AuthorizationBody,
  card: CardContext,
  occurredAt: ParsedTime,
  threeDs: ThreeDsStatus | null,
): Authorization {
  return {
    externalId: body.id,
    cardId: card.cardId as CardId,
    amountMinor: body.amount.minor,
    currency: body.amount.currency,
    amountBaseMinor: toBaseMinor(body.amount.minor, body.amount.currency),
    merchant: {
      id: body.merchant.id,
      name: body.merchant.name,
      mcc: body.merchant.mcc,
      country: body.merchant.country,
      terminalId: body.merchant.terminalId ?? null,
    },
    channel: body.channel,
    occurredAtMs: occurredAt.ms,
    occurredAtOffsetMinutes: occurredAt.offsetMinutes,
    device: { ip: body.device?.ip ?? null, fingerprint: body.device?.fingerprint ?? null },
    ...(threeDs === null ? {} : { threeDs }),
  };
}

export type AuthorizationService = ReturnType<typeof createAuthorizationService>;
