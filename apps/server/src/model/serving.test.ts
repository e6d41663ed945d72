import assert from "node:assert/strict";
import { test } from "node:test";
import type { CardholderId, CardId } from "../platform/ids.ts";
import { compileRulesetText, defaultRulesetName, defaultRulesetText } from "../rulesets/index.ts";
import {
  type Authorization,
  type CardContext,
  createFeatureState,
  createScoringEngine,
  encodeSnapshot,
  type LoadedRuleset,
  replayRecordedDecision,
  type ServingModel,
} from "../scoring/index.ts";
import { type ModelArtifact, parseModelArtifact } from "./artifact.ts";
import { createLabelLedger, type LabelLedger } from "./label-ledger.ts";
import { createServingModel } from "./serving.ts";
import { trainTestArtifact } from "./test-support.ts";

const baseMs = 1_780_000_000_000;
const card: CardContext = {
  cardId: "card-serving" as CardId,
  cardholderId: "ch-serving" as CardholderId,
  state: "active",
  homeCountry: "JP",
  timeZone: "Asia/Tokyo",
  createdAtMs: baseMs - 400 * 86_400_000,
  allowWindow: null,
};

function authorization(id: string, amountMinor: number, occurredAtMs: number): Authorization {
  return {
    externalId: id,
    cardId: card.cardId,
    amountMinor,
    currency: "JPY",
    amountBaseMinor: amountMinor,
    merchant: { id: "mer-serving", name: "Shop", mcc: "5411", country: "JP", terminalId: null },
    channel: "pos",
    occurredAtMs,
    occurredAtOffsetMinutes: 540,
    device: { ip: null, fingerprint: null },
  };
}

/** The shared test model: large amounts at a merchant with known fraud, on a card used in the last hour. */
const artifactOf = (): ModelArtifact => trainTestArtifact();

/** A clock past every payment here: each is read at its own time. */
const laterClock = { nowMs: () => baseMs + 365 * 86_400_000 };

function defaultRuleset(): LoadedRuleset {
  const compiled = compileRulesetText(defaultRulesetText);
  assert.ok(compiled.ok);
  return { id: defaultRulesetName, version: 1, compiled: compiled.value };
}

/** Two frauds at the merchant the tests pay at, of other cards, each known at `knownAtMs`. */
function ledgerWithMerchantFrauds(occurredAtMs: number, knownAtMs: number): LabelLedger {
  const ledger = createLabelLedger();
  for (const n of [1, 2]) {
    ledger.add({
      authorizationKey: `old-${n}`,
      cardId: `card-other-${n}`,
      merchantId: "mer-serving",
      terminalId: null,
      isFraud: true,
      occurredAtMs,
      knownAtMs,
    });
  }
  return ledger;
}

/** The engine on the default ruleset with `model` active. */
function engineWith(model: ServingModel) {
  const ruleset = defaultRuleset();
  return createScoringEngine({
    features: createFeatureState(),
    rulesets: { active: () => ruleset, shadow: () => null },
    models: { active: () => model, shadow: () => null },
  });
}

test("a payment the model holds names the model's three largest feature contributions first", () => {
  const parsed = parseModelArtifact(JSON.parse(JSON.stringify(artifactOf())));
  assert.ok(parsed.ok, "an artifact survives its JSON round trip");
  // Two frauds at the merchant, known before the payment.
  const ledger = ledgerWithMerchantFrauds(baseMs - 10 * 86_400_000, baseMs - 3 * 86_400_000);
  const model = createServingModel(parsed.artifact, ledger, laterClock);
  const engine = engineWith(model);

  const small = engine.score(authorization("small", 3_000, baseMs), card);
  assert.ok(small.snapshot["model.score"] < 50, `small payment scored ${small.snapshot["model.score"]}`);
  assert.equal(small.decision.outcome, "approve");

  const large = engine.score(authorization("large", 180_000, baseMs + 60_000), card);
  assert.ok(large.snapshot["model.score"] >= 90, `large payment scored ${large.snapshot["model.score"]}`);
  assert.equal(large.decision.outcome, "hold");
  const top = large.decision.reasons.slice(0, 3);
  assert.ok(
    top.every((reason) => reason.code.startsWith("model:") && reason.ruleId === parsed.artifact.id),
    JSON.stringify(large.decision.reasons),
  );
  const named = top.map((reason) => reason.code.slice("model:".length));
  assert.deepEqual([...named].sort(), ["amount", "card.count1h", "merchant.knownFraudCount30d"]);
  const contributions = large.decision.explanation.model?.contributions ?? [];
  assert.deepEqual(
    contributions.map((part) => part.feature),
    named,
    "the reasons are the recorded contributions, largest first",
  );
  assert.ok(
    contributions.every(
      (part, i) => i === 0 || (contributions[i - 1]?.contribution ?? 0) >= part.contribution,
    ),
  );
  assert.ok(large.decision.reasons.some((reason) => reason.code === "model_high_risk"));
  // As stored (JSON), the decision replays identically from its snapshot and recorded model verdict.
  const stored = JSON.parse(
    JSON.stringify({
      snapshot: encodeSnapshot(large.snapshot),
      response: { explanation: large.decision.explanation },
    }),
  );
  assert.deepEqual(
    replayRecordedDecision(stored, defaultRuleset()),
    JSON.parse(JSON.stringify(large.decision)),
  );
  // Unexplained (a shadow model's score), the same score comes without its contributions.
  const unexplained = model.score(large.snapshot, authorization("large", 180_000, baseMs + 60_000), false);
  assert.equal(Math.round(unexplained.probability * 1_000) / 10, large.snapshot["model.score"]);
  assert.deepEqual(unexplained.contributions, []);
});

test("the served model reads a label only once it is known", () => {
  const artifact = artifactOf();
  const ledger = ledgerWithMerchantFrauds(baseMs - 86_400_000, baseMs + 10 * 60_000);
  const engine = engineWith(createServingModel(artifact, ledger, laterClock));
  engine.score(authorization("warm-up", 2_000, baseMs - 5 * 60_000), card);
  const before = engine.score(authorization("before", 180_000, baseMs), card);
  const after = engine.score(authorization("after", 180_000, baseMs + 20 * 60_000), card);
  assert.ok(
    before.snapshot["model.score"] < 50,
    `before the labels were known: ${before.snapshot["model.score"]}`,
  );
  assert.ok(after.snapshot["model.score"] >= 90, `after: ${after.snapshot["model.score"]}`);
});

test("a payment stamped far ahead of the clock does not hide today's labels from the payments after it", () => {
  const ledger = ledgerWithMerchantFrauds(baseMs - 10 * 86_400_000, baseMs - 3 * 86_400_000);
  const now = { nowMs: () => baseMs + 30 * 60_000 };
  const model = createServingModel(artifactOf(), ledger, now);
  const engine = engineWith(model);
  engine.score(authorization("warm-up", 2_000, baseMs), card);
  // Another card's payment, within the engine's skew allowance, 300 days ahead: read at now.
  const other = { ...card, cardId: "card-ahead" as CardId };
  engine.score({ ...authorization("ahead", 2_000, baseMs + 300 * 86_400_000), cardId: other.cardId }, other);
  const large = engine.score(authorization("large", 180_000, baseMs + 60_000), card);
  assert.ok(large.snapshot["model.score"] >= 90, `scored ${large.snapshot["model.score"]}`);
});

test("an artifact trained on another vector is refused with model_features_mismatch", () => {
  const artifact = artifactOf();
  const renamed = {
    ...artifact,
    gbdt: { ...artifact.gbdt, featureNames: artifact.gbdt.featureNames.map((n) => `${n}!`) },
  };
  const parsed = parseModelArtifact(JSON.parse(JSON.stringify(renamed)));
  assert.ok(!parsed.ok && parsed.code === "model_features_mismatch");
  const broken = parseModelArtifact({ ...artifact, id: "nope" });
  assert.ok(!broken.ok && broken.code === "invalid_model");
});
