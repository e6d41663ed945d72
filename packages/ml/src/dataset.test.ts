import assert from "node:assert/strict";
import { test } from "node:test";
import { AssertionError } from "./assert.ts";
import { createDataset, selectRows } from "./dataset.ts";

test("createDataset stores rows row-major, with NaN for missing values", () => {
  const result = createDataset(
    ["amount", "count"],
    [
      [1, Number.NaN],
      [3, 4],
    ],
    [0, 1],
  );
  assert.ok(result.ok);
  assert.deepEqual([...result.dataset.values], [1, Number.NaN, 3, 4]);
  assert.deepEqual([...result.dataset.labels], [0, 1]);
  assert.equal(result.dataset.rows, 2);
  assert.equal(result.dataset.columns, 2);
});

test("createDataset refuses a row of the wrong width with column_mismatch", () => {
  const result = createDataset(["a", "b"], [[1, 2], [3]], [0, 1]);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.code, "column_mismatch");
});

test("createDataset refuses labels other than 0 and 1, a label count that differs, infinities and no features", () => {
  const cases = [
    createDataset(["a"], [[1], [2]], [0, 2]),
    createDataset(["a"], [[1], [2]], [0, 0.5]),
    createDataset(["a"], [[1], [2]], [0]),
    createDataset(["a"], [[1], [Number.POSITIVE_INFINITY]], [0, 1]),
    createDataset([], [[], []], [0, 1]),
  ];
  for (const result of cases) {
    assert.equal(!result.ok && result.code, "invalid_dataset", JSON.stringify(result));
  }
});

test("selectRows copies the chosen rows in order, repeats included", () => {
  const result = createDataset(
    ["a", "b"],
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    [0, 1, 0],
  );
  assert.ok(result.ok);
  const subset = selectRows(result.dataset, [2, 0, 2]);
  assert.deepEqual([...subset.values], [5, 6, 1, 2, 5, 6]);
  assert.deepEqual([...subset.labels], [0, 0, 0]);
  assert.equal(subset.rows, 3);
  assert.equal(subset.featureNames, result.dataset.featureNames);
  assert.throws(() => selectRows(result.dataset, [3]), AssertionError);
});
