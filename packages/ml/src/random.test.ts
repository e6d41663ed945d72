import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createRandom, sampleIndices } from "./random.ts";
import { propertyParameters } from "./synthetic.ts";

test("a seed replays the same stream, and another seed gives another", () => {
  const draw = (seed: number) => {
    const random = createRandom(seed);
    return Array.from({ length: 8 }, () => random.int(1000));
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
});

test("sampleIndices draws exactly count distinct indices in increasing order", (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 200 }),
      fc.integer(),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (length, seed, rate) => {
        const count = Math.floor(length * rate);
        const sample = sampleIndices(createRandom(seed), length, count);
        assert.equal(sample.length, count);
        for (let i = 0; i < sample.length; i++) {
          const index = sample[i] ?? -1;
          assert.ok(index >= 0 && index < length);
          assert.ok(i === 0 || index > (sample[i - 1] ?? -1));
        }
      },
    ),
    propertyParameters(t, 200),
  );
});
