import { binDataset } from "./binning.ts";
import type { Dataset } from "./dataset.ts";
import { addContributions, flattenTrees, importanceOf, sumLeaves } from "./ensemble.ts";
import { limits } from "./limits.ts";
import { createRandom, indexRange } from "./random.ts";
import type { FeatureImportance, FeatureRow, Scorer } from "./scorer.ts";
import {
  checkInteger,
  checkPositive,
  checkPositiveWeight,
  checkSeed,
  checkTrainingData,
  firstFailure,
  type PositiveWeight,
  resolvePositiveWeight,
  type TrainingFailure,
} from "./training.ts";
import type { Tree } from "./tree.ts";
import { createTreeBuilder } from "./tree-builder.ts";

/** A trained random forest: each tree's leaves hold fraud rates; the score is their mean. */
export type ForestModel = {
  readonly format: "mimamori-forest";
  readonly formatVersion: 1;
  readonly featureNames: readonly string[];
  readonly trees: readonly Tree[];
};

export type ForestOptions = {
  /** Trees in the forest. Default 100. */
  readonly treesMax?: number;
  /** Depth of each tree; trees grow until this or until no split is allowed. Default 12. */
  readonly depthMax?: number;
  /**
   * Least weight in a leaf: rows drawn by the bootstrap, a fraud row counting `positiveWeight`
   * times (scikit-learn's min_weight_fraction_leaf, in rows). Default 5.
   */
  readonly leafWeightMin?: number;
  /** Columns the split search draws at each node. Default ⌊√columns⌋. */
  readonly columnsPerSplit?: number;
  /** Value bins per feature, 2 to 255. Default 255. */
  readonly binsMax?: number;
  /** Weight of a fraud row against a legitimate one. Default 1. */
  readonly positiveWeight?: PositiveWeight;
  /** Seeds the bootstrap and the column draws. Default 0. */
  readonly seed?: number;
  readonly onProgress?: (progress: { readonly tree: number; readonly treesMax: number }) => void;
};

/** The defaults of every option but `columnsPerSplit`, which depends on the data. */
export const forestDefaults: Readonly<Required<Omit<ForestOptions, "columnsPerSplit" | "onProgress">>> = {
  treesMax: 100,
  depthMax: 12,
  leafWeightMin: 5,
  binsMax: 255,
  positiveWeight: 1,
  seed: 0,
};

export type ForestResult = { ok: true; model: ForestModel } | TrainingFailure;

/**
 * Trains a random forest, the classic baseline: each tree is grown on a bootstrap sample, with a
 * random subset of columns at each split, as a regression tree on the labels (squared error), so
 * its leaves hold (weighted) fraud rates. The trees come from the boosting's histogram builder on
 * the same binned data, with gradient −label and hessian 1 per drawn row: npm's ml-random-forest
 * sorts raw values at every node and is far too slow on 100k rows × 30 columns.
 */
export function trainForest(training: Dataset, options: ForestOptions = {}): ForestResult {
  const { rows, columns, labels } = training;
  const settings = {
    ...forestDefaults,
    columnsPerSplit: Math.max(1, Math.floor(Math.sqrt(columns))),
    ...options,
  };
  const failure =
    checkTrainingData(training, undefined) ??
    firstFailure([
      checkInteger("treesMax", settings.treesMax, 1, limits.treesMax),
      checkInteger("depthMax", settings.depthMax, 1, limits.depthMax),
      checkPositive("leafWeightMin", settings.leafWeightMin),
      checkInteger("columnsPerSplit", settings.columnsPerSplit, 1, columns),
      checkInteger("binsMax", settings.binsMax, 2, limits.binsMax),
      checkPositiveWeight(settings.positiveWeight),
      checkSeed(settings.seed),
    ]);
  if (failure !== null) {
    return failure;
  }
  const positiveWeight = resolvePositiveWeight(training, settings.positiveWeight);
  const random = createRandom(settings.seed);
  const builder = createTreeBuilder(binDataset(training, settings.binsMax), {
    depthMax: settings.depthMax,
    // The leaf budget never binds, so trees grow depth-first and only the depth stops them.
    leavesMax: 2 ** settings.depthMax,
    lambda: 0,
    childWeightMin: settings.leafWeightMin,
    gainMin: 0,
    leafScale: 1,
    columnsPerSplit: settings.columnsPerSplit,
  });
  const allColumns = indexRange(columns);
  const draws = new Float64Array(rows);
  const gradients = new Float64Array(rows);
  const hessians = new Float64Array(rows);
  const trees: Tree[] = [];
  while (trees.length < settings.treesMax) {
    draws.fill(0);
    for (let i = 0; i < rows; i++) {
      const row = random.int(rows);
      draws[row] = (draws[row] ?? 0) + 1;
    }
    const drawn: number[] = [];
    for (let r = 0; r < rows; r++) {
      const weight = (draws[r] ?? 0) * (labels[r] === 1 ? positiveWeight : 1);
      gradients[r] = -weight * (labels[r] ?? 0);
      hessians[r] = weight;
      if (weight > 0) {
        drawn.push(r);
      }
    }
    trees.push(
      builder.grow({ rows: Int32Array.from(drawn), columns: allColumns, gradients, hessians }, random),
    );
    settings.onProgress?.({ tree: trees.length, treesMax: settings.treesMax });
  }
  return {
    ok: true,
    model: { format: "mimamori-forest", formatVersion: 1, featureNames: [...training.featureNames], trees },
  };
}

/** A forest ready to serve. */
export type CompiledForest = Scorer & {
  /**
   * Writes each feature's contribution to the fraud probability into `out` and returns the bias
   * (the forest's mean training fraud rate); bias + Σ out equals `score`.
   */
  contributions(values: FeatureRow, out: Float64Array, offset?: number): number;
  featureImportance(): readonly FeatureImportance[];
};

export function compileForest(model: ForestModel): CompiledForest {
  const { featureNames } = model;
  // Scaling every value by 1 / trees makes the sum of leaves the mean the forest scores.
  const ensemble = flattenTrees(model.trees, featureNames.length, 1 / model.trees.length);
  return {
    featureNames,
    score: (values, offset = 0) => sumLeaves(ensemble, values, offset),
    contributions: (values, out, offset = 0) => addContributions(ensemble, values, offset, out),
    featureImportance: () => importanceOf(ensemble, featureNames),
  };
}
