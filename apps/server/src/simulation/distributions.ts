import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";

/** A uniform integer in [min, max], both inclusive. */
export function intBetween(random: Random, range: readonly [number, number]): number {
  const [min, max] = range;
  assert(Number.isSafeInteger(min) && Number.isSafeInteger(max), "range bounds must be integers");
  assert(min <= max, "range must not be empty");
  return min + random.int(max - min + 1);
}

/** A uniform float in [min, max). */
export function floatBetween(random: Random, range: readonly [number, number]): number {
  return range[0] + random.float() * (range[1] - range[0]);
}

export function chance(random: Random, probability: number): boolean {
  return random.float() < probability;
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[random.int(items.length)];
  assert(item !== undefined, "pick() needs a non-empty list");
  return item;
}

/**
 * Picks items with probability proportional to their weights. The cumulative table is built once,
 * because the world draws from the same few distributions millions of times.
 */
export function createWeightedPicker<T>(entries: readonly (readonly [T, number])[]): (random: Random) => T {
  const weighted = entries.filter(([, weight]) => weight > 0);
  assert(weighted.length > 0, "a weighted picker needs a positive weight");
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of weighted) {
    total += weight;
    cumulative.push(total);
  }
  return (random) => {
    const target = random.float() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (target < (cumulative[middle] ?? total)) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    const entry = weighted[low];
    assert(entry !== undefined, "weighted pick out of range");
    return entry[0];
  };
}

/** A standard normal draw (Box–Muller); 1 - float() keeps the logarithm finite. */
function standardNormal(random: Random): number {
  const u1 = 1 - random.float();
  const u2 = random.float();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Amounts and rates are skewed: a lognormal around a median is the usual first model. */
export function lognormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(random));
}

/**
 * A Poisson draw: exact inversion for small means, a rounded normal for large ones, where the
 * inversion loop would be long and the normal is within a fraction of a percent.
 */
export function poisson(random: Random, mean: number): number {
  assert(mean >= 0 && Number.isFinite(mean), "poisson() needs a finite non-negative mean");
  if (mean >= 30) {
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * standardNormal(random)));
  }
  const u = random.float();
  let k = 0;
  let term = Math.exp(-mean);
  let cumulative = term;
  while (u > cumulative && term > 0) {
    k += 1;
    term *= mean / k;
    cumulative += term;
  }
  return k;
}

/** The expected count, with its fraction rounded up by a coin: the mean is kept, the spread is ≤ 1. */
export function stratifiedCount(random: Random, expected: number): number {
  const whole = Math.floor(expected);
  return whole + (chance(random, expected - whole) ? 1 : 0);
}

/**
 * A seed for an independent stream of the same world, so the merchant catalogue, the cardholders
 * and the campaigns each draw from their own sequence and one can change without moving the others.
 */
export function deriveSeed(seed: number, stream: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
}
