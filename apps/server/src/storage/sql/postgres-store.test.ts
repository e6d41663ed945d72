/**
 * The contract and the guarantees several processes rely on, against a real PostgreSQL (the
 * machine's, see test/services.ts). Each store opened here has its own pool, as a separate
 * process would. Without a server (outside CI) every test is reported as skipped, with the reason.
 */
import assert from "node:assert/strict";
import { after, describe, type TestContext, test } from "node:test";
import pg from "pg";
import { freshPostgresDatabase } from "../../../test/services.ts";
import { loadAuditHead, readAuditEntries, verifyAuditChain } from "../../audit/index.ts";
import { createManualClock } from "../../platform/clock.ts";
import { baseMs, decisionFixture, documentFixture } from "../contract/fixtures.ts";
import { runStoreContract } from "../contract/store-contract.ts";
import { createGroupCommitter, type UnitOfWork } from "../group-commit.ts";
import { migratePostgres, openStore } from "../open-store.ts";
import type { Store } from "../store.ts";

const service = await freshPostgresDatabase("postgres_store");
const migrationService = await freshPostgresDatabase("postgres_migrate");
const skip = service.ok ? undefined : service.skip;

/** The file's store, and a connection of its own to empty the tables between tests. */
const shared = service.ok ? await openShared(service.value.url) : null;

async function openShared(url: string) {
  const store = await openStore({ kind: "postgres", url });
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  // The database is dropped with its connections at the end of the file; an idle one then breaks.
  admin.on("error", () => {});
  return { url, store, admin };
}

after(async () => {
  await shared?.store.close();
  await shared?.admin.end();
});

function fileStore() {
  assert(shared !== null, "the tests that use PostgreSQL are skipped without it");
  return shared;
}

async function emptyTables(): Promise<void> {
  await fileStore().admin.query(
    "truncate cardholders, cards, merchants, rulesets, decisions, audit_log, settings, documents",
  );
}

/** An emptied store over the file's pool; its close() leaves the pool open for the next test. */
async function openEmpty(): Promise<Store> {
  await emptyTables();
  return { ...fileStore().store, close: async () => {} };
}

runStoreContract("postgres", openEmpty, skip === undefined ? {} : { skip });

/** Two stores with pools of their own, as two processes would open them; closed after the test. */
async function openTwoProcesses(t: TestContext): Promise<[Store, Store]> {
  await emptyTables();
  const { url } = fileStore();
  const stores = await Promise.all([
    openStore({ kind: "postgres", url, poolSize: 2 }),
    openStore({ kind: "postgres", url, poolSize: 2 }),
  ]);
  t.after(() => Promise.all(stores.map((store) => store.close())));
  return stores;
}

describe("PostgreSQL", { skip: skip ?? false }, () => {
  test("migrations apply once, even when several processes start at once", async (t) => {
    assert(migrationService.ok, "both databases come from the same server");
    const { url } = migrationService.value;
    const applied = await Promise.all([1, 2, 3, 4].map(() => migratePostgres(url)));
    assert.deepEqual(applied.flat().sort(), [
      "0001_init",
      "0002_confirmation_loop",
      "0003_step_up",
      "0004_change_following",
    ]);
    assert.deepEqual(await migratePostgres(url), [], "a later run applies nothing");
    const version = await fileStore().admin.query<{ server_version: string }>("show server_version");
    t.diagnostic(`PostgreSQL ${version.rows[0]?.server_version}`);
  });

  test("two processes' committers interleave many batches into one chain: no fork, no failure", async (t) => {
    const stores = await openTwoProcesses(t);
    const committers = await Promise.all(
      stores.map(async (store) =>
        createGroupCommitter({
          store,
          clock: createManualClock(baseMs),
          batchMax: 8,
          batchDelayMs: 0,
          audit: await loadAuditHead(store),
        }),
      ),
    );
    // Every tenth authorization reuses the external id of the one before, which may sit in the
    // other process's batch: one of each pair is refused, and the refusal is retried one
    // operation at a time inside the chained commit, from a head read again.
    const unitOf = (n: number): UnitOfWork => ({
      ops: [
        {
          kind: "insertDecision",
          decision: decisionFixture(n, n % 10 === 0 ? { externalId: decisionFixture(n - 1).externalId } : {}),
        },
      ],
      audit: Array.from({ length: 1 + (n % 2) }, (_, index) => ({
        actor: n % 2 === 0 ? "process_a" : "process_b",
        action: "decision.recorded",
        subjectId: `auth_${n}`,
        payload: { n, index },
        atMs: baseMs + n,
      })),
    });
    const submitted = Array.from({ length: 400 }, (_, index) => index + 1).map((n) => {
      const committer = committers[n % 2];
      assert(committer !== undefined, "two committers");
      return committer.submit(unitOf(n));
    });
    const results = await Promise.all(submitted);

    const refused = results.filter((result) => !result.ok);
    assert.equal(refused.length, 40, "one of each pair sharing an external id");
    assert.ok(refused.every((result) => !result.ok && result.code === "duplicate_external_id"));
    const seqs = results.flatMap((result) => (result.ok ? result.auditSeqs : [])).sort((a, b) => a - b);
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, index) => index + 1),
      "every seq is taken exactly once",
    );
    const [first] = stores;
    assert.deepEqual(await verifyAuditChain(readAuditEntries(first)), { ok: true, entries: seqs.length });
    const actors = (await first.listAudit(0, 10_000)).map((entry) => entry.actor);
    const switches = actors.filter((actor, index) => index > 0 && actor !== actors[index - 1]).length;
    assert.ok(switches > 10, `the two processes' batches interleave (${switches} switches)`);
  });

  test("concurrent claims over two pools never return the same document", async (t) => {
    const stores = await openTwoProcesses(t);
    const [first] = stores;
    const documents = Array.from({ length: 200 }, (_, index) =>
      documentFixture(index + 1, { dueAtMs: baseMs + (index % 13) }),
    );
    assert.deepEqual(
      await first.commit([documents.map((document) => ({ kind: "insertDocument", document }) as const)]),
      { ok: true },
    );
    const claim = (store: Store, limit: number) =>
      store.claimDocumentsDue("hold", "pending", baseMs + 20, baseMs + 60_000, limit);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, index) => claim(stores[index % 2] ?? first, 30)),
    );
    const rest = await claim(first, 200);
    const ids = [...claims.flat(), ...rest].map((document) => document.id);
    assert.equal(new Set(ids).size, ids.length, "no document is in two claims");
    assert.equal(ids.length, documents.length, "together the claims took every due document once");
    assert.ok(
      [...claims.flat(), ...rest].every((document) => document.version === 2),
      "each document was claimed by one statement",
    );
  });
});
