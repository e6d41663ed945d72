import assert from "node:assert/strict";
import { test } from "node:test";
import { compileForest, type ForestOptions, trainForest } from "./forest.ts";
import { rocAuc } from "./metrics.ts";
import { createRandom } from "./random.ts";
import { scoreDataset } from "./scorer.ts";
import { randomRow, syntheticDataset } from "./synthetic.ts";

const options: ForestOptions = { treesMax: 15, depthMax: 8, seed: 3 };

function trainOrFail(...parameters: Parameters<typeof trainForest>) {
  const result = trainForest(...parameters);
  assert.ok(result.ok, JSON.stringify(result));
  return result.model;
}

test("a random forest learns an interaction (XOR AUC > 0.95) and scores probabilities", () => {
  const training = syntheticDataset("xor", { rows: 1200, columns: 4, seed: 41 });
  const holdout = syntheticDataset("xor", { rows: 800, columns: 4, seed: 42 });
  // Two of four columns per split, so each split may see both signal columns.
  const model = trainOrFail(training, { ...options, columnsPerSplit: 2 });
  const scores = scoreDataset(compileForest(model), holdout);
  assert.ok(scores.every((score) => score >= 0 && score <= 1));
  const auc = rocAuc(scores, holdout.labels);
  assert.ok(auc !== null && auc > 0.95, `AUC ${auc}`);
});

test("forest training is deterministic for a seed and the model survives JSON round trip", () => {
  const training = syntheticDataset("linear", { rows: 500, columns: 5, noise: 0.1, seed: 43 });
  const model = trainOrFail(training, options);
  assert.deepEqual(trainOrFail(training, options), model);
  assert.notDeepEqual(trainOrFail(training, { ...options, seed: 4 }), model);
  const original = compileForest(model);
  const reloaded = compileForest(JSON.parse(JSON.stringify(model)));
  const random = createRandom(44);
  for (let i = 0; i < 100; i++) {
    const row = randomRow(random, 5);
    assert.equal(reloaded.score(row), original.score(row));
  }
});

test("forest contributions plus the bias sum to the score, the bias being the mean training fraud rate", () => {
  const training = syntheticDataset("linear", { rows: 500, columns: 5, noise: 0.1, seed: 45 });
  const compiled = compileForest(trainOrFail(training, options));
  const random = createRandom(46);
  const out = new Float64Array(5);
  const fraudRate = training.labels.reduce((sum, label) => sum + label, 0) / training.rows;
  for (let i = 0; i < 100; i++) {
    const row = randomRow(random, 5);
    const bias = compiled.contributions(row, out);
    assert.ok(Math.abs(out.reduce((sum, value) => sum + value, bias) - compiled.score(row)) < 1e-12);
    assert.ok(Math.abs(bias - fraudRate) < 0.05, `bias ${bias}, fraud rate ${fraudRate}`);
  }
  assert.deepEqual(
    compiled
      .featureImportance()
      .slice(0, 2)
      .map((item) => item.featureName)
      .sort(),
    ["x0", "x1"],
  );
});

test("forest trees stop at depthMax", () => {
  const training = syntheticDataset("xor", { rows: 600, columns: 4, noise: 0.3, seed: 47 });
  const model = trainOrFail(training, { ...options, depthMax: 3 });
  for (const tree of model.trees) {
    assert.ok(tree.feature.filter((feature) => feature < 0).length <= 8);
  }
});

test("invalid forest options are refused with invalid_option", () => {
  const training = syntheticDataset("linear", { rows: 100, columns: 4, seed: 48 });
  const invalid: ForestOptions[] = [
    { treesMax: 0 },
    { depthMax: 17 },
    { leafWeightMin: 0 },
    { columnsPerSplit: 0 },
    { columnsPerSplit: 5 },
    { binsMax: 300 },
    { positiveWeight: 0 },
    { seed: Number.NaN },
  ];
  for (const invalidOptions of invalid) {
    const result = trainForest(training, invalidOptions);
    assert.equal(!result.ok && result.code, "invalid_option", JSON.stringify(invalidOptions));
  }
});
