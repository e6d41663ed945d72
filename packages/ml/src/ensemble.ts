import { assert } from "./assert.ts";
import type { FeatureImportance, FeatureRow } from "./scorer.ts";
import type { Tree } from "./tree.ts";

/**
 * Trees walked this many at a time. A single walk is a chain of dependent loads (node → feature
 * → value → child), so it waits on memory at every level; four independent walks interleaved
 * keep the processor busy and measured about twice as fast. More lanes gained nothing.
 * `sumLeaves` is unrolled for exactly four.
 */
const lanes = 4;

/**
 * A tree ensemble flattened for serving: one entry per node of every tree, in typed arrays, so a
 * walk reads integers and doubles from contiguous memory and allocates nothing.
 */
export type FlatEnsemble = {
  readonly columns: number;
  /** Trees, padded with empty ones (a single leaf of value 0) to whole groups of lanes. */
  readonly treeCount: number;
  readonly roots: Int32Array;
  /** The steps each group of lanes walks: the depth of its deepest tree. */
  readonly groupDepths: Int32Array;
  /** The split feature; 0 at leaves, which read it and stay put. */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  /** 1 when missing values go left. */
  readonly defaultLeft: Uint8Array;
  /** Left child at 2·node, right at 2·node + 1; a leaf is both its own children. */
  readonly children: Int32Array;
  /** Leaf values and split nodes' mean values, times the scale given when flattening. */
  readonly value: Float64Array;
  /** Total split gain per feature. */
  readonly gainByFeature: Float64Array;
};

/**
 * Flattens `trees`, every value multiplied by `valueScale` (a forest's 1 / tree count).
 *
 * Leaves point to themselves as both children, so a walk takes a fixed number of steps, the
 * depth of the deepest tree walked beside it, with no test for "is this a leaf" at each level.
 */
export function flattenTrees(trees: readonly Tree[], columns: number, valueScale: number): FlatEnsemble {
  const treeCount = Math.ceil(trees.length / lanes) * lanes;
  const nodeCount = trees.reduce((count, tree) => count + tree.feature.length, treeCount - trees.length);
  const roots = new Int32Array(treeCount);
  const groupDepths = new Int32Array(treeCount / lanes);
  const feature = new Int32Array(nodeCount);
  const threshold = new Float64Array(nodeCount);
  const defaultLeft = new Uint8Array(nodeCount);
  const children = new Int32Array(nodeCount * 2);
  const value = new Float64Array(nodeCount);
  const gainByFeature = new Float64Array(columns);
  let base = 0;
  for (let t = 0; t < treeCount; t++) {
    const tree = trees[t];
    const size = tree?.feature.length ?? 1;
    const nodeDepths = new Int32Array(size);
    roots[t] = base;
    for (let node = 0; node < size; node++) {
      const at = base + node;
      const splitFeature = tree?.feature[node] ?? -1;
      value[at] = (tree?.value[node] ?? 0) * valueScale;
      if (splitFeature < 0) {
        children[2 * at] = at;
        children[2 * at + 1] = at;
        continue;
      }
      const left = tree?.left[node] ?? 0;
      const right = tree?.right[node] ?? 0;
      feature[at] = splitFeature;
      threshold[at] = tree?.threshold[node] ?? 0;
      defaultLeft[at] = tree?.defaultLeft[node] ?? 0;
      children[2 * at] = base + left;
      children[2 * at + 1] = base + right;
      gainByFeature[splitFeature] = (gainByFeature[splitFeature] ?? 0) + (tree?.gain[node] ?? 0);
      // Children come after their parent, so a node's depth is known before its children's.
      const childDepth = (nodeDepths[node] ?? 0) + 1;
      nodeDepths[left] = childDepth;
      nodeDepths[right] = childDepth;
      const group = Math.floor(t / lanes);
      groupDepths[group] = Math.max(groupDepths[group] ?? 0, childDepth);
    }
    base += size;
  }
  return {
    columns,
    treeCount,
    roots,
    groupDepths,
    feature,
    threshold,
    defaultLeft,
    children,
    value,
    gainByFeature,
  };
}

/*
 * The walks are plain functions that take the arrays as arguments, not closures over them. V8
 * specializes a closure's code to the arrays it captured only while that closure is the only
 * one of its kind; once a second model is compiled (a server reloading its model, or training,
 * which flattens each new tree) the closure version ran about 1.5 times slower than this.
 */

/**
 * One level down: the child of `node` that the row goes to. A row goes right when its value is
 * above the threshold, or when it is missing (neither ≤ nor >) and the split sends missing values
 * right; both comparisons become 0 or 1 without a branch, so random data costs no mispredicted
 * jumps.
 */
function stepOf(
  node: number,
  values: FeatureRow,
  offset: number,
  feature: Int32Array,
  threshold: Float64Array,
  defaultLeft: Uint8Array,
  children: Int32Array,
): number {
  const x = values[offset + (feature[node] ?? 0)] ?? 0;
  const limit = threshold[node] ?? 0;
  const isRight = +(x > limit) | (+!(x <= limit) & (1 - (defaultLeft[node] ?? 0)));
  return children[2 * node + isRight] ?? 0;
}

/** The sum of the leaf values the row reaches, one per tree. */
export function sumLeaves(ensemble: FlatEnsemble, values: FeatureRow, offset: number): number {
  const { treeCount, roots, groupDepths, feature, threshold, defaultLeft, children, value } = ensemble;
  assert(offset + ensemble.columns <= values.length, "the row holds every feature");
  let sum = 0;
  for (let t = 0; t < treeCount; t += lanes) {
    let a = roots[t] ?? 0;
    let b = roots[t + 1] ?? 0;
    let c = roots[t + 2] ?? 0;
    let d = roots[t + 3] ?? 0;
    for (let step = groupDepths[t / lanes] ?? 0; step > 0; step--) {
      a = stepOf(a, values, offset, feature, threshold, defaultLeft, children);
      b = stepOf(b, values, offset, feature, threshold, defaultLeft, children);
      c = stepOf(c, values, offset, feature, threshold, defaultLeft, children);
      d = stepOf(d, values, offset, feature, threshold, defaultLeft, children);
    }
    sum += (value[a] ?? 0) + (value[b] ?? 0) + (value[c] ?? 0) + (value[d] ?? 0);
  }
  return sum;
}

/**
 * Per-feature contributions by the Saabas path method, written into `out`; returns the bias (the
 * roots' mean values). Along each tree's decision path, the change in the node's mean value at
 * each step is credited to the step's split feature. The steps telescope from the root's mean to
 * the leaf's value, so bias + Σ out equals `sumLeaves` to float rounding. It costs one walk per
 * tree, like scoring, so it can run on every held decision; TreeSHAP shares credit more fairly
 * between interacting features but costs O(leaves · depth²) per tree.
 */
export function addContributions(
  ensemble: FlatEnsemble,
  values: FeatureRow,
  offset: number,
  out: Float64Array,
): number {
  const { treeCount, roots, groupDepths, feature, threshold, defaultLeft, children, value } = ensemble;
  assert(offset + ensemble.columns <= values.length, "the row holds every feature");
  assert(out.length === ensemble.columns, "one contribution slot per feature");
  out.fill(0);
  let bias = 0;
  for (let t = 0; t < treeCount; t++) {
    let node = roots[t] ?? 0;
    bias += value[node] ?? 0;
    // Past a leaf the walk stays put and credits feature 0 with exactly 0.
    for (let step = groupDepths[Math.floor(t / lanes)] ?? 0; step > 0; step--) {
      const child = stepOf(node, values, offset, feature, threshold, defaultLeft, children);
      const splitFeature = feature[node] ?? 0;
      out[splitFeature] = (out[splitFeature] ?? 0) + (value[child] ?? 0) - (value[node] ?? 0);
      node = child;
    }
  }
  return bias;
}

/** Features by total split gain, largest first (ties in feature order). */
export function importanceOf(ensemble: FlatEnsemble, featureNames: readonly string[]): FeatureImportance[] {
  return featureNames
    .map((featureName, column) => ({ featureName, gain: ensemble.gainByFeature[column] ?? 0 }))
    .sort((a, b) => b.gain - a.gain);
}
