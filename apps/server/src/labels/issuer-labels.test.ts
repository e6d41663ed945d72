import assert from "node:assert/strict";
import { test } from "node:test";
import { createLabelLedger } from "../model/index.ts";
import { decisionFixture } from "../storage/contract/fixtures.ts";
import type { DecisionRecord, GroupCommitter, Store } from "../storage/index.ts";
import { openStore } from "../storage/index.ts";
import { createIssuerLabels, type IssuerLabelInput } from "./issuer-labels.ts";
import { createLoopLabels } from "./loop-labels.ts";

const baseMs = 1_780_000_000_000;
const dayMs = 86_400_000;

/** A recorded payment at merchant mer_1, terminal t1: what a label names. */
const decision = (n: number, occurredAtMs: number): DecisionRecord =>
  decisionFixture(n, {
    authorizationId: `auth_${n}`,
    externalId: `ext_${n}`,
    cardId: `card_${n}`,
    occurredAtMs,
    authorization: { merchant: { id: "mer_1", terminalId: "t1" } },
  });

/** The store's commit behind the committer's port: these tests need the documents, not the audit chain. */
function committerOver(store: Store): Pick<GroupCommitter, "submit"> {
  return {
    async submit(unit) {
      const result = await store.commit([unit.ops]);
      return result.ok
        ? { ok: true, auditSeqs: [] }
        : { ok: false, code: result.code, opIndex: result.opIndex };
    },
  };
}

async function setUp(nowMs: number) {
  const store = await openStore({ kind: "memory" });
  await store.commit([[{ kind: "insertDecision", decision: decision(1, baseMs) }]]);
  const ledger = createLabelLedger();
  const loop = createLoopLabels({ ledger, store, onRefused: (code) => assert.fail(code) });
  const recorded: string[] = [];
  const learned: Promise<void>[] = [];
  const labels = createIssuerLabels({
    store,
    committer: committerOver(store),
    clock: { nowMs: () => nowMs },
    onRecorded: (document) => {
      recorded.push(document.id);
      learned.push(loop.fromPaymentLabel(document));
    },
  });
  const merchantFraudAt = (atMs: number) => {
    ledger.reveal(atMs);
    return ledger.featuresAt(atMs, "card_9", "mer_1", "t1")["merchant.knownFraudCount30d"];
  };
  return { store, labels, recorded, learned, merchantFraudAt };
}

const chargeback = (overrides: Partial<IssuerLabelInput> = {}): IssuerLabelInput => ({
  payment: { externalId: "ext_1" },
  isFraud: true,
  source: "chargeback",
  knownAtMs: baseMs + 20 * dayMs,
  reference: "CB-1",
  ...overrides,
});

test("a chargeback is a fraud label the served ledger counts only from the day it became known", async () => {
  const { labels, recorded, learned, merchantFraudAt } = await setUp(baseMs + 30 * dayMs);
  const result = await labels.record(chargeback(), "api_key");
  assert.ok(result.ok && result.status === "recorded", JSON.stringify(result));
  assert.deepEqual(recorded, [result.labelId]);
  await Promise.all(learned);
  assert.equal(merchantFraudAt(baseMs + 19 * dayMs), 0, "not known before its knownAt");
  assert.equal(merchantFraudAt(baseMs + 20 * dayMs), 1);
});

test("a label recorded before a start is in the ledger the start loads", async () => {
  const { store, labels } = await setUp(baseMs + 30 * dayMs);
  assert.ok((await labels.record(chargeback(), "api_key")).ok);
  const ledger = createLabelLedger();
  await createLoopLabels({ ledger, store, onRefused: (code) => assert.fail(code) }).load();
  ledger.reveal(baseMs + 21 * dayMs);
  assert.equal(
    ledger.featuresAt(baseMs + 21 * dayMs, "card_9", "mer_1", "t1")["merchant.knownFraudCount30d"],
    1,
  );
});

test("importing a label twice records it once; the other label from the same source is a conflict", async () => {
  const { labels, recorded } = await setUp(baseMs + 30 * dayMs);
  const first = await labels.record(chargeback(), "api_key");
  const again = await labels.record(chargeback({ payment: { authorizationId: "auth_1" } }), "api_key");
  assert.ok(first.ok && again.ok);
  assert.equal(again.status, "already_recorded");
  assert.equal(again.labelId, first.labelId, "by either id, one payment is one label");
  const flipped = await labels.record(chargeback({ isFraud: false }), "api_key");
  assert.ok(!flipped.ok && flipped.code === "label_conflict");
  const imported = await labels.record(chargeback({ source: "import" }), "api_key");
  assert.ok(imported.ok && imported.status === "recorded", "another source keeps its own label");
  assert.equal(recorded.length, 2);
});

test("a label for an unknown payment, known before its payment or in the future is refused with its code", async () => {
  const { labels, recorded } = await setUp(baseMs + 30 * dayMs);
  const codes = [];
  for (const input of [
    chargeback({ payment: { externalId: "ext_unknown" } }),
    chargeback({ knownAtMs: baseMs - 1 }),
    chargeback({ knownAtMs: baseMs + 31 * dayMs }),
  ]) {
    const result = await labels.record(input, "api_key");
    codes.push(result.ok ? "ok" : result.code);
  }
  assert.deepEqual(codes, ["authorization_not_found", "label_known_before_payment", "label_known_in_future"]);
  assert.deepEqual(recorded, [], "nothing is recorded");
});

test("a page is recorded together, answered in its order, and a payment labelled twice keeps its first label", async () => {
  const store = await openStore({ kind: "memory" });
  await store.commit([
    [1, 2, 3].map((n) => ({ kind: "insertDecision" as const, decision: decision(n, baseMs) })),
  ]);
  // The first lookup of ext_1 is slow, so without ordering its second label would commit first.
  let ext1Lookups = 0;
  let concurrentMax = 0;
  let concurrent = 0;
  const slowStore: Store = {
    ...store,
    async getDecisionByExternalId(externalId) {
      concurrent++;
      concurrentMax = Math.max(concurrentMax, concurrent);
      if (externalId === "ext_1" && ext1Lookups++ === 0) {
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      concurrent--;
      return store.getDecisionByExternalId(externalId);
    },
  };
  const labels = createIssuerLabels({
    store: slowStore,
    committer: committerOver(store),
    clock: { nowMs: () => baseMs + 30 * dayMs },
    onRecorded: () => {},
  });
  const page = [
    chargeback({ isFraud: false }),
    chargeback({ payment: { externalId: "ext_2" } }),
    chargeback({ isFraud: true }),
    chargeback({ payment: { externalId: "ext_missing" } }),
    chargeback({ payment: { externalId: "ext_3" } }),
  ];
  const results = await labels.recordAll(page, "api_key");
  assert.deepEqual(
    results.map((result) => (result.ok ? result.status : result.code)),
    ["recorded", "recorded", "label_conflict", "authorization_not_found", "recorded"],
  );
  assert.ok(concurrentMax > 1, "the page's lookups ran together");
  const kept = await labels.record(chargeback({ isFraud: false }), "api_key");
  assert.ok(kept.ok && kept.status === "already_recorded", "the first label (genuine) is the one stored");
});

test("an outage in the middle of a page is reported after the labels already sent have settled", async () => {
  const { store } = await setUp(baseMs + 30 * dayMs);
  let lookups = 0;
  const failing: Store = {
    ...store,
    async getDecisionByExternalId(externalId) {
      if (lookups++ === 1) {
        throw new Error("store unavailable");
      }
      return store.getDecisionByExternalId(externalId);
    },
  };
  let committed = 0;
  const labels = createIssuerLabels({
    store: failing,
    committer: committerOver(store),
    clock: { nowMs: () => baseMs + 30 * dayMs },
    onRecorded: () => {
      committed++;
    },
  });
  const page = [chargeback(), chargeback({ payment: { externalId: "ext_1" }, source: "import" })];
  await assert.rejects(labels.recordAll(page, "api_key"), /store unavailable/);
  assert.equal(committed, 1, "the label whose lookup worked was recorded before the failure was reported");
});
