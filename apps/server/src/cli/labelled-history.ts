/**
 * What `evaluate` and `train` share around a replay of a labelled history: date and delay flags,
 * the default ruleset the replay decides with, reading the rows with a progress bar, a bar per
 * training stage after it, and the coded errors of an unreadable input.
 */
import { limits } from "../config/limits.ts";
import {
  createProgressBar,
  isReplayRowError,
  type ProgressBar,
  ReplayInputError,
  type ReplayInputOptions,
  type ReplayRow,
  readReplayInput,
} from "../replay/index.ts";
import { compileRulesetText, defaultRulesetName, defaultRulesetText } from "../rulesets/index.ts";
import type { LoadedRuleset } from "../scoring/index.ts";
import { integerArg, type ParsedArgs, parseArgs } from "./args.ts";
import { historyInputFromArgs, historySwitches, historyValueFlags } from "./history-flags.ts";

/** Where a command writes: the process's own streams, or a test's. */
export type CommandOutput = {
  readonly stdout: { write(text: string): unknown };
  /** A stream, since the progress bar redraws on a terminal and prints lines elsewhere. */
  readonly stderr: NodeJS.WriteStream;
};

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

/** The midnight UTC of each required YYYY-MM-DD flag, or why one is missing or malformed. */
export function datesFromArgs<Flag extends string>(
  args: ParsedArgs,
  flags: readonly Flag[],
): { ok: true; dates: Record<Flag, number> } | { ok: false; message: string } {
  const dates: Partial<Record<Flag, number>> = {};
  for (const flag of flags) {
    const text = args.values.get(flag);
    if (text === undefined) {
      return { ok: false, message: `--${flag} YYYY-MM-DD is required` };
    }
    const ms = parseDate(text);
    if (ms === null) {
      return { ok: false, message: `--${flag} must be a date written YYYY-MM-DD, found "${text}"` };
    }
    dates[flag] = ms;
  }
  return { ok: true, dates: dates as Record<Flag, number> };
}

/** A date flag's value as printed back: the UTC calendar day. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The required --label-delay-days and the optional --seed (default 1). */
function delayAndSeedFromArgs(
  args: ParsedArgs,
): { ok: true; labelDelayDays: number; seed: number } | { ok: false; message: string } {
  if (!args.values.has("label-delay-days")) {
    return { ok: false, message: "--label-delay-days N is required" };
  }
  const labelDelayDays = integerArg(args, "label-delay-days", 0, 0, limits.labelDelayDaysMax);
  if (typeof labelDelayDays === "string") {
    return { ok: false, message: labelDelayDays };
  }
  const seed = integerArg(args, "seed", 1, 0, 2 ** 31 - 1);
  if (typeof seed === "string") {
    return { ok: false, message: seed };
  }
  return { ok: true, labelDelayDays, seed };
}

/** What `evaluate` and `train` both read from their flags. */
export type LabelledHistoryArgs<Flag extends string> = {
  readonly args: ParsedArgs;
  readonly input: Omit<ReplayInputOptions, "onProgress">;
  readonly dates: Record<Flag, number>;
  readonly labelDelayDays: number;
  readonly seed: number;
};

/**
 * Parses a labelled-history command's flags: the input and its columns, the window dates, the
 * label delay and the seed, plus the command's own `values` and `switches`. Any problem is an
 * `invalid_option` with its message.
 */
export function labelledHistoryArgs<Flag extends string>(
  argv: readonly string[],
  windowFlags: readonly Flag[],
  own: { readonly values: readonly string[]; readonly switches: readonly string[] },
): ({ ok: true } & LabelledHistoryArgs<Flag>) | { ok: false; message: string } {
  const parsed = parseArgs(argv, {
    values: [...historyValueFlags, ...windowFlags, "label-delay-days", "seed", ...own.values],
    switches: [...historySwitches, ...own.switches],
  });
  if (!parsed.ok) {
    return parsed;
  }
  const { args } = parsed;
  const history = historyInputFromArgs(args);
  if (!history.ok) {
    return history;
  }
  const windows = datesFromArgs(args, windowFlags);
  if (!windows.ok) {
    return windows;
  }
  const delayAndSeed = delayAndSeedFromArgs(args);
  if (!delayAndSeed.ok) {
    return delayAndSeed;
  }
  const { labelDelayDays, seed } = delayAndSeed;
  return { ok: true, args, input: history.input, dates: windows.dates, labelDelayDays, seed };
}

export function loadDefaultRuleset(): LoadedRuleset {
  const compiled = compileRulesetText(defaultRulesetText);
  if (!compiled.ok) {
    throw new Error("the default ruleset does not compile");
  }
  return { id: defaultRulesetName, version: 1, compiled: compiled.value };
}

/**
 * One progress bar at a time on `stream`: the replay's bytes, then each training stage. A new
 * label ends the bar before it, so a terminal shows finished bars above the running one.
 */
export type HistoryProgress = {
  replay(bytesRead: number, bytesTotal: number): void;
  stage(label: string, done: number, total: number, unit: string): void;
  stop(): void;
};

export function createHistoryProgress(stream: NodeJS.WriteStream): HistoryProgress {
  let bar: ProgressBar | null = null;
  let shownLabel: string | null = null;
  const show = (label: string, done: number, total: number, unit: string): void => {
    if (label !== shownLabel || bar === null) {
      bar?.stop();
      shownLabel = label;
      bar = createProgressBar({ label, total, stream, unit });
    }
    bar.update(done);
  };
  return {
    replay: (bytesRead, bytesTotal) => show("replay", bytesRead, bytesTotal, "bytes"),
    stage: show,
    stop() {
      bar?.stop();
      bar = null;
      shownLabel = null;
    },
  };
}

/**
 * The history's valid rows, with its read progress shown; each rejected row is counted by its
 * code in `rejected` instead, since a few bad lines in a long export should not stop a replay.
 */
async function* readValidRows(
  input: Omit<ReplayInputOptions, "onProgress">,
  progress: HistoryProgress,
  rejected: Record<string, number>,
): AsyncGenerator<ReplayRow> {
  for await (const item of readReplayInput({ ...input, onProgress: progress.replay })) {
    if (isReplayRowError(item)) {
      rejected[item.code] = (rejected[item.code] ?? 0) + 1;
    } else {
      yield item;
    }
  }
}

/**
 * Runs `work` over the history's valid rows, showing the read's progress, and answers an input
 * the user has to fix with its coded refusal; anything else is a bug and is rethrown. The bar
 * stops either way.
 */
export async function overHistory<Result extends { readonly ok: boolean }>(
  input: Omit<ReplayInputOptions, "onProgress">,
  progress: HistoryProgress,
  rejected: Record<string, number>,
  work: (rows: AsyncIterable<ReplayRow>) => Promise<Result>,
): Promise<Result | { readonly ok: false; readonly code: string; readonly message: string }> {
  try {
    return await work(readValidRows(input, progress, rejected));
  } catch (error) {
    const inputError = inputErrorOf(error, input.path);
    if (inputError === null) {
      throw error;
    }
    return { ok: false, ...inputError };
  } finally {
    progress.stop();
  }
}

/**
 * The coded error of an input the user has to fix (a missing column, a missing or unreadable
 * file), or null for anything else, which is a bug and is rethrown.
 */
function inputErrorOf(error: unknown, path: string): { code: string; message: string } | null {
  if (error instanceof ReplayInputError) {
    return { code: error.code, message: error.message };
  }
  if (isFileError(error)) {
    return { code: "input_unreadable", message: `cannot read ${path}: ${error.code}` };
  }
  return null;
}

/** A missing, unreadable or wrong kind of file: the user's to fix, not a bug. */
export function isFileError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return (
    error instanceof Error &&
    "code" in error &&
    typeof error.code === "string" &&
    ["ENOENT", "EACCES", "EISDIR", "ENOTDIR", "EROFS", "ENOSPC"].includes(error.code)
  );
}
