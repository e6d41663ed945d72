/**
 * How a process on a shared store learns what the other processes wrote: it reads the cards and
 * documents changed since its last read, a page at a time, and hands each to the module whose
 * memory mirrors it. Polling an indexed (updatedAtMs, id) range costs two small queries per
 * interval whatever the load, and needs nothing beyond PostgreSQL.
 *
 * Each read starts `overlapMs` before the previous read began, because updatedAtMs is the
 * writer's clock at the write: a change committed a moment late, or by a process whose clock runs
 * behind, still lands inside the overlap. A change is therefore handed over several times; the
 * modules apply a document only when its version is newer than theirs (`createSeenVersions`).
 * Moving on by the reader's clock, not by the newest change seen, keeps a quiet store quiet: a
 * burst of changes is read again only until its overlap has passed.
 */
import { assert } from "../platform/assert.ts";
import type { CardRecord, DocumentKind, DocumentRecord } from "./records.ts";
import type { Page, Store } from "./store.ts";

export type ChangeFollowerDeps = {
  store: Pick<Store, "listCardsChangedSince" | "listDocumentsChangedSince">;
  kinds: readonly DocumentKind[];
  /** Changes from here on are read; what came before is already in memory (the start-up load). */
  sinceMs: number;
  overlapMs: number;
  pageRows: number;
  onCard: (card: CardRecord) => Promise<void>;
  onDocument: (document: DocumentRecord) => Promise<void>;
  nowMs: () => number;
};

export type ChangeFollower = {
  /** One read of everything changed since the last; concurrent calls share it. */
  poll(): Promise<void>;
  /**
   * Resolves after a read that began after this call: what a caller that missed something in
   * memory awaits before it concludes the thing does not exist.
   */
  catchUp(): Promise<void>;
};

export function createChangeFollower(deps: ChangeFollowerDeps): ChangeFollower {
  assert(deps.kinds.length > 0, "a change follower follows at least one document kind");
  let sinceMs = deps.sinceMs - deps.overlapMs;
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  /** Visits every row of a paged range. */
  const readRange = async <T>(
    page: (cursor: string | null) => Promise<Page<T>>,
    visit: (row: T) => Promise<void>,
  ): Promise<void> => {
    for (let cursor: string | null = null; ; ) {
      const rows: Page<T> = await page(cursor);
      for (const row of rows.rows) {
        await visit(row);
      }
      cursor = rows.nextCursor;
      if (cursor === null) {
        return;
      }
    }
  };

  const readOnce = async (): Promise<void> => {
    const startedAtMs = deps.nowMs();
    await readRange(
      (cursor) => deps.store.listCardsChangedSince(sinceMs, cursor, deps.pageRows),
      deps.onCard,
    );
    await readRange(
      (cursor) => deps.store.listDocumentsChangedSince(deps.kinds, sinceMs, cursor, deps.pageRows),
      deps.onDocument,
    );
    sinceMs = Math.max(sinceMs, startedAtMs - deps.overlapMs);
  };

  const poll = (): Promise<void> => {
    if (running === null) {
      running = readOnce().finally(() => {
        running = null;
      });
    }
    return running;
  };

  return {
    poll,
    catchUp(): Promise<void> {
      if (running === null) {
        return poll();
      }
      // The read in flight may have passed the row the caller looks for: one more after it.
      queued ??= running
        .catch(() => {})
        .then(() => {
          queued = null;
          return poll();
        });
      return queued;
    },
  };
}

/**
 * The version of each document this process's memory last took, kept for `keepMs`: long enough
 * to outlast the follower's overlap, so a change read back (ours, or an older read of another's)
 * is recognised and not applied over a newer one, even after memory dropped the document (a hold
 * resolved, a challenge spent). A note replaces the last one even when older: memory put back
 * after a refused commit is at the older version again, and so is the store.
 */
export function createSeenVersions(keepMs: number) {
  /** In the order of the last note, so the oldest notes are pruned from the front. */
  const seen = new Map<string, { version: number; atMs: number }>();
  return {
    note(id: string, version: number, atMs: number): void {
      seen.delete(id);
      seen.set(id, { version, atMs });
      for (const [oldId, entry] of seen) {
        if (entry.atMs > atMs - keepMs) {
          break;
        }
        seen.delete(oldId);
      }
    },
    /** Whether a document at this version is newer than any this process has seen. */
    isNewer(id: string, version: number): boolean {
      return (seen.get(id)?.version ?? 0) < version;
    },
  };
}

export type SeenVersions = ReturnType<typeof createSeenVersions>;
