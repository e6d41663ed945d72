import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import fc from "fast-check";
import { limits } from "../config/limits.ts";
import { propertyParameters } from "../platform/property-parameters.ts";
import { createSeededRandom } from "../platform/random.ts";
import {
  type Challenge,
  cancelChallenge,
  challengeResultOf,
  codeMatches,
  expireChallenge,
  hashCode,
  newChallenge,
  newCode,
  resendChallenge,
  verifyChallenge,
} from "./challenge.ts";

const key = randomBytes(32);
const ttlMs = 5 * 60_000;

function openChallenge(code: string, nowMs: number): Challenge {
  const id = "chal_test";
  return newChallenge({
    id,
    authenticationId: "authn_test",
    cardId: "card_test",
    cardholderId: "ch_test",
    channel: "sms",
    codeHash: hashCode(key, id, 1, code),
    nowMs,
    codeTtlMs: ttlMs,
  });
}

type Command =
  | { kind: "verify"; which: "current" | "previous" | "wrong" }
  | { kind: "resend" }
  | { kind: "advance"; ms: number }
  | { kind: "expire_scan" }
  | { kind: "cancel"; reason: "cardholder_cancelled" | "reported_unrequested" };

/** Code entries dominate, so runs reach the attempt budget as often as the expiry. */
const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("verify" as const),
      which: fc.constantFrom("current" as const, "previous" as const, "wrong" as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resend" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      ms: fc.integer({ min: 0, max: 3 * 60_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("expire_scan" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("cancel" as const),
      reason: fc.constantFrom("cardholder_cancelled" as const, "reported_unrequested" as const),
    }),
  },
);

describe("challenge state machine", () => {
  test("codes are uniform six-digit strings, stored only as a keyed hash bound to challenge and serial", () => {
    const random = createSeededRandom(7);
    const code = newCode(random);
    assert.match(code, /^[0-9]{6}$/);
    const hash = hashCode(key, "chal_a", 1, code);
    assert.ok(!hash.includes(code), "the hash does not contain the code");
    assert.notEqual(hash, hashCode(key, "chal_b", 1, code), "another challenge's hash differs");
    assert.notEqual(hash, hashCode(key, "chal_a", 2, code), "a resent code's hash differs");
    assert.notEqual(hash, hashCode(randomBytes(32), "chal_a", 1, code), "the hash needs the server's key");
  });

  test("a code with the wrong length or characters never matches; full-width digits and spaces are the same code", () => {
    const challenge = openChallenge("012345", 0);
    for (const code of ["012345", "０１２３４５", " 012 345 "]) {
      assert.equal(codeMatches(key, challenge, code), true, code);
    }
    for (const code of ["12345", "0123456", "01234a", " 12345", "", "٠١٢٣٤٥"]) {
      assert.equal(codeMatches(key, challenge, code), false, code);
    }
  });

  test("five wrong codes fail the challenge, and the right code afterwards is refused", () => {
    let challenge = openChallenge("111111", 0);
    for (let i = 1; i < limits.challengeAttemptsMax; i++) {
      const step = verifyChallenge(challenge, false, 1_000);
      assert.deepEqual(step.outcome, { kind: "wrong_code", attemptsLeft: limits.challengeAttemptsMax - i });
      challenge = step.challenge;
    }
    const last = verifyChallenge(challenge, false, 1_000);
    assert.deepEqual(last.outcome, { kind: "attempts_exhausted" });
    assert.equal(challengeResultOf(last.challenge).transStatus, "N");
    const after = verifyChallenge(last.challenge, codeMatches(key, last.challenge, "111111"), 1_000);
    assert.deepEqual(after.outcome, { kind: "not_pending", state: "failed" });
  });

  test("an expired code is refused and expires the challenge without spending an attempt", () => {
    const challenge = openChallenge("222222", 0);
    const step = verifyChallenge(challenge, codeMatches(key, challenge, "222222"), ttlMs);
    assert.deepEqual(step.outcome, { kind: "expired" });
    assert.equal(step.challenge.attemptsUsed, 0);
    assert.deepEqual(challengeResultOf(step.challenge), {
      transStatus: "N",
      transStatusReason: "14",
      challengeCancel: "04",
    });
  });

  test("a resend replaces the code, keeps the attempt count and is bounded and spaced", () => {
    let challenge = openChallenge("333333", 0);
    challenge = verifyChallenge(challenge, false, 10).challenge;
    const early = resendChallenge(challenge, hashCode(key, challenge.id, 2, "444444"), 20, ttlMs);
    assert.equal(early.outcome.kind, "resend_too_soon");
    let nowMs = limits.challengeResendIntervalMsMin;
    const resent = resendChallenge(challenge, hashCode(key, challenge.id, 2, "444444"), nowMs, ttlMs);
    assert.deepEqual(resent.outcome, { kind: "resent" });
    challenge = resent.challenge;
    assert.equal(challenge.attemptsUsed, 1);
    assert.equal(codeMatches(key, challenge, "333333"), false, "the old code stops working");
    assert.equal(codeMatches(key, challenge, "444444"), true);
    for (let serial = 3; serial <= limits.challengeResendsMax + 1; serial++) {
      nowMs += limits.challengeResendIntervalMsMin;
      challenge = resendChallenge(
        challenge,
        hashCode(key, challenge.id, serial, "555555"),
        nowMs,
        ttlMs,
      ).challenge;
    }
    nowMs += limits.challengeResendIntervalMsMin;
    const spent = resendChallenge(challenge, hashCode(key, challenge.id, 9, "666666"), nowMs, ttlMs);
    assert.deepEqual(spent.outcome, { kind: "resend_budget_spent" });
  });

  test("a report of an unrequested code is kept even after the challenge closed", () => {
    const verified = verifyChallenge(openChallenge("777777", 0), true, 5).challenge;
    const reported = cancelChallenge(verified, "reported_unrequested", 9);
    assert.equal(reported.state, "verified");
    assert.equal(reported.reportedUnrequestedAtMs, 9);
    const cancelled = cancelChallenge(openChallenge("777777", 0), "reported_unrequested", 9);
    assert.equal(cancelled.state, "cancelled");
    assert.deepEqual(challengeResultOf(cancelled), {
      transStatus: "N",
      transStatusReason: "11",
      challengeCancel: "01",
    });
  });

  test("whatever the order of verify, resend, expire and cancel, no code is accepted after its budget or expiry", (t) => {
    const parameters = propertyParameters(500);
    const seed = parameters.seed ?? Date.now() % 2_147_483_647;
    t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
    fc.assert(
      fc.property(
        fc.array(commandArbitrary, { maxLength: 60, size: "max" }),
        fc.integer(),
        (commands, randomSeed) => {
          const random = createSeededRandom(randomSeed);
          let nowMs = 1_000_000;
          let current = newCode(random);
          let previous: string | null = null;
          let currentExpiresAtMs = nowMs + ttlMs;
          let wrongCount = 0;
          let isClosed = false;
          let challenge = openChallenge(current, nowMs);
          for (const command of commands) {
            switch (command.kind) {
              case "advance":
                nowMs += command.ms;
                break;
              case "expire_scan":
                challenge = expireChallenge(challenge, nowMs);
                break;
              case "cancel":
                challenge = cancelChallenge(challenge, command.reason, nowMs);
                break;
              case "resend": {
                const code = newCode(random);
                const step = resendChallenge(
                  challenge,
                  hashCode(key, challenge.id, challenge.codeSerial + 1, code),
                  nowMs,
                  ttlMs,
                );
                if (step.outcome.kind === "resent") {
                  assert.ok(!isClosed, "a closed challenge never sends a new code");
                  previous = current;
                  current = code;
                  currentExpiresAtMs = nowMs + ttlMs;
                }
                challenge = step.challenge;
                break;
              }
              case "verify": {
                const code: string =
                  command.which === "current"
                    ? current
                    : command.which === "previous"
                      ? (previous ?? "000000")
                      : String((Number(current) + 1) % 1_000_000).padStart(6, "0");
                const step = verifyChallenge(challenge, codeMatches(key, challenge, code), nowMs);
                if (step.outcome.kind === "verified") {
                  assert.ok(!isClosed, "no code is accepted once the challenge closed");
                  assert.equal(code, current, "only the latest code is accepted");
                  assert.ok(nowMs < currentExpiresAtMs, "no code is accepted after its expiry");
                  assert.ok(wrongCount < limits.challengeAttemptsMax, "no code is accepted after the budget");
                }
                if (step.outcome.kind === "wrong_code" || step.outcome.kind === "attempts_exhausted") {
                  wrongCount++;
                }
                challenge = step.challenge;
                break;
              }
            }
            isClosed = challenge.state !== "pending";
            assert.ok(challenge.attemptsUsed <= limits.challengeAttemptsMax);
            assert.ok(challenge.resendsUsed <= limits.challengeResendsMax);
          }
        },
      ),
      { ...parameters, seed },
    );
  });
});
