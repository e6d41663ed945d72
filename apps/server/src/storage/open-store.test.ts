import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cardFixture, decisionFixture } from "./contract/fixtures.ts";
import { openStore, StoreOpenError } from "./open-store.ts";

test("a PGlite store on disk keeps its commits across close and reopen", async () => {
  const parent = await mkdtemp(join(tmpdir(), "mimamori-store-"));
  // A directory that does not exist yet: openStore creates it.
  const dataDir = join(parent, "data", "pglite");
  try {
    const first = await openStore({ kind: "pglite", dataDir });
    const card = cardFixture(1);
    const decision = decisionFixture(1);
    assert.deepEqual(
      await first.commit([
        [
          { kind: "insertCard", card },
          { kind: "insertDecision", decision },
        ],
      ]),
      { ok: true },
    );
    await first.close();

    const second = await openStore({ kind: "pglite", dataDir });
    try {
      assert.deepEqual(await second.getCard(card.id), card);
      assert.deepEqual(await second.getDecisionByExternalId(decision.externalId), decision);
    } finally {
      await second.close();
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test("a memory store starts empty and is closed by close()", async () => {
  const store = await openStore({ kind: "memory" });
  assert.equal(await store.countDecisions(), 0);
  await store.close();
  await assert.rejects(store.countDecisions(), /closed/);
});

test("a PostgreSQL store that cannot be reached fails to open with a coded error, never its password", async () => {
  // Port 1 is reserved and never has a PostgreSQL listening.
  const opening = openStore({ kind: "postgres", url: "postgres://mimamori:secret@127.0.0.1:1/mimamori" });
  await assert.rejects(opening, (error) => {
    assert.ok(error instanceof StoreOpenError);
    assert.equal(error.code, "database_unreachable");
    assert.equal(error.retryable, true);
    assert.match(error.message, /^PostgreSQL at 127\.0\.0\.1:1\/mimamori: .*ECONNREFUSED/);
    assert.doesNotMatch(error.message, /secret/);
    return true;
  });
  await assert.rejects(openStore({ kind: "postgres", url: "127.0.0.1:5432" }), {
    name: "StoreOpenError",
    code: "invalid_database_url",
  });
});
