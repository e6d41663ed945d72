/**
 * The fraud model inside the server: the model's feature vector, the label ledger that lets a
 * feature see a label only after it became known, the evaluation that replays a labelled
 * history and compares the model with its baselines and the ruleset, and the training that turns a
 * history into a model artifact, and the registry that keeps uploaded models in the store and
 * serves the active and shadow ones. Only the registry does I/O, through the store's port.
 */

export { type ModelArtifact, type ParseArtifactResult, parseModelArtifact } from "./artifact.ts";
export {
  type EvaluationOptions,
  type EvaluationProgress,
  type EvaluationReport,
  type EvaluationResult,
  evaluateHistory,
  type RankingMetrics,
  ruleScoreFeatureName,
  type TrainingStage,
  type WindowSummary,
} from "./evaluation.ts";
export {
  type AddLabelResult,
  createLabelFeatures,
  createLabelLedger,
  type Label,
  type LabelFeatureName,
  type LabelFeatures,
  type LabelLedger,
  type LabelLedgerBounds,
  labelFeatureNames,
} from "./label-ledger.ts";
export { modelFeatureCount, modelFeatureNames, writeModelFeatures } from "./model-features.ts";
export {
  createModelArtifact,
  type ModelTrainingOptions,
  type ModelTrainingResult,
  type TrainingResult,
  type TreeProgress,
  trainModelOnHistory,
  type ValidationSummary,
} from "./model-training.ts";
export { createModelPromotions, type ModelPromotions } from "./promotion.ts";
export {
  type RecordedRowCounts,
  type RecordedTrainingOptions,
  type RecordedTrainingResult,
  trainModelOnRecords,
} from "./recorded-training.ts";
export {
  type AbsorbModelResult,
  loadModelRegistry,
  type ModelRegistry,
  type ModelRegistryDeps,
  type ModelState,
  type ModelView,
  type PromoteModelResult,
  type RetireModelResult,
  type UploadModelResult,
} from "./registry.ts";
export { createServingModel } from "./serving.ts";
