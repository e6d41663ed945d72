export { readLines } from "./line-reader.ts";
export type { ProgressBar, ProgressBarOptions } from "./progress.ts";
export { createProgressBar } from "./progress.ts";
export type { ReplayFormat, ReplayInputErrorCode, ReplayInputOptions } from "./replay-input.ts";
export { ReplayInputError, readReplayInput } from "./replay-input.ts";
export type {
  ColumnMapping,
  ReplayDefaults,
  ReplayRow,
  ReplayRowError,
  ReplayRowErrorCode,
} from "./replay-row.ts";
export { defaultColumnMapping, isReplayRowError, parseLabel, parseTime } from "./replay-row.ts";
