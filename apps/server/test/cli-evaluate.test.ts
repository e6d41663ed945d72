/**
 * `mimamori evaluate` as a user runs it: a real process on the simulator's output.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { generateIssuerHistory } from "../src/simulation/index.ts";

const bin = resolve(import.meta.dirname, "../bin/mimamori.mjs");
const work = mkdtempSync(join(tmpdir(), "mimamori-evaluate-"));
after(() => rmSync(work, { recursive: true, force: true }));

type Metrics = { auc: number; averagePrecision: number; cardPrecisionAt100: number };
type Report = Metrics & {
  transactions: number;
  frauds: number;
  baselines: { logisticRegression: Metrics; randomForest: Metrics };
  rules: Metrics;
  rulesAndModel: Metrics;
  train: { transactions: number; frauds: number; from: string; to: string };
  test: { from: string; to: string };
  seed: number;
};

test("evaluate on the simulator's output prints the three metrics for the model, both baselines and the rules", () => {
  // What `mimamori simulate --seed 9 --cardholders 250 --days 18` writes, made in this process.
  const history = join(work, "history.ndjson");
  const rows = generateIssuerHistory({ seed: 9, cardholders: 250, days: 18, startMs: Date.UTC(2026, 0, 1) });
  writeFileSync(history, [...rows].map((row) => JSON.stringify(row)).join("\n"));

  const evaluated = spawnSync(
    process.execPath,
    [
      bin,
      "evaluate",
      ...["--input", history, "--train-from", "2026-01-01", "--train-to", "2026-01-10"],
      ...["--label-delay-days", "3", "--test-from", "2026-01-14", "--test-to", "2026-01-17", "--json"],
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  assert.equal(evaluated.status, 0, evaluated.stderr);
  const report = JSON.parse(evaluated.stdout) as Report;
  const scorers = {
    model: report,
    logisticRegression: report.baselines.logisticRegression,
    randomForest: report.baselines.randomForest,
    rules: report.rules,
    rulesAndModel: report.rulesAndModel,
  };
  for (const [name, metrics] of Object.entries(scorers)) {
    for (const key of ["auc", "averagePrecision", "cardPrecisionAt100"] as const) {
      assert.ok(metrics[key] >= 0 && metrics[key] <= 1, `${name} ${key} ${metrics[key]}`);
    }
  }
  assert.ok(report.transactions > report.frauds && report.frauds > 0, "counts are of the test window");
  assert.ok(report.train.transactions > report.train.frauds && report.train.frauds > 0);
  assert.deepEqual(
    {
      train: [report.train.from, report.train.to],
      test: [report.test.from, report.test.to],
      seed: report.seed,
    },
    { train: ["2026-01-01", "2026-01-10"], test: ["2026-01-14", "2026-01-17"], seed: 1 },
  );
  assert.match(evaluated.stderr, /^replay /m, "the replay shows progress");
  assert.match(evaluated.stderr, /^train model /m, "the training shows progress");
});
