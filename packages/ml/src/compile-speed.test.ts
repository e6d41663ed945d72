import assert from "node:assert/strict";
import { test } from "node:test";
import { compileModel } from "./compile.ts";
import { createRandom } from "./random.ts";
import { randomModel, randomRow } from "./synthetic.ts";

// In a file of its own: a process that also scored plain arrays would make V8's caches
// polymorphic and measure a slower scorer than a server that always passes Float64Array rows.
test("scoring speed of 300 trees of depth 6 (printed, not asserted)", (t) => {
  const random = createRandom(25);
  // A second model, as a server has after a reload: with a single one V8 specializes the code to
  // its arrays, and the figure would be better than serving sees.
  const previous = compileModel(randomModel(random, { columns: 30, trees: 8, depth: 3 }));
  const compiled = compileModel(randomModel(random, { columns: 30, trees: 300, depth: 6 }));
  const rows = Array.from({ length: 500 }, () => randomRow(random, 30));
  const out = new Float64Array(30);
  let sink = 0;
  const measure = (work: (row: Float64Array) => number): number => {
    for (const row of rows) {
      sink += work(row);
    }
    const startMs = performance.now();
    for (let repeat = 0; repeat < 10; repeat++) {
      for (const row of rows) {
        sink += work(row);
      }
    }
    return ((performance.now() - startMs) * 1000) / (10 * rows.length);
  };
  measure((row) => previous.scoreRaw(row) + previous.contributions(row, out));
  const scoreMicros = measure((row) => compiled.scoreRaw(row));
  const contributionMicros = measure((row) => compiled.contributions(row, out));
  t.diagnostic(
    `scoreRaw: ${scoreMicros.toFixed(1)} µs/row; contributions: ${contributionMicros.toFixed(1)} µs/row`,
  );
  assert.ok(Number.isFinite(sink));
});
