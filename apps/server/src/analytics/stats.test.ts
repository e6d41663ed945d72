import assert from "node:assert/strict";
import { test } from "node:test";
import type { Outcome } from "@mimamori/rules";
import type { Hold, HoldState } from "../holds/index.ts";
import { createManualClock } from "../platform/clock.ts";
import { createIdGenerator } from "../platform/ids.ts";
import { createSeededRandom } from "../platform/random.ts";
import type { Reason } from "../scoring/index.ts";
import { type DecisionRecord, type DocumentRecord, openStore, type Store } from "../storage/index.ts";
import { decisionStats } from "./index.ts";

const minuteMs = 60_000;

let decisionCount = 0;

/** A decision as the authorization service records it, reduced to what stats read. */
async function recordDecision(
  store: Store,
  occurredAt: string,
  outcome: Outcome,
  ruleIds: readonly string[] = [],
): Promise<void> {
  decisionCount += 1;
  const id = String(decisionCount).padStart(6, "0");
  const occurredAtMs = Date.parse(occurredAt);
  const reasons: Reason[] = ruleIds.map((ruleId) => ({ code: ruleId, message: ruleId, ruleId }));
  const decision: DecisionRecord = {
    authorizationId: `auth_${id}`,
    externalId: `ext_${id}`,
    requestHash: "0".repeat(64),
    cardId: "card_1",
    occurredAtMs,
    decidedAtMs: occurredAtMs,
    outcome,
    score: 0,
    rulesetId: "rs_1",
    rulesetVersion: 1,
    authorization: {},
    snapshot: [],
    response: { authorizationId: `auth_${id}`, outcome, reasons },
    shadow: null,
  };
  assert.deepEqual(await store.commit([[{ kind: "insertDecision", decision }]]), { ok: true });
}

/**
 * A hold stored as holdToDocument writes it, with an id minted by the real generator at the
 * opening time, so the stats' scan by id is tested against real ids.
 */
async function recordHold(
  store: Store,
  openedAt: string,
  state: HoldState,
  answeredAfterMs: number | null,
): Promise<void> {
  const openedAtMs = Date.parse(openedAt);
  const ids = createIdGenerator({
    clock: createManualClock(openedAtMs),
    random: createSeededRandom(openedAtMs),
  });
  const resolution: Hold["resolution"] =
    answeredAfterMs === null
      ? null
      : {
          state: state as Exclude<HoldState, "pending">,
          channel: "sms",
          actor: "cardholder",
          reason: null,
          atMs: openedAtMs + answeredAfterMs,
        };
  const body: Pick<
    Hold,
    "reference" | "expiresAtMs" | "authorizations" | "resolution" | "caseId" | "replacementCardId"
  > = {
    reference: "A7K",
    expiresAtMs: openedAtMs + 72 * 60 * minuteMs,
    authorizations: [],
    resolution,
    caseId: null,
    replacementCardId: null,
  };
  const document: DocumentRecord = {
    kind: "hold",
    id: ids.next("hold"),
    version: 1,
    cardId: "card_1",
    cardholderId: "ch_1",
    state,
    dueAtMs: state === "pending" ? body.expiresAtMs : null,
    lookupKey: null,
    createdAtMs: openedAtMs,
    updatedAtMs: resolution?.atMs ?? openedAtMs,
    body,
  };
  assert.deepEqual(await store.commit([[{ kind: "insertDocument", document }]]), { ok: true });
}

/** 2026-11-01 00:00 to 2026-11-04 00:00 in Tokyo: three local days. */
const tokyoWindow = {
  fromMs: Date.parse("2026-11-01T00:00:00+09:00"),
  toMs: Date.parse("2026-11-04T00:00:00+09:00"),
  timeZone: "Asia/Tokyo",
};

test("each decision counts once, on its calendar day in the zone asked for", async () => {
  const store = await openStore({ kind: "memory" });
  await recordDecision(store, "2026-10-31T14:59:59Z", "approve"); // 10-31 23:59 in Tokyo: before the window
  await recordDecision(store, "2026-10-31T15:00:00Z", "approve"); // 11-01 00:00 in Tokyo
  await recordDecision(store, "2026-11-01T14:59:00Z", "approve"); // 11-01 23:59 in Tokyo
  await recordDecision(store, "2026-11-01T23:30:00Z", "approve"); // 11-02 08:30 in Tokyo, 11-01 in UTC
  await recordDecision(store, "2026-11-03T14:59:59Z", "decline"); // 11-03 23:59 in Tokyo
  await recordDecision(store, "2026-11-03T15:00:00Z", "approve"); // 11-04 00:00 in Tokyo: past the window

  const tokyo = await decisionStats({ store }, tokyoWindow);
  const utc = await decisionStats({ store }, { ...tokyoWindow, timeZone: "UTC" });

  const perDay = (stats: typeof tokyo) =>
    stats.days.map((day) => [day.date, day.approve + day.step_up + day.hold + day.decline]);
  assert.deepEqual(perDay(tokyo), [
    ["2026-11-01", 2],
    ["2026-11-02", 1],
    ["2026-11-03", 1],
  ]);
  // The same instants in UTC: the window starts at 10-31 15:00, and 23:30 stays on 11-01.
  assert.deepEqual(perDay(utc), [
    ["2026-10-31", 1],
    ["2026-11-01", 2],
    ["2026-11-02", 0],
    ["2026-11-03", 1],
  ]);
});

test("the decision mix and hold rate are per day, and a day without decisions is listed with rate 0", async () => {
  const store = await openStore({ kind: "memory" });
  for (const outcome of ["approve", "approve", "approve", "hold"] as const) {
    await recordDecision(store, "2026-11-01T10:00:00+09:00", outcome);
  }
  for (const outcome of ["step_up", "decline", "hold", "hold"] as const) {
    await recordDecision(store, "2026-11-03T10:00:00+09:00", outcome);
  }

  const stats = await decisionStats({ store }, tokyoWindow);

  assert.deepEqual(stats.days, [
    { date: "2026-11-01", approve: 3, step_up: 0, hold: 1, decline: 0, holdRate: 0.25 },
    { date: "2026-11-02", approve: 0, step_up: 0, hold: 0, decline: 0, holdRate: 0 },
    { date: "2026-11-03", approve: 0, step_up: 1, hold: 2, decline: 1, holdRate: 0.5 },
  ]);
});

test("rule hits count each rule once per decision on its day, and the engine's own reasons are not rules", async () => {
  const store = await openStore({ kind: "memory" });
  await recordDecision(store, "2026-11-01T10:00:00+09:00", "hold", [
    "card_testing",
    "high_velocity",
    "engine",
  ]);
  await recordDecision(store, "2026-11-01T11:00:00+09:00", "step_up", ["card_testing"]);
  await recordDecision(store, "2026-11-03T11:00:00+09:00", "decline", ["engine"]);
  await recordDecision(store, "2026-11-03T12:00:00+09:00", "hold", ["high_velocity"]);

  const stats = await decisionStats({ store }, tokyoWindow);

  assert.deepEqual(stats.ruleHits, [
    {
      ruleId: "card_testing",
      total: 2,
      byDay: [
        { date: "2026-11-01", count: 2 },
        { date: "2026-11-02", count: 0 },
        { date: "2026-11-03", count: 0 },
      ],
    },
    {
      ruleId: "high_velocity",
      total: 2,
      byDay: [
        { date: "2026-11-01", count: 1 },
        { date: "2026-11-02", count: 0 },
        { date: "2026-11-03", count: 1 },
      ],
    },
  ]);
});

test("confirmation times are the nearest-rank median and p90 of holds the cardholder answered, on the day each opened", async () => {
  const store = await openStore({ kind: "memory" });
  // 11-01: ten answers after 1 to 10 minutes, "mine" and "not mine" alike. Nearest rank of ten:
  // the median is the 5th value and p90 the 9th. The last opens at 23:50 and is answered the next day.
  for (let minutes = 1; minutes <= 9; minutes++) {
    const state = minutes % 2 === 0 ? "denied" : "confirmed_mine";
    await recordHold(store, `2026-11-01T1${minutes}:00:00+09:00`, state, minutes * minuteMs);
  }
  await recordHold(store, "2026-11-01T23:50:00+09:00", "confirmed_mine", 10 * minuteMs);
  // Not answered by the cardholder, so not confirmation times.
  await recordHold(store, "2026-11-01T09:00:00+09:00", "expired", null);
  await recordHold(store, "2026-11-01T09:30:00+09:00", "released_by_analyst", 2 * minuteMs);
  await recordHold(store, "2026-11-01T09:45:00+09:00", "pending", null);
  // Opened before the window and answered inside it: not this window's hold.
  await recordHold(store, "2026-10-31T23:00:00+09:00", "confirmed_mine", 120 * minuteMs);
  // 11-02: one answer, which is both its median and its p90.
  await recordHold(store, "2026-11-02T12:00:00+09:00", "denied", 7 * minuteMs);
  // Opened after the window.
  await recordHold(store, "2026-11-04T00:00:00+09:00", "denied", minuteMs);

  const stats = await decisionStats({ store }, tokyoWindow);

  assert.deepEqual(stats.confirmationTimes, [
    { date: "2026-11-01", answered: 10, medianMs: 5 * minuteMs, p90Ms: 9 * minuteMs },
    { date: "2026-11-02", answered: 1, medianMs: 7 * minuteMs, p90Ms: 7 * minuteMs },
    { date: "2026-11-03", answered: 0, medianMs: null, p90Ms: null },
  ]);
});

test("an empty window has no days", async () => {
  const store = await openStore({ kind: "memory" });
  const atMs = tokyoWindow.fromMs;
  assert.deepEqual(await decisionStats({ store }, { fromMs: atMs, toMs: atMs, timeZone: "Asia/Tokyo" }), {
    days: [],
    confirmationTimes: [],
    ruleHits: [],
  });
});
