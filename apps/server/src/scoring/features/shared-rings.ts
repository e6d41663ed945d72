/**
 * The ring arithmetic of merchant, terminal and device rows applied to a row's bytes, for state
 * shared between processes. The memory adapter of the shared hot state runs it here; the Redis
 * adapter runs a Lua port of it next to the data (the adapters' contract test holds the two to
 * the same bytes), so an authorization adds to a busy merchant's rings without a round trip.
 */
import { velocityRings } from "./feature-state.ts";
import { pasteRow } from "./typed-arrays.ts";
import { createVelocitySlab, type RingSpec, type SlabLayout } from "./velocity-slab.ts";

export type SharedRingKind = "merchant" | "terminal" | "device";

export type RingArithmetic = {
  readonly layout: SlabLayout;
  /** The longest window any ring of the kind reads: a row idle that long is empty. */
  readonly windowMaxMs: number;
  add(row: Uint8Array | null, timeMs: number, amount: number): Uint8Array;
  remove(row: Uint8Array | null, timeMs: number, amount: number): Uint8Array;
};

export function createRingArithmetic(kind: SharedRingKind): RingArithmetic {
  const specs: Readonly<Record<string, RingSpec>> = velocityRings[kind];
  // One slot of the real slab is the scratch row, so the arithmetic is velocity-slab.ts's own.
  const slab = createVelocitySlab(specs);
  slab.grow(1);
  const apply = (row: Uint8Array | null, change: () => void): Uint8Array => {
    const views = slab.rowViews(0);
    pasteRow(views, row);
    change();
    return Buffer.concat(views);
  };
  return {
    layout: slab.layout,
    windowMaxMs: Math.max(...Object.values(specs).map((spec) => spec.bucketMs * spec.bucketCount)),
    add: (row, timeMs, amount) => apply(row, () => slab.add(0, timeMs, amount)),
    remove: (row, timeMs, amount) => apply(row, () => slab.remove(0, timeMs, amount)),
  };
}
