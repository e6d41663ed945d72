import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { createSeededRandom } from "../platform/random.ts";
import {
  createWeightedPicker,
  deriveSeed,
  intBetween,
  lognormal,
  poisson,
  stratifiedCount,
} from "./distributions.ts";

describe("distributions", () => {
  test("intBetween stays inside its inclusive range", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1_000, max: 1_000 }),
        fc.nat(1_000),
        (seed, min, width) => {
          const random = createSeededRandom(seed);
          for (let n = 0; n < 20; n++) {
            const value = intBetween(random, [min, min + width]);
            assert.ok(value >= min && value <= min + width);
          }
        },
      ),
    );
  });

  test("a weighted picker never picks a zero-weight item and follows the weights (seed=1)", () => {
    const pick = createWeightedPicker([
      ["a", 1],
      ["never", 0],
      ["b", 3],
    ] as const);
    const random = createSeededRandom(1);
    const counts = { a: 0, b: 0, never: 0 };
    for (let n = 0; n < 40_000; n++) {
      counts[pick(random)] += 1;
    }
    assert.equal(counts.never, 0);
    assert.ok(Math.abs(counts.b / counts.a - 3) < 0.15, `ratio ${counts.b / counts.a}`);
  });

  test("a weighted picker refuses weights that are all zero", () => {
    assert.throws(() => createWeightedPicker([["a", 0]]), /positive weight/);
  });

  test("stratifiedCount is the expected count rounded up or down, never further", () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1e6, noNaN: true }), (seed, expected) => {
        const count = stratifiedCount(createSeededRandom(seed), expected);
        assert.ok(count === Math.floor(expected) || count === Math.floor(expected) + 1);
      }),
    );
  });

  test("poisson draws average their mean, for small means and for large ones (seed=2)", () => {
    const random = createSeededRandom(2);
    for (const mean of [0.05, 1.8, 12, 400]) {
      let total = 0;
      const draws = 20_000;
      for (let n = 0; n < draws; n++) {
        const value = poisson(random, mean);
        assert.ok(Number.isInteger(value) && value >= 0);
        total += value;
      }
      assert.ok(Math.abs(total / draws - mean) < 0.05 * mean + 0.01, `mean ${mean}: ${total / draws}`);
    }
  });

  test("lognormal draws have the requested median (seed=3)", () => {
    const random = createSeededRandom(3);
    const values = Array.from({ length: 20_001 }, () => lognormal(random, 2_000, 0.6)).sort((a, b) => a - b);
    const median = values[10_000] ?? 0;
    assert.ok(Math.abs(median / 2_000 - 1) < 0.05, `median ${median}`);
  });

  test("derived seeds separate the streams of one seed and stay 32-bit", () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), (seed) => {
        const streams = [0, 1, 2, 3, 4].map((stream) => deriveSeed(seed, stream));
        assert.equal(new Set(streams).size, streams.length);
        assert.ok(streams.every((value) => Number.isInteger(value) && value >= 0 && value < 2 ** 32));
      }),
    );
  });
});
