import { randomFillSync, randomInt } from "node:crypto";
import { assert } from "./assert.ts";

/** Randomness comes from this port: seeded in tests and simulation, the CSPRNG in production. */
export interface Random {
  /** A uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** A uniform float in [0, 1). */
  float(): number;
  bytes(length: number): Uint8Array;
}

/**
 * CSPRNG bytes are drawn a pool at a time: one call into OpenSSL per request for a few bytes of
 * an id cost more than the rest of the id. Each caller gets a copy, never a view of the pool.
 */
const poolBytes = 4096;
const pool = new Uint8Array(poolBytes);
let poolOffset = poolBytes;

function systemBytes(length: number): Uint8Array {
  if (length > poolBytes) {
    return randomFillSync(new Uint8Array(length));
  }
  if (poolOffset + length > poolBytes) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = pool.slice(poolOffset, poolOffset + length);
  // Zero what was handed out, so the pool never holds bytes that someone already owns.
  pool.fill(0, poolOffset, poolOffset + length);
  poolOffset += length;
  return out;
}

export const systemRandom: Random = {
  int: (maxExclusive) => randomInt(maxExclusive),
  float: () => randomInt(2 ** 48) / 2 ** 48,
  bytes: systemBytes,
};

/**
 * A seeded PRNG (SplitMix32 into a 32-bit state), so any simulated run replays from its seed.
 * Not for secrets.
 */
export function createSeededRandom(seed: number): Random {
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
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) {
        out[i] = next32() & 0xff;
      }
      return out;
    },
  };
}
