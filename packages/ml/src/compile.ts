import { addContributions, flattenTrees, importanceOf } from "./ensemble.ts";
import type { GbdtModel } from "./gbdt.ts";
import type { FeatureImportance, FeatureRow, Scorer } from "./scorer.ts";
import { sigmoid } from "./sigmoid.ts";
import { createLeafSum } from "./wasm-walk.ts";

/** A boosted model ready to serve: every method reads typed arrays and allocates nothing. */
export type CompiledModel = Scorer & {
  /** The margin (log-odds) of the row starting at `offset`. */
  scoreRaw(values: FeatureRow, offset?: number): number;
  /**
   * Writes each feature's contribution to the margin into `out` (one slot per feature) and
   * returns the bias; bias + Σ out equals `scoreRaw` up to float rounding.
   */
  contributions(values: FeatureRow, out: Float64Array, offset?: number): number;
  /** Features by total split gain, largest first. */
  featureImportance(): readonly FeatureImportance[];
};

/** Compiles a trained or parsed model for serving. */
export function compileModel(model: GbdtModel): CompiledModel {
  const { featureNames, baseScore } = model;
  const ensemble = flattenTrees(model.trees, featureNames.length, 1);
  const sumLeaves = createLeafSum(ensemble);
  const scoreRaw = (values: FeatureRow, offset = 0): number => baseScore + sumLeaves(values, offset);
  return {
    featureNames,
    scoreRaw,
    score: (values, offset = 0) => sigmoid(scoreRaw(values, offset)),
    contributions: (values, out, offset = 0) => baseScore + addContributions(ensemble, values, offset, out),
    featureImportance: () => importanceOf(ensemble, featureNames),
  };
}
