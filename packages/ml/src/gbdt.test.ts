import assert from "node:assert/strict";
import { test } from "node:test";
import { compileModel } from "./compile.ts";
import { selectRows } from "./dataset.ts";
import { type GbdtModel, type GbdtOptions, type GbdtProgress, trainGbdt } from "./gbdt.ts";
import { compileLogistic, trainLogistic } from "./logistic.ts";
import { rocAuc } from "./metrics.ts";
import { scoreDataset } from "./scorer.ts";
import { syntheticDataset } from "./synthetic.ts";
import type { Tree } from "./tree.ts";

function trainOrFail(...parameters: Parameters<typeof trainGbdt>): GbdtModel {
  const result = trainGbdt(...parameters);
  assert.ok(result.ok, JSON.stringify(result));
  return result.model;
}

function depthOf(tree: Tree, node = 0): number {
  const feature = tree.feature[node] ?? -1;
  return feature < 0
    ? 0
    : 1 + Math.max(depthOf(tree, tree.left[node] ?? 0), depthOf(tree, tree.right[node] ?? 0));
}

const small: GbdtOptions = { treesMax: 40, depthMax: 3, learningRate: 0.3 };

test("a model trained on a separable synthetic dataset ranks positives above negatives (AUC > 0.99)", () => {
  const training = syntheticDataset("linear", { rows: 1500, seed: 1 });
  const holdout = syntheticDataset("linear", { rows: 1000, seed: 2 });
  const model = trainOrFail(training, small);
  const auc = rocAuc(scoreDataset(compileModel(model), holdout), holdout.labels);
  assert.ok(auc !== null && auc > 0.99, `AUC ${auc}`);
});

test("GBDT beats logistic regression on an interaction (XOR-like) dataset", () => {
  const training = syntheticDataset("xor", { rows: 1500, seed: 3 });
  const holdout = syntheticDataset("xor", { rows: 1000, seed: 4 });
  const boosted = trainOrFail(training, small);
  const linear = trainLogistic(training);
  assert.ok(linear.ok);
  const boostedAuc = rocAuc(scoreDataset(compileModel(boosted), holdout), holdout.labels) ?? 0;
  const linearAuc = rocAuc(scoreDataset(compileLogistic(linear.model), holdout), holdout.labels) ?? 1;
  assert.ok(boostedAuc > 0.97, `boosted AUC ${boostedAuc}`);
  assert.ok(linearAuc < 0.6, `a linear model cannot rank XOR: AUC ${linearAuc}`);
});

test("training is deterministic for a seed, sampling included, and the seed changes the sample", () => {
  const training = syntheticDataset("xor", { rows: 600, columns: 6, noise: 0.1, seed: 5 });
  const options: GbdtOptions = {
    ...small,
    treesMax: 10,
    rowSampleRate: 0.6,
    columnSampleRate: 0.5,
    seed: 11,
  };
  const first = trainOrFail(training, options);
  assert.deepEqual(trainOrFail(training, options), first);
  assert.notDeepEqual(trainOrFail(training, { ...options, seed: 12 }), first);
});

test("missing values follow the learned default direction", () => {
  // Fraud rows, and only they, lack x0: the first split separates present from missing.
  const training = syntheticDataset("missing", { rows: 900, seed: 6 });
  const model = trainOrFail(training, small);
  const root = model.trees[0];
  assert.equal(root?.feature[0], 0);
  assert.equal(root?.threshold[0], Number.MAX_VALUE, "every present value goes left");
  assert.equal(root?.defaultLeft[0], 0, "missing values go right, with the fraud");
  const compiled = compileModel(model);
  assert.ok(compiled.score([Number.NaN, 0.2, -0.4, 0.9]) > 0.95);
  assert.ok(compiled.score([0.3, 0.2, -0.4, 0.9]) < 0.05);
});

test("a feature never missing in training sends missing values where most training rows went", () => {
  // One split on x0 at 0.25 sends 3 of 4 rows left; a missing x0 at scoring time goes left too.
  const values = Float64Array.from({ length: 400 }, (_, r) => (r % 4) / 4);
  const labels = Uint8Array.from(values, (value) => (value < 0.6 ? 0 : 1));
  const model = trainOrFail(
    { rows: 400, columns: 1, values, labels, featureNames: ["x0"] },
    { treesMax: 1, depthMax: 1 },
  );
  const tree = model.trees[0];
  assert.equal(tree?.threshold[0], 0.5);
  assert.equal(tree?.defaultLeft[0], 1);
  const compiled = compileModel(model);
  assert.equal(compiled.scoreRaw([Number.NaN]), compiled.scoreRaw([0]));
});

test("early stopping keeps the best validation iteration", () => {
  // Noisy labels, few rows and deep fast trees: validation loss turns up after a few trees.
  const data = syntheticDataset("linear", { rows: 600, noise: 0.3, seed: 8 });
  const training = selectRows(
    data,
    Int32Array.from({ length: 300 }, (_, i) => i),
  );
  const validation = selectRows(
    data,
    Int32Array.from({ length: 300 }, (_, i) => 300 + i),
  );
  const progress: GbdtProgress[] = [];
  const model = trainOrFail(training, {
    treesMax: 200,
    depthMax: 6,
    learningRate: 0.5,
    childWeightMin: 0.01,
    earlyStoppingRounds: 5,
    validation,
    onProgress: (report) => progress.push(report),
  });
  const losses = progress.map((report) => report.validationLoss ?? Number.NaN);
  const best = losses.indexOf(Math.min(...losses));
  assert.ok(progress.length < 200, "training stopped early");
  assert.equal(model.trees.length, best + 1, "the trees up to the best validation loss are kept");
  assert.equal(progress.length, best + 1 + 5, "it waited exactly earlyStoppingRounds trees");
});

test("onProgress reports once per tree, and the training loss falls", () => {
  const training = syntheticDataset("linear", { rows: 500, seed: 9 });
  const progress: GbdtProgress[] = [];
  trainOrFail(training, { ...small, treesMax: 12, onProgress: (report) => progress.push(report) });
  assert.deepEqual(
    progress.map((report) => [report.tree, report.treesMax, report.validationLoss]),
    Array.from({ length: 12 }, (_, i) => [i + 1, 12, null]),
  );
  for (let i = 1; i < progress.length; i++) {
    assert.ok((progress[i]?.trainLoss ?? 1) < (progress[i - 1]?.trainLoss ?? 0));
  }
});

test("trees respect depthMax and leavesMax", () => {
  const training = syntheticDataset("xor", { rows: 800, columns: 6, noise: 0.2, seed: 10 });
  for (const [depthMax, leavesMax] of [
    [2, 31],
    [6, 5],
    [4, 8],
  ] as const) {
    const model = trainOrFail(training, { treesMax: 5, depthMax, leavesMax, childWeightMin: 0.1 });
    for (const tree of model.trees) {
      const leaves = tree.feature.filter((feature) => feature < 0).length;
      assert.ok(depthOf(tree) <= depthMax, `depth ${depthOf(tree)} > ${depthMax}`);
      assert.ok(leaves <= leavesMax, `${leaves} leaves > ${leavesMax}`);
    }
    assert.ok(
      model.trees.some(
        (tree) => tree.feature.filter((feature) => feature < 0).length === Math.min(leavesMax, 2 ** depthMax),
      ),
      "the leaf budget is used when the data allow",
    );
  }
});

test("balanced class weights start from even odds and lift the scores of rare fraud", () => {
  const training = syntheticDataset("linear", { rows: 800, noise: 0.1, seed: 12 });
  const plain = trainOrFail(training, { ...small, treesMax: 5 });
  const balanced = trainOrFail(training, { ...small, treesMax: 5, positiveWeight: "balanced" });
  assert.equal(balanced.baseScore, 0);
  const positives = training.labels.reduce((sum, label) => sum + label, 0);
  assert.ok(Math.abs(plain.baseScore - Math.log(positives / (training.rows - positives))) < 1e-12);
  const mean = (model: GbdtModel) => scoreDataset(compileModel(model), training).reduce((a, b) => a + b, 0);
  assert.ok(mean(balanced) > mean(plain));
});

test("invalid options are refused with invalid_option", () => {
  const training = syntheticDataset("linear", { rows: 100, seed: 13 });
  const invalid: GbdtOptions[] = [
    { treesMax: 0 },
    { treesMax: 2.5 },
    { treesMax: 10_001 },
    { depthMax: 0 },
    { depthMax: 17 },
    { leavesMax: 1 },
    { leavesMax: 1025 },
    { learningRate: 0 },
    { learningRate: 1.5 },
    { learningRate: Number.NaN },
    { lambda: -1 },
    { childWeightMin: 0 },
    { gainMin: -0.1 },
    { binsMax: 1 },
    { binsMax: 256 },
    { rowSampleRate: 0 },
    { columnSampleRate: 1.01 },
    { positiveWeight: -2 },
    { positiveWeight: Number.POSITIVE_INFINITY },
    { earlyStoppingRounds: 0 },
    { seed: 0.5 },
  ];
  for (const options of invalid) {
    const result = trainGbdt(training, options);
    assert.equal(!result.ok && result.code, "invalid_option", JSON.stringify(options));
  }
});

test("training refuses an empty set, a single class, a misshapen dataset and a validation set that is empty or has other columns", () => {
  const training = syntheticDataset("linear", { rows: 100, seed: 14 });
  const empty = selectRows(training, []);
  const legitOnly = { ...training, labels: new Uint8Array(training.rows) };
  const misshapen = { ...training, featureNames: ["x0"] };
  const otherColumns = syntheticDataset("linear", { rows: 50, columns: 5, seed: 15 });
  const renamed = { ...training, featureNames: ["a", "b", "c", "d"] };
  const cases = [
    [trainGbdt(empty), "empty_training_set"],
    [trainGbdt(legitOnly), "single_class"],
    [trainGbdt(misshapen), "column_mismatch"],
    [trainGbdt(training, { validation: otherColumns }), "column_mismatch"],
    [trainGbdt(training, { validation: renamed }), "column_mismatch"],
    [trainGbdt(training, { validation: empty }), "invalid_dataset"],
  ] as const;
  for (const [result, code] of cases) {
    assert.equal(!result.ok && result.code, code, JSON.stringify(result).slice(0, 200));
  }
});
