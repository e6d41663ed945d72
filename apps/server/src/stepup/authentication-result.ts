/**
 * From the engine's decision to the 3-D Secure answer (DESIGN §3.3): low risk passes without
 * friction, medium risk is challenged with a one-time code, high risk is rejected. Pure, so the
 * mapping is tested on its own and replays from a recorded decision.
 */
import type { ChallengePreference } from "@mimamori/contracts";
import type { CardNetwork } from "../cards/index.ts";
import type { Decision } from "../scoring/index.ts";

export type TransStatus = "Y" | "C" | "N" | "R" | "U";

export type AuthenticationAnswer = {
  readonly transStatus: TransStatus;
  /** EMV 3DS `transStatusReason`, given with N, R and U. */
  readonly transStatusReason: string | null;
};

/** Card states the engine refuses, and the reason an ACS reports for each. */
const refusedCardReasons: Readonly<Record<string, AuthenticationAnswer>> = {
  // 11: suspected fraud; the card waits for the cardholder's answer about earlier use.
  card_on_hold: { transStatus: "N", transStatusReason: "11" },
  // 12: transaction not permitted to cardholder; they locked it themselves.
  card_locked: { transStatus: "N", transStatusReason: "12" },
  // R: the issuer asks that no authorization be attempted, as it would be declined.
  card_blocked: { transStatus: "R", transStatusReason: "12" },
  card_replaced: { transStatus: "R", transStatusReason: "12" },
};

/**
 * The answer to an authentication request. A requestor's wish for no challenge does not override
 * the issuer's risk decision (the issuer keeps the liability it would shift); a wish or mandate
 * for one is honoured even at low risk.
 */
export function answerFor(input: {
  readonly decision: Pick<Decision, "outcome" | "reasons">;
  readonly preference: ChallengePreference;
  /** The card has had too many wrong codes lately: no new challenge may start. */
  readonly isChallengeThrottled: boolean;
}): AuthenticationAnswer {
  const { decision, preference } = input;
  if (decision.outcome === "decline") {
    const refused = decision.reasons
      .map((reason) => refusedCardReasons[reason.code])
      .find((answer) => answer !== undefined);
    // 11: suspected fraud.
    return refused ?? { transStatus: "R", transStatusReason: "11" };
  }
  const needsChallenge =
    decision.outcome !== "approve" ||
    preference === "challenge_requested" ||
    preference === "challenge_mandated";
  if (!needsChallenge) {
    return { transStatus: "Y", transStatusReason: null };
  }
  // 19: exceeds the ACS's maximum challenges.
  return input.isChallengeThrottled
    ? { transStatus: "N", transStatusReason: "19" }
    : { transStatus: "C", transStatusReason: null };
}

/** The Electronic Commerce Indicator by network: Mastercard numbers it differently. */
export function eciFor(network: CardNetwork, transStatus: TransStatus): string | null {
  const isMastercard = network === "mastercard";
  switch (transStatus) {
    case "Y":
      return isMastercard ? "02" : "05";
    case "N":
    case "R":
    case "U":
      return isMastercard ? "00" : "07";
    case "C":
      return null;
  }
}
