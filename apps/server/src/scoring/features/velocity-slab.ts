/**
 * Velocity windows (counts and amount sums over the last minute, hour, day…) for many entities
 * of one kind, as bucketed rings in a struct-of-arrays slab indexed by entity slot: one array of
 * integers (per ring: head, count total, a count per bucket) and one of doubles (per summed ring:
 * sum total, a sum per bucket). Memory per entity is fixed, there is no per-entity object for the
 * garbage collector to trace, and a ring's head sits beside its buckets, so reading an entity
 * touches two arrays rather than one per field: at 100,000 cards each array is a cache miss.
 *
 * The semantics are exact, so `velocity-slab.test.ts` can recount any window from the event
 * list and get the same number:
 *
 * - A ring has B buckets of W ms. An event at time t falls in bucket ⌊t / W⌋.
 * - The ring's head H is the newest bucket any event added to it has reached (an event taken out
 *   again by `remove()` included: the head never moves back). The ring holds buckets (H − B, H].
 *   An event older than that is dropped when it arrives, and moving the head forward empties the
 *   buckets that fall out, so an event that arrives out of order never disturbs a newer bucket.
 * - The window at time t, with q = ⌊t / W⌋, counts the events whose bucket is in (q − B, q],
 *   limited to what the ring holds: (max(q, H) − B, q]. For t at or after the entity's newest
 *   event, the usual case, that is exactly (q − B, q]. A late authorization sees neither the
 *   events after it nor those the ring has already forgotten.
 * - The window therefore spans the current, partial bucket plus B − 1 whole ones: its true
 *   length is between (B − 1)·W and B·W.
 * - `remove()` takes one event out of its bucket while the ring still holds that bucket; after
 *   that the event is forgotten anyway.
 *
 * Each ring also keeps its running total over the buckets it holds. A window at or after the
 * head is then the total less the buckets that have since fallen out of it, so reading costs
 * one step per bucket the entity has been idle (none for a busy merchant), not one per bucket.
 *
 * Typed-array reads are `number | undefined` under `noUncheckedIndexedAccess`; every index here is
 * in range by construction, so reads say `?? 0`.
 */
import { assert } from "../../platform/assert.ts";
import { grownArray, rowBytes } from "./typed-arrays.ts";

export type RingSpec = { readonly bucketMs: number; readonly bucketCount: number; readonly hasSum: boolean };

export type VelocityRing = {
  /** Events in the window at `timeMs`. Slot -1 (an entity with no state) counts 0. */
  count(slot: number, timeMs: number): number;
  /** The sum of their amounts. Only for rings with `hasSum`. */
  sum(slot: number, timeMs: number): number;
};

export type VelocitySlab<K extends string> = {
  readonly rings: { readonly [R in K]: VelocityRing };
  /** Bytes of typed arrays per entity slot. */
  readonly bytesPerEntity: number;
  /** Makes room for `capacity` slots; new slots are empty. */
  grow(capacity: number): void;
  /** Empties one slot, for an entity that takes over an evicted entity's slot. */
  clear(slot: number): void;
  /** The slot's integers, then its doubles, as byte views: how a row travels to shared state. */
  rowViews(slot: number): Uint8Array[];
  /** Where each ring lives in a row, so another runtime (Redis's Lua) can add to a row too. */
  readonly layout: SlabLayout;
  add(slot: number, timeMs: number, amount: number): void;
  remove(slot: number, timeMs: number, amount: number): void;
};

/** A row is `intStride` little-endian uint32s followed by `sumStride` float64s. */
export type SlabLayout = {
  readonly intStride: number;
  readonly sumStride: number;
  readonly rings: readonly RingLayout[];
};

export type RingLayout = {
  readonly bucketMs: number;
  readonly bucketCount: number;
  /** Where the ring's head is within an entity's integers; its count total and counts follow. */
  readonly intOffset: number;
  /** Where the ring's sum total is within an entity's doubles, its sums following; -1 for none. */
  readonly sumOffset: number;
};

/** The head and count total precede a ring's counts; the sum total precedes its sums. */
const countsAfterHead = 2;
const sumsAfterTotal = 1;

export function createVelocitySlab<K extends string>(
  specs: { readonly [R in K]: RingSpec },
): VelocitySlab<K> {
  const names = Object.keys(specs) as K[];
  const layouts: RingLayout[] = [];
  let intStride = 0;
  let sumStride = 0;
  for (const name of names) {
    const spec = specs[name];
    assert(Number.isSafeInteger(spec.bucketMs) && spec.bucketMs > 0, "a bucket lasts a whole number of ms");
    assert(Number.isSafeInteger(spec.bucketCount) && spec.bucketCount > 1, "a ring has several buckets");
    layouts.push({
      bucketMs: spec.bucketMs,
      bucketCount: spec.bucketCount,
      intOffset: intStride,
      sumOffset: spec.hasSum ? sumStride : -1,
    });
    intStride += countsAfterHead + spec.bucketCount;
    sumStride += spec.hasSum ? sumsAfterTotal + spec.bucketCount : 0;
  }

  // Counts fit 32 bits even for the busiest merchant's busiest hour, and so do heads (bucket
  // numbers). Sums need a double, which stays exact for integer minor units up to 2^53, so
  // totals and the differences taken from them are exact too.
  let ints = new Uint32Array(0);
  let sums = new Float64Array(0);

  /**
   * The window at `timeMs` over one field: buckets (max(q, H) − B, q]. At or after the head it
   * is the running total less the buckets between the ring's oldest and the window's oldest;
   * before the head (a late authorization) it is a plain sum from the ring's oldest to q.
   */
  const windowOf = (
    values: Uint32Array | Float64Array,
    total: number,
    base: number,
    layout: RingLayout,
    head: number,
    timeMs: number,
  ): number => {
    const bucketCount = layout.bucketCount;
    const bucket = Math.floor(timeMs / layout.bucketMs);
    // Both cases walk forward from the ring's oldest bucket, H − B + 1.
    let position = (head + 1) % bucketCount;
    if (bucket >= head) {
      const fallenOut = bucket - head;
      if (fallenOut >= bucketCount) {
        return 0;
      }
      let result = total;
      for (let i = 0; i < fallenOut; i++) {
        result -= values[base + position] ?? 0;
        position = position + 1 === bucketCount ? 0 : position + 1;
      }
      return result;
    }
    let result = 0;
    for (let i = bucket - head + bucketCount; i > 0; i--) {
      result += values[base + position] ?? 0;
      position = position + 1 === bucketCount ? 0 : position + 1;
    }
    return result;
  };

  const ringOf = (layout: RingLayout): VelocityRing => ({
    count(slot, timeMs) {
      if (slot < 0) {
        return 0;
      }
      const at = slot * intStride + layout.intOffset;
      return windowOf(ints, ints[at + 1] ?? 0, at + countsAfterHead, layout, ints[at] ?? 0, timeMs);
    },
    sum(slot, timeMs) {
      assert(layout.sumOffset >= 0, "this ring keeps no sums");
      if (slot < 0) {
        return 0;
      }
      const head = ints[slot * intStride + layout.intOffset] ?? 0;
      const at = slot * sumStride + layout.sumOffset;
      return windowOf(sums, sums[at] ?? 0, at + sumsAfterTotal, layout, head, timeMs);
    },
  });

  const rings = {} as { [R in K]: VelocityRing };
  for (const [index, name] of names.entries()) {
    const layout = layouts[index];
    assert(layout !== undefined, "one layout per ring");
    rings[name] = ringOf(layout);
  }

  /** Moves the head at `at` forward to `bucket`, emptying the buckets that fall out of the ring. */
  const advance = (layout: RingLayout, at: number, sumAt: number, bucket: number) => {
    const bucketCount = layout.bucketCount;
    const hasSum = sumAt >= 0;
    const head = ints[at] ?? 0;
    ints[at] = bucket;
    if (bucket - head >= bucketCount) {
      // Idle for a whole ring: everything falls out, the common case for a quiet card.
      ints.fill(0, at + 1, at + countsAfterHead + bucketCount);
      if (hasSum) {
        sums.fill(0, sumAt, sumAt + sumsAfterTotal + bucketCount);
      }
      return;
    }
    let position = (head + 1) % bucketCount;
    for (let b = head + 1; b <= bucket; b++) {
      const countAt = at + countsAfterHead + position;
      ints[at + 1] = (ints[at + 1] ?? 0) - (ints[countAt] ?? 0);
      ints[countAt] = 0;
      if (hasSum) {
        const bucketSumAt = sumAt + sumsAfterTotal + position;
        sums[sumAt] = (sums[sumAt] ?? 0) - (sums[bucketSumAt] ?? 0);
        sums[bucketSumAt] = 0;
      }
      position = position + 1 === bucketCount ? 0 : position + 1;
    }
  };

  return {
    rings,
    bytesPerEntity: intStride * Uint32Array.BYTES_PER_ELEMENT + sumStride * Float64Array.BYTES_PER_ELEMENT,

    grow(capacity) {
      assert(capacity * intStride >= ints.length, "slabs only grow");
      ints = grownArray(ints, capacity * intStride);
      sums = grownArray(sums, capacity * sumStride);
    },

    clear(slot) {
      ints.fill(0, slot * intStride, (slot + 1) * intStride);
      sums.fill(0, slot * sumStride, (slot + 1) * sumStride);
    },

    rowViews: (slot) => [rowBytes(ints, slot, intStride), rowBytes(sums, slot, sumStride)],

    layout: { intStride, sumStride, rings: layouts },

    add(slot, timeMs, amount) {
      for (const layout of layouts) {
        const bucket = Math.floor(timeMs / layout.bucketMs);
        assert(bucket < 2 ** 31, "bucket numbers fit 32 bits for any time before the year 2600");
        const at = slot * intStride + layout.intOffset;
        const sumAt = layout.sumOffset < 0 ? -1 : slot * sumStride + layout.sumOffset;
        const head = ints[at] ?? 0;
        if (bucket <= head - layout.bucketCount) {
          continue; // Older than anything the ring holds: dropped, so newer buckets stay intact.
        }
        if (bucket > head) {
          advance(layout, at, sumAt, bucket);
        }
        const position = bucket % layout.bucketCount;
        const countAt = at + countsAfterHead + position;
        ints[countAt] = (ints[countAt] ?? 0) + 1;
        ints[at + 1] = (ints[at + 1] ?? 0) + 1;
        if (sumAt >= 0) {
          const bucketSumAt = sumAt + sumsAfterTotal + position;
          sums[bucketSumAt] = (sums[bucketSumAt] ?? 0) + amount;
          sums[sumAt] = (sums[sumAt] ?? 0) + amount;
        }
      }
    },

    remove(slot, timeMs, amount) {
      for (const layout of layouts) {
        const bucket = Math.floor(timeMs / layout.bucketMs);
        const at = slot * intStride + layout.intOffset;
        const head = ints[at] ?? 0;
        if (bucket > head || bucket <= head - layout.bucketCount) {
          continue; // The ring no longer holds the event's bucket: it is already forgotten.
        }
        const position = bucket % layout.bucketCount;
        const countAt = at + countsAfterHead + position;
        const count = ints[countAt] ?? 0;
        if (count === 0) {
          // Only when the entity was evicted and its key came back since: nothing of it is left.
          continue;
        }
        ints[countAt] = count - 1;
        ints[at + 1] = (ints[at + 1] ?? 0) - 1;
        if (layout.sumOffset >= 0) {
          const sumAt = slot * sumStride + layout.sumOffset;
          const bucketSumAt = sumAt + sumsAfterTotal + position;
          sums[bucketSumAt] = (sums[bucketSumAt] ?? 0) - amount;
          sums[sumAt] = (sums[sumAt] ?? 0) - amount;
        }
      }
    },
  };
}
