/**
 * Every bound of the package, each with the reason for its value. Options and loaded models are
 * checked against these at the edge, so the loops inside never run on unbounded input.
 */
export const limits = {
  /** Value bins per feature: they fit a byte, with the code 255 left over for "missing". */
  binsMax: 255,
  /** Trees per ensemble: 10k already take about 0.3 ms a row to score; useful models stop at hundreds. */
  treesMax: 10_000,
  /**
   * Nodes in one served ensemble: its walk runs in one WebAssembly memory (4 GiB at most), at 20
   * bytes a node; 2^26 nodes take 1.3 GiB, and 10k trees of 1,024 leaves stay under a third of it.
   */
  ensembleNodesMax: 2 ** 26,
  /** Tree depth: 16 levels split 65k ways, far past what tabular fraud features support. */
  depthMax: 16,
  /** Leaves per boosted tree: best-first growth keeps one histogram per open leaf (4 KiB per feature). */
  leavesMax: 1024,
  /** Columns: histograms take 4 KiB per column per open leaf, and features are hand-made, not thousands. */
  columnsMax: 1024,
  /** Rows × columns: row indices are 32-bit integers, and 2^31 doubles are already 16 GiB. */
  valuesMax: 2 ** 31 - 1,
  /** Gains below this fraction of a node's hessian sum are rounding: a pure node splits with 0 ± ulp. */
  splitGainRelativeMin: 1e-12,
  /** Probabilities in a log loss are kept this far from 0 and 1 (scikit-learn's): one sure miss costs 34.5. */
  probabilityMin: 1e-15,
  /** Rounds without improvement before early stopping gives up: more is waiting for noise. */
  earlyStoppingRoundsMax: 1000,
  /** Newton steps for logistic regression: it converges in tens; more means the data is degenerate. */
  newtonStepsMax: 200,
  /** Newton stops once the decrement (the loss still to gain) is below this share of the total row weight. */
  newtonDecrementRelativeMin: 1e-12,
  /** Step halvings in Newton's line search: 2^-30 of a step no longer changes the loss. */
  stepHalvingsMax: 30,
} as const;
