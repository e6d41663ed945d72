/**
 * Prefetch, then decide. In the embedded default every feature is already in memory, so the
 * prefetch is a synchronous read; the shape stays the same when a shared store is added.
 */
import type { Authorization, CardContext } from "./authorization.ts";
import { decide } from "./decide.ts";
import type { Decision, LoadedRuleset } from "./decision.ts";
import type { FeatureSnapshot, FeatureState } from "./features/index.ts";

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
}) {
  const { features, rulesets } = deps;
  return {
    /**
     * Scores and counts one authorization. Synchronous from snapshot to record, so two
     * authorizations of one card can never both miss each other in the velocity windows.
     */
    score(authorization: Authorization, card: CardContext): Scored {
      const snapshot = features.snapshot(authorization, card);
      const ruleset = rulesets.active();
      const decision = decide(snapshot, ruleset);
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
      const ruleset = rulesets.active();
      return { decision: decide(snapshot, ruleset), snapshot, ruleset };
    },
  };
}

export type ScoringEngine = ReturnType<typeof createScoringEngine>;
