import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { propertyParameters } from "./test-support.ts";
import { createVelocitySlab, type RingSpec } from "./velocity-slab.ts";

// Tiny buckets, so short random sequences wrap the rings many times.
const specs = {
  fine: { bucketMs: 10, bucketCount: 4, hasSum: true },
  coarse: { bucketMs: 70, bucketCount: 5, hasSum: false },
} as const;
const slotCount = 3;

type Event = { readonly slot: number; readonly timeMs: number; readonly amount: number; isLive: boolean };

/**
 * The documented rule, recounted from the event list: H is the newest bucket any event of the
 * slot reached (removed ones included) and the window at t covers buckets (max(q, H) − B, q].
 */
function recount(events: readonly Event[], slot: number, spec: RingSpec, timeMs: number) {
  const bucketOf = (ms: number) => Math.floor(ms / spec.bucketMs);
  let head = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    if (event.slot === slot) {
      head = Math.max(head, bucketOf(event.timeMs));
    }
  }
  const bucket = bucketOf(timeMs);
  const bottom = Math.max(bucket, head) - spec.bucketCount;
  let count = 0;
  let sum = 0;
  for (const event of events) {
    const eventBucket = bucketOf(event.timeMs);
    if (event.isLive && event.slot === slot && eventBucket > bottom && eventBucket <= bucket) {
      count += 1;
      sum += event.amount;
    }
  }
  return { count, sum };
}

const operation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      slot: fc.nat(slotCount - 1),
      // Mostly forward, sometimes far forward, sometimes back: late events out of order.
      deltaMs: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: -400, max: 400 })),
      amount: fc.integer({ min: 0, max: 1_000_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("query" as const),
      slot: fc.nat(slotCount - 1),
      deltaMs: fc.integer({ min: -500, max: 500 }),
    }),
  },
);

test("every window equals a recount of the event list by the documented bucket rule", () => {
  fc.assert(
    fc.property(fc.array(operation, { maxLength: 120 }), (operations) => {
      const slab = createVelocitySlab(specs);
      slab.grow(slotCount);
      const events: Event[] = [];
      let newestMs = 1_000;
      const check = (slot: number, timeMs: number) => {
        for (const name of ["fine", "coarse"] as const) {
          const expected = recount(events, slot, specs[name], timeMs);
          assert.equal(slab.rings[name].count(slot, timeMs), expected.count, `${name} count at ${timeMs}`);
        }
        assert.equal(slab.rings.fine.sum(slot, timeMs), recount(events, slot, specs.fine, timeMs).sum);
      };
      for (const op of operations) {
        if (op.kind === "add") {
          const timeMs = Math.max(0, newestMs + op.deltaMs);
          newestMs = Math.max(newestMs, timeMs);
          slab.add(op.slot, timeMs, op.amount);
          events.push({ slot: op.slot, timeMs, amount: op.amount, isLive: true });
        } else if (op.kind === "remove") {
          const live = events.filter((event) => event.isLive);
          const event = live[op.pick % Math.max(live.length, 1)];
          if (event !== undefined) {
            slab.remove(event.slot, event.timeMs, event.amount);
            event.isLive = false;
          }
        } else {
          check(op.slot, Math.max(0, newestMs + op.deltaMs));
        }
      }
      for (let slot = 0; slot < slotCount; slot++) {
        check(slot, newestMs);
      }
    }),
    propertyParameters,
  );
});

test("an event older than the ring is dropped and leaves the newer buckets as they were", () => {
  const slab = createVelocitySlab(specs);
  slab.grow(1);
  slab.add(0, 1_000, 5);
  slab.add(0, 1_005, 7);
  slab.add(0, 950, 100); // bucket 95: the fine ring holds buckets 97–100 only
  assert.equal(slab.rings.fine.count(0, 1_005), 2);
  assert.equal(slab.rings.fine.sum(0, 1_005), 12);
  slab.add(0, 975, 3); // bucket 97: still held, so counted in its own bucket
  assert.equal(slab.rings.fine.count(0, 1_005), 3);
  assert.equal(slab.rings.fine.count(0, 985), 1, "a late window counts nothing after its own time");
});

test("an entity with no state counts zero, and growth keeps what the slots hold", () => {
  const slab = createVelocitySlab(specs);
  assert.equal(slab.rings.fine.count(-1, 1_000), 0);
  assert.equal(slab.rings.fine.sum(-1, 1_000), 0);
  slab.grow(1);
  slab.add(0, 1_000, 9);
  slab.grow(64);
  slab.add(63, 1_000, 4);
  assert.equal(slab.rings.fine.sum(0, 1_000), 9);
  assert.equal(slab.rings.coarse.count(63, 1_000), 1);
  slab.clear(0);
  assert.equal(slab.rings.fine.count(0, 1_000), 0);
  assert.equal(slab.rings.coarse.count(63, 1_000), 1);
});

test("asking a ring without sums for a sum is a bug", () => {
  const slab = createVelocitySlab(specs);
  slab.grow(1);
  assert.throws(() => slab.rings.coarse.sum(0, 1_000), /keeps no sums/);
});

test("bytes per entity follow the layout: a count per bucket, a sum per summed bucket, head and totals per ring", () => {
  const slab = createVelocitySlab(specs);
  const buckets = specs.fine.bucketCount + specs.coarse.bucketCount;
  assert.equal(slab.bytesPerEntity, buckets * 4 + specs.fine.bucketCount * 8 + 2 * (4 + 4) + 8);
});
