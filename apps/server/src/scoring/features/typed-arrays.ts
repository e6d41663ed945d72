import { assert } from "../../platform/assert.ts";

/** The typed arrays the slabs are made of. */
type SlabArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** A copy of `old` with room for `length` elements; the new elements are zero, an empty state. */
export function grownArray<T extends SlabArray>(old: T, length: number): T {
  const grown = new (old.constructor as new (length: number) => T)(length);
  grown.set(old);
  return grown;
}

/**
 * One slot's part of a slab array as bytes: a view, not a copy, valid until the array next grows.
 * The shared hot state moves an entity's state between processes as these bytes.
 */
export function rowBytes(array: SlabArray, slot: number, stride: number): Uint8Array {
  const length = stride * array.BYTES_PER_ELEMENT;
  return new Uint8Array(array.buffer, array.byteOffset + slot * length, length);
}

/**
 * Writes an exported row (the views' bytes one after another) back into the views, or empties
 * them for null: the other half of moving a row between processes.
 */
export function pasteRow(views: readonly Uint8Array[], row: Uint8Array | null): void {
  let offset = 0;
  for (const view of views) {
    if (row === null) {
      view.fill(0);
    } else {
      view.set(row.subarray(offset, offset + view.length));
    }
    offset += view.length;
  }
  assert(row === null || offset === row.length, "a pasted row has this build's row size");
}
