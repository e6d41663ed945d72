/**
 * The behaviour every Store adapter must show, run against each of them (memory, PGlite,
 * PostgreSQL). `open` gives an empty store per test; `close` is called at the end of each test.
 * `skip` names why the suite cannot run here (a server the machine lacks), so it is reported as
 * skipped rather than passing without running.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { WriteOp } from "../records.ts";
import type { Store } from "../store.ts";
import {
  auditFixture,
  baseMs,
  cardFixture,
  cardholderFixture,
  decisionFixture,
  documentFixture,
  merchantFixture,
  rulesetFixture,
} from "./fixtures.ts";

export function runStoreContract(
  name: string,
  open: () => Promise<Store>,
  options: { readonly skip?: string } = {},
): void {
  const withStore = (title: string, body: (store: Store) => Promise<void>): void => {
    test(title, async () => {
      const store = await open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
  };

  const commitOk = async (store: Store, units: readonly (readonly WriteOp[])[]): Promise<void> => {
    assert.deepEqual(await store.commit(units), { ok: true });
  };

  describe(`Store contract: ${name}`, { skip: options.skip ?? false }, () => {
    describe("round trips", () => {
      withStore("a cardholder reads back exactly as written", async (store) => {
        const cardholder = cardholderFixture(1);
        await commitOk(store, [[{ kind: "insertCardholder", cardholder }]]);
        assert.deepEqual(await store.getCardholder(cardholder.id), cardholder);
        assert.equal(await store.getCardholder("ch_missing"), null);
      });

      withStore("a card reads back exactly as written", async (store) => {
        const card = cardFixture(1);
        await commitOk(store, [[{ kind: "insertCard", card }]]);
        assert.deepEqual(await store.getCard(card.id), card);
        assert.equal(await store.getCard("card_missing"), null);
      });

      withStore("a merchant reads back exactly as written", async (store) => {
        const merchant = merchantFixture(1);
        await commitOk(store, [[{ kind: "upsertMerchant", merchant }]]);
        assert.deepEqual((await store.listMerchants(null, 10)).rows, [merchant]);
      });

      withStore("a ruleset reads back exactly as written", async (store) => {
        const ruleset = rulesetFixture(1, { text: 'rule "夜間" when amount.minor > 10_000\n  then hold' });
        await commitOk(store, [[{ kind: "insertRuleset", ruleset }]]);
        assert.deepEqual(await store.getRuleset(ruleset.id), ruleset);
        assert.equal(await store.getRuleset("rs_missing"), null);
      });

      withStore("a decision reads back with equal numbers and JSON, unicode included", async (store) => {
        const decision = decisionFixture(1, {
          score: 0.1 + 0.2,
          shadow: { outcome: "decline", score: 99.75, reasons: ["カード テスト 🔒", "\u0000\u2028"] },
        });
        await commitOk(store, [[{ kind: "insertDecision", decision }]]);
        assert.deepEqual(await store.getDecisionByExternalId(decision.externalId), decision);
        assert.equal(await store.getDecisionByExternalId("ext_missing"), null);
      });

      withStore("a decision's response comes back byte for byte, key order kept", async (store) => {
        const decision = decisionFixture(2);
        await commitOk(store, [[{ kind: "insertDecision", decision }]]);
        const read = await store.getDecisionByExternalId(decision.externalId);
        assert.equal(JSON.stringify(read?.response), JSON.stringify(decision.response));
        assert.equal(JSON.stringify(read?.snapshot), JSON.stringify(decision.snapshot));
      });

      withStore("JSON fields come back as JSON.parse(JSON.stringify(value))", async (store) => {
        const decision = decisionFixture(3, {
          authorization: { kept: 1, dropped: undefined, nested: [undefined, -0] },
          snapshot: "a bare string",
          response: [1, "two"],
          shadow: 42,
        });
        await commitOk(store, [[{ kind: "insertDecision", decision }]]);
        const read = await store.getDecisionByExternalId(decision.externalId);
        assert.deepEqual(read?.authorization, { kept: 1, nested: [null, 0] });
        assert.equal(read?.snapshot, "a bare string");
        assert.deepEqual(read?.response, [1, "two"]);
        assert.equal(read?.shadow, 42);
      });

      withStore("an audit entry reads back exactly as written", async (store) => {
        const entry = auditFixture(1);
        await commitOk(store, [[{ kind: "appendAudit", entry }]]);
        assert.deepEqual(await store.getAuditHead(), entry);
        assert.deepEqual(await store.listAudit(0, 10), [entry]);
      });

      withStore("a setting reads back; a missing one is null", async (store) => {
        await commitOk(store, [[{ kind: "setSetting", key: "issuer.name", value: "みまもり銀行" }]]);
        assert.equal(await store.getSetting("issuer.name"), "みまもり銀行");
        assert.equal(await store.getSetting("missing"), null);
      });
    });

    describe("isolation from callers", () => {
      withStore("changing a written or a read record does not change the stored one", async (store) => {
        const snapshot = { card: { count1h: 1 } };
        const decision = { ...decisionFixture(1), snapshot };
        await commitOk(store, [[{ kind: "insertDecision", decision }]]);
        snapshot.card.count1h = 99;
        const first = await store.getDecisionByExternalId(decision.externalId);
        assert.ok(first !== null);
        assert.deepEqual(first.snapshot, { card: { count1h: 1 } });
        (first.snapshot as { card: { count1h: number } }).card.count1h = 77;
        const second = await store.getDecisionByExternalId(decision.externalId);
        assert.deepEqual(second?.snapshot, { card: { count1h: 1 } });
      });

      withStore("a record read back cannot be changed in place", async (store) => {
        const card = cardFixture(1);
        await commitOk(store, [[{ kind: "insertCard", card }]]);
        const read = await store.getCard(card.id);
        try {
          (read as { state: string }).state = "blocked";
        } catch {
          // A frozen record refuses the write in strict mode; a fresh copy takes it. Both are fine.
        }
        assert.equal((await store.getCard(card.id))?.state, "active");
      });
    });

    describe("pagination", () => {
      withStore("cardholders, cards and merchants page in id order with cursors", async (store) => {
        const order = [5, 2, 7, 1, 6, 3, 4];
        await commitOk(
          store,
          order.map((n) => [
            { kind: "insertCardholder", cardholder: cardholderFixture(n) },
            { kind: "insertCard", card: cardFixture(n) },
            { kind: "upsertMerchant", merchant: merchantFixture(n) },
          ]),
        );
        const lists = [
          (cursor: string | null) => store.listCardholders(cursor, 3),
          (cursor: string | null) => store.listCards(cursor, 3),
          (cursor: string | null) => store.listMerchants(cursor, 3),
        ];
        for (const list of lists) {
          const first = await list(null);
          assert.equal(first.rows.length, 3);
          assert.notEqual(first.nextCursor, null);
          const second = await list(first.nextCursor);
          const third = await list(second.nextCursor);
          assert.equal(third.nextCursor, null, "the last page has no cursor");
          const ids = [...first.rows, ...second.rows, ...third.rows].map((row) => row.id);
          assert.deepEqual(
            ids.map((id) => Number(id.slice(-4))),
            [1, 2, 3, 4, 5, 6, 7],
          );
        }
      });

      withStore("a page that ends exactly at the last row has no cursor", async (store) => {
        await commitOk(
          store,
          [1, 2, 3].map((n) => [{ kind: "insertCardholder", cardholder: cardholderFixture(n) }]),
        );
        const page = await store.listCardholders(null, 3);
        assert.equal(page.rows.length, 3);
        assert.equal(page.nextCursor, null);
        assert.deepEqual(await store.listCardholders(null, 5), { rows: page.rows, nextCursor: null });
      });

      withStore("an empty table gives an empty page", async (store) => {
        assert.deepEqual(await store.listCards(null, 10), { rows: [], nextCursor: null });
        assert.deepEqual(await store.listDecisions(0, null, 10), { rows: [], nextCursor: null });
        assert.deepEqual(await store.listRulesets(), []);
      });

      withStore("decisions list by (occurredAtMs, authorizationId) from fromMs", async (store) => {
        const tie = baseMs + 5_000;
        const decisions = [
          decisionFixture(9, { occurredAtMs: tie }),
          decisionFixture(1),
          decisionFixture(7, { occurredAtMs: tie }),
          decisionFixture(3),
          decisionFixture(8, { occurredAtMs: tie }),
          decisionFixture(2),
        ];
        await commitOk(store, [decisions.map((decision) => ({ kind: "insertDecision", decision }) as const)]);
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let pageIndex = 0; pageIndex < 10; pageIndex++) {
          const page = await store.listDecisions(baseMs + 2_000, cursor, 2);
          seen.push(...page.rows.map((row) => row.authorizationId));
          cursor = page.nextCursor;
          if (cursor === null) {
            break;
          }
        }
        // 1 occurs before fromMs; 7, 8, 9 share one time and order by id; 2 and 3 come first.
        assert.deepEqual(seen, ["auth_0002", "auth_0003", "auth_0007", "auth_0008", "auth_0009"]);
      });

      withStore("rulesets list newest version first", async (store) => {
        await commitOk(store, [
          [2, 3, 1].map((v) => ({ kind: "insertRuleset", ruleset: rulesetFixture(v) }) as const),
        ]);
        assert.deepEqual(
          (await store.listRulesets()).map((ruleset) => ruleset.version),
          [3, 2, 1],
        );
      });

      withStore("listAudit returns entries after a seq, in order, up to the limit", async (store) => {
        await commitOk(store, [
          [3, 1, 2, 4].map((seq) => ({ kind: "appendAudit", entry: auditFixture(seq) }) as const),
        ]);
        assert.deepEqual(
          (await store.listAudit(1, 2)).map((entry) => entry.seq),
          [2, 3],
        );
        assert.deepEqual(
          (await store.listAudit(0, 10)).map((entry) => entry.seq),
          [1, 2, 3, 4],
        );
        assert.deepEqual(await store.listAudit(4, 10), []);
        assert.equal((await store.getAuditHead())?.seq, 4);
      });

      withStore("the audit head of an empty log is null", async (store) => {
        assert.equal(await store.getAuditHead(), null);
      });
    });

    describe("updates and upserts", () => {
      withStore("updateCardState changes the state and updatedAtMs only", async (store) => {
        const card = cardFixture(1);
        await commitOk(store, [[{ kind: "insertCard", card }]]);
        await commitOk(store, [
          [{ kind: "updateCardState", cardId: card.id, state: "blocked", atMs: baseMs + 9 }],
        ]);
        assert.deepEqual(await store.getCard(card.id), {
          ...card,
          state: "blocked",
          updatedAtMs: baseMs + 9,
        });
      });

      withStore("updateRulesetStatus changes the status and updatedAtMs only", async (store) => {
        const ruleset = rulesetFixture(1);
        await commitOk(store, [[{ kind: "insertRuleset", ruleset }]]);
        await commitOk(store, [
          [{ kind: "updateRulesetStatus", rulesetId: ruleset.id, status: "active", atMs: baseMs + 9 }],
        ]);
        assert.deepEqual(await store.getRuleset(ruleset.id), {
          ...ruleset,
          status: "active",
          updatedAtMs: baseMs + 9,
        });
      });

      withStore("an update sees a row inserted earlier in the same batch", async (store) => {
        const card = cardFixture(1);
        await commitOk(store, [
          [{ kind: "insertCard", card }],
          [{ kind: "updateCardState", cardId: card.id, state: "locked", atMs: baseMs + 5 }],
          [{ kind: "updateCardState", cardId: card.id, state: "active", atMs: baseMs + 6 }],
        ]);
        assert.deepEqual(await store.getCard(card.id), { ...card, state: "active", updatedAtMs: baseMs + 6 });
      });

      withStore(
        "upsertMerchant and setSetting keep the latest value, across and within batches",
        async (store) => {
          await commitOk(store, [
            [
              { kind: "upsertMerchant", merchant: merchantFixture(1, { name: "first" }) },
              { kind: "setSetting", key: "k", value: "first" },
            ],
          ]);
          await commitOk(store, [
            [{ kind: "upsertMerchant", merchant: merchantFixture(1, { name: "second" }) }],
            [{ kind: "setSetting", key: "k", value: "second" }],
            [
              { kind: "upsertMerchant", merchant: merchantFixture(1, { name: "third", mcc: "5812" }) },
              { kind: "setSetting", key: "k", value: "third" },
            ],
          ]);
          assert.deepEqual((await store.listMerchants(null, 10)).rows, [
            merchantFixture(1, { name: "third", mcc: "5812" }),
          ]);
          assert.equal(await store.getSetting("k"), "third");
        },
      );

      withStore("countDecisions counts every stored decision", async (store) => {
        assert.equal(await store.countDecisions(), 0);
        await commitOk(store, [
          [{ kind: "insertDecision", decision: decisionFixture(1) }],
          [{ kind: "insertDecision", decision: decisionFixture(2) }],
        ]);
        await commitOk(store, [[{ kind: "insertDecision", decision: decisionFixture(3) }]]);
        assert.equal(await store.countDecisions(), 3);
      });

      withStore("a large batch of decisions is stored whole", async (store) => {
        const units = Array.from({ length: 300 }, (_, n) => [
          { kind: "insertDecision", decision: decisionFixture(n + 1) } as const,
        ]);
        await commitOk(store, units);
        assert.equal(await store.countDecisions(), 300);
        const page = await store.listDecisions(0, null, 300);
        assert.deepEqual(page.rows[299], decisionFixture(300));
      });

      withStore("an empty batch and empty units commit", async (store) => {
        await commitOk(store, []);
        await commitOk(store, [[], []]);
      });
    });

    describe("conflicts and atomicity", () => {
      withStore("a batch with a duplicate in its third unit applies nothing and names it", async (store) => {
        await commitOk(store, [[{ kind: "insertDecision", decision: decisionFixture(1) }]]);
        const result = await store.commit([
          [
            { kind: "insertCardholder", cardholder: cardholderFixture(1) },
            { kind: "insertDecision", decision: decisionFixture(2) },
          ],
          [{ kind: "setSetting", key: "k", value: "v" }],
          [
            { kind: "insertDecision", decision: decisionFixture(3) },
            { kind: "insertDecision", decision: decisionFixture(4, { externalId: "ext_0001" }) },
          ],
          [{ kind: "insertCard", card: cardFixture(1) }],
        ]);
        assert.deepEqual(result, { ok: false, code: "duplicate_external_id", unitIndex: 2, opIndex: 1 });
        assert.equal(await store.getCardholder("ch_0001"), null);
        assert.equal(await store.getSetting("k"), null);
        assert.equal(await store.getCard("card_0001"), null);
        assert.equal(await store.countDecisions(), 1);
      });

      withStore("a duplicate between two units of one batch names the later unit", async (store) => {
        const result = await store.commit([
          [{ kind: "insertDecision", decision: decisionFixture(1) }],
          [{ kind: "insertDecision", decision: decisionFixture(2, { externalId: "ext_0001" }) }],
        ]);
        assert.deepEqual(result, { ok: false, code: "duplicate_external_id", unitIndex: 1, opIndex: 0 });
        assert.equal(await store.countDecisions(), 0);
      });

      withStore("the first failing operation in batch order is named", async (store) => {
        await commitOk(store, [
          [
            { kind: "insertCard", card: cardFixture(1) },
            { kind: "insertDecision", decision: decisionFixture(1) },
          ],
        ]);
        // An adapter that writes table by table meets the decision conflict first; the card
        // conflict comes first in the caller's order, and that is the one to report.
        const result = await store.commit([
          [
            { kind: "insertDecision", decision: decisionFixture(2) },
            { kind: "insertCard", card: cardFixture(2, { panHash: cardFixture(1).panHash }) },
          ],
          [{ kind: "insertDecision", decision: decisionFixture(3, { externalId: "ext_0001" }) }],
          [{ kind: "updateRulesetStatus", rulesetId: "rs_missing", status: "active", atMs: baseMs }],
        ]);
        assert.deepEqual(result, { ok: false, code: "duplicate_pan", unitIndex: 0, opIndex: 1 });
      });

      withStore("insertDecision with a stored externalId is duplicate_external_id", async (store) => {
        await commitOk(store, [[{ kind: "insertDecision", decision: decisionFixture(1) }]]);
        const result = await store.commit([
          [{ kind: "insertDecision", decision: decisionFixture(2, { externalId: "ext_0001" }) }],
        ]);
        assert.deepEqual(result, { ok: false, code: "duplicate_external_id", unitIndex: 0, opIndex: 0 });
      });

      withStore("insertCard with a stored panHash is duplicate_pan", async (store) => {
        await commitOk(store, [[{ kind: "insertCard", card: cardFixture(1) }]]);
        const result = await store.commit([
          [{ kind: "insertCard", card: cardFixture(2, { panHash: cardFixture(1).panHash }) }],
        ]);
        assert.deepEqual(result, { ok: false, code: "duplicate_pan", unitIndex: 0, opIndex: 0 });
      });

      withStore("an insert whose primary id exists is duplicate_id, for every record kind", async (store) => {
        const existing: WriteOp[] = [
          { kind: "insertCardholder", cardholder: cardholderFixture(1) },
          { kind: "insertCard", card: cardFixture(1) },
          { kind: "insertRuleset", ruleset: rulesetFixture(1) },
          { kind: "insertDecision", decision: decisionFixture(1) },
          { kind: "appendAudit", entry: auditFixture(1) },
        ];
        await commitOk(store, [existing]);
        const again: WriteOp[] = [
          { kind: "insertCardholder", cardholder: cardholderFixture(1, { name: "other" }) },
          { kind: "insertCard", card: cardFixture(1, { panHash: "v1:other" }) },
          { kind: "insertRuleset", ruleset: rulesetFixture(1, { version: 2 }) },
          { kind: "insertDecision", decision: decisionFixture(1, { externalId: "ext_other" }) },
          { kind: "appendAudit", entry: auditFixture(1, { action: "other" }) },
        ];
        for (const op of again) {
          const result = await store.commit([[{ kind: "setSetting", key: "k", value: "v" }, op]]);
          assert.deepEqual(result, { ok: false, code: "duplicate_id", unitIndex: 0, opIndex: 1 }, op.kind);
        }
        assert.equal(await store.getSetting("k"), null);
      });

      withStore("a ruleset version taken by another ruleset is duplicate_id", async (store) => {
        await commitOk(store, [[{ kind: "insertRuleset", ruleset: rulesetFixture(1) }]]);
        const result = await store.commit([
          [{ kind: "insertRuleset", ruleset: rulesetFixture(1, { id: "rs_other" }) }],
        ]);
        assert.deepEqual(result, { ok: false, code: "duplicate_id", unitIndex: 0, opIndex: 0 });
      });

      withStore("a row that breaks the primary key and another key reports duplicate_id", async (store) => {
        await commitOk(store, [
          [
            { kind: "insertCard", card: cardFixture(1) },
            { kind: "insertDecision", decision: decisionFixture(1) },
          ],
        ]);
        const card = await store.commit([[{ kind: "insertCard", card: cardFixture(1) }]]);
        assert.deepEqual(card, { ok: false, code: "duplicate_id", unitIndex: 0, opIndex: 0 });
        const decision = await store.commit([[{ kind: "insertDecision", decision: decisionFixture(1) }]]);
        assert.deepEqual(decision, { ok: false, code: "duplicate_id", unitIndex: 0, opIndex: 0 });
      });

      withStore("updateCardState on a missing card is not_found and applies nothing", async (store) => {
        const result = await store.commit([
          [{ kind: "insertCardholder", cardholder: cardholderFixture(1) }],
          [
            { kind: "setSetting", key: "k", value: "v" },
            { kind: "updateCardState", cardId: "card_missing", state: "blocked", atMs: baseMs },
          ],
        ]);
        assert.deepEqual(result, { ok: false, code: "not_found", unitIndex: 1, opIndex: 1 });
        assert.equal(await store.getCardholder("ch_0001"), null);
        assert.equal(await store.getSetting("k"), null);
      });

      withStore("updateRulesetStatus on a missing ruleset is not_found", async (store) => {
        const result = await store.commit([
          [{ kind: "updateRulesetStatus", rulesetId: "rs_missing", status: "retired", atMs: baseMs }],
        ]);
        assert.deepEqual(result, { ok: false, code: "not_found", unitIndex: 0, opIndex: 0 });
      });

      withStore("after a refused batch the rest commits when sent again", async (store) => {
        await commitOk(store, [[{ kind: "insertDecision", decision: decisionFixture(1) }]]);
        const units = [2, 1, 3].map((n) => [
          {
            kind: "insertDecision",
            decision: decisionFixture(n, { authorizationId: `auth_retry_${n}` }),
          } as const,
        ]);
        const refused = await store.commit(units);
        assert.deepEqual(refused, { ok: false, code: "duplicate_external_id", unitIndex: 1, opIndex: 0 });
        await commitOk(store, [units[0] ?? [], units[2] ?? []]);
        assert.equal(await store.countDecisions(), 3);
      });
    });

    describe("decisions by id and by card", () => {
      withStore("a decision reads back by its authorization id", async (store) => {
        const decision = decisionFixture(3);
        await commitOk(store, [[{ kind: "insertDecision", decision }]]);
        assert.deepEqual(await store.getDecision(decision.authorizationId), decision);
        assert.equal(await store.getDecision("auth_missing"), null);
      });

      withStore("a card's decisions come newest first, only that card's, at most limit", async (store) => {
        // Fixture n belongs to card n % 10: 1, 11, 21, 31 are card_0001's, oldest to newest.
        await commitOk(store, [
          [1, 2, 11, 21, 12, 31].map(
            (n) => ({ kind: "insertDecision", decision: decisionFixture(n) }) as const,
          ),
        ]);
        const ids = async (limit: number) =>
          (await store.listDecisionsByCard("card_0001", limit)).map((decision) => decision.authorizationId);
        assert.deepEqual(await ids(10), ["auth_0031", "auth_0021", "auth_0011", "auth_0001"]);
        assert.deepEqual(await ids(2), ["auth_0031", "auth_0021"]);
        assert.deepEqual(await store.listDecisionsByCard("card_0009", 10), []);
      });
    });

    describe("documents", () => {
      withStore("a document reads back exactly as written, by id and by lookup key", async (store) => {
        const document = documentFixture(1, { lookupKey: "A7K" });
        await commitOk(store, [[{ kind: "insertDocument", document }]]);
        assert.deepEqual(await store.getDocument("hold", document.id), document);
        assert.deepEqual(await store.findDocumentByLookupKey("hold", "A7K"), document);
        assert.equal(await store.getDocument("case", document.id), null, "the kind is part of the key");
        assert.equal(await store.findDocumentByLookupKey("case", "A7K"), null);
        assert.equal(await store.getDocument("hold", "hold_missing"), null);
      });

      withStore(
        "an id or a lookup key is taken once; the same key in another kind is free",
        async (store) => {
          await commitOk(store, [
            [{ kind: "insertDocument", document: documentFixture(1, { lookupKey: "k" }) }],
          ]);
          assert.deepEqual(await store.commit([[{ kind: "insertDocument", document: documentFixture(1) }]]), {
            ok: false,
            code: "duplicate_id",
            unitIndex: 0,
            opIndex: 0,
          });
          assert.deepEqual(
            await store.commit([
              [{ kind: "insertDocument", document: documentFixture(2, { lookupKey: "k" }) }],
            ]),
            { ok: false, code: "duplicate_lookup_key", unitIndex: 0, opIndex: 0 },
          );
          await commitOk(store, [
            [
              {
                kind: "insertDocument",
                document: documentFixture(3, { kind: "case", id: "case_0003", lookupKey: "k" }),
              },
            ],
          ]);
        },
      );

      withStore("an update applies only over the version it was read at", async (store) => {
        const first = documentFixture(1);
        await commitOk(store, [[{ kind: "insertDocument", document: first }]]);
        const resolved = {
          ...first,
          version: 2,
          state: "confirmed_mine",
          dueAtMs: null,
          updatedAtMs: first.updatedAtMs + 5,
        };
        await commitOk(store, [[{ kind: "updateDocument", document: resolved }]]);
        assert.deepEqual(await store.getDocument("hold", first.id), resolved);
        // A second writer that read version 1 too loses, and nothing of its change lands.
        const late = { ...first, version: 2, state: "denied", updatedAtMs: first.updatedAtMs + 9 };
        assert.deepEqual(await store.commit([[{ kind: "updateDocument", document: late }]]), {
          ok: false,
          code: "version_conflict",
          unitIndex: 0,
          opIndex: 0,
        });
        assert.deepEqual(await store.getDocument("hold", first.id), resolved);
        const missing = documentFixture(9, { version: 2 });
        assert.deepEqual(await store.commit([[{ kind: "updateDocument", document: missing }]]), {
          ok: false,
          code: "not_found",
          unitIndex: 0,
          opIndex: 0,
        });
      });

      withStore(
        "an update keeps the creation time, moves the lookup key and frees the old one",
        async (store) => {
          const first = documentFixture(1, { lookupKey: "old" });
          await commitOk(store, [[{ kind: "insertDocument", document: first }]]);
          await commitOk(store, [
            [
              {
                kind: "updateDocument",
                document: { ...first, version: 2, lookupKey: "new", createdAtMs: first.createdAtMs },
              },
            ],
          ]);
          assert.equal(await store.findDocumentByLookupKey("hold", "old"), null);
          assert.equal((await store.findDocumentByLookupKey("hold", "new"))?.id, first.id);
          await commitOk(store, [
            [{ kind: "insertDocument", document: documentFixture(2, { lookupKey: "old" }) }],
          ]);
          const taken = { ...first, version: 3, lookupKey: "old" };
          assert.equal((await store.commit([[{ kind: "updateDocument", document: taken }]])).ok, false);
        },
      );

      withStore("insert and updates of one document in one batch apply in order", async (store) => {
        const first = documentFixture(1);
        const second = { ...first, version: 2, body: { authorizationIds: ["auth_0001", "auth_0002"] } };
        const third = { ...second, version: 3, state: "expired" };
        await commitOk(store, [
          [{ kind: "insertDocument", document: first }],
          [{ kind: "updateDocument", document: second }],
          [{ kind: "updateDocument", document: third }],
        ]);
        assert.deepEqual(await store.getDocument("hold", first.id), third);
      });

      withStore("a refused update rolls back the whole batch it came in", async (store) => {
        const first = documentFixture(1);
        await commitOk(store, [[{ kind: "insertDocument", document: first }]]);
        const result = await store.commit([
          [{ kind: "insertDocument", document: documentFixture(2) }],
          [{ kind: "updateCardState", cardId: "card_missing", state: "blocked", atMs: baseMs }],
        ]);
        assert.equal(result.ok, false);
        assert.equal(await store.getDocument("hold", "hold_0002"), null);
      });

      withStore(
        "documents list by card or cardholder, oldest first, by state, at most limit",
        async (store) => {
          await commitOk(store, [
            [
              {
                kind: "insertDocument",
                document: documentFixture(21, { createdAtMs: baseMs + 5, updatedAtMs: baseMs + 5 }),
              },
              {
                kind: "insertDocument",
                document: documentFixture(1, { createdAtMs: baseMs + 9, updatedAtMs: baseMs + 9 }),
              },
              { kind: "insertDocument", document: documentFixture(11, { state: "expired" }) },
              { kind: "insertDocument", document: documentFixture(2) },
              { kind: "insertDocument", document: documentFixture(31, { kind: "case", id: "case_0031" }) },
            ],
          ]);
          const ids = (documents: readonly { id: string }[]) => documents.map((document) => document.id);
          assert.deepEqual(ids(await store.listDocuments("hold", { cardId: "card_0001" }, null, 10)), [
            "hold_0021",
            "hold_0001",
            "hold_0011",
          ]);
          assert.deepEqual(
            ids(await store.listDocuments("hold", { cardholderId: "ch_0001" }, "pending", 10)),
            ["hold_0021", "hold_0001"],
          );
          assert.deepEqual(ids(await store.listDocuments("hold", { cardId: "card_0001" }, null, 1)), [
            "hold_0021",
          ]);
          assert.deepEqual(ids(await store.listDocuments("case", { cardId: "card_0001" }, null, 10)), [
            "case_0031",
          ]);
        },
      );

      withStore(
        "due documents come soonest first, only those in the state and due by then",
        async (store) => {
          await commitOk(store, [
            [
              { kind: "insertDocument", document: documentFixture(1, { dueAtMs: baseMs + 30 }) },
              { kind: "insertDocument", document: documentFixture(2, { dueAtMs: baseMs + 10 }) },
              {
                kind: "insertDocument",
                document: documentFixture(3, { dueAtMs: baseMs + 20, state: "expired" }),
              },
              { kind: "insertDocument", document: documentFixture(4, { dueAtMs: null }) },
              { kind: "insertDocument", document: documentFixture(5, { dueAtMs: baseMs + 99 }) },
            ],
          ]);
          const due = await store.listDocumentsDue("hold", "pending", baseMs + 30, 10);
          assert.deepEqual(
            due.map((document) => document.id),
            ["hold_0002", "hold_0001"],
          );
          assert.equal((await store.listDocumentsDue("hold", "pending", baseMs + 30, 1)).length, 1);
        },
      );

      withStore(
        "a claim takes due documents soonest first, moves them to the lease end and bumps their version",
        async (store) => {
          await commitOk(store, [
            [
              { kind: "insertDocument", document: documentFixture(1, { dueAtMs: baseMs + 30 }) },
              { kind: "insertDocument", document: documentFixture(2, { dueAtMs: baseMs + 10 }) },
              { kind: "insertDocument", document: documentFixture(3, { dueAtMs: baseMs + 20 }) },
              {
                kind: "insertDocument",
                document: documentFixture(4, { dueAtMs: baseMs + 5, state: "expired" }),
              },
              { kind: "insertDocument", document: documentFixture(5, { dueAtMs: baseMs + 99 }) },
            ],
          ]);
          const leaseUntilMs = baseMs + 50;
          const claimed = await store.claimDocumentsDue("hold", "pending", baseMs + 30, leaseUntilMs, 2);
          assert.deepEqual(claimed, [
            { ...documentFixture(2), version: 2, dueAtMs: leaseUntilMs },
            { ...documentFixture(3), version: 2, dueAtMs: leaseUntilMs },
          ]);
          assert.deepEqual(await store.getDocument("hold", "hold_0002"), claimed[0]);
          const rest = await store.claimDocumentsDue("hold", "pending", baseMs + 30, leaseUntilMs, 10);
          assert.deepEqual(
            rest.map((document) => document.id),
            ["hold_0001"],
            "a claimed document is not claimed again before its lease ends",
          );
          assert.deepEqual(
            await store.claimDocumentsDue("hold", "pending", baseMs + 30, leaseUntilMs, 10),
            [],
          );
          const again = await store.claimDocumentsDue(
            "hold",
            "pending",
            leaseUntilMs,
            leaseUntilMs + 1_000,
            10,
          );
          assert.deepEqual(
            again.map((document) => [document.id, document.version]),
            [
              ["hold_0001", 3],
              ["hold_0002", 3],
              ["hold_0003", 3],
            ],
            "at the lease end every claimed document is due again (all due at once, so in id order)",
          );
        },
      );

      withStore("a write from a read before the claim is a version conflict", async (store) => {
        const first = documentFixture(1, { dueAtMs: baseMs });
        await commitOk(store, [[{ kind: "insertDocument", document: first }]]);
        const [claimed] = await store.claimDocumentsDue("hold", "pending", baseMs, baseMs + 1_000, 1);
        assert.equal(claimed?.version, 2);
        const stale = { ...first, version: 2, state: "sent", dueAtMs: null };
        assert.deepEqual(await store.commit([[{ kind: "updateDocument", document: stale }]]), {
          ok: false,
          code: "version_conflict",
          unitIndex: 0,
          opIndex: 0,
        });
        await commitOk(store, [[{ kind: "updateDocument", document: { ...stale, version: 3 } }]]);
      });

      withStore("two concurrent claims never return the same document", async (store) => {
        const documents = Array.from({ length: 40 }, (_, index) =>
          documentFixture(index + 1, { dueAtMs: baseMs + (index % 7) }),
        );
        await commitOk(store, [documents.map((document) => ({ kind: "insertDocument", document }) as const)]);
        const claims = await Promise.all(
          [0, 1, 2, 3].map(() => store.claimDocumentsDue("hold", "pending", baseMs + 10, baseMs + 1_000, 15)),
        );
        const ids = claims.flat().map((document) => document.id);
        assert.equal(new Set(ids).size, ids.length, "no document is in two claims");
        assert.equal(ids.length, documents.length, "together the claims took every due document");
      });

      withStore("documents in a state page by id to the end", async (store) => {
        await commitOk(store, [
          [5, 3, 1, 4, 2].map(
            (n) =>
              ({
                kind: "insertDocument",
                document: documentFixture(n, { state: n === 4 ? "denied" : "pending" }),
              }) as const,
          ),
        ]);
        const first = await store.listDocumentsInState("hold", "pending", null, 2);
        assert.deepEqual(
          first.rows.map((document) => document.id),
          ["hold_0001", "hold_0002"],
        );
        const second = await store.listDocumentsInState("hold", "pending", first.nextCursor, 2);
        assert.deepEqual(
          second.rows.map((document) => document.id),
          ["hold_0003", "hold_0005"],
        );
        assert.equal(second.nextCursor, null);
      });
    });

    describe("following changes", () => {
      /** Every row after `from`, page after page, with the cursor each page ended at. */
      const readAll = async <T>(
        list: (cursor: string | null) => Promise<{ rows: readonly T[]; nextCursor: string | null }>,
        from: string | null = null,
      ): Promise<{ rows: T[]; cursors: (string | null)[] }> => {
        const rows: T[] = [];
        const cursors: (string | null)[] = [];
        let cursor = from;
        for (let pageIndex = 0; pageIndex < 20; pageIndex++) {
          const page = await list(cursor);
          rows.push(...page.rows);
          cursors.push(page.nextCursor);
          cursor = page.nextCursor;
          if (cursor === null) {
            return { rows, cursors };
          }
        }
        assert.fail("the pages end");
      };

      withStore(
        "cards changed since a time come back in (updatedAtMs, id) order, across pages, including a card whose state changed later",
        async (store) => {
          await commitOk(store, [
            [6, 2, 4, 1, 5, 3].map((n) => ({ kind: "insertCard", card: cardFixture(n) }) as const),
          ]);
          await commitOk(store, [
            [{ kind: "updateCardState", cardId: "card_0004", state: "blocked", atMs: baseMs + 9 }],
            [{ kind: "updateCardState", cardId: "card_0002", state: "locked", atMs: baseMs + 9 }],
          ]);
          const { rows, cursors } = await readAll((cursor) =>
            store.listCardsChangedSince(baseMs + 3, cursor, 2),
          );
          // Card 1 changed before sinceMs; 2 and 4 changed last, at one time, so they follow in id order.
          assert.deepEqual(
            rows.map((card) => [card.id, card.updatedAtMs - baseMs]),
            [
              ["card_0003", 3],
              ["card_0005", 5],
              ["card_0006", 6],
              ["card_0002", 9],
              ["card_0004", 9],
            ],
          );
          assert.deepEqual(rows[4], { ...cardFixture(4), state: "blocked", updatedAtMs: baseMs + 9 });
          assert.deepEqual(
            cursors,
            [`${baseMs + 5}:card_0005`, `${baseMs + 9}:card_0002`, null],
            "a cursor is <updatedAtMs>:<id> of the page's last row, and the last page has none",
          );
          assert.deepEqual(await store.listCardsChangedSince(baseMs + 10, null, 2), {
            rows: [],
            nextCursor: null,
          });
        },
      );

      withStore(
        "documents changed since a time are filtered by kind and include an updated document at its new time",
        async (store) => {
          await commitOk(store, [
            [
              { kind: "insertDocument", document: documentFixture(5) },
              { kind: "insertDocument", document: documentFixture(1) },
              { kind: "insertDocument", document: documentFixture(2) },
              { kind: "insertDocument", document: documentFixture(3, { kind: "case", id: "case_0003" }) },
              {
                kind: "insertDocument",
                document: documentFixture(4, { kind: "outbox_message", id: "msg_0004" }),
              },
            ],
          ]);
          const updated = {
            ...documentFixture(1),
            version: 2,
            state: "confirmed_mine",
            updatedAtMs: baseMs + 7,
          };
          await commitOk(store, [[{ kind: "updateDocument", document: updated }]]);
          const { rows } = await readAll((cursor) =>
            store.listDocumentsChangedSince(["hold", "case"], baseMs + 2, cursor, 2),
          );
          assert.deepEqual(
            rows.map((document) => document.id),
            ["hold_0002", "case_0003", "hold_0005", "hold_0001"],
          );
          assert.deepEqual(rows[3], updated);
          assert.deepEqual(
            (await store.listDocumentsChangedSince(["outbox_message"], baseMs, null, 10)).rows,
            [documentFixture(4, { kind: "outbox_message", id: "msg_0004" })],
          );
          assert.deepEqual(await store.listDocumentsChangedSince(["challenge"], baseMs, null, 10), {
            rows: [],
            nextCursor: null,
          });
        },
      );

      withStore(
        "a page boundary between two rows with the same updatedAtMs loses and repeats nothing",
        async (store) => {
          const tie = baseMs + 100;
          await commitOk(store, [
            [5, 3, 1, 4, 2].flatMap(
              (n) =>
                [
                  { kind: "insertCard", card: cardFixture(n, { updatedAtMs: tie }) },
                  { kind: "insertDocument", document: documentFixture(n, { updatedAtMs: tie }) },
                ] as const,
            ),
          ]);
          const expected = [1, 2, 3, 4, 5];
          for (const limit of [1, 2, 3]) {
            const cards = await readAll((cursor) => store.listCardsChangedSince(tie, cursor, limit));
            assert.deepEqual(
              cards.rows.map((card) => Number(card.id.slice(-4))),
              expected,
              `cards in pages of ${limit}`,
            );
            const documents = await readAll((cursor) =>
              store.listDocumentsChangedSince(["hold"], tie, cursor, limit),
            );
            assert.deepEqual(
              documents.rows.map((document) => Number(document.id.slice(-4))),
              expected,
              `documents in pages of ${limit}`,
            );
          }
        },
      );

      withStore("a row that changes after a page was read shows up on a later page", async (store) => {
        await commitOk(store, [
          [1, 2, 3].map((n) => ({ kind: "insertCard", card: cardFixture(n) }) as const),
        ]);
        const first = await store.listCardsChangedSince(baseMs, null, 2);
        assert.deepEqual(
          first.rows.map((card) => card.id),
          ["card_0001", "card_0002"],
        );
        await commitOk(store, [
          [{ kind: "updateCardState", cardId: "card_0001", state: "blocked", atMs: baseMs + 9 }],
        ]);
        const rest = await readAll(
          (cursor) => store.listCardsChangedSince(baseMs, cursor, 2),
          first.nextCursor,
        );
        assert.deepEqual(
          rest.rows.map((card) => [card.id, card.state]),
          [
            ["card_0003", "active"],
            ["card_0001", "blocked"],
          ],
        );
      });

      withStore("a claim is not a change: the claimed document keeps its updatedAtMs", async (store) => {
        const document = documentFixture(1, { dueAtMs: baseMs });
        await commitOk(store, [[{ kind: "insertDocument", document }]]);
        const [claimed] = await store.claimDocumentsDue("hold", "pending", baseMs, baseMs + 1_000, 1);
        assert.equal(claimed?.updatedAtMs, document.updatedAtMs);
        assert.deepEqual(
          await store.listDocumentsChangedSince(["hold"], document.updatedAtMs + 1, null, 10),
          {
            rows: [],
            nextCursor: null,
          },
        );
      });
    });

    describe("assertions", () => {
      withStore("an invalid record is refused with an assertion, not stored", async (store) => {
        await assert.rejects(
          store.commit([[{ kind: "insertCard", card: cardFixture(1, { createdAtMs: 1.5 }) }]]),
          /AssertionError|integer/,
        );
        await assert.rejects(
          store.commit([[{ kind: "insertDecision", decision: decisionFixture(1, { snapshot: undefined }) }]]),
          /JSON-serializable/,
        );
        assert.equal(await store.getCard("card_0001"), null);
        assert.equal(await store.countDecisions(), 0);
      });

      withStore("following changes needs a kind, an integer time and a bounded page", async (store) => {
        await assert.rejects(store.listDocumentsChangedSince([], baseMs, null, 10), /kind/);
        await assert.rejects(store.listDocumentsChangedSince(["hold"], baseMs + 0.5, null, 10), /sinceMs/);
        await assert.rejects(store.listCardsChangedSince(baseMs + 0.5, null, 10), /sinceMs/);
        await assert.rejects(store.listCardsChangedSince(baseMs, null, 0), /page/);
        await assert.rejects(store.listCardsChangedSince(baseMs, "no-separator", 10), /cursor/);
      });
    });
  });
}
