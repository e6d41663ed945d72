/**
 * `mimamori import-labels --input FILE (--data DIR | --database-url URL)`: records a file of labels
 * the issuer learned outside the loop (chargebacks, a fraud team's export) as the API's
 * POST /v1/labels would, each with the time it became known. The served model's label features
 * and `mimamori train` then see each label from that time on. Importing the same file twice
 * records nothing twice.
 *
 * Like `train`, the embedded store is opened by this process alone: import with the server stopped
 * (or through POST /v1/labels while it runs). On PostgreSQL, running servers pick the labels up.
 */
import { createReadStream, statSync } from "node:fs";
import { extname } from "node:path";
import { parse } from "csv-parse";
import { limits } from "../config/limits.ts";
import { type IssuerLabelInput, type IssuerLabelSource, issuerLabelSources } from "../labels/index.ts";
import { startPlatform } from "../main.ts";
import { createProgressBar, parseLabel, parseTime, readLines } from "../replay/index.ts";
import { parseArgs } from "./args.ts";
import { type CommandOutput, isFileError } from "./labelled-history.ts";

type LabelRow = Readonly<Record<string, unknown>>;

const defaultColumns = { id: "id", label: "label", knownAt: "knownAt", reference: "reference" };

export async function runImportLabels(
  argv: readonly string[],
  output: CommandOutput = process,
): Promise<number> {
  const fail = (code: string, message: string): number => {
    output.stderr.write(`error ${code}: ${message}\n`);
    return 2;
  };
  const parsed = parseArgs(argv, {
    values: [
      "input",
      "format",
      "data",
      "database-url",
      "source",
      "id-kind",
      "id-column",
      "label-column",
      "known-at-column",
      "reference-column",
    ],
    switches: ["json"],
  });
  if (!parsed.ok) {
    return fail("invalid_option", parsed.message);
  }
  const { values } = parsed.args;
  const input = values.get("input");
  if (input === undefined) {
    return fail("invalid_option", "--input FILE is required");
  }
  const dataDir = values.get("data");
  const databaseUrl = values.get("database-url");
  if ((dataDir === undefined) === (databaseUrl === undefined)) {
    return fail("invalid_option", "name the store: --data DIR (embedded) or --database-url URL");
  }
  const source = values.get("source") ?? "import";
  if (!(issuerLabelSources as readonly string[]).includes(source)) {
    return fail("invalid_option", `--source must be one of ${issuerLabelSources.join(", ")}`);
  }
  const idKind = values.get("id-kind") ?? "external";
  if (idKind !== "external" && idKind !== "authorization") {
    return fail("invalid_option", "--id-kind must be external (the issuer's ids) or authorization (auth_…)");
  }
  const format = values.get("format") ?? (extname(input) === ".csv" ? "csv" : "ndjson");
  if (format !== "csv" && format !== "ndjson") {
    return fail("invalid_option", "--format must be csv or ndjson");
  }
  const columns = {
    id: values.get("id-column") ?? defaultColumns.id,
    label: values.get("label-column") ?? defaultColumns.label,
    knownAt: values.get("known-at-column") ?? defaultColumns.knownAt,
    reference: values.get("reference-column") ?? defaultColumns.reference,
  };
  const size = statSync(input, { throwIfNoEntry: false });
  if (size === undefined || !size.isFile()) {
    return fail("input_unreadable", `cannot read ${input}: not a file`);
  }

  const platform = await startPlatform({
    dataDir: dataDir ?? null,
    databaseUrl: databaseUrl ?? null,
    runWorkers: false,
    seedDemo: false,
  });
  const counts: Record<string, number> = {};
  const count = (key: string): void => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  const bar = createProgressBar({ label: "labels", total: size.size, stream: output.stderr, unit: "bytes" });
  // A page at a time, as POST /v1/labels takes them: recordAll records a page's labels together,
  // so the group commit batches them, and a payment's labels in file order.
  let page: IssuerLabelInput[] = [];
  const recordPage = async (): Promise<void> => {
    for (const result of await platform.labels.recordAll(page, "cli")) {
      count(result.ok ? result.status : result.code);
    }
    page = [];
  };
  try {
    for await (const { row, bytesRead } of readRows(input, format)) {
      bar.update(bytesRead);
      const label = labelInputOf(row, columns, idKind, source as IssuerLabelSource);
      if (!label.ok) {
        count(label.code);
        continue;
      }
      page.push(label.input);
      if (page.length >= limits.labelsPerRequestMax) {
        await recordPage();
      }
    }
    await recordPage();
  } catch (error) {
    if (isFileError(error)) {
      return fail("input_unreadable", `cannot read ${input}: ${error.code}`);
    }
    if (error instanceof Error && "code" in error && String(error.code).startsWith("CSV_")) {
      return fail("invalid_input", `${input} is not readable CSV: ${error.message}`);
    }
    throw error;
  } finally {
    bar.stop();
    await platform.close();
  }
  const rejected = Object.entries(counts).filter(([key]) => key !== "recorded" && key !== "already_recorded");
  output.stdout.write(
    parsed.args.switches.has("json")
      ? `${JSON.stringify({ input, source, counts })}\n`
      : `${Object.entries(counts)
          .map(([key, n]) => `${key}: ${n.toLocaleString("en-US")}`)
          .join("\n")}\n`,
  );
  // Every label is answered: a file with rejected rows imported the rest, and says so in its exit code.
  return rejected.length === 0 ? 0 : 1;
}

type ParsedLabel =
  | { ok: true; input: IssuerLabelInput }
  | { ok: false; code: "missing_id" | "invalid_label" | "invalid_known_at" };

function labelInputOf(
  row: LabelRow,
  columns: typeof defaultColumns,
  idKind: "external" | "authorization",
  source: IssuerLabelSource,
): ParsedLabel {
  const id = row[columns.id];
  if (typeof id !== "string" && typeof id !== "number") {
    return { ok: false, code: "missing_id" };
  }
  const rawLabel = row[columns.label];
  const isFraud =
    typeof rawLabel === "string" || typeof rawLabel === "number" || typeof rawLabel === "boolean"
      ? parseLabel(rawLabel)
      : undefined;
  if (isFraud === undefined || isFraud === null) {
    return { ok: false, code: "invalid_label" };
  }
  const rawKnownAt = row[columns.knownAt];
  let knownAtMs: number | null = null;
  if (rawKnownAt !== undefined && rawKnownAt !== null && rawKnownAt !== "") {
    const time =
      typeof rawKnownAt === "string" || typeof rawKnownAt === "number" ? parseTime(rawKnownAt) : null;
    if (time === null) {
      return { ok: false, code: "invalid_known_at" };
    }
    knownAtMs = time.ms;
  }
  const reference = row[columns.reference];
  return {
    ok: true,
    input: {
      payment: idKind === "external" ? { externalId: String(id) } : { authorizationId: String(id) },
      isFraud,
      source,
      knownAtMs,
      reference: typeof reference === "string" && reference !== "" ? reference.slice(0, 64) : null,
    },
  };
}

/** The file's rows as objects with the bytes read so far; a line that is not a JSON object is an empty row. */
async function* readRows(
  path: string,
  format: "csv" | "ndjson",
): AsyncGenerator<{ row: LabelRow; bytesRead: number }> {
  const stream = createReadStream(path);
  if (format === "csv") {
    const parser = stream.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: true }));
    for await (const record of parser as AsyncIterable<LabelRow>) {
      yield { row: record, bytesRead: stream.bytesRead };
    }
    return;
  }
  for await (const line of readLines(stream, limits.requestBodyBytesMax)) {
    if (line.text.trim() === "") {
      continue;
    }
    yield { row: jsonObjectOr(line.text), bytesRead: stream.bytesRead };
  }
}

function jsonObjectOr(text: string): LabelRow {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as LabelRow) : {};
  } catch {
    return {};
  }
}
