import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import type { CardholderId, CardId } from "../platform/ids.ts";
import {
  type Authorization,
  type CardContext,
  createFeatureState,
  type FeatureSnapshot,
  featureSchema,
} from "../scoring/index.ts";
import { createLabelFeatures, labelFeatureNames } from "./label-ledger.ts";
import { modelFeatureCount, modelFeatureNames, writeModelFeatures } from "./model-features.ts";

const card: CardContext = {
  cardId: "card-1" as CardId,
  cardholderId: "ch-1" as CardholderId,
  state: "active",
  homeCountry: "JP",
  timeZone: "Asia/Tokyo",
  createdAtMs: 1_700_000_000_000 - 400 * 86_400_000,
  allowWindow: null,
};

function authorization(overrides: Partial<Authorization> = {}): Authorization {
  return {
    externalId: "a1",
    cardId: card.cardId,
    amountMinor: 12_000,
    currency: "JPY",
    amountBaseMinor: 12_000,
    merchant: { id: "m1", name: "Shop", mcc: "5732", country: "US", terminalId: null },
    channel: "ecommerce",
    occurredAtMs: 1_700_000_000_000,
    occurredAtOffsetMinutes: -300,
    device: { ip: null, fingerprint: "dev-1" },
    ...overrides,
  };
}

function snapshotOf(auth: Authorization): FeatureSnapshot {
  const state = createFeatureState();
  state.record(authorization({ occurredAtMs: auth.occurredAtMs - 60_000 }), card, "approve");
  return state.snapshot(auth, card);
}

const slotValue = (vector: Float64Array, name: string): number | undefined =>
  vector[modelFeatureNames.indexOf(name)];

test("the vector's names are unique, and its length is the number of names", () => {
  assert.equal(new Set(modelFeatureNames).size, modelFeatureNames.length);
  assert.equal(modelFeatureCount, modelFeatureNames.length);
  for (const name of labelFeatureNames) {
    assert.ok(modelFeatureNames.includes(name), name);
  }
  // Free text and ids never enter: only numbers, booleans and one-hots of closed lists.
  for (const name of ["merchant.id", "currency", "merchant.country", "cardholder.homeCountry"]) {
    assert.ok(!modelFeatureNames.some((candidate) => candidate.startsWith(name)), name);
  }
});

test("the vector's names and order change only on purpose, since stored models are trained on them", () => {
  const digest = createHash("sha256").update(modelFeatureNames.join("\n")).digest("hex").slice(0, 16);
  // A new feature changes this: update it, and retrain or convert stored models (the names travel
  // with a model, so serving refuses a model trained on another vector).
  assert.equal(`${modelFeatureCount} ${digest}`, "74 6039eef881945635");
});

test("every numeric and boolean snapshot feature is in the vector, booleans as 0 or 1", () => {
  const snapshot = snapshotOf(authorization());
  const vector = new Float64Array(modelFeatureCount);
  writeModelFeatures(snapshot, createLabelFeatures(), vector);
  for (const [name, type] of Object.entries(featureSchema)) {
    // The model's score is its output, never its input.
    if (type === "string" || name === "model.score") {
      continue;
    }
    const value = snapshot[name as keyof FeatureSnapshot];
    assert.equal(slotValue(vector, name), typeof value === "boolean" ? Number(value) : value, name);
  }
  assert.equal(slotValue(vector, "isForeign"), 1);
  assert.equal(slotValue(vector, "card.count24h"), 1);
});

test("each one-hot group has a single 1, at the snapshot's value", () => {
  const vector = new Float64Array(modelFeatureCount);
  writeModelFeatures(snapshotOf(authorization()), createLabelFeatures(), vector);
  for (const [group, value] of [
    ["channel", "ecommerce"],
    ["merchant.mccGroup", "resellable"],
    ["threeDs.status", "none"],
  ] as const) {
    const slots = modelFeatureNames.filter((name) => name.startsWith(`${group}=`));
    assert.ok(slots.length > 1, group);
    assert.deepEqual(
      slots.filter((name) => slotValue(vector, name) === 1),
      [`${group}=${value}`],
    );
    assert.ok(slots.every((name) => slotValue(vector, name) === 0 || slotValue(vector, name) === 1));
  }
});

test("every slot is written at its offset, so a reused buffer keeps nothing of the previous row", () => {
  const labels = createLabelFeatures();
  labels["merchant.knownFraudCount30d"] = 3;
  labels["card.isKnownCompromised"] = 1;
  const buffer = new Float64Array(2 * modelFeatureCount + 1).fill(-7);
  writeModelFeatures(snapshotOf(authorization({ channel: "pos" })), labels, buffer, 1);
  const fresh = new Float64Array(modelFeatureCount);
  writeModelFeatures(snapshotOf(authorization({ channel: "pos" })), labels, fresh);
  assert.equal(buffer[0], -7, "nothing before the offset");
  assert.deepEqual(buffer.subarray(1, 1 + modelFeatureCount), fresh);
  assert.equal(buffer[1 + modelFeatureCount], -7, "nothing after the vector");
  assert.equal(slotValue(fresh, "merchant.knownFraudCount30d"), 3);
  assert.ok(Number.isNaN(slotValue(fresh, "merchant.knownFraudRate30d")), "missing stays NaN for the trees");

  // The next row into the same slots leaves no trace of the first.
  writeModelFeatures(snapshotOf(authorization()), createLabelFeatures(), fresh);
  const again = new Float64Array(modelFeatureCount);
  writeModelFeatures(snapshotOf(authorization()), createLabelFeatures(), again);
  assert.deepEqual(fresh, again);
});
