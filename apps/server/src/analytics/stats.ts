/**
 * Decision stats for the console, per local calendar day: the outcome mix and hold rate, which
 * rules fired, and how long cardholders took to answer holds. Read from what was recorded, never
 * re-evaluated, so the numbers are what happened under the rulesets active at the time.
 */
import type { StatsView } from "@mimamori/contracts";
import type { Outcome } from "@mimamori/rules";
import { isValidTimeZone } from "../cards/index.ts";
import { limits, time } from "../config/limits.ts";
import { type HoldState, holdFromDocument } from "../holds/index.ts";
import { assert } from "../platform/assert.ts";
import type { AuthorizationResponse } from "../scoring/index.ts";
import type { DecisionRecord, DocumentRecord, Page, Store } from "../storage/index.ts";
import { yieldToEventLoop } from "./event-loop.ts";

export type StatsInput = {
  /** The window is [fromMs, toMs): decisions by occurredAtMs, holds by when they were opened. */
  readonly fromMs: number;
  readonly toMs: number;
  /** The IANA zone whose calendar days the stats are counted in (the issuer's). */
  readonly timeZone: string;
};

/** The hold states only a cardholder's own answer reaches; an analyst's or the clock's are not answers. */
const answeredStates = ["confirmed_mine", "denied"] as const satisfies readonly HoldState[];

/** decide() gives engine-level reasons (card state, 3-D Secure, channel) this rule id; they are not rules. */
const engineRuleId = "engine";
/** Rule ids past limits.statsRuleIdsMax count under this; parentheses never appear in a rule id. */
const otherRuleId = "(other)";

type DayCounts = Record<Outcome, number>;

/**
 * Decisions beyond limits.statsDecisionsMax, and answered holds beyond limits.statsHoldsMax per
 * state, are not read: StatsView has no field to say so, so a window that large undercounts.
 */
export async function decisionStats(
  deps: { store: Pick<Store, "listDecisions" | "listDocumentsInState"> },
  input: StatsInput,
): Promise<StatsView> {
  const { fromMs, toMs, timeZone } = input;
  assert(Number.isSafeInteger(fromMs) && Number.isSafeInteger(toMs), "the window is whole milliseconds");
  assert(0 <= fromMs && fromMs <= toMs, "the window does not end before it starts");
  assert(toMs - fromMs <= limits.statsDaysMax * time.dayMs, "the window is at most limits.statsDaysMax days");
  assert(isValidTimeZone(timeZone), "the time zone is a known IANA name");

  const localDate = createLocalDate(timeZone);
  const days = fromMs === toMs ? [] : calendarDays(localDate(fromMs), localDate(toMs - 1));
  const dayIndex = new Map(days.map((date, index) => [date, index]));
  const indexOf = (atMs: number): number => {
    const index = dayIndex.get(localDate(atMs));
    assert(index !== undefined, "a time inside the window falls on one of its days");
    return index;
  };

  const mix: DayCounts[] = days.map(() => ({ approve: 0, step_up: 0, hold: 0, decline: 0 }));
  const ruleHits = new Map<string, number[]>();
  await forEachDecision(deps.store, fromMs, toMs, (record) => {
    const index = indexOf(record.occurredAtMs);
    const counts = mix[index];
    assert(counts !== undefined, "every day has its counts");
    counts[record.outcome] += 1;
    for (const ruleId of firedRuleIds(record.response)) {
      const key = ruleHits.has(ruleId) || ruleHits.size < limits.statsRuleIdsMax ? ruleId : otherRuleId;
      const byDay = ruleHits.get(key) ?? days.map(() => 0);
      byDay[index] = (byDay[index] ?? 0) + 1;
      ruleHits.set(key, byDay);
    }
  });

  const answerTimesMs: number[][] = days.map(() => []);
  for (const state of answeredStates) {
    await forEachHoldOpened(deps.store, state, fromMs, toMs, (document) => {
      answerTimesMs[indexOf(document.createdAtMs)]?.push(answerTimeMs(document));
    });
  }

  return {
    days: days.map((date, index) => {
      const counts = mix[index] ?? { approve: 0, step_up: 0, hold: 0, decline: 0 };
      const decisions = counts.approve + counts.step_up + counts.hold + counts.decline;
      return { date, ...counts, holdRate: decisions === 0 ? 0 : counts.hold / decisions };
    }),
    confirmationTimes: days.map((date, index) => {
      const timesMs = [...(answerTimesMs[index] ?? [])].sort((a, b) => a - b);
      return {
        date,
        answered: timesMs.length,
        medianMs: nearestRank(timesMs, 0.5),
        p90Ms: nearestRank(timesMs, 0.9),
      };
    }),
    ruleHits: [...ruleHits]
      .map(([ruleId, byDay]) => ({
        ruleId,
        total: byDay.reduce((sum, count) => sum + count, 0),
        byDay: days.map((date, index) => ({ date, count: byDay[index] ?? 0 })),
      }))
      .sort((a, b) => b.total - a.total || compareText(a.ruleId, b.ruleId)),
  };
}

/** Visits each decision with occurredAtMs in [fromMs, toMs) once, in time order, within the bound. */
async function forEachDecision(
  store: Pick<Store, "listDecisions">,
  fromMs: number,
  toMs: number,
  visit: (record: DecisionRecord) => void,
): Promise<void> {
  let read = 0;
  let cursor: string | null = null;
  do {
    const page: Page<DecisionRecord> = await store.listDecisions(fromMs, cursor, limits.analyticsPageRows);
    for (const record of page.rows) {
      if (record.occurredAtMs >= toMs || read === limits.statsDecisionsMax) {
        return;
      }
      read += 1;
      visit(record);
    }
    cursor = page.nextCursor;
    if (cursor !== null) {
      await yieldToEventLoop();
    }
  } while (cursor !== null);
}

/**
 * Visits each hold in `state` opened in [fromMs, toMs). The store pages documents by id, and a
 * hold's id starts with the time it was minted (platform/ids.ts: `hold_<ms in base 36, 9 digits>…`)
 * just after its opening time was read; a document cursor is the last id read (storage/cursors.ts).
 * So the scan starts at the window, not at the first hold ever answered, and stops past it.
 */
async function forEachHoldOpened(
  store: Pick<Store, "listDocumentsInState">,
  state: HoldState,
  fromMs: number,
  toMs: number,
  visit: (document: DocumentRecord) => void,
): Promise<void> {
  let read = 0;
  let cursor: string | null = holdIdAt(Math.max(0, fromMs - limits.holdIdLeadMsMax));
  do {
    const page: Page<DocumentRecord> = await store.listDocumentsInState(
      "hold",
      state,
      cursor,
      limits.analyticsPageRows,
    );
    for (const document of page.rows) {
      if (document.createdAtMs >= toMs + limits.holdIdLeadMsMax || read === limits.statsHoldsMax) {
        return;
      }
      read += 1;
      if (fromMs <= document.createdAtMs && document.createdAtMs < toMs) {
        visit(document);
      }
    }
    cursor = page.nextCursor;
    if (cursor !== null) {
      await yieldToEventLoop();
    }
  } while (cursor !== null);
}

/** The lowest id a hold minted at `atMs` or later can have. */
function holdIdAt(atMs: number): string {
  return `hold_${atMs.toString(36).padStart(9, "0")}`;
}

/** How long the cardholder took to answer, from the hold as the holds module reads it. */
function answerTimeMs(document: DocumentRecord): number {
  const { resolution, openedAtMs, state } = holdFromDocument(document);
  assert(resolution !== null && resolution.state === state, "an answered hold records the answer it is in");
  const answerTimeMs = resolution.atMs - openedAtMs;
  assert(Number.isSafeInteger(answerTimeMs) && answerTimeMs >= 0, "a hold is answered after it opens");
  return answerTimeMs;
}

/** The rules that fired, from the reasons the authorization service answered with and stored. */
function firedRuleIds(response: unknown): Set<string> {
  const reasons: unknown = (response as Partial<Pick<AuthorizationResponse, "reasons">> | null)?.reasons;
  assert(Array.isArray(reasons), "a recorded response lists its reasons");
  const ruleIds = new Set<string>();
  for (const reason of reasons as unknown[]) {
    const ruleId: unknown = (reason as { ruleId?: unknown } | null)?.ruleId;
    assert(typeof ruleId === "string" && ruleId.length > 0, "a recorded reason names its rule");
    if (ruleId !== engineRuleId) {
      ruleIds.add(ruleId);
    }
  }
  return ruleIds;
}

/** The nearest-rank percentile of ascending values: the smallest value with at least p of them at or below. */
export function nearestRank(ascending: readonly number[], p: number): number | null {
  assert(p > 0 && p <= 1, "a percentile is in (0, 1]");
  if (ascending.length === 0) {
    return null;
  }
  const value = ascending[Math.ceil(p * ascending.length) - 1];
  assert(value !== undefined, "the rank is inside the values");
  return value;
}

/**
 * Since 1980 every zone's UTC offset is a whole number of quarter hours (Pacific/Kiritimati's
 * -10:40 ended in 1979), so its days begin on a quarter hour of UTC.
 */
const quarterHourOffsetsSinceMs = Date.UTC(1980, 0, 1);

/**
 * `YYYY-MM-DD` of an instant in the zone. The reads come in time order, so the last quarter hour's
 * answer is reused: Intl is asked about once per quarter hour instead of once per decision.
 */
function createLocalDate(timeZone: string): (atMs: number) => string {
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const format = (atMs: number): string => {
    const parts = formatter.formatToParts(atMs);
    const part = (type: Intl.DateTimeFormatPartTypes): string =>
      parts.find((candidate) => candidate.type === type)?.value ?? "";
    const date = `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
    assert(/^\d{4}-\d{2}-\d{2}$/.test(date), "Intl gives a calendar date");
    return date;
  };
  const quarterHourMs = 15 * time.minuteMs;
  let cachedQuarter = Number.NaN;
  let cachedDate = "";
  return (atMs) => {
    if (atMs < quarterHourOffsetsSinceMs) {
      return format(atMs);
    }
    const quarter = Math.floor(atMs / quarterHourMs);
    if (quarter !== cachedQuarter) {
      cachedDate = format(atMs);
      cachedQuarter = quarter;
    }
    return cachedDate;
  };
}

/** Every date from first to last, both included: calendar steps, so a DST change skips no day. */
function calendarDays(first: string, last: string): string[] {
  const days = [first];
  for (let date = first; date < last; ) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    assert(match !== null, "a date is YYYY-MM-DD");
    date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1))
      .toISOString()
      .slice(0, 10);
    days.push(date);
    assert(days.length <= limits.statsDaysMax + 2, "a window of statsDaysMax days touches at most two more");
  }
  return days;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
