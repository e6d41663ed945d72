/**
 * Evaluation of the fraud model on a labelled history, the way it would have run: the history is
 * replayed in time order through the engine (features computed online, every authorization
 * counted, profiles learned from approvals), each label becomes known `labelDelayMs` after its
 * payment, the model is trained on the training window with the labels known when the test window
 * opens, and it scores the test window. Two baselines (logistic regression and a random forest) are
 * trained on the same rows and features, and the default ruleset's own 0–100 score is ranked too,
 * alone and as one more input of the boosted model, so every comparison comes from one run.
 */
import {
  averagePrecision,
  cardPrecisionAtK,
  compileForest,
  compileLogistic,
  compileModel,
  type Dataset,
  rocAuc,
  type Scorer,
  type TrainingFailure,
  trainForest,
  trainLogistic,
} from "@mimamori/ml";
import { assert } from "../platform/assert.ts";
import type { ReplayRow } from "../replay/index.ts";
import type { LoadedRuleset } from "../scoring/index.ts";
import { type ReplayCounts, replayHistory, ruleScoreColumn } from "./history-replay.ts";
import { modelFeatureNames } from "./model-features.ts";
import { positiveWeightOf, trainBoostedModel } from "./model-training.ts";
import type { RowTable } from "./row-table.ts";

export type EvaluationOptions = {
  readonly ruleset: LoadedRuleset;
  /** The training window, [from, to) in epoch ms. */
  readonly trainFromMs: number;
  readonly trainToMs: number;
  /** The test window, [from, to) in epoch ms; it starts at or after the training window's end. */
  readonly testFromMs: number;
  readonly testToMs: number;
  /** How long after its payment a label becomes known. */
  readonly labelDelayMs: number;
  /** Seeds every trainer, so one seed gives one report. */
  readonly seed: number;
};

/** The four trainings, in the order they run. */
export type TrainingStage = "model" | "rulesAndModel" | "logisticRegression" | "randomForest";

/** Reported as each training goes, so a command line can draw a bar: trees, or steps. */
export type EvaluationProgress = {
  readonly stage: TrainingStage;
  readonly done: number;
  readonly total: number;
};

export type RankingMetrics = {
  /** Null when the test window has one class only. */
  readonly auc: number | null;
  /** Null when the test window has no fraud. */
  readonly averagePrecision: number | null;
  readonly cardPrecisionAt100: number | null;
};

export type WindowSummary = {
  readonly transactions: number;
  readonly frauds: number;
  readonly fromMs: number;
  readonly toMs: number;
};

export type EvaluationReport = {
  /** The boosted trees on the model's features. */
  readonly model: RankingMetrics;
  readonly baselines: { readonly logisticRegression: RankingMetrics; readonly randomForest: RankingMetrics };
  /** The ruleset's 0–100 score as the ranking. */
  readonly rules: RankingMetrics;
  /** The boosted trees with the ruleset's score as one more input. */
  readonly rulesAndModel: RankingMetrics;
  /** Labelled rows trained on: in the training window, with the label known when the test opens. */
  readonly train: WindowSummary;
  /** Labelled rows scored. */
  readonly test: WindowSummary & {
    /**
     * The card precision@100 of a perfect ranking (each day's fraud cards first): the ceiling of
     * every row's card precision, below 1 on days with fewer than 100 new fraud cards.
     */
    readonly cardPrecisionAt100Max: number | null;
  };
  /** Rows read before the test window's end; rows out of time order are skipped, unlabelled ones only counted. */
  readonly rows: ReplayCounts;
  readonly seed: number;
  /** Trees the boosted model kept after early stopping, for the reader of the report. */
  readonly modelTrees: number;
};

export type EvaluationResult =
  | { ok: true; report: EvaluationReport }
  | { ok: false; code: "invalid_window" | "single_class" | "label_ledger_full"; message: string };

/** The ruleset's score as the last column of the rules-and-model vector. */
export const ruleScoreFeatureName = "rules.score";

/**
 * Replays `rows` (in time order; a row earlier than the one before is skipped) and reports the
 * metrics of the model, the baselines and the ruleset on the test window. Rows after the test
 * window are not read. Deterministic for the same rows and options.
 */
export async function evaluateHistory(
  rows: AsyncIterable<ReplayRow> | Iterable<ReplayRow>,
  options: EvaluationOptions,
  onProgress?: (progress: EvaluationProgress) => void,
): Promise<EvaluationResult> {
  const windowProblem = findWindowProblem(options);
  if (windowProblem !== null) {
    return { ok: false, code: "invalid_window", message: windowProblem };
  }
  const { trainFromMs, trainToMs, testFromMs, testToMs } = options;
  // A training row counts only if its label is known when the test opens; every test row is scored.
  const replayed = await replayHistory(rows, {
    ruleset: options.ruleset,
    labelDelayMs: options.labelDelayMs,
    windows: {
      train: { fromMs: trainFromMs, toMs: trainToMs, labelKnownByMs: testFromMs },
      test: { fromMs: testFromMs, toMs: testToMs, labelKnownByMs: null },
    },
  });
  if (!replayed.ok) {
    return replayed;
  }
  const { tables, counts } = replayed;
  const { train, test } = tables;
  if (train.rows === 0 || test.rows === 0) {
    const which =
      train.rows === 0
        ? "training window has no labelled row known by the test's start"
        : "test window has no labelled row";
    return { ok: false, code: "invalid_window", message: `the ${which}` };
  }
  const trainFrauds = train.fraudCount();
  if (trainFrauds === 0 || trainFrauds === train.rows) {
    return {
      ok: false,
      code: "single_class",
      message: `the training window has ${trainFrauds} fraud rows of ${train.rows}; both classes are needed`,
    };
  }
  const trained = trainAll(train, positiveWeightOf(train.rows, trainFrauds), options.seed, onProgress);
  if (!trained.ok) {
    return trained;
  }
  const { scorers, modelTrees } = trained;
  const metricsOf = (scorer: Scorer): RankingMetrics => rankingMetrics(scoreRows(scorer, test), test);
  return {
    ok: true,
    report: {
      model: metricsOf(scorers.model),
      baselines: {
        logisticRegression: metricsOf(scorers.logisticRegression),
        randomForest: metricsOf(scorers.randomForest),
      },
      rules: rankingMetrics(test.column(ruleScoreColumn), test),
      rulesAndModel: metricsOf(scorers.rulesAndModel),
      train: {
        transactions: train.rows,
        frauds: trainFrauds,
        fromMs: options.trainFromMs,
        toMs: options.trainToMs,
      },
      test: {
        transactions: test.rows,
        frauds: test.fraudCount(),
        fromMs: options.testFromMs,
        toMs: options.testToMs,
        cardPrecisionAt100Max: rankingMetrics(Float64Array.from(test.labels), test).cardPrecisionAt100,
      },
      rows: counts,
      seed: options.seed,
      modelTrees,
    },
  };
}

function findWindowProblem(options: EvaluationOptions): string | null {
  const { trainFromMs, trainToMs, testFromMs, testToMs, labelDelayMs, seed } = options;
  for (const value of [trainFromMs, trainToMs, testFromMs, testToMs, labelDelayMs, seed]) {
    assert(Number.isSafeInteger(value), "windows, delay and seed are parsed to whole numbers at the edge");
  }
  assert(labelDelayMs >= 0, "a label is never known before its payment");
  if (trainFromMs >= trainToMs) {
    return "the training window is empty: it must end after it starts";
  }
  if (testFromMs >= testToMs) {
    return "the test window is empty: it must end after it starts";
  }
  if (trainToMs > testFromMs) {
    return "the training window must end before the test window starts";
  }
  if (trainFromMs + labelDelayMs > testFromMs) {
    return "no training label is known by the test's start: the label delay is longer than the gap allows";
  }
  return null;
}

type Trained =
  | {
      ok: true;
      scorers: Record<TrainingStage, Scorer>;
      modelTrees: number;
    }
  | { ok: false; code: "invalid_window" | "single_class"; message: string };

/**
 * Trains the four models. The boosted ones learn as `mimamori train` does (trainBoostedModel); the
 * baselines, which have no early stopping, learn on every training row with the same class weight.
 */
function trainAll(
  train: RowTable,
  positiveWeight: number,
  seed: number,
  onProgress: ((progress: EvaluationProgress) => void) | undefined,
): Trained {
  const modelOnly = train.dataset(modelFeatureNames);
  const boost = (stage: "model" | "rulesAndModel", data: Dataset) =>
    trainBoostedModel(data, seed, (progress) => onProgress?.({ stage, ...progress }));
  const model = boost("model", modelOnly);
  if (!model.ok) {
    return model;
  }
  const rulesAndModel = boost("rulesAndModel", train.dataset([...modelFeatureNames, ruleScoreFeatureName]));
  if (!rulesAndModel.ok) {
    return rulesAndModel;
  }
  onProgress?.({ stage: "logisticRegression", done: 0, total: 1 });
  const logistic = trainLogistic(modelOnly, { positiveWeight });
  if (!logistic.ok) {
    return trainingFailure(logistic);
  }
  onProgress?.({ stage: "logisticRegression", done: 1, total: 1 });
  const forest = trainForest(modelOnly, {
    seed,
    positiveWeight,
    onProgress: (progress) =>
      onProgress?.({ stage: "randomForest", done: progress.tree, total: progress.treesMax }),
  });
  if (!forest.ok) {
    return trainingFailure(forest);
  }
  return {
    ok: true,
    scorers: {
      model: compileModel(model.model),
      rulesAndModel: compileModel(rulesAndModel.model),
      logisticRegression: compileLogistic(logistic.model),
      randomForest: compileForest(forest.model),
    },
    modelTrees: model.model.trees.length,
  };
}

/**
 * The checks before training leave only one expected failure, a part of the split with one
 * class; the others would be bugs here.
 */
function trainingFailure(failure: TrainingFailure): Trained {
  assert(
    failure.code === "single_class" || failure.code === "empty_training_set",
    `training refused the evaluation's own data: ${failure.code}: ${failure.message}`,
  );
  return {
    ok: false,
    code: failure.code === "single_class" ? "single_class" : "invalid_window",
    message: failure.message,
  };
}

function scoreRows(scorer: Scorer, table: RowTable): Float64Array {
  const scores = new Float64Array(table.rows);
  for (let r = 0; r < table.rows; r++) {
    scores[r] = scorer.score(table.values, r * table.width);
  }
  return scores;
}

/** Cards an analyst team checks a day, as the card precision@100 (the Fraud Detection Handbook's k). */
const cardsCheckedPerDay = 100;

function rankingMetrics(scores: Float64Array, test: RowTable): RankingMetrics {
  return {
    auc: rocAuc(scores, test.labels),
    averagePrecision: averagePrecision(scores, test.labels),
    cardPrecisionAt100: cardPrecisionAtK(test.cardScoredRows(scores), cardsCheckedPerDay).value,
  };
}
