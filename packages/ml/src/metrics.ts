import { assert } from "./assert.ts";
import { limits } from "./limits.ts";

/**
 * Ranking and calibration metrics for fraud scores. Every ranking metric treats tied scores as
 * one group, so no result depends on the order in which tied rows happen to arrive.
 */

/** Indices of `scores` in increasing score order. */
function orderByScore(scores: ArrayLike<number>, labels: ArrayLike<number>): Int32Array {
  assert(scores.length === labels.length, "one label per score");
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) {
    assert(!Number.isNaN(scores[i]), "scores are numbers, never NaN");
    order[i] = i;
  }
  return order.sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
}

/**
 * The area under the ROC curve: the probability that a random fraud row scores above a random
 * legitimate one, ties counting one half (Mann–Whitney U with average ranks). Null when one class
 * is absent, since the probability is then undefined.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const order = orderByScore(scores, labels);
  let positives = 0;
  let positiveRankSum = 0;
  for (let begin = 0; begin < order.length; ) {
    const score = scores[order[begin] ?? 0];
    let end = begin;
    let groupPositives = 0;
    while (end < order.length && scores[order[end] ?? 0] === score) {
      groupPositives += labels[order[end] ?? 0] ?? 0;
      end++;
    }
    // Ranks begin + 1 … end share their mean.
    positiveRankSum += (groupPositives * (begin + 1 + end)) / 2;
    positives += groupPositives;
    begin = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) {
    return null;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision as scikit-learn defines it: Σ (Rₙ − Rₙ₋₁) Pₙ over the distinct score
 * thresholds from the highest down, where Pₙ and Rₙ are the precision and recall of flagging every
 * row scoring at or above the n-th threshold. Null without a fraud row, where recall is undefined.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const order = orderByScore(scores, labels);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    positives += labels[i] ?? 0;
  }
  if (positives === 0) {
    return null;
  }
  let flagged = 0;
  let truePositives = 0;
  let result = 0;
  for (let end = order.length; end > 0; ) {
    const score = scores[order[end - 1] ?? 0];
    let groupPositives = 0;
    let begin = end;
    while (begin > 0 && scores[order[begin - 1] ?? 0] === score) {
      groupPositives += labels[order[begin - 1] ?? 0] ?? 0;
      begin--;
    }
    flagged += end - begin;
    truePositives += groupPositives;
    result += (groupPositives / positives) * (truePositives / flagged);
    end = begin;
  }
  return result;
}

/** One scored transaction, for the card-level metric. */
export type CardScoredRow = {
  /** The calendar day the transaction belongs to, e.g. "2025-03-14". */
  readonly day: string;
  readonly cardId: string;
  readonly score: number;
  readonly label: 0 | 1;
  /** The card was already known to be compromised when this transaction came: not a new find. */
  readonly knownCompromised: boolean;
};

/**
 * Card precision at k, as the Fraud Detection Handbook (Le Borgne et al.) defines it: an analyst
 * team can check k cards a day, so what counts is how many of the day's k most suspicious cards
 * are really compromised. For each day, rows of cards already known compromised are set aside;
 * each remaining card scores its highest score of the day and is fraudulent if any of its rows
 * that day is; the share of fraudulent cards among the top k is the day's precision. It divides
 * by k even on a day with fewer cards, since the unused checks are capacity wasted. When cards tie
 * across the k-th place, each tied card counts for its chance of being picked at random, so the
 * result does not depend on row order. The value is the mean over the days that have rows, a day
 * with only known-compromised cards counting 0 (null without rows).
 */
export function cardPrecisionAtK(
  rows: readonly CardScoredRow[],
  k = 100,
): { value: number | null; days: number } {
  assert(Number.isInteger(k) && k > 0, "k is a positive integer");
  const days = new Map<string, Map<string, { score: number; isFraud: boolean }>>();
  for (const row of rows) {
    assert(!Number.isNaN(row.score), "scores are numbers, never NaN");
    let cards = days.get(row.day);
    if (cards === undefined) {
      cards = new Map();
      days.set(row.day, cards);
    }
    if (row.knownCompromised) {
      continue;
    }
    const card = cards.get(row.cardId);
    if (card === undefined) {
      cards.set(row.cardId, { score: row.score, isFraud: row.label === 1 });
    } else {
      card.score = Math.max(card.score, row.score);
      card.isFraud ||= row.label === 1;
    }
  }
  if (days.size === 0) {
    return { value: null, days: 0 };
  }
  let precisionSum = 0;
  for (const cards of days.values()) {
    precisionSum += fraudulentInTopK([...cards.values()], k) / k;
  }
  return { value: precisionSum / days.size, days: days.size };
}

/** The expected number of fraudulent cards among the k highest scores, ties picked at random. */
function fraudulentInTopK(cards: { score: number; isFraud: boolean }[], k: number): number {
  cards.sort((a, b) => b.score - a.score);
  let found = 0;
  for (let begin = 0; begin < cards.length && begin < k; ) {
    const score = cards[begin]?.score;
    let end = begin;
    let groupFrauds = 0;
    while (end < cards.length && cards[end]?.score === score) {
      groupFrauds += cards[end]?.isFraud ? 1 : 0;
      end++;
    }
    const slots = Math.min(k, end) - begin;
    found += (groupFrauds * slots) / (end - begin);
    begin = end;
  }
  return found;
}

/**
 * Mean log loss (cross-entropy) of probabilities against labels, fraud rows weighted by
 * `positiveWeight` so it matches the objective a class-weighted model was trained on.
 */
export function logLoss(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  positiveWeight = 1,
): number {
  assert(probabilities.length === labels.length, "one label per probability");
  assert(probabilities.length > 0, "log loss of no rows");
  let lossSum = 0;
  let weightSum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const probability = Math.min(
      Math.max(probabilities[i] ?? 0, limits.probabilityMin),
      1 - limits.probabilityMin,
    );
    if (labels[i] === 1) {
      lossSum -= positiveWeight * Math.log(probability);
      weightSum += positiveWeight;
    } else {
      lossSum -= Math.log(1 - probability);
      weightSum += 1;
    }
  }
  return lossSum / weightSum;
}
