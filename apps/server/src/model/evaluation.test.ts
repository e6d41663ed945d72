import assert from "node:assert/strict";
import { test } from "node:test";
import { time } from "../config/limits.ts";
import type { ReplayRow } from "../replay/index.ts";
import { type EvaluationOptions, type EvaluationReport, evaluateHistory } from "./evaluation.ts";
import { defaultRulesetForTests, historyStartMs, simulatedHistory } from "./history.test-support.ts";

const { dayMs } = time;
const startMs = historyStartMs;

const ruleset = defaultRulesetForTests();

/** Days counted from the history's first day, as [from, to) windows. */
function options(overrides: Partial<EvaluationOptions> = {}): EvaluationOptions {
  return {
    ruleset,
    trainFromMs: startMs,
    trainToMs: startMs + 10 * dayMs,
    testFromMs: startMs + 13 * dayMs,
    testToMs: startMs + 17 * dayMs,
    labelDelayMs: 3 * dayMs,
    seed: 1,
    ...overrides,
  };
}

const { simulated, history } = simulatedHistory(18);

function assertMetricsInRange(report: EvaluationReport): void {
  const all = [
    report.model,
    report.baselines.logisticRegression,
    report.baselines.randomForest,
    report.rules,
    report.rulesAndModel,
  ];
  for (const metrics of all) {
    for (const value of [metrics.auc, metrics.averagePrecision, metrics.cardPrecisionAt100]) {
      assert.ok(value !== null && value >= 0 && value <= 1, `${JSON.stringify(metrics)}`);
    }
    assert.ok((metrics.cardPrecisionAt100 ?? 0) <= (report.test.cardPrecisionAt100Max ?? 0) + 1e-12);
  }
}

test("the same history and seed give the same report, with every metric in [0, 1]", async () => {
  const first = await evaluateHistory(history(), options());
  assert.ok(first.ok, first.ok ? "" : first.message);
  const { report } = first;
  assertMetricsInRange(report);
  assert.ok(report.test.frauds > 0);
  // With a 3-day delay every label of the training window is known when the test opens on day 13.
  const inTraining = simulated.filter((row) => Date.parse(row.occurredAt) < startMs + 10 * dayMs);
  assert.equal(report.train.transactions, inTraining.length);
  assert.equal(report.train.frauds, inTraining.filter((row) => row.isFraud).length);
  // Rows after the test window (day 17) are never read.
  assert.equal(
    report.rows.replayed,
    simulated.filter((row) => Date.parse(row.occurredAt) < startMs + 17 * dayMs).length,
  );
  const second = await evaluateHistory(history(), options());
  assert.deepEqual(second, first);
});

test("training keeps only rows whose label is known when the test window opens", async () => {
  // Frauds only on days 8 and 9; with a 5-day delay their labels come after the test opens on day 13.
  const lateFraudsOnly = (row: ReplayRow): boolean => {
    const day = Math.floor((row.occurredAtMs - startMs) / dayMs);
    return row.label === true && (day === 8 || day === 9 || day >= 13);
  };
  const result = await evaluateHistory(history(lateFraudsOnly), options({ labelDelayMs: 5 * dayMs }));
  assert.equal(result.ok ? "ok" : result.code, "single_class");
});

test("an empty or overlapping window, or one whose labels are not known in time, is refused with invalid_window", async () => {
  for (const bad of [
    { trainToMs: startMs },
    { testToMs: startMs + 13 * dayMs },
    { trainToMs: startMs + 14 * dayMs },
    { labelDelayMs: 14 * dayMs },
  ]) {
    const result = await evaluateHistory([], options(bad));
    assert.equal(result.ok ? "ok" : result.code, "invalid_window", JSON.stringify(bad));
  }
  const empty = await evaluateHistory([], options());
  assert.equal(empty.ok ? "ok" : empty.code, "invalid_window", "no labelled row in the windows");
});

test("a training window without fraud is refused with single_class", async () => {
  const result = await evaluateHistory(
    history(() => false),
    options(),
  );
  assert.equal(result.ok ? "ok" : result.code, "single_class");
});
