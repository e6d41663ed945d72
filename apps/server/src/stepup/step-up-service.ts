/**
 * Step-up authentication behind an issuer's ACS (DESIGN §3.3): an authentication request is
 * scored by the same engine as an authorization (without counting as one), answered frictionless,
 * challenged with a one-time code, or rejected; a passed authentication yields a value that the
 * payment's authorization presents once. "I did not ask for this code" locks the card and opens a
 * case, from the portal, an SMS reply or the console.
 *
 * Concurrency: every change to one challenge runs under that challenge's lock, reads the current
 * version from memory and commits by compare-and-set, so two code entries can never both spend
 * the same attempt, and a code is accepted at most once.
 */
import type { ChallengePreference, StepUpAuthenticationBody } from "@mimamori/contracts";
import { type CardDirectory, type CardService, cardNetworkOf } from "../cards/index.ts";
import { limits, time } from "../config/limits.ts";
import { isKnownCurrency, toBaseMinor } from "../money/index.ts";
import { type MessageDraft, outboxInsertOp } from "../outbox/index.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import type { CardId, IdGenerator } from "../platform/ids.ts";
import type { Random } from "../platform/random.ts";
import {
  type AllowWindow,
  type AuthenticationHooks,
  type Authorization,
  type CardContext,
  type CodeFailureLog,
  type PaymentRequestRefusal,
  parseOccurredAt,
  type ScoringEngine,
} from "../scoring/index.ts";
import {
  type AuditDraft,
  type CardRecord,
  createSeenVersions,
  type DocumentRecord,
  forEachDocumentInState,
  type GroupCommitter,
  newDocument,
  type Store,
  submitOrRestore,
  type WriteOp,
} from "../storage/index.ts";
import {
  type Authentication,
  authenticationFromDocument,
  authenticationToDocument,
  authenticationValueHash,
  authenticationValueOf,
  withChange,
} from "./authentication.ts";
import { answerFor, eciFor, type TransStatus } from "./authentication-result.ts";
import {
  type Challenge,
  cancelChallenge,
  challengeFromDocument,
  challengeResultOf,
  challengeToDocument,
  codeMatches,
  expireChallenge,
  failChallenge,
  hashCode,
  newChallenge,
  newCode,
  resendChallenge,
  verifyChallenge,
} from "./challenge.ts";
import type { StepUpMessages } from "./step-up-messages.ts";
import { createStepUpMetrics } from "./step-up-metrics.ts";

export type StepUpKeys = {
  /** Keys the stored hash of each one-time code. */
  readonly codeKey: Buffer;
  /** Derives authentication values. */
  readonly valueKey: Buffer;
};

export type StepUpServiceDeps = {
  store: Pick<
    Store,
    "getDocument" | "findDocumentByLookupKey" | "listDocumentsInState" | "listDocuments" | "listDocumentsDue"
  >;
  committer: Pick<GroupCommitter, "submit">;
  directory: CardDirectory;
  cards: Pick<CardService, "resolveCard" | "refresh">;
  engine: Pick<ScoringEngine, "assess">;
  ids: IdGenerator;
  clock: Clock;
  random: Random;
  keys: StepUpKeys;
  messages: StepUpMessages;
  /** Keyed digest of a request's canonical form (it holds a PAN). */
  digestRequest: (body: StepUpAuthenticationBody) => string;
  /** The allow window after "mine", so a confirmed merchant's retry is not challenged again. */
  allowWindowFor: (cardId: string, atMs: number) => AllowWindow | null;
  /** How long a code is valid (≤ 10 minutes). */
  codeTtlMs: number;
  onMessagesQueued: () => void;
  /** This process's memory, or the shared hot state so every process throttles the same card. */
  codeFailures: CodeFailureLog;
  /**
   * Present when several processes write the store: memory is then a cache of it. A change to
   * a challenge reads it from the store first, a value unknown here is looked for after catching
   * up with the others' writes, and their changes arrive through `absorb`.
   */
  sharedStore?: { catchUp(): Promise<void> };
};

/** What the authentication request is answered with (EMV 3DS ARes fields, in camelCase). */
export type AuthenticationResponse = {
  authenticationId: string;
  transStatus: TransStatus;
  transStatusReason?: string;
  eci?: string;
  authenticationValue?: string;
  challengeId?: string;
  challenge?: { channel: string; codeExpiresAt: string; attemptsMax: number };
  score: number;
  reasons: readonly string[];
};

export type AuthenticateResult =
  | { ok: true; response: AuthenticationResponse; isReplay: boolean }
  | PaymentRequestRefusal;

/** The 3DS view of a challenge result; `attemptsLeft` while codes may still be entered. */
export type ChallengeResultBody = {
  challengeId: string;
  state: Challenge["state"];
  transStatus: TransStatus;
  transStatusReason?: string;
  challengeCancel?: string;
  attemptsLeft: number;
  eci?: string;
  authenticationValue?: string;
};

export type ChallengeActionResult =
  | { ok: true; body: ChallengeResultBody }
  | { ok: false; code: "challenge_not_found"; message: string }
  | { ok: false; code: "challenge_closed"; message: string; body: ChallengeResultBody };

export type ResendResult =
  | { ok: true; body: { challengeId: string; resendsLeft: number; codeExpiresAt: string } }
  | { ok: false; code: "challenge_not_found"; message: string }
  | { ok: false; code: "challenge_closed"; message: string; body: ChallengeResultBody }
  | { ok: false; code: "resend_budget_spent"; message: string }
  | { ok: false; code: "resend_too_soon"; message: string; retryAfterMs: number };

export type ReportResult =
  | {
      ok: true;
      body: {
        challengeId: string;
        caseId: string;
        cardState: string;
        alreadyReported: boolean;
        nextSteps: readonly string[];
      };
    }
  | { ok: false; code: "challenge_not_found"; message: string };

type Reporter = {
  readonly channel: "portal" | "sms" | "console";
  readonly actor: string;
  /** Set when a cardholder reports: they reach only their own challenges. */
  readonly cardholderId: string | null;
};

const notFound = { ok: false, code: "challenge_not_found", message: "No such challenge." } as const;

export async function createStepUpService(deps: StepUpServiceDeps) {
  const { store, committer, directory, ids, clock, random, keys, messages } = deps;
  assert(
    deps.codeTtlMs >= limits.challengeCodeTtlMsMin && deps.codeTtlMs <= limits.challengeCodeTtlMsMax,
    "the code lifetime is within its limits",
  );
  const metrics = createStepUpMetrics();
  /** Open challenges, and open or passed authentications: the versions every change builds on. */
  const challenges = new Map<string, Challenge>();
  const authentications = new Map<string, Authentication>();
  /** Passed, unspent authentications by the hash of their value: what an authorization checks. */
  const byValueHash = new Map<string, Authentication>();
  /** The cardholder's latest challenge, for an SMS "9" that names none. */
  const latestByCardholder = new Map<string, { challengeId: string; createdAtMs: number }>();
  const locks = new Map<string, Promise<unknown>>();
  const inFlight = new Map<string, Promise<AuthenticateResult>>();

  const { codeFailures } = deps;
  const isShared = deps.sharedStore !== undefined;
  const seen = createSeenVersions(limits.changeFollowSeenKeepMs);

  const remember = (authentication: Authentication): void => {
    seen.note(authentication.id, authentication.version, clock.nowMs());
    const isOpen = authentication.state === "challenge" || authentication.state === "authenticated";
    if (isOpen) {
      authentications.set(authentication.id, authentication);
    } else {
      authentications.delete(authentication.id);
    }
    if (authentication.valueHash !== null) {
      if (authentication.state === "authenticated") {
        byValueHash.set(authentication.valueHash, authentication);
      } else {
        byValueHash.delete(authentication.valueHash);
      }
    }
  };
  /**
   * Code messages sent to each card in the last hour, by challenge (a first code and its resends):
   * an attacker who starts authentication after authentication with a stolen number would
   * otherwise have a code SMS sent to the cardholder each time. Pruned as it is read, so a card
   * keeps at most its last hour's challenges (a few, since the budget stops new ones).
   */
  const codeSendsByCard = new Map<string, Map<string, { createdAtMs: number; sends: number }>>();
  const codeSendsLastHour = (cardId: string, nowMs: number): number => {
    const sends = codeSendsByCard.get(cardId);
    if (sends === undefined) {
      return 0;
    }
    let total = 0;
    for (const [challengeId, entry] of sends) {
      if (entry.createdAtMs <= nowMs - time.hourMs) {
        sends.delete(challengeId);
      } else {
        total += entry.sends;
      }
    }
    if (sends.size === 0) {
      codeSendsByCard.delete(cardId);
    }
    return total;
  };
  const isCodeBudgetSpent = (cardId: string, nowMs: number): boolean =>
    codeSendsLastHour(cardId, nowMs) >= limits.codeMessagesPerCardPerHourMax;

  const rememberChallenge = (challenge: Challenge): void => {
    seen.note(challenge.id, challenge.version, clock.nowMs());
    const sends =
      codeSendsByCard.get(challenge.cardId) ?? new Map<string, { createdAtMs: number; sends: number }>();
    sends.set(challenge.id, { createdAtMs: challenge.createdAtMs, sends: 1 + challenge.resendsUsed });
    codeSendsByCard.set(challenge.cardId, sends);
    codeSendsLastHour(challenge.cardId, clock.nowMs());
    if (challenge.state === "pending") {
      challenges.set(challenge.id, challenge);
    } else {
      challenges.delete(challenge.id);
    }
    const latest = latestByCardholder.get(challenge.cardholderId);
    if (latest === undefined || latest.createdAtMs <= challenge.createdAtMs) {
      latestByCardholder.set(challenge.cardholderId, {
        challengeId: challenge.id,
        createdAtMs: challenge.createdAtMs,
      });
    }
  };

  // Rebuild: open challenges and authentications, passed values, and the throttle's recent failures.
  const forEachInState = (
    kind: "challenge" | "authentication",
    state: string,
    visit: (document: DocumentRecord) => void,
  ): Promise<void> => forEachDocumentInState(store, kind, state, limits.rebuildPageRows, visit);
  const startedAtMs = clock.nowMs();
  await forEachInState("challenge", "pending", (document) =>
    rememberChallenge(challengeFromDocument(document)),
  );
  // The throttle's log in this process's memory starts empty; the shared one outlives processes.
  if (!isShared) {
    const failed: Challenge[] = [];
    await forEachInState("challenge", "failed", (document) => {
      const challenge = challengeFromDocument(document);
      if (challenge.updatedAtMs > startedAtMs - limits.challengeFailuresWindowMs) {
        failed.push(challenge);
      }
    });
    for (const challenge of [...failed, ...challenges.values()]) {
      if (challenge.attemptsUsed > 0) {
        await codeFailures.addCodeFailures(challenge.cardId, challenge.attemptsUsed, challenge.updatedAtMs);
      }
    }
  }
  for (const state of ["challenge", "authenticated"] as const) {
    await forEachInState("authentication", state, (document) => {
      const authentication = authenticationFromDocument(document);
      const isLive =
        authentication.valueExpiresAtMs === null || authentication.valueExpiresAtMs > startedAtMs;
      if (state === "challenge" || isLive) {
        remember(authentication);
      }
    });
  }

  /** Runs `work` after every earlier change to the same challenge has finished. */
  const withLock = async <T>(challengeId: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(challengeId) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.then(
      () => {},
      () => {},
    );
    locks.set(challengeId, settled);
    try {
      return await current;
    } finally {
      if (locks.get(challengeId) === settled) {
        locks.delete(challengeId);
      }
    }
  };

  /** A stored challenge's version, taken into memory when newer than what this process knows. */
  const absorbChallenge = (challenge: Challenge): void => {
    if (seen.isNewer(challenge.id, challenge.version)) {
      rememberChallenge(challenge);
    }
  };
  const absorbAuthentication = (authentication: Authentication): void => {
    if (seen.isNewer(authentication.id, authentication.version)) {
      remember(authentication);
    }
  };

  // Memory first; on a shared store the store first, since another process may have changed it.
  // Every change runs under the challenge's lock, so within this process memory is never behind.
  const findChallenge = async (challengeId: string): Promise<Challenge | null> => {
    const open = challenges.get(challengeId);
    if (open !== undefined && !isShared) {
      return open;
    }
    const document = await store.getDocument("challenge", challengeId);
    const stored = document === null ? null : challengeFromDocument(document);
    if (stored !== null) {
      absorbChallenge(stored);
    }
    return stored;
  };
  const findAuthentication = async (authenticationId: string): Promise<Authentication | null> => {
    const open = authentications.get(authenticationId);
    if (open !== undefined && !isShared) {
      return open;
    }
    const document = await store.getDocument("authentication", authenticationId);
    const stored = document === null ? null : authenticationFromDocument(document);
    if (stored !== null) {
      absorbAuthentication(stored);
    }
    return stored;
  };

  const cardAndHolder = directory.cardWithHolder;

  const messageOp = (draft: MessageDraft, card: CardRecord, nowMs: number): WriteOp =>
    outboxInsertOp(draft, card, ids, nowMs);

  const codeMessage = (challenge: Challenge, authentication: Authentication, code: string): MessageDraft => {
    const { card, cardholder } = cardAndHolder(challenge.cardId);
    return messages.code({
      cardholder,
      card,
      merchantName: authentication.merchant.name,
      amountMinor: authentication.amountMinor,
      currency: authentication.currency,
      code,
      validMinutes: Math.ceil(deps.codeTtlMs / 60_000),
    });
  };

  /** Commits, restoring memory when the commit does not go through, and wakes the dispatcher. */
  const commit = async (
    ops: WriteOp[],
    audit: AuditDraft[],
    restore: () => void,
  ): Promise<"ok" | "conflict"> => {
    const outcome = await submitOrRestore(committer, { ops, audit }, restore);
    if (
      outcome === "ok" &&
      ops.some((op) => op.kind === "insertDocument" && op.document.kind === "outbox_message")
    ) {
      deps.onMessagesQueued();
    }
    return outcome;
  };

  const valueFields = (
    authentication: Authentication,
  ): Pick<AuthenticationResponse, "authenticationValue"> =>
    authentication.valueHash === null
      ? {}
      : { authenticationValue: authenticationValueOf(keys.valueKey, authentication.id) };

  const responseOf = (
    authentication: Authentication,
    challenge: Challenge | null,
  ): AuthenticationResponse => ({
    authenticationId: authentication.id,
    transStatus: authentication.initialTransStatus,
    ...(authentication.initialTransStatusReason === null
      ? {}
      : { transStatusReason: authentication.initialTransStatusReason }),
    ...(authentication.initialTransStatus === "C" || authentication.eci === null
      ? {}
      : { eci: authentication.eci }),
    ...(authentication.initialTransStatus === "Y" ? valueFields(authentication) : {}),
    ...(challenge === null
      ? {}
      : {
          challengeId: challenge.id,
          challenge: {
            channel: challenge.channel,
            codeExpiresAt: new Date(challenge.codeExpiresAtMs).toISOString(),
            attemptsMax: challenge.attemptsMax,
          },
        }),
    score: authentication.score,
    reasons: authentication.reasonCodes,
  });

  const resultOf = (challenge: Challenge, authentication: Authentication | null): ChallengeResultBody => {
    const result = challengeResultOf(challenge);
    return {
      challengeId: challenge.id,
      state: challenge.state,
      ...result,
      attemptsLeft: challenge.state === "pending" ? challenge.attemptsMax - challenge.attemptsUsed : 0,
      ...(authentication?.eci === null || authentication === null || result.transStatus === "C"
        ? {}
        : { eci: authentication.eci }),
    };
  };

  const closedResult = (challenge: Challenge, authentication: Authentication | null) =>
    ({
      ok: false,
      code: "challenge_closed",
      message: `The challenge is ${challenge.state}.`,
      body: resultOf(challenge, authentication),
    }) as const;

  /** Runs `work` on the challenge's current version under its lock, if it is still open. */
  const withOpenChallenge = (
    challengeId: string,
    work: (current: Challenge) => Promise<ChallengeActionResult>,
  ): Promise<ChallengeActionResult> =>
    withLock(challengeId, async () => {
      const current = await findChallenge(challengeId);
      if (current === null) {
        return notFound;
      }
      if (current.state !== "pending") {
        return closedResult(current, await findAuthentication(current.authenticationId));
      }
      return work(current);
    });

  /** The authentication after its challenge closed: Y with a value, or N with the 3DS codes. */
  const settledAuthentication = (
    authentication: Authentication,
    challenge: Challenge,
    nowMs: number,
  ): Authentication => {
    const result = challengeResultOf(challenge);
    const network = cardNetworkOf(directory.getCard(authentication.cardId)?.panBin ?? "");
    if (challenge.state === "verified") {
      const value = authenticationValueOf(keys.valueKey, authentication.id);
      return withChange(
        authentication,
        {
          state: "authenticated",
          transStatus: "Y",
          transStatusReason: null,
          eci: eciFor(network, "Y"),
          valueHash: authenticationValueHash(value),
          valueExpiresAtMs: nowMs + limits.authenticationValueTtlMs,
        },
        nowMs,
      );
    }
    return withChange(
      authentication,
      {
        state: "not_authenticated",
        transStatus: result.transStatus,
        transStatusReason: result.transStatusReason ?? null,
        challengeCancel: result.challengeCancel ?? null,
        eci: eciFor(network, result.transStatus),
      },
      nowMs,
    );
  };

  /**
   * Writes a challenge's new version (and its authentication's, once the challenge closed) under
   * the lock, with memory updated first and put back if the commit fails.
   */
  const saveChallenge = async (
    before: Challenge,
    after: Challenge,
    extraOps: WriteOp[],
    audit: AuditDraft[],
    nowMs: number,
    /** A change to the authentication other than settling it (a report voids a passed one). */
    changeAuthentication: ((authentication: Authentication) => Authentication) | null = null,
  ): Promise<{ outcome: "ok" | "conflict"; authentication: Authentication | null }> => {
    const authenticationBefore = await findAuthentication(after.authenticationId);
    const isClosing = before.state === "pending" && after.state !== "pending";
    const authenticationAfter =
      authenticationBefore === null
        ? null
        : isClosing && authenticationBefore.state === "challenge"
          ? settledAuthentication(authenticationBefore, after, nowMs)
          : changeAuthentication === null
            ? authenticationBefore
            : changeAuthentication(authenticationBefore);
    const ops: WriteOp[] = [{ kind: "updateDocument", document: challengeToDocument(after) }, ...extraOps];
    if (authenticationAfter !== null && authenticationAfter !== authenticationBefore) {
      ops.push({ kind: "updateDocument", document: authenticationToDocument(authenticationAfter) });
    }
    rememberChallenge(after);
    if (authenticationAfter !== null) {
      remember(authenticationAfter);
    }
    const outcome = await commit(ops, audit, () => {
      rememberChallenge(before);
      // A value that never reached anyone must not stay indexed.
      if (
        authenticationAfter?.valueHash != null &&
        authenticationAfter.valueHash !== authenticationBefore?.valueHash
      ) {
        byValueHash.delete(authenticationAfter.valueHash);
      }
      if (authenticationBefore !== null) {
        remember(authenticationBefore);
      }
    });
    if (outcome === "ok" && isClosing && authenticationAfter !== null) {
      metrics.challengeClosed(authenticationAfter, after.state === "verified");
    }
    return { outcome, authentication: authenticationAfter };
  };

  const toAuthorization = (
    body: StepUpAuthenticationBody,
    card: CardContext,
    at: { ms: number; offsetMinutes: number },
  ): Authorization => ({
    externalId: body.id,
    cardId: card.cardId as CardId,
    amountMinor: body.amount.minor,
    currency: body.amount.currency,
    amountBaseMinor: toBaseMinor(body.amount.minor, body.amount.currency),
    merchant: { ...body.merchant, terminalId: null },
    channel: "ecommerce",
    occurredAtMs: at.ms,
    occurredAtOffsetMinutes: at.offsetMinutes,
    device: {
      ip: body.device?.ip ?? null,
      // The ACS's fingerprint from the 3DS Method, else the app's id: what the profile knows devices by.
      fingerprint: body.device?.fingerprint ?? body.device?.sdkAppId ?? null,
    },
  });

  const authenticateNew = async (
    body: StepUpAuthenticationBody,
    digest: string,
  ): Promise<AuthenticateResult> => {
    const stored = await store.findDocumentByLookupKey("authentication", body.id);
    if (stored !== null) {
      const authentication = authenticationFromDocument(stored);
      if (authentication.requestDigest !== digest) {
        return idempotencyConflict;
      }
      const challenge =
        authentication.challengeId === null ? null : await findChallenge(authentication.challengeId);
      return { ok: true, response: responseOf(authentication, challenge), isReplay: true };
    }
    if (!isKnownCurrency(body.amount.currency)) {
      return { ok: false, code: "unknown_currency", message: `Unknown currency ${body.amount.currency}.` };
    }
    const nowMs = clock.nowMs();
    const purchaseAt =
      body.purchaseAt === undefined ? { ms: nowMs, offsetMinutes: 0 } : parseOccurredAt(body.purchaseAt);
    if (purchaseAt === null || Math.abs(purchaseAt.ms - nowMs) > limits.occurredAtSkewMaxMs) {
      return {
        ok: false,
        code: "invalid_occurred_at",
        message: "purchaseAt is not a valid, plausible time.",
      };
    }
    if (isShared) {
      await deps.cards.refresh(body.card);
    }
    const resolved = deps.cards.resolveCard(body.card);
    if (!resolved.ok) {
      return resolved;
    }
    const allowWindow = deps.allowWindowFor(resolved.context.cardId, purchaseAt.ms);
    const card = allowWindow === null ? resolved.context : { ...resolved.context, allowWindow };
    const { decision, ruleset } = deps.engine.assess(toAuthorization(body, card, purchaseAt), card);
    const preference: ChallengePreference = body.challengePreference ?? "no_preference";
    const answer = answerFor({
      decision,
      preference,
      isChallengeThrottled:
        isCodeBudgetSpent(card.cardId, nowMs) ||
        (await codeFailures.recentCodeFailures(card.cardId, nowMs)) >= limits.challengeFailuresPerCardMax,
    });
    const { card: cardRecord } = cardAndHolder(card.cardId);
    const network = cardNetworkOf(cardRecord.panBin);
    const authenticationId = ids.next("authn");
    const value = answer.transStatus === "Y" ? authenticationValueOf(keys.valueKey, authenticationId) : null;
    const challengeId = answer.transStatus === "C" ? ids.next("chal") : null;
    const authentication: Authentication = {
      id: authenticationId,
      version: 1,
      externalId: body.id,
      requestDigest: digest,
      cardId: card.cardId,
      cardholderId: card.cardholderId,
      amountMinor: body.amount.minor,
      currency: body.amount.currency,
      merchant: body.merchant,
      deviceChannel: body.deviceChannel,
      challengePreference: preference,
      riskOutcome: decision.outcome,
      score: decision.score,
      reasonCodes: decision.reasons.map((reason) => reason.code),
      rulesetVersion: ruleset.version,
      state:
        answer.transStatus === "Y"
          ? "authenticated"
          : answer.transStatus === "C"
            ? "challenge"
            : "not_authenticated",
      initialTransStatus: answer.transStatus,
      initialTransStatusReason: answer.transStatusReason,
      transStatus: answer.transStatus,
      transStatusReason: answer.transStatusReason,
      challengeCancel: null,
      eci: eciFor(network, answer.transStatus),
      challengeId,
      valueHash: value === null ? null : authenticationValueHash(value),
      valueExpiresAtMs: value === null ? null : nowMs + limits.authenticationValueTtlMs,
      usedByAuthorizationId: null,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    const ops: WriteOp[] = [{ kind: "insertDocument", document: authenticationToDocument(authentication) }];
    let challenge: Challenge | null = null;
    if (challengeId !== null) {
      const code = newCode(random);
      challenge = newChallenge({
        id: challengeId,
        authenticationId,
        cardId: card.cardId,
        cardholderId: card.cardholderId,
        channel: cardAndHolder(card.cardId).cardholder.stepUpChannel,
        codeHash: hashCode(keys.codeKey, challengeId, 1, code),
        nowMs,
        codeTtlMs: deps.codeTtlMs,
      });
      ops.push(
        { kind: "insertDocument", document: challengeToDocument(challenge) },
        messageOp(codeMessage(challenge, authentication, code), cardRecord, nowMs),
      );
    }
    const outcome = await commit(
      ops,
      [
        {
          actor: "api_key",
          action: "step_up.authentication_answered",
          subjectId: authenticationId,
          payload: {
            externalId: body.id,
            cardId: card.cardId,
            transStatus: answer.transStatus,
            transStatusReason: answer.transStatusReason,
            riskOutcome: decision.outcome,
            challengeId,
          },
          atMs: nowMs,
        },
      ],
      () => {},
    );
    if (outcome === "conflict") {
      // The same id was committed by another process meanwhile: answer as its retry.
      const twin = await store.findDocumentByLookupKey("authentication", body.id);
      if (twin === null) {
        throw new Error("authentication not recorded: the commit conflicted with no stored twin");
      }
      return authenticateNew(body, digest);
    }
    remember(authentication);
    if (challenge !== null) {
      rememberChallenge(challenge);
    }
    metrics.authenticationAnswered(authentication);
    return { ok: true, response: responseOf(authentication, challenge), isReplay: false };
  };

  const authenticationHooks: AuthenticationHooks = {
    async sync(authenticationValue) {
      if (isShared && !byValueHash.has(authenticationValueHash(authenticationValue))) {
        await deps.sharedStore?.catchUp();
      }
    },
    check(authenticationValue, payment) {
      const authentication = byValueHash.get(authenticationValueHash(authenticationValue));
      const isValid =
        authentication !== undefined &&
        authentication.state === "authenticated" &&
        (authentication.valueExpiresAtMs ?? 0) > payment.atMs &&
        authentication.cardId === payment.cardId &&
        authentication.currency === payment.currency &&
        authentication.merchant.id === payment.merchantId &&
        // A payment may come in under what was authenticated (a partial shipment), never over.
        payment.amountMinor <= authentication.amountMinor;
      return isValid
        ? { status: "authenticated", authenticationId: authentication.id }
        : { status: "invalid", authenticationId: null };
    },
    spend(authenticationId, authorizationId, nowMs) {
      const before = authentications.get(authenticationId);
      assert(
        before !== undefined && before.state === "authenticated",
        "only a passed authentication is spent",
      );
      const after = withChange(before, { state: "used", usedByAuthorizationId: authorizationId }, nowMs);
      remember(after);
      return {
        ops: [{ kind: "updateDocument", document: authenticationToDocument(after) }],
        audit: [
          {
            actor: "system",
            action: "step_up.value_spent",
            subjectId: authenticationId,
            payload: { authorizationId },
            atMs: nowMs,
          },
        ],
        undo: () => {
          if (authentications.get(authenticationId) === undefined) {
            remember(before);
          }
        },
      };
    },
  };

  /** Opens the case, locks an active card and voids an unspent value: one commit. */
  const report = async (challengeId: string, reporter: Reporter): Promise<ReportResult> => {
    const found = await findChallenge(challengeId);
    if (found === null || (reporter.cardholderId !== null && found.cardholderId !== reporter.cardholderId)) {
      return notFound;
    }
    return withLock(challengeId, async (): Promise<ReportResult> => {
      const current = (await findChallenge(challengeId)) ?? found;
      const { card, cardholder } = cardAndHolder(current.cardId);
      if (current.reportCaseId !== null) {
        return {
          ok: true,
          body: {
            challengeId,
            caseId: current.reportCaseId,
            cardState: card.state,
            alreadyReported: true,
            nextSteps: messages.nextSteps(cardholder.language),
          },
        };
      }
      const nowMs = clock.nowMs();
      const authentication = await findAuthentication(current.authenticationId);
      const caseDocument = newDocument(
        {
          kind: "case",
          id: ids.next("case"),
          cardId: card.id,
          cardholderId: card.cardholderId,
          state: "open",
          body: {
            kind: "unrequested_code",
            challengeId,
            authenticationId: current.authenticationId,
            reportedVia: reporter.channel,
            attemptedPayment:
              authentication === null
                ? null
                : {
                    merchant: authentication.merchant,
                    amount: { minor: authentication.amountMinor, currency: authentication.currency },
                    at: new Date(authentication.createdAtMs).toISOString(),
                    transStatus: authentication.transStatus,
                    // A code that was entered correctly reached the fraudster: the card number is compromised.
                    wasCodeEntered: current.state === "verified",
                  },
            tasks: [{ kind: "review_unrequested_code", state: "open", createdAtMs: nowMs }],
          },
        },
        nowMs,
      );
      const after = cancelChallenge(current, "reported_unrequested", nowMs, caseDocument.id);
      const ops: WriteOp[] = [{ kind: "insertDocument", document: caseDocument }];
      const restoreCard: (() => void)[] = [];
      // Locked, not blocked: the cardholder can unlock it once the case shows the attempt was theirs.
      if (card.state === "active") {
        ops.push({ kind: "updateCardState", cardId: card.id, state: "locked", atMs: nowMs });
        directory.setCardState(card.id, "locked", nowMs);
        restoreCard.push(() => directory.setCardState(card.id, "active", nowMs));
      }
      for (const draft of messages.unrequestedAck({ cardholder, card })) {
        ops.push(messageOp(draft, card, nowMs));
      }
      const saved = await saveChallenge(
        current,
        after,
        ops,
        [
          {
            actor: reporter.actor,
            action: "step_up.unrequested_code_reported",
            subjectId: challengeId,
            payload: { channel: reporter.channel, caseId: caseDocument.id, cardId: card.id },
            atMs: nowMs,
          },
        ],
        nowMs,
        // A passed authentication the cardholder disowns must not let the payment through.
        (passed) =>
          passed.state === "authenticated"
            ? withChange(passed, { state: "revoked", transStatusReason: "11" }, nowMs)
            : passed,
      );
      if (saved.outcome === "conflict") {
        for (const restore of restoreCard) {
          restore();
        }
        throw new Error("the challenge changed under its lock: another process wrote it");
      }
      return {
        ok: true,
        body: {
          challengeId,
          caseId: caseDocument.id,
          cardState: directory.getCard(card.id)?.state ?? card.state,
          alreadyReported: false,
          nextSteps: messages.nextSteps(cardholder.language),
        },
      };
    });
  };

  return {
    authenticationHooks,

    authenticate(body: StepUpAuthenticationBody): Promise<AuthenticateResult> {
      const digest = deps.digestRequest(body);
      const pending = inFlight.get(body.id);
      if (pending !== undefined) {
        // Once the first is stored, this one is its retry or a conflicting reuse of the id.
        const settled = () => authenticateNew(body, digest);
        return pending.then(settled, settled);
      }
      const started = authenticateNew(body, digest).finally(() => inFlight.delete(body.id));
      inFlight.set(body.id, started);
      return started;
    },

    async getAuthentication(authenticationId: string) {
      const authentication = await findAuthentication(authenticationId);
      if (authentication === null) {
        return null;
      }
      return {
        authenticationId: authentication.id,
        externalId: authentication.externalId,
        cardId: authentication.cardId,
        state: authentication.state,
        transStatus: authentication.transStatus,
        ...(authentication.transStatusReason === null
          ? {}
          : { transStatusReason: authentication.transStatusReason }),
        ...(authentication.challengeCancel === null
          ? {}
          : { challengeCancel: authentication.challengeCancel }),
        ...(authentication.eci === null || authentication.transStatus === "C"
          ? {}
          : { eci: authentication.eci }),
        // The 3DS server's way to the result after a challenge (as an RReq would carry it).
        ...(authentication.state === "authenticated" ? valueFields(authentication) : {}),
        challengeId: authentication.challengeId,
        amount: { minor: authentication.amountMinor, currency: authentication.currency },
        merchant: authentication.merchant,
        riskOutcome: authentication.riskOutcome,
        score: authentication.score,
        reasons: authentication.reasonCodes,
        usedByAuthorizationId: authentication.usedByAuthorizationId,
        createdAt: new Date(authentication.createdAtMs).toISOString(),
        updatedAt: new Date(authentication.updatedAtMs).toISOString(),
      };
    },

    async getChallenge(challengeId: string, cardholderId: string | null = null) {
      const challenge = await findChallenge(challengeId);
      if (challenge === null || (cardholderId !== null && challenge.cardholderId !== cardholderId)) {
        return null;
      }
      return challengeView(challenge, await findAuthentication(challenge.authenticationId));
    },

    /** The cardholder's recent challenges, newest first: what the portal offers to report. */
    async listChallengesOf(cardholderId: string) {
      const documents = await store.listDocuments(
        "challenge",
        { cardholderId },
        null,
        limits.storePageRowsMax,
      );
      const sinceMs = clock.nowMs() - limits.unrequestedReportWindowMs;
      const recent = documents
        .map(challengeFromDocument)
        .filter((challenge) => challenge.createdAtMs >= sinceMs)
        .reverse()
        .slice(0, limits.pageSizeMax);
      return Promise.all(
        recent.map(async (challenge) =>
          // Memory holds the latest version of an open challenge.
          challengeView(
            challenges.get(challenge.id) ?? challenge,
            await findAuthentication(challenge.authenticationId),
          ),
        ),
      );
    },

    verify(challengeId: string, code: string): Promise<ChallengeActionResult> {
      return withOpenChallenge(challengeId, async (current) => {
        const nowMs = clock.nowMs();
        const isThrottled =
          (await codeFailures.recentCodeFailures(current.cardId, nowMs)) >=
          limits.challengeFailuresPerCardMax;
        const step = isThrottled
          ? { challenge: failChallenge(current, nowMs), outcome: { kind: "attempts_exhausted" } as const }
          : verifyChallenge(current, codeMatches(keys.codeKey, current, code), nowMs);
        const saved = await saveChallenge(
          current,
          step.challenge,
          [],
          [
            {
              actor: "api_key",
              action: `step_up.code_${step.outcome.kind}`,
              subjectId: challengeId,
              payload: { attemptsUsed: step.challenge.attemptsUsed, isThrottled },
              atMs: nowMs,
            },
          ],
          nowMs,
        );
        if (saved.outcome === "conflict") {
          throw new Error("the challenge changed under its lock: another process wrote it");
        }
        if (step.outcome.kind === "verified") {
          // Consecutive failures are what the throttle counts; a success ends the run.
          await codeFailures.clearCodeFailures(current.cardId);
        } else if (
          step.outcome.kind === "wrong_code" ||
          (step.outcome.kind === "attempts_exhausted" && !isThrottled)
        ) {
          await codeFailures.addCodeFailures(current.cardId, 1, nowMs);
        }
        const body = resultOf(step.challenge, saved.authentication);
        return {
          ok: true,
          body:
            step.challenge.state === "verified" && saved.authentication !== null
              ? { ...body, ...valueFields(saved.authentication) }
              : body,
        };
      });
    },

    resend(challengeId: string): Promise<ResendResult> {
      return withLock(challengeId, async (): Promise<ResendResult> => {
        const current = await findChallenge(challengeId);
        if (current === null) {
          return notFound;
        }
        const nowMs = clock.nowMs();
        if (current.state === "pending" && isCodeBudgetSpent(current.cardId, nowMs)) {
          return {
            ok: false,
            code: "resend_budget_spent",
            message: "No more codes can be sent to this card this hour.",
          };
        }
        const code = newCode(random);
        const step = resendChallenge(
          current,
          hashCode(keys.codeKey, challengeId, current.codeSerial + 1, code),
          nowMs,
          deps.codeTtlMs,
        );
        switch (step.outcome.kind) {
          case "not_pending":
            return closedResult(current, await findAuthentication(current.authenticationId));
          case "resend_budget_spent":
            return {
              ok: false,
              code: "resend_budget_spent",
              message: "No more codes can be sent for this challenge.",
            };
          case "resend_too_soon":
            return {
              ok: false,
              code: "resend_too_soon",
              message: `Wait ${Math.ceil(step.outcome.retryAfterMs / 1000)} s before asking for another code.`,
              retryAfterMs: step.outcome.retryAfterMs,
            };
          case "expired":
          case "resent":
            break;
        }
        const authentication = await findAuthentication(current.authenticationId);
        assert(authentication !== null, "a challenge's authentication exists");
        const { card } = cardAndHolder(current.cardId);
        const extraOps =
          step.outcome.kind === "resent"
            ? [messageOp(codeMessage(step.challenge, authentication, code), card, nowMs)]
            : [];
        const saved = await saveChallenge(
          current,
          step.challenge,
          extraOps,
          [
            {
              actor: "api_key",
              action: step.outcome.kind === "resent" ? "step_up.code_resent" : "step_up.challenge_expired",
              subjectId: challengeId,
              payload: { resendsUsed: step.challenge.resendsUsed },
              atMs: nowMs,
            },
          ],
          nowMs,
        );
        if (saved.outcome === "conflict") {
          throw new Error("the challenge changed under its lock: another process wrote it");
        }
        if (step.outcome.kind === "expired") {
          return closedResult(step.challenge, saved.authentication);
        }
        return {
          ok: true,
          body: {
            challengeId,
            resendsLeft: step.challenge.resendsMax - step.challenge.resendsUsed,
            codeExpiresAt: new Date(step.challenge.codeExpiresAtMs).toISOString(),
          },
        };
      });
    },

    /** The cardholder pressed Cancel on the challenge page (3DS challengeCancel 01). */
    cancel(challengeId: string): Promise<ChallengeActionResult> {
      return withOpenChallenge(challengeId, async (current) => {
        const nowMs = clock.nowMs();
        const after = cancelChallenge(current, "cardholder_cancelled", nowMs);
        const saved = await saveChallenge(
          current,
          after,
          [],
          [
            {
              actor: "api_key",
              action: "step_up.challenge_cancelled",
              subjectId: challengeId,
              payload: {},
              atMs: nowMs,
            },
          ],
          nowMs,
        );
        if (saved.outcome === "conflict") {
          throw new Error("the challenge changed under its lock: another process wrote it");
        }
        return { ok: true, body: resultOf(after, saved.authentication) };
      });
    },

    reportUnrequested: report,

    /**
     * An SMS reply of "9" reports the cardholder's latest code as never asked for. Returns null
     * for any other text, which then belongs to the confirmation loop.
     */
    async handleSmsReply(
      from: string,
      text: string,
    ): Promise<
      null | { result: "unknown_sender" | "no_recent_code" } | { result: "reported"; caseId: string }
    > {
      if (text.normalize("NFKC").trim() !== "9") {
        return null;
      }
      const cardholderId = directory.soleCardholderIdByPhone(from);
      if (cardholderId === undefined) {
        return { result: "unknown_sender" };
      }
      const latest = latestByCardholder.get(cardholderId);
      let challengeId = latest?.challengeId ?? null;
      if (latest === undefined || latest.createdAtMs < clock.nowMs() - limits.unrequestedReportWindowMs) {
        // Not in memory since the last start: the store's newest within the window.
        const documents = await store.listDocuments(
          "challenge",
          { cardholderId },
          null,
          limits.storePageRowsMax,
        );
        const newest = documents.at(-1);
        challengeId =
          newest !== undefined && newest.createdAtMs >= clock.nowMs() - limits.unrequestedReportWindowMs
            ? newest.id
            : null;
      }
      if (challengeId === null) {
        return { result: "no_recent_code" };
      }
      const reported = await report(challengeId, {
        channel: "sms",
        actor: `cardholder:${cardholderId}`,
        cardholderId,
      });
      return reported.ok
        ? { result: "reported", caseId: reported.body.caseId }
        : { result: "no_recent_code" };
    },

    /**
     * Expires every open challenge whose code has run out; returns how many. The store says which
     * are due, so a worker process expires the challenges the API processes opened.
     */
    async expireDue(): Promise<number> {
      const due = await store.listDocumentsDue(
        "challenge",
        "pending",
        clock.nowMs(),
        limits.challengeExpiryBatchMax,
      );
      let expired = 0;
      for (const candidate of due) {
        expired += await withLock(candidate.id, async () => {
          const current = await findChallenge(candidate.id);
          if (current === null || current.state !== "pending") {
            return 0;
          }
          const after = expireChallenge(current, clock.nowMs());
          if (after === current) {
            return 0;
          }
          const saved = await saveChallenge(
            current,
            after,
            [],
            [
              {
                actor: "system",
                action: "step_up.challenge_expired",
                subjectId: current.id,
                payload: {},
                atMs: after.updatedAtMs,
              },
            ],
            after.updatedAtMs,
          );
          return saved.outcome === "ok" ? 1 : 0;
        });
      }
      return expired;
    },

    metrics: metrics.view,

    /** Another process's change to a challenge or an authentication, from the change follower. */
    absorb(document: DocumentRecord): void {
      if (document.kind === "challenge") {
        absorbChallenge(challengeFromDocument(document));
      } else if (document.kind === "authentication") {
        absorbAuthentication(authenticationFromDocument(document));
      }
    },
  };
}

/** A challenge as the API shows it: never the code's hash. */
function challengeView(challenge: Challenge, authentication: Authentication | null) {
  const result = challengeResultOf(challenge);
  return {
    challengeId: challenge.id,
    authenticationId: challenge.authenticationId,
    cardId: challenge.cardId,
    channel: challenge.channel,
    state: challenge.state,
    ...result,
    attemptsLeft: challenge.state === "pending" ? challenge.attemptsMax - challenge.attemptsUsed : 0,
    resendsLeft: challenge.resendsMax - challenge.resendsUsed,
    codeExpiresAt: new Date(challenge.codeExpiresAtMs).toISOString(),
    createdAt: new Date(challenge.createdAtMs).toISOString(),
    reportedUnrequestedAt:
      challenge.reportedUnrequestedAtMs === null
        ? null
        : new Date(challenge.reportedUnrequestedAtMs).toISOString(),
    reportCaseId: challenge.reportCaseId,
    payment:
      authentication === null
        ? null
        : {
            merchant: { name: authentication.merchant.name, country: authentication.merchant.country },
            amount: { minor: authentication.amountMinor, currency: authentication.currency },
          },
  };
}

const idempotencyConflict: AuthenticateResult = {
  ok: false,
  code: "idempotency_conflict",
  message: "This id was already used with a different request body.",
};

export type StepUpService = Awaited<ReturnType<typeof createStepUpService>>;
