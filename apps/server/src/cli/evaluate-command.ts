/**
 * `mimamori evaluate`: replays a labelled history through the engine, trains the fraud model on
 * one window with the labels known by the next, scores the test window, and prints the model's
 * metrics beside a logistic regression, a random forest, the default ruleset, and the model with
 * the ruleset's score as an input.
 */

import { time } from "../config/limits.ts";
import {
  type EvaluationProgress,
  type EvaluationReport,
  evaluateHistory,
  type RankingMetrics,
} from "../model/index.ts";
import {
  type CommandOutput,
  createHistoryProgress,
  formatDate,
  labelledHistoryArgs,
  loadDefaultRuleset,
  overHistory,
} from "./labelled-history.ts";

const windowFlags = ["train-from", "train-to", "test-from", "test-to"] as const;
type Windows = Record<(typeof windowFlags)[number], number>;

export async function runEvaluate(argv: readonly string[], output: CommandOutput = process): Promise<number> {
  const fail = (code: string, message: string): number => {
    output.stderr.write(`error ${code}: ${message}\n`);
    return 2;
  };
  const parsed = labelledHistoryArgs(argv, windowFlags, { values: [], switches: ["json"] });
  if (!parsed.ok) {
    return fail("invalid_option", parsed.message);
  }
  const { args, labelDelayDays, seed } = parsed;

  const rejected: Record<string, number> = {};
  const progress = createHistoryProgress(output.stderr);
  const startedAtMs = performance.now();
  const onProgress = ({ stage, done, total }: EvaluationProgress): void =>
    progress.stage(`train ${stage}`, done, total, "steps");
  const result = await overHistory(parsed.input, progress, rejected, (rows) =>
    evaluateHistory(
      rows,
      {
        ruleset: loadDefaultRuleset(),
        trainFromMs: parsed.dates["train-from"],
        trainToMs: parsed.dates["train-to"] + time.dayMs,
        testFromMs: parsed.dates["test-from"],
        testToMs: parsed.dates["test-to"] + time.dayMs,
        labelDelayMs: labelDelayDays * time.dayMs,
        seed,
      },
      onProgress,
    ),
  );
  if (!result.ok) {
    return fail(result.code, result.message);
  }
  const seconds = Number(((performance.now() - startedAtMs) / 1000).toFixed(1));
  const summary = summaryOf(result.report, parsed.dates, rejected, seconds);
  output.stdout.write(
    args.switches.has("json") ? `${JSON.stringify(summary)}\n` : formatTable(result.report, summary),
  );
  return 0;
}

function summaryOf(
  report: EvaluationReport,
  windows: Windows,
  rejected: Record<string, number>,
  seconds: number,
) {
  return {
    ...report.model,
    transactions: report.test.transactions,
    frauds: report.test.frauds,
    baselines: report.baselines,
    rules: report.rules,
    rulesAndModel: report.rulesAndModel,
    train: {
      transactions: report.train.transactions,
      frauds: report.train.frauds,
      from: formatDate(windows["train-from"]),
      to: formatDate(windows["train-to"]),
    },
    test: {
      from: formatDate(windows["test-from"]),
      to: formatDate(windows["test-to"]),
      cardPrecisionAt100Max: report.test.cardPrecisionAt100Max,
    },
    seed: report.seed,
    modelTrees: report.modelTrees,
    rows: { ...report.rows, rejected },
    seconds,
  };
}

function formatTable(report: EvaluationReport, summary: ReturnType<typeof summaryOf>): string {
  const cell = (value: number | null): string => (value === null ? "–" : value.toFixed(3)).padStart(8);
  const line = (name: string, metrics: RankingMetrics): string =>
    `${name.padEnd(22)}${cell(metrics.auc)}${cell(metrics.averagePrecision)}${cell(metrics.cardPrecisionAt100)}\n`;
  return (
    `trained on ${summary.train.from} … ${summary.train.to}: ${report.train.transactions} transactions, ${report.train.frauds} frauds (${report.modelTrees} trees kept)\n` +
    `tested on  ${summary.test.from} … ${summary.test.to}: ${report.test.transactions} transactions, ${report.test.frauds} frauds (${summary.seconds} s)\n\n` +
    `${"".padEnd(22)}${"AUC".padStart(8)}${"AP".padStart(8)}${"CP@100".padStart(8)}\n` +
    line("model", report.model) +
    line("logistic regression", report.baselines.logisticRegression) +
    line("random forest", report.baselines.randomForest) +
    line("rules (default)", report.rules) +
    line("rules and model", report.rulesAndModel) +
    `${"".padEnd(38)}${cell(report.test.cardPrecisionAt100Max)} ceiling (a perfect ranking)\n`
  );
}
