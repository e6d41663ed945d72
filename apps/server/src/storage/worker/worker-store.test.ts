/**
 * The worker proxy forwards the Store port to PGlite on another thread. These tests check the
 * forwarding itself (the SQL adapter behind it passes the full contract in pglite-store.test.ts):
 * records round-trip by structured clone, refusals stay values, failures become outages.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  auditFixture,
  baseMs,
  cardFixture,
  cardholderFixture,
  decisionFixture,
  documentFixture,
} from "../contract/fixtures.ts";
import { openStore } from "../open-store.ts";
import { StoreWorkerError } from "./worker-store.ts";

const dataDir = mkdtempSync(join(tmpdir(), "mimamori-worker-store-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test("the worker store round-trips records, keeps refusals as values and turns failures into outages", async () => {
  const store = await openStore({ kind: "pglite", dataDir, inWorker: true });
  const decision = decisionFixture(1);
  const committed = await store.commit([
    [
      { kind: "insertCardholder", cardholder: cardholderFixture(1) },
      { kind: "insertCard", card: cardFixture(1) },
    ],
    [
      { kind: "insertDecision", decision },
      { kind: "appendAudit", entry: auditFixture(1) },
    ],
  ]);
  assert.deepEqual(committed, { ok: true });
  assert.deepEqual(await store.getCardholder(cardholderFixture(1).id), cardholderFixture(1));
  assert.deepEqual(await store.getCard(cardFixture(1).id), cardFixture(1));
  assert.deepEqual(await store.getDecisionByExternalId(decision.externalId), decision);
  assert.deepEqual(await store.getAuditHead(), auditFixture(1));
  assert.equal(await store.countDecisions(), 1);

  // Claims are forwarded too (the outbox dispatcher uses them); commitChained is not, as its
  // callback cannot cross threads, so the committer keeps the chain's head in memory.
  const document = documentFixture(1, { dueAtMs: baseMs });
  assert.deepEqual(await store.commit([[{ kind: "insertDocument", document }]]), { ok: true });
  assert.deepEqual(await store.claimDocumentsDue("hold", "pending", baseMs, baseMs + 1_000, 10), [
    { ...document, version: 2, dueAtMs: baseMs + 1_000 },
  ]);
  assert.equal(store.commitChained, undefined);
  // So are the reads that follow changes.
  assert.deepEqual(await store.listCardsChangedSince(baseMs, null, 10), {
    rows: [cardFixture(1)],
    nextCursor: null,
  });
  assert.deepEqual(await store.listDocumentsChangedSince(["hold"], baseMs, null, 10), {
    rows: [{ ...document, version: 2, dueAtMs: baseMs + 1_000 }],
    nextCursor: null,
  });

  const retry = decisionFixture(2, { externalId: decision.externalId });
  const duplicate = await store.commit([[{ kind: "insertDecision", decision: retry }]]);
  assert.deepEqual(duplicate, { ok: false, code: "duplicate_external_id", unitIndex: 0, opIndex: 0 });

  // A page size beyond the store's bound breaks an assertion inside the worker: the caller sees
  // an outage, and the worker keeps serving.
  await assert.rejects(store.listDecisions(0, null, 10_000_000), StoreWorkerError);
  assert.equal(await store.countDecisions(), 1);

  await store.close();
  await assert.rejects(store.countDecisions(), StoreWorkerError);
});
