import { assert } from "./assert.ts";
import { limits } from "./limits.ts";

/**
 * A table of numeric features with a binary label per row: the one input shape of every trainer
 * and metric here. Values are row-major (row r, column c at `r * columns + c`) so one row is a
 * contiguous slice a scorer reads without copying; NaN marks a missing value.
 */
export type Dataset = {
  readonly rows: number;
  readonly columns: number;
  readonly values: Float64Array;
  /** 0 (legitimate) or 1 (fraud). */
  readonly labels: Uint8Array;
  readonly featureNames: readonly string[];
};

/** Why a table cannot be used: codes shared by `createDataset` and the trainers. */
export type DatasetProblem = {
  readonly code: "column_mismatch" | "invalid_dataset";
  readonly message: string;
};

export type DatasetResult = { ok: true; dataset: Dataset } | ({ ok: false } & DatasetProblem);

/**
 * Builds a dataset from one array per row. Missing values are NaN; infinities are refused, since
 * a model's thresholds are training values and must survive JSON, which has no infinity.
 */
export function createDataset(
  featureNames: readonly string[],
  rows: readonly (readonly number[])[],
  labels: readonly number[],
): DatasetResult {
  const columns = featureNames.length;
  const values = new Float64Array(rows.length * columns);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] ?? [];
    if (row.length !== columns) {
      return {
        ok: false,
        code: "column_mismatch",
        message: `row ${r} has ${row.length} values for ${columns} features`,
      };
    }
    values.set(row, r * columns);
  }
  if (labels.length !== rows.length) {
    return {
      ok: false,
      code: "invalid_dataset",
      message: `${labels.length} labels for ${rows.length} rows`,
    };
  }
  // Checked before the copy into bytes, which would turn 0.5 into 0 and 2 into a valid-looking 2.
  const badLabel = labels.findIndex((label) => label !== 0 && label !== 1);
  if (badLabel >= 0) {
    return { ok: false, code: "invalid_dataset", message: `label of row ${badLabel} is not 0 or 1` };
  }
  const dataset = { rows: rows.length, columns, values, labels: Uint8Array.from(labels), featureNames };
  const problem = findDatasetProblem(dataset);
  return problem === null ? { ok: true, dataset } : { ok: false, ...problem };
}

/**
 * Checks that a dataset's arrays agree with its shape and hold usable values. Trainers call it
 * on every dataset they are given, since a `Dataset` can be built by hand as well as by
 * `createDataset`.
 */
export function findDatasetProblem(dataset: Dataset): DatasetProblem | null {
  const { rows, columns, values, labels, featureNames } = dataset;
  if (featureNames.length !== columns) {
    return {
      code: "column_mismatch",
      message: `${featureNames.length} feature names for ${columns} columns`,
    };
  }
  if (columns < 1 || columns > limits.columnsMax) {
    return { code: "invalid_dataset", message: `${columns} columns; 1 to ${limits.columnsMax} are allowed` };
  }
  if (rows * columns > limits.valuesMax) {
    return { code: "invalid_dataset", message: `${rows * columns} values; at most ${limits.valuesMax}` };
  }
  if (values.length !== rows * columns || labels.length !== rows) {
    return {
      code: "column_mismatch",
      message: `${values.length} values and ${labels.length} labels for ${rows} rows × ${columns} columns`,
    };
  }
  for (let r = 0; r < rows; r++) {
    if ((labels[r] ?? 0) > 1) {
      return { code: "invalid_dataset", message: `label of row ${r} is not 0 or 1` };
    }
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? 0;
    if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
      return {
        code: "invalid_dataset",
        message: `row ${Math.floor(i / columns)} column ${featureNames[i % columns]} is infinite`,
      };
    }
  }
  return null;
}

/** The rows at `indices`, in that order (repeats allowed), as a new dataset. */
export function selectRows(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const { columns } = dataset;
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i] ?? -1;
    assert(Number.isInteger(row) && row >= 0 && row < dataset.rows, "selected rows exist");
  }
  const values = new Float64Array(indices.length * columns);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i] ?? 0;
    values.set(dataset.values.subarray(row * columns, (row + 1) * columns), i * columns);
    labels[i] = dataset.labels[row] ?? 0;
  }
  return { rows: indices.length, columns, values, labels, featureNames: dataset.featureNames };
}
