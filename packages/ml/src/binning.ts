import { assert } from "./assert.ts";
import type { Dataset } from "./dataset.ts";
import { limits } from "./limits.ts";

/** The bin code of a missing value: one past the largest value bin (`limits.binsMax` − 1). */
export const missingBin = limits.binsMax;

/**
 * A dataset as small integers: each value replaced by the index of its quantile bin, so a tree
 * builder sums gradients into at most 256 slots per feature instead of sorting raw values at
 * every node (the histogram method of LightGBM and XGBoost's `hist`).
 */
export type BinnedDataset = {
  readonly rows: number;
  readonly columns: number;
  /** Row-major bin codes, like `Dataset.values`; `missingBin` for NaN. */
  readonly bins: Uint8Array;
  /**
   * Per feature, the ascending upper bounds of its value bins: bin b holds the values in
   * (thresholds[b − 1], thresholds[b]], and the last bin everything above. Each bound is the
   * largest training value of its bin, so a split "value ≤ bound" sends exactly the training rows
   * the histogram counted to each side, with no rounding of a midpoint in between.
   */
  readonly thresholds: readonly Float64Array[];
};

/** Bins every feature of `dataset` by its own quantiles, with at most `binsMax` value bins. */
export function binDataset(dataset: Dataset, binsMax: number): BinnedDataset {
  assert(Number.isInteger(binsMax) && binsMax >= 2 && binsMax <= limits.binsMax, "binsMax out of range");
  const { rows, columns, values } = dataset;
  const thresholds: Float64Array[] = [];
  const bins = new Uint8Array(rows * columns);
  const column = new Float64Array(rows);
  for (let feature = 0; feature < columns; feature++) {
    let present = 0;
    for (let r = 0; r < rows; r++) {
      const value = values[r * columns + feature] ?? 0;
      if (!Number.isNaN(value)) {
        column[present++] = value;
      }
    }
    const bounds = quantileBounds(column.subarray(0, present).sort(), binsMax);
    thresholds.push(bounds);
    for (let r = 0; r < rows; r++) {
      const at = r * columns + feature;
      bins[at] = binOf(bounds, values[at] ?? 0);
    }
  }
  return { rows, columns, bins, thresholds };
}

/**
 * Bin bounds for one feature's sorted present values. Walking the distinct values, a bin closes
 * once it holds its fair share of the values still unbinned, or when every remaining distinct
 * value can have a bin of its own. A value repeated across many rows (a zero amount, a count of
 * one) thus fills one bin and the rest are shared out among the other values, not lost to it.
 */
function quantileBounds(sorted: Float64Array, binsMax: number): Float64Array {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const value of sorted) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === value) {
      counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + 1;
    } else {
      distinct.push(value);
      counts.push(1);
    }
  }
  const bounds: number[] = [];
  let remaining = sorted.length;
  let binsLeft = binsMax;
  let filled = 0;
  for (let i = 0; i < distinct.length - 1 && binsLeft > 1; i++) {
    filled += counts[i] ?? 0;
    const distinctAfter = distinct.length - 1 - i;
    if (filled * binsLeft >= remaining || distinctAfter < binsLeft) {
      bounds.push(distinct[i] ?? 0);
      remaining -= filled;
      filled = 0;
      binsLeft--;
    }
  }
  return Float64Array.from(bounds);
}

/** The bin of one raw value: the first bound at or above it (binary search), or `missingBin`. */
export function binOf(bounds: Float64Array, value: number): number {
  if (Number.isNaN(value)) {
    return missingBin;
  }
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((bounds[middle] ?? 0) < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
