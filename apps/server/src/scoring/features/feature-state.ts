/**
 * The engine's hot state: everything `decide()` reads besides the authorization itself, held in
 * memory and rebuilt from stored decisions at start-up. Per card it keeps velocity rings, the
 * recent-authorization ring and the learned profile; per merchant, terminal and device, velocity
 * rings. The exact semantics are in `velocity-slab.ts` (windows), `recent-ring.ts` (distinct and
 * recent counts) and `card-profile.ts` (habits).
 *
 * Memory is fixed per entity: typed-array slabs indexed by entity slot, no object per card. A card
 * costs 2,016 bytes (`stats().bytesPerCardEstimate`): 932 of velocity rings, 532 of recent ring,
 * 484 of profile, and about 68 for its Map entry and id string. The slabs double as they grow, so
 * just after a doubling the process holds up to twice that per card. A merchant costs 392 bytes of
 * slab, a terminal or a device 160, each plus its Map entry, key string and 9 bytes for eviction.
 *
 * The hot path allocates the snapshot it returns and, for an authorization with a terminal, the
 * terminal's key string; nothing else.
 */
import type { Outcome } from "@mimamori/rules";
import { limits, time } from "../../config/limits.ts";
import { assert } from "../../platform/assert.ts";
import type { Authorization, CardContext, Channel } from "../authorization.ts";
import { createAuthorizationFacts, readAuthorizationFacts } from "./authorization-facts.ts";
import { createCardProfiles, createProfileView } from "./card-profile.ts";
import { createEntityIndex } from "./entity-index.ts";
import type { FeatureSnapshot } from "./feature-schema.ts";
import { createLocalHourCache, hourAtOffset } from "./local-hour.ts";
import { mccGroupAt } from "./mcc-group.ts";
import { createRecentRing, createRecentView } from "./recent-ring.ts";
import { pasteRow } from "./typed-arrays.ts";
import { createVelocitySlab, type RingSpec } from "./velocity-slab.ts";

export interface FeatureState {
  /**
   * Pure read: the snapshot decide() sees for this authorization, from earlier authorizations
   * only (the one being scored is recorded after decide()).
   */
  snapshot(auth: Authorization, card: CardContext): FeatureSnapshot;
  /**
   * Counts the authorization in velocity windows and the card's recent ring (all outcomes).
   * Call right after decide(), synchronously.
   */
  record(auth: Authorization, card: CardContext, outcome: Outcome): void;
  /**
   * Undoes record() for the same arguments (used when persisting the decision failed), even with
   * other authorizations recorded in between. Every snapshot at or after the authorization's time
   * then reads exactly as if it had never been recorded. Bounded state cannot give back what it
   * no longer holds: buckets a ring forgot when this authorization moved its head forward (only
   * an earlier, late authorization could read them), recent-ring entries pushed out by more than
   * one pending authorization of the same card, and a merchant, terminal or device evicted at its
   * cap.
   */
  unrecord(auth: Authorization, card: CardContext, outcome: Outcome): void;
  /**
   * Teaches the cardholder's profile (amount level/spread, hours, merchants, countries, devices,
   * MCC groups). Called for approved authorizations after they are durable, and later for "mine"
   * confirmations.
   */
  learn(auth: Authorization, card: CardContext): void;
  /** The entities an authorization reads and counts, by kind; null where it names none. */
  entitiesOf(auth: Authorization): EntityKeys;
  /** A copy of the entity's state as bytes, or null when it has none here. */
  exportEntity(kind: EntityKind, key: string): Uint8Array | null;
  /**
   * Replaces the entity's state with `bytes` (an exportEntity() result from any process on the
   * same build), or empties it for null. How a process works on state shared through Redis.
   */
  importEntity(kind: EntityKind, key: string, bytes: Uint8Array | null): void;
  /** Every entity of a kind with state here. */
  keysOf(kind: EntityKind): IterableIterator<string>;
  /** Sizes for metrics and the README's memory statement. */
  stats(): {
    cards: number;
    merchants: number;
    terminals: number;
    devices: number;
    bytesPerCardEstimate: number;
  };
}

export type EntityKind = "card" | "merchant" | "terminal" | "device";

export type EntityKeys = {
  readonly card: string;
  readonly merchant: string;
  readonly terminal: string | null;
  readonly device: string | null;
};

const secondMs = 1_000;
// Read once: the hot path should not go through the config module's bindings on every call.
const { minuteMs, hourMs, dayMs } = time;

function ring(bucketMs: number, bucketCount: number, hasSum: boolean): RingSpec {
  return { bucketMs, bucketCount, hasSum };
}

/**
 * The velocity rings per entity kind. More buckets make a window's edge sharper and cost 12
 * bytes per bucket per card (a count and a sum), so each ring's bucket is about a twelfth to a
 * thirtieth of its window: finer where a rule compares small counts (a card-testing burst is
 * seconds apart), coarser where rules compare totals over days.
 *
 * - 1 min = 6 × 10 s: a window of 50–60 s.
 * - 1 h = 12 × 5 min: 55–60 min.
 * - 24 h = 24 × 1 h: 23–24 h.
 * - 7 d = 14 × 12 h: 6.5–7 d.
 * - 30 d = 15 × 2 d: 28–30 d.
 *
 * Merchants, terminals and devices keep only the windows a feature reads (there are millions of
 * them): add a ring here when a feature needs another.
 */
export const velocityRings = {
  card: {
    m1: ring(10 * secondMs, 6, true),
    h1: ring(5 * minuteMs, 12, true),
    h24: ring(hourMs, 24, true),
    d7: ring(12 * hourMs, 14, true),
    d30: ring(2 * dayMs, 15, true),
  },
  merchant: {
    m1: ring(10 * secondMs, 6, false),
    h1: ring(5 * minuteMs, 12, false),
    h24: ring(hourMs, 24, true),
  },
  terminal: { h1: ring(5 * minuteMs, 12, false), h24: ring(hourMs, 24, false) },
  device: { h1: ring(5 * minuteMs, 12, false), h24: ring(hourMs, 24, false) },
} as const;

/**
 * What a card's key costs beyond its slabs: the Map entry (key, value and chain pointers plus its
 * share of the bucket table: 28 B, measured on Node 20's 64-bit heap without pointer compression)
 * and the card id string the Map keeps alive (40 B for a 24-character `card_…` id).
 */
const cardKeyBytesEstimate = 28 + 40;

const cardPresentChannels: ReadonlySet<Channel> = new Set<Channel>(["pos", "contactless", "atm"]);

/**
 * Terminal ids are only unique within an acquirer or merchant, so the key includes the merchant;
 * the length prefix keeps `("ab", "c")` and `("a", "bc")` apart.
 */
function terminalKeyOf(auth: Authorization): string | null {
  const terminalId = auth.merchant.terminalId;
  return terminalId === null ? null : `${auth.merchant.id.length}:${auth.merchant.id}${terminalId}`;
}

export function createFeatureState(): FeatureState {
  const cardVelocity = createVelocitySlab(velocityRings.card);
  const recent = createRecentRing();
  const profiles = createCardProfiles();
  const cards = createEntityIndex({
    entitiesMax: limits.cardsMax,
    isEvictable: false,
    onGrow(capacity) {
      cardVelocity.grow(capacity);
      recent.grow(capacity);
      profiles.grow(capacity);
    },
    onReuse() {
      assert(false, "cards are never evicted");
    },
  });
  const merchantVelocity = createVelocitySlab(velocityRings.merchant);
  const merchants = createEntityIndex({
    entitiesMax: limits.merchantsMax,
    isEvictable: true,
    onGrow: merchantVelocity.grow,
    onReuse: merchantVelocity.clear,
  });
  const terminalVelocity = createVelocitySlab(velocityRings.terminal);
  const terminals = createEntityIndex({
    entitiesMax: limits.terminalsMax,
    isEvictable: true,
    onGrow: terminalVelocity.grow,
    onReuse: terminalVelocity.clear,
  });
  const deviceVelocity = createVelocitySlab(velocityRings.device);
  const devices = createEntityIndex({
    entitiesMax: limits.devicesMax,
    isEvictable: true,
    onGrow: deviceVelocity.grow,
    onReuse: deviceVelocity.clear,
  });
  const entityKinds = {
    card: {
      index: cards,
      views: (slot: number) => [
        ...cardVelocity.rowViews(slot),
        ...recent.rowViews(slot),
        ...profiles.rowViews(slot),
      ],
    },
    merchant: { index: merchants, views: merchantVelocity.rowViews },
    terminal: { index: terminals, views: terminalVelocity.rowViews },
    device: { index: devices, views: deviceVelocity.rowViews },
  };
  const cardRings = cardVelocity.rings;
  const merchantRings = merchantVelocity.rings;
  const terminalRings = terminalVelocity.rings;
  const deviceRings = deviceVelocity.rings;

  // Scratch objects refilled on every call; calls are synchronous, so they are never shared.
  const localHours = createLocalHourCache();
  const facts = createAuthorizationFacts();
  const recentView = createRecentView();
  const profileView = createProfileView();

  // Facts depend only on the authorization and card context, which are immutable values, so
  // those derived for snapshot() serve the record() right after it without hashing again.
  let factsAuth: Authorization | null = null;
  let factsCard: CardContext | null = null;
  let terminalKey: string | null = null;
  const prepare = (auth: Authorization, card: CardContext): void => {
    if (auth === factsAuth && card === factsCard) {
      return;
    }
    factsAuth = null;
    readAuthorizationFacts(auth, card, localHours, facts);
    terminalKey = terminalKeyOf(auth);
    factsAuth = auth;
    factsCard = card;
  };

  return {
    snapshot(auth, card) {
      prepare(auth, card);
      const t = facts.timeMs;
      const cardSlot = cards.slotOf(card.cardId);
      const merchantSlot = merchants.slotOf(auth.merchant.id);
      const terminalSlot = terminalKey === null ? -1 : terminals.slotOf(terminalKey);
      const fingerprint = auth.device.fingerprint;
      const deviceSlot = fingerprint === null ? -1 : devices.slotOf(fingerprint);
      recent.read(cardSlot, t, recentView);
      profiles.read(cardSlot, facts, profileView);
      // One literal with every key in schema order, so every snapshot shares one hidden class.
      return {
        amount: facts.amount,
        currency: auth.currency,
        channel: auth.channel,
        isCardPresent: cardPresentChannels.has(auth.channel),
        "merchant.id": auth.merchant.id,
        "merchant.mcc": auth.merchant.mcc,
        "merchant.mccGroup": mccGroupAt(facts.mccGroupIndex),
        "merchant.country": auth.merchant.country,
        isForeign: facts.isForeign,
        localHour: facts.localHour,
        merchantLocalHour: hourAtOffset(t, auth.occurredAtOffsetMinutes),
        "device.present": facts.hasDevice,
        "card.state": card.state,
        "card.ageDays": Math.max(0, Math.floor((t - card.createdAtMs) / dayMs)),
        "cardholder.homeCountry": card.homeCountry,
        "card.count1m": cardRings.m1.count(cardSlot, t),
        "card.count1h": cardRings.h1.count(cardSlot, t),
        "card.count24h": cardRings.h24.count(cardSlot, t),
        "card.count7d": cardRings.d7.count(cardSlot, t),
        "card.count30d": cardRings.d30.count(cardSlot, t),
        "card.sum1m": cardRings.m1.sum(cardSlot, t),
        "card.sum1h": cardRings.h1.sum(cardSlot, t),
        "card.sum24h": cardRings.h24.sum(cardSlot, t),
        "card.sum7d": cardRings.d7.sum(cardSlot, t),
        "card.sum30d": cardRings.d30.sum(cardSlot, t),
        "card.count10m": recentView.count10m,
        "card.resellableCount10m": recentView.resellableCount10m,
        "card.resellableCount1h": recentView.resellableCount1h,
        "card.smallCount10m": recentView.smallCount10m,
        "card.smallCount1h": recentView.smallCount1h,
        "card.declineCount1h": recentView.declineCount1h,
        "card.distinctMerchants1h": recentView.distinctMerchants1h,
        "card.distinctMerchants24h": recentView.distinctMerchants24h,
        "card.distinctCountries24h": recentView.distinctCountries24h,
        "card.foreignCount24h": recentView.foreignCount24h,
        "card.minutesSinceLast": recentView.minutesSinceLast,
        "profile.authorizationCount": profileView.authorizationCount,
        "profile.amountTypical": profileView.amountTypical,
        "profile.amountZ": profileView.amountZ,
        "profile.amountRatio": profileView.amountRatio,
        "profile.hourShare": profileView.hourShare,
        "profile.isKnownMerchant": profileView.isKnownMerchant,
        "profile.isKnownCountry": profileView.isKnownCountry,
        "profile.isKnownDevice": profileView.isKnownDevice,
        "profile.mccGroupShare": profileView.mccGroupShare,
        "profile.hasUsedAbroad": profileView.hasUsedAbroad,
        "profile.isFirstUseAbroad": profileView.isFirstUseAbroad,
        "merchant.count1m": merchantRings.m1.count(merchantSlot, t),
        "merchant.count1h": merchantRings.h1.count(merchantSlot, t),
        "merchant.count24h": merchantRings.h24.count(merchantSlot, t),
        "merchant.sum24h": merchantRings.h24.sum(merchantSlot, t),
        "terminal.count1h": terminalRings.h1.count(terminalSlot, t),
        "terminal.count24h": terminalRings.h24.count(terminalSlot, t),
        "device.count1h": deviceRings.h1.count(deviceSlot, t),
        "device.count24h": deviceRings.h24.count(deviceSlot, t),
        "card.isAllowedMerchant":
          card.allowWindow !== null &&
          t <= card.allowWindow.untilMs &&
          card.allowWindow.merchantIds.includes(auth.merchant.id),
        "threeDs.status": auth.threeDs ?? "none",
        "model.score": 0,
      };
    },

    record(auth, card, outcome) {
      prepare(auth, card);
      const t = facts.timeMs;
      const cardSlot = cards.slotFor(card.cardId);
      cardVelocity.add(cardSlot, t, facts.amount);
      recent.push(cardSlot, facts, outcome === "decline");
      merchantVelocity.add(merchants.slotFor(auth.merchant.id), t, facts.amount);
      if (terminalKey !== null) {
        terminalVelocity.add(terminals.slotFor(terminalKey), t, facts.amount);
      }
      const fingerprint = auth.device.fingerprint;
      if (fingerprint !== null) {
        deviceVelocity.add(devices.slotFor(fingerprint), t, facts.amount);
      }
    },

    unrecord(auth, card, outcome) {
      prepare(auth, card);
      const t = facts.timeMs;
      const cardSlot = cards.slotOf(card.cardId);
      assert(cardSlot >= 0, "unrecord() undoes a record() of the same card");
      cardVelocity.remove(cardSlot, t, facts.amount);
      recent.remove(cardSlot, facts, outcome === "decline");
      // An evicted merchant, terminal or device has nothing left to take out.
      const merchantSlot = merchants.slotOf(auth.merchant.id);
      if (merchantSlot >= 0) {
        merchantVelocity.remove(merchantSlot, t, facts.amount);
      }
      const terminalSlot = terminalKey === null ? -1 : terminals.slotOf(terminalKey);
      if (terminalSlot >= 0) {
        terminalVelocity.remove(terminalSlot, t, facts.amount);
      }
      const fingerprint = auth.device.fingerprint;
      const deviceSlot = fingerprint === null ? -1 : devices.slotOf(fingerprint);
      if (deviceSlot >= 0) {
        deviceVelocity.remove(deviceSlot, t, facts.amount);
      }
    },

    learn(auth, card) {
      prepare(auth, card);
      profiles.learn(cards.slotFor(card.cardId), facts);
    },

    entitiesOf(auth) {
      return {
        card: auth.cardId,
        merchant: auth.merchant.id,
        terminal: terminalKeyOf(auth),
        device: auth.device.fingerprint,
      };
    },

    exportEntity(kind, key) {
      const { index, views } = entityKinds[kind];
      const slot = index.slotOf(key);
      return slot < 0 ? null : Buffer.concat(views(slot));
    },

    importEntity(kind, key, bytes) {
      const { index, views } = entityKinds[kind];
      pasteRow(views(index.slotFor(key)), bytes);
    },

    keysOf: (kind) => entityKinds[kind].index.keys(),

    stats() {
      return {
        cards: cards.size,
        merchants: merchants.size,
        terminals: terminals.size,
        devices: devices.size,
        bytesPerCardEstimate:
          cardVelocity.bytesPerEntity + recent.bytesPerCard + profiles.bytesPerCard + cardKeyBytesEstimate,
      };
    },
  };
}
