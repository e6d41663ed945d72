import type { GbdtModel } from "./gbdt.ts";
import { limits } from "./limits.ts";
import type { Tree } from "./tree.ts";

export type ParseModelResult =
  | { ok: true; model: GbdtModel }
  | { ok: false; code: "invalid_model"; message: string };

/**
 * Checks that a loaded artifact is a boosted model this build can serve: the right format and
 * version, finite numbers, features in range, and trees that are trees (every child after its
 * parent and reached once, depth within the limit), so scoring it always terminates.
 */
export function parseModel(json: unknown): ParseModelResult {
  const problem = findModelProblem(json);
  return problem === null
    ? { ok: true, model: json as GbdtModel }
    : { ok: false, code: "invalid_model", message: problem };
}

function findModelProblem(json: unknown): string | null {
  if (!isRecord(json)) {
    return "a model is a JSON object";
  }
  if (json.format !== "mimamori-gbdt") {
    return `format is ${JSON.stringify(json.format)}, not "mimamori-gbdt"`;
  }
  if (json.formatVersion !== 1) {
    return `formatVersion ${JSON.stringify(json.formatVersion)} is not 1, the version this build reads`;
  }
  const { featureNames, baseScore, trees } = json;
  if (!Array.isArray(featureNames) || !featureNames.every((name) => typeof name === "string")) {
    return "featureNames is a list of strings";
  }
  if (featureNames.length === 0 || featureNames.length > limits.columnsMax) {
    return `featureNames has ${featureNames.length} names; 1 to ${limits.columnsMax} are allowed`;
  }
  if (!isFiniteNumber(baseScore)) {
    return "baseScore is a finite number";
  }
  if (!Array.isArray(trees) || trees.length === 0 || trees.length > limits.treesMax) {
    return `trees is a list of 1 to ${limits.treesMax} trees`;
  }
  // Counted before each tree is checked, so an oversized model is refused without reading it all.
  const nodeCount = trees.reduce(
    (count: number, tree: unknown) =>
      count + (isRecord(tree) && Array.isArray(tree.feature) ? tree.feature.length : 0),
    0,
  );
  if (nodeCount > limits.ensembleNodesMax) {
    return `the trees have ${nodeCount} nodes; at most ${limits.ensembleNodesMax} are served`;
  }
  for (const [index, tree] of trees.entries()) {
    const treeProblem = findTreeProblem(tree, featureNames.length);
    if (treeProblem !== null) {
      return `trees[${index}]: ${treeProblem}`;
    }
  }
  return null;
}

const treeKeys = ["feature", "threshold", "defaultLeft", "left", "right", "value", "gain"] as const;

/** The nodes a tree of the deepest allowed depth can have. */
const nodesMax = 2 ** (limits.depthMax + 1) - 1;

function findTreeProblem(tree: unknown, columns: number): string | null {
  if (!isRecord(tree)) {
    return "a tree is a JSON object";
  }
  const arrays = treeKeys.map((key) => tree[key]);
  if (!arrays.every((array) => Array.isArray(array) && array.every(isFiniteNumber))) {
    return `${treeKeys.join(", ")} are lists of finite numbers`;
  }
  const { feature, defaultLeft, left, right, gain } = tree as Tree;
  const nodeCount = feature.length;
  if (
    nodeCount === 0 ||
    nodeCount > nodesMax ||
    arrays.some((array) => (array as number[]).length !== nodeCount)
  ) {
    return `every node list has the same length, 1 to ${nodesMax}`;
  }
  const depth = new Int32Array(nodeCount);
  const parents = new Int32Array(nodeCount);
  for (let node = 0; node < nodeCount; node++) {
    const splitFeature = feature[node] ?? -1;
    const leftNode = left[node] ?? -1;
    const rightNode = right[node] ?? -1;
    if (splitFeature === -1) {
      if (leftNode !== -1 || rightNode !== -1 || gain[node] !== 0) {
        return `node ${node} is a leaf, so it has no children and no gain`;
      }
      continue;
    }
    if (!Number.isInteger(splitFeature) || splitFeature < 0 || splitFeature >= columns) {
      return `node ${node} splits on feature ${splitFeature}, not one of the ${columns}`;
    }
    if (defaultLeft[node] !== 0 && defaultLeft[node] !== 1) {
      return `node ${node} has defaultLeft ${defaultLeft[node]}, not 0 or 1`;
    }
    if ((gain[node] ?? 0) < 0) {
      return `node ${node} has a negative gain`;
    }
    for (const child of [leftNode, rightNode]) {
      if (!Number.isInteger(child) || child <= node || child >= nodeCount) {
        return `node ${node} has child ${child}; children come after their parent, inside the tree`;
      }
      parents[child] = (parents[child] ?? 0) + 1;
      depth[child] = (depth[node] ?? 0) + 1;
      if ((depth[child] ?? 0) > limits.depthMax) {
        return `node ${child} is deeper than ${limits.depthMax}`;
      }
    }
  }
  for (let node = 1; node < nodeCount; node++) {
    if (parents[node] !== 1) {
      return `node ${node} has ${parents[node]} parents; every node but the root has one`;
    }
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
