import assert from "node:assert/strict";
import { test } from "node:test";
import type { Hold } from "../holds/index.ts";
import { createLabelLedger } from "../model/index.ts";
import { newDocument, openStore } from "../storage/index.ts";
import { createLoopLabels } from "./loop-labels.ts";

const baseMs = 1_780_000_000_000;
const minuteMs = 60_000;

function deniedHold(resolutionAtMs: number): Hold {
  return {
    id: "hold_1",
    version: 2,
    cardId: "card_1",
    cardholderId: "ch_1",
    state: "denied",
    reference: "A7K",
    openedAtMs: baseMs,
    expiresAtMs: baseMs + 72 * 60 * minuteMs,
    updatedAtMs: resolutionAtMs,
    authorizations: [
      {
        authorizationId: "auth_1",
        merchantId: "mer_1",
        merchantName: "Shop",
        amountMinor: 90_000,
        currency: "JPY",
        occurredAtMs: baseMs,
        channel: "ecommerce",
        outcome: "hold",
      },
    ],
    resolution: {
      state: "denied",
      channel: "sms",
      actor: "cardholder:ch_1",
      reason: null,
      atMs: resolutionAtMs,
    },
    caseId: "case_1",
    replacementCardId: null,
  };
}

async function setUp() {
  const store = await openStore({ kind: "memory" });
  const ledger = createLabelLedger();
  const refused: string[] = [];
  const labels = createLoopLabels({ ledger, store, onRefused: (code) => refused.push(code) });
  const merchantFraudAt = (nowMs: number) => {
    ledger.reveal(nowMs);
    return ledger.featuresAt(nowMs, "card_9", "mer_1", "t1")["merchant.knownFraudCount30d"];
  };
  return { store, ledger, labels, refused, merchantFraudAt };
}

test("a 'not mine' answer is a fraud label known from the answer, and a case label on the same payment is not counted again", async () => {
  const { store, labels, merchantFraudAt } = await setUp();
  labels.fromHold(deniedHold(baseMs + 10 * minuteMs));
  assert.equal(merchantFraudAt(baseMs + 5 * minuteMs), 0, "not known before the answer");
  assert.equal(merchantFraudAt(baseMs + 10 * minuteMs), 1);

  await store.commit([
    [
      {
        kind: "insertDocument",
        document: newDocument(
          {
            kind: "case",
            id: "case_1",
            cardId: "card_1",
            cardholderId: "ch_1",
            state: "closed",
            body: { kind: "not_mine", authorizationIds: ["auth_1"] },
          },
          baseMs,
        ),
      },
    ],
  ]);
  await labels.fromCaseLabel(
    newDocument(
      {
        kind: "case_label",
        id: "lbl_1",
        cardId: "card_1",
        cardholderId: "ch_1",
        state: "recorded",
        body: { caseId: "case_1", label: "fraud" },
      },
      baseMs + 20 * minuteMs,
    ),
  );
  assert.equal(merchantFraudAt(baseMs + 30 * minuteMs), 1, "one payment, one label");
});

test("an analyst's case label names each payment of the case as its decision recorded it", async () => {
  const { store, ledger, labels } = await setUp();
  const occurredAtMs = baseMs - 60 * minuteMs;
  await store.commit([
    [
      {
        kind: "insertDecision",
        decision: {
          authorizationId: "auth_7",
          externalId: "ext_7",
          requestHash: "a".repeat(64),
          cardId: "card_7",
          occurredAtMs,
          decidedAtMs: occurredAtMs + 3,
          outcome: "approve",
          score: 5,
          rulesetId: "rs_1",
          rulesetVersion: 1,
          authorization: { merchant: { id: "mer_2", terminalId: "t9" } },
          snapshot: [4],
          response: {},
          shadow: null,
        },
      },
      {
        kind: "insertDocument",
        document: newDocument(
          {
            kind: "case",
            id: "case_7",
            cardId: "card_7",
            cardholderId: "ch_7",
            state: "closed",
            body: { kind: "fraud_report", authorizationIds: ["auth_7", "auth_unknown"] },
          },
          baseMs,
        ),
      },
      {
        kind: "insertDocument",
        document: newDocument(
          {
            kind: "case_label",
            id: "lbl_7",
            cardId: "card_7",
            cardholderId: "ch_7",
            state: "recorded",
            body: { caseId: "case_7", label: "fraud" },
          },
          baseMs,
        ),
      },
    ],
  ]);
  // What a restart reads back: the same labels as when they were recorded.
  await labels.load();
  ledger.reveal(baseMs);
  const features = ledger.featuresAt(baseMs, "card_7", "mer_2", "t9");
  assert.equal(features["merchant.knownFraudCount30d"], 1);
  assert.equal(features["terminal.knownFraudCount30d"], 1, "the decision's terminal is labelled");
  assert.equal(features["card.isKnownCompromised"], 1);
});

test("an answer recorded a moment before its payment's own time is known from the payment's time", async () => {
  const { labels, merchantFraudAt } = await setUp();
  // A merchant clock ahead of ours: the answer came "before" the payment it answers.
  labels.fromHold(deniedHold(baseMs - minuteMs));
  assert.equal(merchantFraudAt(baseMs), 1);
});
