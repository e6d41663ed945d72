/**
 * The contract against PGlite in memory. One PGlite instance serves the whole file (start-up is
 * about 2 s and 800 MB), and the tables are emptied before each test instead.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, sql } from "kysely";
import { loadAuditHead, readAuditEntries, verifyAuditChain } from "../../audit/index.ts";
import { createManualClock } from "../../platform/clock.ts";
import { auditFixture, baseMs, decisionFixture } from "../contract/fixtures.ts";
import { runStoreContract } from "../contract/store-contract.ts";
import { createGroupCommitter } from "../group-commit.ts";
import { migrateToLatest, migrateUpTo } from "../migrations/migrate-to-latest.ts";
import type { Store } from "../store.ts";
import type { Database } from "./database.ts";
import { createPgliteDialect } from "./pglite-dialect.ts";
import { createSqlStore } from "./sql-store.ts";

const pglite = await PGlite.create();
const db = new Kysely<Database>({ dialect: createPgliteDialect(pglite) });
const appliedAtStart = await migrateToLatest(db);

// A second instance that leaves int8 as text, as the pg driver does, so the adapter's own
// conversion is tested without a PostgreSQL server.
const int8AsText = 20;
const pgliteLikePg = await PGlite.create({ parsers: { [int8AsText]: (value: string) => value } });
const dbLikePg = new Kysely<Database>({ dialect: createPgliteDialect(pgliteLikePg) });
await migrateToLatest(dbLikePg);

after(async () => {
  await db.destroy();
  await dbLikePg.destroy();
});

/** An emptied store over a shared instance; its close() leaves the instance open for the next test. */
async function openEmpty(options: Parameters<typeof createSqlStore>[1] = {}, over = db): Promise<Store> {
  await sql`truncate cardholders, cards, merchants, rulesets, decisions, audit_log, settings, documents`.execute(
    over,
  );
  return { ...createSqlStore(over, options), close: async () => {} };
}

runStoreContract("pglite", () => openEmpty());
// The same contract with tiny statements, so runs that span several INSERTs are exercised too.
runStoreContract("pglite, 2 rows per insert", () => openEmpty({ insertRowsMax: 2 }));
runStoreContract("pglite returning int8 as text, like pg", () => openEmpty({}, dbLikePg));

describe("PGlite schema", () => {
  test("migrations apply once: a second run applies nothing", async () => {
    assert.deepEqual(appliedAtStart, [
      "0001_init",
      "0002_confirmation_loop",
      "0003_step_up",
      "0004_change_following",
    ]);
    assert.deepEqual(await migrateToLatest(db), []);
  });

  test("an upgrade gives each earlier cardholder a security phrase and SMS codes, and keeps the cards", async () => {
    const old = new Kysely<Database>({ dialect: createPgliteDialect(await PGlite.create()) });
    try {
      assert.deepEqual(await migrateUpTo(old, "0001_init"), ["0001_init"]);
      await sql`insert into cardholders values ('ch_1', 'A', '+81900000000', 'a@example.jp', 'ja', 'Asia/Tokyo', 'JP', ${baseMs})`.execute(
        old,
      );
      await sql`insert into cards values ('card_1', 'ch_1', 'v1:h', 'v1:c', '411111', '1111', '2030-01', 'active', ${baseMs}, ${baseMs})`.execute(
        old,
      );
      assert.deepEqual(await migrateToLatest(old), [
        "0002_confirmation_loop",
        "0003_step_up",
        "0004_change_following",
      ]);
      const store = createSqlStore(old);
      assert.match((await store.getCardholder("ch_1"))?.securityPhrase ?? "", /^[a-z]+ [a-z]+ [0-9]{2}$/);
      assert.equal((await store.getCardholder("ch_1"))?.stepUpChannel, "sms");
      assert.equal((await store.getCard("card_1"))?.replacesCardId, null);
    } finally {
      await old.destroy();
    }
  });

  test("the audit_log trigger refuses UPDATE and DELETE", async () => {
    const store = await openEmpty();
    assert.deepEqual(await store.commit([[{ kind: "appendAudit", entry: auditFixture(1) }]]), { ok: true });
    await assert.rejects(db.updateTable("audit_log").set({ actor: "mallory" }).execute(), /append-only/);
    await assert.rejects(db.deleteFrom("audit_log").execute(), /append-only/);
    assert.deepEqual(await store.getAuditHead(), auditFixture(1));
  });

  test("verifyAuditChain finds a payload changed behind the trigger's back", async () => {
    const store = await openEmpty();
    const committer = createGroupCommitter({
      store,
      clock: createManualClock(baseMs),
      batchMax: 16,
      batchDelayMs: 0,
      audit: await loadAuditHead(store),
    });
    const drafts = [1, 2, 3].map((n) => ({
      actor: "system",
      action: "card.blocked",
      subjectId: `card_${n}`,
      payload: { reason: "紛失" },
      atMs: baseMs + n,
    }));
    await Promise.all(drafts.map((draft) => committer.submit({ ops: [], audit: [draft] })));
    assert.deepEqual(await verifyAuditChain(readAuditEntries(store)), { ok: true, entries: 3 });
    // Someone with DDL rights can switch the trigger off; the chain still shows the change.
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
    await sql`update audit_log set payload_json = '{"reason":"盗難"}' where seq = 2`.execute(db);
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
    const verification = await verifyAuditChain(readAuditEntries(store));
    assert.equal(verification.ok, false);
    assert.equal(verification.ok === false && verification.brokenAtSeq, 2);
  });

  test("int8 times come back as numbers, not strings or bigints", async () => {
    const store = await openEmpty();
    const decision = decisionFixture(1, { occurredAtMs: 2 ** 52 + 1, decidedAtMs: 2 ** 52 + 2 });
    assert.deepEqual(await store.commit([[{ kind: "insertDecision", decision }]]), { ok: true });
    const read = await store.getDecisionByExternalId(decision.externalId);
    assert.equal(read?.occurredAtMs, 2 ** 52 + 1);
    assert.equal(typeof (await store.countDecisions()), "number");
  });

  test("the pg-like instance really hands int8 over as text", async () => {
    const { rows } = await sql<{ ms: unknown }>`select ${baseMs}::bigint as ms`.execute(dbLikePg);
    assert.deepEqual(rows, [{ ms: String(baseMs) }]);
  });

  test("the group committer keeps the chain valid across conflicts on PGlite", async () => {
    const store = await openEmpty();
    assert.deepEqual(await store.commit([[{ kind: "insertDecision", decision: decisionFixture(1) }]]), {
      ok: true,
    });
    const committer = createGroupCommitter({
      store,
      clock: createManualClock(baseMs),
      batchMax: 64,
      batchDelayMs: 0,
      audit: await loadAuditHead(store),
    });
    const results = await Promise.all(
      [2, 1, 3, 1, 4].map((n, index) =>
        committer.submit({
          ops: [
            { kind: "insertDecision", decision: decisionFixture(n, { authorizationId: `auth_s${index}` }) },
          ],
          audit: [
            {
              actor: "api_key",
              action: "decision.recorded",
              subjectId: `auth_s${index}`,
              payload: {},
              atMs: baseMs,
            },
          ],
        }),
      ),
    );
    assert.deepEqual(
      results.map((result) => (result.ok ? result.auditSeqs : result.code)),
      [[1], "duplicate_external_id", [2], "duplicate_external_id", [3]],
    );
    assert.deepEqual(await verifyAuditChain(readAuditEntries(store)), { ok: true, entries: 3 });
    assert.equal(await store.countDecisions(), 4);
  });
});
