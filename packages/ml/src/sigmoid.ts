/** The logistic function: a margin in log-odds to a probability. */
export function sigmoid(margin: number): number {
  return 1 / (1 + Math.exp(-margin));
}
