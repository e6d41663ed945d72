import assert from "node:assert/strict";
import { test } from "node:test";
import { answerFor, eciFor } from "./authentication-result.ts";

const reason = (code: string) => ({ code, message: code, ruleId: "engine" });

test("low risk passes without friction unless the requestor asks for a challenge", () => {
  const approve = { outcome: "approve" as const, reasons: [] };
  assert.deepEqual(
    answerFor({ decision: approve, preference: "no_preference", isChallengeThrottled: false }),
    {
      transStatus: "Y",
      transStatusReason: null,
    },
  );
  for (const preference of ["challenge_requested", "challenge_mandated"] as const) {
    assert.equal(answerFor({ decision: approve, preference, isChallengeThrottled: false }).transStatus, "C");
  }
});

test("medium risk is challenged even when the requestor prefers none; a throttled card gets N 19", () => {
  for (const outcome of ["step_up", "hold"] as const) {
    const decision = { outcome, reasons: [] };
    assert.equal(
      answerFor({ decision, preference: "no_challenge", isChallengeThrottled: false }).transStatus,
      "C",
    );
    assert.deepEqual(answerFor({ decision, preference: "no_preference", isChallengeThrottled: true }), {
      transStatus: "N",
      transStatusReason: "19",
    });
  }
});

test("high risk is rejected with suspected fraud; refused cards carry their own reason", () => {
  const answer = (code: string) =>
    answerFor({
      decision: { outcome: "decline", reasons: [reason("card_testing_cash_out"), reason(code)] },
      preference: "no_preference",
      isChallengeThrottled: false,
    });
  assert.deepEqual(answer("other"), { transStatus: "R", transStatusReason: "11" });
  assert.deepEqual(answer("card_on_hold"), { transStatus: "N", transStatusReason: "11" });
  assert.deepEqual(answer("card_locked"), { transStatus: "N", transStatusReason: "12" });
  assert.deepEqual(answer("card_blocked"), { transStatus: "R", transStatusReason: "12" });
});

test("ECI follows the network: Mastercard 02/00, the others 05/07", () => {
  assert.equal(eciFor("visa", "Y"), "05");
  assert.equal(eciFor("jcb", "Y"), "05");
  assert.equal(eciFor("mastercard", "Y"), "02");
  assert.equal(eciFor("visa", "N"), "07");
  assert.equal(eciFor("mastercard", "R"), "00");
  assert.equal(eciFor("amex", "C"), null);
});
