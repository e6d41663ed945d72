/**
 * Counts distinct 32-bit values, for "distinct merchants in the last hour" and the like, in
 * constant time per value and without clearing between counts: each slot of a small
 * open-addressing table remembers the round that filled it, so `reset()` only starts a new round.
 */
import { assert } from "../../platform/assert.ts";

export type DistinctCounter = {
  /** Starts a new count. */
  reset(): void;
  add(value: number): void;
  /** Distinct values added since the last reset. */
  count(): number;
};

export function createDistinctCounter(valuesMax: number): DistinctCounter {
  assert(Number.isSafeInteger(valuesMax) && valuesMax > 0 && valuesMax <= 1 << 16, "a small table");
  // At most a quarter full, so a probe sequence is short.
  const bits = Math.max(4, Math.ceil(Math.log2(valuesMax * 4)));
  const size = 2 ** bits;
  const mask = size - 1;
  const values = new Uint32Array(size);
  const rounds = new Uint32Array(size);
  let round = 1;
  let distinct = 0;
  return {
    reset() {
      distinct = 0;
      round += 1;
      if (round === 0xffff_ffff) {
        rounds.fill(0);
        round = 1;
      }
    },

    add(value) {
      // Fibonacci hashing spreads hashes and packed codes alike over the table.
      let slot = Math.imul(value, 0x9e37_79b1) >>> (32 - bits);
      for (let probe = 0; probe < size; probe++) {
        if (rounds[slot] !== round) {
          rounds[slot] = round;
          values[slot] = value;
          distinct += 1;
          return;
        }
        if (values[slot] === value) {
          return;
        }
        slot = (slot + 1) & mask;
      }
      assert(false, "more distinct values than the counter was sized for");
    },

    count: () => distinct,
  };
}
