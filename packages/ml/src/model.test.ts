import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compileModel } from "./compile.ts";
import { limits } from "./limits.ts";
import { parseModel } from "./model.ts";
import { createRandom } from "./random.ts";
import { propertyParameters, randomModel, randomRow } from "./synthetic.ts";

function validModel() {
  return JSON.parse(JSON.stringify(randomModel(createRandom(31), { columns: 3, trees: 2, depth: 2 })));
}

test("a valid model parses unchanged", () => {
  const model = validModel();
  const parsed = parseModel(model);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.model, model);
});

test("parseModel refuses malformed artifacts with invalid_model", () => {
  const corruptions: [string, (model: ReturnType<typeof validModel>) => unknown][] = [
    ["not an object", () => [1, 2]],
    ["another format", (model) => ({ ...model, format: "xgboost" })],
    ["a newer version", (model) => ({ ...model, formatVersion: 2 })],
    ["feature names not strings", (model) => ({ ...model, featureNames: [1, 2, 3] })],
    ["no feature names", (model) => ({ ...model, featureNames: [] })],
    ["a base score of null (NaN after JSON)", (model) => ({ ...model, baseScore: null })],
    ["no trees", (model) => ({ ...model, trees: [] })],
    ["too many trees", (model) => ({ ...model, trees: new Array(limits.treesMax + 1).fill(model.trees[0]) })],
  ];
  const treeCorruptions: [string, (tree: Record<string, number[]>) => void][] = [
    ["a feature out of range", (tree) => tree.feature?.splice(0, 1, 3)],
    ["a fractional feature", (tree) => tree.feature?.splice(0, 1, 0.5)],
    ["a child before its parent (a cycle)", (tree) => tree.left?.splice(1, 1, 0)],
    ["a child outside the tree", (tree) => tree.right?.splice(0, 1, 99)],
    ["a node with two parents", (tree) => tree.right?.splice(0, 1, 1)],
    ["lists of different lengths", (tree) => tree.value?.pop()],
    ["a leaf with a child", (tree) => tree.left?.splice(3, 1, 4)],
    ["a defaultLeft of 2", (tree) => tree.defaultLeft?.splice(0, 1, 2)],
    ["a negative gain", (tree) => tree.gain?.splice(0, 1, -1)],
    ["a threshold that is not a number", (tree) => tree.threshold?.splice(0, 1, "1" as unknown as number)],
  ];
  for (const [name, corrupt] of treeCorruptions) {
    corruptions.push([
      name,
      (model) => {
        corrupt(model.trees[0]);
        return model;
      },
    ]);
  }
  for (const [name, corrupt] of corruptions) {
    const parsed = parseModel(corrupt(validModel()));
    assert.equal(!parsed.ok && parsed.code, "invalid_model", name);
  }
});

test("a model with more nodes than one ensemble serves is refused before its trees are read", () => {
  const model = validModel();
  const nodesPerTree = Math.ceil((limits.ensembleNodesMax + 1) / limits.treesMax);
  const tree = { ...model.trees[0], feature: new Array(nodesPerTree).fill(-1) };
  const parsed = parseModel({ ...model, trees: new Array(limits.treesMax).fill(tree) });
  assert.ok(!parsed.ok);
  assert.equal(parsed.code, "invalid_model");
  assert.match(parsed.message, /at most 67108864 are served/);
});

test("parseModel never throws on a randomly damaged model, and what it accepts scores a finite number", (t) => {
  const keys = ["feature", "threshold", "defaultLeft", "left", "right", "value", "gain"];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: keys.length - 1 }),
      fc.nat(),
      fc.oneof(fc.integer({ min: -2, max: 16 }), fc.double(), fc.constant(null), fc.string()),
      (keyIndex, position, replacement) => {
        const model = validModel();
        const list = model.trees[1][keys[keyIndex] ?? ""];
        list[position % list.length] = replacement;
        const parsed = parseModel(model);
        if (parsed.ok) {
          const score = compileModel(parsed.model).score(randomRow(createRandom(position), 3));
          assert.ok(score >= 0 && score <= 1);
        } else {
          assert.equal(parsed.code, "invalid_model");
        }
      },
    ),
    propertyParameters(t, 300),
  );
});
