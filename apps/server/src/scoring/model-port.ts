/**
 * The fraud model as the engine sees it: a pure, synchronous scorer over the feature snapshot, so
 * decide() stays "prefetch, then decide" with no I/O. The model module implements it (the
 * boosted trees, the label features); the engine only asks.
 */
import type { Authorization } from "./authorization.ts";
import type { FeatureSnapshot } from "./features/index.ts";

/** One feature's push on the model's log-odds, for the reasons of a decision. */
export type ModelContribution = {
  readonly feature: string;
  readonly value: number;
  /** In log-odds; positive raises the probability of fraud. */
  readonly contribution: number;
};

export type ModelScore = {
  readonly modelId: string;
  /** 0–1. */
  readonly probability: number;
  /** The largest positive contributions, largest first (at most `modelReasonsMax`). */
  readonly contributions: readonly ModelContribution[];
};

/** A shadow model's verdict as a decision records it: the score it would have given, 0–100. */
export type ShadowModelScore = { readonly modelId: string; readonly score: number };

export interface ServingModel {
  readonly id: string;
  /**
   * `isExplained` false skips the contributions (a shadow model's are never shown), which cost as
   * much again as the score.
   */
  score(snapshot: FeatureSnapshot, authorization: Authorization, isExplained: boolean): ModelScore;
}

/** The active model decides with the rules; a shadow model is only scored and recorded. */
export type ModelSlots = {
  active(): ServingModel | null;
  shadow(): ServingModel | null;
};
