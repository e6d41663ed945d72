import { assert } from "./assert.ts";
import type { Dataset } from "./dataset.ts";

/** One row of feature values, in the model's feature order; NaN marks a missing value. */
export type FeatureRow = Float64Array | readonly number[];

/** What every compiled model offers: a fraud probability for one row. */
export type Scorer = {
  readonly featureNames: readonly string[];
  /** The fraud probability (0..1) of the row starting at `offset` in `values`. */
  score(values: FeatureRow, offset?: number): number;
};

/** A feature and the total loss reduction of the splits on it, for a model's importance list. */
export type FeatureImportance = { readonly featureName: string; readonly gain: number };

/** Scores every row of `dataset`, for the metrics. */
export function scoreDataset(scorer: Scorer, dataset: Dataset): Float64Array {
  assert(scorer.featureNames.length === dataset.columns, "the model and the dataset have the same columns");
  const scores = new Float64Array(dataset.rows);
  for (let r = 0; r < dataset.rows; r++) {
    scores[r] = scorer.score(dataset.values, r * dataset.columns);
  }
  return scores;
}
