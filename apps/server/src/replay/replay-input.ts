import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { pipeline, Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import { limits } from "../config/limits.ts";
import { currencies } from "../money/index.ts";
import { readLines } from "./line-reader.ts";
import {
  type ColumnMapping,
  defaultColumnMapping,
  isCountryCode,
  isKnownChannel,
  isTimeZone,
  parseReplayRow,
  type ReplayDefaults,
  type ReplayRow,
  type ReplayRowError,
  type RowSettings,
  requiredFields,
} from "./replay-row.ts";

export type ReplayFormat = "csv" | "ndjson";

export type ReplayInputOptions = {
  path: string;
  /** Taken from the extension when absent: .csv, or .ndjson / .jsonl. */
  format?: ReplayFormat;
  /** Overrides of the default mapping (the synthetic issuer's field names), field by field. */
  columns?: Partial<ColumnMapping>;
  defaults: ReplayDefaults;
  /** The amount column holds major units ("12.34"); by default it holds integer minor units. */
  amountIsMajor?: boolean;
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
};

export type ReplayInputErrorCode = "missing_column" | "invalid_option";

/** The input as a whole cannot be replayed: thrown before any row is yielded. */
export class ReplayInputError extends Error {
  override name = "ReplayInputError";
  readonly code: ReplayInputErrorCode;
  /** The source column names at fault, for `missing_column`. */
  readonly columns: readonly string[];

  constructor(code: ReplayInputErrorCode, message: string, columns: readonly string[] = []) {
    super(message);
    this.code = code;
    this.columns = columns;
  }
}

/** One row is one authorization, so the HTTP edge's body bound is also the bound on a source line. */
const lineLengthMax = limits.requestBodyBytesMax;
/**
 * NDJSON has no header: the first lines stand in for one. If this many lines show no value for a
 * required column, the column is taken to be absent from the file. It also bounds the errors held
 * back meanwhile.
 */
const columnProbeLinesMax = 1_000;

function resolveSettings(options: ReplayInputOptions): RowSettings {
  const { defaults } = options;
  const invalid = (message: string): ReplayInputError => new ReplayInputError("invalid_option", message);
  if (!Object.hasOwn(currencies, defaults.currency)) {
    throw invalid(`default currency "${defaults.currency}" is not one the engine knows`);
  }
  if (!isCountryCode(defaults.homeCountry)) {
    throw invalid(`default home country "${defaults.homeCountry}" is not an ISO 3166 alpha-2 code`);
  }
  if (!isTimeZone(defaults.timeZone)) {
    throw invalid(`default time zone "${defaults.timeZone}" is not an IANA time zone`);
  }
  if (!isKnownChannel(defaults.channel)) {
    throw invalid(`default channel "${defaults.channel}" is not a channel the engine knows`);
  }
  const columns = { ...defaultColumnMapping, ...options.columns };
  for (const [field, name] of Object.entries(columns)) {
    if (typeof name !== "string" || name.trim() === "") {
      throw invalid(`the column name for ${field} is empty`);
    }
  }
  return { columns, defaults, amountIsMajor: options.amountIsMajor ?? false };
}

function resolveFormat(options: ReplayInputOptions): ReplayFormat {
  if (options.format !== undefined) {
    return options.format;
  }
  const extension = extname(options.path).toLowerCase();
  if (extension === ".csv") {
    return "csv";
  }
  if (extension === ".ndjson" || extension === ".jsonl") {
    return "ndjson";
  }
  throw new ReplayInputError(
    "invalid_option",
    `cannot tell the format of "${options.path}"; pass csv or ndjson`,
  );
}

function missingColumnsError(
  settings: RowSettings,
  isPresent: (column: string) => boolean,
  where: string,
): ReplayInputError | null {
  const missing = requiredFields.filter((field) => !isPresent(settings.columns[field]));
  const names = missing.map((field) => settings.columns[field]);
  const list = missing.map((field) => `"${settings.columns[field]}" (${field})`).join(", ");
  return missing.length === 0
    ? null
    : new ReplayInputError("missing_column", `${where} lacks ${list}`, names);
}

type CsvChunk = { record: Record<string, string>; info: { lines: number; invalid_field_length: number } };

async function* readCsv(input: Readable, settings: RowSettings): AsyncGenerator<ReplayRow | ReplayRowError> {
  // A holder rather than a variable: the parser's callback fills it, out of the compiler's sight.
  const header: { names: string[] | null } = { names: null };
  // Records that csv-parse skips arrive through a callback, ahead of the records around them; they
  // wait here and are released in line order. Two skips end the parse: a quote left open takes the
  // rest of the file into one record, and csv-parse reads nothing after a record over the size
  // bound. Both are reported, so a short replay is never silent.
  const skipped: ReplayRowError[] = [];
  const parser = parse({
    bom: true,
    columns: (names: string[]) => {
      const trimmed = names.map((name) => name.trim());
      header.names = trimmed;
      const present = new Set(trimmed);
      const error = missingColumnsError(settings, (column) => present.has(column), "the CSV header");
      if (error !== null) {
        throw error;
      }
      return trimmed;
    },
    info: true,
    relax_column_count: true,
    // A quote inside an unquoted field (5" screen) is common in exported names: keep it as text.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: lineLengthMax,
    on_skip: (error: CsvError | undefined) => {
      const line = typeof error?.lines === "number" ? error.lines : 0;
      const isLast = error?.code === "CSV_MAX_RECORD_SIZE";
      const message = `${error?.message ?? "unreadable CSV record"}${isLast ? "; the rest of the file is not read" : ""}`;
      skipped.push({ line, code: "invalid_row", message });
      return undefined;
    },
  });
  // pipeline() destroys the parser with the source's error (a read failure), so iteration throws it.
  pipeline(input, parser, () => undefined);
  let unevenRecords = 0;
  for await (const chunk of parser as AsyncIterable<CsvChunk>) {
    const { record, info } = chunk;
    while (skipped[0] !== undefined && skipped[0].line < info.lines) {
      yield skipped[0];
      skipped.shift();
    }
    if (info.invalid_field_length > unevenRecords) {
      unevenRecords = info.invalid_field_length;
      const count = header.names?.length ?? 0;
      yield {
        line: info.lines,
        code: "invalid_row",
        message: `the record does not have the header's ${count} fields`,
      };
      continue;
    }
    yield parseReplayRow(record, info.lines, settings);
  }
  yield* skipped;
  if (header.names === null) {
    throw new ReplayInputError("missing_column", "the CSV file is empty: it has no header", []);
  }
}

type JsonLine = { line: number; record: Record<string, unknown> | null; error: ReplayRowError | null };

function parseJsonLine(line: number, text: string, isTooLong: boolean): JsonLine {
  const invalid = (message: string): JsonLine => ({
    line,
    record: null,
    error: { line, code: "invalid_row", message },
  });
  if (isTooLong) {
    return invalid(`the line is over ${lineLengthMax} characters`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return invalid(`the line is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return invalid("the line is not a JSON object");
  }
  return { line, record: value as Record<string, unknown>, error: null };
}

/**
 * NDJSON rows. Until the rows have shown every required column, errors are held back: if a
 * required column never shows within `columnProbeLinesMax` lines, or by the end of the file, it is
 * absent from the file and replay stops with `ReplayInputError` before yielding anything. Lines that
 * are not JSON objects say nothing about columns: a file of nothing else yields only row errors.
 */
async function* readNdjson(
  input: Readable,
  settings: RowSettings,
): AsyncGenerator<ReplayRow | ReplayRowError> {
  const seen = new Set<string>();
  let held: ReplayRowError[] | null = [];
  let objects = 0;
  let lines = 0;
  const checkColumns = (): void => {
    const error = missingColumnsError(settings, (column) => seen.has(column), "every NDJSON row read");
    if (objects > 0 && error !== null) {
      throw error;
    }
  };
  for await (const { line, text, isTooLong } of readLines(input, lineLengthMax)) {
    if (text.trim() === "" && !isTooLong) {
      continue;
    }
    lines += 1;
    const parsed = parseJsonLine(line, text, isTooLong);
    const result = parsed.record === null ? parsed.error : parseReplayRow(parsed.record, line, settings);
    if (result === null) {
      continue;
    }
    if (held === null) {
      yield result;
      continue;
    }
    if (parsed.record !== null) {
      objects += 1;
      for (const field of requiredFields) {
        const value = parsed.record[settings.columns[field]];
        if (value !== undefined && value !== null && value !== "") {
          seen.add(settings.columns[field]);
        }
      }
    }
    if (seen.size === requiredFields.length || lines >= columnProbeLinesMax) {
      checkColumns();
      yield* held;
      held = null;
      yield result;
      continue;
    }
    // Before every required column has shown, no row can be valid: `result` is an error.
    held.push(result as ReplayRowError);
  }
  if (held !== null) {
    if (lines === 0) {
      throw new ReplayInputError("missing_column", "the NDJSON file is empty: it has no rows", []);
    }
    checkColumns();
    yield* held;
  }
}

async function* countBytes(
  source: AsyncIterable<Buffer>,
  onChunk: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onChunk(chunk.length);
    yield chunk;
  }
}

/**
 * Streams an authorization history from a CSV or NDJSON file as validated rows, with one error per
 * row that cannot be replayed; neither format is ever read whole. Problems with the input as a
 * whole (an unreadable default, a missing required column) throw `ReplayInputError` before the
 * first row. `onProgress` reports bytes read from the file, which runs a buffer ahead of the rows.
 */
export async function* readReplayInput(
  options: ReplayInputOptions,
): AsyncGenerator<ReplayRow | ReplayRowError> {
  const settings = resolveSettings(options);
  const format = resolveFormat(options);
  const bytesTotal = (await stat(options.path)).size;
  let bytesRead = 0;
  let bytesReported = -1;
  const source = createReadStream(options.path);
  const input = Readable.from(
    countBytes(source, (bytes) => {
      bytesRead += bytes;
    }),
  );
  try {
    const rows = format === "csv" ? readCsv(input, settings) : readNdjson(input, settings);
    for await (const row of rows) {
      if (bytesRead !== bytesReported) {
        bytesReported = bytesRead;
        options.onProgress?.(bytesRead, bytesTotal);
      }
      yield row;
    }
    options.onProgress?.(bytesRead, bytesTotal);
  } finally {
    input.destroy();
    source.destroy();
  }
}
