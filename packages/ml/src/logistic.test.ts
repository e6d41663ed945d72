import assert from "node:assert/strict";
import { test } from "node:test";
import { compileLogistic, type LogisticOptions, trainLogistic } from "./logistic.ts";
import { rocAuc } from "./metrics.ts";
import { createRandom } from "./random.ts";
import { scoreDataset } from "./scorer.ts";
import { randomRow, syntheticDataset } from "./synthetic.ts";

function trainOrFail(...parameters: Parameters<typeof trainLogistic>) {
  const result = trainLogistic(...parameters);
  assert.ok(result.ok, JSON.stringify(result));
  return result.model;
}

test("logistic regression ranks a linear concept (AUC > 0.99) and survives JSON round trip", () => {
  const training = syntheticDataset("linear", { rows: 1000, columns: 4, noise: 0.02, seed: 51 });
  const holdout = syntheticDataset("linear", { rows: 1000, columns: 4, seed: 52 });
  const model = trainOrFail(training);
  const compiled = compileLogistic(model);
  const auc = rocAuc(scoreDataset(compiled, holdout), holdout.labels);
  assert.ok(auc !== null && auc > 0.99, `AUC ${auc}`);
  const reloaded = compileLogistic(JSON.parse(JSON.stringify(model)));
  const random = createRandom(53);
  for (let i = 0; i < 100; i++) {
    const row = randomRow(random, 4);
    assert.equal(reloaded.scoreRaw(row), compiled.scoreRaw(row));
  }
});

test("at the optimum the weighted mean probability equals the weighted fraud rate, balanced or not", () => {
  const training = syntheticDataset("linear", { rows: 800, columns: 4, noise: 0.1, seed: 54 });
  const positives = training.labels.reduce((sum, label) => sum + label, 0);
  for (const [positiveWeight, weight] of [
    [1, 1],
    ["balanced", (training.rows - positives) / positives],
  ] as const) {
    const compiled = compileLogistic(trainOrFail(training, { positiveWeight }));
    const scores = scoreDataset(compiled, training);
    let weightedScore = 0;
    let weightSum = 0;
    scores.forEach((score, r) => {
      const rowWeight = training.labels[r] === 1 ? weight : 1;
      weightedScore += rowWeight * score;
      weightSum += rowWeight;
    });
    // The intercept is not penalized, so its gradient Σ w (p − y) is zero at the optimum.
    assert.ok(Math.abs(weightedScore / weightSum - (weight * positives) / weightSum) < 1e-6);
  }
});

test("contributions plus the intercept sum to the margin, and a missing value contributes nothing", () => {
  const training = syntheticDataset("linear", { rows: 600, columns: 4, noise: 0.1, seed: 55 });
  const model = trainOrFail(training);
  const compiled = compileLogistic(model);
  const random = createRandom(56);
  const out = new Float64Array(4);
  for (let i = 0; i < 100; i++) {
    const row = randomRow(random, 4);
    const bias = compiled.contributions(row, out);
    assert.equal(bias, model.intercept);
    assert.ok(Math.abs(out.reduce((sum, value) => sum + value, bias) - compiled.scoreRaw(row)) < 1e-12);
    row.forEach((value, feature) => {
      if (Number.isNaN(value)) {
        assert.ok(out[feature] === 0, "imputed by the mean, so z = 0");
      }
    });
  }
});

test("a larger lambda shrinks the weights, and a constant or all-missing feature gets weight 0", () => {
  const data = syntheticDataset("linear", { rows: 600, columns: 4, noise: 0.1, seed: 57 });
  const values = Float64Array.from(data.values);
  for (let r = 0; r < data.rows; r++) {
    values[r * 4 + 2] = 7;
    values[r * 4 + 3] = Number.NaN;
  }
  const training = { ...data, values };
  const norm = (options: LogisticOptions) =>
    Math.hypot(...trainOrFail(training, options).weights.map((weight) => Math.abs(weight)));
  assert.ok(norm({ lambda: 100 }) < norm({ lambda: 0.01 }));
  const model = trainOrFail(training);
  assert.equal(model.weights[2], 0);
  assert.equal(model.weights[3], 0);
});

test("invalid logistic options are refused with invalid_option", () => {
  const training = syntheticDataset("linear", { rows: 100, columns: 4, seed: 58 });
  for (const options of [
    { lambda: 0 },
    { positiveWeight: -1 },
    { newtonStepsMax: 0 },
    { newtonStepsMax: 201 },
  ]) {
    const result = trainLogistic(training, options);
    assert.equal(!result.ok && result.code, "invalid_option", JSON.stringify(options));
  }
});
