import assert from "node:assert/strict";
import { test } from "node:test";
import { systemRandom } from "./random.ts";

test("system random bytes: every draw is fresh, across pool refills and beyond the pool's size", () => {
  const seen = new Set<string>();
  // 1,000 draws of 10 bytes cross the 4 KiB pool's refill twice.
  for (let i = 0; i < 1_000; i++) {
    const bytes = systemRandom.bytes(10);
    assert.equal(bytes.length, 10);
    seen.add(Buffer.from(bytes).toString("hex"));
  }
  assert.equal(seen.size, 1_000, "no two draws repeat");
  const large = systemRandom.bytes(10_000);
  assert.equal(large.length, 10_000);
  assert.ok(new Set(large).size > 200, "a large draw is random, not a zeroed buffer");
});

test("system random bytes: a caller's copy is its own; changing it does not change later draws", () => {
  const first = systemRandom.bytes(16);
  first.fill(7);
  const second = systemRandom.bytes(16);
  assert.notDeepEqual([...second], Array(16).fill(7));
});
