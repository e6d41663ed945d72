/**
 * A decision: the outcome, a 0–100 score, reason codes and the explanation tree. Outcomes form a
 * lattice (approve < step_up < hold < decline); combining takes the highest, so adding a rule can
 * only make a decision stricter, never looser.
 */
import {
  type CompiledRuleset,
  type ExplainNode,
  type Outcome,
  outcomes,
  type Thresholds,
} from "@mimamori/rules";

import type { ModelScore, ShadowModelScore } from "./model-port.ts";

export type Reason = { readonly code: string; readonly message: string; readonly ruleId: string };

export type FiredRuleExplanation = {
  readonly ruleId: string;
  readonly reasonCode: string;
  readonly score: number;
  readonly outcome: Outcome | null;
  readonly condition: ExplainNode;
};

export type Explanation = {
  readonly rulesetVersion: number;
  readonly thresholds: Thresholds;
  /** Sum of the fired rules' scores, clamped to 0–100. */
  readonly score: number;
  /** The outcome the score alone maps to. */
  readonly scoreOutcome: Outcome;
  /** The strictest outcome a rule forced, if any. */
  readonly forcedOutcome: Outcome | null;
  /** Engine-level adjustments that do not come from the ruleset (card state, channel). */
  readonly adjustments: readonly { readonly code: string; readonly from: Outcome; readonly to: Outcome }[];
  readonly rules: readonly FiredRuleExplanation[];
  readonly isFuelExhausted: boolean;
  /** The active model's score and its largest contributions, when a model scored. */
  readonly model?: ModelScore;
  /** The shadow model's score (0–100), when one is in shadow: recorded to compare, never decides. */
  readonly shadowModel?: ShadowModelScore;
};

export type Decision = {
  readonly outcome: Outcome;
  readonly score: number;
  readonly reasons: readonly Reason[];
  readonly explanation: Explanation;
};

export type LoadedRuleset = {
  readonly id: string;
  readonly version: number;
  readonly compiled: CompiledRuleset;
};

const rank: Readonly<Record<Outcome, number>> = { approve: 0, step_up: 1, hold: 2, decline: 3 };

export function strictestOutcome(a: Outcome, b: Outcome): Outcome {
  return rank[a] >= rank[b] ? a : b;
}

export function isStricter(a: Outcome, b: Outcome): boolean {
  return rank[a] > rank[b];
}

export function outcomeForScore(score: number, thresholds: Thresholds): Outcome {
  if (thresholds.decline !== null && score >= thresholds.decline) {
    return "decline";
  }
  if (score >= thresholds.hold) {
    return "hold";
  }
  if (score >= thresholds.step_up) {
    return "step_up";
  }
  return "approve";
}

export { outcomes };
