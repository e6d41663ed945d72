/**
 * One decision tree in the compact form the model files store: one array per node attribute,
 * node 0 the root, children always after their parent. Raw thresholds (not bin numbers), so a
 * model scores raw feature values without the training data's binning.
 */
export type Tree = {
  /** The feature a node splits on, or −1 for a leaf. */
  readonly feature: readonly number[];
  /** A row goes left when its value is ≤ the threshold (0 at leaves). */
  readonly threshold: readonly number[];
  /** 1 when a missing (NaN) value goes left, 0 when it goes right: learned per split. */
  readonly defaultLeft: readonly number[];
  /** Child node indices, −1 at leaves. */
  readonly left: readonly number[];
  readonly right: readonly number[];
  /**
   * At a leaf, what the tree adds to the score. At a split, the mean of its leaves' values
   * weighted by their training cover (hessian sum), so per-feature contributions need only the
   * model, not the training data.
   */
  readonly value: readonly number[];
  /** The loss reduction a split achieved in training (0 at leaves): the feature importance. */
  readonly gain: readonly number[];
};
