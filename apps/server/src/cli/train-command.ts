/**
 * `mimamori train`: trains the fraud model on one window of the issuer's history (a labelled file
 * replayed through the engine, or the decisions and labels recorded in the store) with the labels
 * known when the window closes, and writes it as a versioned artifact (trees, feature list,
 * training window, validation metrics) that the server loads from MIMAMORI_MODEL_FILE.
 */
import { renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { GbdtModel } from "@mimamori/ml";
import { time } from "../config/limits.ts";
import {
  createModelArtifact,
  type ModelArtifact,
  parseModelArtifact,
  type TrainingResult,
  trainModelOnHistory,
  type ValidationSummary,
} from "../model/index.ts";
import { assert } from "../platform/assert.ts";
import { parseArgs } from "./args.ts";
import { historyValueFlags } from "./history-flags.ts";
import {
  type CommandOutput,
  createHistoryProgress,
  formatDate,
  isFileError,
  type LabelledHistoryArgs,
  labelledHistoryArgs,
  loadDefaultRuleset,
  overHistory,
} from "./labelled-history.ts";
import { storeTrainingFlags, trainOnStore } from "./train-on-store.ts";

const windowFlags = ["train-from", "train-to"] as const;

/** A trained model with what the artifact and the summary say about it, from either source. */
export type TrainedModel = {
  readonly ok: true;
  readonly model: GbdtModel;
  readonly validation: ValidationSummary;
  readonly training: ModelArtifact["training"];
  readonly seed: number;
  readonly rows: Readonly<Record<string, unknown>>;
};

/** The trained model as the command reports it: the window's description and the result's counts. */
export function trainedModelOf(
  result: Extract<TrainingResult<unknown>, { ok: true }>,
  window: Omit<ModelArtifact["training"], "transactions" | "frauds">,
  seed: number,
  rows: Readonly<Record<string, unknown>>,
): TrainedModel {
  return {
    ok: true,
    model: result.model,
    validation: result.validation,
    training: { ...window, ...result.training },
    seed,
    rows,
  };
}

export async function runTrain(argv: readonly string[], output: CommandOutput = process): Promise<number> {
  const fail = (code: string, message: string): number => {
    output.stderr.write(`error ${code}: ${message}\n`);
    return 2;
  };
  const isFromStore = !argv.includes("--input");
  const parsed = isFromStore
    ? parseArgs(argv, {
        values: [
          ...historyValueFlags,
          ...windowFlags,
          ...storeTrainingFlags,
          "label-delay-days",
          "seed",
          "out",
        ],
        switches: ["json"],
      })
    : labelledHistoryArgs(argv, windowFlags, { values: ["out"], switches: ["json"] });
  if (!parsed.ok) {
    return fail("invalid_option", parsed.message);
  }
  const { args } = parsed;
  const out = args.values.get("out");
  if (out === undefined) {
    return fail("invalid_option", "--out FILE is required");
  }
  // Refused before the replay, which can take minutes, rather than after it.
  const outProblem = findOutputProblem(out);
  if (outProblem !== null) {
    return fail("output_unwritable", outProblem);
  }
  const startedAtMs = performance.now();
  const result = "input" in parsed ? await trainOnHistory(parsed, output) : await trainOnStore(args, output);
  if (!result.ok) {
    return fail(result.code, result.message);
  }
  const artifact = createModelArtifact({
    trainedAt: new Date().toISOString(),
    training: result.training,
    validation: { auc: result.validation.auc, averagePrecision: result.validation.averagePrecision },
    gbdt: result.model,
  });
  const written = writeArtifact(out, artifact);
  if (!written.ok) {
    return fail("output_unwritable", written.message);
  }
  const summary = {
    out,
    id: artifact.id,
    trees: artifact.gbdt.trees.length,
    training: artifact.training,
    validation: result.validation,
    seed: result.seed,
    rows: result.rows,
    seconds: Number(((performance.now() - startedAtMs) / 1000).toFixed(1)),
  };
  output.stdout.write(args.switches.has("json") ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  return 0;
}

/** Replays a labelled history file and trains on its window, labels known after the given delay. */
async function trainOnHistory(
  parsed: LabelledHistoryArgs<(typeof windowFlags)[number]>,
  output: CommandOutput,
): Promise<TrainedModel | { ok: false; code: string; message: string }> {
  const { labelDelayDays, seed } = parsed;
  const rejected: Record<string, number> = {};
  const progress = createHistoryProgress(output.stderr);
  const result = await overHistory(parsed.input, progress, rejected, (rows) =>
    trainModelOnHistory(
      rows,
      {
        ruleset: loadDefaultRuleset(),
        fromMs: parsed.dates["train-from"],
        // --train-to is the window's last day, so it closes at the next midnight UTC; training runs
        // then, and learns only from labels the issuer had by that time.
        toMs: parsed.dates["train-to"] + time.dayMs,
        labelDelayMs: labelDelayDays * time.dayMs,
        seed,
      },
      ({ done, total }) => progress.stage("train", done, total, "trees"),
    ),
  );
  if (!result.ok) {
    return result;
  }
  const window = {
    from: formatDate(parsed.dates["train-from"]),
    to: formatDate(parsed.dates["train-to"]),
    labelDelayDays,
  };
  return trainedModelOf(result, window, seed, { ...result.rows, rejected });
}

/** Why `out` cannot be written, as far as can be told before writing: a directory, or no folder for it. */
function findOutputProblem(out: string): string | null {
  const stats = statSync(out, { throwIfNoEntry: false });
  if (stats?.isDirectory() === true) {
    return `${out} is a directory; --out names the model file`;
  }
  const folder = statSync(dirname(out), { throwIfNoEntry: false });
  if (folder?.isDirectory() !== true) {
    return `${dirname(out)} is not a directory`;
  }
  return null;
}

/**
 * Writes the artifact beside `out` and renames it into place, so a server loading `out` reads the
 * old model or the new one, never half a file. The text is parsed back first as the server will
 * parse it: a model the server would refuse is a bug here, not a file to leave behind.
 */
function writeArtifact(out: string, artifact: ModelArtifact): { ok: true } | { ok: false; message: string } {
  const text = `${JSON.stringify(artifact)}\n`;
  const parsed = parseModelArtifact(JSON.parse(text));
  assert(parsed.ok, `the trained artifact does not load: ${parsed.ok ? "" : parsed.message}`);
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  try {
    writeFileSync(partial, text);
    renameSync(partial, out);
    return { ok: true };
  } catch (error) {
    rmSync(partial, { force: true });
    if (isFileError(error)) {
      return { ok: false, message: `cannot write ${out}: ${error.code}` };
    }
    throw error;
  }
}

type TrainSummary = {
  readonly out: string;
  readonly id: string;
  readonly trees: number;
  readonly training: ModelArtifact["training"];
  readonly validation: ValidationSummary;
  readonly seconds: number;
};

function formatSummary(summary: TrainSummary): string {
  const { id, trees, training, validation } = summary;
  const metric = (value: number | null): string => (value === null ? "–" : value.toFixed(3));
  const count = (value: number): string => value.toLocaleString("en-US");
  const delay =
    training.labelDelayDays === null
      ? `the store's labels; undisputed approvals genuine after ${training.genuineAfterDays} days`
      : `labels known ${training.labelDelayDays} days late`;
  const heldOut = `${count(validation.transactions)} of them, ${count(validation.frauds)} frauds`;
  return (
    `trained ${id} on ${training.from} … ${training.to} (${delay}): ` +
    `${count(training.transactions)} transactions, ${count(training.frauds)} frauds, ${trees} trees kept\n` +
    `validation on the latest ${heldOut}: ` +
    `AUC ${metric(validation.auc)}, average precision ${metric(validation.averagePrecision)}\n` +
    `wrote ${summary.out} (${summary.seconds} s)\n`
  );
}
