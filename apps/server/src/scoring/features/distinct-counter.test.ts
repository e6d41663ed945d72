import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createDistinctCounter } from "./distinct-counter.ts";
import { propertyParameters } from "./test-support.ts";

test("the distinct count equals the size of a Set of the same values, round after round", () => {
  const counter = createDistinctCounter(32);
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.oneof(fc.nat(5), fc.nat(0xffff_ffff)), { maxLength: 32 }), { maxLength: 5 }),
      (rounds) => {
        for (const values of rounds) {
          counter.reset();
          for (const value of values) {
            counter.add(value);
          }
          assert.equal(counter.count(), new Set(values).size);
        }
      },
    ),
    propertyParameters,
  );
});

test("reset forgets the previous round without clearing the table", () => {
  const counter = createDistinctCounter(4);
  counter.add(7);
  counter.add(7);
  assert.equal(counter.count(), 1);
  counter.reset();
  counter.add(7);
  counter.add(8);
  assert.equal(counter.count(), 2);
});
