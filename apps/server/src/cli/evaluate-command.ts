/**
 * `mimamori evaluate`: replays a labelled history through the engine, trains the fraud model on
 * one window with the labels known by the next, scores the test window, and prints the model's
 * metrics beside a logistic regression, a random forest, the default ruleset, and the model with
 * the ruleset's score as an input.
 */

import { limits, time } from "../config/limits.ts";
import {
  type EvaluationProgress,
  type EvaluationReport,
  evaluateHistory,
  type RankingMetrics,
} from "../model/index.ts";
import {
  createProgressBar,
  type ProgressBar,
  ReplayInputError,
  type ReplayRow,
  type ReplayRowError,
  readReplayInput,
} from "../replay/index.ts";
import { compileRulesetText, defaultRulesetName, defaultRulesetText } from "../rulesets/index.ts";
import type { LoadedRuleset } from "../scoring/index.ts";
import { integerArg, type ParsedArgs, parseArgs } from "./args.ts";
import { historyInputFromArgs, historySwitches, historyValueFlags } from "./history-flags.ts";

const windowFlags = ["train-from", "train-to", "test-from", "test-to"] as const;
type WindowFlag = (typeof windowFlags)[number];

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a YYYY-MM-DD date, or null for anything else (31 February included). */
function parseDate(text: string): number | null {
  const match = datePattern.exec(text);
  if (match === null) {
    return null;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  const isRealDate =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isRealDate && year >= 1970 ? ms : null;
}

type Windows = Record<WindowFlag, number>;

function parseWindows(args: ParsedArgs): { ok: true; windows: Windows } | { ok: false; message: string } {
  const windows: Partial<Windows> = {};
  for (const flag of windowFlags) {
    const text = args.values.get(flag);
    if (text === undefined) {
      return { ok: false, message: `--${flag} YYYY-MM-DD is required` };
    }
    const ms = parseDate(text);
    if (ms === null) {
      return { ok: false, message: `--${flag} must be a date written YYYY-MM-DD, found "${text}"` };
    }
    windows[flag] = ms;
  }
  return { ok: true, windows: windows as Windows };
}

/** Where the command writes: the process's own streams, or a test's. */
export type CommandOutput = {
  readonly stdout: { write(text: string): unknown };
  /** A stream, since the progress bar redraws on a terminal and prints lines elsewhere. */
  readonly stderr: NodeJS.WriteStream;
};

function loadDefaultRuleset(): LoadedRuleset {
  const compiled = compileRulesetText(defaultRulesetText);
  if (!compiled.ok) {
    throw new Error("the default ruleset does not compile");
  }
  return { id: defaultRulesetName, version: 1, compiled: compiled.value };
}

export async function runEvaluate(argv: readonly string[], output: CommandOutput = process): Promise<number> {
  const fail = (code: string, message: string): number => {
    output.stderr.write(`error ${code}: ${message}\n`);
    return 2;
  };
  const parsed = parseArgs(argv, {
    values: [...historyValueFlags, ...windowFlags, "label-delay-days", "seed"],
    switches: [...historySwitches, "json"],
  });
  if (!parsed.ok) {
    return fail("invalid_option", parsed.message);
  }
  const { args } = parsed;
  const history = historyInputFromArgs(args);
  if (!history.ok) {
    return fail("invalid_option", history.message);
  }
  const windows = parseWindows(args);
  if (!windows.ok) {
    return fail("invalid_option", windows.message);
  }
  if (!args.values.has("label-delay-days")) {
    return fail("invalid_option", "--label-delay-days N is required");
  }
  const labelDelayDays = integerArg(args, "label-delay-days", 0, 0, limits.labelDelayDaysMax);
  const seed = integerArg(args, "seed", 1, 0, 2 ** 31 - 1);
  for (const value of [labelDelayDays, seed]) {
    if (typeof value === "string") {
      return fail("invalid_option", value);
    }
  }

  const rejected: Record<string, number> = {};
  let bar: ProgressBar | null = null;
  let stage: EvaluationProgress["stage"] | null = null;
  const startedAtMs = performance.now();
  const input = history.input;
  async function* validRows(): AsyncGenerator<ReplayRow> {
    for await (const item of readReplayInput({
      ...input,
      onProgress: (bytesRead, bytesTotal) => {
        bar ??= createProgressBar({
          label: "replay",
          total: bytesTotal,
          stream: output.stderr,
          unit: "bytes",
        });
        bar.update(bytesRead);
      },
    })) {
      if (isRowError(item)) {
        rejected[item.code] = (rejected[item.code] ?? 0) + 1;
      } else {
        yield item;
      }
    }
  }
  const onProgress = (progress: EvaluationProgress): void => {
    if (progress.stage !== stage) {
      (bar as ProgressBar | null)?.stop();
      stage = progress.stage;
      bar = createProgressBar({
        label: `train ${stage}`,
        total: progress.total,
        stream: output.stderr,
        unit: "steps",
      });
    }
    (bar as ProgressBar | null)?.update(progress.done);
  };
  let result: Awaited<ReturnType<typeof evaluateHistory>>;
  try {
    result = await evaluateHistory(
      validRows(),
      {
        ruleset: loadDefaultRuleset(),
        trainFromMs: windows.windows["train-from"],
        trainToMs: windows.windows["train-to"] + time.dayMs,
        testFromMs: windows.windows["test-from"],
        testToMs: windows.windows["test-to"] + time.dayMs,
        labelDelayMs: Number(labelDelayDays) * time.dayMs,
        seed: Number(seed),
      },
      onProgress,
    );
  } catch (error) {
    if (error instanceof ReplayInputError) {
      return fail(error.code, error.message);
    }
    if (isFileError(error)) {
      return fail("input_unreadable", `cannot read ${input.path}: ${error.code}`);
    }
    throw error;
  } finally {
    (bar as ProgressBar | null)?.stop();
  }
  if (!result.ok) {
    return fail(result.code, result.message);
  }
  const seconds = Number(((performance.now() - startedAtMs) / 1000).toFixed(1));
  const summary = summaryOf(result.report, windows.windows, rejected, seconds);
  output.stdout.write(
    args.switches.has("json") ? `${JSON.stringify(summary)}\n` : formatTable(result.report, summary),
  );
  return 0;
}

/** A missing, unreadable or wrong kind of file: the user's to fix, not a bug. */
function isFileError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return (
    error instanceof Error &&
    "code" in error &&
    typeof error.code === "string" &&
    ["ENOENT", "EACCES", "EISDIR", "ENOTDIR"].includes(error.code)
  );
}

function isRowError(item: ReplayRow | ReplayRowError): item is ReplayRowError {
  return "code" in item;
}

function summaryOf(
  report: EvaluationReport,
  windows: Windows,
  rejected: Record<string, number>,
  seconds: number,
) {
  const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
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
      from: date(windows["train-from"]),
      to: date(windows["train-to"]),
    },
    test: {
      from: date(windows["test-from"]),
      to: date(windows["test-to"]),
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
