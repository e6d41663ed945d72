/**
 * Test support, not part of the package's surface: small synthetic datasets drawn from the
 * package's seeded generator, random valid models, and the fast-check parameters the property
 * tests share.
 */
import type { TestContext } from "node:test";
import type { Dataset } from "./dataset.ts";
import type { GbdtModel } from "./gbdt.ts";
import { createRandom, type Random } from "./random.ts";
import type { Tree } from "./tree.ts";

/**
 * Seeds a property test from `FC_SEED` (to replay a failure) or the clock, and prints the seed,
 * so every random test can be replayed.
 */
export function propertyParameters(t: TestContext, numRuns: number): { seed: number; numRuns: number } {
  const text = process.env.FC_SEED;
  const seed = text === undefined || text === "" ? Date.now() % 2_147_483_647 : Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`FC_SEED must be an integer, found ${text}`);
  }
  t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
  return { seed, numRuns };
}

/** How a synthetic row's label follows from its first features. */
export type Concept =
  /** Fraud when x0 + x1 > 1: a straight boundary, learnable by any model. */
  | "linear"
  /** Fraud when x0 and x1 have different signs: no linear model can rank it. */
  | "xor"
  /** Fraud when x0 is missing, which happens to a third of the rows. */
  | "missing";

/**
 * `rows` rows of `columns` uniform features in [−1, 1] (the first two carry the concept, the rest
 * are noise), each label flipped with probability `noise`.
 */
export function syntheticDataset(
  concept: Concept,
  options: { rows: number; columns?: number; noise?: number; seed: number },
): Dataset {
  const { rows, columns = 4, noise = 0, seed } = options;
  const random = createRandom(seed);
  const values = new Float64Array(rows * columns);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      values[r * columns + c] = random.float() * 2 - 1;
    }
    const x0 = values[r * columns] ?? 0;
    const x1 = values[r * columns + 1] ?? 0;
    let isFraud: boolean;
    switch (concept) {
      case "linear":
        isFraud = x0 + x1 > 1;
        break;
      case "xor":
        isFraud = x0 > 0 !== x1 > 0;
        break;
      case "missing":
        isFraud = random.float() < 1 / 3;
        if (isFraud) {
          values[r * columns] = Number.NaN;
        }
        break;
    }
    labels[r] = isFraud !== random.float() < noise ? 1 : 0;
  }
  const featureNames = Array.from({ length: columns }, (_, c) => `x${c}`);
  return { rows, columns, values, labels, featureNames };
}

/**
 * A random model that `parseModel` accepts: full trees of the given depth on random features,
 * thresholds and default directions, with random values at every node (the contributions'
 * exact sum must hold whatever the stored means are).
 */
export function randomModel(
  random: Random,
  options: { columns: number; trees: number; depth: number },
): GbdtModel {
  const { columns, trees, depth } = options;
  return {
    format: "mimamori-gbdt",
    formatVersion: 1,
    featureNames: Array.from({ length: columns }, (_, c) => `f${c}`),
    baseScore: random.float() * 2 - 1,
    trees: Array.from({ length: trees }, () => randomTree(random, columns, depth)),
  };
}

function randomTree(random: Random, columns: number, depth: number): Tree {
  const nodeCount = 2 ** (depth + 1) - 1;
  const splitCount = 2 ** depth - 1;
  const tree = {
    feature: [] as number[],
    threshold: [] as number[],
    defaultLeft: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
    gain: [] as number[],
  };
  // Heap order: node n's children are 2n + 1 and 2n + 2, always after n.
  for (let node = 0; node < nodeCount; node++) {
    const isSplit = node < splitCount;
    tree.feature.push(isSplit ? random.int(columns) : -1);
    tree.threshold.push(isSplit ? random.float() * 2 - 1 : 0);
    tree.defaultLeft.push(isSplit ? random.int(2) : 0);
    tree.left.push(isSplit ? 2 * node + 1 : -1);
    tree.right.push(isSplit ? 2 * node + 2 : -1);
    tree.value.push((random.float() - 0.5) / 10);
    tree.gain.push(isSplit ? random.float() : 0);
  }
  return tree;
}

/** A row of `columns` uniform values in [−1, 1], a fifth of them missing. */
export function randomRow(random: Random, columns: number): Float64Array {
  return Float64Array.from({ length: columns }, () =>
    random.float() < 0.2 ? Number.NaN : random.float() * 2 - 1,
  );
}

/**
 * The leaf value of `tree` for a row, by the plainest walk there is: the oracle the compiled,
 * interleaved, branch-free walk is tested against.
 */
export function walkTree(tree: Tree, values: ArrayLike<number>): number {
  let node = 0;
  while ((tree.feature[node] ?? -1) >= 0) {
    const value = values[tree.feature[node] ?? 0] ?? 0;
    const threshold = tree.threshold[node] ?? 0;
    const isLeft = Number.isNaN(value) ? tree.defaultLeft[node] === 1 : value <= threshold;
    node = (isLeft ? tree.left[node] : tree.right[node]) ?? 0;
  }
  return tree.value[node] ?? 0;
}
