/**
 * Prefetch, then decide. In the embedded default every feature is already in memory, so the
 * prefetch is a synchronous read; the shape stays the same when a shared store is added.
 */
import type { Authorization, CardContext } from "./authorization.ts";
import { decide } from "./decide.ts";
import type { Decision, LoadedRuleset } from "./decision.ts";
import type { FeatureSnapshot, FeatureState } from "./features/index.ts";
import type { ModelScore, ModelSlots, ShadowModelScore } from "./model-port.ts";

const noModels: ModelSlots = { active: () => null, shadow: () => null };

/** The shadow model's score beside the decision it did not take part in. */
function withShadowModel(decision: Decision, shadowModel: ShadowModelScore | null): Decision {
  return shadowModel === null
    ? decision
    : { ...decision, explanation: { ...decision.explanation, shadowModel } };
}

/** A probability as the 0–100 score rules and analysts read, to one decimal. */
const scoreOf = (probability: number): number => Math.round(probability * 1_000) / 10;

export type ShadowDecision = {
  readonly rulesetId: string;
  readonly rulesetVersion: number;
  readonly outcome: Decision["outcome"];
  readonly score: number;
  readonly reasons: Decision["reasons"];
};

export type Scored = {
  readonly decision: Decision;
  readonly snapshot: FeatureSnapshot;
  readonly ruleset: LoadedRuleset;
  readonly shadow: ShadowDecision | null;
};

export function createScoringEngine(deps: {
  features: FeatureState;
  rulesets: { active(): LoadedRuleset; shadow(): LoadedRuleset | null };
  models?: ModelSlots;
}) {
  const { features, rulesets } = deps;
  const models = deps.models ?? noModels;
  /** Writes the active model's score into the snapshot (0 without a model). */
  const scoreModel = (snapshot: FeatureSnapshot, authorization: Authorization): ModelScore | null => {
    const model = models.active();
    if (model === null) {
      return null;
    }
    const scored = model.score(snapshot, authorization, true);
    snapshot["model.score"] = scoreOf(scored.probability);
    return scored;
  };
  /** The shadow model on the same snapshot; with none in shadow this costs one call. */
  const scoreShadowModel = (
    snapshot: FeatureSnapshot,
    authorization: Authorization,
  ): ShadowModelScore | null => {
    const model = models.shadow();
    if (model === null) {
      return null;
    }
    return { modelId: model.id, score: scoreOf(model.score(snapshot, authorization, false).probability) };
  };
  return {
    /**
     * Scores and counts one authorization. Synchronous from snapshot to record, so two
     * authorizations of one card can never both miss each other in the velocity windows.
     */
    score(authorization: Authorization, card: CardContext): Scored {
      const snapshot = features.snapshot(authorization, card);
      const modelScore = scoreModel(snapshot, authorization);
      const ruleset = rulesets.active();
      // The shadow model sees what the active one saw and adds only a line to the explanation.
      const decision = withShadowModel(
        decide(snapshot, ruleset, modelScore),
        scoreShadowModel(snapshot, authorization),
      );
      const shadowRuleset = rulesets.shadow();
      let shadow: ShadowDecision | null = null;
      if (shadowRuleset !== null) {
        const shadowDecision = decide(snapshot, shadowRuleset);
        shadow = {
          rulesetId: shadowRuleset.id,
          rulesetVersion: shadowRuleset.version,
          outcome: shadowDecision.outcome,
          score: shadowDecision.score,
          reasons: shadowDecision.reasons,
        };
      }
      features.record(authorization, card, decision.outcome);
      return { decision, snapshot, ruleset, shadow };
    },
    /**
     * Scores without counting: a 3-D Secure authentication request is not a payment, so it must
     * not move the velocity windows that the payment's authorization will be scored on.
     */
    assess(authorization: Authorization, card: CardContext): Omit<Scored, "shadow"> {
      const snapshot = features.snapshot(authorization, card);
      const modelScore = scoreModel(snapshot, authorization);
      const ruleset = rulesets.active();
      return { decision: decide(snapshot, ruleset, modelScore), snapshot, ruleset };
    },
  };
}

export type ScoringEngine = ReturnType<typeof createScoringEngine>;
