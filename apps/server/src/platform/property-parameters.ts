/**
 * Test support shared by every module's property tests. `FC_SEED=<n>` replays a failure:
 * fast-check prints the seed and path of every failing run in its error message, and this passes
 * the seed back in.
 */
export function propertyParameters(numRuns: number): { numRuns: number; seed?: number } {
  const text = process.env.FC_SEED;
  if (text === undefined || text === "") {
    return { numRuns };
  }
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`FC_SEED must be an integer, found ${text}`);
  }
  return { seed, numRuns };
}
