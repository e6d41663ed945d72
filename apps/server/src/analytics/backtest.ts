/**
 * Backtest: what a ruleset would have decided for the decisions already recorded. Each decision
 * is replayed from its stored feature snapshot through the same pure decide() that scored it, so
 * the same ruleset reproduces every recorded outcome and a different one shows exactly what it
 * would change. Nothing is written.
 */
import type { Outcome } from "@mimamori/rules";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import { decide, decodeSnapshotOrNull, type LoadedRuleset } from "../scoring/index.ts";
import type { DecisionRecord, Page, Store } from "../storage/index.ts";
import { yieldToEventLoop } from "./event-loop.ts";

export type BacktestInput = {
  readonly ruleset: LoadedRuleset;
  /** The window is [fromMs, toMs) of the decisions' occurredAtMs. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Replay at most this many decisions (a quick preview); at most limits.backtestDecisionsMax. */
  readonly decisionsMax?: number;
};

export type BacktestExample = {
  readonly authorizationId: string;
  readonly occurredAtMs: number;
  readonly recorded: Outcome;
  readonly would: Outcome;
  /** The rules the tested ruleset fires on this decision, in the ruleset's order. */
  readonly rulesFired: string[];
};

export type BacktestResult = {
  /** Decisions replayed: the sum of the matrix. */
  decisions: number;
  /** Replayed decisions whose outcome would change. */
  changed: number;
  /** Decisions in the window whose snapshot no longer decodes (a retired schema version). */
  skipped: number;
  /** True when the window held more decisions than the bound; the counts cover the earliest ones. */
  isTruncated: boolean;
  /** Recorded outcome → outcome under the tested ruleset → count; every cell present, zeros included. */
  matrix: Record<Outcome, Record<Outcome, number>>;
  /** Rule id → decisions it fires on under the tested ruleset; every rule present, zeros included. */
  ruleHits: Record<string, number>;
  /** The first changed decisions in time order, at most limits.backtestExamplesMax. */
  examples: BacktestExample[];
};

export async function backtestRuleset(
  deps: { store: Pick<Store, "listDecisions"> },
  input: BacktestInput,
  onProgress?: (decisionsRead: number) => void,
): Promise<BacktestResult> {
  const { ruleset, fromMs, toMs } = input;
  const decisionsMax = input.decisionsMax ?? limits.backtestDecisionsMax;
  assert(Number.isSafeInteger(fromMs) && Number.isSafeInteger(toMs), "the window is whole milliseconds");
  assert(fromMs <= toMs, "the window does not end before it starts");
  assert(
    Number.isSafeInteger(decisionsMax) && decisionsMax >= 1 && decisionsMax <= limits.backtestDecisionsMax,
    "a backtest replays between 1 and limits.backtestDecisionsMax decisions",
  );

  const result: BacktestResult = {
    decisions: 0,
    changed: 0,
    skipped: 0,
    isTruncated: false,
    matrix: emptyMatrix(),
    ruleHits: Object.fromEntries(ruleset.compiled.rules.map((rule) => [rule.id, 0])),
    examples: [],
  };
  let read = 0;
  let cursor: string | null = null;
  let isWindowDone = false;
  // Skipped decisions count against the bound too: it bounds the reads, not only the replays.
  while (!isWindowDone) {
    const page: Page<DecisionRecord> = await deps.store.listDecisions(
      fromMs,
      cursor,
      limits.analyticsPageRows,
    );
    for (const record of page.rows) {
      if (record.occurredAtMs >= toMs) {
        isWindowDone = true;
        break;
      }
      if (read === decisionsMax) {
        result.isTruncated = true;
        isWindowDone = true;
        break;
      }
      read += 1;
      replay(record, ruleset, result);
    }
    onProgress?.(read);
    cursor = page.nextCursor;
    if (cursor === null) {
      isWindowDone = true;
    } else if (!isWindowDone) {
      await yieldToEventLoop();
    }
  }

  assert(result.decisions + result.skipped === read, "every decision read is replayed or skipped");
  assert(result.examples.length <= limits.backtestExamplesMax, "examples stay within their bound");
  return result;
}

function replay(record: DecisionRecord, ruleset: LoadedRuleset, result: BacktestResult): void {
  const snapshot = decodeSnapshotOrNull(record.snapshot);
  if (snapshot === null) {
    result.skipped += 1;
    return;
  }
  const decision = decide(snapshot, ruleset);
  const recorded = record.outcome;
  const would = decision.outcome;
  result.decisions += 1;
  result.matrix[recorded][would] += 1;
  const rulesFired = decision.explanation.rules.map((rule) => rule.ruleId);
  for (const ruleId of rulesFired) {
    result.ruleHits[ruleId] = (result.ruleHits[ruleId] ?? 0) + 1;
  }
  if (recorded !== would) {
    result.changed += 1;
    if (result.examples.length < limits.backtestExamplesMax) {
      result.examples.push({
        authorizationId: record.authorizationId,
        occurredAtMs: record.occurredAtMs,
        recorded,
        would,
        rulesFired,
      });
    }
  }
}

function emptyMatrix(): Record<Outcome, Record<Outcome, number>> {
  const row = (): Record<Outcome, number> => ({ approve: 0, step_up: 0, hold: 0, decline: 0 });
  return { approve: row(), step_up: row(), hold: row(), decline: row() };
}
