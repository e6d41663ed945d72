/**
 * The deterministic whole-system simulator ("our VOPR", STYLE.md §6.8). The real platform runs on
 * a manual clock, seeded randomness and ids, the memory store (or the embedded store) behind a
 * fault switch, a fake SMS/e-mail/push network and fake cardholders. A seeded sequence of steps
 * drives it: payments, fraud bursts, clock moves, answers, codes, locks, reissues, outbox passes
 * and crashes; every named checker runs after every step. The same seed and step count give the
 * same step log, byte for byte, so a failure replays from its seed.
 */
import { createHash } from "node:crypto";
import type { AuthorizationBody, StepUpAuthenticationBody } from "@mimamori/contracts";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import { createManualClock } from "../platform/clock.ts";
import { createSeededRandom, type Random } from "../platform/random.ts";
import type { AuthorizationResponse } from "../scoring/index.ts";
import type { DecisionRecord, Store } from "../storage/index.ts";
import {
  type AcceptedCode,
  checkAcceptedCode,
  checkDecisionReplays,
  checkHoldsOfCard,
  checkNoApprovalOnBlockedCard,
  checkReissue,
  checkSmsBudget,
  checkVelocity,
  type DecidedAuthorization,
  type InvariantName,
  type SeenHold,
  type Violation,
} from "./checkers.ts";
import { createFakeNetwork, type Delivered } from "./fake-network.ts";
import { chooseFaultMix, createFaultyStore, type FaultMix, SimulatedStoreError } from "./faults.ts";
import type { PlatformStarter, SimulatedPlatform } from "./platform-port.ts";
import {
  createWorld,
  everydayMerchants,
  fraudMerchants,
  type Merchant,
  type SimCardholder,
  testingMerchants,
} from "./world.ts";

/** A bug put in on purpose, so a test can see the matching checker catch it. Never set outside tests. */
export type InjectedBug = "approve_on_blocked_card";

export type SystemSimulationOptions = {
  readonly seed: number;
  readonly steps: number;
  readonly start: PlatformStarter;
  /** Opens the run's store: memory by default, the embedded store under `--data`. */
  readonly openStore: () => Promise<Store>;
  readonly injectBug?: InjectedBug;
  /** Receives every line of the step log as it is written (`--verbose`). */
  readonly onLog?: (line: string) => void;
};

export type SystemSimulationResult =
  | {
      readonly ok: true;
      readonly seed: number;
      readonly steps: number;
      readonly digest: string;
      readonly summary: RunSummary;
    }
  | {
      readonly ok: false;
      readonly seed: number;
      readonly step: number;
      readonly invariant: InvariantName;
      readonly message: string;
      readonly lastSteps: readonly string[];
      readonly digest: string;
      readonly summary: RunSummary;
    };

export type RunSummary = {
  readonly faults: FaultMix;
  readonly outcomes: Record<string, number>;
  readonly counts: Record<string, number>;
};

/** The simulated run starts at a fixed instant, so dates in the log are the same on every machine. */
const startMs = Date.parse("2026-11-20T00:00:00Z");
/** Holds and codes expire within a simulated day, so a run of thousands of steps sees many expire. */
const confirmationWindowMs = 2 * 3_600_000;
const challengeCodeTtlMs = 5 * 60_000;

const stepKinds = [
  "purchase",
  "fraud_purchase",
  "card_testing",
  "retry",
  "advance_clock",
  "expire",
  "dispatch",
  "cardholder",
  "step_up",
  "lock_toggle",
  "report_lost",
  "analyst",
  "restart",
] as const;
type StepKind = (typeof stepKinds)[number];

/** A share of steps per kind; each seed draws its own, so some runs are all fraud and some all answers. */
function chooseStepWeights(random: Random, faults: FaultMix): Record<StepKind, number> {
  return {
    purchase: 20 + random.int(30),
    fraud_purchase: 2 + random.int(10),
    card_testing: random.int(4),
    retry: random.int(6),
    advance_clock: 10 + random.int(20),
    expire: 2 + random.int(6),
    dispatch: 5 + random.int(15),
    cardholder: 10 + random.int(20),
    step_up: random.int(8),
    lock_toggle: random.int(4),
    report_lost: random.int(2),
    analyst: 1 + random.int(5),
    restart: Math.round(faults.restartShare * 100),
  };
}

function pickWeighted<K extends string>(random: Random, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random.int(total);
  for (const [kind, weight] of entries) {
    if (draw < weight) {
      return kind;
    }
    draw -= weight;
  }
  return entries[0]?.[0] as K;
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[random.int(items.length)];
  assert(item !== undefined, "pick() needs a non-empty list");
  return item;
}

/** Keys for every secret the platform would otherwise draw at start, so a restart keeps them. */
function simulatedEnv(random: Random): NodeJS.ProcessEnv {
  const key = () => Buffer.from(random.bytes(32)).toString("hex");
  return {
    MIMAMORI_API_KEY: `mk_${key()}`,
    MIMAMORI_PAN_HMAC_KEY: key(),
    MIMAMORI_PAN_ENCRYPTION_KEY: key(),
    MIMAMORI_CARD_HOST_ENCRYPTION_KEY: key(),
    MIMAMORI_CARD_HOST_SIGNING_KEY: key(),
    MIMAMORI_PUSH_SIGNING_KEY: key(),
    MIMAMORI_STEP_UP_KEY: key(),
  };
}

/** Is this error (or one it wraps) a store failure the simulator injected? */
function isInjected(error: unknown): boolean {
  if (error instanceof SimulatedStoreError) {
    return true;
  }
  if (error instanceof AggregateError) {
    return error.errors.some(isInjected);
  }
  if (error instanceof Error && error.cause !== undefined) {
    return isInjected(error.cause);
  }
  return false;
}

/** A failure that stops the run: a checker's violation or an operation that did not fail cleanly. */
class InvariantFailure extends Error {
  override name = "InvariantFailure";
  readonly violation: Violation;
  constructor(violation: Violation) {
    super(`${violation.invariant}: ${violation.message}`);
    this.violation = violation;
  }
}

type SentAuthorization = {
  readonly body: AuthorizationBody;
  readonly isFraud: boolean;
  /** The answer the acquirer got, or null when the request failed and waits for its retry. */
  response: string | null;
};

type SimHold = {
  readonly id: string;
  readonly cardId: string;
  readonly cardholder: SimCardholder;
  isFraud: boolean;
};

type SimChallenge = {
  readonly id: string;
  readonly cardId: string;
  readonly cardholder: SimCardholder;
  readonly openedAtMs: number;
  readonly payment: AuthorizationBody;
  attempts: number;
  codes: { code: string; issuedAtMs: number }[];
  isOpen: boolean;
  lastResendAtMs: number;
};

/** Something a cardholder will do later: answer a hold, type a code, ask for another. */
type PlannedAction =
  | {
      readonly kind: "answer";
      readonly atMs: number;
      readonly hold: SimHold;
      readonly answer: "mine" | "not_mine";
      readonly bySms: boolean;
    }
  | {
      readonly kind: "enter_code";
      readonly atMs: number;
      readonly challenge: SimChallenge;
      readonly code: string;
    }
  | { readonly kind: "resend"; readonly atMs: number; readonly challenge: SimChallenge };

export async function runSystemSimulation(options: SystemSimulationOptions): Promise<SystemSimulationResult> {
  assert(Number.isSafeInteger(options.seed) && options.seed >= 0, "the seed is a non-negative integer");
  assert(options.steps >= 0 && options.steps <= limits.simulationStepsMax, "steps within simulationStepsMax");
  const root = createSeededRandom(options.seed);
  // Separate streams, so a change in how often one part draws does not reshuffle the others.
  const random = createSeededRandom(root.int(2 ** 31));
  const faultRandom = createSeededRandom(root.int(2 ** 31));
  const networkRandom = createSeededRandom(root.int(2 ** 31));
  const platformSeeds = createSeededRandom(root.int(2 ** 31));
  const faults = chooseFaultMix(random);
  const weights = chooseStepWeights(random, faults);
  const env = simulatedEnv(random);
  const clock = createManualClock(startMs);
  const network = createFakeNetwork({ clock, random: networkRandom, faults });
  const rawStore = await options.openStore();
  const faulty = createFaultyStore(rawStore, faultRandom, faults.storeErrorShare);

  const log = createHash("sha256");
  const recent: string[] = [];
  const counts: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const count = (name: string) => {
    counts[name] = (counts[name] ?? 0) + 1;
  };
  let step = 0;
  const note = (text: string) => {
    const line = `#${step} +${Math.round((clock.nowMs() - startMs) / 1000)}s ${text}`;
    log.update(`${line}\n`);
    options.onLog?.(line);
    recent.push(line);
    if (recent.length > limits.simulationStepsShownMax) {
      recent.shift();
    }
  };

  const startOne = async (): Promise<SimulatedPlatform> => {
    const started = await options.start({
      dataDir: null,
      clock,
      random: createSeededRandom(platformSeeds.int(2 ** 31)),
      env,
      store: faulty.store,
      senders: network.senders,
      runWorkers: false,
      confirmationWindowMs,
      challengeCodeTtlMs,
      seedDemo: false,
    });
    return options.injectBug === undefined ? started : withInjectedBug(started, options.injectBug);
  };
  let platform = await startOne();
  const cardholders = await createWorld(
    platform,
    random,
    2 + random.int(limits.simulationCardholdersMax - 1),
  );
  const ownerOf = new Map<string, SimCardholder>();
  for (const holder of cardholders) {
    ownerOf.set(holder.cardId, holder);
  }
  const acknowledged = new Map<string, { atMs: number; amount: number }[]>();
  /** The newest authorization time each card's velocity rings have seen, failed attempts included. */
  const newestEventMs = new Map<string, number>();
  const sent: SentAuthorization[] = [];
  const awaitingRetry: SentAuthorization[] = [];
  const holds = new Map<string, SimHold>();
  const seenHolds = new Map<string, SeenHold>();
  const challenges = new Map<string, SimChallenge>();
  const openChallengeOfCard = new Map<string, SimChallenge>();
  let planned: PlannedAction[] = [];
  let externalSerial = 0;

  // --- What a step observed, for the checkers -------------------------------------------------
  let touchedCards = new Set<string>();
  let decidedInStep: DecidedAuthorization[] = [];
  let acceptedInStep: AcceptedCode[] = [];

  const fail = (invariant: InvariantName, message: string): never => {
    throw new InvariantFailure({ invariant, message });
  };

  /** Runs a platform operation; an injected store error is a clean failure, anything else a bug. */
  const attempt = async <T>(what: string, operation: () => Promise<T>): Promise<T | null> => {
    faulty.arm(true);
    try {
      return await operation();
    } catch (error) {
      if (isInjected(error)) {
        count("store_faults_met");
        note(`${what} failed cleanly: store error`);
        return null;
      }
      return fail(
        "operationsFailCleanly",
        `${what} threw ${error instanceof Error ? error.stack : String(error)}`,
      );
    } finally {
      faulty.arm(false);
    }
  };

  const occurredAt = () => {
    // Whole seconds in Tokyo time, as a card host sends them.
    const seconds = Math.floor(clock.nowMs() / 1000) * 1000;
    return new Date(seconds + 9 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "+09:00");
  };

  const authorize = async (entry: SentAuthorization, label: string): Promise<void> => {
    const cardId = (entry.body.card as { cardId: string }).cardId;
    touchedCards.add(cardId);
    const before = await rawStore.getCard(cardId);
    const atMs = Date.parse(entry.body.occurredAt);
    const newestMs = newestEventMs.get(cardId) ?? Number.NEGATIVE_INFINITY;
    // Scored and counted before the commit failed, so the rings have seen its time either way.
    newestEventMs.set(cardId, Math.max(newestMs, atMs));
    const result = await attempt(`authorize ${entry.body.id}`, () =>
      platform.authorizations.authorize(entry.body),
    );
    if (result === null) {
      if (entry.response === null && !awaitingRetry.includes(entry)) {
        awaitingRetry.push(entry);
      }
      return;
    }
    if (!result.ok) {
      note(`${label} ${entry.body.id} refused ${result.code}`);
      return;
    }
    if (result.isReplay) {
      if (entry.response !== null && entry.response !== result.body) {
        fail("retryAnswersIdentically", `${entry.body.id} answered ${result.body} after ${entry.response}`);
      }
      entry.response = result.body;
      note(`${label} ${entry.body.id} replayed`);
      return;
    }
    if (entry.response !== null) {
      fail("retryAnswersIdentically", `${entry.body.id} was decided again after ${entry.response}`);
    }
    entry.response = result.body;
    const response = JSON.parse(result.body) as AuthorizationResponse;
    const earlier = acknowledged.get(cardId) ?? [];
    decidedInStep.push({
      externalId: entry.body.id,
      cardId,
      cardStateBefore: before?.state ?? "missing",
      outcome: response.outcome,
      score: response.score,
      reasonCodes: response.reasons.map((reason) => reason.code),
      earlier: [...earlier],
      isLate: atMs < newestMs,
    });
    if (atMs < newestMs) {
      count("late_retries");
    }
    earlier.push({ atMs, amount: entry.body.amount.minor });
    acknowledged.set(cardId, earlier);
    outcomes[response.outcome] = (outcomes[response.outcome] ?? 0) + 1;
    if (response.holdId !== undefined && !holds.has(response.holdId)) {
      const owner = ownerOf.get(cardId);
      assert(owner !== undefined, "every simulated card has an owner");
      holds.set(response.holdId, { id: response.holdId, cardId, cardholder: owner, isFraud: entry.isFraud });
    } else if (response.holdId !== undefined && entry.isFraud) {
      const known = holds.get(response.holdId);
      if (known !== undefined) {
        known.isFraud = true;
      }
    }
    note(
      `${label} ${entry.body.id} card ${cardId.slice(-4)} (${before?.state}) → ${response.outcome} ${response.score}`,
    );
  };

  const newAuthorization = (
    cardId: string,
    merchant: Merchant,
    amountMinor: number,
    channel: string,
    isFraud: boolean,
  ) => {
    externalSerial += 1;
    const entry: SentAuthorization = {
      body: {
        id: `sim-${externalSerial}`,
        card: { cardId },
        amount: { minor: amountMinor, currency: "JPY" },
        merchant,
        channel,
        occurredAt: occurredAt(),
        ...(isFraud ? { device: { ip: "198.51.100.7", fingerprint: "fp-fraud-rig" } } : {}),
      } as AuthorizationBody,
      isFraud,
      response: null,
    };
    sent.push(entry);
    if (sent.length > 200) {
      sent.shift();
    }
    return entry;
  };

  // --- The cardholders ------------------------------------------------------------------------
  const answerOf = (hold: SimHold): "mine" | "not_mine" => {
    const truth = hold.isFraud ? "not_mine" : "mine";
    if (random.float() < faults.mistakenShare) {
      return truth === "mine" ? "not_mine" : "mine";
    }
    return truth;
  };

  const readInbox = (message: Delivered) => {
    const nowMs = clock.nowMs();
    if (message.purpose === "confirmation_request" && message.channel === "sms") {
      const hold = [...holds.values()].find(
        (candidate) => candidate.cardId === message.cardId && !seenHolds.has(`asked:${candidate.id}`),
      );
      if (hold === undefined || random.float() < faults.silentShare) {
        return;
      }
      seenHolds.set(`asked:${hold.id}`, { state: "pending", resolution: null });
      const answer = answerOf(hold);
      const bySms = random.int(2) === 0;
      planned.push({
        kind: "answer",
        atMs: nowMs + random.int(faults.answerDelayMsMax),
        hold,
        answer,
        bySms,
      });
      if (random.float() < faults.answerTwiceShare) {
        const again = random.int(3) === 0 ? (answer === "mine" ? "not_mine" : "mine") : answer;
        planned.push({
          kind: "answer",
          atMs: nowMs + random.int(faults.answerDelayMsMax * 2),
          hold,
          answer: again,
          bySms: !bySms,
        });
      }
      return;
    }
    if (message.purpose === "step_up_code" && message.cardId !== null) {
      const challenge = openChallengeOfCard.get(message.cardId);
      const code = /#([0-9]{6})\s*$/.exec(message.body)?.[1];
      if (challenge === undefined || code === undefined || message.createdAtMs < challenge.openedAtMs) {
        return;
      }
      if (!challenge.codes.some((known) => known.code === code)) {
        challenge.codes.push({ code, issuedAtMs: message.createdAtMs });
      }
      if (random.float() < faults.silentShare) {
        return;
      }
      let atMs = nowMs + random.int(90_000);
      while (random.float() < faults.typoShare) {
        planned.push({ kind: "enter_code", atMs, challenge, code: typoOf(code) });
        atMs += 1_000 + random.int(20_000);
      }
      planned.push({ kind: "enter_code", atMs, challenge, code });
    }
  };

  const typoOf = (code: string) => {
    const digit = random.int(code.length);
    const wrong = (Number(code[digit]) + 1 + random.int(9)) % 10;
    return `${code.slice(0, digit)}${wrong}${code.slice(digit + 1)}`;
  };

  const act = async (action: PlannedAction) => {
    switch (action.kind) {
      case "answer": {
        const { hold } = action;
        touchedCards.add(hold.cardId);
        const before = seenHolds.get(hold.id)?.state ?? "pending";
        if (action.bySms) {
          const reply = await attempt(`sms answer ${hold.id}`, () =>
            platform.holds.handleSmsReply(hold.cardholder.phone, action.answer === "mine" ? "1" : "2"),
          );
          note(
            `cardholder ${hold.cardholder.index} replies ${action.answer} by SMS → ${reply?.result ?? "error"}`,
          );
          if (reply?.result === "answered" && reply.holdId === hold.id) {
            expectFirstResolution(hold, before);
            afterResolution(hold, reply.state);
          }
          return;
        }
        const result = await attempt(`answer ${hold.id}`, () =>
          platform.holds.answer(hold.id, action.answer, {
            channel: "portal",
            actor: `cardholder:${hold.cardholder.id}`,
            reason: null,
          }),
        );
        note(
          `cardholder ${hold.cardholder.index} answers ${action.answer} on ${hold.id} → ${result === null ? "error" : result.ok ? result.hold.state : result.code}`,
        );
        if (result?.ok === true) {
          expectFirstResolution(hold, before);
          afterResolution(hold, result.hold.state, result.hold.replacementCardId);
        }
        return;
      }
      case "enter_code": {
        const { challenge } = action;
        touchedCards.add(challenge.cardId);
        const earlierAttempts = challenge.attempts;
        challenge.attempts += 1;
        const result = await attempt(`verify ${challenge.id}`, () =>
          platform.stepUp.verify(challenge.id, action.code),
        );
        note(
          `cardholder ${challenge.cardholder.index} enters a code for ${challenge.id} → ${result === null ? "error" : result.ok ? result.body.state : result.code}`,
        );
        if (result === null) {
          return;
        }
        if (!result.ok) {
          challenge.isOpen = false;
          return;
        }
        if (result.body.state === "verified") {
          count("codes_accepted");
          acceptedInStep.push({
            challengeId: challenge.id,
            code: action.code,
            atMs: clock.nowMs(),
            earlierAttempts,
            codesIssued: [...challenge.codes],
            codeTtlMs: challengeCodeTtlMs,
          });
          challenge.isOpen = false;
          const value = result.body.authenticationValue;
          if (value !== undefined) {
            const payment = newAuthorization(
              challenge.cardId,
              challenge.payment.merchant,
              challenge.payment.amount.minor,
              "ecommerce",
              false,
            );
            payment.body.threeDs = { authenticationValue: value };
            await authorize(payment, "authenticated purchase");
          }
        } else if (result.body.state !== "pending") {
          challenge.isOpen = false;
        }
        return;
      }
      case "resend": {
        const { challenge } = action;
        touchedCards.add(challenge.cardId);
        const result = await attempt(`resend ${challenge.id}`, () => platform.stepUp.resend(challenge.id));
        challenge.lastResendAtMs = clock.nowMs();
        note(
          `cardholder ${challenge.cardholder.index} asks for another code → ${result === null ? "error" : result.ok ? "resent" : result.code}`,
        );
        if (result !== null && !result.ok && result.code === "challenge_closed") {
          challenge.isOpen = false;
        }
        return;
      }
    }
  };

  /** An answer the platform took must be the hold's first resolution (an expired hold takes none). */
  const expectFirstResolution = (hold: SimHold, before: string) => {
    count("answers_taken");
    if (before !== "pending") {
      fail("holdResolvesExactlyOnce", `hold ${hold.id} took a cardholder's answer in state ${before}`);
    }
  };

  const afterResolution = (hold: SimHold, state: string, replacementCardId: string | null = null) => {
    if (state !== "denied") {
      return;
    }
    const holder = hold.cardholder;
    const replacement =
      replacementCardId ??
      platform.directory.cardsOf(holder.id).find((card) => card.replacesCardId === hold.cardId)?.id ??
      null;
    if (replacement !== null && !ownerOf.has(replacement)) {
      count("reissues");
      holder.cardIds.push(replacement);
      holder.cardId = replacement;
      ownerOf.set(replacement, holder);
      touchedCards.add(replacement);
      note(`cardholder ${holder.index} now carries ${replacement.slice(-4)}`);
    }
  };

  const usShop = fraudMerchants[0] as Merchant;

  // --- Steps ----------------------------------------------------------------------------------
  const runStep = async (kind: StepKind) => {
    switch (kind) {
      case "purchase": {
        const holder = pick(random, cardholders);
        const merchant = pick(random, everydayMerchants);
        await authorize(
          newAuthorization(
            holder.cardId,
            merchant,
            300 + random.int(8_000),
            random.int(3) === 0 ? "ecommerce" : "pos",
            false,
          ),
          `purchase by ${holder.index}`,
        );
        return;
      }
      case "fraud_purchase": {
        const holder = pick(random, cardholders);
        const cardId = pick(random, holder.cardIds);
        await authorize(
          newAuthorization(
            cardId,
            pick(random, fraudMerchants),
            30_000 + random.int(120_000),
            "ecommerce",
            true,
          ),
          "fraud",
        );
        return;
      }
      case "card_testing": {
        const holder = pick(random, cardholders);
        const cardId = pick(random, holder.cardIds);
        const burst = 2 + random.int(limits.simulationBurstMax - 1);
        for (let i = 0; i < burst; i++) {
          await authorize(
            newAuthorization(cardId, pick(random, testingMerchants), 50 + random.int(500), "ecommerce", true),
            "card test",
          );
          clock.advanceMs(random.int(4_000));
        }
        return;
      }
      case "retry": {
        const entry = awaitingRetry.shift() ?? (sent.length === 0 ? undefined : pick(random, sent));
        if (entry !== undefined) {
          await authorize(entry, "retry");
        }
        return;
      }
      case "advance_clock": {
        // Mostly seconds to minutes, so codes are typed in time; now and then hours, so holds expire.
        const scale = random.int(20);
        const ms =
          scale === 0
            ? 3_600_000 + random.int(5 * 3_600_000)
            : scale < 4
              ? 60_000 + random.int(30 * 60_000)
              : 1_000 + random.int(120_000);
        clock.advanceMs(ms);
        note(`clock +${ms} ms`);
        return;
      }
      case "expire": {
        const expiredHolds = await attempt("hold expiry", () => platform.holds.expireDue());
        const expiredCodes = await attempt("challenge expiry", () => platform.stepUp.expireDue());
        note(`expiry pass: ${expiredHolds ?? "error"} holds, ${expiredCodes ?? "error"} challenges`);
        for (const hold of holds.values()) {
          touchedCards.add(hold.cardId);
        }
        return;
      }
      case "dispatch": {
        const sentNow = await attempt("outbox pass", () => platform.dispatcher.drainOnce());
        note(
          `outbox pass: ${sentNow === null ? "error" : `${sentNow.sent} sent, ${sentNow.retried} retried, ${sentNow.failed} failed`}`,
        );
        return;
      }
      case "cardholder": {
        // Mostly someone with something to read or do; now and then anyone, with nothing new.
        const nowMs = clock.nowMs();
        const busy = cardholders.filter(
          (candidate) =>
            network.hasInbox(candidate.id) ||
            planned.some((action) => action.atMs <= nowMs && actionOwner(action) === candidate),
        );
        const holder = pick(random, busy.length > 0 && random.int(4) > 0 ? busy : cardholders);
        for (const message of network.takeInbox(holder.id)) {
          readInbox(message);
        }
        const due = planned.filter((action) => action.atMs <= nowMs && actionOwner(action) === holder);
        planned = planned.filter((action) => !due.includes(action));
        for (const action of due) {
          await act(action);
        }
        // No code yet after a while: ask for another one.
        for (const challenge of openChallengeOfCard.values()) {
          if (
            challenge.cardholder === holder &&
            challenge.isOpen &&
            challenge.codes.length === 0 &&
            nowMs - challenge.lastResendAtMs >= 30_000 + random.int(60_000)
          ) {
            await act({ kind: "resend", atMs: nowMs, challenge });
          }
        }
        return;
      }
      case "step_up": {
        const holder = pick(random, cardholders);
        const open = openChallengeOfCard.get(holder.cardId);
        if (open?.isOpen === true || (open !== undefined && open.openedAtMs === clock.nowMs())) {
          return;
        }
        externalSerial += 1;
        const amountMinor = 5_000 + random.int(95_000);
        const merchant = random.int(2) === 0 ? usShop : pick(random, everydayMerchants);
        const body: StepUpAuthenticationBody = {
          id: `acs-${externalSerial}`,
          card: { cardId: holder.cardId },
          amount: { minor: amountMinor, currency: "JPY" },
          merchant,
          deviceChannel: "browser",
          device: { ip: "203.0.113.9", fingerprint: `fp-travel-${holder.index}`, userAgent: "Mozilla/5.0" },
          challengePreference: "no_preference",
        } as StepUpAuthenticationBody;
        touchedCards.add(holder.cardId);
        const result = await attempt(`authenticate ${body.id}`, () => platform.stepUp.authenticate(body));
        if (result === null || !result.ok) {
          note(`step-up ${body.id} → ${result === null ? "error" : result.code}`);
          return;
        }
        const { response } = result;
        note(`step-up ${body.id} card ${holder.cardId.slice(-4)} → ${response.transStatus}`);
        count(`step_up_${response.transStatus}`);
        if (response.transStatus === "C" && response.challengeId !== undefined) {
          const challenge: SimChallenge = {
            id: response.challengeId,
            cardId: holder.cardId,
            cardholder: holder,
            openedAtMs: clock.nowMs(),
            payment: newAuthorization(holder.cardId, merchant, amountMinor, "ecommerce", false).body,
            attempts: 0,
            codes: [],
            isOpen: true,
            lastResendAtMs: clock.nowMs(),
          };
          challenges.set(challenge.id, challenge);
          openChallengeOfCard.set(holder.cardId, challenge);
        } else if (response.authenticationValue !== undefined) {
          const payment = newAuthorization(holder.cardId, merchant, amountMinor, "ecommerce", false);
          payment.body.threeDs = { authenticationValue: response.authenticationValue };
          await authorize(payment, "frictionless purchase");
        }
        return;
      }
      case "lock_toggle": {
        const holder = pick(random, cardholders);
        const card = platform.directory.getCard(holder.cardId);
        const isLocking = card?.state !== "locked";
        touchedCards.add(holder.cardId);
        const result = await attempt(`lock ${holder.cardId}`, () =>
          platform.holds.setLocked(holder.cardId, isLocking, {
            channel: "portal",
            actor: `cardholder:${holder.id}`,
            reason: null,
          }),
        );
        note(
          `cardholder ${holder.index} ${isLocking ? "locks" : "unlocks"} → ${result === null ? "error" : result.ok ? result.state : result.code}`,
        );
        return;
      }
      case "report_lost": {
        const holder = pick(random, cardholders);
        const oldCardId = holder.cardId;
        touchedCards.add(oldCardId);
        const result = await attempt(`report ${oldCardId}`, () =>
          platform.holds.reportLostOrStolen(oldCardId, random.int(2) === 0 ? "lost" : "stolen", {
            channel: "portal",
            actor: `cardholder:${holder.id}`,
            reason: null,
          }),
        );
        note(
          `cardholder ${holder.index} reports card ${oldCardId.slice(-4)} lost → ${result === null ? "error" : result.ok ? "reissued" : result.code}`,
        );
        if (result?.ok === true) {
          holder.cardIds.push(result.replacementCardId);
          holder.cardId = result.replacementCardId;
          ownerOf.set(result.replacementCardId, holder);
          touchedCards.add(result.replacementCardId);
        }
        return;
      }
      case "analyst": {
        // The outbound call after an expired hold: the analyst settles it as the cardholder says.
        const expired = [...holds.values()].filter((hold) => seenHolds.get(hold.id)?.state === "expired");
        if (expired.length === 0) {
          return;
        }
        const hold = pick(random, expired);
        touchedCards.add(hold.cardId);
        const actor = { channel: "console" as const, actor: "op_sim_analyst", reason: "outbound call" };
        const isBlocking = hold.isFraud !== random.float() < faults.mistakenShare;
        const result = await attempt(`analyst ${hold.id}`, () =>
          isBlocking
            ? platform.holds.blockByAnalyst(hold.id, actor)
            : platform.holds.releaseByAnalyst(hold.id, actor),
        );
        note(
          `analyst ${isBlocking ? "blocks" : "releases"} ${hold.id} → ${result === null ? "error" : result.ok ? result.hold.state : result.code}`,
        );
        if (result?.ok === true && result.hold.state === "blocked_by_analyst") {
          afterResolution(hold, "denied", result.hold.replacementCardId);
        }
        return;
      }
      case "restart": {
        const isCrash = random.int(2) === 0;
        if (!isCrash) {
          await platform.close();
        }
        // A crash leaves nothing in flight: every step awaits its work before the next begins.
        platform = await startOne();
        count(isCrash ? "crashes" : "restarts");
        note(
          isCrash
            ? "worker crashed and started again on the same store"
            : "platform stopped and started again",
        );
        return;
      }
    }
  };

  const actionOwner = (action: PlannedAction): SimCardholder =>
    action.kind === "answer" ? action.hold.cardholder : action.challenge.cardholder;

  // --- Checkers, after every step -------------------------------------------------------------
  const checkStep = async () => {
    const ruleset = platform.rulesets.active();
    for (const decided of decidedInStep) {
      const violation = checkNoApprovalOnBlockedCard(decided);
      if (violation !== null) {
        throw new InvariantFailure(violation);
      }
      const record: DecisionRecord | null = await rawStore.getDecisionByExternalId(decided.externalId);
      const replayed = checkDecisionReplays(decided, record, ruleset);
      if (replayed !== null) {
        throw new InvariantFailure(replayed);
      }
      assert(record !== null, "checkDecisionReplays refuses a missing record");
      const velocity = checkVelocity(decided, record, record.occurredAtMs);
      if (velocity !== null) {
        throw new InvariantFailure(velocity);
      }
    }
    for (const accepted of acceptedInStep) {
      const violation = checkAcceptedCode(accepted);
      if (violation !== null) {
        throw new InvariantFailure(violation);
      }
    }
    const touchedHolders = new Set<SimCardholder>();
    for (const cardId of touchedCards) {
      const violation = await checkHoldsOfCard(rawStore, cardId, seenHolds);
      if (violation !== null) {
        throw new InvariantFailure(violation);
      }
      const owner = ownerOf.get(cardId);
      if (owner !== undefined) {
        touchedHolders.add(owner);
      }
    }
    for (const holder of touchedHolders) {
      const violation = await checkReissue(
        rawStore,
        platform.directory.cardsOf(holder.id),
        (cardId) => platform.directory.getCard(cardId)?.state,
      );
      if (violation !== null) {
        throw new InvariantFailure(violation);
      }
    }
    for (const holder of cardholders) {
      const violation = checkSmsBudget(holder.id, network.smsAcceptedOf(holder.id), clock.nowMs());
      if (violation !== null) {
        throw new InvariantFailure(violation);
      }
    }
  };

  try {
    for (step = 1; step <= options.steps; step++) {
      touchedCards = new Set();
      decidedInStep = [];
      acceptedInStep = [];
      network.deliverDue();
      const kind = pickWeighted(random, weights);
      count(kind);
      await runStep(kind);
      await checkStep();
    }
    step = options.steps;
  } catch (error) {
    if (!(error instanceof InvariantFailure)) {
      throw error;
    }
    note(`FAILED ${error.violation.invariant}: ${error.violation.message}`);
    await platform.close().catch(() => {});
    await rawStore.close();
    return {
      ok: false,
      seed: options.seed,
      step,
      invariant: error.violation.invariant,
      message: error.violation.message,
      lastSteps: [...recent],
      digest: log.digest("hex"),
      summary: { faults, outcomes, counts: { ...counts, ...network.counts, storeFaults: faulty.failures() } },
    };
  }
  await platform.close();
  await rawStore.close();
  return {
    ok: true,
    seed: options.seed,
    steps: options.steps,
    digest: log.digest("hex"),
    summary: { faults, outcomes, counts: { ...counts, ...network.counts, storeFaults: faulty.failures() } },
  };
}

/**
 * The test-only seam: a platform with a bug put in on purpose. "approve_on_blocked_card" answers
 * approve where the platform declined a blocked card, as a broken gate in decide() would.
 */
function withInjectedBug(platform: SimulatedPlatform, bug: InjectedBug): SimulatedPlatform {
  switch (bug) {
    case "approve_on_blocked_card":
      return {
        ...platform,
        authorizations: {
          async authorize(body) {
            const result = await platform.authorizations.authorize(body);
            const isClosedCard = result.ok && /"code":"card_(blocked|replaced)"/.test(result.body);
            if (!result.ok || !isClosedCard) {
              return result;
            }
            return { ...result, body: result.body.replace(/"outcome":"decline"/, '"outcome":"approve"') };
          },
        },
      };
  }
}
