import assert from "node:assert/strict";
import { test } from "node:test";
import { limits, time } from "../config/limits.ts";
import type { ReplayRow } from "../replay/index.ts";
import { parseModelArtifact } from "./artifact.ts";
import { defaultRulesetForTests, historyStartMs, simulatedHistory } from "./history.test-support.ts";
import { modelFeatureNames } from "./model-features.ts";
import { createModelArtifact, type ModelTrainingOptions, trainModelOnHistory } from "./model-training.ts";

const { dayMs } = time;
const startMs = historyStartMs;

const ruleset = defaultRulesetForTests();

/** Ten days from the history's first, with labels known three days after each payment. */
function options(overrides: Partial<ModelTrainingOptions> = {}): ModelTrainingOptions {
  return {
    ruleset,
    fromMs: startMs,
    toMs: startMs + 10 * dayMs,
    labelDelayMs: 3 * dayMs,
    seed: 1,
    ...overrides,
  };
}

const { simulated, history } = simulatedHistory(12);

/** The ten-day window trained once with seed 1, for the tests that only read the result. */
const trainedWithSeed1 = trainModelOnHistory(history(), options());

test("a trained model's artifact loads as the server loads it, on the server's own feature vector", async () => {
  const trained = await trainedWithSeed1;
  assert.ok(trained.ok, trained.ok ? "" : trained.message);
  const artifact = createModelArtifact({
    trainedAt: "2026-01-11T00:00:00.000Z",
    training: { from: "2026-01-01", to: "2026-01-10", labelDelayDays: 3, ...trained.training },
    validation: { auc: trained.validation.auc, averagePrecision: trained.validation.averagePrecision },
    gbdt: trained.model,
  });
  const parsed = parseModelArtifact(JSON.parse(JSON.stringify(artifact)));
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
  assert.deepEqual(parsed.artifact.gbdt.featureNames, modelFeatureNames);
  assert.match(parsed.artifact.id, /^model_[0-9a-f]{16}$/);
  for (const value of [trained.validation.auc, trained.validation.averagePrecision]) {
    assert.ok(value !== null && value >= 0 && value <= 1, `validation metric ${value}`);
  }
});

test("training learns only from labels known when the window closes, and validates on its latest fifth", async () => {
  const trained = await trainedWithSeed1;
  assert.ok(trained.ok, trained.ok ? "" : trained.message);
  // Window days 0–9, labels 3 days late: a row is learned from if it happened by the end of day 6.
  const learnable = simulated.filter((row) => {
    const occurredAtMs = Date.parse(row.occurredAt);
    return occurredAtMs >= startMs && occurredAtMs + 3 * dayMs <= startMs + 10 * dayMs;
  });
  assert.deepEqual(trained.training, {
    transactions: learnable.length,
    frauds: learnable.filter((row) => row.isFraud).length,
  });
  assert.equal(
    trained.validation.transactions,
    Math.round(learnable.length * limits.modelValidationShare),
    "the held-out rows are the latest fifth",
  );
  // Rows after the window (days 10 and 11) are never read.
  const inWindow = simulated.filter((row) => Date.parse(row.occurredAt) < startMs + 10 * dayMs);
  assert.equal(trained.rows.replayed, inWindow.length);
});

test("one history and seed give byte-identical trees and the same id; another seed other trees", async () => {
  const idOf = async (trainedPromise: ReturnType<typeof trainModelOnHistory>) => {
    const trained = await trainedPromise;
    assert.ok(trained.ok, trained.ok ? "" : trained.message);
    const validation = { auc: null, averagePrecision: null };
    const training = { from: "", to: "", labelDelayDays: 3, transactions: 0, frauds: 0 };
    const artifact = createModelArtifact({ trainedAt: "", training, validation, gbdt: trained.model });
    return { id: artifact.id, trees: JSON.stringify(artifact.gbdt) };
  };
  const first = await idOf(trainedWithSeed1);
  assert.deepEqual(await idOf(trainModelOnHistory(history(), options())), first);
  assert.notEqual((await idOf(trainModelOnHistory(history(), options({ seed: 2 })))).id, first.id);
});

test("frauds whose labels arrive after the window closes are not learned from: single_class", async () => {
  // Frauds only on days 7–9: with a 3-day delay, their labels come after the window's end (day 10).
  const lateFraudsOnly = (row: ReplayRow): boolean => {
    const day = Math.floor((row.occurredAtMs - startMs) / dayMs);
    return row.label === true && day >= 7;
  };
  const result = await trainModelOnHistory(history(lateFraudsOnly), options());
  assert.equal(result.ok ? "ok" : result.code, "single_class");
});

test("a window without fraud is refused with single_class", async () => {
  const result = await trainModelOnHistory(
    history(() => false),
    options(),
  );
  assert.equal(result.ok ? "ok" : result.code, "single_class");
});

test("an empty window, one shorter than the label delay, or one with no labelled row is refused with invalid_window", async () => {
  for (const bad of [
    { toMs: startMs },
    { toMs: startMs - dayMs },
    { labelDelayMs: 11 * dayMs },
    { fromMs: startMs + 20 * dayMs, toMs: startMs + 30 * dayMs },
  ]) {
    const result = await trainModelOnHistory(history(), options(bad));
    assert.equal(result.ok ? "ok" : result.code, "invalid_window", JSON.stringify(bad));
  }
  const unlabelled = await trainModelOnHistory(
    history(() => null),
    options(),
  );
  assert.equal(unlabelled.ok ? "ok" : unlabelled.code, "invalid_window", "no labelled row");
});
