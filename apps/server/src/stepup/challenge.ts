/**
 * A step-up challenge and its state machine (DESIGN §3.3). The code itself never appears here:
 * only its keyed hash, so these functions decide from "did the code match" and the clock. Every
 * move is pure and total, so a property test can drive any order of verify, resend, expire and
 * cancel and check that no code is accepted after its budget or its expiry.
 *
 * Invariants, asserted by `assertChallenge`:
 * - a pending challenge has attempts left (`attemptsUsed < attemptsMax`);
 * - only a pending challenge changes state, and it leaves `pending` once, for good;
 * - `verified` is reached only by a matching code before the code's expiry.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";
import type { DocumentRecord } from "../storage/index.ts";

export const challengeStates = ["pending", "verified", "failed", "expired", "cancelled"] as const;
export type ChallengeState = (typeof challengeStates)[number];

/** How a challenge was cancelled: the 3DS `challengeCancel` code the ACS reports follows from it. */
export type CancelReason = "cardholder_cancelled" | "reported_unrequested";

export type DeliveryChannel = "sms" | "email" | "push";

export type Challenge = {
  readonly id: string;
  readonly version: number;
  readonly authenticationId: string;
  readonly cardId: string;
  readonly cardholderId: string;
  readonly channel: DeliveryChannel;
  readonly state: ChallengeState;
  /** `v1:<hex HMAC-SHA-256>` of the current code, bound to the challenge id and the code's serial. */
  readonly codeHash: string;
  /** 1 for the first code, one more per resend: a resent code replaces the previous one. */
  readonly codeSerial: number;
  readonly codeIssuedAtMs: number;
  readonly codeExpiresAtMs: number;
  readonly attemptsUsed: number;
  readonly attemptsMax: number;
  readonly resendsUsed: number;
  readonly resendsMax: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly cancelReason: CancelReason | null;
  /** When the cardholder said they never asked for this code (the challenge may be closed by then). */
  readonly reportedUnrequestedAtMs: number | null;
  /** The case that report opened. */
  readonly reportCaseId: string | null;
};

export function assertChallenge(challenge: Challenge): void {
  assert(
    challenge.attemptsUsed >= 0 && challenge.attemptsUsed <= challenge.attemptsMax,
    "attempts in budget",
  );
  assert(challenge.resendsUsed >= 0 && challenge.resendsUsed <= challenge.resendsMax, "resends in budget");
  assert(challenge.codeSerial === challenge.resendsUsed + 1, "one code serial per code sent");
  assert(
    challenge.state !== "pending" || challenge.attemptsUsed < challenge.attemptsMax,
    "a pending challenge has attempts left",
  );
  assert(challenge.codeExpiresAtMs > challenge.codeIssuedAtMs, "a code lives for some time");
  assert(
    (challenge.state === "cancelled") === (challenge.cancelReason !== null),
    "only cancelled has a reason",
  );
}

/** A challenge as it opens: its first code just sent, the full budgets ahead of it. */
export function newChallenge(input: {
  readonly id: string;
  readonly authenticationId: string;
  readonly cardId: string;
  readonly cardholderId: string;
  readonly channel: DeliveryChannel;
  readonly codeHash: string;
  readonly nowMs: number;
  readonly codeTtlMs: number;
}): Challenge {
  const challenge: Challenge = {
    id: input.id,
    version: 1,
    authenticationId: input.authenticationId,
    cardId: input.cardId,
    cardholderId: input.cardholderId,
    channel: input.channel,
    state: "pending",
    codeHash: input.codeHash,
    codeSerial: 1,
    codeIssuedAtMs: input.nowMs,
    codeExpiresAtMs: input.nowMs + input.codeTtlMs,
    attemptsUsed: 0,
    attemptsMax: limits.challengeAttemptsMax,
    resendsUsed: 0,
    resendsMax: limits.challengeResendsMax,
    createdAtMs: input.nowMs,
    updatedAtMs: input.nowMs,
    cancelReason: null,
    reportedUnrequestedAtMs: null,
    reportCaseId: null,
  };
  assertChallenge(challenge);
  return challenge;
}

// --- Codes ------------------------------------------------------------------------------------

/** A uniform code of `limits.challengeCodeDigits` digits, leading zeros kept. */
export function newCode(random: Random): string {
  let code = "";
  for (let i = 0; i < limits.challengeCodeDigits; i++) {
    code += String(random.int(10));
  }
  return code;
}

/**
 * The stored form of a code. Six digits are a million guesses, so an unkeyed hash would give the
 * code to anyone who reads the database; the key lives outside it. The challenge id and serial
 * bind the hash, so no stored hash matches a code for another challenge or an older code.
 */
export function hashCode(key: Buffer, challengeId: string, codeSerial: number, code: string): string {
  return `v1:${createHmac("sha256", key).update(`challenge-code:${challengeId}:${codeSerial}:${code}`).digest("hex")}`;
}

/**
 * Compares in constant time, so the response time tells a guesser nothing about the hash. A code
 * typed with full-width digits or spaces (a Japanese keyboard, "123 456") is the same code.
 */
export function codeMatches(key: Buffer, challenge: Challenge, typed: string): boolean {
  const code = typed.normalize("NFKC").replace(/\s/g, "");
  if (!/^[0-9]+$/.test(code) || code.length !== limits.challengeCodeDigits) {
    return false;
  }
  const expected = Buffer.from(challenge.codeHash);
  const actual = Buffer.from(hashCode(key, challenge.id, challenge.codeSerial, code));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// --- Moves ------------------------------------------------------------------------------------

export type VerifyOutcome =
  | { readonly kind: "verified" }
  | { readonly kind: "wrong_code"; readonly attemptsLeft: number }
  | { readonly kind: "attempts_exhausted" }
  | { readonly kind: "expired" }
  | { readonly kind: "not_pending"; readonly state: ChallengeState };

/**
 * One code entry. An entry after the code's expiry expires the challenge and counts no attempt;
 * a wrong code spends one attempt, and the last one fails the challenge.
 */
export function verifyChallenge(
  challenge: Challenge,
  isMatch: boolean,
  nowMs: number,
): { challenge: Challenge; outcome: VerifyOutcome } {
  if (challenge.state !== "pending") {
    return { challenge, outcome: { kind: "not_pending", state: challenge.state } };
  }
  if (nowMs >= challenge.codeExpiresAtMs) {
    return { challenge: moved(challenge, { state: "expired" }, nowMs), outcome: { kind: "expired" } };
  }
  if (isMatch) {
    return { challenge: moved(challenge, { state: "verified" }, nowMs), outcome: { kind: "verified" } };
  }
  const attemptsUsed = challenge.attemptsUsed + 1;
  if (attemptsUsed >= challenge.attemptsMax) {
    return {
      challenge: moved(challenge, { state: "failed", attemptsUsed }, nowMs),
      outcome: { kind: "attempts_exhausted" },
    };
  }
  return {
    challenge: moved(challenge, { attemptsUsed }, nowMs),
    outcome: { kind: "wrong_code", attemptsLeft: challenge.attemptsMax - attemptsUsed },
  };
}

export type ResendOutcome =
  | { readonly kind: "resent" }
  | { readonly kind: "resend_budget_spent" }
  | { readonly kind: "resend_too_soon"; readonly retryAfterMs: number }
  | { readonly kind: "expired" }
  | { readonly kind: "not_pending"; readonly state: ChallengeState };

/**
 * A new code replaces the old one, which stops working at once. The attempt count carries over:
 * a resend that reset it would hand a guesser a fresh budget for every SMS.
 */
export function resendChallenge(
  challenge: Challenge,
  newCodeHash: string,
  nowMs: number,
  codeTtlMs: number,
): { challenge: Challenge; outcome: ResendOutcome } {
  if (challenge.state !== "pending") {
    return { challenge, outcome: { kind: "not_pending", state: challenge.state } };
  }
  if (nowMs >= challenge.codeExpiresAtMs) {
    return { challenge: moved(challenge, { state: "expired" }, nowMs), outcome: { kind: "expired" } };
  }
  if (challenge.resendsUsed >= challenge.resendsMax) {
    return { challenge, outcome: { kind: "resend_budget_spent" } };
  }
  const readyAtMs = challenge.codeIssuedAtMs + limits.challengeResendIntervalMsMin;
  if (nowMs < readyAtMs) {
    return { challenge, outcome: { kind: "resend_too_soon", retryAfterMs: readyAtMs - nowMs } };
  }
  return {
    challenge: moved(
      challenge,
      {
        codeHash: newCodeHash,
        codeSerial: challenge.codeSerial + 1,
        resendsUsed: challenge.resendsUsed + 1,
        codeIssuedAtMs: nowMs,
        codeExpiresAtMs: nowMs + codeTtlMs,
      },
      nowMs,
    ),
    outcome: { kind: "resent" },
  };
}

/**
 * The card's throttle stops a challenge: too many wrong codes on this card lately, across
 * challenges, so this one fails whatever is entered.
 */
export function failChallenge(challenge: Challenge, nowMs: number): Challenge {
  return challenge.state === "pending"
    ? moved(challenge, { state: "failed", attemptsUsed: challenge.attemptsMax }, nowMs)
    : challenge;
}

/** The scan's move: a pending challenge whose code has run out expires. */
export function expireChallenge(challenge: Challenge, nowMs: number): Challenge {
  return challenge.state === "pending" && nowMs >= challenge.codeExpiresAtMs
    ? moved(challenge, { state: "expired" }, nowMs)
    : challenge;
}

/**
 * Cancels a pending challenge. A report that the code was never asked for is recorded whatever
 * the state: a code the fraudster obtained and used makes the report more urgent, not moot.
 */
export function cancelChallenge(
  challenge: Challenge,
  reason: CancelReason,
  nowMs: number,
  reportCaseId: string | null = null,
): Challenge {
  const reported =
    reason === "reported_unrequested" && challenge.reportedUnrequestedAtMs === null
      ? { reportedUnrequestedAtMs: nowMs, reportCaseId }
      : {};
  if (challenge.state !== "pending") {
    return Object.keys(reported).length === 0 ? challenge : moved(challenge, reported, nowMs);
  }
  return moved(challenge, { state: "cancelled", cancelReason: reason, ...reported }, nowMs);
}

function moved(challenge: Challenge, change: Partial<Challenge>, nowMs: number): Challenge {
  const next: Challenge = { ...challenge, ...change, version: challenge.version + 1, updatedAtMs: nowMs };
  assertChallenge(next);
  return next;
}

// --- 3-D Secure vocabulary ----------------------------------------------------------------------

/** The final `transStatus` of a closed challenge and the codes an ACS reports with it. */
export function challengeResultOf(challenge: Challenge): {
  transStatus: "Y" | "N" | "C";
  transStatusReason?: string;
  challengeCancel?: string;
} {
  switch (challenge.state) {
    case "pending":
      return { transStatus: "C" };
    case "verified":
      return { transStatus: "Y" };
    case "failed":
      // 01: card authentication failed.
      return { transStatus: "N", transStatusReason: "01" };
    case "expired":
      // 14: transaction timed out at the ACS; challengeCancel 04: timed out at the ACS.
      return { transStatus: "N", transStatusReason: "14", challengeCancel: "04" };
    case "cancelled":
      // 01: the cardholder cancelled; a report of an unrequested code is 11, suspected fraud.
      return challenge.cancelReason === "reported_unrequested"
        ? { transStatus: "N", transStatusReason: "11", challengeCancel: "01" }
        : { transStatus: "N", transStatusReason: "01", challengeCancel: "01" };
  }
}

// --- Documents ----------------------------------------------------------------------------------

export function challengeToDocument(challenge: Challenge): DocumentRecord {
  const { id, version, cardId, cardholderId, state, createdAtMs, updatedAtMs } = challenge;
  return {
    kind: "challenge",
    id,
    version,
    cardId,
    cardholderId,
    state,
    // The expiry scan's queue: a pending challenge is due when its code runs out.
    dueAtMs: state === "pending" ? challenge.codeExpiresAtMs : null,
    lookupKey: null,
    createdAtMs,
    updatedAtMs,
    body: challenge,
  };
}

export function challengeFromDocument(document: DocumentRecord): Challenge {
  assert(document.kind === "challenge", "a challenge document");
  const challenge = document.body as Challenge;
  assert(challenge.version === document.version, "the body's version is the document's");
  return challenge;
}
