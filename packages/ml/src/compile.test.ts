import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compileModel } from "./compile.ts";
import { type GbdtModel, trainGbdt } from "./gbdt.ts";
import { parseModel } from "./model.ts";
import { createRandom } from "./random.ts";
import { sigmoid } from "./sigmoid.ts";
import { propertyParameters, randomModel, randomRow, syntheticDataset, walkTree } from "./synthetic.ts";
import type { Tree } from "./tree.ts";

function trainedModel(): GbdtModel {
  const training = syntheticDataset("linear", { rows: 800, columns: 5, seed: 21 });
  const result = trainGbdt(training, { treesMax: 30, depthMax: 4, learningRate: 0.3 });
  assert.ok(result.ok);
  return result.model;
}

test("the model survives JSON round trip with identical scores", () => {
  const model = trainedModel();
  const parsed = parseModel(JSON.parse(JSON.stringify(model)));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const original = compileModel(model);
  const reloaded = compileModel(parsed.model);
  const random = createRandom(22);
  for (let i = 0; i < 200; i++) {
    const row = randomRow(random, 5);
    assert.equal(reloaded.scoreRaw(row), original.scoreRaw(row));
  }
});

test("compiled scoring equals walking the stored trees one by one", (t) => {
  fc.assert(
    fc.property(
      fc.integer(),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 5 }),
      (seed, trees, depth) => {
        const random = createRandom(seed);
        const model = randomModel(random, { columns: 4, trees, depth });
        const compiled = compileModel(model);
        for (let i = 0; i < 10; i++) {
          const row = randomRow(random, 4);
          const expected = model.trees.reduce((sum, tree) => sum + walkTree(tree, row), model.baseScore);
          assert.ok(Math.abs(compiled.scoreRaw(row) - expected) < 1e-12);
          assert.ok(Math.abs(compiled.score(row) - sigmoid(expected)) < 1e-12);
        }
      },
    ),
    propertyParameters(t, 200),
  );
});

/** One tree whose root sends rows to `left` or `right`, each kept whole below it. */
function graftTree(left: Tree, right: Tree, feature: number, threshold: number): Tree {
  const shift = (nodes: readonly number[], by: number) => nodes.map((node) => (node < 0 ? node : node + by));
  const rightAt = 1 + left.feature.length;
  return {
    feature: [feature, ...left.feature, ...right.feature],
    threshold: [threshold, ...left.threshold, ...right.threshold],
    defaultLeft: [0, ...left.defaultLeft, ...right.defaultLeft],
    left: [1, ...shift(left.left, 1), ...shift(right.left, rightAt)],
    right: [rightAt, ...shift(left.right, 1), ...shift(right.right, rightAt)],
    value: [0, ...left.value, ...right.value],
    gain: [1, ...left.gain, ...right.gain],
  };
}

test("compiled scoring equals the plain walk on trained, uneven trees and at the packed layout's limits", () => {
  const random = createRandom(26);
  const trained = trainedModel();
  const compiled = compileModel(trained);
  for (let i = 0; i < 200; i++) {
    const row = randomRow(random, 5);
    const expected = trained.trees.reduce((sum, tree) => sum + walkTree(tree, row), trained.baseScore);
    assert.ok(Math.abs(compiled.scoreRaw(row) - expected) < 1e-12);
  }
  // The last of 1,024 features and a right child 32,768 nodes past its parent: the largest
  // feature number and a right-child distance far past 16 bits, each in its packed field.
  const columns = 1024;
  const deep = randomModel(random, { columns, trees: 1, depth: 14 }).trees[0] as Tree;
  const shallow = randomModel(random, { columns, trees: 1, depth: 2 }).trees[0] as Tree;
  const tree = graftTree(deep, shallow, columns - 1, 0);
  const model = { ...randomModel(random, { columns, trees: 0, depth: 0 }), trees: [tree] };
  const wide = compileModel(model);
  const out = new Float64Array(columns);
  for (let i = 0; i < 200; i++) {
    const row = randomRow(random, columns);
    const expected = model.baseScore + walkTree(tree, row);
    assert.ok(Math.abs(wide.scoreRaw(row) - expected) < 1e-12, `row ${i}`);
    const total = out.reduce((sum, value) => sum + value, wide.contributions(row, out));
    assert.ok(Math.abs(total - expected) < 1e-12, `row ${i}`);
  }
});

test("contributions plus the bias sum to the margin for random rows and random small models", (t) => {
  fc.assert(
    fc.property(
      fc.integer(),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 0, max: 5 }),
      (seed, trees, depth) => {
        const random = createRandom(seed);
        const model = randomModel(random, { columns: 5, trees, depth });
        const compiled = compileModel(model);
        const out = new Float64Array(5);
        for (let i = 0; i < 10; i++) {
          const row = randomRow(random, 5);
          const bias = compiled.contributions(row, out);
          const total = out.reduce((sum, value) => sum + value, bias);
          assert.ok(Math.abs(total - compiled.scoreRaw(row)) < 1e-12, `${total} ≠ ${compiled.scoreRaw(row)}`);
        }
      },
    ),
    propertyParameters(t, 200),
  );
});

test("contributions credit the features that carry the signal, and importance ranks them first", () => {
  const model = trainedModel();
  const compiled = compileModel(model);
  const random = createRandom(23);
  const out = new Float64Array(5);
  const magnitude = new Float64Array(5);
  for (let i = 0; i < 300; i++) {
    compiled.contributions(randomRow(random, 5), out);
    out.forEach((value, feature) => {
      magnitude[feature] = (magnitude[feature] ?? 0) + Math.abs(value);
    });
  }
  // Only x0 and x1 decide the label; x2..x4 are noise.
  const signal = Math.min(magnitude[0] ?? 0, magnitude[1] ?? 0);
  const noise = Math.max(magnitude[2] ?? 0, magnitude[3] ?? 0, magnitude[4] ?? 0);
  assert.ok(signal > 10 * noise, `signal ${signal}, noise ${noise}`);
  const importance = compiled.featureImportance();
  assert.deepEqual(
    importance
      .slice(0, 2)
      .map((item) => item.featureName)
      .sort(),
    ["x0", "x1"],
  );
  assert.ok(importance.every((item, i) => i === 0 || item.gain <= (importance[i - 1]?.gain ?? 0)));
});

test("a row is read at an offset inside a larger array, as a dataset row is", () => {
  const model = trainedModel();
  const compiled = compileModel(model);
  const random = createRandom(24);
  const first = randomRow(random, 5);
  const second = randomRow(random, 5);
  const both = Float64Array.of(...first, ...second);
  assert.equal(compiled.scoreRaw(both, 5), compiled.scoreRaw(second));
  const out = new Float64Array(5);
  const bias = compiled.contributions(both, out, 5);
  const alone = new Float64Array(5);
  assert.equal(compiled.contributions([...second], alone), bias);
  assert.deepEqual(out, alone);
});
