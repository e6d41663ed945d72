/**
 * The rows an evaluation keeps for one window: a vector per labelled row, row-major in one growing
 * Float64Array (no object per row), with the label and what the card-level metric needs beside it.
 */
import type { CardScoredRow, Dataset } from "@mimamori/ml";
import { assert } from "../platform/assert.ts";

/** What a row carries besides its vector. */
export type RowFacts = {
  readonly isFraud: boolean;
  readonly cardId: string;
  /** The payment's local calendar day, "2026-02-14". */
  readonly day: string;
  /** A fraud label of the card was known when that day began. */
  readonly isKnownCompromised: boolean;
};

export type RowTable = {
  /** Values per row. */
  readonly width: number;
  readonly rows: number;
  /** Row-major, `width` values a row; the buffer is replaced as the table grows, so read it after append(). */
  readonly values: Float64Array;
  /** 0 or 1 per row. */
  readonly labels: Uint8Array;
  /** Adds a row and returns the offset of its vector in `values`, for the caller to write. */
  append(facts: RowFacts): number;
  fraudCount(): number;
  /** One column of every row, as its own array. */
  column(index: number): Float64Array;
  /**
   * The rows as a dataset of the first `featureNames.length` columns: a view when that is every
   * column, a copy otherwise.
   */
  dataset(featureNames: readonly string[]): Dataset;
  /** The rows with `scores` (one per row), for card precision@k. */
  cardScoredRows(scores: Float64Array): CardScoredRow[];
};

/** Rows before the first doubling: small windows stay small. */
const initialCapacityRows = 1_024;

export function createRowTable(width: number): RowTable {
  assert(Number.isInteger(width) && width > 0, "a row has values");
  let capacity = initialCapacityRows;
  let values = new Float64Array(capacity * width);
  let labels = new Uint8Array(capacity);
  const cardIds: string[] = [];
  const days: string[] = [];
  const isKnownCompromised: boolean[] = [];
  let rows = 0;

  const grow = (): void => {
    capacity *= 2;
    const grownValues = new Float64Array(capacity * width);
    grownValues.set(values);
    values = grownValues;
    const grownLabels = new Uint8Array(capacity);
    grownLabels.set(labels);
    labels = grownLabels;
  };

  return {
    width,
    get rows() {
      return rows;
    },
    get values() {
      return values;
    },
    get labels() {
      return labels.subarray(0, rows);
    },
    append(facts) {
      if (rows === capacity) {
        grow();
      }
      labels[rows] = facts.isFraud ? 1 : 0;
      cardIds.push(facts.cardId);
      days.push(facts.day);
      isKnownCompromised.push(facts.isKnownCompromised);
      rows += 1;
      return (rows - 1) * width;
    },
    fraudCount() {
      let frauds = 0;
      for (let r = 0; r < rows; r++) {
        frauds += labels[r] ?? 0;
      }
      return frauds;
    },
    column(index) {
      assert(Number.isInteger(index) && index >= 0 && index < width, "the column exists");
      const column = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        column[r] = values[r * width + index] ?? 0;
      }
      return column;
    },
    dataset(featureNames) {
      const columns = featureNames.length;
      assert(columns > 0 && columns <= width, "a dataset takes some of the table's columns");
      let datasetValues: Float64Array;
      if (columns === width) {
        datasetValues = values.subarray(0, rows * width);
      } else {
        datasetValues = new Float64Array(rows * columns);
        for (let r = 0; r < rows; r++) {
          datasetValues.set(values.subarray(r * width, r * width + columns), r * columns);
        }
      }
      return { rows, columns, values: datasetValues, labels: labels.subarray(0, rows), featureNames };
    },
    cardScoredRows(scores) {
      assert(scores.length === rows, "one score per row");
      const scored: CardScoredRow[] = [];
      for (let r = 0; r < rows; r++) {
        scored.push({
          day: days[r] ?? "",
          cardId: cardIds[r] ?? "",
          score: scores[r] ?? 0,
          label: labels[r] === 1 ? 1 : 0,
          knownCompromised: isKnownCompromised[r] ?? false,
        });
      }
      return scored;
    },
  };
}
