import { assert } from "./assert.ts";
import type { Dataset } from "./dataset.ts";
import { limits } from "./limits.ts";
import type { FeatureRow, Scorer } from "./scorer.ts";
import { sigmoid } from "./sigmoid.ts";
import {
  checkInteger,
  checkPositive,
  checkPositiveWeight,
  checkTrainingData,
  firstFailure,
  type PositiveWeight,
  priorLogOdds,
  resolvePositiveWeight,
  type TrainingFailure,
} from "./training.ts";

/**
 * A trained logistic regression on standardized features: margin = intercept + Σ wⱼ zⱼ with
 * zⱼ = (xⱼ − meanⱼ) / scaleⱼ, and a missing value imputed by its mean (zⱼ = 0).
 */
export type LogisticModel = {
  readonly format: "mimamori-logistic";
  readonly formatVersion: 1;
  readonly featureNames: readonly string[];
  readonly means: readonly number[];
  readonly scales: readonly number[];
  readonly weights: readonly number[];
  readonly intercept: number;
};

export type LogisticOptions = {
  /** L2 penalty on the weights (not the intercept), against the summed row loss. Default 1. */
  readonly lambda?: number;
  /** Weight of a fraud row against a legitimate one. Default 1. */
  readonly positiveWeight?: PositiveWeight;
  /** Newton steps, at most. Default 50. */
  readonly newtonStepsMax?: number;
};

export const logisticDefaults: Readonly<Required<LogisticOptions>> = {
  lambda: 1,
  positiveWeight: 1,
  newtonStepsMax: 50,
};

export type LogisticResult = { ok: true; model: LogisticModel } | TrainingFailure;

/**
 * Trains the linear baseline by Newton's method with a backtracking line search: the penalized
 * logistic loss is strictly convex, so Newton converges in a handful of deterministic steps, and
 * with tens of features the (columns + 1)² Hessian is cheap to solve.
 */
export function trainLogistic(training: Dataset, options: LogisticOptions = {}): LogisticResult {
  const settings = { ...logisticDefaults, ...options };
  const failure =
    checkTrainingData(training, undefined) ??
    firstFailure([
      // A positive penalty keeps the Hessian positive definite even on separable data.
      checkPositive("lambda", settings.lambda),
      checkPositiveWeight(settings.positiveWeight),
      checkInteger("newtonStepsMax", settings.newtonStepsMax, 1, limits.newtonStepsMax),
    ]);
  if (failure !== null) {
    return failure;
  }
  const { rows, columns, labels } = training;
  const { means, scales } = standardization(training);
  const standardized = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    standardizeRow(training.values, r * columns, means, scales, standardized, r * columns);
  }
  const positiveWeight = resolvePositiveWeight(training, settings.positiveWeight);
  const rowWeights = Float64Array.from(labels, (label) => (label === 1 ? positiveWeight : 1));
  const weightSum = rowWeights.reduce((sum, weight) => sum + weight, 0);
  const problem = { standardized, columns, labels, rowWeights, lambda: settings.lambda };
  // Parameters: the weights, then the intercept, which starts at the prior so step one is short.
  let parameters: Float64Array = new Float64Array(columns + 1);
  parameters[columns] = priorLogOdds(training, positiveWeight);
  let objective = objectiveOf(problem, parameters);
  for (let step = 0; step < settings.newtonStepsMax; step++) {
    const { gradient, hessian } = derivativesOf(problem, parameters);
    const direction = solveSymmetric(hessian, gradient, columns + 1);
    const decrement = direction.reduce((sum, value, i) => sum + value * (gradient[i] ?? 0), 0) / 2;
    if (decrement <= limits.newtonDecrementRelativeMin * weightSum) {
      break;
    }
    const next = lineSearch(problem, parameters, direction, objective);
    if (next === null) {
      break;
    }
    parameters = next.parameters;
    objective = next.objective;
  }
  return {
    ok: true,
    model: {
      format: "mimamori-logistic",
      formatVersion: 1,
      featureNames: [...training.featureNames],
      means,
      scales,
      weights: [...parameters.subarray(0, columns)],
      intercept: parameters[columns] ?? 0,
    },
  };
}

type Problem = {
  readonly standardized: Float64Array;
  readonly columns: number;
  readonly labels: Uint8Array;
  readonly rowWeights: Float64Array;
  readonly lambda: number;
};

function marginOf(problem: Problem, parameters: Float64Array, row: number): number {
  const { standardized, columns } = problem;
  let margin = parameters[columns] ?? 0;
  for (let c = 0; c < columns; c++) {
    margin += (parameters[c] ?? 0) * (standardized[row * columns + c] ?? 0);
  }
  return margin;
}

/**
 * The first of the steps 1, ½, ¼, … along −direction that lowers the objective, or null when none
 * does (the optimum is reached to float precision).
 */
function lineSearch(
  problem: Problem,
  parameters: Float64Array,
  direction: Float64Array,
  objective: number,
): { parameters: Float64Array; objective: number } | null {
  let stepSize = 1;
  for (let halving = 0; halving <= limits.stepHalvingsMax; halving++) {
    const candidate = parameters.map((value, i) => value - stepSize * (direction[i] ?? 0));
    const candidateObjective = objectiveOf(problem, candidate);
    if (candidateObjective < objective) {
      return { parameters: candidate, objective: candidateObjective };
    }
    stepSize /= 2;
  }
  return null;
}

/** The weighted logistic loss plus the L2 penalty, computed without overflow for any margin. */
function objectiveOf(problem: Problem, parameters: Float64Array): number {
  const { columns, labels, rowWeights, lambda } = problem;
  let objective = 0;
  for (let r = 0; r < labels.length; r++) {
    const margin = marginOf(problem, parameters, r);
    // log(1 + e^m) − y·m, the negative log-likelihood in the margin.
    const softplus = Math.max(margin, 0) + Math.log1p(Math.exp(-Math.abs(margin)));
    objective += (rowWeights[r] ?? 0) * (softplus - (labels[r] ?? 0) * margin);
  }
  for (let c = 0; c < columns; c++) {
    objective += (lambda / 2) * (parameters[c] ?? 0) ** 2;
  }
  return objective;
}

function derivativesOf(problem: Problem, parameters: Float64Array) {
  const { standardized, columns, labels, rowWeights, lambda } = problem;
  const size = columns + 1;
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const features = new Float64Array(size);
  features[columns] = 1;
  for (let r = 0; r < labels.length; r++) {
    features.set(standardized.subarray(r * columns, (r + 1) * columns));
    const probability = sigmoid(marginOf(problem, parameters, r));
    const weight = rowWeights[r] ?? 0;
    const residual = weight * (probability - (labels[r] ?? 0));
    const curvature = weight * probability * (1 - probability);
    for (let i = 0; i < size; i++) {
      const feature = features[i] ?? 0;
      gradient[i] = (gradient[i] ?? 0) + residual * feature;
      // The Hessian is symmetric and the solver reads only its lower triangle.
      for (let j = 0; j <= i; j++) {
        hessian[i * size + j] = (hessian[i * size + j] ?? 0) + curvature * feature * (features[j] ?? 0);
      }
    }
  }
  for (let c = 0; c < columns; c++) {
    gradient[c] = (gradient[c] ?? 0) + lambda * (parameters[c] ?? 0);
    hessian[c * size + c] = (hessian[c * size + c] ?? 0) + lambda;
  }
  return { gradient, hessian };
}

/**
 * Solves A x = b for a symmetric positive definite A (size × size, row-major, only the lower
 * triangle read) by Cholesky factorization. The penalized logistic Hessian is positive definite, so a failed factorization
 * is a bug.
 */
function solveSymmetric(matrix: Float64Array, vector: Float64Array, size: number): Float64Array {
  const lower = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * size + j] ?? 0;
      for (let k = 0; k < j; k++) {
        sum -= (lower[i * size + k] ?? 0) * (lower[j * size + k] ?? 0);
      }
      if (i === j) {
        assert(sum > 0, "the Hessian is positive definite");
        lower[i * size + i] = Math.sqrt(sum);
      } else {
        lower[i * size + j] = sum / (lower[j * size + j] ?? 1);
      }
    }
  }
  // Forward substitution L y = b, then back substitution Lᵀ x = y.
  const solution = Float64Array.from(vector);
  for (let i = 0; i < size; i++) {
    let sum = solution[i] ?? 0;
    for (let k = 0; k < i; k++) {
      sum -= (lower[i * size + k] ?? 0) * (solution[k] ?? 0);
    }
    solution[i] = sum / (lower[i * size + i] ?? 1);
  }
  for (let i = size - 1; i >= 0; i--) {
    let sum = solution[i] ?? 0;
    for (let k = i + 1; k < size; k++) {
      sum -= (lower[k * size + i] ?? 0) * (solution[k] ?? 0);
    }
    solution[i] = sum / (lower[i * size + i] ?? 1);
  }
  return solution;
}

/** Each feature's mean and standard deviation over its present training values. */
function standardization(dataset: Dataset): { means: number[]; scales: number[] } {
  const { rows, columns, values } = dataset;
  const means: number[] = [];
  const scales: number[] = [];
  for (let c = 0; c < columns; c++) {
    let count = 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const value = values[r * columns + c] ?? 0;
      if (!Number.isNaN(value)) {
        count++;
        sum += value;
      }
    }
    const mean = count === 0 ? 0 : sum / count;
    let squares = 0;
    for (let r = 0; r < rows; r++) {
      const value = values[r * columns + c] ?? 0;
      if (!Number.isNaN(value)) {
        squares += (value - mean) ** 2;
      }
    }
    const deviation = count === 0 ? 0 : Math.sqrt(squares / count);
    means.push(mean);
    // A constant feature carries no information; a scale of 1 keeps its z at 0 without dividing by 0.
    scales.push(deviation > 0 ? deviation : 1);
  }
  return { means, scales };
}

/** Writes the standardized row of `values` at `offset` into `out` at `outOffset`; missing → 0. */
function standardizeRow(
  values: FeatureRow,
  offset: number,
  means: readonly number[],
  scales: readonly number[],
  out: Float64Array,
  outOffset: number,
): void {
  for (let c = 0; c < means.length; c++) {
    const value = values[offset + c] ?? 0;
    out[outOffset + c] = Number.isNaN(value) ? 0 : (value - (means[c] ?? 0)) / (scales[c] ?? 1);
  }
}

/** A logistic model ready to serve. */
export type CompiledLogistic = Scorer & {
  scoreRaw(values: FeatureRow, offset?: number): number;
  /** Writes wⱼ zⱼ per feature into `out` and returns the intercept; they sum to `scoreRaw`. */
  contributions(values: FeatureRow, out: Float64Array, offset?: number): number;
};

export function compileLogistic(model: LogisticModel): CompiledLogistic {
  const { featureNames, means, scales, weights, intercept } = model;
  const columns = featureNames.length;
  const contributions = (values: FeatureRow, out: Float64Array, offset = 0): number => {
    assert(out.length === columns, "one contribution slot per feature");
    standardizeRow(values, offset, means, scales, out, 0);
    for (let c = 0; c < columns; c++) {
      out[c] = (out[c] ?? 0) * (weights[c] ?? 0);
    }
    return intercept;
  };
  // Folding the standardization into the weights lets scoring skip the per-feature division.
  const slopes = Float64Array.from(weights, (weight, c) => weight / (scales[c] ?? 1));
  const scoreRaw = (values: FeatureRow, offset = 0): number => {
    let margin = intercept;
    for (let c = 0; c < columns; c++) {
      const value = values[offset + c] ?? 0;
      margin += Number.isNaN(value) ? 0 : (slopes[c] ?? 0) * (value - (means[c] ?? 0));
    }
    return margin;
  };
  return {
    featureNames,
    scoreRaw,
    score: (values, offset = 0) => sigmoid(scoreRaw(values, offset)),
    contributions,
  };
}
