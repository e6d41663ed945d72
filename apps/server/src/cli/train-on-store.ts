/**
 * `mimamori train --data DIR | --database-url URL`: trains on what the issuer recorded instead of
 * a history file. The decisions in the store carry the snapshots the engine computed online, and
 * the loop's labels (answers, analyst labels, chargebacks, imported files) carry the time each
 * became known, so no replay and no assumed label delay is needed.
 *
 * The embedded store is one process's database: train on it with the server stopped, or on a copy
 * of its data directory. On PostgreSQL, training reads while the servers run.
 */
import { limits, time } from "../config/limits.ts";
import { createLoopLabels } from "../labels/index.ts";
import type { Label } from "../model/index.ts";
import { trainModelOnRecords } from "../model/index.ts";
import { assert } from "../platform/assert.ts";
import type { DecisionRecord, Store } from "../storage/index.ts";
import { openStore } from "../storage/index.ts";
import { integerArg, type ParsedArgs } from "./args.ts";
import { type CommandOutput, createHistoryProgress, datesFromArgs, formatDate } from "./labelled-history.ts";
import { type TrainedModel, trainedModelOf } from "./train-command.ts";

export const storeTrainingFlags = ["data", "database-url", "genuine-after-days"] as const;

export type StoreTrainingResult = TrainedModel | { ok: false; code: string; message: string };

/** Trains on the store the flags name; `args` were parsed with `storeTrainingFlags` among the values. */
export async function trainOnStore(args: ParsedArgs, output: CommandOutput): Promise<StoreTrainingResult> {
  const dataDir = args.values.get("data");
  const databaseUrl = args.values.get("database-url");
  if ((dataDir === undefined) === (databaseUrl === undefined)) {
    return {
      ok: false,
      code: "invalid_option",
      message: "give the history as --input FILE, or the recorded store as --data DIR or --database-url URL",
    };
  }
  for (const flag of ["label-delay-days", ...historyOnlyFlags]) {
    if (args.values.has(flag)) {
      return {
        ok: false,
        code: "invalid_option",
        message: `--${flag} is for a history file; the store's labels carry the time each became known`,
      };
    }
  }
  const windows = datesFromArgs(args, ["train-from", "train-to"] as const);
  if (!windows.ok) {
    return { ok: false, code: "invalid_option", message: windows.message };
  }
  const genuineAfterDays = integerArg(
    args,
    "genuine-after-days",
    limits.genuineAfterDaysDefault,
    1,
    limits.labelDelayDaysMax,
  );
  const seed = integerArg(args, "seed", 1, 0, 2 ** 31 - 1);
  for (const value of [genuineAfterDays, seed]) {
    if (typeof value === "string") {
      return { ok: false, code: "invalid_option", message: value };
    }
  }
  // A store that cannot be opened throws StoreOpenError, which runCli prints with its code.
  const store: Store =
    databaseUrl === undefined
      ? await openStore({ kind: "pglite", dataDir: dataDir ?? null })
      : await openStore({ kind: "postgres", url: databaseUrl, poolSize: 2 });
  const progress = createHistoryProgress(output.stderr);
  try {
    const labels = await storeLabels(store);
    const fromMs = windows.dates["train-from"];
    // --train-to is the window's last day; training runs at the next midnight UTC.
    const toMs = windows.dates["train-to"] + time.dayMs;
    const total = await store.countDecisions();
    const result = await trainModelOnRecords(
      decisionsFrom(store, fromMs),
      labels,
      { fromMs, toMs, genuineAfterMs: (genuineAfterDays as number) * time.dayMs, seed: seed as number },
      {
        decisions: (read) => progress.stage("decisions", read, total, "decisions"),
        trees: ({ done, total: treesMax }) => progress.stage("train", done, treesMax, "trees"),
      },
    );
    if (!result.ok) {
      return result;
    }
    const window = {
      from: formatDate(fromMs),
      to: formatDate(windows.dates["train-to"]),
      labelDelayDays: null,
      genuineAfterDays: genuineAfterDays as number,
    };
    return trainedModelOf(result, window, seed as number, result.rows);
  } finally {
    progress.stop();
    await store.close();
  }
}

/** Flags that describe a history file's columns: meaningless with a store. */
const historyOnlyFlags = ["time-column", "card-column", "merchant-column", "amount-column", "label-column"];

/** Every label the loop recorded, as the serving ledger would learn them at start. */
async function storeLabels(store: Store): Promise<Label[]> {
  const labels: Label[] = [];
  const loop = createLoopLabels({
    ledger: {
      add(label) {
        labels.push(label);
        return { ok: true };
      },
    },
    store,
    onRefused: (code) => assert(false, `collecting labels never refuses one: ${code}`),
  });
  await loop.load();
  return labels;
}

/** The store's decisions from `fromMs` on, in time order, a page at a time. */
async function* decisionsFrom(store: Store, fromMs: number): AsyncGenerator<DecisionRecord> {
  let cursor: string | null = null;
  do {
    const page = await store.listDecisions(fromMs, cursor, limits.rebuildPageRows);
    yield* page.rows;
    cursor = page.nextCursor;
  } while (cursor !== null);
}
