/**
 * Training on what the issuer recorded: the decisions in the store, each with the feature snapshot
 * it was decided on, and the labels the loop learned (answers, analyst labels, chargebacks,
 * imported files), each with the time it became known. No replay is needed: the snapshot is what
 * the engine computed online at the time. Only the label features are computed here, from a
 * ledger that reveals each label at its own known time, exactly as serving read them.
 *
 * A payment is trained on when its label was known by the window's end, since that is when
 * training runs. Most payments are never labelled: an approved payment that nobody disputed within
 * `genuineAfterMs` counts as genuine from then on, which is how issuers close their dispute window.
 * That implied label is a training target only; the ledger, like serving, counts explicit labels.
 */

import { assert } from "../platform/assert.ts";
import type { Authorization } from "../scoring/index.ts";
import { decodeSnapshotOrNull } from "../scoring/index.ts";
import type { DecisionRecord } from "../storage/index.ts";
import { createLabelFeatures, createLabelLedger, type Label } from "./label-ledger.ts";
import { modelFeatureCount, writeModelFeatures } from "./model-features.ts";
import { type TrainingResult, type TreeProgress, trainOnTable } from "./model-training.ts";
import { createRowTable } from "./row-table.ts";

export type RecordedTrainingOptions = {
  /** The training window, [fromMs, toMs) of occurrence in epoch ms. Training runs at its end. */
  readonly fromMs: number;
  readonly toMs: number;
  /** An approved payment with no label this long after it counts as genuine. */
  readonly genuineAfterMs: number;
  readonly seed: number;
};

/** What happened to each decision of the window that was read. */
export type RecordedRowCounts = {
  readonly read: number;
  /** With an explicit label known by the window's end. */
  readonly labelled: number;
  /** Approved and undisputed for `genuineAfterMs` by the window's end. */
  readonly impliedGenuine: number;
  /** No label by the window's end: not trained on. */
  readonly unlabelled: number;
  /** A snapshot of a schema this server no longer decodes. */
  readonly undecodable: number;
};

export type RecordedTrainingResult = TrainingResult<RecordedRowCounts>;

/**
 * Trains on the window's decisions, given in (occurredAtMs, id) order as the store lists them,
 * with `labels` (every label the store holds; one per payment). `onProgress` hears the decisions
 * read, then the trees.
 */
export async function trainModelOnRecords(
  decisions: AsyncIterable<DecisionRecord>,
  labels: readonly Label[],
  options: RecordedTrainingOptions,
  onProgress?: { decisions?(read: number): void; trees?(progress: TreeProgress): void },
): Promise<RecordedTrainingResult> {
  const { fromMs, toMs, genuineAfterMs, seed } = options;
  for (const value of [fromMs, toMs, genuineAfterMs, seed]) {
    assert(
      Number.isSafeInteger(value),
      "window, quiet period and seed are parsed to whole numbers at the edge",
    );
  }
  if (fromMs >= toMs) {
    return {
      ok: false,
      code: "invalid_window",
      message: "the training window is empty: it must end after it starts",
    };
  }
  const ledger = createLabelLedger();
  const byPayment = new Map<string, Label>();
  for (const label of labels) {
    // The first label known for a payment wins, as in serving; a later one is no news.
    if (byPayment.has(label.authorizationKey)) {
      continue;
    }
    byPayment.set(label.authorizationKey, label);
    const added = ledger.add(label);
    if (!added.ok) {
      return added;
    }
  }
  const table = createRowTable(modelFeatureCount);
  const labelFeatures = createLabelFeatures();
  const counts = { read: 0, labelled: 0, impliedGenuine: 0, unlabelled: 0, undecodable: 0 };
  let lastMs = Number.NEGATIVE_INFINITY;
  for await (const decision of decisions) {
    const occurredAtMs = decision.occurredAtMs;
    assert(occurredAtMs >= lastMs, "the store lists decisions in time order");
    lastMs = occurredAtMs;
    if (occurredAtMs < fromMs) {
      continue;
    }
    if (occurredAtMs >= toMs) {
      break;
    }
    counts.read += 1;
    onProgress?.decisions?.(counts.read);
    const isFraud = labelAtWindowEnd(decision, byPayment.get(decision.authorizationId), options);
    if (isFraud === null) {
      counts.unlabelled += 1;
      continue;
    }
    const snapshot = decodeSnapshotOrNull(decision.snapshot);
    if (snapshot === null) {
      counts.undecodable += 1;
      continue;
    }
    if (byPayment.has(decision.authorizationId)) {
      counts.labelled += 1;
    } else {
      counts.impliedGenuine += 1;
    }
    const { merchant } = decision.authorization as Authorization;
    ledger.reveal(occurredAtMs);
    ledger.featuresAt(occurredAtMs, decision.cardId, merchant.id, merchant.terminalId, labelFeatures);
    const offset = table.append({
      isFraud,
      cardId: decision.cardId,
      day: new Date(occurredAtMs).toISOString().slice(0, 10),
      isKnownCompromised: false,
    });
    writeModelFeatures(snapshot, labelFeatures, table.values, offset);
  }
  return trainOnTable(table, seed, counts, onProgress?.trees);
}

/** The payment's label as the issuer knew it when the window closed, or null when it knew none. */
function labelAtWindowEnd(
  decision: DecisionRecord,
  label: Label | undefined,
  options: RecordedTrainingOptions,
): boolean | null {
  if (label !== undefined && label.knownAtMs <= options.toMs) {
    return label.isFraud;
  }
  const isQuiet = decision.occurredAtMs + options.genuineAfterMs <= options.toMs;
  return decision.outcome === "approve" && isQuiet ? false : null;
}
