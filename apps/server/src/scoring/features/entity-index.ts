/**
 * Maps an entity's key (card id, merchant id, terminal, device fingerprint) to a dense slot in
 * the typed-array slabs that hold its state. Slots are handed out in order, and the slabs double
 * when they fill, up to a cap.
 *
 * At the cap, an evictable kind drops an entity that has not been seen for a while to make room.
 * The policy is CLOCK (second chance), the usual cheap stand-in for least recently seen: seeing
 * an entity sets a bit, and eviction sweeps a hand over the slots, clearing set bits and taking
 * the first slot whose bit is already clear. It costs one byte per slot and no work on the hot
 * path beyond setting the bit, where exact recency would need a list or a heap.
 */
import { assert } from "../../platform/assert.ts";

/** Slots before the first growth: small, so a test or a small issuer costs little. */
const initialCapacity = 1_024;

export type EntityIndex = {
  readonly size: number;
  /** The entity's slot, or -1 when it has no state. A pure read. */
  slotOf(key: string): number;
  /** The entity's slot, creating it (and evicting another at the cap) when it has none. */
  slotFor(key: string): number;
  /** Every entity with state here, in no particular order. */
  keys(): IterableIterator<string>;
};

export function createEntityIndex(options: {
  readonly entitiesMax: number;
  /** Cards are never evicted: their state is the point. The others may be. */
  readonly isEvictable: boolean;
  /** Grows every slab of this kind to hold `capacity` slots. Called once at creation too. */
  readonly onGrow: (capacity: number) => void;
  /** Empties a slot an evicted entity held, before a new entity takes it. */
  readonly onReuse: (slot: number) => void;
}): EntityIndex {
  const { entitiesMax, isEvictable, onGrow, onReuse } = options;
  assert(Number.isSafeInteger(entitiesMax) && entitiesMax > 0, "an entity cap is a positive integer");
  const slots = new Map<string, number>();
  // Only evictable kinds need the way back from slot to key, and the recently-seen bits.
  const keys: string[] = [];
  let isSeen = new Uint8Array(0);
  let hand = 0;
  let capacity = Math.min(initialCapacity, entitiesMax);
  onGrow(capacity);
  if (isEvictable) {
    isSeen = new Uint8Array(capacity);
  }

  const evict = (): number => {
    // Each step clears a bit or stops, so one sweep of the slots finds a victim.
    for (let step = 0; step <= capacity; step++) {
      const slot = hand;
      hand = (hand + 1) % capacity;
      if (isSeen[slot] === 0) {
        const key = keys[slot];
        assert(key !== undefined, "every full slot has a key");
        slots.delete(key);
        onReuse(slot);
        return slot;
      }
      isSeen[slot] = 0;
    }
    assert(false, "a CLOCK sweep always finds a victim");
  };

  return {
    get size() {
      return slots.size;
    },

    slotOf(key) {
      return slots.get(key) ?? -1;
    },

    keys: () => slots.keys(),

    slotFor(key) {
      const known = slots.get(key);
      if (known !== undefined) {
        if (isEvictable) {
          isSeen[known] = 1;
        }
        return known;
      }
      if (slots.size === capacity && capacity < entitiesMax) {
        capacity = Math.min(capacity * 2, entitiesMax);
        onGrow(capacity);
        if (isEvictable) {
          const grown = new Uint8Array(capacity);
          grown.set(isSeen);
          isSeen = grown;
        }
      }
      let slot = slots.size;
      if (slot === capacity) {
        assert(isEvictable, `more than ${entitiesMax} entities of a kind that is never evicted`);
        slot = evict();
      }
      slots.set(key, slot);
      if (isEvictable) {
        keys[slot] = key;
        isSeen[slot] = 1;
      }
      return slot;
    },
  };
}
