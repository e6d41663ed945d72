import assert from "node:assert/strict";
import { test } from "node:test";
import type { Outcome } from "@mimamori/rules";
import fc from "fast-check";
import { limits } from "../../config/limits.ts";
import type { Authorization, CardContext } from "../authorization.ts";
import { featureSchema } from "./feature-schema.ts";
import { createFeatureState, type FeatureState, velocityRings } from "./feature-state.ts";
import { mccGroupOf } from "./mcc-group.ts";
import { minutesSinceLastNone } from "./recent-ring.ts";
import { baseTimeMs, makeAuthorization, makeCard, propertyParameters } from "./test-support.ts";
import type { RingSpec } from "./velocity-slab.ts";

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

// A small world, so random sequences hit the same card, merchant, terminal and device often.
const cards = [
  makeCard({ cardId: "card_a" as CardContext["cardId"], homeCountry: "JP", timeZone: "Asia/Tokyo" }),
  makeCard({ cardId: "card_b" as CardContext["cardId"], homeCountry: "US", timeZone: "America/New_York" }),
];
const merchants = [
  { merchantId: "mer_grocer", mcc: "5411", country: "JP" },
  { merchantId: "mer_gadgets", mcc: "5732", country: "JP" },
  { merchantId: "mer_games", mcc: "5816", country: "US" },
  { merchantId: "mer_casino", mcc: "7995", country: "KR" },
];
const terminalIds = [null, "t1", "t2"];
const fingerprints = [null, "fp_1", "fp_2"];
const outcomes: readonly Outcome[] = ["approve", "step_up", "hold", "decline"];

type Event = {
  readonly auth: Authorization;
  readonly card: CardContext;
  readonly outcome: Outcome;
  isLive: boolean;
};

const pick = <T>(items: readonly T[], index: number): T => {
  const item = items[index % items.length];
  assert(item !== undefined);
  return item;
};

/** What one random authorization is made of; its time is relative to the newest so far. */
const draft = fc.record({
  card: fc.nat(cards.length - 1),
  merchant: fc.nat(merchants.length - 1),
  terminal: fc.nat(terminalIds.length - 1),
  device: fc.nat(fingerprints.length - 1),
  amount: fc.oneof(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1_000, max: 500_000 })),
  outcome: fc.nat(outcomes.length - 1),
  // Mostly seconds apart, sometimes hours or days, sometimes late (out of order), and sometimes
  // exactly a window or bucket length, where an off-by-one at an edge would show.
  deltaMs: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(10_000, minuteMs, 5 * minuteMs, 10 * minuteMs, hourMs, dayMs) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 * hourMs }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 10 * dayMs }) },
    { weight: 1, arbitrary: fc.integer({ min: -3 * hourMs, max: 0 }) },
  ),
});
type Draft = typeof draft extends fc.Arbitrary<infer T> ? T : never;

/** Turns drafts into events with absolute times, in arrival order. */
function eventsOf(drafts: readonly Draft[], startMs = baseTimeMs): Event[] {
  let newestMs = startMs;
  return drafts.map((d, index) => {
    const occurredAtMs = Math.max(0, newestMs + d.deltaMs);
    newestMs = Math.max(newestMs, occurredAtMs);
    return eventOf(d, occurredAtMs, `ext_${index}`);
  });
}

function eventOf(d: Draft, occurredAtMs: number, externalId: string): Event {
  const card = pick(cards, d.card);
  const merchant = pick(merchants, d.merchant);
  const auth = makeAuthorization({
    externalId,
    cardId: card.cardId,
    amount: d.amount,
    ...merchant,
    terminalId: pick(terminalIds, d.terminal),
    fingerprint: pick(fingerprints, d.device),
    occurredAtMs,
  });
  return { auth, card, outcome: pick(outcomes, d.outcome), isLive: true };
}

// --- The oracle: recounts from the event list by the documented rules -----------------------

type Kind = keyof typeof velocityRings;
const keyOf: Record<Kind, (auth: Authorization) => string | null> = {
  card: (auth) => auth.cardId,
  merchant: (auth) => auth.merchant.id,
  terminal: (auth) =>
    auth.merchant.terminalId === null ? null : `${auth.merchant.id}|${auth.merchant.terminalId}`,
  device: (auth) => auth.device.fingerprint,
};

const velocityFeatures = [
  ["card.count1m", "card", velocityRings.card.m1, "count"],
  ["card.count1h", "card", velocityRings.card.h1, "count"],
  ["card.count24h", "card", velocityRings.card.h24, "count"],
  ["card.count7d", "card", velocityRings.card.d7, "count"],
  ["card.count30d", "card", velocityRings.card.d30, "count"],
  ["card.sum1m", "card", velocityRings.card.m1, "sum"],
  ["card.sum1h", "card", velocityRings.card.h1, "sum"],
  ["card.sum24h", "card", velocityRings.card.h24, "sum"],
  ["card.sum7d", "card", velocityRings.card.d7, "sum"],
  ["card.sum30d", "card", velocityRings.card.d30, "sum"],
  ["merchant.count1m", "merchant", velocityRings.merchant.m1, "count"],
  ["merchant.count1h", "merchant", velocityRings.merchant.h1, "count"],
  ["merchant.count24h", "merchant", velocityRings.merchant.h24, "count"],
  ["merchant.sum24h", "merchant", velocityRings.merchant.h24, "sum"],
  ["terminal.count1h", "terminal", velocityRings.terminal.h1, "count"],
  ["terminal.count24h", "terminal", velocityRings.terminal.h24, "count"],
  ["device.count1h", "device", velocityRings.device.h1, "count"],
  ["device.count24h", "device", velocityRings.device.h24, "count"],
] as const satisfies readonly (readonly [string, Kind, RingSpec, "count" | "sum"])[];

/**
 * The window at t covers buckets (max(q, H) − B, q], where q is t's bucket and H the newest
 * bucket any recorded authorization of the entity reached (undone ones included).
 */
function recountVelocity(events: readonly Event[], query: Authorization, kind: Kind, spec: RingSpec) {
  const key = keyOf[kind](query);
  const bucketOf = (ms: number) => Math.floor(ms / spec.bucketMs);
  const mine = key === null ? [] : events.filter((event) => keyOf[kind](event.auth) === key);
  const head = Math.max(Number.NEGATIVE_INFINITY, ...mine.map((event) => bucketOf(event.auth.occurredAtMs)));
  const bucket = bucketOf(query.occurredAtMs);
  const bottom = Math.max(bucket, head) - spec.bucketCount;
  const counted = mine.filter((event) => {
    const eventBucket = bucketOf(event.auth.occurredAtMs);
    return event.isLive && eventBucket > bottom && eventBucket <= bucket;
  });
  return {
    count: counted.length,
    sum: counted.reduce((total, event) => total + event.auth.amountBaseMinor, 0),
  };
}

/** The newest `recentAuthorizationsMax` of the card's authorizations by arrival, read at t. */
function recountRecent(events: readonly Event[], query: Authorization, card: CardContext) {
  const t = query.occurredAtMs;
  const visible = events
    .filter((event) => event.auth.cardId === query.cardId)
    .slice(-limits.recentAuthorizationsMax);
  const earlier = visible.filter((event) => event.auth.occurredAtMs <= t);
  const within = (windowMs: number) => earlier.filter((event) => t - event.auth.occurredAtMs < windowMs);
  const isResellable = (event: Event) => mccGroupOf(event.auth.merchant.mcc) === "resellable";
  const isSmall = (event: Event) => event.auth.amountBaseMinor < limits.smallAmountBaseMinorMax;
  const lastMs = Math.max(-1, ...earlier.map((event) => event.auth.occurredAtMs));
  const tenMinutes = within(10 * minuteMs);
  const hour = within(hourMs);
  const day = within(dayMs);
  return {
    "card.count10m": tenMinutes.length,
    "card.resellableCount10m": tenMinutes.filter(isResellable).length,
    "card.resellableCount1h": hour.filter(isResellable).length,
    "card.smallCount10m": tenMinutes.filter(isSmall).length,
    "card.smallCount1h": hour.filter(isSmall).length,
    "card.declineCount1h": hour.filter((event) => event.outcome === "decline").length,
    "card.distinctMerchants1h": new Set(hour.map((event) => event.auth.merchant.id)).size,
    "card.distinctMerchants24h": new Set(day.map((event) => event.auth.merchant.id)).size,
    "card.distinctCountries24h": new Set(day.map((event) => event.auth.merchant.country)).size,
    "card.foreignCount24h": day.filter((event) => event.auth.merchant.country !== card.homeCountry).length,
    "card.minutesSinceLast": lastMs < 0 ? minutesSinceLastNone : (t - lastMs) / minuteMs,
  };
}

// --- Properties ----------------------------------------------------------------------------

const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("record" as const), draft }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unrecord" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("query" as const), draft }) },
);

test("every velocity feature equals an oracle recount over the event list, with late and undone authorizations", () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const state = createFeatureState();
      const events: Event[] = [];
      let newestMs = baseTimeMs;
      for (const [index, s] of steps.entries()) {
        if (s.kind === "unrecord") {
          const live = events.filter((event) => event.isLive);
          const event = live[s.pick % Math.max(live.length, 1)];
          if (event !== undefined) {
            state.unrecord(event.auth, event.card, event.outcome);
            event.isLive = false;
          }
          continue;
        }
        const occurredAtMs = Math.max(0, newestMs + s.draft.deltaMs);
        const event = eventOf(s.draft, occurredAtMs, `ext_${index}`);
        if (s.kind === "record") {
          newestMs = Math.max(newestMs, occurredAtMs);
          state.record(event.auth, event.card, event.outcome);
          events.push(event);
          continue;
        }
        const snapshot = state.snapshot(event.auth, event.card);
        for (const [name, kind, spec, field] of velocityFeatures) {
          assert.equal(snapshot[name], recountVelocity(events, event.auth, kind, spec)[field], name);
        }
      }
    }),
    propertyParameters,
  );
});

test("every recent-ring feature equals an oracle recount of the card's newest authorizations", () => {
  fc.assert(
    fc.property(
      fc.array(draft, { minLength: 1, maxLength: 90 }),
      fc.array(draft, { maxLength: 5 }),
      (drafts, queries) => {
        const state = createFeatureState();
        const events = eventsOf(drafts);
        for (const event of events) {
          state.record(event.auth, event.card, event.outcome);
        }
        const newestMs = Math.max(...events.map((event) => event.auth.occurredAtMs));
        for (const query of queries) {
          const { auth, card } = eventOf(query, Math.max(0, newestMs + query.deltaMs), "ext_query");
          const snapshot = state.snapshot(auth, card);
          for (const [name, value] of Object.entries(recountRecent(events, auth, card))) {
            assert.equal(snapshot[name as keyof typeof snapshot], value, name);
          }
        }
      },
    ),
    propertyParameters,
  );
});

/** Builds a state from steps that record, undo and learn, as the engine does. */
function stateFrom(drafts: readonly Draft[], undoEvery: number) {
  const state = createFeatureState();
  const events = eventsOf(drafts);
  for (const [index, event] of events.entries()) {
    state.record(event.auth, event.card, event.outcome);
    if (undoEvery > 0 && index % undoEvery === 0) {
      state.unrecord(event.auth, event.card, event.outcome);
      event.isLive = false;
    } else if (event.outcome === "approve") {
      state.learn(event.auth, event.card);
    }
  }
  return { state, events };
}

function snapshotsOf(state: FeatureState, probes: readonly Event[]) {
  return probes.map((probe) => state.snapshot(probe.auth, probe.card));
}

test("unrecord(x) leaves every snapshot at or after x's time as if x had never been recorded, even after others", () => {
  fc.assert(
    fc.property(
      fc.array(draft, { maxLength: 60 }),
      fc.nat(5),
      draft,
      fc.array(draft, { maxLength: 3 }),
      fc.array(fc.tuple(draft, fc.nat(3 * dayMs)), { minLength: 1, maxLength: 6 }),
      (drafts, undoEvery, xDraft, laterDrafts, probeDrafts) => {
        // Two states with the same history; only the first also sees x, recorded then undone
        // after the authorizations that came in while x's decision was being persisted.
        const withX = stateFrom(drafts, undoEvery);
        const withoutX = stateFrom(drafts, undoEvery);
        const newestMs = Math.max(baseTimeMs, ...withX.events.map((event) => event.auth.occurredAtMs));
        const x = eventOf(xDraft, Math.max(0, newestMs + xDraft.deltaMs), "ext_x");
        const later = eventsOf(laterDrafts, x.auth.occurredAtMs);
        withX.state.record(x.auth, x.card, x.outcome);
        for (const event of later) {
          withX.state.record(event.auth, event.card, event.outcome);
          withoutX.state.record(event.auth, event.card, event.outcome);
        }
        withX.state.unrecord(x.auth, x.card, x.outcome);
        const probes = probeDrafts.map(([d, afterMs], i) =>
          eventOf(d, x.auth.occurredAtMs + afterMs, `ext_p${i}`),
        );
        assert.deepStrictEqual(snapshotsOf(withX.state, probes), snapshotsOf(withoutX.state, probes));
      },
    ),
    propertyParameters,
  );
});

test("unrecord(record(x)) restores every snapshot at any time when x moves no ring forward", () => {
  fc.assert(
    fc.property(
      fc.array(draft, { minLength: 1, maxLength: 60 }),
      fc.nat(),
      fc.nat(2 * hourMs),
      fc.nat(outcomes.length - 1),
      fc.array(fc.tuple(draft, fc.integer({ min: -3 * dayMs, max: 3 * dayMs })), {
        minLength: 1,
        maxLength: 6,
      }),
      (drafts, xIndex, earlierMs, xOutcome, probeDrafts) => {
        const { state, events } = stateFrom(drafts, 0);
        // x is a late twin of a recorded authorization: same card, merchant, terminal and device,
        // no later in time, so every ring it touches already holds its bucket or newer.
        const twin = pick(events, xIndex);
        const x = {
          auth: {
            ...twin.auth,
            externalId: "ext_x",
            occurredAtMs: Math.max(0, twin.auth.occurredAtMs - earlierMs),
          },
          card: twin.card,
          outcome: pick(outcomes, xOutcome),
        };
        const probes = probeDrafts.map(([d, offsetMs], i) =>
          eventOf(d, Math.max(0, x.auth.occurredAtMs + offsetMs), `ext_p${i}`),
        );
        const before = snapshotsOf(state, probes);
        state.record(x.auth, x.card, x.outcome);
        state.unrecord(x.auth, x.card, x.outcome);
        assert.deepStrictEqual(snapshotsOf(state, probes), before);
      },
    ),
    propertyParameters,
  );
});

test("snapshot is a pure read: repeating it, or reading others in between, changes nothing", () => {
  fc.assert(
    fc.property(fc.array(draft, { maxLength: 40 }), draft, draft, (drafts, yDraft, zDraft) => {
      const { state, events } = stateFrom(drafts, 3);
      const newestMs = Math.max(baseTimeMs, ...events.map((event) => event.auth.occurredAtMs));
      const y = eventOf(yDraft, Math.max(0, newestMs + yDraft.deltaMs), "ext_y");
      const z = eventOf(zDraft, Math.max(0, newestMs + zDraft.deltaMs), "ext_z");
      const stats = state.stats();
      const first = state.snapshot(y.auth, y.card);
      state.snapshot(z.auth, z.card);
      assert.deepStrictEqual(state.snapshot(y.auth, y.card), first);
      assert.deepStrictEqual(state.stats(), stats);
    }),
    propertyParameters,
  );
});

// --- Examples ------------------------------------------------------------------------------

test("a snapshot has every schema feature, in schema order, with the schema's type", () => {
  const state = createFeatureState();
  const card = makeCard();
  state.record(makeAuthorization({ occurredAtMs: baseTimeMs - minuteMs }), card, "approve");
  const snapshot = state.snapshot(makeAuthorization(), card);
  assert.deepEqual(Object.keys(snapshot), Object.keys(featureSchema));
  for (const [name, type] of Object.entries(featureSchema)) {
    const value = snapshot[name as keyof typeof snapshot];
    assert.equal(typeof value, type === "bool" ? "boolean" : type, name);
  }
});

test("velocity counts exclude the authorization being scored: it counts only once recorded", () => {
  const state = createFeatureState();
  const card = makeCard();
  const first = makeAuthorization({ externalId: "ext_1", amount: 1_500 });
  assert.equal(state.snapshot(first, card)["card.count1h"], 0);
  state.record(first, card, "approve");
  const second = makeAuthorization({ externalId: "ext_2", occurredAtMs: baseTimeMs + 30_000 });
  const snapshot = state.snapshot(second, card);
  assert.equal(snapshot["card.count1h"], 1);
  assert.equal(snapshot["card.sum1h"], 1_500);
  assert.equal(snapshot["merchant.count1m"], 1);
  assert.equal(snapshot["card.minutesSinceLast"], 0.5);
});

test("a new card reads as unremarkable: no velocity, no habits held against it", () => {
  const snapshot = createFeatureState().snapshot(makeAuthorization({ fingerprint: "fp_new" }), makeCard());
  assert.equal(snapshot["card.count30d"], 0);
  assert.equal(snapshot["card.minutesSinceLast"], minutesSinceLastNone);
  assert.equal(snapshot["profile.authorizationCount"], 0);
  assert.equal(snapshot["profile.amountZ"], 0);
  assert.equal(snapshot["profile.amountRatio"], 1);
  assert.equal(snapshot["profile.hourShare"], 1);
  assert.equal(snapshot["profile.mccGroupShare"], 1);
  assert.equal(snapshot["profile.isKnownDevice"], false);
  assert.equal(snapshot["profile.isFirstUseAbroad"], false);
  assert.equal(snapshot["device.present"], true);
});

test("the authorization's own fields: presence, foreignness, local hours and card age", () => {
  const card = makeCard({ createdAtMs: Date.parse("2024-05-01T00:00:00Z") });
  // 2024-05-10T18:30Z is 03:30 in Tokyo; the merchant's occurredAt said +05:30, so 00:00 there.
  const auth = makeAuthorization({
    country: "KR",
    channel: "contactless",
    occurredAtMs: Date.parse("2024-05-10T18:30:00Z"),
    offsetMinutes: 330,
    mcc: "6011",
  });
  const snapshot = createFeatureState().snapshot(auth, card);
  assert.equal(snapshot.isCardPresent, true);
  assert.equal(snapshot.isForeign, true);
  assert.equal(snapshot["profile.isFirstUseAbroad"], true);
  assert.equal(snapshot.localHour, 3);
  assert.equal(snapshot.merchantLocalHour, 0);
  assert.equal(snapshot["card.ageDays"], 9);
  assert.equal(snapshot["merchant.mccGroup"], "cash");
  assert.equal(snapshot["device.present"], false);
});

test("after 20 daytime ¥3,000 groceries, a ¥300,000 electronics purchase abroad at 03:00 stands out", () => {
  const state = createFeatureState();
  const card = makeCard();
  const noonTokyoMs = Date.parse("2024-05-01T03:00:00Z");
  for (let day = 0; day < 20; day++) {
    const auth = makeAuthorization({
      externalId: `ext_${day}`,
      occurredAtMs: noonTokyoMs + day * dayMs + day * minuteMs,
    });
    state.record(auth, card, "approve");
    state.learn(auth, card);
  }
  const fraud = state.snapshot(
    makeAuthorization({
      amount: 300_000,
      merchantId: "mer_gadgets_us",
      mcc: "5732",
      country: "US",
      occurredAtMs: Date.parse("2024-05-21T18:00:00Z"), // 03:00 in Tokyo
    }),
    card,
  );
  assert.equal(fraud["profile.authorizationCount"], 20);
  assert.equal(fraud["profile.amountTypical"], 3_000);
  assert.ok(fraud["profile.amountZ"] >= 5, `amountZ ${fraud["profile.amountZ"]}`);
  assert.ok(fraud["profile.amountRatio"] >= 50, `amountRatio ${fraud["profile.amountRatio"]}`);
  assert.ok(fraud["profile.hourShare"] < 0.05, `hourShare ${fraud["profile.hourShare"]}`);
  assert.equal(fraud["profile.mccGroupShare"], 0);
  assert.equal(fraud["profile.isKnownMerchant"], false);
  assert.equal(fraud["profile.isKnownCountry"], false);
  assert.equal(fraud["profile.isFirstUseAbroad"], true);

  const usual = state.snapshot(
    makeAuthorization({ amount: 3_200, occurredAtMs: Date.parse("2024-05-21T03:30:00Z") }),
    card,
  );
  assert.ok(usual["profile.hourShare"] > 0.9, `hourShare ${usual["profile.hourShare"]}`);
  assert.ok(Math.abs(usual["profile.amountZ"]) < 0.5, `amountZ ${usual["profile.amountZ"]}`);
  assert.ok(usual["profile.amountRatio"] < 1.1, `amountRatio ${usual["profile.amountRatio"]}`);
  assert.ok(usual["profile.mccGroupShare"] > 0.99, `mccGroupShare ${usual["profile.mccGroupShare"]}`);
  assert.equal(usual["profile.isKnownMerchant"], true);
  assert.equal(usual["profile.isKnownCountry"], true);
  assert.equal(usual["profile.isFirstUseAbroad"], false);
});

test("record() alone teaches the profile nothing: only learn() does", () => {
  const state = createFeatureState();
  const card = makeCard();
  state.record(makeAuthorization({ occurredAtMs: baseTimeMs - hourMs }), card, "approve");
  const snapshot = state.snapshot(makeAuthorization(), card);
  assert.equal(snapshot["profile.authorizationCount"], 0);
  assert.equal(snapshot["profile.isKnownMerchant"], false);
});

test("the profile's merchant, country and device sets forget the least recently learned beyond their limits", () => {
  const state = createFeatureState();
  const card = makeCard();
  const learn = (options: Parameters<typeof makeAuthorization>[0]) =>
    state.learn(makeAuthorization(options), card);
  const read = (options: Parameters<typeof makeAuthorization>[0]) =>
    state.snapshot(makeAuthorization(options), card);

  for (let i = 0; i <= limits.profileMerchantsMax; i++) {
    learn({ merchantId: `mer_${i}` });
  }
  assert.equal(read({ merchantId: "mer_0" })["profile.isKnownMerchant"], false);
  assert.equal(read({ merchantId: "mer_1" })["profile.isKnownMerchant"], true);
  learn({ merchantId: "mer_1" }); // learned again: now the most recent
  learn({ merchantId: "mer_new" });
  assert.equal(read({ merchantId: "mer_1" })["profile.isKnownMerchant"], true);
  assert.equal(read({ merchantId: "mer_2" })["profile.isKnownMerchant"], false);

  const countries = [
    "US",
    "KR",
    "TW",
    "TH",
    "SG",
    "HK",
    "FR",
    "GB",
    "DE",
    "IT",
    "ES",
    "AU",
    "CA",
    "MX",
    "BR",
    "IN",
  ];
  assert.equal(countries.length, limits.profileCountriesMax);
  for (const country of ["JP", ...countries]) {
    learn({ country });
  }
  assert.equal(read({ country: "JP" })["profile.isKnownCountry"], false);
  assert.equal(read({ country: "US" })["profile.isKnownCountry"], true);
  learn({ country: "CN" });
  assert.equal(read({ country: "US" })["profile.isKnownCountry"], false);
  assert.equal(read({ country: "US" })["profile.hasUsedAbroad"], true, "use abroad outlives the country set");

  for (let i = 0; i <= limits.profileDevicesMax; i++) {
    learn({ fingerprint: `fp_${i}` });
  }
  assert.equal(read({ fingerprint: "fp_0" })["profile.isKnownDevice"], false);
  assert.equal(read({ fingerprint: "fp_1" })["profile.isKnownDevice"], true);
  assert.equal(read({ fingerprint: null })["profile.isKnownDevice"], false);
});

test("the recent ring keeps the last authorizations only, and one undo brings back the entry it pushed out", () => {
  const state = createFeatureState();
  const card = makeCard();
  const count = limits.recentAuthorizationsMax + 1;
  for (let i = 0; i < count; i++) {
    const auth = makeAuthorization({
      externalId: `ext_${i}`,
      merchantId: `mer_${i}`,
      occurredAtMs: baseTimeMs + i * 1_000,
    });
    state.record(auth, card, "approve");
  }
  const probe = makeAuthorization({ externalId: "ext_probe", occurredAtMs: baseTimeMs + hourMs / 2 });
  const before = state.snapshot(probe, card);
  assert.equal(
    before["card.distinctMerchants1h"],
    limits.recentAuthorizationsMax,
    "the oldest is out of view",
  );
  const late = makeAuthorization({
    externalId: "ext_late",
    merchantId: "mer_late",
    occurredAtMs: baseTimeMs + 999,
  });
  state.record(late, card, "decline");
  assert.equal(state.snapshot(probe, card)["card.declineCount1h"], 1);
  state.unrecord(late, card, "decline");
  assert.deepStrictEqual(state.snapshot(probe, card), before);
});

test("unrecord() without a record() of the same card is a bug", () => {
  const state = createFeatureState();
  assert.throws(() => state.unrecord(makeAuthorization(), makeCard(), "approve"), /undoes a record/);
});

test("stats count the entities held: terminals and devices only when the authorization names them", () => {
  const state = createFeatureState();
  const card = makeCard();
  state.record(makeAuthorization({ terminalId: "t1", fingerprint: "fp_1" }), card, "approve");
  state.record(makeAuthorization({ merchantId: "mer_other", terminalId: "t1" }), card, "approve");
  state.record(makeAuthorization({ merchantId: "mer_other" }), card, "approve");
  const stats = state.stats();
  assert.equal(stats.cards, 1);
  assert.equal(stats.merchants, 2);
  assert.equal(stats.terminals, 2, "a terminal id is scoped to its merchant");
  assert.equal(stats.devices, 1);
});
