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
  type GbdtOptions,
  rocAuc,
  type Scorer,
  type TrainingFailure,
  trainForest,
  trainGbdt,
  trainLogistic,
} from "@mimamori/ml";
import { limits, time } from "../config/limits.ts";
import { toBaseMinor } from "../money/index.ts";
import { assert } from "../platform/assert.ts";
import type { CardholderId, CardId } from "../platform/ids.ts";
import type { ReplayRow } from "../replay/index.ts";
import {
  type Authorization,
  type CardContext,
  createFeatureState,
  createScoringEngine,
  type FeatureSnapshot,
  type LoadedRuleset,
} from "../scoring/index.ts";
import { createLabelFeatures, createLabelLedger, type LabelLedger } from "./label-ledger.ts";
import { modelFeatureCount, modelFeatureNames, writeModelFeatures } from "./model-features.ts";
import { createRowTable, type RowTable } from "./row-table.ts";

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
  readonly rows: { readonly replayed: number; readonly outOfOrder: number; readonly unlabelled: number };
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
 * Boosting settings for fraud data: a smaller learning rate than the package's default, with row
 * and column sampling, generalizes better from few frauds, and early stopping on the most recent
 * training rows picks the number of trees. The class weight is set per training set (below); a
 * fraud row is then heavy enough to make a leaf of its own, so a leaf must hold 5 of hessian.
 */
const gbdtSettings: GbdtOptions = {
  treesMax: 400,
  learningRate: 0.05,
  depthMax: 6,
  leavesMax: 31,
  childWeightMin: 5,
  rowSampleRate: 0.8,
  columnSampleRate: 0.8,
  earlyStoppingRounds: 40,
};

/**
 * The weight of a fraud row for all three learners: the square root of legitimate rows per fraud
 * (about 11 at the simulator's 0.75 % fraud). Full balance ("balanced", about 130) lets one fraud
 * row decide a leaf, and on a development seed it lowered the boosted model's validation average
 * precision from 0.95 to 0.91; the square root keeps the frauds in view at no such cost.
 */
function positiveWeightOf(rows: number, frauds: number): number {
  return Math.sqrt((rows - frauds) / frauds);
}

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
  const replayed = await replayHistory(rows, options);
  if (!replayed.ok) {
    return replayed;
  }
  const { train, test, counts } = replayed;
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

type Replayed =
  | { ok: true; train: RowTable; test: RowTable; counts: EvaluationReport["rows"] }
  | { ok: false; code: "label_ledger_full"; message: string };

/** A stored row is the model's vector, then the ruleset's score. */
const ruleScoreColumn = modelFeatureCount;
const rowWidth = modelFeatureCount + 1;

/**
 * Feeds every row through the engine and the label ledger, and keeps the vectors of labelled rows
 * in the two windows. A training row is kept only if its label is known when the test opens; with
 * one delay for every label, those are the window's first rows.
 */
async function replayHistory(
  rows: AsyncIterable<ReplayRow> | Iterable<ReplayRow>,
  options: EvaluationOptions,
): Promise<Replayed> {
  const { trainFromMs, trainToMs, testFromMs, testToMs, labelDelayMs } = options;
  const features = createFeatureState();
  const ruleset = options.ruleset;
  const engine = createScoringEngine({ features, rulesets: { active: () => ruleset, shadow: () => null } });
  const ledger = createLabelLedger();
  const cards = new Map<string, CardContext>();
  const train = createRowTable(rowWidth);
  const test = createRowTable(rowWidth);
  const counts = { replayed: 0, outOfOrder: 0, unlabelled: 0 };
  let lastMs = Number.NEGATIVE_INFINITY;
  for await (const row of rows) {
    const nowMs = row.occurredAtMs;
    if (nowMs < lastMs) {
      counts.outOfOrder += 1;
      continue;
    }
    if (nowMs >= testToMs) {
      break;
    }
    lastMs = nowMs;
    const card = cardContextOf(cards, row);
    const authorization = authorizationOf(row, card.cardId);
    // As production does: every authorization counts in the windows, and approvals teach the profile.
    const { decision, snapshot } = engine.score(authorization, card);
    if (decision.outcome === "approve") {
      features.learn(authorization, card);
    }
    counts.replayed += 1;
    if (row.label === null) {
      counts.unlabelled += 1;
      continue;
    }
    ledger.reveal(nowMs);
    const isTraining = nowMs >= trainFromMs && nowMs < trainToMs && nowMs + labelDelayMs <= testFromMs;
    const table = isTraining ? train : nowMs >= testFromMs ? test : null;
    if (table !== null) {
      keepRow(table, { row, isFraud: row.label, authorization, snapshot, ruleScore: decision.score }, ledger);
    }
    const added = ledger.add({
      authorizationKey: row.id,
      cardId: card.cardId,
      merchantId: authorization.merchant.id,
      terminalId: authorization.merchant.terminalId,
      isFraud: row.label,
      occurredAtMs: nowMs,
      knownAtMs: nowMs + labelDelayMs,
    });
    if (!added.ok) {
      return added;
    }
  }
  return { ok: true, train, test, counts };
}

/** One scored, labelled row of a window. */
type ScoredRow = {
  readonly row: ReplayRow;
  readonly isFraud: boolean;
  readonly authorization: Authorization;
  readonly snapshot: FeatureSnapshot;
  readonly ruleScore: number;
};

/** Scratch for the label features of the row being kept; rows are kept one at a time. */
const labelFeatures = createLabelFeatures();

/**
 * Stores a row's vector, with the label features as they were at its decision, its rule score,
 * and what card precision needs: its local day and whether its card was known compromised when
 * that day began.
 */
function keepRow(table: RowTable, scored: ScoredRow, ledger: LabelLedger): void {
  const { row, authorization, snapshot } = scored;
  const { cardId, merchant, occurredAtMs } = authorization;
  ledger.featuresAt(occurredAtMs, cardId, merchant.id, merchant.terminalId, labelFeatures);
  const day = localDayOf(occurredAtMs, row.occurredAtOffsetMinutes);
  const compromiseKnownAtMs = ledger.compromiseKnownAtMs(cardId);
  const offset = table.append({
    isFraud: scored.isFraud,
    cardId,
    day: day.key,
    isKnownCompromised: compromiseKnownAtMs !== null && compromiseKnownAtMs <= day.startMs,
  });
  writeModelFeatures(snapshot, labelFeatures, table.values, offset);
  table.values[offset + ruleScoreColumn] = scored.ruleScore;
}

/** Cards are enrolled on first sight: the history is all the engine knows of them. */
function cardContextOf(cards: Map<string, CardContext>, row: ReplayRow): CardContext {
  let card = cards.get(row.cardRef);
  if (card === undefined) {
    card = {
      cardId: row.cardRef as CardId,
      cardholderId: row.cardRef as CardholderId,
      state: "active",
      homeCountry: row.homeCountry,
      timeZone: row.timeZone,
      createdAtMs: row.occurredAtMs,
      allowWindow: null,
    };
    cards.set(row.cardRef, card);
  }
  return card;
}

function authorizationOf(row: ReplayRow, cardId: CardId): Authorization {
  return {
    externalId: row.id,
    cardId,
    amountMinor: row.amountMinor,
    currency: row.currency,
    amountBaseMinor: toBaseMinor(row.amountMinor, row.currency),
    merchant: row.merchant,
    channel: row.channel,
    occurredAtMs: row.occurredAtMs,
    occurredAtOffsetMinutes: row.occurredAtOffsetMinutes,
    device: row.device,
  };
}

/** The calendar day of the payment where it happened (its own UTC offset), and when that day began. */
function localDayOf(occurredAtMs: number, offsetMinutes: number): { key: string; startMs: number } {
  const offsetMs = offsetMinutes * time.minuteMs;
  const localDayStartMs = Math.floor((occurredAtMs + offsetMs) / time.dayMs) * time.dayMs;
  return { key: new Date(localDayStartMs).toISOString().slice(0, 10), startMs: localDayStartMs - offsetMs };
}

type Trained =
  | {
      ok: true;
      scorers: Record<TrainingStage, Scorer>;
      modelTrees: number;
    }
  | { ok: false; code: "invalid_window" | "single_class"; message: string };

/**
 * Trains the four models. The boosted ones learn on the earlier training rows and stop early on
 * the latest `limits.modelValidationShare` of them, by time; the baselines, which have no early
 * stopping, learn on every training row.
 */
function trainAll(
  train: RowTable,
  positiveWeight: number,
  seed: number,
  onProgress: ((progress: EvaluationProgress) => void) | undefined,
): Trained {
  const withRules = train.dataset([...modelFeatureNames, ruleScoreFeatureName]);
  const modelOnly = train.dataset(modelFeatureNames);
  const validationRows = Math.max(1, Math.round(train.rows * limits.modelValidationShare));
  const boost = (data: Dataset, stage: TrainingStage) => {
    const [fit, validation] = splitRows(data, data.rows - validationRows);
    return trainGbdt(fit, {
      ...gbdtSettings,
      positiveWeight,
      validation,
      seed,
      onProgress: (progress) => onProgress?.({ stage, done: progress.tree, total: progress.treesMax }),
    });
  };
  const model = boost(modelOnly, "model");
  if (!model.ok) {
    return trainingFailure(model);
  }
  const rulesAndModel = boost(withRules, "rulesAndModel");
  if (!rulesAndModel.ok) {
    return trainingFailure(rulesAndModel);
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

/** The rows before `at` and from `at` on, as views: training rows are in time order. */
function splitRows(data: Dataset, at: number): [Dataset, Dataset] {
  assert(at > 0 && at < data.rows, "both parts of a split have rows");
  const cut = at * data.columns;
  return [
    { ...data, rows: at, values: data.values.subarray(0, cut), labels: data.labels.subarray(0, at) },
    {
      ...data,
      rows: data.rows - at,
      values: data.values.subarray(cut),
      labels: data.labels.subarray(at),
    },
  ];
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
