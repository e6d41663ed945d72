import { type Dataset, findDatasetProblem } from "./dataset.ts";

/** Why training refused to start: expected outcomes of bad input, returned rather than thrown. */
export type TrainingFailure = {
  ok: false;
  code: "empty_training_set" | "single_class" | "invalid_option" | "column_mismatch" | "invalid_dataset";
  message: string;
};

/**
 * How much a fraud row weighs against a legitimate one: a number, or "balanced" for
 * negatives / positives, which gives both classes the same total weight.
 */
export type PositiveWeight = number | "balanced";

/** Checks the training set and, when given, the validation set that must match its columns. */
export function checkTrainingData(
  training: Dataset,
  validation: Dataset | undefined,
): TrainingFailure | null {
  const problem = findDatasetProblem(training);
  if (problem !== null) {
    return { ok: false, ...problem };
  }
  if (training.rows === 0) {
    return { ok: false, code: "empty_training_set", message: "the training set has no rows" };
  }
  const positives = countPositives(training);
  if (positives === 0 || positives === training.rows) {
    return {
      ok: false,
      code: "single_class",
      message: `the training set has ${positives} fraud rows of ${training.rows}; both classes are needed`,
    };
  }
  if (validation === undefined) {
    return null;
  }
  if (validation.rows === 0) {
    return { ok: false, code: "invalid_dataset", message: "the validation set has no rows" };
  }
  const validationProblem = findDatasetProblem(validation);
  if (validationProblem !== null) {
    return {
      ok: false,
      code: validationProblem.code,
      message: `validation set: ${validationProblem.message}`,
    };
  }
  const isSameColumns =
    validation.columns === training.columns &&
    validation.featureNames.every((name, column) => name === training.featureNames[column]);
  if (!isSameColumns) {
    return {
      ok: false,
      code: "column_mismatch",
      message: "the validation set's features differ from the training set's",
    };
  }
  return null;
}

function countPositives(dataset: Dataset): number {
  let positives = 0;
  for (const label of dataset.labels) {
    positives += label;
  }
  return positives;
}

/** The weight of a fraud row; legitimate rows weigh 1. */
export function resolvePositiveWeight(dataset: Dataset, positiveWeight: PositiveWeight): number {
  if (positiveWeight !== "balanced") {
    return positiveWeight;
  }
  const positives = countPositives(dataset);
  return (dataset.rows - positives) / positives;
}

/*
 * Checks of one option each: an integer or a finite number in [min, max], or a finite number in
 * (0, max]. Each returns the failure to report, or null when the value is fine.
 */

export function checkInteger(name: string, value: number, min: number, max: number): TrainingFailure | null {
  return Number.isInteger(value) && value >= min && value <= max
    ? null
    : invalidOption(`${name} must be an integer in [${min}, ${max}], found ${value}`);
}

export function checkNumber(name: string, value: number, min: number, max: number): TrainingFailure | null {
  return Number.isFinite(value) && value >= min && value <= max
    ? null
    : invalidOption(`${name} must be a number in [${min}, ${max}], found ${value}`);
}

export function checkPositive(name: string, value: number, max = Number.MAX_VALUE): TrainingFailure | null {
  return Number.isFinite(value) && value > 0 && value <= max
    ? null
    : invalidOption(`${name} must be a number in (0, ${max}], found ${value}`);
}

export function checkPositiveWeight(value: PositiveWeight): TrainingFailure | null {
  return value === "balanced" ? null : checkPositive("positiveWeight", value);
}

export function checkSeed(value: number): TrainingFailure | null {
  return Number.isSafeInteger(value) ? null : invalidOption(`seed must be a safe integer, found ${value}`);
}

function invalidOption(message: string): TrainingFailure {
  return { ok: false, code: "invalid_option", message };
}

/** The first failure among option checks, or null when every option is fine. */
export function firstFailure(checks: readonly (TrainingFailure | null)[]): TrainingFailure | null {
  return checks.find((check) => check !== null) ?? null;
}

/** Log-odds of the weighted fraud rate: the score before any tree or feature speaks. */
export function priorLogOdds(dataset: Dataset, positiveWeight: number): number {
  const positives = countPositives(dataset);
  return Math.log((positiveWeight * positives) / (dataset.rows - positives));
}
