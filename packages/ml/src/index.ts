/**
 * The fraud model: histogram gradient-boosted trees with per-feature contributions, two
 * baselines (logistic regression and a random forest) and the ranking metrics that compare them.
 * This file is the package's only public surface; everything else is internal.
 */
export type { CompiledModel } from "./compile.ts";
export { compileModel } from "./compile.ts";
export type { Dataset, DatasetProblem, DatasetResult } from "./dataset.ts";
export { createDataset, selectRows } from "./dataset.ts";
export type { CompiledForest, ForestModel, ForestOptions, ForestResult } from "./forest.ts";
export { compileForest, forestDefaults, trainForest } from "./forest.ts";
export type { GbdtModel, GbdtOptions, GbdtProgress, GbdtResult } from "./gbdt.ts";
export { gbdtDefaults, trainGbdt } from "./gbdt.ts";
export { limits } from "./limits.ts";
export type { CompiledLogistic, LogisticModel, LogisticOptions, LogisticResult } from "./logistic.ts";
export { compileLogistic, logisticDefaults, trainLogistic } from "./logistic.ts";
export type { CardScoredRow } from "./metrics.ts";
export { averagePrecision, cardPrecisionAtK, logLoss, rocAuc } from "./metrics.ts";
export type { ParseModelResult } from "./model.ts";
export { parseModel } from "./model.ts";
export type { Random } from "./random.ts";
export { createRandom } from "./random.ts";
export type { FeatureImportance, FeatureRow, Scorer } from "./scorer.ts";
export { scoreDataset } from "./scorer.ts";
export type { PositiveWeight, TrainingFailure } from "./training.ts";
export type { Tree } from "./tree.ts";
