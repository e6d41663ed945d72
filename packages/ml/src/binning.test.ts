import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { binDataset, missingBin } from "./binning.ts";
import type { Dataset } from "./dataset.ts";
import { createRandom } from "./random.ts";
import { propertyParameters } from "./synthetic.ts";

function column(values: readonly number[]): Dataset {
  return {
    rows: values.length,
    columns: 1,
    values: Float64Array.from(values),
    labels: new Uint8Array(values.length),
    featureNames: ["x"],
  };
}

test("every value lands in the bin whose bounds hold it, and missing values in the missing bin", (t) => {
  const value = fc.oneof(
    fc.integer({ min: -20, max: 20 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constant(Number.NaN),
  );
  fc.assert(
    fc.property(
      fc.array(value, { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 2, max: 255 }),
      (values, binsMax) => {
        const binned = binDataset(column(values), binsMax);
        const bounds = binned.thresholds[0] ?? new Float64Array(0);
        assert.ok(bounds.length + 1 <= binsMax, "at most binsMax value bins");
        for (let i = 1; i < bounds.length; i++) {
          assert.ok((bounds[i] ?? 0) > (bounds[i - 1] ?? 0), "bounds strictly increase");
        }
        values.forEach((x, row) => {
          const bin = binned.bins[row] ?? -1;
          if (Number.isNaN(x)) {
            assert.equal(bin, missingBin);
            return;
          }
          assert.ok(bin === bounds.length || x <= (bounds[bin] ?? 0), "value ≤ its bin's bound");
          assert.ok(bin === 0 || x > (bounds[bin - 1] ?? 0), "value > the previous bin's bound");
        });
      },
    ),
    propertyParameters(t, 200),
  );
});

test("a feature with fewer distinct values than bins gets one bin per value", () => {
  const binned = binDataset(column([3, 1, 2, 3, 1, Number.NaN]), 255);
  assert.deepEqual([...(binned.thresholds[0] ?? [])], [1, 2]);
  assert.deepEqual([...binned.bins], [2, 0, 1, 2, 0, missingBin]);
});

test("quantile bins hold about equal numbers of rows", () => {
  const random = createRandom(7);
  const values = Array.from({ length: 10_000 }, () => random.float());
  const binned = binDataset(column(values), 10);
  const counts = new Array(10).fill(0);
  for (const bin of binned.bins) {
    counts[bin]++;
  }
  for (const count of counts) {
    assert.ok(Math.abs(count - 1000) <= 1, `bin of ${count} rows`);
  }
});

test("a value repeated on most rows fills one bin and the other values share the rest", () => {
  const random = createRandom(9);
  const values = Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : random.float() + 1));
  const binned = binDataset(column(values), 10);
  const bounds = binned.thresholds[0] ?? new Float64Array(0);
  assert.equal(bounds[0], 0, "zero is a bin of its own");
  assert.equal(bounds.length, 9, "the 100 other values still get 9 bins");
});
