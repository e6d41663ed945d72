import assert from "node:assert/strict";
import { test } from "node:test";
import type { Outcome } from "@mimamori/rules";
import { limits } from "../config/limits.ts";
import type { CardholderId, CardId } from "../platform/ids.ts";
import { compileRulesetText, defaultRulesetText } from "../rulesets/index.ts";
import {
  type Authorization,
  type AuthorizationResponse,
  type CardContext,
  type Channel,
  createFeatureState,
  createScoringEngine,
  encodeSnapshot,
  type LoadedRuleset,
  strictestOutcome,
} from "../scoring/index.ts";
import { type DecisionRecord, openStore, type Store } from "../storage/index.ts";
import { backtestRuleset } from "./index.ts";

const hourMs = 3_600_000;
const baseMs = Date.parse("2026-11-01T00:00:00Z");

/** Compiled the way the ruleset service loads a stored ruleset. */
function loadRuleset(text: string, id: string, version: number): LoadedRuleset {
  const compiled = compileRulesetText(text);
  assert.ok(compiled.ok, "the test ruleset compiles");
  return { id, version, compiled: compiled.value };
}

const recordedRuleset = loadRuleset(defaultRulesetText, "rs_default", 1);
const holdEcommerceRule = `
rule hold_all_ecommerce "Every online payment waits for the cardholder"
  when channel == "ecommerce"
  then hold reason hold_all_ecommerce
`;
const stricterRuleset = loadRuleset(`${defaultRulesetText}${holdEcommerceRule}`, "rs_stricter", 2);

type Payment = {
  readonly atMs: number;
  readonly channel: Channel;
  readonly cardState?: CardContext["state"];
  readonly country?: string;
  readonly mcc?: string;
  readonly amountMinor?: number;
};

function card(state: CardContext["state"]): CardContext {
  return {
    cardId: (state === "active" ? "card_active" : `card_${state}`) as CardId,
    cardholderId: "ch_hanako" as CardholderId,
    state,
    homeCountry: "JP",
    timeZone: "Asia/Tokyo",
    createdAtMs: baseMs - 400 * 24 * hourMs,
    allowWindow: null,
  };
}

/**
 * Scores the payments with the real engine and records each decision as the authorization
 * service does: the encoded snapshot, and the answer with its reasons.
 */
async function recordPayments(store: Store, payments: readonly Payment[]): Promise<DecisionRecord[]> {
  const features = createFeatureState();
  const engine = createScoringEngine({
    features,
    rulesets: { active: () => recordedRuleset, shadow: () => null },
  });
  const records: DecisionRecord[] = [];
  for (const [index, payment] of payments.entries()) {
    const context = card(payment.cardState ?? "active");
    const externalId = `ext_${String(index).padStart(4, "0")}`;
    const authorization: Authorization = {
      externalId,
      cardId: context.cardId,
      amountMinor: payment.amountMinor ?? 3_000,
      currency: "JPY",
      amountBaseMinor: payment.amountMinor ?? 3_000,
      merchant: {
        id: `mer_${payment.mcc ?? "5411"}_${payment.country ?? "JP"}`,
        name: "Test merchant",
        mcc: payment.mcc ?? "5411",
        country: payment.country ?? "JP",
        terminalId: null,
      },
      channel: payment.channel,
      occurredAtMs: payment.atMs,
      occurredAtOffsetMinutes: 540,
      device: { ip: null, fingerprint: null },
    };
    const { decision, snapshot, ruleset } = engine.score(authorization, context);
    const authorizationId = `auth_${String(index).padStart(4, "0")}`;
    const response: AuthorizationResponse = {
      authorizationId,
      externalId,
      cardId: context.cardId,
      outcome: decision.outcome,
      score: decision.score,
      reasons: decision.reasons,
      explanation: decision.explanation,
      rulesetVersion: ruleset.version,
      decidedAt: new Date(payment.atMs).toISOString(),
    };
    const record: DecisionRecord = {
      authorizationId,
      externalId,
      requestHash: "0".repeat(64),
      cardId: context.cardId,
      occurredAtMs: payment.atMs,
      decidedAtMs: payment.atMs,
      outcome: decision.outcome,
      score: decision.score,
      rulesetId: ruleset.id,
      rulesetVersion: ruleset.version,
      authorization,
      snapshot: encodeSnapshot(snapshot),
      response,
      shadow: null,
    };
    assert.deepEqual(await store.commit([[{ kind: "insertDecision", decision: record }]]), { ok: true });
    if (decision.outcome === "approve") {
      features.learn(authorization, context);
    }
    records.push(record);
  }
  return records;
}

/** Three days of a Tokyo cardholder: groceries, online shopping, a burst, a night abroad, a blocked card. */
function threeDays(): Payment[] {
  const payments: Payment[] = [];
  for (let day = 0; day < 3; day++) {
    const dayMs = baseMs + day * 24 * hourMs;
    payments.push({ atMs: dayMs + 3 * hourMs, channel: "pos" });
    payments.push({ atMs: dayMs + 4 * hourMs, channel: "ecommerce" });
    payments.push({ atMs: dayMs + 5 * hourMs, channel: "contactless" });
    payments.push({ atMs: dayMs + 9 * hourMs, channel: "ecommerce", mcc: "5732", amountMinor: 40_000 });
  }
  // A second console five minutes later: resellable goods in a burst, so the engine asks to step up.
  payments.push({
    atMs: baseMs + 9 * hourMs + 300_000,
    channel: "ecommerce",
    mcc: "5732",
    amountMinor: 40_000,
  });
  payments.sort((a, b) => a.atMs - b.atMs);
  // 03:00 in Tokyo, online, abroad: the default ruleset is suspicious of it.
  payments.push({ atMs: baseMs + 2 * 24 * hourMs + 18 * hourMs, channel: "ecommerce", country: "US" });
  payments.push({ atMs: baseMs + 2 * 24 * hourMs + 19 * hourMs, channel: "pos", cardState: "blocked" });
  payments.push({ atMs: baseMs + 2 * 24 * hourMs + 20 * hourMs, channel: "ecommerce", cardState: "blocked" });
  return payments;
}

const wholeWindow = { fromMs: baseMs, toMs: baseMs + 3 * 24 * hourMs };

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  }
  return counts;
}

function isEcommerce(record: DecisionRecord): boolean {
  return (record.authorization as Authorization).channel === "ecommerce";
}

test("a backtest with the ruleset that decided reproduces every recorded decision", async () => {
  const store = await openStore({ kind: "memory" });
  const records = await recordPayments(store, threeDays());

  const result = await backtestRuleset({ store }, { ruleset: recordedRuleset, ...wholeWindow });

  assert.equal(result.decisions, records.length);
  assert.equal(result.changed, 0);
  assert.equal(result.skipped, 0);
  assert.equal(result.isTruncated, false);
  assert.deepEqual(result.examples, []);
  const recordedCounts = countBy(records, (record) => record.outcome);
  for (const [recorded, row] of Object.entries(result.matrix)) {
    for (const [would, count] of Object.entries(row)) {
      assert.equal(count, recorded === would ? (recordedCounts[recorded] ?? 0) : 0, `${recorded} → ${would}`);
    }
  }
  // The rules fired on replay are the rules the recorded answers named.
  const recordedHits = countBy(
    records.flatMap((record) =>
      (record.response as AuthorizationResponse).reasons
        .map((reason) => reason.ruleId)
        .filter((ruleId) => ruleId !== "engine"),
    ),
    (ruleId) => ruleId,
  );
  for (const rule of recordedRuleset.compiled.rules) {
    assert.equal(result.ruleHits[rule.id], recordedHits[rule.id] ?? 0, rule.id);
  }
});

test("a ruleset that holds every online payment moves exactly the online approvals and step-ups, naming its rule", async () => {
  const store = await openStore({ kind: "memory" });
  const records = await recordPayments(store, threeDays());
  const online = records.filter(isEcommerce);
  const moved = online.filter((record) => record.outcome === "approve" || record.outcome === "step_up");
  // The scenario must exercise both sides: online payments that move and decisions that stay.
  assert.ok(moved.length >= 3 && moved.length < records.length, "some decisions move, some stay");
  assert.ok(
    moved.some((record) => record.outcome === "step_up"),
    "a step-up moves too",
  );
  assert.ok(
    records.some((record) => record.outcome === "decline" && isEcommerce(record)),
    "an online decline stays a decline: hold is not stricter",
  );

  const result = await backtestRuleset({ store }, { ruleset: stricterRuleset, ...wholeWindow });

  assert.equal(result.decisions, records.length);
  assert.equal(result.changed, moved.length);
  assert.deepEqual(
    result.examples.map((example) => [example.authorizationId, example.recorded, example.would]),
    moved.map((record) => [record.authorizationId, record.outcome, "hold"]),
  );
  for (const example of result.examples) {
    assert.ok(example.rulesFired.includes("hold_all_ecommerce"), example.authorizationId);
  }
  assert.equal(result.ruleHits.hold_all_ecommerce, online.length);
  const expectedMatrix = countBy(records, (record) => {
    const would = isEcommerce(record) ? strictestOutcome(record.outcome, "hold") : record.outcome;
    return `${record.outcome}→${would}`;
  });
  const matrixCells: Record<string, number> = {};
  for (const [recorded, row] of Object.entries(result.matrix)) {
    for (const [would, count] of Object.entries(row)) {
      if (count > 0) {
        matrixCells[`${recorded}→${would}`] = count;
      }
    }
  }
  assert.deepEqual(matrixCells, expectedMatrix);
});

test("a backtest replays only the decisions inside [fromMs, toMs)", async () => {
  const store = await openStore({ kind: "memory" });
  const payments = [0, 1, 2, 3, 4, 5].map((hour) => ({
    atMs: baseMs + hour * hourMs,
    channel: "ecommerce" as const,
  }));
  const records = await recordPayments(store, payments);
  const progress: number[] = [];

  const result = await backtestRuleset(
    { store },
    { ruleset: stricterRuleset, fromMs: baseMs + hourMs, toMs: baseMs + 4 * hourMs },
    (decisionsRead) => progress.push(decisionsRead),
  );

  assert.equal(result.decisions, 3);
  assert.equal(result.isTruncated, false);
  assert.equal(result.ruleHits.hold_all_ecommerce, 3);
  const inside = records.slice(1, 4);
  assert.deepEqual(
    result.examples.map((example) => [example.authorizationId, example.occurredAtMs]),
    inside
      .filter((record) => record.outcome !== "hold")
      .map((record) => [record.authorizationId, record.occurredAtMs]),
  );
  assert.equal(progress.at(-1), 3);
});

test("a backtest cut short by its bound says it was truncated, and a bound the window fits is not", async () => {
  const store = await openStore({ kind: "memory" });
  await recordPayments(
    store,
    [0, 1, 2].map((hour) => ({ atMs: baseMs + hour * hourMs, channel: "pos" as const })),
  );
  const window = { ruleset: recordedRuleset, fromMs: baseMs, toMs: baseMs + 3 * hourMs };

  const cut = await backtestRuleset({ store }, { ...window, decisionsMax: 2 });
  const whole = await backtestRuleset({ store }, { ...window, decisionsMax: 3 });

  assert.deepEqual([cut.decisions, cut.isTruncated], [2, true]);
  assert.deepEqual([whole.decisions, whole.isTruncated], [3, false]);
});

test("examples stop at limits.backtestExamplesMax while every changed decision is still counted", async () => {
  const store = await openStore({ kind: "memory" });
  const count = limits.backtestExamplesMax + 5;
  const records = await recordPayments(
    store,
    Array.from({ length: count }, (_, index) => ({
      atMs: baseMs + index * 24 * hourMs,
      channel: "ecommerce" as const,
    })),
  );
  const moved = records.filter((record) => record.outcome === "approve" || record.outcome === "step_up");
  assert.ok(moved.length > limits.backtestExamplesMax, "more decisions move than are listed");

  const result = await backtestRuleset(
    { store },
    { ruleset: stricterRuleset, fromMs: baseMs, toMs: baseMs + count * 24 * hourMs },
  );

  assert.equal(result.changed, moved.length);
  assert.deepEqual(
    result.examples.map((example) => example.authorizationId),
    moved.slice(0, limits.backtestExamplesMax).map((record) => record.authorizationId),
  );
});

test("a decision whose snapshot schema version no longer decodes is skipped, not a crash", async () => {
  const store = await openStore({ kind: "memory" });
  const [template] = await recordPayments(store, [{ atMs: baseMs, channel: "pos" }]);
  assert.ok(template !== undefined);
  const current = template.snapshot as readonly unknown[];
  const retired: DecisionRecord = {
    ...template,
    authorizationId: "auth_retired",
    externalId: "ext_retired",
    occurredAtMs: baseMs + hourMs,
    snapshot: [99, ...current.slice(1)],
  };
  // Version 3 lacked only the last feature; it still decodes, so it is replayed.
  const older: DecisionRecord = {
    ...template,
    authorizationId: "auth_older",
    externalId: "ext_older",
    occurredAtMs: baseMs + 2 * hourMs,
    snapshot: [3, ...current.slice(1, -1)],
  };
  for (const decision of [retired, older]) {
    assert.deepEqual(await store.commit([[{ kind: "insertDecision", decision }]]), { ok: true });
  }

  const result = await backtestRuleset(
    { store },
    { ruleset: recordedRuleset, fromMs: baseMs, toMs: baseMs + 3 * hourMs },
  );

  assert.deepEqual(
    { decisions: result.decisions, skipped: result.skipped, changed: result.changed },
    { decisions: 2, skipped: 1, changed: 0 },
  );
});

test("the matrix lists every pair of outcomes, zeros included", async () => {
  const store = await openStore({ kind: "memory" });
  const result = await backtestRuleset({ store }, { ruleset: recordedRuleset, fromMs: baseMs, toMs: baseMs });
  const outcomes: Outcome[] = ["approve", "step_up", "hold", "decline"];
  assert.deepEqual(Object.keys(result.matrix), outcomes);
  for (const row of Object.values(result.matrix)) {
    assert.deepEqual(row, { approve: 0, step_up: 0, hold: 0, decline: 0 });
  }
  assert.deepEqual(
    Object.keys(result.ruleHits),
    recordedRuleset.compiled.rules.map((rule) => rule.id),
  );
});
