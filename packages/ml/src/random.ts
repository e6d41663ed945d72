import { assert } from "./assert.ts";

/** Seeded randomness for sampling rows and columns; the same seed always trains the same model. */
export type Random = {
  /** A uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** A uniform float in [0, 1). */
  float(): number;
};

/**
 * SplitMix32, the same generator as the server's simulation: tiny, fast and good enough for
 * sampling. Not for secrets.
 */
export function createRandom(seed: number): Random {
  assert(Number.isSafeInteger(seed), "seed must be a safe integer");
  let state = seed >>> 0;
  const next32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const float = (): number => (next32() * 2 ** 21 + (next32() >>> 11)) / 2 ** 53;
  return {
    int(maxExclusive) {
      assert(Number.isSafeInteger(maxExclusive) && maxExclusive > 0, "int() needs a positive bound");
      return Math.floor(float() * maxExclusive);
    },
    float,
  };
}

/**
 * `count` distinct indices from [0, length), in increasing order so later passes read the rows
 * front to back. A partial Fisher–Yates shuffle draws exactly `count`, not about `count`; taking
 * all of them draws nothing, so sampling at rate 1 leaves the generator where it was.
 */
export function sampleIndices(random: Random, length: number, count: number): Int32Array {
  assert(count >= 0 && count <= length, "sample larger than the population");
  const pool = indexRange(length);
  if (count === length) {
    return pool;
  }
  for (let i = 0; i < count; i++) {
    const j = i + random.int(length - i);
    const chosen = pool[j] ?? 0;
    pool[j] = pool[i] ?? 0;
    pool[i] = chosen;
  }
  return pool.subarray(0, count).sort();
}

/** 0, 1, …, length − 1. */
export function indexRange(length: number): Int32Array {
  const indices = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    indices[i] = i;
  }
  return indices;
}
