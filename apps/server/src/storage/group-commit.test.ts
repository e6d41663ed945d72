import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { genesisHash, readAuditEntries, verifyAuditChain } from "../audit/index.ts";
import { createManualClock } from "../platform/clock.ts";
import { baseMs, decisionFixture } from "./contract/fixtures.ts";
import type { AuditDraft, GroupCommitterDeps, UnitOfWork } from "./group-commit.ts";
import { createGroupCommitter } from "./group-commit.ts";
import { createMemoryStore } from "./memory/memory-store.ts";
import type { WriteOp } from "./records.ts";
import type { CommitResult, Store } from "./store.ts";

/** A store whose commits are counted and can be held until the test lets them go. */
function createObservedStore(inner: Store = createMemoryStore()) {
  const batchSizes: number[] = [];
  let gate: Promise<void> | null = null;
  let failure: Error | null = null;
  const store: Store = {
    ...inner,
    async commit(units: readonly (readonly WriteOp[])[]): Promise<CommitResult> {
      batchSizes.push(units.length);
      if (gate !== null) {
        await gate;
      }
      if (failure !== null) {
        throw failure;
      }
      return inner.commit(units);
    },
  };
  return {
    store,
    batchSizes,
    hold(): () => void {
      let release = (): void => {};
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
      return release;
    },
    failWith(error: Error | null): void {
      failure = error;
    },
  };
}

function draft(n: number): AuditDraft {
  return {
    actor: "api_key",
    action: "decision.recorded",
    subjectId: `auth_${n}`,
    payload: { n },
    atMs: baseMs + n,
  };
}

function decisionUnit(n: number, overrides: Parameters<typeof decisionFixture>[1] = {}): UnitOfWork {
  return { ops: [{ kind: "insertDecision", decision: decisionFixture(n, overrides) }], audit: [draft(n)] };
}

function committerOver(store: Store, overrides: Partial<GroupCommitterDeps> = {}) {
  return createGroupCommitter({
    store,
    clock: createManualClock(baseMs),
    batchMax: 256,
    batchDelayMs: 1,
    audit: { seq: 0, hash: genesisHash },
    ...overrides,
  });
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A memory store seen as a shared one: commitChained reads the head and commits one call at a
 * time, as the PostgreSQL adapter does under its advisory lock, and yields in between so two
 * committers' batches interleave.
 */
function sharedOver(inner: Store): Store {
  let lock: Promise<unknown> = Promise.resolve();
  return {
    ...inner,
    commitChained(build) {
      const committed = lock.then(async () => {
        await settle();
        return inner.commit(build(await inner.getAuditHead()));
      });
      lock = committed.catch(() => {});
      return committed;
    },
  };
}

describe("group commit", () => {
  test("concurrent submits share store.commit calls", async () => {
    const observed = createObservedStore();
    const committer = committerOver(observed.store);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) => committer.submit(decisionUnit(n + 1))),
    );
    assert.ok(results.every((result) => result.ok));
    assert.deepEqual(observed.batchSizes, [50]);
    assert.equal(await observed.store.countDecisions(), 50);
  });

  test("units that arrive during a commit form the next batch, at most batchMax each", async () => {
    const observed = createObservedStore();
    const committer = committerOver(observed.store, { batchMax: 4 });
    const release = observed.hold();
    const first = committer.submit(decisionUnit(1));
    await settle();
    const rest = Array.from({ length: 9 }, (_, n) => committer.submit(decisionUnit(n + 2)));
    await settle();
    assert.deepEqual(observed.batchSizes, [1], "one commit in flight at a time");
    release();
    await Promise.all([first, ...rest]);
    assert.deepEqual(observed.batchSizes, [1, 4, 4, 1]);
  });

  test("a lone submit on an idle committer does not wait for batchDelayMs", async () => {
    const observed = createObservedStore();
    const committer = committerOver(observed.store, { batchDelayMs: 60_000 });
    const startedMs = performance.now();
    assert.deepEqual(await committer.submit(decisionUnit(1)), { ok: true, auditSeqs: [1] });
    assert.ok(performance.now() - startedMs < 1_000);
  });

  test("a submit resolves only after its unit is committed", async () => {
    const observed = createObservedStore();
    const committer = committerOver(observed.store);
    const release = observed.hold();
    let isResolved = false;
    const submitted = committer.submit(decisionUnit(1)).then((result) => {
      isResolved = true;
      return result;
    });
    await settle();
    await settle();
    assert.equal(isResolved, false);
    assert.equal(await observed.store.countDecisions(), 0);
    release();
    assert.deepEqual(await submitted, { ok: true, auditSeqs: [1] });
    assert.equal(await observed.store.countDecisions(), 1);
  });

  test("a conflicting unit is answered alone and the rest of its batch commits", async () => {
    const observed = createObservedStore();
    await observed.store.commit([[{ kind: "insertDecision", decision: decisionFixture(1) }]]);
    const committer = committerOver(observed.store);
    const results = await Promise.all([
      committer.submit(decisionUnit(2)),
      committer.submit(decisionUnit(9, { externalId: "ext_0001" })),
      committer.submit(decisionUnit(3)),
    ]);
    assert.deepEqual(results, [
      { ok: true, auditSeqs: [1] },
      { ok: false, code: "duplicate_external_id", opIndex: 0 },
      { ok: true, auditSeqs: [2] },
    ]);
    assert.deepEqual(observed.batchSizes, [1, 3, 2]);
    assert.equal(await observed.store.countDecisions(), 3);
  });

  test("the audit chain stays valid across several conflicts and retries", async () => {
    const observed = createObservedStore();
    const committer = committerOver(observed.store, { batchMax: 5 });
    const units = Array.from({ length: 20 }, (_, n) =>
      // Every fourth unit reuses the external id of the unit before it.
      n % 4 === 3
        ? decisionUnit(100 + n, { externalId: `ext_${String(n).padStart(4, "0")}` })
        : decisionUnit(n + 1),
    );
    const results = await Promise.all(
      units.map((unit) => committer.submit({ ...unit, audit: [...unit.audit, draft(999)] })),
    );
    assert.equal(results.filter((result) => !result.ok).length, 5);
    const seqs = results.flatMap((result) => (result.ok ? result.auditSeqs : []));
    assert.deepEqual(
      seqs,
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
    assert.deepEqual(await verifyAuditChain(readAuditEntries(observed.store)), { ok: true, entries: 30 });
  });

  test("an outage rejects every unit of the batch and does not advance the chain", async () => {
    const observed = createObservedStore();
    const committer = committerOver(observed.store);
    assert.deepEqual(await committer.submit(decisionUnit(1)), { ok: true, auditSeqs: [1] });
    const outage = new Error("disk unplugged");
    observed.failWith(outage);
    const failed = await Promise.allSettled([
      committer.submit(decisionUnit(2)),
      committer.submit(decisionUnit(3)),
    ]);
    assert.deepEqual(
      failed.map((result) => (result.status === "rejected" ? result.reason : result.value)),
      [outage, outage],
    );
    observed.failWith(null);
    assert.deepEqual(await committer.submit(decisionUnit(4)), { ok: true, auditSeqs: [2] });
    assert.deepEqual(await verifyAuditChain(readAuditEntries(observed.store)), { ok: true, entries: 2 });
  });

  test("a head made stale by another writer fails the batch, and the next batch re-reads it", async () => {
    const store = createMemoryStore();
    const first = committerOver(store);
    const second = committerOver(store);
    assert.deepEqual(await first.submit(decisionUnit(1)), { ok: true, auditSeqs: [1] });
    await assert.rejects(second.submit(decisionUnit(2)), /another writer/);
    assert.deepEqual(await second.submit(decisionUnit(3)), { ok: true, auditSeqs: [2] });
    assert.deepEqual(await verifyAuditChain(readAuditEntries(store)), { ok: true, entries: 2 });
  });

  test("committers on a shared store chain from the head read at each commit: no fork, no failure", async () => {
    const store = createMemoryStore();
    // Both start from the empty head; only the head read inside commitChained keeps them apart.
    const first = committerOver(sharedOver(store), { batchMax: 3 });
    const second = committerOver(sharedOver(store), { batchMax: 3 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, n) => (n % 2 === 0 ? first : second).submit(decisionUnit(n + 1))),
    );
    const seqs = results.flatMap((result) => (result.ok ? result.auditSeqs : []));
    assert.deepEqual(
      [...seqs].sort((a, b) => a - b),
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
    assert.deepEqual(await verifyAuditChain(readAuditEntries(store)), { ok: true, entries: 30 });
  });

  test("a bad unit is refused at submit without touching the batch", async () => {
    const observed = createObservedStore();
    const committer = committerOver(observed.store);
    const good = committer.submit(decisionUnit(1));
    await assert.rejects(
      committer.submit({ ops: [], audit: [{ ...draft(2), payload: { at: new Date(0) } }] }),
    );
    await assert.rejects(committer.submit({ ops: [], audit: [] }), /changes something/);
    assert.deepEqual(await good, { ok: true, auditSeqs: [1] });
    assert.deepEqual(observed.batchSizes, [1]);
  });

  test("flush waits for waiting units, and close refuses new ones", async () => {
    const observed = createObservedStore();
    const committer = committerOver(observed.store, { batchMax: 2 });
    const release = observed.hold();
    const submitted = [1, 2, 3].map((n) => committer.submit(decisionUnit(n)));
    setTimeout(release, 5);
    await committer.close();
    assert.equal(await observed.store.countDecisions(), 3);
    assert.ok((await Promise.all(submitted)).every((result) => result.ok));
    await assert.rejects(committer.submit(decisionUnit(4)), /closed/);
  });
});
