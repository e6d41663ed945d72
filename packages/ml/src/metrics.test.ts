import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { AssertionError } from "./assert.ts";
import { averagePrecision, type CardScoredRow, cardPrecisionAtK, logLoss, rocAuc } from "./metrics.ts";
import { propertyParameters } from "./synthetic.ts";

const close = (actual: number | null, expected: number, tolerance = 1e-12): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);
};

test("ROC AUC matches the hand-computed value, a tie between classes counting one half", () => {
  close(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
  // Positive 0.5 ties both negatives (½ + ½), positive 0.9 beats both (1 + 1): 3 of 4 pairs.
  close(rocAuc([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1]), 0.75);
  close(rocAuc([0.3, 0.3, 0.3], [1, 0, 0]), 0.5);
});

test("ROC AUC is null when a class is absent, since it is undefined", () => {
  assert.equal(rocAuc([0.1, 0.2], [0, 0]), null);
  assert.equal(rocAuc([0.1, 0.2], [1, 1]), null);
  assert.equal(rocAuc([], []), null);
});

test("average precision matches scikit-learn's documented example and groups tied scores", () => {
  close(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 5 / 6);
  // Threshold 0.9: P = 1, R = ½; threshold 0.5 (two rows, one fraud): P = ⅔, R = 1.
  close(averagePrecision([0.9, 0.5, 0.5, 0.1], [1, 0, 1, 0]), 0.5 + 0.5 * (2 / 3));
  assert.equal(averagePrecision([0.1, 0.2], [0, 0]), null);
});

test("log loss matches the hand-computed value, and weights fraud rows as asked", () => {
  const loss = -(Math.log(0.9) + Math.log(0.8)) / 2;
  close(logLoss([0.9, 0.2], [1, 0]), loss);
  close(logLoss([0.9, 0.2], [1, 0], 3), -(3 * Math.log(0.9) + Math.log(0.8)) / 4);
  close(logLoss([0, 1], [0, 1]), 0, 1e-14);
  assert.ok(Number.isFinite(logLoss([1, 0], [0, 1])), "a sure miss costs a finite amount");
});

const row = (
  day: string,
  cardId: string,
  score: number,
  label: 0 | 1,
  knownCompromised = false,
): CardScoredRow => ({
  day,
  cardId,
  score,
  label,
  knownCompromised,
});

test("card precision at k ranks cards by their best score of the day, skips known-compromised cards and divides by k", () => {
  const rows = [
    // Day 1: A (best 0.9, one fraud row), B (0.8, legit), C (known compromised), D (0.7, fraud).
    row("d1", "A", 0.9, 0),
    row("d1", "A", 0.2, 1),
    row("d1", "B", 0.8, 0),
    row("d1", "C", 0.95, 1, true),
    row("d1", "D", 0.7, 1),
    // Day 2: three cards tie for two places, two of them fraudulent: 2 · 2/3 expected finds.
    row("d2", "E", 0.6, 1),
    row("d2", "F", 0.6, 0),
    row("d2", "G", 0.6, 1),
  ];
  const result = cardPrecisionAtK(rows, 2);
  assert.equal(result.days, 2);
  close(result.value, (1 / 2 + 4 / 3 / 2) / 2);
  // With fewer cards than k the unused checks count as misses: one fraud card of k = 10.
  close(cardPrecisionAtK([row("d1", "A", 0.5, 1)], 10).value, 0.1);
  assert.deepEqual(cardPrecisionAtK([], 5), { value: null, days: 0 });
});

test("metrics refuse NaN scores and mismatched lengths as bugs", () => {
  assert.throws(() => rocAuc([Number.NaN, 1], [0, 1]), AssertionError);
  assert.throws(() => averagePrecision([1], [0, 1]), AssertionError);
  assert.throws(() => logLoss([0.5], []), AssertionError);
  assert.throws(() => cardPrecisionAtK([row("d", "A", 0.5, 1)], 0), AssertionError);
});

const scoredLabels = fc
  .array(fc.record({ score: fc.integer({ min: 0, max: 20 }), label: fc.constantFrom(0, 1) }), {
    minLength: 1,
    maxLength: 60,
  })
  .map((items) => ({
    // Small integer scores make ties common; dividing keeps them non-integral.
    scores: items.map((item) => item.score / 7),
    labels: items.map((item) => item.label),
  }));

test("ROC AUC equals the share of (fraud, legitimate) pairs ranked right, ties counting one half", (t) => {
  fc.assert(
    fc.property(scoredLabels, ({ scores, labels }) => {
      let wins = 0;
      let pairs = 0;
      scores.forEach((positive, i) => {
        scores.forEach((negative, j) => {
          if (labels[i] === 1 && labels[j] === 0) {
            pairs++;
            wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
          }
        });
      });
      const auc = rocAuc(scores, labels);
      if (pairs === 0) {
        assert.equal(auc, null);
      } else {
        close(auc, wins / pairs, 1e-12);
      }
    }),
    propertyParameters(t, 300),
  );
});

test("ROC AUC is 1 for a perfect ranking and reverses to 1 − AUC when scores are negated", (t) => {
  fc.assert(
    fc.property(scoredLabels, ({ scores, labels }) => {
      const auc = rocAuc(scores, labels);
      if (auc === null) {
        return;
      }
      close(
        rocAuc(
          scores.map((score) => -score),
          labels,
        ),
        1 - auc,
        1e-12,
      );
      close(
        rocAuc(
          labels.map((label, i) => label * 100 + (scores[i] ?? 0)),
          labels,
        ),
        1,
      );
    }),
    propertyParameters(t, 300),
  );
});

test("average precision equals the fraud rate when all scores tie, and 1 for a perfect ranking", (t) => {
  fc.assert(
    fc.property(scoredLabels, ({ scores, labels }) => {
      const positives = labels.reduce((sum: number, label) => sum + label, 0);
      if (positives === 0) {
        return;
      }
      close(
        averagePrecision(
          scores.map(() => 0.5),
          labels,
        ),
        positives / labels.length,
      );
      close(
        averagePrecision(
          labels.map((label, i) => label * 100 + (scores[i] ?? 0)),
          labels,
        ),
        1,
      );
    }),
    propertyParameters(t, 300),
  );
});

test("card precision at k lies in [0, 1] and does not depend on row order", (t) => {
  const cardRow = fc.record({
    day: fc.constantFrom("d1", "d2", "d3"),
    cardId: fc.constantFrom("A", "B", "C", "D", "E"),
    score: fc.integer({ min: 0, max: 5 }),
    label: fc.constantFrom<0 | 1>(0, 1),
    knownCompromised: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(cardRow, { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (rows, k) => {
      const forward = cardPrecisionAtK(rows, k);
      const backward = cardPrecisionAtK([...rows].reverse(), k);
      assert.equal(forward.days, backward.days);
      if (forward.value === null) {
        assert.equal(rows.length, 0);
        return;
      }
      close(backward.value, forward.value, 1e-12);
      assert.ok(forward.value >= 0 && forward.value <= 1);
    }),
    propertyParameters(t, 300),
  );
});
