import type { Channel } from "@mimamori/contracts";
import { assert } from "../platform/assert.ts";
import type { Cardholder } from "./cardholder.ts";
import type { CampaignKind } from "./issuer-config.ts";
import type { Merchant } from "./merchant-catalogue.ts";

/** An authorization decided but not yet written out: compact, with references into the world. */
export type PlannedAuthorization = {
  readonly atMs: number;
  readonly cardholder: Cardholder;
  readonly cardIndex: number;
  readonly merchant: Merchant;
  readonly terminalId: string | null;
  /** In the merchant's currency. */
  readonly amountMinor: number;
  readonly channel: Channel;
  readonly deviceFingerprint: string | null;
  readonly ip: string | null;
  readonly isFraud: boolean;
  readonly campaign: CampaignKind | null;
};

/** Rows come in several object shapes; entries have one, so heap comparisons stay monomorphic. */
type Entry = { readonly atMs: number; readonly sequence: number; readonly planned: PlannedAuthorization };

/**
 * A min-heap by time. Campaigns plan rows hours or days ahead, so rows wait here until the
 * generator's clock reaches them. Ties keep insertion order, which keeps the output deterministic.
 * The queue refuses a row earlier than one it already released: that would break time order.
 */
export type AuthorizationQueue = {
  push(planned: PlannedAuthorization): void;
  /** Removes and returns the earliest row if it is before `beforeMs`. */
  popBefore(beforeMs: number): PlannedAuthorization | null;
};

export function createAuthorizationQueue(): AuthorizationQueue {
  const heap: Entry[] = [];
  let sequence = 0;
  let releasedUpToMs = Number.NEGATIVE_INFINITY;

  const isBefore = (a: Entry, b: Entry): boolean =>
    a.atMs < b.atMs || (a.atMs === b.atMs && a.sequence < b.sequence);
  const swap = (i: number, j: number): void => {
    const a = heap[i];
    const b = heap[j];
    assert(a !== undefined && b !== undefined, "heap index out of range");
    heap[i] = b;
    heap[j] = a;
  };
  const at = (i: number): Entry => {
    const entry = heap[i];
    assert(entry !== undefined, "heap index out of range");
    return entry;
  };

  return {
    push(planned) {
      assert(planned.atMs >= releasedUpToMs, "a row planned before rows already released breaks time order");
      heap.push({ atMs: planned.atMs, sequence, planned });
      sequence += 1;
      let child = heap.length - 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!isBefore(at(child), at(parent))) {
          break;
        }
        swap(child, parent);
        child = parent;
      }
    },
    popBefore(beforeMs) {
      const top = heap[0];
      if (top === undefined || top.atMs >= beforeMs) {
        return null;
      }
      const last = heap.pop();
      assert(last !== undefined, "heap cannot be empty here");
      if (heap.length > 0) {
        heap[0] = last;
        let parent = 0;
        for (;;) {
          const left = 2 * parent + 1;
          const right = left + 1;
          let first = parent;
          if (left < heap.length && isBefore(at(left), at(first))) {
            first = left;
          }
          if (right < heap.length && isBefore(at(right), at(first))) {
            first = right;
          }
          if (first === parent) {
            break;
          }
          swap(parent, first);
          parent = first;
        }
      }
      releasedUpToMs = top.atMs;
      return top.planned;
    },
  };
}
