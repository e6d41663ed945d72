/**
 * Group commit: units of work submitted concurrently are written in one store.commit, so one
 * transaction (and, on PostgreSQL, one WAL flush) serves many decisions. A lone unit on an idle
 * store commits at once; while a commit is in flight, new units wait and form the next batch, so
 * batches grow with load by themselves. At most one commit is in flight, which also keeps the audit chain in order.
 *
 * The chain continues from a head. On a store with one writer (memory, PGlite) the committer is
 * that writer, so it keeps the head in memory and reads it only at start and after a failure. On
 * a store that several processes write (PostgreSQL), another process may have appended since our
 * last commit, so the store's commitChained reads the head inside the transaction, under a lock
 * that every appender takes, and the batch is chained from it there: the chain never forks and no
 * commit is refused for a seq another process took.
 */
import type { AuditChainHead } from "../audit/index.ts";
import { auditHeadOf, canonicalJson, hashAuditEntry, loadAuditHead } from "../audit/index.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import { assertWriteOpValid } from "./record-checks.ts";
import type { AuditEntry, WriteOp } from "./records.ts";
import type { CommitResult, Store } from "./store.ts";

/** An audit entry before it has a place in the chain: the committer assigns seq and hashes. */
export type AuditDraft = {
  readonly actor: string;
  readonly action: string;
  readonly subjectId: string;
  readonly payload: unknown;
  readonly atMs: number;
};

/** Operations that commit together with their audit entries, all or nothing. */
export type UnitOfWork = { readonly ops: readonly WriteOp[]; readonly audit: readonly AuditDraft[] };

/** auditSeqs are the seqs given to the unit's drafts; opIndex points into the unit's ops. */
export type SubmitResult =
  | { readonly ok: true; readonly auditSeqs: readonly number[] }
  | {
      readonly ok: false;
      readonly code: Extract<CommitResult, { ok: false }>["code"];
      readonly opIndex: number;
    };

export type GroupCommitterDeps = {
  readonly store: Pick<Store, "commit" | "commitChained" | "getAuditHead">;
  readonly clock: Clock;
  /** Units per store.commit at most. */
  readonly batchMax: number;
  /** After a commit, how long a small waiting batch may wait for company before it commits. */
  readonly batchDelayMs: number;
  /** The chain head when the committer starts (loadAuditHead); unused with commitChained. */
  readonly audit: AuditChainHead;
};

export type GroupCommitter = {
  /** Resolves once the unit is committed (or refused); rejects if the store fails. */
  submit(unit: UnitOfWork): Promise<SubmitResult>;
  /** Resolves once every unit submitted before the call has been committed, refused or rejected. */
  flush(): Promise<void>;
  /** Refuses new units and flushes the waiting ones. The store stays open: it is not ours. */
  close(): Promise<void>;
};

type Pending = {
  readonly unit: UnitOfWork;
  readonly arrivedAtMs: number;
  readonly resolve: (result: SubmitResult) => void;
  readonly reject: (error: unknown) => void;
};

type Chained = { readonly pending: Pending; readonly ops: readonly WriteOp[]; readonly auditSeqs: number[] };
type ChainedBatch = { readonly units: Chained[]; readonly head: AuditChainHead };

/** Gives each draft the next seq and links it to the entry before, in submission order. */
function chainUnits(batch: readonly Pending[], head: AuditChainHead): ChainedBatch {
  let seq = head.seq;
  let prevHash = head.hash;
  const units = batch.map((pending) => {
    const auditOps: WriteOp[] = [];
    const auditSeqs: number[] = [];
    for (const draft of pending.unit.audit) {
      seq += 1;
      const fields = { seq, ...pickDraft(draft) };
      const hash = hashAuditEntry(prevHash, fields);
      const entry: AuditEntry = { ...fields, prevHash, hash };
      auditOps.push({ kind: "appendAudit", entry });
      auditSeqs.push(seq);
      prevHash = hash;
    }
    return { pending, ops: [...pending.unit.ops, ...auditOps], auditSeqs };
  });
  return { units, head: { seq, hash: prevHash } };
}

function pickDraft(draft: AuditDraft): AuditDraft {
  return {
    atMs: draft.atMs,
    actor: draft.actor,
    action: draft.action,
    subjectId: draft.subjectId,
    payload: draft.payload,
  };
}

/**
 * Checked at submit, so a bad unit fails alone instead of failing the whole batch in the store.
 * canonicalJson asserts that the payload can be hashed and survives the store's JSON round trip.
 */
function assertUnitValid(unit: UnitOfWork): void {
  assert(unit.ops.length + unit.audit.length > 0, "a unit of work changes something");
  for (const op of unit.ops) {
    assert(op.kind !== "appendAudit", "audit entries are submitted as drafts; the committer chains them");
    assertWriteOpValid(op);
  }
  for (const draft of unit.audit) {
    assert(typeof draft.actor === "string" && draft.actor.length > 0, "an audit draft names its actor");
    assert(typeof draft.action === "string" && draft.action.length > 0, "an audit draft names its action");
    assert(typeof draft.subjectId === "string", "an audit draft's subjectId is a string");
    assert(
      Number.isSafeInteger(draft.atMs) && draft.atMs >= 0,
      "an audit draft's atMs is epoch milliseconds",
    );
    canonicalJson(draft.payload);
  }
}

export function createGroupCommitter(deps: GroupCommitterDeps): GroupCommitter {
  assert(Number.isSafeInteger(deps.batchMax) && deps.batchMax >= 1, "batchMax is a positive integer");
  assert(Number.isFinite(deps.batchDelayMs) && deps.batchDelayMs >= 0, "batchDelayMs is not negative");

  const waiting: Pending[] = [];
  /** Null after a failed commit, until the next batch reads the head from the store again. */
  let head: AuditChainHead | null = deps.audit;
  let inFlight: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let isStartQueued = false;
  let isOpen = true;
  // Batches are taken from the front of the queue in order, so units finish in submission order
  // batch by batch, and two counters are enough for flush() to know when its units are done.
  let submittedCount = 0;
  let finishedCount = 0;

  const rejectAll = (units: readonly Pending[], error: unknown): void => {
    for (const pending of units) {
      pending.reject(error);
    }
  };

  /** Chains the units from the head (see the file's comment for where it comes from) and commits them. */
  const commitUnits = async (
    live: readonly Pending[],
  ): Promise<{ chained: ChainedBatch; result: CommitResult }> => {
    const { store } = deps;
    if (store.commitChained === undefined) {
      const chained = chainUnits(live, head ?? (await loadAuditHead(store)));
      return { chained, result: await store.commit(chained.units.map((unit) => unit.ops)) };
    }
    // The store may build more than once; what it committed is what the last build returned.
    const built: { last: ChainedBatch | null } = { last: null };
    const result = await store.commitChained((last) => {
      built.last = chainUnits(live, auditHeadOf(last));
      return built.last.units.map((unit) => unit.ops);
    });
    assert(built.last !== null, "the store built the batch it committed");
    return { chained: built.last, result };
  };

  /** Commits one batch; settles every unit of it and never rejects itself. */
  const commitBatch = async (batch: readonly Pending[]): Promise<void> => {
    let live = batch;
    try {
      // Each pass commits all live units, or answers and drops the refused one, so there are at
      // most batch.length passes.
      while (live.length > 0) {
        const { chained, result } = await commitUnits(live);
        if (result.ok) {
          head = chained.head;
          for (const unit of chained.units) {
            unit.pending.resolve({ ok: true, auditSeqs: unit.auditSeqs });
          }
          return;
        }
        const refused = chained.units[result.unitIndex];
        assert(refused !== undefined, "the store names a unit of the batch");
        // Only a writer that bypasses this committer (or a second process on a store opened as
        // single-writer) can have taken one of our seqs. Then the head is stale and every unit
        // with an audit entry would meet the same refusal, so the batch fails as a whole.
        if (refused.ops[result.opIndex]?.kind === "appendAudit") {
          throw new Error("audit seq already taken: another writer appended to the audit log");
        }
        refused.pending.resolve({ ok: false, code: result.code, opIndex: result.opIndex });
        live = live.filter((pending) => pending !== refused.pending);
      }
    } catch (error) {
      // An outage, a stale head or a broken invariant. The commit may have landed before the
      // error, so the head is read again from the store before the next batch.
      head = null;
      rejectAll(live, error);
    }
  };

  const cancelTimer = (): void => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };

  const startBatch = (): void => {
    if (inFlight !== null || waiting.length === 0) {
      return;
    }
    cancelTimer();
    const batch = waiting.splice(0, deps.batchMax);
    inFlight = commitBatch(batch).finally(() => {
      finishedCount += batch.length;
      inFlight = null;
      startAfterCommit();
    });
  };

  /**
   * Units that arrived during a commit go next: at once when the batch is full or its first unit
   * has waited batchDelayMs already, otherwise when that delay is up, to gather a larger batch.
   */
  const startAfterCommit = (): void => {
    const first = waiting[0];
    if (first === undefined) {
      return;
    }
    const waitedMs = deps.clock.nowMs() - first.arrivedAtMs;
    if (waiting.length >= deps.batchMax || waitedMs >= deps.batchDelayMs) {
      startBatch();
      return;
    }
    timer = setTimeout(startBatch, deps.batchDelayMs - waitedMs);
  };

  const flush = async (): Promise<void> => {
    const target = submittedCount;
    // Bounded: every pass waits for a commit that finishes at least one of the target's units.
    while (finishedCount < target) {
      startBatch();
      await inFlight;
    }
  };

  return {
    async submit(unit) {
      assert(isOpen, "the group committer is closed");
      assertUnitValid(unit);
      return new Promise<SubmitResult>((resolve, reject) => {
        waiting.push({ unit, arrivedAtMs: deps.clock.nowMs(), resolve, reject });
        submittedCount += 1;
        if (inFlight !== null) {
          return;
        }
        if (waiting.length >= deps.batchMax) {
          startBatch();
          return;
        }
        // Idle: commit in this turn of the event loop, after every request whose bytes arrived in
        // the same I/O poll has submitted too. setImmediate runs right after the poll phase; a
        // microtask would run after the first request alone, and under HTTP load every batch
        // would then hold a single unit.
        if (timer === null && !isStartQueued) {
          isStartQueued = true;
          setImmediate(() => {
            isStartQueued = false;
            startBatch();
          });
        }
      });
    },

    flush,

    async close() {
      isOpen = false;
      await flush();
    },
  };
}
