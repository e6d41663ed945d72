/**
 * Each card's most recent authorizations (all outcomes), for the features a bucket count cannot
 * give: distinct merchants and countries, declines, small and resellable purchases, and the time
 * since the last one.
 *
 * - Windows here are exact in time: an entry counts in the window of length W at time t when its
 *   time is in (t − W, t]. Entries after t (a late authorization) are not counted.
 * - Only the newest `limits.recentAuthorizationsMax` entries by arrival are read, so these counts
 *   saturate at that number: a card past it is well inside every card-testing rule already.
 * - The ring keeps one entry more than it reads. `record()` pushes out the oldest entry when the
 *   ring is full; undoing one pending authorization with `remove()` brings that entry back into
 *   view, so the undo is exact. Undoing several at once on one card may leave its view short by
 *   the entries pushed out, until new authorizations refill it.
 */
import { limits, time } from "../../config/limits.ts";
import { assert } from "../../platform/assert.ts";
import type { AuthorizationFacts } from "./authorization-facts.ts";
import { createDistinctCounter } from "./distinct-counter.ts";
import { mccGroups } from "./mcc-group.ts";
import { grownArray, rowBytes } from "./typed-arrays.ts";

/** `card.minutesSinceLast` for a card with no earlier authorization: far beyond any rule's threshold. */
export const minutesSinceLastNone = 1_000_000;

export type RecentView = {
  count10m: number;
  resellableCount10m: number;
  resellableCount1h: number;
  smallCount10m: number;
  smallCount1h: number;
  declineCount1h: number;
  distinctMerchants1h: number;
  distinctMerchants24h: number;
  distinctCountries24h: number;
  foreignCount24h: number;
  minutesSinceLast: number;
};

export type RecentRing = {
  readonly bytesPerCard: number;
  grow(capacity: number): void;
  /** The card's part of each array as byte views: how a row travels to shared state. */
  rowViews(slot: number): Uint8Array[];
  push(slot: number, facts: AuthorizationFacts, isDeclined: boolean): void;
  /** Takes out the newest entry equal to what `push()` stored for these arguments, if still kept. */
  remove(slot: number, facts: AuthorizationFacts, isDeclined: boolean): void;
  /** Fills `view` for an authorization at `timeMs`. Slot -1 (a card with no state) reads empty. */
  read(slot: number, timeMs: number, view: RecentView): void;
};

const smallFlag = 1;
const resellableFlag = 2;
const declinedFlag = 4;
const foreignFlag = 8;
const resellableIndex = mccGroups.indexOf("resellable");
// Read once: the hot path should not go through the config module's bindings on every call.
const { minuteMs, hourMs, dayMs } = time;
const tenMinutesMs = 10 * minuteMs;
const { smallAmountBaseMinorMax } = limits;

export function createRecentView(): RecentView {
  return {
    count10m: 0,
    resellableCount10m: 0,
    resellableCount1h: 0,
    smallCount10m: 0,
    smallCount1h: 0,
    declineCount1h: 0,
    distinctMerchants1h: 0,
    distinctMerchants24h: 0,
    distinctCountries24h: 0,
    foreignCount24h: 0,
    minutesSinceLast: minutesSinceLastNone,
  };
}

function flagsOf(facts: AuthorizationFacts, isDeclined: boolean): number {
  return (
    (facts.amount < smallAmountBaseMinorMax ? smallFlag : 0) |
    (facts.mccGroupIndex === resellableIndex ? resellableFlag : 0) |
    (isDeclined ? declinedFlag : 0) |
    (facts.isForeign ? foreignFlag : 0)
  );
}

export function createRecentRing(): RecentRing {
  const readMax = limits.recentAuthorizationsMax;
  const kept = readMax + 1;
  assert(kept <= 255, "ring positions fit a byte");
  // Two arrays, so reading a card touches two places: `kept` times per card, and per card a
  // word (head | length << 8) followed by two words per entry (merchant hash; country | flags << 16).
  const wordStride = 1 + 2 * kept;
  let times = new Float64Array(0);
  let words = new Uint32Array(0);

  /** The position (0 ≤ e < kept) of the j-th newest entry (j = 1 is the newest). */
  const positionOf = (head: number, j: number): number => (head - j + kept) % kept;
  const detailsOf = (facts: AuthorizationFacts, isDeclined: boolean): number =>
    facts.countryCode | (flagsOf(facts, isDeclined) << 16);

  const merchants1h = createDistinctCounter(readMax);
  const merchants24h = createDistinctCounter(readMax);
  const countries24h = createDistinctCounter(readMax);

  return {
    bytesPerCard: kept * Float64Array.BYTES_PER_ELEMENT + wordStride * Uint32Array.BYTES_PER_ELEMENT,

    grow(capacity) {
      times = grownArray(times, capacity * kept);
      words = grownArray(words, capacity * wordStride);
    },

    rowViews: (slot) => [rowBytes(times, slot, kept), rowBytes(words, slot, wordStride)],

    push(slot, facts, isDeclined) {
      const base = slot * wordStride;
      const headAndLength = words[base] ?? 0;
      const head = headAndLength & 0xff;
      const length = headAndLength >>> 8;
      times[slot * kept + head] = facts.timeMs;
      words[base + 1 + 2 * head] = facts.merchantHash;
      words[base + 2 + 2 * head] = detailsOf(facts, isDeclined);
      words[base] = ((head + 1) % kept) | (Math.min(length + 1, kept) << 8);
    },

    remove(slot, facts, isDeclined) {
      const base = slot * wordStride;
      const headAndLength = words[base] ?? 0;
      const head = headAndLength & 0xff;
      const length = headAndLength >>> 8;
      const details = detailsOf(facts, isDeclined);
      let found = 0;
      for (let j = 1; j <= length && found === 0; j++) {
        const e = positionOf(head, j);
        if (
          times[slot * kept + e] === facts.timeMs &&
          words[base + 1 + 2 * e] === facts.merchantHash &&
          words[base + 2 + 2 * e] === details
        ) {
          found = j;
        }
      }
      if (found === 0) {
        return; // Pushed out of the ring already.
      }
      // Move the newer entries one step back over the removed one, keeping arrival order.
      for (let j = found; j > 1; j--) {
        const target = positionOf(head, j);
        const source = positionOf(head, j - 1);
        times[slot * kept + target] = times[slot * kept + source] ?? 0;
        words[base + 1 + 2 * target] = words[base + 1 + 2 * source] ?? 0;
        words[base + 2 + 2 * target] = words[base + 2 + 2 * source] ?? 0;
      }
      words[base] = ((head - 1 + kept) % kept) | ((length - 1) << 8);
    },

    read(slot, timeMs, view) {
      let count10m = 0;
      let resellableCount10m = 0;
      let resellableCount1h = 0;
      let smallCount10m = 0;
      let smallCount1h = 0;
      let declineCount1h = 0;
      let foreignCount24h = 0;
      let lastMs = -1;
      merchants1h.reset();
      merchants24h.reset();
      countries24h.reset();
      const base = slot * wordStride;
      const headAndLength = slot < 0 ? 0 : (words[base] ?? 0);
      const length = Math.min(headAndLength >>> 8, readMax);
      // Walk from the newest entry back, wrapping inside the card's part of the arrays.
      let e = headAndLength & 0xff;
      for (let j = 0; j < length; j++) {
        e = e === 0 ? kept - 1 : e - 1;
        const entryMs = times[slot * kept + e] ?? 0;
        const ageMs = timeMs - entryMs;
        if (ageMs < 0) {
          continue; // After this authorization: not an earlier one.
        }
        lastMs = Math.max(lastMs, entryMs);
        if (ageMs >= dayMs) {
          continue;
        }
        const details = words[base + 2 + 2 * e] ?? 0;
        const entryFlags = details >>> 16;
        const merchant = words[base + 1 + 2 * e] ?? 0;
        foreignCount24h += entryFlags & foreignFlag ? 1 : 0;
        merchants24h.add(merchant);
        countries24h.add(details & 0xffff);
        if (ageMs >= hourMs) {
          continue;
        }
        resellableCount1h += entryFlags & resellableFlag ? 1 : 0;
        smallCount1h += entryFlags & smallFlag ? 1 : 0;
        declineCount1h += entryFlags & declinedFlag ? 1 : 0;
        merchants1h.add(merchant);
        if (ageMs >= tenMinutesMs) {
          continue;
        }
        count10m += 1;
        resellableCount10m += entryFlags & resellableFlag ? 1 : 0;
        smallCount10m += entryFlags & smallFlag ? 1 : 0;
      }
      view.count10m = count10m;
      view.resellableCount10m = resellableCount10m;
      view.resellableCount1h = resellableCount1h;
      view.smallCount10m = smallCount10m;
      view.smallCount1h = smallCount1h;
      view.declineCount1h = declineCount1h;
      view.distinctMerchants1h = merchants1h.count();
      view.distinctMerchants24h = merchants24h.count();
      view.distinctCountries24h = countries24h.count();
      view.foreignCount24h = foreignCount24h;
      view.minutesSinceLast = lastMs < 0 ? minutesSinceLastNone : (timeMs - lastMs) / minuteMs;
    },
  };
}
