/**
 * decide(): the pure, synchronous heart of scoring. Same snapshot and ruleset in, same decision
 * out, so every recorded decision replays identically from its stored snapshot.
 */
import { evaluateRuleset, explainRule, type Outcome } from "@mimamori/rules";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import { type CardState, type Channel, stepUpChannels } from "./authorization.ts";
import {
  type Decision,
  type FiredRuleExplanation,
  isStricter,
  type LoadedRuleset,
  outcomeForScore,
  type Reason,
  strictestOutcome,
} from "./decision.ts";
import type { FeatureSnapshot } from "./features/index.ts";
import type { ModelScore } from "./model-port.ts";

/** Card states that can never approve, whatever the ruleset says, with the reason they carry. */
const cardStateGates: Readonly<Partial<Record<CardState, Reason>>> = {
  blocked: { code: "card_blocked", message: "The card is blocked.", ruleId: "engine" },
  replaced: { code: "card_replaced", message: "The card was replaced by a new card.", ruleId: "engine" },
  suspended: {
    code: "card_on_hold",
    message: "The card is on hold pending the cardholder's answer.",
    ruleId: "engine",
  },
  locked: { code: "card_locked", message: "The cardholder has locked the card.", ruleId: "engine" },
};

const allowedByCardholder: Reason = {
  code: "confirmed_by_cardholder",
  message: "The cardholder confirmed a recent payment at this merchant as theirs.",
  ruleId: "engine",
};

const authenticatedBy3ds: Reason = {
  code: "authenticated_by_3ds",
  message: "The cardholder passed 3-D Secure authentication for this payment.",
  ruleId: "engine",
};

const noStepUp: Reason = {
  code: "step_up_unavailable",
  message: "Step-up is not possible on this channel, so the authorization is held for the cardholder.",
  ruleId: "engine",
};

/** The reason codes of the default ruleset's model rules: where the model's own reasons go first. */
const modelRuleReasonPrefix = "model_";

/**
 * Pure and synchronous: the same snapshot, ruleset and model verdict give the same decision, so a
 * recorded decision replays identically from its stored snapshot and the model verdict recorded in
 * its explanation. The model scored before this call (its score is the snapshot's `model.score`);
 * when a model rule fired, the features that pushed the score up most lead the reasons, so an
 * analyst reads what the model saw, not only that it was worried.
 */
export function decide(
  snapshot: FeatureSnapshot,
  ruleset: LoadedRuleset,
  model: ModelScore | null = null,
): Decision {
  const { compiled } = ruleset;
  const evaluation = evaluateRuleset(compiled, snapshot, { fuelMax: limits.evaluationFuelMax });

  let scoreSum = 0;
  let forcedOutcome: Outcome | null = null;
  const rules: FiredRuleExplanation[] = [];
  const reasons: Reason[] = [];
  for (const fired of evaluation.fired) {
    scoreSum += fired.score;
    if (fired.outcome !== null) {
      forcedOutcome = forcedOutcome === null ? fired.outcome : strictestOutcome(forcedOutcome, fired.outcome);
    }
    reasons.push({ code: fired.reasonCode, message: fired.message, ruleId: fired.ruleId });
    const rule = compiled.rules.find((candidate) => candidate.id === fired.ruleId);
    assert(rule !== undefined, "a fired rule belongs to the ruleset");
    rules.push({
      ruleId: fired.ruleId,
      reasonCode: fired.reasonCode,
      score: fired.score,
      outcome: fired.outcome,
      condition: explainRule(rule, snapshot),
    });
  }
  const score = Math.min(100, Math.max(0, scoreSum));
  const scoreOutcome = outcomeForScore(score, compiled.thresholds);
  let outcome = forcedOutcome === null ? scoreOutcome : strictestOutcome(scoreOutcome, forcedOutcome);

  const adjustments: { code: string; from: Outcome; to: Outcome }[] = [];
  // The step-up the engine would ask for has happened: the cardholder proved possession of their
  // phone or mail for this very payment. Suspicion is answered; a rule's decline still stands.
  if (snapshot["threeDs.status"] === "authenticated" && (outcome === "step_up" || outcome === "hold")) {
    adjustments.push({ code: authenticatedBy3ds.code, from: outcome, to: "approve" });
    reasons.push(authenticatedBy3ds);
    outcome = "approve";
  }
  if (outcome === "step_up" && !stepUpChannels.has(snapshot.channel as Channel)) {
    adjustments.push({ code: noStepUp.code, from: outcome, to: "hold" });
    reasons.push(noStepUp);
    outcome = "hold";
  }
  // After "mine", the merchant's retry would often score as the held attempt did; the cardholder
  // has vouched for it, so suspicion alone no longer stops it. A rule's decline still does.
  if (snapshot["card.isAllowedMerchant"] && (outcome === "step_up" || outcome === "hold")) {
    adjustments.push({ code: allowedByCardholder.code, from: outcome, to: "approve" });
    reasons.push(allowedByCardholder);
    outcome = "approve";
  }
  const gate = cardStateGates[snapshot["card.state"] as CardState];
  if (gate !== undefined && isStricter("decline", outcome)) {
    adjustments.push({ code: gate.code, from: outcome, to: "decline" });
    reasons.push(gate);
    outcome = "decline";
  }
  // Strongest reasons first: the ones that forced the outcome, then by score.
  reasons.sort((a, b) => reasonWeight(b, rules) - reasonWeight(a, rules));
  if (model !== null && reasons.some((reason) => reason.code.startsWith(modelRuleReasonPrefix))) {
    reasons.unshift(...modelReasonsOf(model));
  }

  if (snapshot["card.state"] !== "active") {
    assert(outcome === "decline", "a card that is not active never approves");
  }
  assert(rules.length === evaluation.fired.length, "the explanation covers every fired rule");
  return {
    outcome,
    score,
    reasons,
    explanation: {
      rulesetVersion: ruleset.version,
      thresholds: compiled.thresholds,
      score,
      scoreOutcome,
      forcedOutcome,
      adjustments,
      rules,
      isFuelExhausted: evaluation.isFuelExhausted,
      ...(model === null ? {} : { model }),
    },
  };
}

function modelReasonsOf(model: ModelScore): Reason[] {
  return model.contributions.map((part) => ({
    code: `model:${part.feature}`,
    message: `${part.feature} = ${part.value} raised the model's fraud score (+${part.contribution.toFixed(2)} log-odds).`,
    ruleId: model.modelId,
  }));
}

function reasonWeight(reason: Reason, rules: readonly FiredRuleExplanation[]): number {
  if (reason.ruleId === "engine") {
    return 1_000;
  }
  const rule = rules.find((candidate) => candidate.ruleId === reason.ruleId);
  return rule === undefined ? 0 : (rule.outcome === null ? 0 : 500) + rule.score;
}
