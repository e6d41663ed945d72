/**
 * The replay that evaluation and training share: a labelled history goes through the engine in
 * time order, as production would have seen it (every authorization counted, approvals teach the
 * profile), each label becomes known `labelDelayMs` after its payment, and the labelled rows of
 * the asked windows are kept as the model's vectors, with the label features as they were at each
 * decision. Training and evaluation then differ only in which windows they ask for.
 */
import { time } from "../config/limits.ts";
import { toBaseMinor } from "../money/index.ts";
import { assert } from "../platform/assert.ts";
import type { CardholderId, CardId } from "../platform/ids.ts";
import type { ReplayRow } from "../replay/index.ts";
import {
  type Authorization,
  type CardContext,
  createFeatureState,
  createScoringEngine,
  type FeatureSnapshot,
  type LoadedRuleset,
} from "../scoring/index.ts";
import { createLabelFeatures, createLabelLedger, type LabelLedger } from "./label-ledger.ts";
import { modelFeatureCount, writeModelFeatures } from "./model-features.ts";
import { createRowTable, type RowTable } from "./row-table.ts";

/**
 * Which labelled rows go into one table: those in [fromMs, toMs) whose label is known by
 * `labelKnownByMs`, or every labelled row of the window when it is null (a test window, scored
 * against labels the model never saw).
 */
export type ReplayWindow = {
  readonly fromMs: number;
  readonly toMs: number;
  readonly labelKnownByMs: number | null;
};

export type HistoryReplayOptions<Name extends string> = {
  readonly ruleset: LoadedRuleset;
  /** How long after its payment a label becomes known. */
  readonly labelDelayMs: number;
  /** One table per window; windows do not overlap. Rows from the last window's end on are not read. */
  readonly windows: Readonly<Record<Name, ReplayWindow>>;
};

/** Rows read before the last window's end; rows out of order are skipped, unlabelled ones only counted. */
export type ReplayCounts = {
  readonly replayed: number;
  readonly outOfOrder: number;
  readonly unlabelled: number;
};

export type HistoryReplayResult<Name extends string> =
  | { ok: true; tables: Record<Name, RowTable>; counts: ReplayCounts }
  | { ok: false; code: "label_ledger_full"; message: string };

/** A kept row is the model's vector, then the ruleset's 0–100 score (an evaluation ranks it too). */
export const ruleScoreColumn = modelFeatureCount;
const rowWidth = modelFeatureCount + 1;

/**
 * Feeds every row (in time order; a row earlier than the one before is skipped) through the
 * engine and the label ledger, and keeps the vectors of labelled rows in the windows.
 * Deterministic for the same rows and options.
 */
export async function replayHistory<Name extends string>(
  rows: AsyncIterable<ReplayRow> | Iterable<ReplayRow>,
  options: HistoryReplayOptions<Name>,
): Promise<HistoryReplayResult<Name>> {
  const { labelDelayMs, ruleset } = options;
  const windows = Object.entries(options.windows) as [Name, ReplayWindow][];
  assertWindowsValid(windows, labelDelayMs);
  const untilMs = Math.max(...windows.map(([, window]) => window.toMs));
  const features = createFeatureState();
  const engine = createScoringEngine({ features, rulesets: { active: () => ruleset, shadow: () => null } });
  const ledger = createLabelLedger();
  const cards = new Map<string, CardContext>();
  const kept = windows.map(([name, window]) => ({ name, window, table: createRowTable(rowWidth) }));
  const counts = { replayed: 0, outOfOrder: 0, unlabelled: 0 };
  let lastMs = Number.NEGATIVE_INFINITY;
  for await (const row of rows) {
    const nowMs = row.occurredAtMs;
    if (nowMs < lastMs) {
      counts.outOfOrder += 1;
      continue;
    }
    if (nowMs >= untilMs) {
      break;
    }
    lastMs = nowMs;
    const card = cardContextOf(cards, row);
    const authorization = authorizationOf(row, card.cardId);
    // As production does: every authorization counts in the windows, and approvals teach the profile.
    const { decision, snapshot } = engine.score(authorization, card);
    if (decision.outcome === "approve") {
      features.learn(authorization, card);
    }
    counts.replayed += 1;
    if (row.label === null) {
      counts.unlabelled += 1;
      continue;
    }
    ledger.reveal(nowMs);
    const knownAtMs = nowMs + labelDelayMs;
    const table = kept.find(({ window }) => isKept(window, nowMs, knownAtMs))?.table;
    if (table !== undefined) {
      keepRow(table, { row, isFraud: row.label, authorization, snapshot, ruleScore: decision.score }, ledger);
    }
    const added = ledger.add({
      authorizationKey: row.id,
      cardId: card.cardId,
      merchantId: authorization.merchant.id,
      terminalId: authorization.merchant.terminalId,
      isFraud: row.label,
      occurredAtMs: nowMs,
      knownAtMs,
    });
    if (!added.ok) {
      return added;
    }
  }
  const tables = Object.fromEntries(kept.map(({ name, table }) => [name, table])) as Record<Name, RowTable>;
  return { ok: true, tables, counts };
}

function assertWindowsValid(windows: readonly [string, ReplayWindow][], labelDelayMs: number): void {
  assert(
    Number.isSafeInteger(labelDelayMs) && labelDelayMs >= 0,
    "a label is never known before its payment",
  );
  assert(windows.length > 0, "a replay keeps some window");
  for (const [name, { fromMs, toMs, labelKnownByMs }] of windows) {
    assert(Number.isSafeInteger(fromMs) && Number.isSafeInteger(toMs), `window ${name} is in whole ms`);
    assert(fromMs < toMs, `window ${name} is not empty; callers refuse empty windows as input`);
    assert(
      labelKnownByMs === null || Number.isSafeInteger(labelKnownByMs),
      `window ${name}'s cut-off is whole`,
    );
  }
  for (const [name, window] of windows) {
    const overlapping = windows.find(([other, { fromMs, toMs }]) => {
      return other !== name && fromMs < window.toMs && window.fromMs < toMs;
    });
    assert(overlapping === undefined, `window ${name} overlaps another: a row belongs to one table`);
  }
}

function isKept(window: ReplayWindow, occurredAtMs: number, knownAtMs: number): boolean {
  const isInWindow = occurredAtMs >= window.fromMs && occurredAtMs < window.toMs;
  return isInWindow && (window.labelKnownByMs === null || knownAtMs <= window.labelKnownByMs);
}

/** One scored, labelled row of a window. */
type ScoredRow = {
  readonly row: ReplayRow;
  readonly isFraud: boolean;
  readonly authorization: Authorization;
  readonly snapshot: FeatureSnapshot;
  readonly ruleScore: number;
};

/** Scratch for the label features of the row being kept; rows are kept one at a time. */
const labelFeatures = createLabelFeatures();

/**
 * Stores a row's vector, with the label features as they were at its decision, its rule score,
 * and what card precision needs: its local day and whether its card was known compromised when
 * that day began.
 */
function keepRow(table: RowTable, scored: ScoredRow, ledger: LabelLedger): void {
  const { row, authorization, snapshot } = scored;
  const { cardId, merchant, occurredAtMs } = authorization;
  ledger.featuresAt(occurredAtMs, cardId, merchant.id, merchant.terminalId, labelFeatures);
  const day = localDayOf(occurredAtMs, row.occurredAtOffsetMinutes);
  const compromiseKnownAtMs = ledger.compromiseKnownAtMs(cardId);
  const offset = table.append({
    isFraud: scored.isFraud,
    cardId,
    day: day.key,
    isKnownCompromised: compromiseKnownAtMs !== null && compromiseKnownAtMs <= day.startMs,
  });
  writeModelFeatures(snapshot, labelFeatures, table.values, offset);
  table.values[offset + ruleScoreColumn] = scored.ruleScore;
}

/** Cards are enrolled on first sight: the history is all the engine knows of them. */
function cardContextOf(cards: Map<string, CardContext>, row: ReplayRow): CardContext {
  let card = cards.get(row.cardRef);
  if (card === undefined) {
    card = {
      cardId: row.cardRef as CardId,
      cardholderId: row.cardRef as CardholderId,
      state: "active",
      homeCountry: row.homeCountry,
      timeZone: row.timeZone,
      createdAtMs: row.occurredAtMs,
      allowWindow: null,
    };
    cards.set(row.cardRef, card);
  }
  return card;
}

function authorizationOf(row: ReplayRow, cardId: CardId): Authorization {
  return {
    externalId: row.id,
    cardId,
    amountMinor: row.amountMinor,
    currency: row.currency,
    amountBaseMinor: toBaseMinor(row.amountMinor, row.currency),
    merchant: row.merchant,
    channel: row.channel,
    occurredAtMs: row.occurredAtMs,
    occurredAtOffsetMinutes: row.occurredAtOffsetMinutes,
    device: row.device,
  };
}

/** The calendar day of the payment where it happened (its own UTC offset), and when that day began. */
function localDayOf(occurredAtMs: number, offsetMinutes: number): { key: string; startMs: number } {
  const offsetMs = offsetMinutes * time.minuteMs;
  const localDayStartMs = Math.floor((occurredAtMs + offsetMs) / time.dayMs) * time.dayMs;
  return { key: new Date(localDayStartMs).toISOString().slice(0, 10), startMs: localDayStartMs - offsetMs };
}
