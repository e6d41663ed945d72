import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { time } from "../config/limits.ts";
import { AssertionError } from "../platform/assert.ts";
import { propertyParameters } from "../platform/property-parameters.ts";
import { createLabelLedger, type Label, type LabelFeatures, type LabelLedger } from "./label-ledger.ts";

const { dayMs, hourMs } = time;
const windowDays = 30;

function label(overrides: Partial<Label> = {}): Label {
  return {
    authorizationKey: "a1",
    cardId: "card-1",
    merchantId: "m1",
    terminalId: "t1",
    isFraud: true,
    occurredAtMs: 100 * dayMs,
    knownAtMs: 107 * dayMs,
    ...overrides,
  };
}

function featuresAfterReveal(ledger: LabelLedger, nowMs: number, of: Label = label()): LabelFeatures {
  ledger.reveal(nowMs);
  return ledger.featuresAt(nowMs, of.cardId, of.merchantId, of.terminalId);
}

/**
 * The features by their definition, recounted from every label ever added: only labels known by
 * `nowMs`, windows of whole UTC days of occurrence.
 */
function recount(
  labels: readonly Label[],
  nowMs: number,
  cardId: string,
  merchantId: string,
  terminalId: string | null,
) {
  const known = labels.filter((candidate) => candidate.knownAtMs <= nowMs);
  const today = Math.floor(nowMs / dayMs);
  const inWindow = (candidate: Label): boolean => {
    const day = Math.floor(candidate.occurredAtMs / dayMs);
    return day > today - windowDays && day <= today;
  };
  const window = (matches: (candidate: Label) => boolean) => {
    const counted = known.filter((candidate) => matches(candidate) && inWindow(candidate));
    const frauds = counted.filter((candidate) => candidate.isFraud).length;
    return [frauds, counted.length, counted.length === 0 ? Number.NaN : frauds / counted.length] as const;
  };
  const [merchantFrauds, merchantLabels, merchantRate] = window((c) => c.merchantId === merchantId);
  const [terminalFrauds, terminalLabels, terminalRate] =
    terminalId === null
      ? [0, 0, Number.NaN]
      : window((c) => c.merchantId === merchantId && c.terminalId === terminalId);
  const cardFrauds = known.filter((candidate) => candidate.isFraud && candidate.cardId === cardId);
  const lastFraudMs = Math.max(...cardFrauds.map((candidate) => candidate.occurredAtMs));
  const features: LabelFeatures = {
    "merchant.knownFraudCount30d": merchantFrauds,
    "merchant.knownLabelCount30d": merchantLabels,
    "merchant.knownFraudRate30d": merchantRate,
    "terminal.knownFraudCount30d": terminalFrauds,
    "terminal.knownLabelCount30d": terminalLabels,
    "terminal.knownFraudRate30d": terminalRate,
    "card.isKnownCompromised": cardFrauds.length > 0 ? 1 : 0,
    "card.daysSinceKnownFraud": cardFrauds.length > 0 ? (nowMs - lastFraudMs) / dayMs : Number.NaN,
  };
  const compromiseKnownAtMs =
    cardFrauds.length > 0 ? Math.min(...cardFrauds.map((candidate) => candidate.knownAtMs)) : null;
  return { features, compromiseKnownAtMs };
}

/** A payment's label: few cards, merchants and terminals, so they share counts; delays up to 20 days. */
const labelArbitrary = fc.record({
  cardId: fc.constantFrom("c1", "c2", "c3"),
  merchantId: fc.constantFrom("m1", "m2", "m12"),
  // "1"+"2x" and "12"+"x" would collide in a naive terminal key.
  terminalId: fc.constantFrom(null, "2x", "x", "t"),
  isFraud: fc.boolean(),
  occurredAtMs: fc.integer({ min: 0, max: 90 * dayMs }),
  delayMs: fc.oneof(fc.constantFrom(0, dayMs, 7 * dayMs), fc.integer({ min: 0, max: 20 * dayMs })),
});

/** A read at a random time, or exactly when a label becomes known, or a millisecond before it. */
const queryArbitrary = fc.record({
  atMs: fc.integer({ min: 0, max: 120 * dayMs }),
  atLabel: fc.option(fc.record({ index: fc.nat(), shiftMs: fc.constantFrom(-1, 0, 1) }), { nil: null }),
  cardId: fc.constantFrom("c1", "c2", "c3"),
  merchantId: fc.constantFrom("m1", "m2", "m12"),
  terminalId: fc.constantFrom(null, "2x", "x", "t"),
});

test("a feature at t counts exactly the labels known by t: a label known after t never changes it (property)", (t) => {
  const parameters = propertyParameters(200);
  const seed = parameters.seed ?? Date.now() % 2_147_483_647;
  t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
  fc.assert(
    fc.property(
      fc.array(labelArbitrary, { maxLength: 60 }),
      fc.array(queryArbitrary, { minLength: 1, maxLength: 20 }),
      (drafts, queries) => {
        const labels: Label[] = drafts
          .map((draft, index) => ({
            authorizationKey: `a${index}`,
            cardId: draft.cardId,
            merchantId: draft.merchantId,
            terminalId: draft.terminalId,
            isFraud: draft.isFraud,
            occurredAtMs: draft.occurredAtMs,
            knownAtMs: draft.occurredAtMs + draft.delayMs,
          }))
          .sort((a, b) => a.occurredAtMs - b.occurredAtMs);
        const reads = queries
          .map((query) => {
            const anchor = query.atLabel === null ? undefined : labels[query.atLabel.index % labels.length];
            const atMs =
              anchor === undefined || query.atLabel === null
                ? query.atMs
                : Math.max(0, anchor.knownAtMs + query.atLabel.shiftMs);
            return { ...query, atMs };
          })
          .sort((a, b) => a.atMs - b.atMs);
        // As in production: each label is added when its payment happens, reads go forward in time.
        const ledger = createLabelLedger();
        let next = 0;
        for (const read of reads) {
          for (; next < labels.length && (labels[next]?.occurredAtMs ?? 0) <= read.atMs; next++) {
            ledger.add(labels[next] as Label);
          }
          ledger.reveal(read.atMs);
          const features = ledger.featuresAt(read.atMs, read.cardId, read.merchantId, read.terminalId);
          const expected = recount(labels, read.atMs, read.cardId, read.merchantId, read.terminalId);
          assert.deepEqual(features, expected.features);
          assert.equal(ledger.compromiseKnownAtMs(read.cardId), expected.compromiseKnownAtMs);
          // The same read on a ledger that never heard of the labels known after t.
          const knownOnly = createLabelLedger();
          for (const known of labels.filter((candidate) => candidate.knownAtMs <= read.atMs)) {
            knownOnly.add(known);
          }
          assert.deepEqual(featuresAfterReveal(knownOnly, read.atMs, { ...label(), ...read }), features);
        }
      },
    ),
    { ...parameters, seed },
  );
});

test("a label counts from the millisecond it becomes known, not a millisecond before", () => {
  const ledger = createLabelLedger();
  const fraud = label();
  ledger.add(fraud);
  assert.equal(featuresAfterReveal(ledger, fraud.knownAtMs - 1)["merchant.knownFraudCount30d"], 0);
  assert.equal(featuresAfterReveal(ledger, fraud.knownAtMs - 1)["card.isKnownCompromised"], 0);
  const known = featuresAfterReveal(ledger, fraud.knownAtMs);
  assert.equal(known["merchant.knownFraudCount30d"], 1);
  assert.equal(known["terminal.knownFraudRate30d"], 1);
  assert.equal(known["card.isKnownCompromised"], 1);
  assert.equal(known["card.daysSinceKnownFraud"], 7);
  assert.equal(ledger.compromiseKnownAtMs(fraud.cardId), fraud.knownAtMs);
});

test("a label leaves the window 30 days after its payment's day", () => {
  const ledger = createLabelLedger();
  ledger.add(label({ isFraud: false, occurredAtMs: 100 * dayMs + 23 * hourMs, knownAtMs: 101 * dayMs }));
  assert.equal(featuresAfterReveal(ledger, 129 * dayMs + 23 * hourMs)["merchant.knownLabelCount30d"], 1);
  assert.equal(featuresAfterReveal(ledger, 130 * dayMs)["merchant.knownLabelCount30d"], 0);
  assert.ok(Number.isNaN(featuresAfterReveal(ledger, 130 * dayMs)["merchant.knownFraudRate30d"]));
});

test("reading features at a time whose labels are not revealed, or before revealed ones, is a bug", () => {
  const ledger = createLabelLedger();
  ledger.add(label());
  assert.throws(() => ledger.featuresAt(label().knownAtMs, "card-1", "m1", null), AssertionError);
  ledger.reveal(label().knownAtMs);
  assert.throws(() => ledger.featuresAt(label().knownAtMs - 1, "card-1", "m1", null), AssertionError);
  assert.throws(() => ledger.reveal(label().knownAtMs - 1), AssertionError);
});

test("memory stays bounded: the least recently labelled merchant is forgotten at the cap", () => {
  const ledger = createLabelLedger({ merchantsMax: 2 });
  for (const [index, merchantId] of ["m1", "m2", "m1", "m3"].entries()) {
    ledger.add(label({ merchantId, occurredAtMs: index * hourMs, knownAtMs: index * hourMs }));
  }
  ledger.reveal(4 * hourMs);
  const countOf = (merchantId: string): number =>
    ledger.featuresAt(4 * hourMs, "card-1", merchantId, null)["merchant.knownLabelCount30d"];
  assert.deepEqual(["m1", "m2", "m3"].map(countOf), [2, 0, 1]);
});

test("labels beyond the pending bound are refused with label_ledger_full", () => {
  const ledger = createLabelLedger({ labelsPendingMax: 2 });
  assert.equal(ledger.add(label()).ok, true);
  assert.equal(ledger.add(label()).ok, true);
  const refused = ledger.add(label());
  assert.equal(refused.ok, false);
  assert.equal(refused.ok ? null : refused.code, "label_ledger_full");
  ledger.reveal(label().knownAtMs);
  assert.equal(ledger.pendingCount, 0);
  assert.equal(ledger.add(label()).ok, true);
});
