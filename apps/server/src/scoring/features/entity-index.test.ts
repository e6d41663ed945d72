import assert from "node:assert/strict";
import { test } from "node:test";
import { createEntityIndex } from "./entity-index.ts";

function createRecordingIndex(entitiesMax: number, isEvictable: boolean) {
  const grownTo: number[] = [];
  const reused: number[] = [];
  const index = createEntityIndex({
    entitiesMax,
    isEvictable,
    onGrow: (capacity) => grownTo.push(capacity),
    onReuse: (slot) => reused.push(slot),
  });
  return { index, grownTo, reused };
}

test("slots are dense and stable while the slabs double up to the cap", () => {
  const { index, grownTo } = createRecordingIndex(5_000, false);
  for (let i = 0; i < 3_000; i++) {
    assert.equal(index.slotFor(`card_${i}`), i);
  }
  assert.deepEqual(grownTo, [1_024, 2_048, 4_096]);
  assert.equal(index.slotFor("card_17"), 17);
  assert.equal(index.size, 3_000);
});

test("slotOf is a pure read: an unknown key gets no slot", () => {
  const { index } = createRecordingIndex(10, true);
  assert.equal(index.slotOf("mer_a"), -1);
  assert.equal(index.size, 0);
  index.slotFor("mer_a");
  assert.equal(index.slotOf("mer_a"), 0);
});

test("beyond the cap an evictable kind drops an entity not seen since the hand last passed", () => {
  const { index, reused } = createRecordingIndex(4, true);
  for (const key of ["a", "b", "c", "d"]) {
    index.slotFor(key);
  }
  // All four were just seen: the sweep clears every bit once and takes the first slot.
  assert.equal(index.slotFor("e"), 0);
  assert.deepEqual(reused, [0]);
  assert.equal(index.slotOf("a"), -1);
  // "c" is seen again, so the next sweep passes over it and takes "b".
  index.slotFor("c");
  assert.equal(index.slotFor("f"), 1);
  assert.equal(index.slotOf("b"), -1);
  assert.equal(index.slotOf("c"), 2);
  assert.equal(index.size, 4);
});

test("a kind that is never evicted refuses to grow past its cap", () => {
  const { index } = createRecordingIndex(2, false);
  index.slotFor("card_1");
  index.slotFor("card_2");
  assert.throws(() => index.slotFor("card_3"), /never evicted/);
});
