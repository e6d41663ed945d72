import { assert } from "./assert.ts";
import { type BinnedDataset, missingBin } from "./binning.ts";
import { limits } from "./limits.ts";
import { type Random, sampleIndices } from "./random.ts";
import type { Tree } from "./tree.ts";

/**
 * How one tree grows. Gradient boosting passes the logistic loss's gradients and hessians; the
 * random forest passes a squared-error regression on the labels, whose gradient is −label and
 * hessian 1 per row, so both reuse this one histogram builder on the same binned data.
 */
export type GrowthOptions = {
  readonly depthMax: number;
  readonly leavesMax: number;
  /** L2 penalty on leaf values, added to every hessian sum. */
  readonly lambda: number;
  /** A child needs at least this hessian sum; positive, so every split's cover is positive. */
  readonly childWeightMin: number;
  /** A split must reduce the loss by more than this. */
  readonly gainMin: number;
  /** Leaf values are multiplied by this (the learning rate of boosting). */
  readonly leafScale: number;
  /** The split search at each node looks at this many of the tree's columns, drawn at random. */
  readonly columnsPerSplit: number;
};

/** The inputs of one tree: which rows and columns it sees, and each row's gradient and hessian. */
export type GrowthSample = {
  /** Row indices in increasing order; the builder reorders a copy, never this array. */
  readonly rows: Int32Array;
  readonly columns: Int32Array;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
};

/** The gradient and hessian sums of a node's rows. */
type Sums = { readonly gradient: number; readonly hessian: number };

type Split = {
  readonly feature: number;
  /** Value bins 0..bin go left; the missing bin follows `isDefaultLeft`. */
  readonly bin: number;
  readonly isDefaultLeft: boolean;
  readonly gain: number;
  /** The left child's sums; the right child's are the parent's less these. */
  readonly left: Sums;
};

/** A leaf that may still split: its rows are rowOrder[begin, end). */
type OpenLeaf = {
  readonly node: number;
  readonly begin: number;
  readonly end: number;
  readonly depth: number;
  readonly sums: Sums;
  readonly histogram: Float64Array;
  readonly split: Split;
};

/** Each feature owns 256 bins (255 value bins and the missing bin) of a gradient and a hessian. */
const featureStride = (limits.binsMax + 1) * 2;

/** A tree under construction: the arrays of `Tree` plus each node's cover, kept until the end. */
type TreeDraft = {
  feature: number[];
  threshold: number[];
  defaultLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  gain: number[];
  cover: number[];
};

/**
 * Grows regression trees on `binned` by the histogram method: each node's split comes from
 * per-bin gradient and hessian sums. Only the smaller child's histogram is summed from its rows;
 * the larger child's is its parent's minus the smaller's, which halves the work at least.
 */
export function createTreeBuilder(binned: BinnedDataset, options: GrowthOptions) {
  const { columns, bins, thresholds } = binned;
  assert(options.childWeightMin > 0, "childWeightMin must be positive");
  assert(options.columnsPerSplit >= 1, "columnsPerSplit must be at least 1");
  const histogramPool: Float64Array[] = [];
  const rowOrder = new Int32Array(binned.rows);
  const rowScratch = new Int32Array(binned.rows);

  const takeHistogram = (): Float64Array => histogramPool.pop() ?? new Float64Array(columns * featureStride);

  const sumHistogram = (sample: GrowthSample, begin: number, end: number): Float64Array => {
    const histogram = takeHistogram().fill(0);
    const { gradients, hessians } = sample;
    const features = sample.columns;
    const featureCount = features.length;
    for (let i = begin; i < end; i++) {
      const row = rowOrder[i] ?? 0;
      const gradient = gradients[row] ?? 0;
      const hessian = hessians[row] ?? 0;
      const base = row * columns;
      for (let k = 0; k < featureCount; k++) {
        const feature = features[k] ?? 0;
        const slot = feature * featureStride + (bins[base + feature] ?? 0) * 2;
        histogram[slot] = (histogram[slot] ?? 0) + gradient;
        histogram[slot + 1] = (histogram[slot + 1] ?? 0) + hessian;
      }
    }
    return histogram;
  };

  const findSplit = (histogram: Float64Array, sums: Sums, candidates: Int32Array): Split | null => {
    const { lambda, childWeightMin } = options;
    const { gradient, hessian } = sums;
    const parentScore = (gradient * gradient) / (hessian + lambda);
    // A pure node "splits" with a gain of 0 plus rounding; this floor keeps such splits out.
    let bestGain = Math.max(options.gainMin, limits.splitGainRelativeMin * hessian);
    let best: Split | null = null;
    const consider = (
      feature: number,
      bin: number,
      isDefaultLeft: boolean,
      leftGradient: number,
      leftHessian: number,
    ): void => {
      const rightHessian = hessian - leftHessian;
      if (leftHessian < childWeightMin || rightHessian < childWeightMin) {
        return;
      }
      const rightGradient = gradient - leftGradient;
      const gain =
        0.5 *
        ((leftGradient * leftGradient) / (leftHessian + lambda) +
          (rightGradient * rightGradient) / (rightHessian + lambda) -
          parentScore);
      if (gain > bestGain) {
        bestGain = gain;
        best = { feature, bin, isDefaultLeft, gain, left: { gradient: leftGradient, hessian: leftHessian } };
      }
    };
    for (const feature of candidates) {
      const offset = feature * featureStride;
      const missingGradient = histogram[offset + missingBin * 2] ?? 0;
      const missingHessian = histogram[offset + missingBin * 2 + 1] ?? 0;
      const hasMissing = missingGradient !== 0 || missingHessian !== 0;
      const binCount = (thresholds[feature]?.length ?? 0) + 1;
      let leftGradient = 0;
      let leftHessian = 0;
      for (let bin = 0; bin < binCount - 1; bin++) {
        leftGradient += histogram[offset + bin * 2] ?? 0;
        leftHessian += histogram[offset + bin * 2 + 1] ?? 0;
        if (hasMissing) {
          consider(feature, bin, false, leftGradient, leftHessian);
          consider(feature, bin, true, leftGradient + missingGradient, leftHessian + missingHessian);
        } else {
          // With no missing value at this node the data cannot choose a side: missing values at
          // scoring time follow the majority of the training cover, the likelier guess.
          consider(feature, bin, 2 * leftHessian >= hessian, leftGradient, leftHessian);
        }
      }
      if (hasMissing) {
        // Present against missing: whether a value is missing is itself often telling.
        consider(feature, binCount - 1, false, gradient - missingGradient, hessian - missingHessian);
      }
    }
    return best;
  };

  return {
    /** Grows one tree on `sample`, drawing the per-split columns from `random`. */
    grow(sample: GrowthSample, random: Random): Tree {
      const { depthMax, leavesMax, columnsPerSplit } = options;
      rowOrder.set(sample.rows);
      const draft = createDraft();
      const candidatesOf = (): Int32Array =>
        columnsPerSplit >= sample.columns.length
          ? sample.columns
          : sampleIndices(random, sample.columns.length, columnsPerSplit).map(
              (index) => sample.columns[index] ?? 0,
            );
      const open: OpenLeaf[] = [];
      // A new leaf joins the open list only if it may split; otherwise its histogram goes back.
      const offerLeaf = (
        begin: number,
        end: number,
        depth: number,
        sums: Sums,
        histogram: Float64Array,
      ): void => {
        const node = addLeaf(draft, sums, options);
        const split = depth < depthMax ? findSplit(histogram, sums, candidatesOf()) : null;
        if (split === null) {
          histogramPool.push(histogram);
        } else {
          open.push({ node, begin, end, depth, sums, histogram, split });
        }
      };

      const rootSums = { gradient: 0, hessian: 0 };
      for (const row of sample.rows) {
        rootSums.gradient += sample.gradients[row] ?? 0;
        rootSums.hessian += sample.hessians[row] ?? 0;
      }
      offerLeaf(0, sample.rows.length, 0, rootSums, sumHistogram(sample, 0, sample.rows.length));
      // When the leaf budget cannot bind (leavesMax ≥ 2^depthMax), every splittable leaf splits
      // whatever the order, so growth goes depth-first and at most depthMax + 1 histograms are
      // alive: deep forest trees stay small in memory. Otherwise it goes best-first (LightGBM's
      // leaf-wise growth), so the leaf budget is spent on the largest gains.
      const isDepthFirst = leavesMax >= 2 ** depthMax;
      let leafCount = 1;
      while (open.length > 0 && leafCount < leavesMax) {
        const leaf = isDepthFirst ? open.pop() : open.splice(bestLeafIndex(open), 1)[0];
        assert(leaf !== undefined, "an open leaf to split");
        const { split } = leaf;
        const middle = partitionRows(leaf, split);
        const isLeftSmaller = middle - leaf.begin <= leaf.end - middle;
        const smaller = isLeftSmaller
          ? sumHistogram(sample, leaf.begin, middle)
          : sumHistogram(sample, middle, leaf.end);
        const larger = leaf.histogram;
        for (let i = 0; i < larger.length; i++) {
          larger[i] = (larger[i] ?? 0) - (smaller[i] ?? 0);
        }
        const rightSums = {
          gradient: leaf.sums.gradient - split.left.gradient,
          hessian: leaf.sums.hessian - split.left.hessian,
        };
        markSplit(draft, leaf.node, split, thresholdOf(split));
        offerLeaf(leaf.begin, middle, leaf.depth + 1, split.left, isLeftSmaller ? smaller : larger);
        offerLeaf(middle, leaf.end, leaf.depth + 1, rightSums, isLeftSmaller ? larger : smaller);
        leafCount++;
      }
      for (const leaf of open) {
        histogramPool.push(leaf.histogram);
      }
      return finishTree(draft);
    },
  };

  /** Reorders the leaf's rows so the left child's come first; returns where the right's begin. */
  function partitionRows(leaf: OpenLeaf, split: Split): number {
    const { feature, bin, isDefaultLeft } = split;
    let leftEnd = leaf.begin;
    let rightCount = 0;
    for (let i = leaf.begin; i < leaf.end; i++) {
      const row = rowOrder[i] ?? 0;
      const code = bins[row * columns + feature] ?? 0;
      if (code === missingBin ? isDefaultLeft : code <= bin) {
        rowOrder[leftEnd++] = row;
      } else {
        rowScratch[rightCount++] = row;
      }
    }
    rowOrder.set(rowScratch.subarray(0, rightCount), leftEnd);
    return leftEnd;
  }

  /**
   * The raw threshold of a split. The present-against-missing split sends every value left, so
   * its threshold is the largest finite number: JSON cannot hold infinity.
   */
  function thresholdOf(split: Split): number {
    return thresholds[split.feature]?.[split.bin] ?? Number.MAX_VALUE;
  }
}

function createDraft(): TreeDraft {
  return { feature: [], threshold: [], defaultLeft: [], left: [], right: [], value: [], gain: [], cover: [] };
}

/** Appends a leaf holding the regularized Newton step −G / (H + λ), shrunk; returns its index. */
function addLeaf(draft: TreeDraft, sums: Sums, options: GrowthOptions): number {
  draft.feature.push(-1);
  draft.threshold.push(0);
  draft.defaultLeft.push(0);
  draft.left.push(-1);
  draft.right.push(-1);
  draft.value.push((-sums.gradient / (sums.hessian + options.lambda)) * options.leafScale);
  draft.gain.push(0);
  draft.cover.push(sums.hessian);
  return draft.value.length - 1;
}

/** Turns leaf `node` into a split whose children are the next two leaves to be added. */
function markSplit(draft: TreeDraft, node: number, split: Split, threshold: number): void {
  const leftNode = draft.value.length;
  draft.feature[node] = split.feature;
  draft.threshold[node] = threshold;
  draft.defaultLeft[node] = split.isDefaultLeft ? 1 : 0;
  draft.left[node] = leftNode;
  draft.right[node] = leftNode + 1;
  draft.gain[node] = split.gain;
}

function bestLeafIndex(open: readonly OpenLeaf[]): number {
  let best = 0;
  for (let i = 1; i < open.length; i++) {
    if ((open[i]?.split.gain ?? 0) > (open[best]?.split.gain ?? 0)) {
      best = i;
    }
  }
  return best;
}

/**
 * Gives every split node the cover-weighted mean of its children's values. Children come after
 * their parent, so one backward pass sees both children of a node before the node.
 */
function finishTree(draft: TreeDraft): Tree {
  const { feature, left, right, value, cover } = draft;
  for (let node = value.length - 1; node >= 0; node--) {
    if ((feature[node] ?? -1) >= 0) {
      const leftNode = left[node] ?? 0;
      const rightNode = right[node] ?? 0;
      const leftCover = cover[leftNode] ?? 0;
      const rightCover = cover[rightNode] ?? 0;
      value[node] =
        (leftCover * (value[leftNode] ?? 0) + rightCover * (value[rightNode] ?? 0)) /
        (leftCover + rightCover);
    }
  }
  return {
    feature: draft.feature,
    threshold: draft.threshold,
    defaultLeft: draft.defaultLeft,
    left: draft.left,
    right: draft.right,
    value: draft.value,
    gain: draft.gain,
  };
}
