/** The typed arrays the slabs are made of. */
type SlabArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** A copy of `old` with room for `length` elements; the new elements are zero, an empty state. */
export function grownArray<T extends SlabArray>(old: T, length: number): T {
  const grown = new (old.constructor as new (length: number) => T)(length);
  grown.set(old);
  return grown;
}
