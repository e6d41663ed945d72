// In a file of its own, so that node:test runs it in a process where no other test's buffers
// come and go while it measures.
import assert from "node:assert/strict";
import { test } from "node:test";
import { limits } from "../../config/limits.ts";
import type { CardContext } from "../authorization.ts";
import { createFeatureState } from "./feature-state.ts";
import { mccGroups } from "./mcc-group.ts";
import { baseTimeMs, makeAuthorization, makeCard } from "./test-support.ts";

test("with 100,000 cards the memory estimate is what the typed-array layout implies, and the slabs hold it", () => {
  // Velocity: 71 buckets (6 + 12 + 24 + 14 + 15) of a 4-byte count and an 8-byte sum, and per
  // ring a 4-byte head, a 4-byte count total and an 8-byte sum total.
  const velocityBytes = 71 * (4 + 8) + 5 * (4 + 4 + 8);
  // Recent ring: one entry more than is read, each an 8-byte time and two 4-byte words (merchant
  // hash; country and flags), and a word for the head and length.
  const recentBytes = (limits.recentAuthorizationsMax + 1) * (8 + 4 + 4) + 4;
  // Profile: three doubles (weight, mean, squares), a count word, a word of flags and set
  // lengths, the merchant and device hashes, 24 hours and the MCC groups in single precision,
  // and the countries at two bytes each.
  const profileBytes =
    3 * 8 +
    (2 + limits.profileMerchantsMax + limits.profileDevicesMax) * 4 +
    (24 + mccGroups.length) * 4 +
    limits.profileCountriesMax * 2;
  // The Map entry and the card id string it keeps alive.
  const keyBytes = 28 + 40;
  const slabBytes = velocityBytes + recentBytes + profileBytes;

  const state = createFeatureState();
  const cardCount = 100_000;
  const buffersBeforeBytes = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < cardCount; i++) {
    const cardId = `card_${String(i).padStart(19, "0")}` as CardContext["cardId"];
    const auth = makeAuthorization({ externalId: `ext_${i}`, cardId, occurredAtMs: baseTimeMs + i });
    state.record(auth, makeCard({ cardId }), "approve");
  }
  const stats = state.stats();
  assert.equal(stats.cards, cardCount);
  assert.equal(stats.merchants, 1);
  assert.equal(stats.bytesPerCardEstimate, slabBytes + keyBytes);
  assert.equal(stats.bytesPerCardEstimate, 2_016);

  // The slabs double, so they hold between the cards' share and twice the capacity they reached
  // (131,072 slots), counting the arrays they outgrew that the collector has not freed yet.
  const grownBytes = process.memoryUsage().arrayBuffers - buffersBeforeBytes;
  assert.ok(grownBytes >= cardCount * slabBytes, `slabs hold ${grownBytes} bytes`);
  assert.ok(grownBytes <= 2 * 131_072 * slabBytes + 1_000_000, `slabs hold ${grownBytes} bytes`);
});
