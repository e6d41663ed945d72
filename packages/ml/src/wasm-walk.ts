import { assert } from "./assert.ts";
import type { FlatEnsemble } from "./ensemble.ts";
import { limits } from "./limits.ts";
import type { FeatureRow } from "./scorer.ts";
import { walkWasmBase64 } from "./walk-wasm.ts";

/** The sum of the leaf values a row reaches, one per tree: `sumLeaves`, served. */
export type LeafSum = (values: FeatureRow, offset: number) => number;

type SumLeavesExport = (
  treeCount: number,
  roots: number,
  depths: number,
  nodes: number,
  thresholds: number,
  values: number,
  row: number,
) => number;

const pageBytes = 65_536;

/** walk.wat compiled once per process, on first use. */
let walkModule: WebAssembly.Module | null = null;

/**
 * The ensemble's walk in WebAssembly (walk.wat), on a copy of its arrays in a memory of its own.
 * Measured about 1.5 times faster than `sumLeaves` on 300 trees of depth 6, and equal to it bit
 * for bit: the same layout, the same steps, the leaf values added in the same order.
 */
export function createLeafSum(ensemble: FlatEnsemble): LeafSum {
  const { columns, treeCount, roots, groupDepths, node, threshold, value } = ensemble;
  assert(node.length <= limits.ensembleNodesMax, "the ensemble's nodes fit one WebAssembly memory");
  // Each region starts at a multiple of 8 bytes, so every f64 load is aligned.
  let bytes = 0;
  const region = (byteLength: number): number => {
    const start = bytes;
    bytes += Math.ceil(byteLength / 8) * 8;
    return start;
  };
  const rootsAt = region(roots.byteLength);
  const depthsAt = region(groupDepths.byteLength);
  const nodesAt = region(node.byteLength);
  const thresholdsAt = region(threshold.byteLength);
  const valuesAt = region(value.byteLength);
  const rowAt = region(columns * Float64Array.BYTES_PER_ELEMENT);
  walkModule ??= new WebAssembly.Module(Buffer.from(walkWasmBase64, "base64"));
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / pageBytes)) });
  const instance = new WebAssembly.Instance(walkModule, { ensemble: { memory } });
  const sumLeaves = instance.exports.sumLeaves as SumLeavesExport;
  new Int32Array(memory.buffer, rootsAt, roots.length).set(roots);
  new Int32Array(memory.buffer, depthsAt, groupDepths.length).set(groupDepths);
  new Int32Array(memory.buffer, nodesAt, node.length).set(node);
  new Float64Array(memory.buffer, thresholdsAt, threshold.length).set(threshold);
  new Float64Array(memory.buffer, valuesAt, value.length).set(value);
  // The memory never grows, so this view of it stays valid.
  const row = new Float64Array(memory.buffer, rowAt, columns);
  return (values, offset) => {
    assert(offset + columns <= values.length, "the row holds every feature");
    for (let i = 0; i < columns; i++) {
      row[i] = values[offset + i] ?? 0;
    }
    return sumLeaves(treeCount, rootsAt, depthsAt, nodesAt, thresholdsAt, valuesAt, rowAt);
  };
}
