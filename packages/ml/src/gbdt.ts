import { assert } from "./assert.ts";
import { binDataset } from "./binning.ts";
import type { Dataset } from "./dataset.ts";
import { flattenTrees, sumLeaves } from "./ensemble.ts";
import { limits } from "./limits.ts";
import { logLoss } from "./metrics.ts";
import { createRandom, sampleIndices } from "./random.ts";
import { sigmoid } from "./sigmoid.ts";
import {
  checkInteger,
  checkNumber,
  checkPositive,
  checkPositiveWeight,
  checkSeed,
  checkTrainingData,
  firstFailure,
  type PositiveWeight,
  priorLogOdds,
  resolvePositiveWeight,
  type TrainingFailure,
} from "./training.ts";
import type { Tree } from "./tree.ts";
import { createTreeBuilder } from "./tree-builder.ts";

/** A trained boosted model as stored: plain JSON, read back with `parseModel`. */
export type GbdtModel = {
  readonly format: "mimamori-gbdt";
  readonly formatVersion: 1;
  readonly featureNames: readonly string[];
  /** The margin (log-odds) before any tree: the weighted prior. */
  readonly baseScore: number;
  /** Each tree's leaf value is added to the margin; the probability is its logistic sigmoid. */
  readonly trees: readonly Tree[];
};

/** Reported once per tree, so a command line can draw a progress bar. */
export type GbdtProgress = {
  /** Trees built so far, from 1. */
  readonly tree: number;
  readonly treesMax: number;
  /** Mean log loss on the training set, weighted like training. */
  readonly trainLoss: number;
  /** The same on the validation set, or null without one. */
  readonly validationLoss: number | null;
};

export type GbdtOptions = {
  /** Boosting rounds, at most. Default 300. */
  readonly treesMax?: number;
  /** Depth of each tree. Default 6. */
  readonly depthMax?: number;
  /** Leaves of each tree; growth is best-first when this binds. Default 31. */
  readonly leavesMax?: number;
  /** Shrinkage applied to every leaf. Default 0.1. */
  readonly learningRate?: number;
  /** L2 penalty on leaf values. Default 1. */
  readonly lambda?: number;
  /** Least hessian sum in a child (XGBoost's min_child_weight). Default 1. */
  readonly childWeightMin?: number;
  /** Least loss reduction for a split (XGBoost's gamma). Default 0. */
  readonly gainMin?: number;
  /** Value bins per feature, 2 to 255. Default 255. */
  readonly binsMax?: number;
  /** Fraction of rows each tree sees, drawn without replacement. Default 1. */
  readonly rowSampleRate?: number;
  /** Fraction of columns each tree sees. Default 1. */
  readonly columnSampleRate?: number;
  /** Weight of a fraud row against a legitimate one. Default 1. */
  readonly positiveWeight?: PositiveWeight;
  /**
   * With a validation set: stop after this many trees without a better validation loss, and keep
   * the trees up to the best. Default 20.
   */
  readonly earlyStoppingRounds?: number;
  readonly validation?: Dataset;
  /** Seeds row and column sampling. Default 0. */
  readonly seed?: number;
  readonly onProgress?: (progress: GbdtProgress) => void;
};

/** Every option but the validation set and the progress callback, as training resolves them. */
type GbdtSettings = Required<Omit<GbdtOptions, "validation" | "onProgress">>;

export const gbdtDefaults: Readonly<GbdtSettings> = {
  treesMax: 300,
  depthMax: 6,
  leavesMax: 31,
  learningRate: 0.1,
  lambda: 1,
  childWeightMin: 1,
  gainMin: 0,
  binsMax: 255,
  rowSampleRate: 1,
  columnSampleRate: 1,
  positiveWeight: 1,
  earlyStoppingRounds: 20,
  seed: 0,
};

export type GbdtResult = { ok: true; model: GbdtModel } | TrainingFailure;

/**
 * Trains gradient-boosted trees for the logistic loss (the LightGBM / XGBoost `hist` algorithm):
 * quantile-binned features, histogram split search with a learned direction for missing values,
 * L2-regularized leaves, shrinkage, optional row and column sampling per tree, class weighting
 * and early stopping on a validation set.
 */
export function trainGbdt(training: Dataset, options: GbdtOptions = {}): GbdtResult {
  const settings = { ...gbdtDefaults, ...options };
  const failure = checkTrainingData(training, options.validation) ?? findOptionFailure(settings);
  if (failure !== null) {
    return failure;
  }
  const { rows, columns, labels } = training;
  const positiveWeight = resolvePositiveWeight(training, settings.positiveWeight);
  const baseScore = priorLogOdds(training, positiveWeight);
  const random = createRandom(settings.seed);
  const builder = createTreeBuilder(binDataset(training, settings.binsMax), {
    depthMax: settings.depthMax,
    leavesMax: settings.leavesMax,
    lambda: settings.lambda,
    childWeightMin: settings.childWeightMin,
    gainMin: settings.gainMin,
    leafScale: settings.learningRate,
    columnsPerSplit: columns,
  });
  const rowsPerTree = Math.max(1, Math.round(rows * settings.rowSampleRate));
  const columnsPerTree = Math.max(1, Math.round(columns * settings.columnSampleRate));
  const trainState = createMarginState(training, baseScore, positiveWeight);
  const validationState =
    options.validation === undefined
      ? null
      : createMarginState(options.validation, baseScore, positiveWeight);
  const gradients = new Float64Array(rows);
  const hessians = new Float64Array(rows);
  const trees: Tree[] = [];
  let treesBest = 0;
  let validationLossBest = Number.POSITIVE_INFINITY;
  while (trees.length < settings.treesMax) {
    for (let r = 0; r < rows; r++) {
      // The logistic loss's derivatives in the margin: p − y and p(1 − p), times the row weight.
      const probability = trainState.probabilities[r] ?? 0;
      const label = labels[r] ?? 0;
      const weight = label === 1 ? positiveWeight : 1;
      gradients[r] = weight * (probability - label);
      hessians[r] = weight * probability * (1 - probability);
    }
    const tree = builder.grow(
      {
        rows: sampleIndices(random, rows, rowsPerTree),
        columns: sampleIndices(random, columns, columnsPerTree),
        gradients,
        hessians,
      },
      random,
    );
    trees.push(tree);
    const trainLoss = trainState.add(tree);
    const validationLoss = validationState?.add(tree) ?? null;
    settings.onProgress?.({ tree: trees.length, treesMax: settings.treesMax, trainLoss, validationLoss });
    if (validationLoss === null) {
      treesBest = trees.length;
    } else if (validationLoss < validationLossBest) {
      validationLossBest = validationLoss;
      treesBest = trees.length;
    } else if (trees.length - treesBest >= settings.earlyStoppingRounds) {
      break;
    }
  }
  assert(treesBest >= 1, "at least one tree is kept");
  return {
    ok: true,
    model: {
      format: "mimamori-gbdt",
      formatVersion: 1,
      featureNames: [...training.featureNames],
      baseScore,
      trees: trees.slice(0, treesBest),
    },
  };
}

function findOptionFailure(settings: GbdtSettings): TrainingFailure | null {
  return firstFailure([
    checkInteger("treesMax", settings.treesMax, 1, limits.treesMax),
    checkInteger("depthMax", settings.depthMax, 1, limits.depthMax),
    checkInteger("leavesMax", settings.leavesMax, 2, limits.leavesMax),
    checkPositive("learningRate", settings.learningRate, 1),
    checkNumber("lambda", settings.lambda, 0, Number.MAX_VALUE),
    checkPositive("childWeightMin", settings.childWeightMin),
    checkNumber("gainMin", settings.gainMin, 0, Number.MAX_VALUE),
    checkInteger("binsMax", settings.binsMax, 2, limits.binsMax),
    checkPositive("rowSampleRate", settings.rowSampleRate, 1),
    checkPositive("columnSampleRate", settings.columnSampleRate, 1),
    checkPositiveWeight(settings.positiveWeight),
    checkInteger("earlyStoppingRounds", settings.earlyStoppingRounds, 1, limits.earlyStoppingRoundsMax),
    checkSeed(settings.seed),
  ]);
}

/** Each row's running margin and probability, updated tree by tree, and the loss they give. */
function createMarginState(dataset: Dataset, baseScore: number, positiveWeight: number) {
  const { rows, columns, values, labels } = dataset;
  const margins = new Float64Array(rows).fill(baseScore);
  const probabilities = new Float64Array(rows).fill(sigmoid(baseScore));
  return {
    probabilities,
    /** Adds one tree's output to every row and returns the new mean log loss. */
    add(tree: Tree): number {
      // The serving walk, so every row follows the path the compiled model will send it down.
      const ensemble = flattenTrees([tree], columns, 1);
      for (let r = 0; r < rows; r++) {
        const margin = (margins[r] ?? 0) + sumLeaves(ensemble, values, r * columns);
        margins[r] = margin;
        probabilities[r] = sigmoid(margin);
      }
      return logLoss(probabilities, labels, positiveWeight);
    },
  };
}
