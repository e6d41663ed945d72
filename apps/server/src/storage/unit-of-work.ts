/**
 * Two steps every module with hot state in memory takes: commit a unit and put memory back when
 * it does not go through, and read every document in a state, a page at a time, at start-up.
 */
import type { AuditDraft, GroupCommitter } from "./group-commit.ts";
import type { DocumentKind, DocumentRecord, WriteOp } from "./records.ts";
import type { Store } from "./store.ts";

/**
 * Submits the unit. Memory was changed first (so the next request sees it at once); `restore`
 * puts it back on an outage (rethrown) or a refused compare-and-set ("conflict").
 */
export async function submitOrRestore(
  committer: Pick<GroupCommitter, "submit">,
  unit: { ops: WriteOp[]; audit: AuditDraft[] },
  restore: () => void,
): Promise<"ok" | "conflict"> {
  let result: Awaited<ReturnType<GroupCommitter["submit"]>>;
  try {
    result = await committer.submit(unit);
  } catch (error) {
    restore();
    throw error;
  }
  if (!result.ok) {
    restore();
    return "conflict";
  }
  return "ok";
}

/** Visits every document of a kind in a state, paged, so start-up memory stays flat. */
export async function forEachDocumentInState(
  store: Pick<Store, "listDocumentsInState">,
  kind: DocumentKind,
  state: string,
  pageRows: number,
  visit: (document: DocumentRecord) => void,
): Promise<void> {
  for (let cursor: string | null = null; ; ) {
    const page = await store.listDocumentsInState(kind, state, cursor, pageRows);
    page.rows.forEach(visit);
    cursor = page.nextCursor;
    if (cursor === null) {
      return;
    }
  }
}
